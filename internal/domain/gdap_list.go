package domain

import "time"

// This file is the GDAP list across customers: partner staff see there
// which customers' admin roles are about to end, to ask for a new GDAP
// relationship in time.

// GDAPStatuses are the states of a GDAP request in the order the GDAP
// list's chips show them.
var GDAPStatuses = []GDAPStatus{GDAPCreated, GDAPApprovalPending, GDAPActive, GDAPExpired, GDAPLapsed, GDAPTerminated}

// GDAPFilter selects GDAP requests for the list: those in one effective
// state (all when Status is empty), newest first, or with Ending the active
// relationships ending within GDAPEndingSoonDays, soonest first, as the
// dashboard counts them.
type GDAPFilter struct {
	Status GDAPStatus
	Ending bool
	Page   Page
}

// GDAPRow is a GDAP request as the list shows it at a time.
type GDAPRow struct {
	Request GDAPRequest
	Status  GDAPStatus // effective when read
	// EndsAt is the next end of an active relationship (rolled forward
	// while it auto-extends) or the end of an expired one; nil otherwise.
	EndsAt   *time.Time
	DaysLeft int  // whole days from today to EndsAt while active; 0 otherwise
	EndsSoon bool // active and ending within GDAPEndingSoonDays, as the dashboard counts it
}

// Row returns g as the list shows it at now.
func (g GDAPRequest) Row(now time.Time) GDAPRow {
	r := GDAPRow{Request: g, Status: g.Effective(now)}
	if r.Status == GDAPActive || r.Status == GDAPExpired {
		r.EndsAt = g.EndsAt(now)
	}
	if r.Status == GDAPActive && r.EndsAt != nil {
		r.DaysLeft = DaysLeft(*r.EndsAt, now)
	}
	_, r.EndsSoon = g.endsBy(now, now.AddDate(0, 0, GDAPEndingSoonDays))
	return r
}

// endsBy is the next end at now of g, and whether g is active with that
// end not after limit: the one rule of "ending soon" of the dashboard's
// card and the list.
func (g GDAPRequest) endsBy(now, limit time.Time) (time.Time, bool) {
	if g.Effective(now) != GDAPActive {
		return time.Time{}, false
	}
	end := g.EndsAt(now)
	if end == nil || end.After(limit) {
		return time.Time{}, false
	}
	return *end, true
}

// GDAPList is one page of the GDAP list with the counts of its chips.
type GDAPList struct {
	Rows   []GDAPRow
	Total  int                // rows the filter selects, on every page
	Counts map[GDAPStatus]int // every request by effective state
	All    int
	Ending int // active ones ending within GDAPEndingSoonDays: the dashboard's count
}

// PageOf is the part of items on page p, for a list the domain finished
// itself.
func PageOf[T any](items []T, p Page) []T {
	from := min(p.Offset(), len(items))
	return items[from:min(from+p.Size, len(items))]
}
