package demo

import (
	"time"

	"github.com/wingtip/multichannel/internal/domain"
)

// Purchases returns the demo partner's own CSP purchases for Contoso, whose
// relationship is active: one made five days before now, so 48 hours of its
// 7-day cancellation window are left and the dashboard lists it, and one
// made twelve days before, whose window has closed.
func Purchases(now time.Time) []domain.SeedPurchase {
	const contoso, sam = "contoso.onmicrosoft.com", "sam@wingtip.example"
	return []domain.SeedPurchase{
		{CustomerDomain: contoso, RecordedBy: sam, Purchase: domain.CSPPurchase{Product: "Microsoft Teams Premium", Quantity: 25,
			PurchasedAt: now.Add(-5 * 24 * time.Hour), TermLength: domain.TermAnnual, BillingFrequency: domain.BillingMonthly}},
		{CustomerDomain: contoso, RecordedBy: sam, Purchase: domain.CSPPurchase{Product: "Visio Plan 2", Quantity: 5,
			PurchasedAt: now.Add(-12 * 24 * time.Hour), TermLength: domain.TermAnnual, BillingFrequency: domain.BillingAnnual}},
	}
}
