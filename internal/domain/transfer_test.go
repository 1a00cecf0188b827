package domain

import (
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"
)

// trNow is the time the transfer tests decide at.
var trNow = time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)

// trIn is a transfer stored in st that expires after expiresIn from trNow.
func trIn(st TransferStatus, expiresIn time.Duration) Transfer {
	return Transfer{ID: 7, Status: st, CreatedAt: trNow.Add(expiresIn - TransferExpiryDays*24*time.Hour), ExpiresAt: trNow.Add(expiresIn)}
}

// trStates is every effective state a transfer can be in, from what is
// stored: a pending one at or past its expiry counts as expired.
var trStates = []struct {
	name      string
	t         Transfer
	effective TransferStatus
}{
	{"pending", trIn(TransferPending, time.Nanosecond), TransferPending},
	{"pending at its expiry", trIn(TransferPending, 0), TransferExpired},
	{"pending past its expiry", trIn(TransferPending, -24*time.Hour), TransferExpired},
	{"in progress", trIn(TransferInProgress, -24*time.Hour), TransferInProgress},
	{"complete", trIn(TransferComplete, -24*time.Hour), TransferComplete},
	{"cancelled", trIn(TransferCancelled, time.Hour), TransferCancelled},
	{"stored expired", trIn(TransferExpired, -time.Hour), TransferExpired},
}

func wantConflict(t *testing.T, what string, err error, reason string) {
	t.Helper()
	var c *ConflictError
	if !errors.As(err, &c) || !errors.Is(err, ErrConflict) {
		t.Fatalf("%s: %v; want a ConflictError", what, err)
	}
	if c.Reason != reason {
		t.Errorf("%s: reason\n %q\nwant\n %q", what, c.Reason, reason)
	}
}

func TestTransferStateMachineEveryTransition(t *testing.T) {
	const lapsed = " The other partner did not accept it within 30 days; create a new request if the customer still wants the transfer."
	refused := map[TransferChange]string{
		TransferAcceptance:   "Only a pending transfer can be marked as accepted by the other partner; this one is ",
		TransferCompletion:   "Only a transfer in progress can be completed; this one is ",
		TransferCancellation: "A transfer can only be cancelled while pending; this one is ",
	}
	allowed := map[TransferChange]struct{ from, to TransferStatus }{
		TransferAcceptance:   {TransferPending, TransferInProgress},
		TransferCompletion:   {TransferInProgress, TransferComplete},
		TransferCancellation: {TransferPending, TransferCancelled},
	}
	tried := 0
	for _, st := range trStates {
		if got := st.t.Effective(trNow); got != st.effective {
			t.Fatalf("%s: effective %s, want %s", st.name, got, st.effective)
		}
		for _, c := range transferChanges {
			tried++
			next, err := st.t.Next(c, trNow)
			a := allowed[c]
			if c.From() != a.from || c.To() != a.to {
				t.Errorf("change %d goes %s → %s, want %s → %s", c, c.From(), c.To(), a.from, a.to)
			}
			if st.effective == a.from {
				if err != nil || next != a.to {
					t.Errorf("%s, change %d = %s, %v; want %s", st.name, c, next, err, a.to)
				}
				continue
			}
			if next != "" {
				t.Errorf("%s, change %d refused but leads to %q", st.name, c, next)
			}
			want := refused[c] + map[TransferStatus]string{TransferPending: "pending", TransferExpired: "expired", TransferInProgress: "in progress",
				TransferComplete: "complete", TransferCancelled: "cancelled"}[st.effective] + "."
			if st.effective == TransferExpired {
				want += lapsed
			}
			wantConflict(t, fmt.Sprintf("%s, change %d", st.name, c), err, want)
		}
	}
	if tried != len(trStates)*3 {
		t.Fatalf("tried %d pairs", tried)
	}
}

