package domain

import (
	"strconv"
	"strings"
	"time"
)

// The fields of an imported row whose guessed value the uploader may change
// in the preview before confirming. Other guesses (a note that a
// subscription is a trial, say) are shown with their basis but stay.
const (
	GuessProduct     = "product"
	GuessChannel     = "channel"
	GuessServiceType = "service_type"
)

// ImportGuess is a value an import chose for a field of a row without the
// file saying it outright (a channel from an owner tenant, a product from a
// SKU part number), and why, for the preview to mark and the uploader to
// check. Field is the inventory field it fills, Value the value as people
// read it and Basis what it is based on. Original is the field's value as
// the import set it, kept so that a change by the uploader can be told from
// the guess; it is "" for a field the preview cannot change.
type ImportGuess struct {
	Field    string
	Value    string
	Basis    string
	Original string
}

// GuessOf is the guess of field made for s as the import left it, with its
// value for people and its basis.
func GuessOf(s Subscription, field, value, basis string) ImportGuess {
	original, _ := guessable(s, field)
	return ImportGuess{Field: field, Value: value, Basis: basis, Original: original}
}

// String reads as "channel: Another CSP partner, because …".
func (g ImportGuess) String() string {
	return g.Field + ": " + g.Value + ", because " + g.Basis
}

// Correctable reports whether the uploader may change the guessed value in
// the preview.
func (g ImportGuess) Correctable() bool {
	_, ok := guessable(Subscription{}, g.Field)
	return ok
}

// guessable returns the value of a field of s the preview lets the uploader
// change (a code for a channel or a service type), and false for any other
// field.
func guessable(s Subscription, field string) (string, bool) {
	switch field {
	case GuessProduct:
		return s.Product, true
	case GuessChannel:
		return string(s.Channel), true
	case GuessServiceType:
		return string(s.ServiceType), true
	}
	return "", false
}

// BatchRow is one row of an import batch: its line in the file, the
// subscription it adds and what the import guessed of it.
type BatchRow struct {
	Line         int
	Subscription Subscription
	Guesses      []ImportGuess
}

// Changed reports whether the uploader changed the guessed value g of r.
func (r BatchRow) Changed(g ImportGuess) bool {
	v, ok := guessable(r.Subscription, g.Field)
	return ok && v != g.Original
}

// guess returns r's guess of field.
func (r BatchRow) guess(field string) (ImportGuess, bool) {
	for _, g := range r.Guesses {
		if g.Field == field {
			return g, true
		}
	}
	return ImportGuess{}, false
}

// GuessKey names one guessed value of a batch: its row, by its place in the
// batch counted from 1, and its field. Rows are named by place rather than
// by line, because the items of a JSON export saved on one line all start
// on line 1.
type GuessKey struct {
	Row   int
	Field string
}

// GuessCorrection is the value the uploader gave a guessed field in the
// preview, as typed: a product's name, or the code of a channel or a service
// type ("" for not known).
type GuessCorrection struct {
	GuessKey
	Value string
}

// CorrectionErrors are the corrections refused, each with its message for
// people under the key of the value it would have changed.
type CorrectionErrors map[GuessKey]string

// Error names the values refused, so CorrectionErrors can travel as an error.
func (e CorrectionErrors) Error() string {
	keys := make([]string, 0, len(e))
	for k := range e {
		keys = append(keys, "row "+strconv.Itoa(k.Row)+" "+k.Field)
	}
	return "guessed values refused: " + strings.Join(keys, ", ")
}

// errNoGuess refuses a correction of a value that is not a guess the
// preview offers to change: only a forged or outdated form sends one.
const errNoGuess = "There is no guessed value here to change: show the preview again and change the values it offers."

// CorrectGuesses applies the uploader's corrections to the rows of a batch
// in preview. A correction may change only a guessed product, channel or
// service type of a row the batch has, and the row must still be a valid
// subscription (Subscription.Validate at today): a product may not be
// empty, a channel or service type must be one or not known. The rows
// returned hold every correction as typed, refused ones too, so that the
// preview can show them again beside their messages; they are to be kept
// only when no correction was refused. rows is not changed.
func CorrectGuesses(rows []BatchRow, corrections []GuessCorrection, today time.Time) ([]BatchRow, CorrectionErrors) {
	out := make([]BatchRow, len(rows))
	copy(out, rows)
	errs := CorrectionErrors{}
	for _, c := range corrections {
		i := c.Row - 1
		if i < 0 || i >= len(out) {
			errs[c.GuessKey] = errNoGuess
			continue
		}
		if g, ok := out[i].guess(c.Field); !ok || !g.Correctable() {
			errs[c.GuessKey] = errNoGuess
			continue
		}
		sub := &out[i].Subscription
		switch c.Field {
		case GuessProduct:
			sub.Product = strings.TrimSpace(c.Value)
		case GuessChannel:
			sub.Channel = Channel(c.Value)
		case GuessServiceType:
			sub.ServiceType = ServiceType(c.Value)
		}
		if msg, refused := sub.Validate(today)[c.Field]; refused {
			errs[c.GuessKey] = msg
		}
	}
	if len(errs) == 0 {
		return out, nil
	}
	return out, errs
}

// GuessCounts counts the guessed values of rows the uploader may change and
// how many of them they changed, for the import's audit entry.
func GuessCounts(rows []BatchRow) (correctable, changed int) {
	for _, r := range rows {
		for _, g := range r.Guesses {
			if g.Correctable() {
				correctable++
				if r.Changed(g) {
					changed++
				}
			}
		}
	}
	return correctable, changed
}
