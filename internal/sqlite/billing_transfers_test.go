package sqlite

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/wingtip/multichannel/internal/domain"
)

// eaAzure adds an Azure subscription bought through an EA to a customer and
// returns its id.
func (f trFixture) eaAzure(customerID int64) int64 {
	f.t.Helper()
	id, err := f.s.AddSubscription(f.ctx, f.actor, domain.Subscription{CustomerID: customerID, Product: "Azure subscription (EA production)",
		ServiceType: domain.ServiceUsage, Channel: domain.ChannelEA, Reference: "EA 87654321", OfferID: "MS-AZR-0017P"})
	if err != nil {
		f.t.Fatal(err)
	}
	return id
}

// TestBillingTransferStore runs a billing transfer through the store on a
// fresh file: one open per customer, the prerequisites with their version,
// the send refused until they are met, the request with its subscriptions,
// the approval and completion, what the plan and the walk-through read, and
// an audit entry for every change.
func TestBillingTransferStore(t *testing.T) {
	f := trSetup(t)
	cust, _ := f.activeCustomer(0)
	sub := f.eaAzure(cust)

	id, err := f.s.StartBillingTransfer(f.ctx, f.actor, cust)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.StartBillingTransfer(f.ctx, f.actor, cust); !errors.Is(err, domain.ErrBillingTransferOpen) {
		t.Fatalf("a second open billing transfer: %v", err)
	}
	b, err := f.s.BillingTransfer(f.ctx, id)
	if err != nil || b.Status != domain.BillingPreparing || b.Version != 1 || b.CustomerID != cust {
		t.Fatalf("started: %+v, %v", b, err)
	}
	on := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	req := domain.BillingRequest{ApproverEmail: "ea.admin@customer.example", ApproverRole: domain.ApproverEAAdministrator, SentOn: &on}
	if err := f.s.SendBillingTransfer(f.ctx, f.actor, id, req, []int64{sub}, 1); !errors.Is(err, domain.ErrConflict) ||
		!strings.Contains(err.Error(), "Microsoft Customer Agreement") {
		t.Fatalf("sent before the prerequisites: %v", err)
	}
	met := domain.BillingPrerequisites{MCAAccepted: true, AzurePlan: true, Agreement: domain.AgreementDirectEA, SameTenant: true,
		MarketplaceEligible: true, NoneDisabled: true}
	if err := f.s.SaveBillingPrerequisites(f.ctx, f.actor, id, met, 1); err != nil {
		t.Fatal(err)
	}
	var stale *domain.Stale[domain.BillingTransfer]
	if err := f.s.SaveBillingPrerequisites(f.ctx, f.actor, id, domain.BillingPrerequisites{}, 1); !errors.As(err, &stale) || stale.Version != 2 {
		t.Fatalf("a save from a stale form: %v", err)
	}
	if err := f.s.SendBillingTransfer(f.ctx, f.actor, id, req, []int64{sub}, 2); err != nil {
		t.Fatal(err)
	}
	plan, err := f.s.BillingPlan(f.ctx, cust)
	if err != nil || plan.Open != domain.BillingSent || plan.BySubscription[sub] != domain.BillingSent {
		t.Fatalf("plan after sending: %+v, %v", plan, err)
	}
	if err := f.s.RecordBillingTransfer(f.ctx, f.actor, id, domain.BillingCompletion, on); !errors.Is(err, domain.ErrConflict) {
		t.Fatalf("completed before the approval: %v", err)
	}
	for _, c := range []domain.BillingChange{domain.BillingApproval, domain.BillingCompletion} {
		if err := f.s.RecordBillingTransfer(f.ctx, f.actor, id, c, on); err != nil {
			t.Fatal(err)
		}
	}
	b, err = f.s.BillingTransfer(f.ctx, id)
	if err != nil || b.Status != domain.BillingCompleted || b.ApproverEmail != req.ApproverEmail || b.ApproverRole != req.ApproverRole ||
		domain.FormatDate(b.SentOn) != "2026-03-02" || domain.FormatDate(b.CompletedOn) != "2026-03-02" || len(b.SubscriptionIDs) != 1 || b.SubscriptionIDs[0] != sub {
		t.Fatalf("completed: %+v, %v", b, err)
	}
	if err := f.s.RecordBillingTransfer(f.ctx, f.actor, id, domain.BillingCancellation, on); !errors.Is(err, domain.ErrConflict) {
		t.Fatalf("cancelled once completed: %v", err)
	}
	plan, _ = f.s.BillingPlan(f.ctx, cust)
	if plan.Open != "" || plan.BySubscription[sub] != domain.BillingCompleted {
		t.Fatalf("plan after completion: %+v", plan)
	}
	_, _, billed, err := f.s.UsageDoneCounts(f.ctx, cust)
	if err != nil || len(billed) != 1 || billed[0].Count != 1 || billed[0].Channel != domain.ChannelEA {
		t.Fatalf("billed counts: %+v, %v", billed, err)
	}
	// A new checklist may start once the last one has ended.
	if _, err := f.s.StartBillingTransfer(f.ctx, f.actor, cust); err != nil {
		t.Fatalf("a new billing transfer after completion: %v", err)
	}

	entries, err := f.s.RecentAudit(f.ctx, domain.Page{Number: 1, Size: 50})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[domain.AuditAction]string{}
	for _, e := range entries {
		if e.CustomerID == cust && strings.HasPrefix(e.Target, "billing_transfer:") {
			seen[e.Action] = e.Detail
		}
	}
	for _, a := range []domain.AuditAction{domain.AuditBillingTransferStarted, domain.AuditBillingTransferChecked, domain.AuditBillingTransferSent,
		domain.AuditBillingTransferApproved, domain.AuditBillingTransferCompleted} {
		if _, ok := seen[a]; !ok {
			t.Errorf("no %s audit entry", a)
		}
	}
	if d := seen[domain.AuditBillingTransferSent]; !strings.Contains(d, "ea.admin@customer.example") {
		t.Errorf("sent entry detail %q", d)
	}
}

