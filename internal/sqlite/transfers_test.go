package sqlite

import (
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wingtip/multichannel/internal/domain"
)

// trFixture is the relationship fixture with helpers for transfers.
type trFixture struct{ *rlFixture }

func trSetup(t *testing.T) trFixture { return trFixture{rlSetup(t)} }

// activeCustomer creates a customer whose reseller relationship is active,
// with n usage-based subscriptions bought from another CSP partner, and
// returns its id and theirs.
func (f trFixture) activeCustomer(n int) (int64, []int64) {
	f.t.Helper()
	cust := f.customer()
	inv := f.mustCreate(cust, 30)
	if _, err := f.answer(inv.hash, true, "Megan Bowen"); err != nil {
		f.t.Fatal(err)
	}
	if err := f.s.ReviewRelationship(f.ctx, f.actor, inv.id, true, ""); err != nil {
		f.t.Fatal(err)
	}
	return cust, f.azureSubscriptions(cust, n)
}

// azureSubscriptions adds n Azure plans from another CSP partner to a
// customer and returns their ids.
func (f trFixture) azureSubscriptions(customerID int64, n int) []int64 {
	f.t.Helper()
	var ids []int64
	for i := range n {
		id, err := f.s.AddSubscription(f.ctx, f.actor, domain.Subscription{CustomerID: customerID, Product: fmt.Sprintf("Azure plan %d", i+1),
			ServiceType: domain.ServiceUsage, Channel: domain.ChannelOtherCSP, Reference: "Litware Cloud Services"})
		if err != nil {
			f.t.Fatal(err)
		}
		ids = append(ids, id)
	}
	return ids
}

// request is a valid transfer request for subs of customerID.
func trRequest(customerID int64, subs ...int64) domain.NewTransfer {
	return domain.NewTransfer{CustomerID: customerID, SubscriptionIDs: subs, OtherPartnerName: "Litware Cloud Services",
		OtherPartnerTenant: "72f988bf-86f1-41af-91ab-2d7cd011db47", ContactEmail: "megan.bowen@customer.example",
		Products: []domain.TransferProduct{domain.ProductAzureSubscription, domain.ProductAzureReservation}, LineItems: "Azure plan\nReserved VM",
		ResellerPartnerID: "1234567"}
}

func (f trFixture) mustTransfer(customerID int64, subs ...int64) int64 {
	f.t.Helper()
	id, err := f.s.CreateTransfer(f.ctx, f.actor, trRequest(customerID, subs...))
	if err != nil || id == 0 {
		f.t.Fatalf("CreateTransfer(customer %d, %v) = %d, %v", customerID, subs, id, err)
	}
	return id
}

func (f trFixture) transfer(id int64) domain.Transfer {
	f.t.Helper()
	t, err := f.s.Transfer(f.ctx, id)
	if err != nil {
		f.t.Fatalf("Transfer(%d): %v", id, err)
	}
	return t
}

// audit returns the audit entries with action about transfer id.
func (f trFixture) audit(action domain.AuditAction, id int64) []domain.AuditEntry {
	f.t.Helper()
	target := fmt.Sprintf("transfer:%d", id)
	return slices.DeleteFunc(ctFindAudit(ctAudit(f.t, f.s), action), func(e domain.AuditEntry) bool { return e.Target != target })
}

// unchanged runs change and fails unless it is a conflict with a reason
// that contains want and leaves every table as it was.
func (f trFixture) unchanged(what, want string, change func() error) {
	f.t.Helper()
	before := rlDumpText(rlDump(f.t, f.s))
	err := change()
	rlWantConflict(f.t, what, err)
	if err != nil && !strings.Contains(err.Error(), want) {
		f.t.Errorf("%s: reason %q does not say %q", what, err, want)
	}
	if rlDumpText(rlDump(f.t, f.s)) != before {
		f.t.Errorf("%s changed the database", what)
	}
}

