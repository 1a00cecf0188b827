package domain

import (
	"reflect"
	"testing"
	"time"
)

// TestParseLooseDate covers every way of writing a date the import takes,
// in each order, and what it refuses.
func TestParseLooseDate(t *testing.T) {
	for _, tc := range []struct {
		in    string
		order DateOrder
		want  string // "" for no date; "!" for refused
	}{
		{"", DateOrderUnknown, ""},
		{"2027-07-01", DateOrderUnknown, "2027-07-01"},
		{" 2027-07-01 ", MonthFirst, "2027-07-01"},
		{"2027-07-01T00:00:00Z", DateOrderUnknown, "2027-07-01"},      // Graph's nextLifecycleDateTime
		{"2027-07-01T23:30:00-02:00", DateOrderUnknown, "2027-07-02"}, // its day in UTC
		{"2027-07-01T10:00:00", DateOrderUnknown, "2027-07-01"},
		{"2027-07-01 10:00:00", DateOrderUnknown, "2027-07-01"},
		{"31/12/2027", DayFirst, "2027-12-31"},
		{"1/7/2027", DayFirst, "2027-07-01"},
		{"01-07-2027", DayFirst, "2027-07-01"},
		{"12/31/2027", MonthFirst, "2027-12-31"},
		{"7/1/2027", MonthFirst, "2027-07-01"},
		{"31/12/2027", MonthFirst, "!"},       // no 31st month
		{"12/31/2027", DayFirst, "!"},         // no 31st month either
		{"31/12/2027", DateOrderUnknown, "!"}, // the order is the file's to decide
		{"29/02/2027", DayFirst, "!"},         // not a leap year
		{"29/02/2028", DayFirst, "2028-02-29"},
		{"01.07.2027", DateOrderUnknown, "2027-07-01"}, // dd.mm.yyyy is always day first
		{"1.7.2027", MonthFirst, "2027-07-01"},
		{"1 Jul 2027", DateOrderUnknown, "2027-07-01"},
		{"1 July 2027", DateOrderUnknown, "2027-07-01"},
		{"1 jul 2027", DateOrderUnknown, "2027-07-01"},
		{"July 1, 2027", DateOrderUnknown, "2027-07-01"},
		{"1-Jul-27", DateOrderUnknown, "2027-07-01"},
		{"46569", DateOrderUnknown, "2027-07-01"},   // Excel's serial number
		{"46569.5", DateOrderUnknown, "2027-07-01"}, // a date-time serial: its day
		{"45658", DayFirst, "2025-01-01"},
		{"250", DateOrderUnknown, "!"}, // a seat count is not a date
		{"2027/07/01", DayFirst, "!"},  // year first with slashes: not a format partners use
		{"next year", DateOrderUnknown, "!"},
		{"31/12/27", DayFirst, "!"}, // two-digit years with slashes are refused
	} {
		got, ok := ParseLooseDate(tc.in, tc.order)
		switch {
		case tc.want == "!":
			if ok {
				t.Errorf("ParseLooseDate(%q, %q) = %v, want refused", tc.in, tc.order, got)
			}
		case !ok:
			t.Errorf("ParseLooseDate(%q, %q) refused, want %s", tc.in, tc.order, tc.want)
		case tc.want == "" && got != nil, tc.want != "" && (got == nil || got.Format(DateLayout) != tc.want):
			t.Errorf("ParseLooseDate(%q, %q) = %v, want %q", tc.in, tc.order, got, tc.want)
		case got != nil && (got.Hour() != 0 || got.Location().String() != "UTC"):
			t.Errorf("ParseLooseDate(%q) = %v, not a date at midnight UTC", tc.in, got)
		}
	}
}

