package domain

import (
	"slices"
	"testing"
	"time"
)

func TestCheckAuditRequest(t *testing.T) {
	users := []User{{ID: 1, Name: "Avery"}, {ID: 2, Name: "Sam"}}
	contoso := &Customer{ID: 7, Name: "Contoso"}
	day := func(s string) time.Time { d, _ := time.Parse(DateLayout, s); return d }
	for _, tc := range []struct {
		name     string
		r        AuditRequest
		customer *Customer
		want     AuditFilter
		notices  []string
	}{
		{"nothing asked", AuditRequest{}, nil, AuditFilter{}, nil},
		{"everything good", AuditRequest{Actor: "2", Action: "sign_in", CustomerID: "7", Customer: "cont", From: "2026-11-01", To: "2026-11-30"},
			contoso, AuditFilter{ActorID: 2, Action: AuditSignIn, CustomerID: 7, Customer: "cont", From: day("2026-11-01"), To: day("2026-12-01")}, nil},
		{"an action the app does not write yet", AuditRequest{Action: "written_later"}, nil, AuditFilter{Action: "written_later"}, nil},
		{"an unknown actor", AuditRequest{Actor: "9"}, nil, AuditFilter{}, []string{"There is no partner user “9”: the actor filter was ignored."}},
		{"an actor that is not a number", AuditRequest{Actor: "abc"}, nil, AuditFilter{}, []string{"There is no partner user “abc”: the actor filter was ignored."}},
		{"not an action", AuditRequest{Action: "DROP TABLE"}, nil, AuditFilter{}, []string{"“DROP TABLE” is not an action: the action filter was ignored."}},
		{"an unknown customer", AuditRequest{CustomerID: "8"}, nil, AuditFilter{}, []string{"There is no customer “8”: the customer filter was ignored."}},
		{"a customer id that is not a number", AuditRequest{CustomerID: "-1"}, nil, AuditFilter{}, []string{"There is no customer “-1”: the customer filter was ignored."}},
		{"a search of punctuation", AuditRequest{Customer: "--"}, nil, AuditFilter{}, []string{"The customer search “--” has no letter or digit: it was ignored."}},
		{"a bad date", AuditRequest{From: "yesterday", To: "2026-11-30"}, nil, AuditFilter{To: day("2026-12-01")},
			[]string{"The start date “yesterday” is not a date in the form YYYY-MM-DD: it was ignored."}},
		{"dates out of order", AuditRequest{From: "2026-11-30", To: "2026-11-01"}, nil, AuditFilter{},
			[]string{"The range ends (2026-11-01) before it starts (2026-11-30): the dates were ignored."}},
		{"the last day of year 9999", AuditRequest{To: "9999-12-31"}, nil, AuditFilter{}, nil},
		{"every notice in the form's order", AuditRequest{Actor: "x", Action: "!", CustomerID: "y", Customer: "?", From: "z"}, nil, AuditFilter{},
			[]string{"There is no partner user “x”: the actor filter was ignored.", "“!” is not an action: the action filter was ignored.",
				"There is no customer “y”: the customer filter was ignored.", "The customer search “?” has no letter or digit: it was ignored.",
				"The start date “z” is not a date in the form YYYY-MM-DD: it was ignored."}},
	} {
		q := CheckAuditRequest(tc.r, users, tc.customer)
		if q.Filter != tc.want {
			t.Errorf("%s: filter %+v; want %+v", tc.name, q.Filter, tc.want)
		}
		if !slices.Equal(q.Notices, tc.notices) {
			t.Errorf("%s: notices %q; want %q", tc.name, q.Notices, tc.notices)
		}
	}
	if q := CheckAuditRequest(AuditRequest{To: "9999-12-31"}, nil, nil); !q.ToDay.Equal(day("9999-12-31")) {
		t.Errorf("the last day of year 9999 is not shown again: %v", q.ToDay)
	}
}
