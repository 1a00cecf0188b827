package domain

import (
	"strconv"
	"strings"
	"time"
)

// DateOrder is how the dates of an uploaded file write day and month when
// they are numbers on both sides of a slash: 03/04/2027 is 3 April
// day-first and 4 March month-first.
type DateOrder string

// The orders; the empty DateOrder is not decided yet.
const (
	DateOrderUnknown DateOrder = ""
	DayFirst         DateOrder = "dmy"
	MonthFirst       DateOrder = "mdy"
)

// DateOrders lists the orders a user can choose.
var DateOrders = []DateOrder{DayFirst, MonthFirst}

// Valid reports whether o is a known order.
func (o DateOrder) Valid() bool { return o == DayFirst || o == MonthFirst }

// Label is the order's name for people.
func (o DateOrder) Label() string {
	switch o {
	case DayFirst:
		return "Day first (31/12/2027)"
	case MonthFirst:
		return "Month first (12/31/2027)"
	}
	return "Recognise from the file"
}

// monthFirstCountries write numeric dates month first (ISO 3166-1 alpha-2);
// everywhere else day first is usual.
var monthFirstCountries = map[string]bool{"US": true, "PH": true, "FM": true, "MH": true, "PW": true, "BZ": true,
	"GU": true, "AS": true, "MP": true, "PR": true, "VI": true, "UM": true}

// CountryDateOrder is the order numeric dates are usually written in the
// country: the proposal for a file whose dates fit either order.
func CountryDateOrder(country string) DateOrder {
	if monthFirstCountries[strings.ToUpper(strings.TrimSpace(country))] {
		return MonthFirst
	}
	return DayFirst
}

// slashParts splits a date written with slashes (or hyphens) as two
// numbers then a four-digit year, such as 31/12/2027 or 1-7-2027; ok is
// false for anything else, ISO dates included.
func slashParts(s string) (a, b, year int, ok bool) {
	s = strings.TrimSpace(s)
	sep := "/"
	if !strings.Contains(s, "/") {
		sep = "-"
	}
	parts := strings.Split(s, sep)
	if len(parts) != 3 || len(parts[2]) != 4 || len(parts[0]) > 2 || len(parts[1]) > 2 {
		return 0, 0, 0, false
	}
	nums := make([]int, 3)
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 {
			return 0, 0, 0, false
		}
		nums[i] = n
	}
	return nums[0], nums[1], nums[2], true
}

// DatesOrder reads from a file's date cells which order their numeric
// dates follow: a first number above 12 can only be a day, a second above
// 12 only a day too. It returns the order the cells show, or
// DateOrderUnknown with ambiguous true when every such date fits both (or
// there is none: then nothing is to decide) and conflict true when some fit
// only one order and others only the other.
func DatesOrder(cells []string) (order DateOrder, ambiguous, conflict bool) {
	var dayFirst, monthFirst, any bool
	for _, c := range cells {
		a, b, _, ok := slashParts(c)
		if !ok {
			continue
		}
		any = true
		dayFirst = dayFirst || (a > 12 && b <= 12)
		monthFirst = monthFirst || (b > 12 && a <= 12)
	}
	switch {
	case dayFirst && monthFirst:
		return DateOrderUnknown, false, true
	case dayFirst:
		return DayFirst, false, false
	case monthFirst:
		return MonthFirst, false, false
	}
	return DateOrderUnknown, any, false
}

// excelEpoch is day 0 of Excel's serial dates in its 1900 system (the 30th
// of December 1899, which absorbs Excel's phantom 29 February 1900).
var excelEpoch = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)

// Excel serial numbers the parser takes as dates: 1 January 1960 to 31
// December 2149, so that a seat count is never read as a date by mistake
// in a date column.
const (
	minExcelSerial = 21916
	maxExcelSerial = 91310
)

// textDateLayouts are the written-out dates the parser reads, after ISO.
var textDateLayouts = []string{"2 Jan 2006", "2 January 2006", "Jan 2, 2006", "January 2, 2006", "2-Jan-2006", "2-Jan-06",
	"02.01.2006", "2.1.2006"}