// TestDatesOrder: a file's numeric dates say their order as soon as one
// number is above 12; when none is, the order is ambiguous and the preview
// asks; dates that contradict each other are a conflict.
func TestDatesOrder(t *testing.T) {
	for _, tc := range []struct {
		name                string
		cells               []string
		want                DateOrder
		ambiguous, conflict bool
	}{
		{"a UK file", []string{"01/07/2027", "31/12/2026", "", "2027-01-01"}, DayFirst, false, false},
		{"a US file", []string{"07/01/2027", "12/31/2026"}, MonthFirst, false, false},
		{"every day 12 or less", []string{"01/07/2027", "12/11/2026", "3/4/2027"}, DateOrderUnknown, true, false},
		{"both ways", []string{"31/12/2026", "12/31/2026"}, DateOrderUnknown, false, true},
		{"no numeric dates", []string{"2027-07-01", "1 Jul 2027", "46569", ""}, DateOrderUnknown, false, false},
		{"nothing", nil, DateOrderUnknown, false, false},
	} {
		got, ambiguous, conflict := DatesOrder(tc.cells)
		if got != tc.want || ambiguous != tc.ambiguous || conflict != tc.conflict {
			t.Errorf("%s: DatesOrder = %q, ambiguous %v, conflict %v; want %q, %v, %v", tc.name, got, ambiguous, conflict, tc.want, tc.ambiguous, tc.conflict)
		}
	}
	for country, want := range map[string]DateOrder{"US": MonthFirst, "us": MonthFirst, "PH": MonthFirst, "GB": DayFirst, "DE": DayFirst,
		"CA": DayFirst, "": DayFirst} {
		if got := CountryDateOrder(country); got != want {
			t.Errorf("CountryDateOrder(%q) = %q, want %q", country, got, want)
		}
	}
}

func TestMonthCounterPlan(t *testing.T) {
	day := func(m time.Month, d int) time.Time { return time.Date(2026, m, d, 0, 0, 0, 0, time.UTC) }
	r := func(a, b time.Time) DateRange { return DateRange{a, b} }
	plus := func(a, b time.Time) SignedDays { return SignedDays{r(a, b), 1} }
	minus := func(a, b time.Time) SignedDays { return SignedDays{r(a, b), -1} }
	for _, tc := range []struct {
		name        string
		from, until time.Time
		want        CounterPlan
	}{
		{"whole months", day(4, 1), day(7, 1), CounterPlan{Months: r(day(4, 1), day(7, 1))}},
		{"a chart from the 4th: April less its first 3 days, and the 3 days of the next April",
			day(4, 4), day(4, 4).AddDate(1, 0, 0), CounterPlan{Months: r(day(4, 1), day(4, 1).AddDate(1, 0, 0)),
				Days: []SignedDays{minus(day(4, 1), day(4, 4)), plus(day(4, 1).AddDate(1, 0, 0), day(4, 4).AddDate(1, 0, 0))}}},
		{"cut late at both ends: April's last days, June less its last days", day(4, 28), day(6, 27), CounterPlan{Months: r(day(5, 1), day(7, 1)),
			Days: []SignedDays{plus(day(4, 28), day(5, 1)), minus(day(6, 27), day(7, 1))}}},
		{"one month, most of it", day(6, 2), day(6, 29), CounterPlan{Months: r(day(6, 1), day(7, 1)),
			Days: []SignedDays{minus(day(6, 1), day(6, 2)), minus(day(6, 29), day(7, 1))}}},
		{"one month, a few days", day(6, 10), day(6, 14), CounterPlan{Days: []SignedDays{plus(day(6, 10), day(6, 14))}}},
		{"one day at a month's end", day(6, 30), day(7, 1), CounterPlan{Days: []SignedDays{plus(day(6, 30), day(7, 1))}}},
		{"across one boundary, the days", day(4, 17), day(5, 10), CounterPlan{Months: r(day(5, 1), day(5, 1)),
			Days: []SignedDays{plus(day(4, 17), day(5, 1)), plus(day(5, 1), day(5, 10))}}},
		{"empty", day(6, 10), day(6, 10), CounterPlan{}},
	} {
		if got := MonthCounterPlan(tc.from, tc.until); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: %+v, want %+v", tc.name, got, tc.want)
		}
	}
}
