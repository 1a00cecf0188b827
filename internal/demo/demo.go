// Package demo builds the demo data that `make run` puts into an empty
// database: the partner, one user per role, and customers whose subscriptions
// cover every channel × service type pair, so a fresh clone can be tried at
// once.
package demo

import (
	"context"
	_ "embed" // the demo's Partner Center export
	"net/url"
	"time"

	"github.com/wingtip/multichannel/internal/domain"
	"github.com/wingtip/multichannel/internal/relationships"
	"github.com/wingtip/multichannel/internal/tokens"
)

// Password is the password of every demo account.
const Password = "multichannel-demo"

// Partner is the demo partner organisation.
var Partner = domain.Partner{
	Name: "Wingtip Cloud Partners", PartnerID: "5139005", CSPModel: domain.CSPDirectBill, Cloud: domain.CloudCommercial,
	TenantID: demoTenantID, Country: "GB",
	// A direct-bill Azure Expert MSP, so that Azure bought through an
	// Enterprise Agreement (Contoso's and Litware's) shows the billing
	// transfer.
	AzureExpertMSP: true,
	// In the shape Partner Center gives it; the tenant id is made up, so
	// the link leads nowhere at Microsoft.
	ResellerLink: "https://admin.microsoft.com/Adminportal/Home?invType=ResellerRelationship&partnerId=" + demoTenantID +
		"&msppId=0&DAP=false#/BillingAccounts/partner-invitation",
}

// demoTenantID is the demo partner's made-up Microsoft ID.
const demoTenantID = "0d1e2f3a-4b5c-4d6e-8f70-81a2b3c4d5e6"

// PartnerCenterExport is the demo partner's customer list as Partner Center
// exports it (UTF-8 with a BOM, CRLF): uploaded on /relationships/verify it
// verifies Fabrikam (accepted) and Contoso (active) by Microsoft ID and
// Northwind (pending) by primary domain, offers to create Relecloud, which
// the app does not know, and warns that Coho Winery, active in the app, is
// missing from it.
//
//go:embed partner-center-customers.csv
var PartnerCenterExport []byte

// CustomerList is a customer list in a partner's own spreadsheet, with its
// own column names, semicolons and country names, for a newcomer to try the
// import of customers in bulk (/customers/import): it creates Relecloud,
// Wide World Importers and Trey Research, fills in Tailspin Toys' tenant
// id, and finds Northwind Traders with nothing to change.
//
//go:embed customer-list.csv
var CustomerList []byte

// tenantIDs are the made-up Microsoft IDs of the demo customers the app
// knows by tenant id; the others have none, as when a partner did not note
// it down.
var tenantIDs = map[string]string{
	"contoso.onmicrosoft.com":  "6f1a2b3c-4d5e-4f60-8a71-b2c3d4e5f607",
	"fabrikam.onmicrosoft.com": "7a2b3c4d-5e6f-4a71-9b82-c3d4e5f60718",
}

// Users are the demo accounts, one per role.
var Users = []domain.NewUser{
	{Email: "avery@wingtip.example", Name: "Avery Chen", Role: domain.RoleGlobalAdmin, Password: Password},
	{Email: "sam@wingtip.example", Name: "Sam Patel", Role: domain.RoleAdminAgent, Password: Password},
	{Email: "jordan@wingtip.example", Name: "Jordan Lee", Role: domain.RoleSalesAgent, Password: Password},
}

// Store is what seeding needs: one transaction that writes everything into
// an empty database and reports whether it did.
type Store interface {
	SeedDemo(ctx context.Context, data domain.SeedData) (bool, error)
}

// PasswordHasher hashes the demo passwords.
type PasswordHasher interface {
	Hash(ctx context.Context, password string) (string, error)
}