func trDay(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func TestTransferStateMachineAllowedTransitions(t *testing.T) {
	f := trSetup(t)
	cust, subs := f.activeCustomer(2)

	// pending, with everything asked stored
	id := f.mustTransfer(cust, subs...)
	got := f.transfer(id)
	want := trRequest(cust, subs...)
	if got.Status != domain.TransferPending || got.CustomerID != cust || got.CustomerName != "Customer 01" ||
		got.OtherPartnerName != want.OtherPartnerName || got.OtherPartnerTenant != want.OtherPartnerTenant || got.ContactEmail != want.ContactEmail ||
		!slices.Equal(got.Products, want.Products) || got.LineItems != want.LineItems || got.ResellerPartnerID != "1234567" ||
		!slices.Equal(got.SubscriptionIDs, subs) || got.CreatedByName != "Actor avery@wingtip.example" || !got.CreatedAt.Equal(rlT0) ||
		!got.ExpiresAt.Equal(rlT0.Add(30*24*time.Hour)) || got.AcceptedOn != nil || got.CompletedOn != nil || got.EndedAt != nil {
		t.Fatalf("new transfer = %+v", got)
	}
	if a := f.audit("transfer_created", id); len(a) != 1 || a[0].CustomerID != cust || a[0].ActorID != f.actor.UserID ||
		a[0].ClientIP != f.actor.ClientIP || !strings.Contains(a[0].Detail, "Litware Cloud Services") {
		t.Errorf("transfer_created audit = %+v", a)
	}

	// pending → in progress
	f.clock.set(rlT0.Add(5 * 24 * time.Hour))
	if err := f.s.AcceptTransfer(f.ctx, f.actor, id, trDay(2026, 4, 4), ""); err != nil {
		t.Fatalf("accept: %v", err)
	}
	if got := f.transfer(id); got.Status != domain.TransferInProgress || got.AcceptedOn == nil || !got.AcceptedOn.Equal(trDay(2026, 4, 4)) {
		t.Fatalf("after accept: %+v", got)
	}
	if a := f.audit("transfer_accepted", id); len(a) != 1 || a[0].CustomerID != cust || a[0].Detail != "accepted on 2026-04-04" {
		t.Errorf("transfer_accepted audit = %+v", a)
	}

	// in progress → complete, even past the 30 days: the expiry only
	// concerns the other partner's answer.
	f.clock.set(rlT0.Add(45 * 24 * time.Hour))
	if err := f.s.CompleteTransfer(f.ctx, f.actor, id, trDay(2026, 5, 10)); err != nil {
		t.Fatalf("complete: %v", err)
	}
	if got := f.transfer(id); got.Status != domain.TransferComplete || got.CompletedOn == nil || !got.CompletedOn.Equal(trDay(2026, 5, 10)) ||
		got.Effective(f.s.now()) != domain.TransferComplete {
		t.Fatalf("after complete: %+v", got)
	}
	if a := f.audit("transfer_completed", id); len(a) != 1 || a[0].Detail != "completed on 2026-05-10" {
		t.Errorf("transfer_completed audit = %+v", a)
	}

	// pending → cancelled
	other, otherSubs := f.activeCustomer(1)
	cancelled := f.mustTransfer(other, otherSubs...)
	tCancel := f.s.now().Add(time.Hour)
	f.clock.set(tCancel)
	if err := f.s.CancelTransfer(f.ctx, f.actor, cancelled); err != nil {
		t.Fatalf("cancel: %v", err)
	}
	if got := f.transfer(cancelled); got.Status != domain.TransferCancelled || got.EndedAt == nil || !got.EndedAt.Equal(tCancel) ||
		got.EndedByName != "Actor avery@wingtip.example" {
		t.Fatalf("after cancel: %+v", got)
	}
	if a := f.audit("transfer_cancelled", cancelled); len(a) != 1 || a[0].CustomerID != other || a[0].ActorID != f.actor.UserID {
		t.Errorf("transfer_cancelled audit = %+v", a)
	}

	// pending → rejected, with the other partner's reason
	third, thirdSubs := f.activeCustomer(2)
	rejected := f.mustTransfer(third, thirdSubs[0])
	if err := f.s.RejectTransfer(f.ctx, f.actor, rejected, "The customer has unpaid invoices with us."); err != nil {
		t.Fatalf("reject: %v", err)
	}
	if got := f.transfer(rejected); got.Status != domain.TransferRejected || got.RejectionReason != "The customer has unpaid invoices with us." ||
		got.EndedAt == nil || got.EndedByName != "Actor avery@wingtip.example" {
		t.Fatalf("after reject: %+v", got)
	}
	if a := f.audit("transfer_rejected", rejected); len(a) != 1 || a[0].CustomerID != third || a[0].Detail != "The customer has unpaid invoices with us." {
		t.Errorf("transfer_rejected audit = %+v", a)
	}
	// A rejected transfer holds nothing: the subscription can be asked for again.
	again := f.mustTransfer(third, thirdSubs[0])

	// Microsoft's transfer id, recorded while pending, kept by an
	// acceptance that gives none, replaced by one that gives another, and
	// recorded again while in progress; the state stays.
	const first, second, replaced = "43fb1d3a-79fe-45a9-863e-9a4acf17b630", "0b9c8d7e-6f5a-4b3c-9d2e-1f0a9b8c7d6e", "1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f"
	if err := f.s.RecordMicrosoftTransferID(f.ctx, f.actor, again, first); err != nil {
		t.Fatalf("record the id: %v", err)
	}
	if got := f.transfer(again); got.Status != domain.TransferPending || got.MicrosoftTransferID != first {
		t.Fatalf("after recording the id: %+v", got)
	}
	if a := f.audit("transfer_id_recorded", again); len(a) != 1 || !strings.Contains(a[0].Detail, first) {
		t.Errorf("transfer_id_recorded audit = %+v", a)
	}
	if err := f.s.AcceptTransfer(f.ctx, f.actor, again, f.s.now(), ""); err != nil {
		t.Fatal(err)
	}
	if got := f.transfer(again); got.Status != domain.TransferInProgress || got.MicrosoftTransferID != first {
		t.Fatalf("an acceptance without an id lost the recorded one: %+v", got)
	}
	if err := f.s.RecordMicrosoftTransferID(f.ctx, f.actor, again, replaced); err != nil {
		t.Fatalf("record the id in progress: %v", err)
	}
	if got := f.transfer(again); got.Status != domain.TransferInProgress || got.MicrosoftTransferID != replaced {
		t.Fatalf("after recording the id in progress: %+v", got)
	}
	withID := f.mustTransfer(third, thirdSubs[1])
	if err := f.s.AcceptTransfer(f.ctx, f.actor, withID, f.s.now(), second); err != nil {
		t.Fatal(err)
	}
	if got := f.transfer(withID); got.MicrosoftTransferID != second {
		t.Errorf("an acceptance with the id did not record it: %+v", got)
	}
	if a := f.audit("transfer_accepted", withID); len(a) != 1 || !strings.Contains(a[0].Detail, second) {
		t.Errorf("transfer_accepted audit = %+v", a)
	}
}

// trActions are the changes of a transfer, with the states each is allowed
// from and what its refusal says before the state.
var trActions = []struct {
	name    string
	from    []domain.TransferStatus
	refusal string
	do      func(f trFixture, id int64) error
}{
	{"accept", []domain.TransferStatus{domain.TransferPending}, "", func(f trFixture, id int64) error {
		return f.s.AcceptTransfer(f.ctx, f.actor, id, trDay(2026, 4, 2), "")
	}},
	{"complete", []domain.TransferStatus{domain.TransferInProgress}, "", func(f trFixture, id int64) error {
		return f.s.CompleteTransfer(f.ctx, f.actor, id, trDay(2026, 4, 3))
	}},
	{"cancel", []domain.TransferStatus{domain.TransferPending}, "can only be cancelled while pending; this one is ", func(f trFixture, id int64) error {
		return f.s.CancelTransfer(f.ctx, f.actor, id)
	}},
	{"reject", []domain.TransferStatus{domain.TransferPending}, "marked as rejected by the other partner; this one is ", func(f trFixture, id int64) error {
		return f.s.RejectTransfer(f.ctx, f.actor, id, "Unpaid invoices.")
	}},
	{"record the id", []domain.TransferStatus{domain.TransferPending, domain.TransferInProgress}, "pending or in progress; this one is ",
		func(f trFixture, id int64) error {
			return f.s.RecordMicrosoftTransferID(f.ctx, f.actor, id, "43fb1d3a-79fe-45a9-863e-9a4acf17b630")
		}},
}

func TestTransferDisallowedTransitionsAreConflictsAndChangeNothing(t *testing.T) {
	f := trSetup(t)
	cust, subs := f.activeCustomer(6)
	stale := f.mustTransfer(cust, subs[0])
	f.clock.set(rlT0.Add(31 * 24 * time.Hour)) // stale is past its 30 days
	pending := f.mustTransfer(cust, subs[1])
	inProgress := f.mustTransfer(cust, subs[2])
	complete := f.mustTransfer(cust, subs[3])
	cancelled := f.mustTransfer(cust, subs[4])
	rejected := f.mustTransfer(cust, subs[5])
	for _, step := range []error{
		f.s.AcceptTransfer(f.ctx, f.actor, inProgress, trDay(2026, 5, 2), ""),
		f.s.AcceptTransfer(f.ctx, f.actor, complete, trDay(2026, 5, 2), ""),
		f.s.CompleteTransfer(f.ctx, f.actor, complete, trDay(2026, 5, 2)),
		f.s.CancelTransfer(f.ctx, f.actor, cancelled),
		f.s.RejectTransfer(f.ctx, f.actor, rejected, "Unpaid invoices."),
	} {
		if step != nil {
			t.Fatal(step)
		}
	}
	states := []struct {
		name   string
		id     int64
		stored domain.TransferStatus
		// effective is what the transfer counts as now.
		effective domain.TransferStatus
	}{
		{"pending", pending, domain.TransferPending, domain.TransferPending},
		{"expired", stale, domain.TransferPending, domain.TransferExpired},
		{"in progress", inProgress, domain.TransferInProgress, domain.TransferInProgress},
		{"complete", complete, domain.TransferComplete, domain.TransferComplete},
		{"cancelled", cancelled, domain.TransferCancelled, domain.TransferCancelled},
		{"rejected", rejected, domain.TransferRejected, domain.TransferRejected},
	}
	tried := 0
	for _, st := range states {
		if got := f.transfer(st.id); got.Status != st.stored || got.Effective(f.s.now()) != st.effective {
			t.Fatalf("setup: the %s transfer is %s (effective %s)", st.name, got.Status, got.Effective(f.s.now()))
		}
		for _, act := range trActions {
			if slices.Contains(act.from, st.effective) {
				continue // allowed; TestTransferStateMachineAllowedTransitions covers it
			}
			tried++
			want := act.refusal + strings.ToLower(st.effective.Label())
			f.unchanged(act.name+" a "+st.name+" transfer", want, func() error { return act.do(f, st.id) })
			if got := f.transfer(st.id); got.Status != st.stored {
				t.Errorf("%s a %s transfer: status now %s", act.name, st.name, got.Status)
			}
		}
	}
	// 6 states × 5 actions, less the 6 allowed pairs.
	if tried != 24 {
		t.Fatalf("tried %d disallowed changes; want 24", tried)
	}
	// The expired one says so, and what to do.
	err := f.s.AcceptTransfer(f.ctx, f.actor, stale, trDay(2026, 4, 2), "")
	if err == nil || !strings.Contains(err.Error(), "expired") || !strings.Contains(err.Error(), "30 days") {
		t.Errorf("accepting an expired transfer: %v", err)
	}
}

func TestTransferExpiresAfter30Days(t *testing.T) {
	f := trSetup(t)
	cust, subs := f.activeCustomer(3)
	first := f.mustTransfer(cust, subs[0])
	second := f.mustTransfer(cust, subs[1])
	third := f.mustTransfer(cust, subs[2])
	expiry := rlT0.Add(30 * 24 * time.Hour)
	if got := f.transfer(first); !got.ExpiresAt.Equal(expiry) {
		t.Fatalf("expires at %v; want %v", got.ExpiresAt, expiry)
	}

	// One nanosecond before the 30 days are up, it is still live.
	f.clock.set(expiry.Add(-time.Nanosecond))
	if got := f.transfer(first); got.Effective(f.s.now()) != domain.TransferPending || got.DaysLeft(f.s.now()) != 0 {
		t.Errorf("just before expiry: %s, %d days left", got.Effective(f.s.now()), got.DaysLeft(f.s.now()))
	}
	if pending, soon, err := f.s.TransferCounts(f.ctx, f.s.now(), domain.ExpiringSoon); err != nil || pending != 3 || soon != 3 {
		t.Errorf("TransferCounts just before expiry = %d, %d, %v; want 3, 3", pending, soon, err)
	}
	if err := f.s.AcceptTransfer(f.ctx, f.actor, first, trDay(2026, 4, 30), ""); err != nil {
		t.Fatalf("accept just before expiry: %v", err)
	}

	// At exactly 30 days it has expired: neither accepted nor cancelled.
	f.clock.set(expiry)
	if got := f.transfer(second); got.Status != domain.TransferPending || got.Effective(f.s.now()) != domain.TransferExpired {
		t.Errorf("at expiry: stored %s, effective %s", got.Status, got.Effective(f.s.now()))
	}
	f.unchanged("accept at expiry", "expired", func() error { return f.s.AcceptTransfer(f.ctx, f.actor, second, trDay(2026, 5, 1), "") })
	f.unchanged("cancel at expiry", "expired", func() error { return f.s.CancelTransfer(f.ctx, f.actor, third) })
	if pending, soon, err := f.s.TransferCounts(f.ctx, f.s.now(), domain.ExpiringSoon); err != nil || pending != 0 || soon != 0 {
		t.Errorf("TransferCounts at expiry = %d, %d, %v; want 0, 0", pending, soon, err)
	}
	// An expired transfer no longer holds its subscription.
	if again, err := f.s.CreateTransfer(f.ctx, f.actor, trRequest(cust, subs[1])); err != nil || again == 0 {
		t.Errorf("a new transfer for the expired one's subscription = %d, %v", again, err)
	}
	// The one accepted in time goes on.
	if err := f.s.CompleteTransfer(f.ctx, f.actor, first, trDay(2026, 5, 1)); err != nil {
		t.Errorf("complete the one accepted in time: %v", err)
	}
}

func TestTransferCountsPendingAndExpiringWithinAWeek(t *testing.T) {
	f := trSetup(t)
	cust, subs := f.activeCustomer(4)
	old := f.mustTransfer(cust, subs[0]) // expires at day 30
	f.clock.set(rlT0.Add(10 * 24 * time.Hour))
	f.mustTransfer(cust, subs[1]) // expires at day 40
	accepted := f.mustTransfer(cust, subs[2])
	if err := f.s.AcceptTransfer(f.ctx, f.actor, accepted, trDay(2026, 4, 11), ""); err != nil {
		t.Fatal(err)
	}
	cancelled := f.mustTransfer(cust, subs[3])
	if err := f.s.CancelTransfer(f.ctx, f.actor, cancelled); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		day            int
		pending, soonN int
	}{
		{10, 2, 0},
		{22, 2, 0}, // day 30 is 8 days away
		{24, 2, 1}, // 6 days away
		{33, 1, 1}, // the first expired; the second 7 days away
		{32, 1, 0},
		{40, 0, 0},
	} {
		now := rlT0.Add(time.Duration(tc.day) * 24 * time.Hour)
		pending, soon, err := f.s.TransferCounts(f.ctx, now, domain.ExpiringSoon)
		if err != nil || pending != tc.pending || soon != tc.soonN {
			t.Errorf("day %d: TransferCounts = %d, %d, %v; want %d, %d", tc.day, pending, soon, err, tc.pending, tc.soonN)
		}
	}
	if f.transfer(old).Status != domain.TransferPending {
		t.Error("counting changed a transfer")
	}
}