func TestTransferLapsedBeforeTheDateIsChecked(t *testing.T) {
	expired := trIn(TransferPending, -time.Hour)
	for _, tc := range []struct {
		name string
		t    Transfer
		c    TransferChange
		want bool
	}{
		{"accept an expired one", expired, TransferAcceptance, true},
		{"cancel an expired one", expired, TransferCancellation, true},
		{"accept one expiring at this instant", trIn(TransferPending, 0), TransferAcceptance, true},
		{"complete one whose request expired", expired, TransferCompletion, false}, // Next's to refuse
		{"accept a live one", trIn(TransferPending, time.Nanosecond), TransferAcceptance, false},
		{"accept one in progress past its 30 days", trIn(TransferInProgress, -time.Hour), TransferAcceptance, false},
		{"cancel a cancelled one", trIn(TransferCancelled, -time.Hour), TransferCancellation, false},
	} {
		err := tc.t.Lapsed(tc.c, trNow)
		if !tc.want {
			if err != nil {
				t.Errorf("%s: %v; want nil", tc.name, err)
			}
			continue
		}
		wantConflict(t, tc.name, err, "This transfer request expired on "+tc.t.ExpiresAt.Format("2 January 2006")+
			": the other partner did not accept it within 30 days. Create a new request if the customer still wants the transfer.")
	}
}

func TestTransferRowOffersWhatTheMachineAllows(t *testing.T) {
	for _, st := range trStates {
		for _, mayAct := range []bool{true, false} {
			row := NewTransferRow(st.t, trNow, mayAct)
			if row.Status != st.effective || row.Transfer.ID != st.t.ID || row.DaysLeft != st.t.DaysLeft(trNow) {
				t.Errorf("%s: row %+v", st.name, row)
			}
			pending, inProgress := st.effective == TransferPending, st.effective == TransferInProgress
			want := []bool{mayAct && pending, mayAct && inProgress, mayAct && pending}
			if got := []bool{row.CanAccept, row.CanComplete, row.CanCancel}; !slices.Equal(got, want) {
				t.Errorf("%s, may act %v: accept, complete, cancel = %v; want %v", st.name, mayAct, got, want)
			}
			for _, c := range transferChanges {
				_, err := st.t.Next(c, trNow)
				if c.Offered(st.effective, true) != (err == nil) {
					t.Errorf("%s: change %d offered %v but Next says %v", st.name, c, c.Offered(st.effective, true), err)
				}
			}
		}
	}
}

func TestTransferPrerequisiteNeedsAnActiveRelationship(t *testing.T) {
	for _, tc := range []struct {
		rel  RelationshipStatus
		want string
	}{
		{StatusActive, ""},
		{"", "A transfer needs an active reseller relationship with the customer, and none has been requested yet: request it first."},
		{StatusPending, "A transfer needs an active reseller relationship with the customer: the invitation is still waiting for the customer's Global admin to accept it."},
		{StatusAccepted, "A transfer needs an active reseller relationship with the customer: the customer accepted, and a Global admin or Admin agent must verify it in Partner Center first."},
		{StatusExpired, "A transfer needs an active reseller relationship with the customer: request a new one, the last request has lapsed."},
	} {
		if got := TransferPrerequisite(tc.rel); got != tc.want {
			t.Errorf("TransferPrerequisite(%q) = %q, want %q", tc.rel, got, tc.want)
		}
	}
}

func TestTransferCreationConflicts(t *testing.T) {
	if !slices.Equal(TransferHoldingStates, []TransferStatus{TransferPending, TransferInProgress, TransferComplete}) {
		t.Errorf("holding states %v", TransferHoldingStates)
	}
	wantConflict(t, "held by a complete transfer", SubscriptionHeld("Azure plan", 12, TransferComplete),
		"Azure plan was already transferred to us by transfer request 12.")
	wantConflict(t, "held by a pending transfer", SubscriptionHeld("Azure plan", 12, TransferPending),
		"Azure plan is already in transfer request 12, which is pending: a subscription can be in one open transfer at a time.")
	wantConflict(t, "held by a transfer in progress", SubscriptionHeld("Azure plan", 12, TransferInProgress),
		"Azure plan is already in transfer request 12, which is in progress: a subscription can be in one open transfer at a time.")
	wantConflict(t, "a removed subscription", SubscriptionGone(),
		"One of the chosen subscriptions is no longer in this customer's inventory. Reload the page and choose again.")
}