// Seed adds the demo data when the database holds no partner and no user,
// and reports whether it did. It never touches a database in use, and writes
// all of the demo data or none of it. Invitation links are built on base.
func Seed(ctx context.Context, store Store, hasher PasswordHasher, today time.Time, base *url.URL) (bool, error) {
	data := Build(today)
	rels, err := Relationships(today, base)
	if err != nil {
		return false, err
	}
	data.RoleTemplates, data.Relationships = RoleTemplates, WithGDAP(today, rels)
	data.Migrations, data.Transfers = Usage(today)
	data.Purchases = Purchases(today)
	data.Billing = Billing(today)
	data.Transfers = append(data.Transfers, LicenceTransfers(today)...)
	for i, u := range Users {
		hash, err := hasher.Hash(ctx, u.Password)
		if err != nil {
			return false, err
		}
		data.Users[i].PasswordHash = hash
	}
	return store.SeedDemo(ctx, data)
}

// Build returns the demo data with term ends counted from today. Password
// hashes are left empty for Seed to fill.
func Build(today time.Time) domain.SeedData {
	y, m, d := today.Date()
	months := func(n int) *time.Time {
		t := time.Date(y, m+time.Month(n), d, 0, 0, 0, 0, time.UTC)
		return &t
	}
	days := func(n int) *time.Time {
		t := time.Date(y, m, d+n, 0, 0, 0, 0, time.UTC)
		return &t
	}
	sub := func(product string, service domain.ServiceType, channel domain.Channel, seats int, termEnd *time.Time, ref string) domain.Subscription {
		return domain.Subscription{Product: product, ServiceType: service, Channel: channel, Quantity: seats, TermEnd: termEnd, Reference: ref}
	}
	// term gives a licence its terms: commerce, length, billing, auto-renew,
	// and a start one term before its end.
	term := func(s domain.Subscription, commerce domain.Commerce, length domain.TermLength, billing domain.BillingFrequency,
		renew domain.AutoRenew) domain.Subscription {
		s.Commerce, s.TermLength, s.BillingFrequency, s.AutoRenew = commerce, length, billing, renew
		if s.TermEnd != nil {
			start := s.TermEnd.AddDate(0, -1, 0)
			switch length {
			case domain.TermAnnual:
				start = s.TermEnd.AddDate(-1, 0, 0)
			case domain.TermThreeYears:
				start = s.TermEnd.AddDate(-3, 0, 0)
			}
			s.TermStart = &start
		}
		return s
	}
	nce := func(s domain.Subscription) domain.Subscription {
		return term(s, domain.CommerceNCE, domain.TermAnnual, domain.BillingMonthly, domain.AutoRenewOn)
	}
	offer := func(s domain.Subscription, id string) domain.Subscription {
		s.OfferID = id
		return s.Normalize()
	}
	const (
		lic   = domain.ServiceLicence
		usage = domain.ServiceUsage
	)
	data := domain.SeedData{Partner: Partner}
	for _, u := range Users {
		data.Users = append(data.Users, domain.User{Email: u.Email, Name: u.Name, Role: u.Role, Active: true})
	}
	customer := func(name, domainName, country, admin, adminEmail string, csp bool, subs ...domain.Subscription) {
		data.Customers = append(data.Customers, domain.CustomerInventory{
			Customer: domain.Customer{Name: name, Domain: domainName, TenantID: tenantIDs[domainName], Country: country, AdminName: admin,
				AdminEmail: adminEmail, IsCSPPartner: csp},
			Subscriptions: subs,
		})
	}
	customer("Contoso Ltd", "contoso.onmicrosoft.com", "GB", "Megan Bowen", "megan.bowen@contoso.example", false,
		term(sub("Microsoft 365 E3", lic, domain.ChannelEA, 250, months(7), "EA 87654321"), "", domain.TermThreeYears, domain.BillingAnnual, domain.AutoRenewOn),
		offer(sub("Azure plan", usage, domain.ChannelMicrosoftDirect, 0, nil, "2b8d4f6a-1c3e-4a5b-9d7f-0e2c4a6b8d1f"), "MS-AZR-0003P"),
		nce(sub("Exchange Online (Plan 1)", lic, domain.ChannelMicrosoftDirect, 40, months(2), "")),
		sub("Azure subscription", usage, domain.ChannelMicrosoftDirect, 0, nil, "4f1c2e8a-0b6d-4c1e-9a57-3d2b8e6f0c11"),
		sub("Azure reservation", usage, domain.ChannelAdvisor, 0, nil, "Blue Yonder Advisors"),
		sub("Azure subscription (dev/test)", usage, domain.ChannelThirdParty, 0, nil, "a3c9e2f1-7b4d-4e8a-9c6f-1d2e3f4a5b6c"),
		offer(sub("Azure subscription (EA production)", usage, domain.ChannelEA, 0, nil, "EA 87654321"), "MS-AZR-0017P"))
	customer("Coho Winery", "cohowinery.onmicrosoft.com", "NZ", "Lynne Robbins", "lynne@cohowinery.example", false,
		nce(sub("Microsoft 365 Business Premium", lic, domain.ChannelOtherCSP, 45, days(60), "Trey Research CSP")),
		nce(sub("Microsoft 365 E3", lic, domain.ChannelOtherCSP, 30, months(8), "Trey Research CSP")),
		nce(sub("Microsoft Teams Premium", lic, domain.ChannelOtherCSP, 30, months(6), "Trey Research CSP")),
		nce(sub("Power BI Pro", lic, domain.ChannelOtherCSP, 12, months(9), "Trey Research CSP")),
		nce(sub("Microsoft 365 Copilot", lic, domain.ChannelOtherCSP, 10, months(10), "Trey Research CSP")),
		nce(sub("Visio Plan 2", lic, domain.ChannelOtherCSP, 5, months(4), "Trey Research CSP")),
		nce(sub("Project Plan 3", lic, domain.ChannelOtherCSP, 5, months(3), "Trey Research CSP")),
		sub("Azure plan", usage, domain.ChannelOtherCSP, 0, nil, "Trey Research CSP"),
		sub("Azure subscription", usage, domain.ChannelOtherCSP, 0, nil, "Trey Research CSP"),
		sub("Azure reservation", usage, domain.ChannelOtherCSP, 0, nil, "Trey Research CSP"),
		sub("Azure savings plan", usage, domain.ChannelOtherCSP, 0, nil, "Trey Research CSP"),
		sub("Azure subscription (test)", usage, domain.ChannelOtherCSP, 0, nil, "Trey Research CSP"),
		sub("Azure plan (analytics)", usage, domain.ChannelOtherCSP, 0, nil, "Trey Research CSP"))
	customer("Fabrikam, Inc.", "fabrikam.onmicrosoft.com", "US", "Alex Wilber", "alex.wilber@fabrikam.example", false,
		sub("Office 365 E3", lic, domain.ChannelOtherCSP, 120, days(5), "Litware Cloud Services"),
		sub("Azure plan", usage, domain.ChannelOtherCSP, 0, nil, "Litware Cloud Services"),
		sub("Dynamics 365 Sales Enterprise", lic, domain.ChannelAdvisor, 15, months(5), "Blue Yonder Advisors"),
		sub("Azure reservation", usage, domain.ChannelAdvisor, 0, nil, "Blue Yonder Advisors"))
	customer("Northwind Traders", "northwindtraders.onmicrosoft.com", "DE", "Diego Siciliani", "diego@northwind.example", false,
		sub("Microsoft 365 Business Premium", lic, domain.ChannelOpen, 60, months(4), "MPSA 4711-2026"),
		sub("Azure subscription", usage, domain.ChannelOpen, 0, nil, "9b3e61d0-5c7a-4f2e-8d14-62a0c9e7b5f3"),
		sub("Office 365 E1", lic, domain.ChannelThirdParty, 30, days(25), "Datacom Resellers"),
		sub("Azure plan", usage, domain.ChannelThirdParty, 0, nil, "Datacom Resellers"))
	customer("Adatum Corporation", "adatum.onmicrosoft.com", "FR", "Isaiah Langer", "isaiah@adatum.example", false,
		sub("Power BI Pro", lic, domain.ChannelSyndication, 20, months(6), "Telco Cloud Bundle"),
		sub("Azure subscription", usage, domain.ChannelSyndication, 0, nil, "Telco Cloud Bundle"),
		sub("Dynamics 365 Business Central", lic, domain.ChannelThirdParty, 10, months(9), "Tech Data Resale"))
	customer("Tailspin Toys", "tailspintoys.onmicrosoft.com", "AU", "Lidia Holloway", "lidia@tailspintoys.example", false,
		sub("Microsoft 365 E5", lic, domain.ChannelUnknown, 35, nil, ""),
		sub("Azure plan", usage, domain.ChannelUnknown, 0, nil, ""),
		sub("Visio Plan 2", domain.ServiceUnknown, domain.ChannelUnknown, 4, nil, ""))
	customer("Woodgrove Bank", "woodgrovebank.onmicrosoft.com", "US", "Nestor Wilke", "nestor@woodgrove.example", true,
		sub("Microsoft 365 E5", lic, domain.ChannelOtherCSP, 500, months(10), "Woodgrove's own CSP tenant"),
		sub("Azure plan", usage, domain.ChannelMicrosoftDirect, 0, nil, "c8d2a7e4-1f3b-4a6c-b9e0-7d5f2a8c3e91"))
	customer("Litware, Inc.", "litware.onmicrosoft.com", "CA", "Patti Fernandez", "patti@litware.example", false,
		term(sub("Office 365 E5", lic, domain.ChannelOtherCSP, 80, months(11), "Fourth Coffee Cloud"), domain.CommerceLegacy,
			domain.TermAnnual, domain.BillingAnnual, domain.AutoRenewOn),
		nce(sub("Microsoft 365 Business Standard", lic, domain.ChannelMicrosoftDirect, 25, months(1), "")),
		sub("Azure savings plan", usage, domain.ChannelEA, 0, nil, "EA 11223344"),
		offer(sub("Azure subscription (production)", usage, domain.ChannelEA, 0, nil, "EA 11223344"), "MS-AZR-0017P"))
	customer("Proseware, Inc.", "proseware.onmicrosoft.com", "NL", "Johanna Lorenz", "johanna@proseware.example", false,
		sub("Microsoft Teams Essentials", lic, domain.ChannelThirdParty, 12, months(3), "Local IT Shop"),
		sub("Azure plan", usage, domain.ChannelOtherCSP, 0, nil, "Trey Research CSP"),
		sub("Exchange Online (Plan 2)", lic, domain.ChannelAdvisor, 8, months(8), "Blue Yonder Advisors"))
	customer("Alpine Ski House", "alpineskihouse.onmicrosoft.com", "CH", "Henrietta Mueller", "henrietta@alpineskihouse.example", false,
		sub("Microsoft 365 Business Basic", lic, domain.ChannelOpen, 20, months(12), "Open Value 0815-2025"),
		sub("Azure plan", usage, domain.ChannelAdvisor, 0, nil, "Blue Yonder Advisors"),
		offer(sub("Azure (Visual Studio Enterprise)", usage, domain.ChannelUnknown, 0, nil, "Henrietta's developer subscription"), "MS-AZR-0063P"))
	return data
}

