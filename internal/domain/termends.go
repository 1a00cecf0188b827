package domain

import (
	"slices"
	"time"
)

// TermEndChannels returns the channels whose licence-based subscriptions wait
// for their term end, as Classify decides for a customer that is not a CSP
// partner. The planner's queries select by these, so the store follows the
// rules instead of repeating them. Only licences are asked about because only
// they have a term end (see Subscription.Term).
func TermEndChannels() []Channel {
	var channels []Channel
	for _, ch := range Channels {
		if k := (ClassKey{Channel: ch, ServiceType: ServiceLicence}); Classify(k, false, Rules{}).Workflow == WorkflowWaitTermEnd {
			channels = append(channels, ch)
		}
	}
	return channels
}

// TermEndWindows are the windows the term-end planner offers, in days from
// today.
var TermEndWindows = []int{30, 60, 90, 365}

// DefaultTermEndWindow is the window shown when none is asked for: a
// quarter ahead, long enough to get a relationship accepted in time.
const DefaultTermEndWindow = 90

// TermEndWindow reads the planner's window from a number of days, falling
// back to the default for anything that is not offered, so that a hand-typed
// URL cannot ask for an unbounded range.
func TermEndWindow(days int) int {
	if slices.Contains(TermEndWindows, days) {
		return days
	}
	return DefaultTermEndWindow
}

// TermEndSoonDays is how close a term end is flagged as soon: a relationship
// not active by then is unlikely to be in time for the replacement.
const TermEndSoonDays = 30

// ChartMonths is how many months the planner's chart covers, the current
// month first.
const ChartMonths = 12

// TermEndQuery selects the licences that wait for their term end, with a
// term end on a date from From up to but not including Until, one page at a
// time. Customers that are CSP partners are never selected: nothing of theirs
// is eligible.
type TermEndQuery struct {
	ServiceType ServiceType
	Channels    []Channel
	From        time.Time // a date at midnight UTC
	Until       time.Time // a date at midnight UTC, excluded
	Page        Page
}

// Day is the start of t's day in UTC, the form dates such as term ends are
// stored in.
func Day(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// LatestToday is the end of today anywhere on Earth, 14 hours after UTC's
// in the easternmost time zones: a date a user east of UTC enters as today
// is not "in the future".
func LatestToday(now time.Time) time.Time { return now.Add(14 * time.Hour) }

// termEndQuery selects the licences that wait for the term end, with a term
// end from today's date up to but not including until.
func termEndQuery(today, until time.Time) TermEndQuery {
	return TermEndQuery{ServiceType: ServiceLicence, Channels: TermEndChannels(), From: Day(today), Until: until}
}

// TermEndsWithin selects the term ends in the next days days, today and the
// last day included, so that "the next 30 days" shows 30 days left.
func TermEndsWithin(today time.Time, days int, page Page) TermEndQuery {
	q := termEndQuery(today, Day(today).AddDate(0, 0, days+1))
	q.Page = page
	return q
}

// chartStart is the first day of today's month.
func chartStart(today time.Time) time.Time {
	y, m, _ := today.UTC().Date()
	return time.Date(y, m, 1, 0, 0, 0, 0, time.UTC)
}

// TermEndChartQuery selects the term ends the chart counts: from today to the
// end of the eleventh month after this one. Term ends earlier this month
// have passed and no longer wait, so they are left out.
func TermEndChartQuery(today time.Time) TermEndQuery {
	return termEndQuery(today, chartStart(today).AddDate(0, ChartMonths, 0))
}

// TermEndItem is a licence waiting for its term end, with its customer and
// where the customer's reseller relationship stands: without an active one
// the replacement cannot be bought through us.
type TermEndItem struct {
	Customer     Customer
	Subscription Subscription
	// Relationship is the effective state of the customer's newest open
	// request (pending, accepted or active; expired once a pending one is
	// past its expiry), or "" when it has none.
	Relationship RelationshipStatus
}

// RelationshipActive says whether the customer's reseller relationship is
// active.
func (i TermEndItem) RelationshipActive() bool { return i.Relationship == StatusActive }

// RelationshipWaiting says, in the planner, where the customer's open
// request stands while it is not active: sent and waiting for the customer,
// or accepted and waiting for verification in Partner Center; "" when there is nothing to wait
// for and an invitation is what comes next.
func (i TermEndItem) RelationshipWaiting() string {
	switch i.Relationship {
	case StatusPending:
		return "Invitation sent, waiting for the customer"
	case StatusAccepted:
		return "Accepted, waiting for verification in Partner Center"
	}
	return ""
}

// Classification is what Classify says of the item, for checking that the
// store selected only what waits for the term end.
func (i TermEndItem) Classification() Classification {
	return Classify(i.Subscription.Key(), i.Customer.IsCSPPartner, Rules{})
}

// TermEndRow is a licence waiting for its term end, with the days left from
// today: one row of the term-end planner and of its export.
type TermEndRow struct {
	TermEndItem
	DaysLeft int
}

// Soon reports whether the term ends within TermEndSoonDays, when the
// relationship is urgent.
func (r TermEndRow) Soon() bool { return r.DaysLeft <= TermEndSoonDays }

// TermEndsPage is what the term-end planner's page shows: one page of the
// licences whose term ends within the window, how many there are in all, and
// the term ends of the months ahead, whatever the window.
type TermEndsPage struct {
	Days   int // the window shown, in days: one of TermEndWindows
	Rows   []TermEndRow
	Total  int
	Months []MonthCount // ChartMonths months, the current one first
}

// DateCount is how many term ends fall on one date.
type DateCount struct {
	Date  time.Time
	Count int
}

// MonthCount is how many term ends fall in one month.
type MonthCount struct {
	Month time.Time // the first day of the month, midnight UTC
	Count int
}

// Key names the month as YYYY-MM.
func (m MonthCount) Key() string { return m.Month.Format("2006-01") }

// TermEndMonths buckets counts by date into the ChartMonths months from
// today's month on, the current month first; every month is present, with
// zero when nothing ends in it, and dates outside the months are ignored.
func TermEndMonths(today time.Time, days []DateCount) []MonthCount {
	start := chartStart(today)
	months := make([]MonthCount, ChartMonths)
	for i := range months {
		months[i].Month = start.AddDate(0, i, 0)
	}
	for _, d := range days {
		y, m, _ := d.Date.Date()
		i := (y-start.Year())*12 + int(m) - int(start.Month())
		if i >= 0 && i < ChartMonths {
			months[i].Count += d.Count
		}
	}
	return months
}
