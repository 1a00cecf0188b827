package demo

import (
	"time"

	"github.com/wingtip/multichannel/internal/domain"
)

// treyTenantID is the made-up Microsoft ID (tenant id) of Trey Research
// CSP, the partner Coho Winery buys from today.
const treyTenantID = "3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f"

// LicenceTransfers returns a transfer of Coho Winery's new-commerce
// licences from Trey Research CSP in every state, each with Trey's tenant
// id and, once Partner Center has given one, Microsoft's transfer id:
// pending, in progress (two licences), complete (its billing split shown),
// rejected with Trey's reason, expired unanswered and cancelled. Microsoft
// 365 E3 (rejected), Visio Plan 2 (expired) and Project Plan 3 (cancelled)
// can be requested again.
func LicenceTransfers(today time.Time) []domain.SeedTransfer {
	day := func(n int) *time.Time {
		t := time.Date(today.Year(), today.Month(), today.Day()+n, 0, 0, 0, 0, time.UTC)
		return &t
	}
	at := func(n int) time.Time { return today.Add(time.Duration(n) * 24 * time.Hour) }
	transfer := func(status domain.TransferStatus, created int, microsoftID string, products ...string) domain.SeedTransfer {
		return domain.SeedTransfer{CustomerDomain: "cohowinery.onmicrosoft.com", Products: products, CreatedBy: "sam@wingtip.example",
			Transfer: domain.Transfer{Status: status, OtherPartnerName: "Trey Research CSP", OtherPartnerTenant: treyTenantID,
				MicrosoftTransferID: microsoftID, ContactEmail: "lynne@cohowinery.example", Products: []domain.TransferProduct{domain.ProductNCELicences},
				CreatedAt: at(created), ExpiresAt: at(created + domain.TransferExpiryDays)}}
	}
	pending := transfer(domain.TransferPending, -4, "8a1b2c3d-4e5f-4a6b-9c7d-0e1f2a3b4c5d", "Microsoft 365 Copilot")
	progress := transfer(domain.TransferInProgress, -6, "9b2c3d4e-5f6a-4b7c-8d9e-1f2a3b4c5d6e", "Microsoft Teams Premium", "Power BI Pro")
	progress.Transfer.AcceptedOn = day(-3)
	progress.Transfer.LineItems = "Microsoft Teams Premium, 30 seats\nPower BI Pro, 12 seats"
	complete := transfer(domain.TransferComplete, -50, "ac3d4e5f-6a7b-4c8d-9e0f-2a3b4c5d6e7f", "Microsoft 365 Business Premium")
	complete.Transfer.AcceptedOn, complete.Transfer.CompletedOn = day(-47), day(-45)
	rejected := transfer(domain.TransferRejected, -21, "bd4e5f6a-7b8c-4d9e-8f1a-3b4c5d6e7f80", "Microsoft 365 E3")
	rejected.EndedBy, rejected.Transfer.EndedAt = "sam@wingtip.example", ptrTime(at(-15))
	rejected.Transfer.RejectionReason = "Trey Research CSP will not release the subscription while its October invoice is overdue."
	expired := transfer(domain.TransferPending, -41, "", "Visio Plan 2") // past its 30 days: expired, as computed
	cancelled := transfer(domain.TransferCancelled, -10, "", "Project Plan 3")
	cancelled.EndedBy, cancelled.Transfer.EndedAt = "sam@wingtip.example", ptrTime(at(-9))
	return []domain.SeedTransfer{complete, expired, rejected, cancelled, progress, pending}
}
