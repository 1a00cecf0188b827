package domain

import (
	"errors"
	"testing"
)

func TestCleanText(t *testing.T) {
	tests := []struct {
		name      string
		in        string
		multiLine bool
		want      string // when refused: the message
		refused   bool
	}{
		{"plain", "Microsoft 365 E3", false, "Microsoft 365 E3", false},
		{"empty", "", false, "", false},
		{"accents and CJK", "Café 日本語 🚀", false, "Café 日本語 🚀", false},
		{"invalid UTF-8", "\xff\xfe", false, "is not UTF-8 text", true},
		{"invalid UTF-8, multi-line", "a\n\xe9", true, "is not UTF-8 text", true},
		{"NUL", "a\x00b", false, "holds a NUL character (U+0000)", true},
		{"NUL, multi-line", "a\x00b", true, "holds a NUL character (U+0000)", true},
		{"escape", "a\x1b[31m", false, "holds the control character U+001B", true},
		{"bell, multi-line", "a\ab", true, "holds the control character U+0007", true},
		{"DEL", "a\x7f", false, "holds the control character U+007F", true},
		{"C1", "a\u0085b", true, "holds the control character U+0085", true},
		{"LF, one line", "Hello\nBcc: x@example.com", false, "holds a line break, but must be one line", true},
		{"CRLF, one line", "Hello\r\nBcc: x@example.com", false, "holds a line break, but must be one line", true},
		{"lone CR, one line", "0\r0", false, "holds a line break, but must be one line", true},
		{"tab, one line", "a\tb", false, "holds a tab, but must be one line of text", true},
		{"LF, multi-line", "one\ntwo", true, "one\ntwo", false},
		{"CRLF, multi-line", "one\r\ntwo\r\n", true, "one\ntwo\n", false},
		{"lone CR, multi-line", "0\r0", true, "0\n0", false},
		{"CR CR LF, multi-line", "a\r\r\nb", true, "a\n\nb", false},
		{"tab, multi-line", "a\tb", true, "a\tb", false},
		{"format characters are text", "a\u200db\u202e", false, "a\u200db\u202e", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := CleanText(tt.in, tt.multiLine)
			var te *TextError
			switch {
			case tt.refused && !errors.As(err, &te):
				t.Fatalf("CleanText(%q) = %q, %v; want a *TextError", tt.in, got, err)
			case tt.refused && err.Error() != tt.want:
				t.Errorf("message %q, want %q", err, tt.want)
			case !tt.refused && (err != nil || got != tt.want):
				t.Errorf("CleanText(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
			}
			if !tt.refused {
				if again, _ := CleanText(got, tt.multiLine); again != got {
					t.Errorf("not idempotent: %q, then %q", got, again)
				}
			}
		})
	}
}

func TestIsMultiLine(t *testing.T) {
	for _, name := range []string{"notes", "invite_body", "body", "line_items", "moved_note", "services"} {
		if !IsMultiLine(name) {
			t.Errorf("%s is a text area", name)
		}
	}
	for _, name := range []string{"product", "subject", "invite_subject", "name", "reason", "reference", "password"} {
		if IsMultiLine(name) {
			t.Errorf("%s is one line", name)
		}
	}
}
