package domain

import (
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// This file holds the one rule for what the app keeps as text (DESIGN §6):
// every form field and every cell of an uploaded file passes CleanText once,
// at the boundary, before anything else reads it.

// multiLineFields are the fields that may hold line breaks and tabs, by the
// name they have in forms, in FieldErrors and as a column of the inventory
// file: the text areas of the forms and the notes column. Every other field
// is one line.
var multiLineFields = []string{
	"notes",       // a subscription's notes (form and inventory file)
	"invite_body", // the invitation template's message (settings)
	"body",        // an invitation draft's message
	"line_items",  // what a licence transfer moves
	"moved_note",  // what was moved off an Azure subscription
	"services",    // the Azure services cancelled, one a line
}

// IsMultiLine reports whether the field called name may span lines.
func IsMultiLine(name string) bool { return slices.Contains(multiLineFields, name) }

// TextError says why a value is not text the app keeps. Its message is a
// phrase without a subject, so that callers can put the field's name in
// front: "Product " + err.Error().
type TextError struct {
	// NotUTF8 is set when the value is not UTF-8 at all, such as a file
	// saved by a spreadsheet in a Windows code page.
	NotUTF8 bool
	// Char is otherwise the first character refused.
	Char rune
}

func (e *TextError) Error() string {
	switch {
	case e.NotUTF8:
		return "is not UTF-8 text"
	case e.Char == '\n' || e.Char == '\r':
		return "holds a line break, but must be one line"
	case e.Char == '\t':
		return "holds a tab, but must be one line of text"
	case e.Char == 0:
		return "holds a NUL character (U+0000)"
	}
	return fmt.Sprintf("holds the control character U+%04X", e.Char)
}

// CleanText returns value as the app keeps it, or a *TextError saying why it
// cannot. Text is valid UTF-8 without control characters (Unicode's Cc:
// C0, DEL and C1); a multi-line field may also hold tabs and line breaks.
// Its line breaks are kept as LF, whether they came as CRLF (what browsers
// send from a text area), LF or a lone CR, because CSV readers, Go's
// encoding/csv among them, keep only the LF of a CRLF inside a quoted cell
// and the export writes LF as CRLF: a CR of its own would not come back
// through the inventory file. A one-line field refuses CR and LF.
func CleanText(value string, multiLine bool) (string, error) {
	if !utf8.ValidString(value) {
		return "", &TextError{NotUTF8: true}
	}
	if multiLine && strings.ContainsRune(value, '\r') {
		value = strings.ReplaceAll(strings.ReplaceAll(value, "\r\n", "\n"), "\r", "\n")
	}
	for _, r := range value {
		if unicode.IsControl(r) && !(multiLine && (r == '\n' || r == '\t')) {
			return "", &TextError{Char: r}
		}
	}
	return value, nil
}
