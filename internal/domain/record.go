package domain

import (
	"cmp"
	"slices"
	"time"
)

// OnboardingRecord is a customer's onboarding record: what was agreed with
// the customer and where each of its subscriptions stands, read once for the
// printable page, its JSON and its CSV. Every state in it is the effective
// state at Produced.
type OnboardingRecord struct {
	Overview      CustomerOverview     // the customer, with what its heading shows
	Partner       Partner              // us, as the record names the partner
	Relationship  *RecordRelationship  // nil when no request is open or in force
	Subscriptions []RecordSubscription // every subscription of the plan, group by group
	Transfers     []TransferRow        // every Azure transfer request, oldest first, in its state when produced; none offers a change
	TermEndsAhead []PlanItem           // the licences whose term has not ended, soonest first
	Produced      time.Time
}

// Customer is the customer the record is of.
func (r OnboardingRecord) Customer() Customer { return r.Overview.Customer }

// RelationshipStatus is the effective state of the relationship, or empty
// when there is none.
func (r OnboardingRecord) RelationshipStatus() RelationshipStatus {
	if r.Relationship == nil {
		return ""
	}
	return r.Relationship.Status
}

// RecordRelationship is the customer's reseller relationship request in
// force or under way, with the window of the admin roles it grants.
type RecordRelationship struct {
	Request RelationshipRequest
	Status  RelationshipStatus // effective when the record was produced
	// RolesGranted says the customer granted the requested admin roles; they
	// run from RolesFrom until RolesUntil.
	RolesGranted          bool
	RolesFrom, RolesUntil time.Time
}

// Expires reports whether the record says when the invitation's link
// expires: only while it waits for the customer.
func (r RecordRelationship) Expires() bool { return r.Status == StatusPending }

// Accepted reports whether the record names who accepted and when: once the
// customer answered, and the request no longer waits.
func (r RecordRelationship) Accepted() bool {
	return r.Request.AnsweredAt != nil && r.Status != StatusPending
}

// Verified reports whether the record names who verified the relationship
// in Partner Center and when: once verified, while it is active.
func (r RecordRelationship) Verified() bool {
	return r.Request.ReviewedAt != nil && r.Status == StatusActive
}

// RecordSubscription is one subscription of the plan, with the date a
// completed transfer brought it over (nil when none did).
type RecordSubscription struct {
	PlanItem
	TransferredOn *time.Time
}

// BuildRecord assembles the onboarding record from what was read at now: the
// customer's overview and plan, the partner, the open or active relationship
// request (nil when none) and every transfer request of the customer.
func BuildRecord(ov CustomerOverview, plan Plan, partner Partner, rel *RelationshipRequest, transfers []Transfer, now time.Time) OnboardingRecord {
	rec := OnboardingRecord{Overview: ov, Partner: partner, Produced: now}
	if rel != nil {
		r := RecordRelationship{Request: *rel, Status: rel.Effective(now)}
		r.RolesFrom, r.RolesUntil, r.RolesGranted = AdminRolesGranted(*rel, now)
		rec.Relationship = &r
	}
	transferred := TransferredOn(transfers, now)
	var ahead []PlanItem
	for _, item := range plan.Items() {
		sub := RecordSubscription{PlanItem: item}
		if on, ok := transferred[item.Subscription.ID]; ok {
			sub.TransferredOn = &on
		}
		rec.Subscriptions = append(rec.Subscriptions, sub)
		if sub.TransferredOn == nil { // a transferred licence is ours: it renews with us
			ahead = append(ahead, item)
		}
	}
	rec.TermEndsAhead = TermEndsAhead(ahead)
	oldestFirst := slices.Clone(transfers)
	slices.SortStableFunc(oldestFirst, func(a, b Transfer) int {
		if c := a.CreatedAt.Compare(b.CreatedAt); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	for _, t := range oldestFirst {
		rec.Transfers = append(rec.Transfers, NewTransferRow(t, now, false))
	}
	return rec
}

// TermEndsAhead lists the items whose term has not ended yet (ending today
// counts as ahead), soonest first; items without a term end are left out.
func TermEndsAhead(items []PlanItem) []PlanItem {
	var out []PlanItem
	for _, item := range items {
		if item.DaysLeft != nil && *item.DaysLeft >= 0 {
			out = append(out, item)
		}
	}
	slices.SortStableFunc(out, func(a, b PlanItem) int { return a.Subscription.Term().Compare(*b.Subscription.Term()) })
	return out
}

// TransferredOn gives, by subscription id, the date a completed transfer
// brought the subscription over, the latest when several did. A transfer
// that is not complete at now, or has no completion date, brought nothing.
func TransferredOn(transfers []Transfer, now time.Time) map[int64]time.Time {
	out := map[int64]time.Time{}
	for _, t := range transfers {
		if t.Effective(now) != TransferComplete || t.CompletedOn == nil {
			continue
		}
		for _, id := range t.SubscriptionIDs {
			if on, ok := out[id]; !ok || t.CompletedOn.After(on) {
				out[id] = *t.CompletedOn
			}
		}
	}
	return out
}

// AdminRolesGranted is when the customer granted the admin roles of the
// request's GDAP relationship and until when, at now: from its activation
// for its days, rolled forward while it auto-extends ("endDateTime =
// activatedDateTime + duration",
// https://learn.microsoft.com/en-us/graph/api/resources/delegatedadminrelationship?view=graph-rest-1.0).
// ok is false when no roles were asked for or the relationship is not
// active at now. The reseller request's own state does not matter: GDAP
// and the reseller relationship end apart.
func AdminRolesGranted(rel RelationshipRequest, now time.Time) (from, until time.Time, ok bool) {
	g := rel.GDAP
	if g == nil || g.Effective(now) != GDAPActive {
		return from, until, false
	}
	return *g.ActivatedAt, *g.EndsAt(now), true
}