// TestBillingTransferNeedsTheRelationship: the request is refused while the
// customer's reseller relationship is not active, as the transaction sees
// it, and cancelling before it is sent is allowed.
func TestBillingTransferNeedsTheRelationship(t *testing.T) {
	f := trSetup(t)
	cust := f.customer()
	sub := f.eaAzure(cust)
	id, err := f.s.StartBillingTransfer(f.ctx, f.actor, cust)
	if err != nil {
		t.Fatal(err)
	}
	met := domain.BillingPrerequisites{MCAAccepted: true, AzurePlan: true, Agreement: domain.AgreementMCAEnterprise, SameTenant: true,
		MarketplaceEligible: true, NoneDisabled: true}
	if err := f.s.SaveBillingPrerequisites(f.ctx, f.actor, id, met, 1); err != nil {
		t.Fatal(err)
	}
	on := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	err = f.s.SendBillingTransfer(f.ctx, f.actor, id, domain.BillingRequest{ApproverEmail: "owner@customer.example", ApproverRole: domain.ApproverMCAOwner,
		SentOn: &on}, []int64{sub}, 2)
	if !errors.Is(err, domain.ErrConflict) || !strings.Contains(err.Error(), "reseller relationship") {
		t.Fatalf("sent without an active relationship: %v", err)
	}
	if err := f.s.RecordBillingTransfer(f.ctx, f.actor, id, domain.BillingCancellation, on); err != nil {
		t.Fatal(err)
	}
	if b, _ := f.s.BillingTransfer(f.ctx, id); b.Status != domain.BillingCancelled || domain.FormatDate(b.EndedOn) != "2026-03-02" {
		t.Fatalf("cancelled: %+v", b)
	}
}
