package domain

import (
	"maps"
	"slices"
	"testing"
	"time"
)

var recNow = time.Date(2026, 5, 10, 12, 0, 0, 0, time.UTC)

// recDay is a date at midnight UTC, the form term ends and transfer dates
// are stored in.
func recDay(y int, m time.Month, d int) *time.Time {
	t := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	return &t
}

// recItem is a plan item of a licence ending on end (nil for none).
func recItem(id int64, end *time.Time) PlanItem {
	item := PlanItem{Subscription: Subscription{ID: id, ServiceType: ServiceLicence, TermEnd: end}}
	if end != nil {
		days := DaysLeft(*end, recNow)
		item.DaysLeft = &days
	}
	return item
}

func itemIDs(items []PlanItem) []int64 {
	var out []int64
	for _, item := range items {
		out = append(out, item.Subscription.ID)
	}
	return out
}

func TestTermEndsAhead(t *testing.T) {
	for _, tt := range []struct {
		name  string
		items []PlanItem
		want  []int64
	}{
		{"none", nil, nil},
		{"no term ends", []PlanItem{recItem(1, nil), recItem(2, nil)}, nil},
		{"ended yesterday is behind", []PlanItem{recItem(1, recDay(2026, 5, 9))}, nil},
		{"ending today is ahead", []PlanItem{recItem(1, recDay(2026, 5, 10))}, []int64{1}},
		{"soonest first", []PlanItem{recItem(1, recDay(2027, 1, 1)), recItem(2, nil), recItem(3, recDay(2026, 6, 1)), recItem(4, recDay(2026, 5, 1))},
			[]int64{3, 1}},
		{"the same day keeps the plan's order", []PlanItem{recItem(5, recDay(2026, 7, 1)), recItem(2, recDay(2026, 7, 1))}, []int64{5, 2}},
	} {
		if got := itemIDs(TermEndsAhead(tt.items)); !slices.Equal(got, tt.want) {
			t.Errorf("%s: TermEndsAhead = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestTransferredOn(t *testing.T) {
	complete := func(on *time.Time, subs ...int64) Transfer {
		return Transfer{Status: TransferComplete, CompletedOn: on, SubscriptionIDs: subs, ExpiresAt: recNow.AddDate(0, 0, -20)}
	}
	for _, tt := range []struct {
		name      string
		transfers []Transfer
		want      map[int64]time.Time
	}{
		{"none", nil, map[int64]time.Time{}},
		{"a completed transfer dates each of its subscriptions", []Transfer{complete(recDay(2026, 4, 2), 7, 8)},
			map[int64]time.Time{7: *recDay(2026, 4, 2), 8: *recDay(2026, 4, 2)}},
		{"the latest of two wins, in any order", []Transfer{complete(recDay(2026, 4, 20), 7), complete(recDay(2026, 4, 2), 7)},
			map[int64]time.Time{7: *recDay(2026, 4, 20)}},
		{"complete without a date brings nothing", []Transfer{complete(nil, 7)}, map[int64]time.Time{}},
		{"pending, in progress, cancelled and expired bring nothing", []Transfer{
			{Status: TransferPending, SubscriptionIDs: []int64{1}, ExpiresAt: recNow.AddDate(0, 0, 5)},
			{Status: TransferPending, SubscriptionIDs: []int64{2}, ExpiresAt: recNow.AddDate(0, 0, -1)}, // expired by now
			{Status: TransferInProgress, SubscriptionIDs: []int64{3}, AcceptedOn: recDay(2026, 5, 1)},
			{Status: TransferCancelled, SubscriptionIDs: []int64{4}},
			{Status: TransferExpired, SubscriptionIDs: []int64{5}},
		}, map[int64]time.Time{}},
	} {
		if got := TransferredOn(tt.transfers, recNow); !maps.Equal(got, tt.want) {
			t.Errorf("%s: TransferredOn = %v, want %v", tt.name, got, tt.want)
		}
	}
}

// TestAdminRolesGranted holds the fix of issue 11: the roles run from the
// GDAP relationship's activation, not from the customer's answer to the
// reseller invitation.
func TestAdminRolesGranted(t *testing.T) {
	answered := time.Date(2026, 3, 1, 9, 30, 0, 0, time.UTC)
	activated := answered.AddDate(0, 0, 5)
	now := activated.AddDate(0, 0, 10)
	gdap := func(status GDAPStatus, at *time.Time, extend bool) *GDAPRequest {
		return &GDAPRequest{Status: status, ActivatedAt: at, GDAPTerms: GDAPTerms{Roles: []AdminRole{RoleDirectoryReaders}, Days: 90, AutoExtend: extend}}
	}
	for _, tt := range []struct {
		name  string
		gdap  *GDAPRequest
		now   time.Time
		until time.Time // zero when not granted
	}{
		{"active", gdap(GDAPActive, &activated, false), now, activated.AddDate(0, 0, 90)},
		{"no roles asked for", nil, now, time.Time{}},
		{"approval pending", gdap(GDAPApprovalPending, nil, false), now, time.Time{}},
		{"created", gdap(GDAPCreated, nil, false), now, time.Time{}},
		{"terminated", gdap(GDAPTerminated, &activated, false), now, time.Time{}},
		{"past its end", gdap(GDAPActive, &activated, false), activated.AddDate(0, 0, 90), time.Time{}},
		{"auto-extended once", gdap(GDAPActive, &activated, true), activated.AddDate(0, 0, 100), activated.AddDate(0, 0, 270)},
	} {
		rel := RelationshipRequest{Status: StatusActive, AnsweredAt: &answered, GDAP: tt.gdap}
		from, until, ok := AdminRolesGranted(rel, tt.now)
		if ok != !tt.until.IsZero() {
			t.Errorf("%s: granted = %v", tt.name, ok)
			continue
		}
		if ok && (!from.Equal(activated) || !until.Equal(tt.until)) {
			t.Errorf("%s: granted from %s until %s, want from the activation %s until %s", tt.name, from, until, activated, tt.until)
		}
		if !ok && (!from.IsZero() || !until.IsZero()) {
			t.Errorf("%s: not granted, but from %s until %s", tt.name, from, until)
		}
	}
}

func TestBuildRecord(t *testing.T) {
	ov := CustomerOverview{Customer: Customer{ID: 3, Name: "Coho Winery"}}
	plan := Plan{Customer: ov.Customer, Groups: []PlanGroup{
		{Workflow: WorkflowAzureTransfer, Items: []PlanItem{recItem(10, nil)}},
		{Workflow: WorkflowWaitTermEnd, Items: []PlanItem{recItem(11, recDay(2026, 9, 1)), recItem(12, recDay(2026, 6, 1))}},
	}}
	answered, activated := recNow.AddDate(0, 0, -3), recNow.AddDate(0, 0, -1)
	rel := &RelationshipRequest{ID: 4, Status: StatusAccepted, AnsweredAt: &answered,
		GDAP: &GDAPRequest{Status: GDAPActive, ActivatedAt: &activated, GDAPTerms: GDAPTerms{Roles: []AdminRole{RoleDirectoryReaders}, Days: 30}}}
	early, late := recNow.AddDate(0, -2, 0), recNow.AddDate(0, -1, 0)
	transfers := []Transfer{ // newest first, as the store lists them
		{ID: 9, CreatedAt: late, Status: TransferPending, ExpiresAt: recNow.AddDate(0, 0, -1)},
		{ID: 8, CreatedAt: early, Status: TransferComplete, CompletedOn: recDay(2026, 4, 1), SubscriptionIDs: []int64{10}},
		{ID: 7, CreatedAt: early, Status: TransferCancelled},
	}
	rec := BuildRecord(ov, plan, Partner{Name: "Wingtip"}, rel, transfers, recNow)

	if rec.Customer().Name != "Coho Winery" || rec.Partner.Name != "Wingtip" || !rec.Produced.Equal(recNow) {
		t.Errorf("record of %q by %q at %s", rec.Customer().Name, rec.Partner.Name, rec.Produced)
	}
	if r := rec.Relationship; r == nil || r.Status != StatusAccepted || !r.RolesGranted || !r.RolesUntil.Equal(activated.AddDate(0, 0, 30)) ||
		rec.RelationshipStatus() != StatusAccepted {
		t.Errorf("relationship %+v", r)
	}
	var subs []int64
	for _, s := range rec.Subscriptions {
		subs = append(subs, s.Subscription.ID)
		if (s.TransferredOn != nil) != (s.Subscription.ID == 10) || (s.TransferredOn != nil && !s.TransferredOn.Equal(*recDay(2026, 4, 1))) {
			t.Errorf("subscription %d transferred on %v", s.Subscription.ID, s.TransferredOn)
		}
	}
	if !slices.Equal(subs, []int64{10, 11, 12}) {
		t.Errorf("subscriptions %v, want the plan's order 10, 11, 12", subs)
	}
	if got := itemIDs(rec.TermEndsAhead); !slices.Equal(got, []int64{12, 11}) {
		t.Errorf("term ends ahead %v, want 12, 11", got)
	}
	var order []int64
	var states []TransferStatus
	for _, tr := range rec.Transfers {
		order, states = append(order, tr.Transfer.ID), append(states, tr.Status)
	}
	// Oldest first, by id on the same time; the pending one is expired by now.
	if !slices.Equal(order, []int64{7, 8, 9}) || !slices.Equal(states, []TransferStatus{TransferCancelled, TransferComplete, TransferExpired}) {
		t.Errorf("transfers %v in states %v", order, states)
	}
	if transfers[0].ID != 9 {
		t.Error("BuildRecord reordered the caller's transfers")
	}

	none := BuildRecord(ov, Plan{Customer: ov.Customer}, Partner{}, nil, nil, recNow)
	if none.Relationship != nil || none.RelationshipStatus() != "" || len(none.Subscriptions) != 0 || len(none.Transfers) != 0 || len(none.TermEndsAhead) != 0 {
		t.Errorf("an empty record: %+v", none)
	}
}

func TestRecordRelationshipSaysWhatItsStateAllows(t *testing.T) {
	at := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	answered := RelationshipRequest{AnsweredAt: &at}
	reviewed := RelationshipRequest{AnsweredAt: &at, ReviewedAt: &at}
	for _, tc := range []struct {
		name                        string
		r                           RecordRelationship
		expires, accepted, approved bool
	}{
		{"waiting for the customer", RecordRelationship{Status: StatusPending}, true, false, false},
		{"accepted, waiting for verification", RecordRelationship{Request: answered, Status: StatusAccepted}, false, true, false},
		{"active", RecordRelationship{Request: reviewed, Status: StatusActive}, false, true, true},
		{"rejected after review", RecordRelationship{Request: reviewed, Status: StatusRejected}, false, true, false},
		{"expired unanswered", RecordRelationship{Status: StatusExpired}, false, false, false},
	} {
		if got := tc.r.Expires(); got != tc.expires {
			t.Errorf("%s: Expires = %v", tc.name, got)
		}
		if got := tc.r.Accepted(); got != tc.accepted {
			t.Errorf("%s: Accepted = %v", tc.name, got)
		}
		if got := tc.r.Verified(); got != tc.approved {
			t.Errorf("%s: Verified = %v", tc.name, got)
		}
	}
}
