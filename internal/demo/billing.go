package demo

import (
	"time"

	"github.com/wingtip/multichannel/internal/domain"
)

// Billing returns the demo's billing transfer (Azure Expert MSP): Contoso's,
// its relationship active, with every prerequisite met and the request sent
// to its EA administrator four days ago, waiting for the approval. Litware's
// EA Azure has none: its relationship was revoked, so its plan says the
// reseller relationship comes first.
func Billing(today time.Time) []domain.SeedBillingTransfer {
	day := func(n int) *time.Time {
		t := time.Date(today.Year(), today.Month(), today.Day()+n, 0, 0, 0, 0, time.UTC)
		return &t
	}
	return []domain.SeedBillingTransfer{{CustomerDomain: "contoso.onmicrosoft.com", Products: []string{"Azure subscription (EA production)"},
		CreatedBy: "sam@wingtip.example", Transfer: domain.BillingTransfer{Status: domain.BillingSent, CreatedAt: today.Add(-6 * 24 * time.Hour),
			Prerequisites: domain.BillingPrerequisites{MCAAccepted: true, AzurePlan: true, Agreement: domain.AgreementDirectEA, SameTenant: true,
				MarketplaceEligible: true, NoneDisabled: true},
			ApproverEmail: "ea.admin@contoso.example", ApproverRole: domain.ApproverEAAdministrator, SentOn: day(-4)}}}
}
