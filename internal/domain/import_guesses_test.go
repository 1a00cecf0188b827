package domain

import (
	"strings"
	"testing"
	"time"
)

// TestCorrectGuesses holds the rule of the uploader's changes to guessed
// values. Both rows start on line 1, as the items of a JSON export saved on
// one line do: a change names its row by place, so each lands on its own.
func TestCorrectGuesses(t *testing.T) {
	today := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	e3 := Subscription{Product: "Microsoft 365 E3", ServiceType: ServiceLicence, Channel: ChannelOtherCSP, Quantity: 25}
	part := Subscription{Product: "VISIOCLIENT", ServiceType: ServiceLicence, Quantity: 3}
	rows := []BatchRow{
		{Line: 1, Subscription: e3, Guesses: []ImportGuess{GuessOf(e3, GuessChannel, "Another CSP partner", "ownerTenantId"),
			GuessOf(e3, "notes", "trial", "isTrial is true")}},
		{Line: 1, Subscription: part, Guesses: []ImportGuess{GuessOf(part, GuessProduct, "VISIOCLIENT", "not in the catalogue"),
			GuessOf(part, GuessServiceType, "Licence-based", "the catalogue")}},
	}
	key := func(row int, field string) GuessKey { return GuessKey{Row: row, Field: field} }
	fix := func(row int, field, value string) GuessCorrection { return GuessCorrection{key(row, field), value} }
	for _, tc := range []struct {
		name        string
		corrections []GuessCorrection
		check       func(rows []BatchRow) bool // on the rows returned
		refused     map[GuessKey]string        // a word of each message
	}{
		{name: "nothing to change", check: func(r []BatchRow) bool { return r[0].Subscription == e3 && r[1].Subscription == part }},
		{name: "a channel", corrections: []GuessCorrection{fix(1, GuessChannel, string(ChannelEA))},
			check: func(r []BatchRow) bool { return r[0].Subscription.Channel == ChannelEA && r[1].Subscription == part }},
		{name: "a channel not known", corrections: []GuessCorrection{fix(1, GuessChannel, "")},
			check: func(r []BatchRow) bool { return r[0].Subscription.Channel == ChannelUnknown }},
		{name: "a product, trimmed", corrections: []GuessCorrection{fix(2, GuessProduct, "  Visio Plan 2 ")},
			check: func(r []BatchRow) bool { return r[1].Subscription.Product == "Visio Plan 2" }},
		{name: "a service type", corrections: []GuessCorrection{fix(2, GuessServiceType, string(ServiceUsage))},
			check: func(r []BatchRow) bool { return r[1].Subscription.ServiceType == ServiceUsage }},
		{name: "the value it has", corrections: []GuessCorrection{fix(1, GuessChannel, string(ChannelOtherCSP))},
			check: func(r []BatchRow) bool { return r[0].Subscription == e3 }},
		{name: "an empty product, kept as typed", corrections: []GuessCorrection{fix(2, GuessProduct, " "), fix(1, GuessChannel, string(ChannelEA))},
			check: func(r []BatchRow) bool {
				return r[1].Subscription.Product == "" && r[0].Subscription.Channel == ChannelEA
			},
			refused: map[GuessKey]string{key(2, GuessProduct): "Enter the product"}},
		{name: "a product too long", corrections: []GuessCorrection{fix(2, GuessProduct, strings.Repeat("x", 201))},
			refused: map[GuessKey]string{key(2, GuessProduct): "200 characters"}},
		{name: "a channel that is not one", corrections: []GuessCorrection{fix(1, GuessChannel, "reseller")},
			refused: map[GuessKey]string{key(1, GuessChannel): "one of the channels"}},
		{name: "a service type that is not one", corrections: []GuessCorrection{fix(2, GuessServiceType, "seats")},
			refused: map[GuessKey]string{key(2, GuessServiceType): "licence-based or usage-based"}},
		{name: "a line the batch has not", corrections: []GuessCorrection{fix(9, GuessChannel, string(ChannelEA))},
			refused: map[GuessKey]string{key(9, GuessChannel): "no guessed value"}},
		{name: "a value that was not guessed", corrections: []GuessCorrection{fix(1, GuessProduct, "Office 365 E1")},
			check:   func(r []BatchRow) bool { return r[0].Subscription == e3 },
			refused: map[GuessKey]string{key(1, GuessProduct): "no guessed value"}},
		{name: "a guess the preview does not offer to change", corrections: []GuessCorrection{fix(1, "notes", "bought")},
			check:   func(r []BatchRow) bool { return r[0].Subscription == e3 },
			refused: map[GuessKey]string{key(1, "notes"): "no guessed value"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, errs := CorrectGuesses(rows, tc.corrections, today)
			if rows[0].Subscription != e3 || rows[1].Subscription != part {
				t.Fatal("CorrectGuesses changed the rows it was given")
			}
			if tc.check != nil && !tc.check(got) {
				t.Errorf("rows returned: %+v", got)
			}
			if len(errs) != len(tc.refused) {
				t.Fatalf("refused %v; want %v", errs, tc.refused)
			}
			for k, word := range tc.refused {
				if !strings.Contains(errs[k], word) {
					t.Errorf("refusal of %+v = %q; want it to say %q", k, errs[k], word)
				}
			}
		})
	}
}

func TestGuessCounts(t *testing.T) {
	e3 := Subscription{Product: "Microsoft 365 E3", Channel: ChannelOtherCSP}
	rows := []BatchRow{{Line: 1, Subscription: e3, Guesses: []ImportGuess{GuessOf(e3, GuessChannel, "Another CSP partner", "owner"),
		GuessOf(e3, GuessProduct, "Microsoft 365 E3", "SPE_E3"), GuessOf(e3, "notes", "trial", "isTrial")}}}
	if guessed, changed := GuessCounts(rows); guessed != 2 || changed != 0 {
		t.Errorf("as guessed: %d guessed, %d changed; want 2 and 0", guessed, changed)
	}
	rows[0].Subscription.Channel = ChannelEA
	if guessed, changed := GuessCounts(rows); guessed != 2 || changed != 1 || !rows[0].Changed(rows[0].Guesses[0]) || rows[0].Changed(rows[0].Guesses[1]) {
		t.Errorf("a channel changed: %d guessed, %d changed; want 2 and 1", guessed, changed)
	}
	rows[0].Subscription.Channel = ChannelOtherCSP
	if _, changed := GuessCounts(rows); changed != 0 {
		t.Errorf("a channel changed back to the guess still counts as changed")
	}
}
