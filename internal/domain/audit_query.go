package domain

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// AuditRequest is the audit log's filters as a link or the filter form asks
// for them, as typed: the actor's user id, an action, a customer's id, words
// of a customer's name or domain, and the first and last days (YYYY-MM-DD).
type AuditRequest struct {
	Actor, Action, CustomerID, Customer, From, To string
}

// AuditQuery is an audit request checked: the filter it makes, the days it
// asks for as the form shows them again, and, for every value left out, a
// notice that says why, so that a bad link still shows the log.
type AuditQuery struct {
	Filter  AuditFilter
	FromDay time.Time // the first day included; zero for none
	ToDay   time.Time // the last day included; zero for none
	Notices []string
}

// auditActionPattern is what an action code looks like; the filter accepts
// one the app does not write (yet), so that a link to an older or newer
// action still filters.
var auditActionPattern = regexp.MustCompile(`^[a-z][a-z_]{0,63}$`)

// AuditCustomerID reads the customer id of an audit request; ok is false for
// anything but a positive number.
func AuditCustomerID(v string) (id int64, ok bool) {
	id, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
	return id, err == nil && id > 0
}

// CheckAuditRequest checks r: the actor must be one of users, the customer
// id must name customer (nil when it names none), an action must look like
// one, the customer search must hold a letter or a digit, the dates must be
// dates in order. What does not pass is left out with its notice, in the
// order of the form.
func CheckAuditRequest(r AuditRequest, users []User, customer *Customer) AuditQuery {
	var q AuditQuery
	notice := func(format string, args ...any) { q.Notices = append(q.Notices, fmt.Sprintf(format, args...)) }

	if v := strings.TrimSpace(r.Actor); v != "" {
		id, _ := strconv.ParseInt(v, 10, 64)
		if slices.ContainsFunc(users, func(u User) bool { return id != 0 && u.ID == id }) {
			q.Filter.ActorID = id
		} else {
			notice("There is no partner user “%s”: the actor filter was ignored.", v)
		}
	}
	if v := strings.TrimSpace(r.Action); v != "" {
		if auditActionPattern.MatchString(v) {
			q.Filter.Action = AuditAction(v)
		} else {
			notice("“%s” is not an action: the action filter was ignored.", v)
		}
	}
	if v := strings.TrimSpace(r.CustomerID); v != "" {
		if id, ok := AuditCustomerID(v); ok && customer != nil && customer.ID == id {
			q.Filter.CustomerID = id
		} else {
			notice("There is no customer “%s”: the customer filter was ignored.", v)
		}
	}
	if v := strings.TrimSpace(r.Customer); v != "" {
		if strings.IndexFunc(v, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) >= 0 {
			q.Filter.Customer = v
		} else {
			notice("The customer search “%s” has no letter or digit: it was ignored.", v)
		}
	}

	day := func(v, label string) (time.Time, bool) {
		if v = strings.TrimSpace(v); v == "" {
			return time.Time{}, false
		}
		d, err := time.Parse(DateLayout, v)
		if err != nil {
			notice("The %s date “%s” is not a date in the form YYYY-MM-DD: it was ignored.", label, v)
			return time.Time{}, false
		}
		return d, true
	}
	from, fromOK := day(r.From, "start")
	to, toOK := day(r.To, "end")
	if fromOK && toOK && to.Before(from) {
		notice("The range ends (%s) before it starts (%s): the dates were ignored.", to.Format(DateLayout), from.Format(DateLayout))
		fromOK, toOK = false, false
	}
	if fromOK {
		q.FromDay, q.Filter.From = from, from
	}
	if toOK {
		q.ToDay = to
		// The last day is included: the range ends at the next midnight,
		// unless that is past year 9999, which the stored times cannot
		// reach (and whose five digits would not sort as text).
		if end := to.AddDate(0, 0, 1); end.Year() <= 9999 {
			q.Filter.To = end
		}
	}
	return q
}

// AuditCountCap is how far the audit log counts the entries a filter
// matches: the log only grows, and counting a million entries on every
// view would cost more than the page itself. Past it the page says "more
// than" (AuditLog.MoreThan).
const AuditCountCap = 10_000

// AuditLog is one page of the audit log with the query that chose it.
type AuditLog struct {
	Query    AuditQuery
	Actors   []User    // the partner users the actor filter offers
	Customer *Customer // the customer the query's customer id names; nil for none
	Rows     []AuditRow
	// Total counts the entries the query matches, up to AuditCountCap + 1.
	Total int
}

// MoreThan reports whether the query matches more entries than
// AuditCountCap, which Total then does not tell.
func (l AuditLog) MoreThan() bool { return l.Total > AuditCountCap }
