package domain

import (
	"errors"
	"fmt"
	"slices"
	"strings"
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
	{"rejected", trIn(TransferRejected, time.Hour), TransferRejected},
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
		TransferRejection:    "Only a pending transfer can be marked as rejected by the other partner; this one is ",
		TransferIDRecording:  "Microsoft's transfer id can be recorded only while the transfer is pending or in progress; this one is ",
	}
	// allowed gives, per effective state, where each change it allows
	// leads; every other pair is refused.
	allowed := map[TransferStatus]map[TransferChange]TransferStatus{
		TransferPending: {TransferAcceptance: TransferInProgress, TransferCancellation: TransferCancelled, TransferRejection: TransferRejected,
			TransferIDRecording: TransferPending},
		TransferInProgress: {TransferCompletion: TransferComplete, TransferIDRecording: TransferInProgress},
	}
	tried := 0
	for _, st := range trStates {
		if got := st.t.Effective(trNow); got != st.effective {
			t.Fatalf("%s: effective %s, want %s", st.name, got, st.effective)
		}
		for _, c := range TransferChanges {
			tried++
			next, err := st.t.Next(c, trNow)
			if to, ok := allowed[st.effective][c]; ok {
				if err != nil || next != to {
					t.Errorf("%s, change %d = %s, %v; want %s", st.name, c, next, err, to)
				}
				continue
			}
			if next != "" {
				t.Errorf("%s, change %d refused but leads to %q", st.name, c, next)
			}
			want := refused[c] + map[TransferStatus]string{TransferPending: "pending", TransferExpired: "expired", TransferInProgress: "in progress",
				TransferComplete: "complete", TransferCancelled: "cancelled", TransferRejected: "rejected"}[st.effective] + "."
			if st.effective == TransferExpired {
				want += lapsed
			}
			wantConflict(t, fmt.Sprintf("%s, change %d", st.name, c), err, want)
		}
	}
	if tried != len(trStates)*5 {
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
		{"reject an expired one", expired, TransferRejection, true},
		{"record the id of an expired one", expired, TransferIDRecording, true},
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
		wantConflict(t, tc.name, err, "This transfer request expired on "+tc.t.ExpiresAt.Format(DateLayout)+
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
			want := []bool{mayAct && pending, mayAct && inProgress, mayAct && pending, mayAct && pending, mayAct && (pending || inProgress)}
			if got := []bool{row.CanAccept, row.CanComplete, row.CanCancel, row.CanReject, row.CanRecordID}; !slices.Equal(got, want) {
				t.Errorf("%s, may act %v: accept, complete, cancel, reject, record id = %v; want %v", st.name, mayAct, got, want)
			}
			for _, c := range TransferChanges {
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

func TestTransferableIsAzureOrNCELicencesFromAnotherPartnerNotHeld(t *testing.T) {
	azure := func(id int64) Subscription {
		return Subscription{ID: id, Channel: ChannelOtherCSP, ServiceType: ServiceUsage}
	}
	licence := func(id int64, commerce Commerce) Subscription {
		return Subscription{ID: id, Channel: ChannelOtherCSP, ServiceType: ServiceLicence, Commerce: commerce}
	}
	subs := []Subscription{
		azure(1), azure(2), {ID: 3, Channel: ChannelEA, ServiceType: ServiceUsage},
		licence(4, CommerceLegacy), azure(5), licence(6, CommerceNCE), licence(7, CommerceNCE), licence(8, CommerceNCE),
		licence(9, CommerceNCE), licence(10, CommerceNCE), licence(11, ""),
	}
	states := map[int64]SubscriptionTransfer{2: {Status: TransferComplete}, 5: {Status: TransferCancelled},
		7: {Status: TransferPending}, 8: {Status: TransferInProgress}, 9: {Status: TransferRejected, RejectionReason: "no"}, 10: {Status: TransferExpired}}
	var got []int64
	for _, s := range Transferable(Customer{}, Rules{}, subs, states) {
		got = append(got, s.ID)
	}
	// Not the EA Azure, the legacy or unknown-commerce licence, nor what a
	// complete, pending or in-progress transfer holds.
	if want := []int64{1, 5, 6, 9, 10}; !slices.Equal(got, want) {
		t.Errorf("transferable %v, want %v", got, want)
	}
	if len(Transferable(Customer{IsCSPPartner: true}, Rules{}, subs, nil)) != 0 {
		t.Error("a CSP partner's subscriptions are transferable")
	}
}

func TestTransferRequestValidation(t *testing.T) {
	ids := func(n int) []int64 {
		out := make([]int64, n)
		for i := range out {
			out[i] = int64(i + 1)
		}
		return out
	}
	valid := NewTransfer{CustomerID: 1, SubscriptionIDs: ids(1), OtherPartnerName: " Trey Research CSP ",
		OtherPartnerTenant: "{72F988BF-86F1-41AF-91AB-2D7CD011DB47}", ContactEmail: "lynne@cohowinery.example",
		Products: []TransferProduct{ProductNCELicences}}
	for _, tc := range []struct {
		name  string
		model CSPModel
		edit  func(*NewTransfer)
		field string // "" when valid
		want  string // part of the message
	}{
		{"valid, tenant id in braces and capitals", CSPDirectBill, func(*NewTransfer) {}, "", ""},
		{"the limit of line items", CSPDirectBill, func(n *NewTransfer) { n.SubscriptionIDs = ids(TransferLineItemLimit) }, "", ""},
		{"one over the limit", CSPDirectBill, func(n *NewTransfer) { n.SubscriptionIDs = ids(TransferLineItemLimit + 1) }, "subscriptions", "at most 25"},
		{"nothing chosen", CSPDirectBill, func(n *NewTransfer) { n.SubscriptionIDs = nil }, "subscriptions", "at least one"},
		{"no tenant id", CSPDirectBill, func(n *NewTransfer) { n.OtherPartnerTenant = " " }, "other_partner_tenant", "Microsoft ID"},
		{"a tenant id that is no GUID", CSPDirectBill, func(n *NewTransfer) { n.OtherPartnerTenant = "trey.onmicrosoft.com" }, "other_partner_tenant", "GUID"},
		{"Microsoft's transfer id, optional, given", CSPDirectBill, func(n *NewTransfer) { n.MicrosoftTransferID = "43FB1D3A-79FE-45A9-863E-9A4ACF17B630" }, "", ""},
		{"Microsoft's transfer id that is no GUID", CSPDirectBill, func(n *NewTransfer) { n.MicrosoftTransferID = "TR-1" }, "microsoft_transfer_id", "GUID"},
		{"an indirect reseller says who submitted it", CSPIndirectReseller, func(n *NewTransfer) { n.SubmittedBy = "Ravi at Contoso Distribution" }, "", ""},
		{"an indirect reseller without who submitted it", CSPIndirectReseller, func(*NewTransfer) {}, "submitted_by", "indirect provider"},
		{"an indirect provider without the reseller", CSPIndirectProvider, func(*NewTransfer) {}, "reseller_partner_id", "PartnerID"},
		{"the products offered only", CSPDirectBill, func(n *NewTransfer) { n.Products = []TransferProduct{"software"} }, "products", "offered"},
	} {
		n := valid
		tc.edit(&n)
		n = n.Normalize()
		errs := n.Validate(tc.model)
		switch {
		case tc.field == "" && errs.Any():
			t.Errorf("%s: %v", tc.name, errs)
		case tc.field != "" && !strings.Contains(errs[tc.field], tc.want):
			t.Errorf("%s: errors %v; want %s to say %q", tc.name, errs, tc.field, tc.want)
		case tc.field != "" && len(errs) != 1:
			t.Errorf("%s: errors %v; want only %s", tc.name, errs, tc.field)
		}
	}
	if n := valid.Normalize(); n.OtherPartnerTenant != "72f988bf-86f1-41af-91ab-2d7cd011db47" || n.OtherPartnerName != "Trey Research CSP" {
		t.Errorf("normalised %+v", n)
	}
}

func TestTransferChosenFromTheSourcePartner(t *testing.T) {
	e3 := Subscription{ID: 1, Product: "Microsoft 365 E3", ServiceType: ServiceLicence, Channel: ChannelOtherCSP, Reference: "Trey Research CSP"}
	visio := Subscription{ID: 2, Product: "Visio Plan 2", ServiceType: ServiceLicence, Channel: ChannelOtherCSP, Reference: "Fourth Coffee Cloud"}
	unnamed := Subscription{ID: 3, Product: "Project Plan 3", ServiceType: ServiceLicence, Channel: ChannelOtherCSP}
	plan := Subscription{ID: 4, Product: "Azure plan", ServiceType: ServiceUsage, Channel: ChannelOtherCSP, Reference: " trey research csp "}
	for _, tc := range []struct {
		name     string
		products []TransferProduct
		chosen   []Subscription
		field    string
		want     string
	}{
		{"the same partner, case and spaces aside", []TransferProduct{ProductNCELicences, ProductAzureSubscription}, []Subscription{e3, plan, unnamed}, "", ""},
		{"a licence from another partner", []TransferProduct{ProductNCELicences}, []Subscription{e3, visio}, "other_partner_name",
			"Visio Plan 2 was bought from Fourth Coffee Cloud, not Trey Research CSP"},
		{"a licence without New-commerce licences", []TransferProduct{ProductAzureSubscription}, []Subscription{e3, plan}, "products", "tick New-commerce licences"},
		{"Azure without an Azure product", []TransferProduct{ProductNCELicences}, []Subscription{e3, plan}, "products", "Azure subscription is chosen"},
		{"New-commerce licences without a licence", []TransferProduct{ProductNCELicences, ProductAzureSavingsPlan}, []Subscription{plan}, "products", "untick"},
	} {
		n := NewTransfer{OtherPartnerName: "Trey Research CSP", Products: tc.products}
		errs := n.CheckChosen(tc.chosen)
		switch {
		case tc.field == "" && errs.Any():
			t.Errorf("%s: %v", tc.name, errs)
		case tc.field != "" && (!strings.Contains(errs[tc.field], tc.want) || len(errs) != 1):
			t.Errorf("%s: errors %v; want %s to say %q", tc.name, errs, tc.field, tc.want)
		}
	}
}

// The source partner bills up to and including the transfer date, we from
// the day after, across month and year ends and leap days.
func TestTransferBillingSplitDates(t *testing.T) {
	d := func(y int, m time.Month, day int) time.Time { return time.Date(y, m, day, 0, 0, 0, 0, time.UTC) }
	for _, tc := range []struct {
		on, until, from time.Time
	}{
		{d(2026, 5, 14), d(2026, 5, 14), d(2026, 5, 15)},
		{d(2026, 4, 30), d(2026, 4, 30), d(2026, 5, 1)},
		{d(2026, 1, 31), d(2026, 1, 31), d(2026, 2, 1)},
		{d(2026, 12, 31), d(2026, 12, 31), d(2027, 1, 1)},
		{d(2027, 2, 28), d(2027, 2, 28), d(2027, 3, 1)},
		{d(2028, 2, 28), d(2028, 2, 28), d(2028, 2, 29)},
		{d(2028, 2, 29), d(2028, 2, 29), d(2028, 3, 1)},
		{d(2026, 5, 14).Add(23 * time.Hour), d(2026, 5, 14), d(2026, 5, 15)}, // a time of day counts as its day
	} {
		if got := BillingSplitOn(tc.on); !got.SourceUntil.Equal(tc.until) || !got.OursFrom.Equal(tc.from) {
			t.Errorf("transferred %s: the source bills until %s and we from %s; want %s and %s", tc.on,
				got.SourceUntil.Format(DateLayout), got.OursFrom.Format(DateLayout), tc.until.Format(DateLayout), tc.from.Format(DateLayout))
		}
	}
}

func TestTransferRejectionAndMicrosoftID(t *testing.T) {
	if errs := ValidRejection("  "); !strings.Contains(errs["reason"], "reason the other partner gave") {
		t.Errorf("an empty reason: %v", errs)
	}
	if errs := ValidRejection(strings.Repeat("é", 1001)); errs["reason"] == "" {
		t.Error("a reason of 1,001 characters is accepted")
	}
	if errs := ValidRejection("Outstanding invoices."); errs.Any() {
		t.Errorf("a reason: %v", errs)
	}
	if id, errs := NormalizeMicrosoftTransferID(" {43FB1D3A-79FE-45A9-863E-9A4ACF17B630} ", true); errs.Any() || id != "43fb1d3a-79fe-45a9-863e-9a4acf17b630" {
		t.Errorf("a transfer id in braces: %q, %v", id, errs)
	}
	if _, errs := NormalizeMicrosoftTransferID("", true); errs["microsoft_transfer_id"] == "" {
		t.Error("an empty required transfer id is accepted")
	}
	if _, errs := NormalizeMicrosoftTransferID("", false); errs.Any() {
		t.Errorf("an empty optional transfer id: %v", errs)
	}
	for _, tc := range []struct {
		st   SubscriptionTransfer
		want string
	}{
		{SubscriptionTransfer{Status: TransferRejected, RejectionReason: "The customer has unpaid invoices."},
			"The other partner rejected the transfer: The customer has unpaid invoices. Clear it up with them, then request it again."},
		{SubscriptionTransfer{Status: TransferComplete}, "Transferred."},
		{SubscriptionTransfer{Status: TransferCancelled}, "Ready: request the transfer from the other partner."},
	} {
		if got := TransferStage(tc.st, true, true); got != tc.want {
			t.Errorf("stage of %+v = %q, want %q", tc.st, got, tc.want)
		}
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

// What a change needs of the expiry, which the store repeats in its
// conditional update, agrees with Next: a change from pending is refused
// at the expiry, one from in progress is not.
func TestTransferChangeExpiryAgreesWithNext(t *testing.T) {
	for _, c := range TransferChanges {
		for _, st := range c.From() {
			for _, expiresIn := range []time.Duration{time.Hour, 0, -time.Hour} {
				tr := trIn(st, expiresIn)
				_, err := tr.Next(c, trNow)
				if holds := TransferExpiryFrom(st).Holds(tr.ExpiresAt, trNow); holds != (err == nil) {
					t.Errorf("change %d from %s expiring in %v: expiry holds %v, Next says %v", c, st, expiresIn, holds, err)
				}
			}
		}
	}
}
