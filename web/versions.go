package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/wingtip/multichannel/internal/domain"
	"github.com/wingtip/multichannel/views"
)

// This file reads the version a form was filled from, and turns the refusal
// of a save made from a stale form into the notice the form comes back
// with (409): what is stored now beside what the user typed.

// versionValue reads the version a form was filled from. Anything else is
// 0, which no record has, so such a save is refused as stale rather than
// applied over changes it never saw.
func versionValue(c echo.Context) domain.Version {
	v, err := strconv.ParseInt(postValue(c, "version"), 10, 64)
	if err != nil || v < 1 {
		return 0
	}
	return domain.Version(v)
}

// field is one labelled value of a form, as a stale notice compares them.
type field struct{ label, value string }

// staleNotice reads the refusal of a save made from a stale form of a T:
// the notice comparing the fields of the record stored now (stored turns it
// into them) with those typed, in the same order, and the version a new save
// must name. ok is false for any other error.
func staleNotice[T any](err error, stored func(T) []field, typed []field) (notice *views.StaleNotice, version int64, ok bool) {
	var stale *domain.Stale[T]
	if !errors.As(err, &stale) {
		return nil, 0, false
	}
	notice = &views.StaleNotice{ChangedBy: stale.ChangedBy}
	if !stale.ChangedAt.IsZero() {
		notice.ChangedAt = domain.FormatDateTime(stale.ChangedAt)
	}
	for i, f := range stored(stale.Current) {
		if i < len(typed) && strings.TrimSpace(f.value) != strings.TrimSpace(typed[i].value) {
			notice.Differences = append(notice.Differences, views.Difference{Label: f.label, Stored: shownValue(f.value), Typed: shownValue(typed[i].value)})
		}
	}
	return notice, int64(stale.Version), true
}

// saveRefusal is why a save made from a form was refused, as the form shows it
// when it comes back, and the status it comes back with: a newer version
// someone saved (stale, with the version the form must name now; 409),
// fields to correct (422), or no room to save it (the "" entry of errs; 503).
type saveRefusal struct {
	stale   *views.StaleNotice
	version int64
	errs    domain.FieldErrors
	status  int
}

// refusalOf sorts the answer to a save of a T from a form typed as typed,
// stored labelling the record as stored now in the same order: nil and nil
// when it was saved, the refusal its form shows, or any other error for the
// error page.
func refusalOf[T any](err error, stored func(T) []field, typed []field) (*saveRefusal, error) {
	if err == nil {
		return nil, nil
	}
	if notice, version, ok := staleNotice(err, stored, typed); ok {
		return &saveRefusal{stale: notice, version: version, status: http.StatusConflict}, nil
	}
	if errs, ok := fieldErrors(err); ok {
		return &saveRefusal{errs: errs, status: formStatus(err)}, nil
	}
	return nil, err
}

// shownValue writes an empty value so that it can be seen.
func shownValue(v string) string {
	if strings.TrimSpace(v) == "" {
		return "(empty)"
	}
	return v
}

// optionLabel is the label of the option of value, or value itself.
func optionLabel(options []views.Option, value string) string {
	for _, o := range options {
		if o.Value == value {
			return o.Label
		}
	}
	return value
}
