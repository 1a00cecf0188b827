package domain

import (
	"slices"
	"testing"
	"time"
)

func TestPageOf(t *testing.T) {
	items := []int{1, 2, 3, 4, 5}
	for _, tc := range []struct {
		page Page
		want []int
	}{
		{Page{Number: 1, Size: 2}, []int{1, 2}},
		{Page{Number: 3, Size: 2}, []int{5}},
		{Page{Number: 4, Size: 2}, []int{}},
		{Page{Number: 0, Size: 50}, items},
	} {
		if got := PageOf(items, tc.page); !slices.Equal(got, tc.want) {
			t.Errorf("PageOf(%+v) = %v, want %v", tc.page, got, tc.want)
		}
	}
}

// TestGDAPRowShowsTheNextEnd holds the list's row: an auto-extending
// relationship past its first end shows the rolled-forward end, and is
// ending soon exactly as the dashboard's rule says.
func TestGDAPRowShowsTheNextEnd(t *testing.T) {
	activated := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	g := GDAPRequest{Status: GDAPActive, GDAPTerms: GDAPTerms{Days: 365, AutoExtend: true}, ActivatedAt: &activated}
	rolled := activated.AddDate(0, 0, 365+GDAPAutoExtendDays)
	for _, tc := range []struct {
		now  time.Time
		soon bool
		days int
	}{
		{rolled.AddDate(0, 0, -10), true, 10},
		{rolled.AddDate(0, 0, -GDAPEndingSoonDays), true, 30},
		{rolled.AddDate(0, 0, -GDAPEndingSoonDays).Add(-time.Nanosecond), false, 31},
	} {
		r := g.Row(tc.now)
		if r.Status != GDAPActive || r.EndsAt == nil || !r.EndsAt.Equal(rolled) || r.DaysLeft != tc.days || r.EndsSoon != tc.soon {
			t.Errorf("at %s: %+v", tc.now, r)
		}
		if ending := GDAPEndingWithin([]GDAPRequest{g}, tc.now, GDAPEndingSoonDays); (len(ending) == 1) != tc.soon {
			t.Errorf("at %s the dashboard's rule says %v", tc.now, ending)
		}
	}
}
