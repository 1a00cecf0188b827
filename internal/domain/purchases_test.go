package domain

import (
	"testing"
	"time"
)

// TestRefundWindowInHoursAtItsEdges is the 7-day (168-hour) window of a
// new-commerce purchase: open from the purchase up to, not including, 168
// hours after it.
func TestRefundWindowInHoursAtItsEdges(t *testing.T) {
	bought := time.Date(2026, 11, 25, 14, 30, 0, 0, time.UTC)
	for _, tt := range []struct {
		name    string
		elapsed time.Duration
		left    time.Duration
		hours   int
		open    bool
		text    string
	}{
		{"just bought", 0, 168 * time.Hour, 168, true, "168 hours left to cancel with a refund"},
		{"five days on", 120 * time.Hour, 48 * time.Hour, 48, true, "48 hours left to cancel with a refund"},
		{"a second after five days", 120*time.Hour + time.Second, 48*time.Hour - time.Second, 48, true, "48 hours left to cancel with a refund"},
		{"167 h", 167 * time.Hour, time.Hour, 1, true, "An hour or less left to cancel with a refund"},
		{"167 h 59 m", 167*time.Hour + 59*time.Minute, time.Minute, 1, true, "An hour or less left to cancel with a refund"},
		{"exactly 168 h", 168 * time.Hour, 0, 0, false, "Refund window closed on 2026-12-02 14:30"},
		{"after", 200 * time.Hour, 0, 0, false, "Refund window closed on 2026-12-02 14:30"},
		{"a clock behind the purchase", -time.Hour, 168 * time.Hour, 168, true, "168 hours left to cancel with a refund"},
	} {
		now := bought.Add(tt.elapsed)
		p := CSPPurchase{PurchasedAt: bought}
		if left, hours, open := RefundWindowLeft(bought, now), RefundHoursLeft(bought, now), RefundWindowOpen(bought, now); left != tt.left ||
			hours != tt.hours || open != tt.open || p.RefundLeft(now) != tt.text {
			t.Errorf("%s: left %s, %d hours, open %v, %q; want %s, %d, %v, %q", tt.name, left, hours, open, p.RefundLeft(now),
				tt.left, tt.hours, tt.open, tt.text)
		}
	}
	if NCERefundWindow != 7*24*time.Hour {
		t.Errorf("NCERefundWindow = %s, want seven days", NCERefundWindow)
	}
}

func TestCSPPurchaseValidate(t *testing.T) {
	now := time.Date(2026, 12, 2, 6, 0, 0, 0, time.UTC)
	good := CSPPurchase{Product: "Microsoft 365 E3", Quantity: 10, PurchasedAt: now.Add(-time.Hour), TermLength: TermAnnual,
		BillingFrequency: BillingMonthly}
	if errs := good.Validate(now); errs.Any() {
		t.Fatalf("good purchase: %v", errs)
	}
	for _, tt := range []struct {
		name  string
		edit  func(*CSPPurchase)
		field string
	}{
		{"no product", func(p *CSPPurchase) { p.Product = "" }, "product"},
		{"no seats", func(p *CSPPurchase) { p.Quantity = 0 }, "quantity"},
		{"too many seats", func(p *CSPPurchase) { p.Quantity = MaxQuantity + 1 }, "quantity"},
		{"no time", func(p *CSPPurchase) { p.PurchasedAt = time.Time{} }, "purchased_at"},
		{"in the future", func(p *CSPPurchase) { p.PurchasedAt = now.Add(time.Minute) }, "purchased_at"},
		{"no term", func(p *CSPPurchase) { p.TermLength = "" }, "term_length"},
		{"no billing", func(p *CSPPurchase) { p.BillingFrequency = "" }, "billing_frequency"},
		{"a month billed yearly", func(p *CSPPurchase) { p.TermLength, p.BillingFrequency = TermMonthly, BillingAnnual }, "billing_frequency"},
		{"a year billed up front for three", func(p *CSPPurchase) { p.BillingFrequency = BillingTriennial }, "billing_frequency"},
	} {
		p := good
		tt.edit(&p)
		if errs := p.Validate(now); len(errs) != 1 || errs[tt.field] == "" {
			t.Errorf("%s: %v, want one error on %s", tt.name, errs, tt.field)
		}
	}
	three := good
	three.TermLength, three.BillingFrequency = TermThreeYears, BillingTriennial
	if errs := three.Validate(now); errs.Any() {
		t.Errorf("three years up front: %v", errs)
	}
}

// TestFormatDateTime writes a moment the one way pages do, in UTC.
func TestFormatDateTime(t *testing.T) {
	paris := time.FixedZone("CET", 3600)
	if got := FormatDateTime(time.Date(2026, 11, 19, 20, 43, 59, 0, paris)); got != "2026-11-19 19:43" {
		t.Errorf("FormatDateTime = %q", got)
	}
	if got := FormatDateTimeZoned(time.Date(2026, 11, 19, 20, 43, 59, 0, paris)); got != "2026-11-19 19:43 UTC" {
		t.Errorf("FormatDateTimeZoned = %q", got)
	}
}
