package web

import (
	"context"
	"errors"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/wingtip/multichannel/internal/domain"
	"github.com/wingtip/multichannel/views"
)

// This file reads what every handler needs from a request: who acts, the
// ids of the path, the page of a list, form values, and whether htmx asked
// for a fragment.

// actor is the signed-in user and client address, for the audit log.
func actor(c echo.Context) domain.Actor {
	u, _ := currentUser(c)
	return domain.Actor{UserID: u.ID, ClientIP: c.RealIP()}
}

// idParam reads a numeric path parameter; anything else is a 404.
func idParam(c echo.Context, name string) (int64, error) {
	id, err := strconv.ParseInt(c.Param(name), 10, 64)
	if err != nil || id < 1 {
		return 0, echo.ErrNotFound
	}
	return id, nil
}

// isPartial reports whether htmx asked for a fragment to swap into the page,
// rather than a whole page.
func isPartial(c echo.Context) bool {
	return isHTMX(c) && c.Request().Header.Get("HX-Request-Type") != "full"
}

// storageFullMessage is what a form that could not be saved for want of
// disk space says above its fields (its "" entry).
const storageFullMessage = "The server is out of disk space: nothing was saved. What you typed is kept below: " +
	"send it again in a while, and tell your administrator if it keeps happening."

// fieldErrors returns the field messages of a validation error. A save
// refused for want of disk space is a message about the whole form, so that
// the form comes back with what was typed.
func fieldErrors(err error) (domain.FieldErrors, bool) {
	if errors.Is(err, domain.ErrStorageFull) {
		return domain.FieldErrors{"": storageFullMessage}, true
	}
	var errs domain.FieldErrors
	ok := errors.As(err, &errs)
	return errs, ok
}

// Why a change was refused by the state of its record, when the refusal
// gives no reason of its own.
const (
	conflictMessage = "Someone else changed this in the meantime, or it is no longer in a state that allows it. Reload the page and try again."
	staleMessage    = "Someone changed this after you loaded the page, so nothing was done. Reload the page to see it as it is now, then try again."
)

// conflictReason says why the state of a record refused err's change (a
// domain.ConflictError's reason, a change that lost a race, a page older
// than its record); ok is false for any other error.
func conflictReason(err error) (reason string, ok bool) {
	var conflict *domain.ConflictError
	switch {
	case errors.As(err, &conflict):
		return conflict.Reason, true
	case errors.Is(err, domain.ErrConflict):
		return conflictMessage, true
	case errors.Is(err, domain.ErrStale):
		return staleMessage, true
	}
	return "", false
}

// errorsText is the messages of errs in one line, for a control that has no
// field of its own to put each beside.
func errorsText(errs domain.FieldErrors) string {
	return strings.Join(slices.Compact(slices.Sorted(maps.Values(errs))), " ")
}

// isConflict reports whether the state of a record refused err's change.
func isConflict(err error) bool {
	_, ok := conflictReason(err)
	return ok
}

// conflictErrors returns a refusal by the record's state as the message
// about the whole form (its "" entry), so that the page of the control
// shows it there, with status 409 (formStatus).
func conflictErrors(err error) (domain.FieldErrors, bool) {
	reason, ok := conflictReason(err)
	if !ok {
		return nil, false
	}
	return domain.FieldErrors{"": reason}, true
}

// formStatus is the status of a form that comes back unsaved because of
// err: 503 when the server had no room to save it, 409 when the record's
// state refused it, 422 when fields need correcting.
func formStatus(err error) int {
	if errors.Is(err, domain.ErrStorageFull) {
		return http.StatusServiceUnavailable
	}
	if isConflict(err) {
		return http.StatusConflict
	}
	return http.StatusUnprocessableEntity
}

// mergeErrors adds the domain's messages to the parse errors, keeping the
// parse error where both speak of one field.
func mergeErrors(parsed domain.FieldErrors, err error) (domain.FieldErrors, error) {
	if err == nil && !parsed.Any() {
		return nil, nil
	}
	errs, ok := fieldErrors(err)
	if !ok && err != nil {
		return nil, err
	}
	for field, msg := range errs {
		if _, taken := parsed[field]; !taken {
			parsed[field] = msg
		}
	}
	return parsed, nil
}

// ofPath reads the id in the path parameter name and hands it to read, the
// one service call of a page about that record; a malformed id is a 404.
func ofPath[T any](c echo.Context, name string, read func(ctx context.Context, id int64) (T, error)) (T, error) {
	id, err := idParam(c, name)
	if err != nil {
		var zero T
		return zero, err
	}
	return read(c.Request().Context(), id)
}

// subscriptionParams reads the customer and subscription ids of the path.
func subscriptionParams(c echo.Context) (int64, int64, error) {
	customerID, err := idParam(c, "id")
	if err != nil {
		return 0, 0, err
	}
	id, err := idParam(c, "sid")
	return customerID, id, err
}

// listPageSize is the number of rows on one page of a list.
const listPageSize = 50

// pageParam reads ?page=N, defaulting to the first page.
func pageParam(c echo.Context) domain.Page {
	n, err := strconv.Atoi(c.QueryParam("page"))
	if err != nil || n < 1 {
		n = 1
	}
	return domain.Page{Number: n, Size: listPageSize}
}

// pager links the pages of a list at path, keeping the query values in keep.
func pager(path string, keep url.Values, page domain.Page, total int) views.Pager {
	p := views.Pager{Page: page.Number, Pages: page.PageCount(total)}
	href := func(n int) string {
		v := url.Values{}
		for k, vs := range keep {
			v[k] = vs
		}
		v.Set("page", strconv.Itoa(n))
		return path + "?" + v.Encode()
	}
	if p.Page > 1 {
		p.PrevHref = href(p.Page - 1)
	}
	if p.Page < p.Pages {
		p.NextHref = href(p.Page + 1)
	}
	return p
}

func isHTMX(c echo.Context) bool { return c.Request().Header.Get("HX-Request") == "true" }

// postValue reads a field of the request body only: a password or any other
// form field must never be taken from the URL, which proxies and history keep.
func postValue(c echo.Context, name string) string { return c.Request().PostFormValue(name) }

// localPath returns next when it is a path on this site, and fallback
// otherwise, so that a form cannot be used to send people elsewhere.
func localPath(next, fallback string) string {
	if next == "" || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.ContainsAny(next, "\\\r\n") {
		return fallback
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" {
		return fallback
	}
	return next
}

// listFilter reads the filter of a list by effective state, the one of the
// review queue and of the transfers list: ?status= one of statuses, or
// ?expiring=N (1 to maxDays) for the pending ones that expire within N days,
// which wins over the state. keep holds the valid values, for the pager.
func listFilter[S ~string](c echo.Context, statuses []S, maxDays int) (domain.ListFilter[S], url.Values) {
	f := domain.ListFilter[S]{Page: pageParam(c)}
	keep := url.Values{}
	if st := S(c.QueryParam("status")); slices.Contains(statuses, st) {
		f.Status = st
		keep.Set("status", string(st))
	}
	if days, err := strconv.Atoi(c.QueryParam("expiring")); err == nil && days > 0 && days <= maxDays {
		f = domain.ListFilter[S]{ExpiringWithin: time.Duration(days) * 24 * time.Hour, Page: f.Page}
		keep = url.Values{"expiring": {strconv.Itoa(days)}}
	}
	return f, keep
}