// ParseLooseDate reads a date as partners' files write it: ISO
// (2027-07-01), a date-time such as Microsoft Graph's nextLifecycleDateTime
// (2027-07-01T00:00:00Z: its date in UTC), numbers with slashes or hyphens
// in order o (31/12/2027 day first, 12/31/2027 month first), dd.mm.yyyy,
// "1 Jul 2027", "July 1, 2027", and Excel serial numbers (46569 is
// 2027-07-01). Empty is no date. ok is false for anything else, and for a
// numeric date that does not fit o, or any slash date while o is unknown.
func ParseLooseDate(s string, o DateOrder) (*time.Time, bool) {
	if t, ok := ParseDate(s); ok {
		return t, true
	}
	s = strings.TrimSpace(s)
	day := func(t time.Time) (*time.Time, bool) {
		d := Day(t)
		return &d, true
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02T15:04"} {
		if t, err := time.Parse(layout, s); err == nil {
			return day(t)
		}
	}
	if a, b, y, ok := slashParts(s); ok {
		d, m := a, b
		switch o {
		case MonthFirst:
			d, m = b, a
		case DayFirst:
		default:
			return nil, false
		}
		t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
		if m < 1 || m > 12 || t.Day() != d {
			return nil, false
		}
		return &t, true
	}
	for _, layout := range textDateLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return day(t)
		}
	}
	if n, err := strconv.ParseFloat(s, 64); err == nil && n >= minExcelSerial && n < maxExcelSerial+1 {
		return day(excelEpoch.AddDate(0, 0, int(n)))
	}
	return nil, false
}

// DateRange is the days from From up to Until, Until left out.
type DateRange struct{ From, Until time.Time }

// SignedDays are days whose counts a sum adds (Sign 1) or takes off (-1).
type SignedDays struct {
	DateRange
	Sign int
}

// CounterPlan is how a count over a range of days is read from counters
// kept by day and by month: the whole months of Months, plus or minus the
// days of Days.
type CounterPlan struct {
	Months DateRange
	Days   []SignedDays
}

// MonthCounterPlan reads the days from from up to until (midnight UTC) from
// as few counters as it can: a month the range covers whole is one monthly
// counter; a month it cuts is either its days inside the range, added, or
// its whole month less its days outside, whichever reads fewer days.
func MonthCounterPlan(from, until time.Time) CounterPlan {
	monthOf := func(t time.Time) time.Time { return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC) }
	days := func(a, b time.Time) int { return int(b.Sub(a).Hours() / 24) }
	var p CounterPlan
	if !from.Before(until) {
		return p
	}
	first := monthOf(from)
	if last := monthOf(until.AddDate(0, 0, -1)); first.Equal(last) {
		// One month, cut at one end or both.
		next := first.AddDate(0, 1, 0)
		if from.Equal(first) && until.Equal(next) {
			p.Months = DateRange{first, next}
		} else if outside := days(first, from) + days(until, next); outside < days(from, until) {
			p.Months = DateRange{first, next}
			p.Days = appendDays(p.Days, DateRange{first, from}, -1)
			p.Days = appendDays(p.Days, DateRange{until, next}, -1)
		} else {
			p.Days = appendDays(p.Days, DateRange{from, until}, 1)
		}
		return p
	}
	p.Months = DateRange{first, monthOf(until)}
	if !from.Equal(first) {
		next := first.AddDate(0, 1, 0)
		if days(first, from) < days(from, next) {
			p.Days = appendDays(p.Days, DateRange{first, from}, -1)
		} else {
			p.Months.From = next
			p.Days = appendDays(p.Days, DateRange{from, next}, 1)
		}
	}
	if last := monthOf(until); !until.Equal(last) {
		next := last.AddDate(0, 1, 0)
		if days(until, next) < days(last, until) {
			p.Months.Until = next
			p.Days = appendDays(p.Days, DateRange{until, next}, -1)
		} else {
			p.Days = appendDays(p.Days, DateRange{last, until}, 1)
		}
	}
	return p
}

// appendDays appends the days of r with sign, unless r is empty.
func appendDays(list []SignedDays, r DateRange, sign int) []SignedDays {
	if !r.From.Before(r.Until) {
		return list
	}
	return append(list, SignedDays{r, sign})
}
