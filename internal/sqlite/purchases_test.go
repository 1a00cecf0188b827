package sqlite

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/wingtip/multichannel/internal/domain"
)

func TestCSPPurchasesRecordedListedAndInsideTheWindow(t *testing.T) {
	f := teSetup(t) // Alpha's relationship is active, Bravo's only accepted
	now := rlT0
	alphaSub := f.add(f.alpha, "A EA to replace", domain.ServiceLicence, domain.ChannelEA, 20)
	bravoSub := f.add(f.bravo, "B licence", domain.ServiceLicence, domain.ChannelThirdParty, 20)
	purchase := func(customer int64, product string, ago time.Duration, replaces int64) domain.CSPPurchase {
		return domain.CSPPurchase{CustomerID: customer, Product: product, Quantity: 3, PurchasedAt: now.Add(-ago),
			TermLength: domain.TermAnnual, BillingFrequency: domain.BillingMonthly, Replaces: replaces}
	}
	for _, p := range []domain.CSPPurchase{
		purchase(f.alpha, "Old", 169*time.Hour, 0),
		purchase(f.alpha, "Edge", 168*time.Hour, 0), // closes exactly now: outside
		purchase(f.alpha, "Replacement", 120*time.Hour, alphaSub),
		purchase(f.alpha, "Just now", time.Minute, 0),
	} {
		if _, err := f.s.RecordCSPPurchase(f.ctx, f.actor, p); err != nil {
			t.Fatalf("%s: %v", p.Product, err)
		}
	}
	// Bravo has no active relationship; Alpha cannot replace Bravo's licence.
	var errs domain.FieldErrors
	if _, err := f.s.RecordCSPPurchase(f.ctx, f.actor, purchase(f.bravo, "Refused", time.Hour, 0)); !errors.As(err, &errs) || errs[""] == "" {
		t.Errorf("purchase without an active relationship: %v", err)
	}
	if _, err := f.s.RecordCSPPurchase(f.ctx, f.actor, purchase(f.alpha, "Refused", time.Hour, bravoSub)); !errors.As(err, &errs) || errs["replaces"] == "" {
		t.Errorf("purchase replacing another customer's licence: %v", err)
	}

	list, total, err := f.s.CSPPurchases(f.ctx, f.alpha, domain.Page{Number: 1, Size: 3})
	var products []string
	for _, p := range list {
		products = append(products, p.Product)
	}
	if err != nil || total != 4 || !slices.Equal(products, []string{"Just now", "Replacement", "Edge"}) {
		t.Fatalf("Alpha's purchases = %q of %d, %v; want the newest three of 4", products, total, err)
	}
	if r := list[1]; r.Replaces != alphaSub || r.ReplacesProduct != "A EA to replace" || r.RecordedBy == "" || !r.RecordedAt.Equal(now) ||
		!r.PurchasedAt.Equal(now.Add(-120*time.Hour)) || r.Quantity != 3 || r.TermLength != domain.TermAnnual {
		t.Errorf("replacement as read = %+v", r)
	}
	if none, total, err := f.s.CSPPurchases(f.ctx, f.bravo, domain.Page{Number: 1, Size: 3}); err != nil || len(none) != 0 || total != 0 {
		t.Errorf("Bravo's purchases = %v of %d, %v; want none: the refused ones were not written", none, total, err)
	}

	inside, count, err := f.s.PurchasesSince(f.ctx, now.Add(-domain.NCERefundWindow), 1)
	if err != nil || count != 2 || len(inside) != 1 || inside[0].Purchase.Product != "Replacement" || inside[0].CustomerName != "Customer 01" {
		t.Errorf("inside the window = %+v (%d), %v; want Replacement first of 2, with its customer", inside, count, err)
	}

	entries, err := f.s.RecentAudit(f.ctx, domain.Page{Number: 1, Size: 10})
	if err != nil {
		t.Fatal(err)
	}
	recorded := 0
	for _, e := range entries {
		if e.Action == domain.AuditCSPPurchaseRecorded {
			recorded++
			if e.CustomerID != f.alpha || !strings.HasPrefix(e.Target, "csp_purchase:") {
				t.Errorf("audit entry %+v", e)
			}
		}
	}
	if recorded != 4 {
		t.Errorf("%d purchases audited, want 4", recorded)
	}
}

func TestPurchaseQueriesUseTheirIndexes(t *testing.T) {
	f := teSetup(t)
	for _, tc := range []struct {
		name, query, index string
		args               []any
	}{
		{"plan", customerPurchasesSQL, "csp_purchases_customer", []any{f.alpha, 20, 0}},
		{"dashboard", purchasesSinceSQL, "csp_purchases_purchased_at", []any{formatTime(rlT0), 20}},
	} {
		text := strings.Join(ctPlan(t, f.s, tc.query, tc.args...), "\n  ")
		if !strings.Contains(text, "USING INDEX "+tc.index) && !strings.Contains(text, "USING COVERING INDEX "+tc.index) ||
			strings.Contains(text, "TEMP B-TREE") {
			t.Errorf("%s:\n  %s\nwant a search of %s without sorting", tc.name, text, tc.index)
		}
	}
}