// Relationships returns demo requests in every state, so the review queue
// has work on first run: active (Contoso), awaiting verification (Fabrikam),
// awaiting the customer (Northwind, and Proseware expiring within a week),
// declined (Adatum), revoked (Litware), expired (Alpine Ski House), rejected
// and removed (older requests of Proseware and Northwind). Adatum and
// Litware can be invited again.
func Relationships(today time.Time, base *url.URL) ([]domain.SeedRelationship, error) {
	data := Build(today)
	customers := map[string]domain.Customer{}
	for _, ci := range data.Customers {
		customers[ci.Customer.Domain] = ci.Customer
	}
	day := func(n int) time.Time { return today.Add(time.Duration(n) * 24 * time.Hour) }
	ptr := func(t time.Time) *time.Time { return &t }
	const (
		avery  = "avery@wingtip.example"
		sam    = "sam@wingtip.example"
		jordan = "jordan@wingtip.example"
	)
	request := func(domainName string, status domain.RelationshipStatus, created, expires int, by string) domain.SeedRelationship {
		c := customers[domainName]
		return domain.SeedRelationship{CustomerDomain: domainName, CreatedBy: by, Request: domain.RelationshipRequest{Status: status,
			RecipientName: c.AdminName, RecipientEmail: c.AdminEmail, CreatedAt: day(created), ExpiresAt: day(expires)}}
	}
	answered := func(r domain.SeedRelationship, at int) domain.SeedRelationship {
		c := customers[r.CustomerDomain]
		r.Request.AcceptedName, r.Request.AcceptedEmail, r.Request.AnsweredAt = c.AdminName, c.AdminEmail, ptr(day(at))
		r.Attestation = attestation(r.Request.Status, c, day(at))
		return r
	}
	pending := func(r domain.SeedRelationship) (domain.SeedRelationship, error) {
		token, hash, err := tokens.New()
		if err != nil {
			return r, err
		}
		draft := relationships.InvitationMessage(Partner, customers[r.CustomerDomain], r.Request.RecipientName, r.Request.RecipientEmail,
			nil, 0, relationships.Link(base, token), r.Request.ExpiresAt)
		r.TokenHash, r.Draft = hash, &draft
		return r, nil
	}

	active := answered(request("contoso.onmicrosoft.com", domain.StatusActive, -20, 10, sam), -18)
	active.ReviewedBy, active.Request.ReviewedAt = avery, ptr(day(-17))
	coho := answered(request("cohowinery.onmicrosoft.com", domain.StatusActive, -50, -20, avery), -48)
	coho.ReviewedBy, coho.Request.ReviewedAt = sam, ptr(day(-47))

	review := answered(request("fabrikam.onmicrosoft.com", domain.StatusAccepted, -3, 27, sam), -1)

	waiting, err := pending(request("northwindtraders.onmicrosoft.com", domain.StatusPending, -2, 28, jordan))
	if err != nil {
		return nil, err
	}
	expiring, err := pending(request("proseware.onmicrosoft.com", domain.StatusPending, -26, 4, sam))
	if err != nil {
		return nil, err
	}

	declined := answered(request("adatum.onmicrosoft.com", domain.StatusDeclined, -10, 20, jordan), -8)
	revoked := request("litware.onmicrosoft.com", domain.StatusRevoked, -15, 15, jordan)
	revoked.EndedBy, revoked.Request.EndedAt = jordan, ptr(day(-14))
	expired := request("alpineskihouse.onmicrosoft.com", domain.StatusExpired, -40, -10, sam)

	rejected := answered(request("proseware.onmicrosoft.com", domain.StatusRejected, -60, -30, sam), -58)
	rejected.ReviewedBy, rejected.Request.ReviewedAt = sam, ptr(day(-57))
	rejected.Request.Reason = "The person who accepted is not a Global admin of the Proseware tenant."
	removed := answered(request("northwindtraders.onmicrosoft.com", domain.StatusRemoved, -200, -170, avery), -198)
	removed.ReviewedBy, removed.Request.ReviewedAt = avery, ptr(day(-197))
	removed.EndedBy, removed.Request.EndedAt = avery, ptr(day(-30))
	removed.Request.Reason = "Northwind moved its Microsoft purchasing to another partner; it came back this month."

	return []domain.SeedRelationship{removed, rejected, expired, revoked, declined, coho, active, review, expiring, waiting}, nil
}