func TestTransferConcurrentAcceptHasOneWinner(t *testing.T) {
	f := trSetup(t)
	cust, subs := f.activeCustomer(1)
	id := f.mustTransfer(cust, subs...)
	const n = 10
	errs := make([]error, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			errs[i] = f.s.AcceptTransfer(f.ctx, f.actor, id, trDay(2026, 4, 1), "")
		}()
	}
	close(start)
	wg.Wait()
	won := 0
	for i, err := range errs {
		switch {
		case err == nil:
			won++
		case errors.Is(err, domain.ErrConflict):
		default:
			t.Errorf("accept %d: %v; want nil or a conflict", i, err)
		}
	}
	if won != 1 {
		t.Fatalf("%d accepts won; want exactly 1", won)
	}
	if a := f.audit("transfer_accepted", id); len(a) != 1 {
		t.Errorf("%d transfer_accepted entries; want 1", len(a))
	}
	if got := f.transfer(id); got.Status != domain.TransferInProgress {
		t.Errorf("status %s; want in progress", got.Status)
	}
}

func TestTransferSubscriptionInOneOpenTransferAtATime(t *testing.T) {
	f := trSetup(t)
	cust, subs := f.activeCustomer(2)
	first := f.mustTransfer(cust, subs[0])
	// Pending: the subscription cannot join another, even with a free one.
	f.unchanged("the same subscription while pending", "Azure plan 1 is already in transfer request "+fmt.Sprint(first)+", which is pending",
		func() error {
			_, err := f.s.CreateTransfer(f.ctx, f.actor, trRequest(cust, subs[1], subs[0]))
			return err
		})
	if err := f.s.AcceptTransfer(f.ctx, f.actor, first, trDay(2026, 4, 1), ""); err != nil {
		t.Fatal(err)
	}
	f.unchanged("the same subscription while in progress", "which is in progress",
		func() error { _, err := f.s.CreateTransfer(f.ctx, f.actor, trRequest(cust, subs[0])); return err })
	// Another subscription is free.
	second := f.mustTransfer(cust, subs[1])
	if err := f.s.CancelTransfer(f.ctx, f.actor, second); err != nil {
		t.Fatal(err)
	}
	// Once cancelled, its subscription is free again.
	third := f.mustTransfer(cust, subs[1])
	if got := f.transfer(third); !slices.Equal(got.SubscriptionIDs, []int64{subs[1]}) {
		t.Errorf("the new transfer holds %v", got.SubscriptionIDs)
	}
}

