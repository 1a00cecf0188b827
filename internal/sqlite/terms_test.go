package sqlite

import (
	"context"
	"testing"
	"time"

	"github.com/wingtip/multichannel/internal/domain"
)

// TestSubscriptionTermsRoundTrip holds migration 00015: every term field
// and the Azure offer id are stored, read back and changed; the offer's
// kind, which the rules read, is what Normalize made of the id; and the
// class counts keep subscriptions apart by commerce and offer kind, which
// the rules answer differently.
func TestSubscriptionTermsRoundTrip(t *testing.T) {
	s, _ := openTestStore(t)
	ctx := context.Background()
	actor := ctActor(t, s, "terms@wingtip.example")
	id, err := s.CreateCustomer(ctx, actor, ctCustomer(t, "Contoso", "contoso.example"))
	if err != nil {
		t.Fatal(err)
	}
	start, end := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC)
	nce := domain.Subscription{CustomerID: id, Product: "Microsoft 365 E3", ServiceType: domain.ServiceLicence, Channel: domain.ChannelOtherCSP,
		Quantity: 30, TermStart: &start, TermEnd: &end, Commerce: domain.CommerceNCE, TermLength: domain.TermAnnual,
		BillingFrequency: domain.BillingMonthly, AutoRenew: domain.AutoRenewOn}.Normalize()
	nceID, err := s.AddSubscription(ctx, actor, nce)
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.Subscription(ctx, id, nceID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Commerce != domain.CommerceNCE || got.TermLength != domain.TermAnnual || got.BillingFrequency != domain.BillingMonthly ||
		got.AutoRenew != domain.AutoRenewOn || got.TermStart == nil || !got.TermStart.Equal(start) || !got.TermEnd.Equal(end) {
		t.Fatalf("read back %+v", got)
	}
	got.Commerce, got.AutoRenew, got.TermStart = domain.CommerceLegacy, domain.AutoRenewOff, nil
	if err := s.UpdateSubscription(ctx, actor, got); err != nil {
		t.Fatal(err)
	}
	if again, _ := s.Subscription(ctx, id, nceID); again.Commerce != domain.CommerceLegacy || again.AutoRenew != domain.AutoRenewOff || again.TermStart != nil {
		t.Errorf("after the update: %+v", again)
	}
	vs := domain.Subscription{CustomerID: id, Product: "Azure", ServiceType: domain.ServiceUsage, OfferID: "ms-azr-0063p"}.Normalize()
	vsID, err := s.AddSubscription(ctx, actor, vs)
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Subscription(ctx, id, vsID); got.OfferID != "MS-AZR-0063P" || got.OfferKind != domain.OfferBenefit {
		t.Errorf("the offer read back as %q, kind %q", got.OfferID, got.OfferKind)
	}
	counts, err := s.SubscriptionCounts(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if len(counts) != 2 {
		t.Fatalf("counts %+v, want the legacy licence and the benefit apart", counts)
	}
	for _, cc := range counts {
		if w := domain.Classify(cc.ClassKey, false, domain.Rules{}).Workflow; cc.Count != 1 ||
			(w != domain.WorkflowWaitTermEnd && w != domain.WorkflowNotEligible) {
			t.Errorf("count %+v classifies as %s", cc, w)
		}
	}
}

// TestPartnerAzureExpertMSP holds the partner's designation through both
// ways the partner row is written.
func TestPartnerAzureExpertMSP(t *testing.T) {
	s, _ := openTestStore(t)
	ctx := context.Background()
	p := domain.Partner{Name: "Wingtip", PartnerID: "5139005", CSPModel: domain.CSPDirectBill, Cloud: domain.CloudCommercial, AzureExpertMSP: true}
	if err := s.SetPartner(ctx, p); err != nil {
		t.Fatal(err)
	}
	got, err := s.Partner(ctx)
	if err != nil || !got.AzureExpertMSP || !got.Rules().AzureExpertMSP {
		t.Fatalf("read back %+v, %v", got, err)
	}
	p.AzureExpertMSP = false
	if err := s.SetPartner(ctx, p); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Partner(ctx); got.AzureExpertMSP {
		t.Error("the designation stayed after it was turned off")
	}
}