// Usage returns demo checklists at every step (Contoso: the Azure plan done,
// the Azure subscription moved but not cancelled, the reservation recorded
// and coexisting, the dev/test subscription not started) and transfers in
// every state (Coho Winery; its analytics Azure plan has none yet).
func Usage(today time.Time) ([]domain.SeedMigration, []domain.SeedTransfer) {
	day := func(n int) *time.Time {
		t := time.Date(today.Year(), today.Month(), today.Day()+n, 0, 0, 0, 0, time.UTC)
		return &t
	}
	at := func(n int) time.Time { return today.Add(time.Duration(n) * 24 * time.Hour) }
	const contoso, coho = "contoso.onmicrosoft.com", "cohowinery.onmicrosoft.com"
	recorded := domain.AzureMigration{CSPSubscriptionID: "5d2f8a1c-3e4b-4c6d-8e9f-0a1b2c3d4e5f", DisplayName: "Contoso production (CSP)",
		CreatedOn: day(-15), CreatedByRole: domain.RoleAdminAgent}
	migrations := []domain.SeedMigration{
		{CustomerDomain: contoso, Product: "Azure plan", Migration: func() domain.AzureMigration {
			m := recorded
			m.Step, m.MovedNote, m.MovedOn = domain.MigrationDone, "All resource groups moved with Azure Resource Mover.", day(-10)
			m.CancelScope, m.CancelledOn, m.CancelledBy, m.CancelReference = domain.CancelWhole, day(-5), domain.CancelledByCustomer, "EA amendment 2026-11"
			return m
		}()},
		{CustomerDomain: contoso, Product: "Azure subscription", Migration: func() domain.AzureMigration {
			m := recorded
			m.CSPSubscriptionID, m.DisplayName = "6e3a9b2d-4f5c-4d7e-9fa0-1b2c3d4e5f60", "Contoso web (CSP)"
			m.Step, m.MovedNote, m.MovedOn = domain.MigrationCancelOld, "Web apps and databases moved.", day(-3)
			return m
		}()},
		{CustomerDomain: contoso, Product: "Azure reservation", Migration: func() domain.AzureMigration {
			m := recorded
			m.CSPSubscriptionID, m.DisplayName, m.Step = "7f4b0c3e-5a6d-4e8f-a0b1-2c3d4e5f6071", "Contoso reserved capacity (CSP)", domain.MigrationMoveWorkloads
			return m
		}()},
	}
	transfer := func(product string, status domain.TransferStatus, created int) domain.SeedTransfer {
		return domain.SeedTransfer{CustomerDomain: coho, Products: []string{product}, CreatedBy: "sam@wingtip.example",
			Transfer: domain.Transfer{Status: status, OtherPartnerName: "Trey Research CSP", OtherPartnerTenant: treyTenantID, ContactEmail: "lynne@cohowinery.example",
				Products: []domain.TransferProduct{domain.ProductAzureSubscription}, CreatedAt: at(created),
				ExpiresAt: at(created + domain.TransferExpiryDays)}}
	}
	complete := transfer("Azure plan", domain.TransferComplete, -40)
	complete.Transfer.AcceptedOn, complete.Transfer.CompletedOn = day(-35), day(-30)
	progress := transfer("Azure subscription", domain.TransferInProgress, -12)
	progress.Transfer.AcceptedOn = day(-8)
	pendingSoon := transfer("Azure reservation", domain.TransferPending, -26)
	pendingSoon.Transfer.Products = []domain.TransferProduct{domain.ProductAzureReservation}
	cancelled := transfer("Azure savings plan", domain.TransferCancelled, -20)
	cancelled.Transfer.Products = []domain.TransferProduct{domain.ProductAzureSavingsPlan}
	cancelled.EndedBy, cancelled.Transfer.EndedAt = "sam@wingtip.example", ptrTime(at(-19))
	expired := transfer("Azure subscription (test)", domain.TransferPending, -45) // past its 30 days: expired, as computed
	return migrations, []domain.SeedTransfer{complete, progress, pendingSoon, cancelled, expired}
}

func ptrTime(t time.Time) *time.Time { return &t }