func TestTransferNeedsAnActiveRelationshipAndTheCustomersSubscriptions(t *testing.T) {
	f := trSetup(t)
	// A customer whose relationship is only accepted, not yet approved.
	waiting := f.customer()
	inv := f.mustCreate(waiting, 30)
	if _, err := f.answer(inv.hash, true, "Megan Bowen"); err != nil {
		t.Fatal(err)
	}
	waitingSubs := f.azureSubscriptions(waiting, 1)
	f.unchanged("a transfer without an active relationship", "not active",
		func() error {
			_, err := f.s.CreateTransfer(f.ctx, f.actor, trRequest(waiting, waitingSubs...))
			return err
		})

	// Another customer's subscription, or a removed one, cannot join.
	cust, subs := f.activeCustomer(2)
	f.unchanged("another customer's subscription", "no longer in this customer's inventory",
		func() error {
			_, err := f.s.CreateTransfer(f.ctx, f.actor, trRequest(cust, subs[0], waitingSubs[0]))
			return err
		})
	if err := f.s.RemoveSubscription(f.ctx, f.actor, cust, subs[1], 1); err != nil {
		t.Fatal(err)
	}
	f.unchanged("a removed subscription", "no longer in this customer's inventory",
		func() error { _, err := f.s.CreateTransfer(f.ctx, f.actor, trRequest(cust, subs[1])); return err })
}