func TestTransferableIsAzureFromAnotherPartnerNotYetOurs(t *testing.T) {
	subs := []Subscription{
		{ID: 1, Channel: ChannelOtherCSP, ServiceType: ServiceUsage},
		{ID: 2, Channel: ChannelOtherCSP, ServiceType: ServiceUsage},
		{ID: 3, Channel: ChannelEA, ServiceType: ServiceUsage},
		{ID: 4, Channel: ChannelOtherCSP, ServiceType: ServiceLicence},
		{ID: 5, Channel: ChannelOtherCSP, ServiceType: ServiceUsage},
	}
	states := map[int64]TransferStatus{2: TransferComplete, 5: TransferCancelled}
	var got []int64
	for _, s := range Transferable(Customer{}, Rules{}, subs, states) {
		got = append(got, s.ID)
	}
	if !slices.Equal(got, []int64{1, 5}) {
		t.Errorf("transferable %v, want [1 5]", got)
	}
	if len(Transferable(Customer{IsCSPPartner: true}, Rules{}, subs, nil)) != 0 {
		t.Error("a CSP partner's Azure is transferable")
	}
}

func TestTransfersPageProposal(t *testing.T) {
	ov := CustomerOverview{Customer: Customer{ID: 3, AdminEmail: "admin@fabrikam.example"}}
	one := TransfersPage{Overview: ov, MayAct: true, Candidates: []Subscription{{ID: 9, Reference: "Litware"}}}
	if n := one.Proposal(); n.CustomerID != 3 || n.ContactEmail != "admin@fabrikam.example" || n.OtherPartnerName != "Litware" ||
		!slices.Equal(n.SubscriptionIDs, []int64{9}) || !slices.Equal(n.Products, []TransferProduct{ProductAzureSubscription}) {
		t.Errorf("proposal with one candidate: %+v", n)
	}
	two := TransfersPage{Overview: ov, MayAct: true, Candidates: []Subscription{{ID: 9}, {ID: 10, Reference: "Contoso Cloud"}, {ID: 11, Reference: "Other"}}}
	if n := two.Proposal(); n.OtherPartnerName != "Contoso Cloud" || n.SubscriptionIDs != nil {
		t.Errorf("proposal with three candidates: %+v", n)
	}
	for _, tc := range []struct {
		name string
		p    TransfersPage
		want bool
	}{
		{"may act, nothing blocks", two, true},
		{"may not act", TransfersPage{Candidates: two.Candidates}, false},
		{"blocked", TransfersPage{MayAct: true, Blocked: "no", Candidates: two.Candidates}, false},
		{"nothing to transfer", TransfersPage{MayAct: true}, false},
	} {
		if got := tc.p.CanRequest(); got != tc.want {
			t.Errorf("%s: CanRequest = %v", tc.name, got)
		}
	}
}

// transferChanges lists every change of a transfer.
var transferChanges = []TransferChange{TransferAcceptance, TransferCompletion, TransferCancellation}

// What a change needs of the expiry, which the store repeats in its
// conditional update, agrees with Next: a change from pending is refused
// at the expiry, one from in progress is not.
func TestTransferChangeExpiryAgreesWithNext(t *testing.T) {
	for _, c := range transferChanges {
		st := c.From()
		for _, expiresIn := range []time.Duration{time.Hour, 0, -time.Hour} {
			tr := trIn(st, expiresIn)
			_, err := tr.Next(c, trNow)
			if holds := c.Expiry().Holds(tr.ExpiresAt, trNow); holds != (err == nil) {
				t.Errorf("change %d from %s expiring in %v: Expiry holds %v, Next says %v", c, st, expiresIn, holds, err)
			}
		}
	}
}