func TestTransferUnknownIDIsNotFound(t *testing.T) {
	f := trSetup(t)
	cust, subs := f.activeCustomer(1)
	id := f.mustTransfer(cust, subs...)
	for _, act := range trActions {
		before := rlDumpText(rlDump(t, f.s))
		err := act.do(f, id+1000)
		rlWantNotFound(t, act.name+" an unknown transfer", err)
		if rlDumpText(rlDump(t, f.s)) != before {
			t.Errorf("%s an unknown transfer changed the database", act.name)
		}
	}
	if _, err := f.s.Transfer(f.ctx, id+1000); !errors.Is(err, domain.ErrNotFound) {
		t.Errorf("Transfer(unknown) = %v", err)
	}
}

func TestTransfersOfCustomerNewestFirstByPage(t *testing.T) {
	f := trSetup(t)
	cust, subs := f.activeCustomer(3)
	other, otherSubs := f.activeCustomer(1)
	var ids []int64
	for _, sub := range subs {
		ids = append(ids, f.mustTransfer(cust, sub))
	}
	f.mustTransfer(other, otherSubs...)
	page1, total, err := f.s.TransfersOfCustomer(f.ctx, cust, domain.Page{Number: 1, Size: 2})
	if err != nil || total != 3 || len(page1) != 2 || page1[0].ID != ids[2] || page1[1].ID != ids[1] {
		t.Fatalf("page 1 = %v, total %d, %v", page1, total, err)
	}
	page2, total, err := f.s.TransfersOfCustomer(f.ctx, cust, domain.Page{Number: 2, Size: 2})
	if err != nil || total != 3 || len(page2) != 1 || page2[0].ID != ids[0] || !slices.Equal(page2[0].SubscriptionIDs, subs[:1]) {
		t.Fatalf("page 2 = %v, total %d, %v", page2, total, err)
	}

	plan := ctPlan(t, f.s, transfersQuery(` WHERE t.customer_id = ?`), cust, 50, 0)
	joined := strings.Join(plan, "\n")
	if !strings.Contains(joined, "INDEX transfers_customer") {
		t.Errorf("the list does not use transfers_customer:\n%s", joined)
	}
	for _, l := range plan {
		if strings.Contains(l, "TEMP B-TREE") || (strings.HasPrefix(l, "SCAN ") && !strings.Contains(l, "USING")) {
			t.Errorf("the list sorts or scans: %q", l)
		}
	}
}

// A change decided on a transfer as it was read, written after another
// writer moved it on, is refused with what its new state says, and changes
// nothing.
func TestTransferLostRaceIsTheRefusal(t *testing.T) {
	f := trSetup(t)
	cust, subs := f.activeCustomer(1)
	id := f.mustTransfer(cust, subs...)
	stale := f.transfer(id) // pending, as the loser read it
	if err := f.s.CancelTransfer(f.ctx, f.actor, id); err != nil {
		t.Fatal(err)
	}
	for _, ch := range []transferChange{
		{change: domain.TransferAcceptance, set: `, accepted_on = ?`, args: []any{dateColumn(&stale.CreatedAt)}},
		{change: domain.TransferCancellation},
	} {
		f.unchanged(fmt.Sprint(ch.change)+" after the transfer was cancelled", "this one is cancelled", func() error {
			return f.s.inTx(f.ctx, func(tx *sql.Tx) error { return moveTransfer(f.ctx, tx, stale, ch, f.s.now()) })
		})
	}
}
