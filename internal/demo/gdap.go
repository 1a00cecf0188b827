package demo

import (
	"fmt"
	"time"

	"github.com/wingtip/multichannel/internal/domain"
)

// RoleTemplates are the demo's role templates: Helpdesk, the issue's own
// example, and Service desk, close to the least-privileged roles Microsoft
// suggests for day-to-day support ("GDAP role guidance",
// https://learn.microsoft.com/en-us/partner-center/gdap-least-privileged-roles-by-task).
var RoleTemplates = []domain.RoleTemplate{
	{Name: "Helpdesk", Days: 730, Extend: true, Roles: []domain.TemplateRole{
		{Role: domain.RoleHelpdeskAdministrator, Group: "Helpdesk agents"}}},
	{Name: "Service desk", Days: 730, Roles: []domain.TemplateRole{
		{Role: domain.RoleDirectoryReaders, Group: "Service desk"},
		{Role: domain.RoleLicenseAdministrator, Group: "Licensing team"},
		{Role: domain.RoleUserAdministrator, Group: "Service desk"},
		{Role: domain.RoleServiceSupportAdministrator, Group: "Service desk"},
		{Role: domain.RolePrivilegedAuthenticationAdministrator, Group: "Senior engineers"}}},
}

// WithGDAP gives the demo requests of rels GDAP requests in every state:
// created (Fabrikam, from Helpdesk, still to create in Partner Center),
// approval pending (Coho Winery), active and ending within 30 days
// (Contoso, from Service desk, one assignment recorded and roles still
// unassigned), expired (Northwind's removed request: GDAP ends apart from
// the reseller relationship), terminated (Litware's revoked request), and
// lapsed (an older request of Adatum nobody answered). It returns the
// requests with that extra one.
func WithGDAP(today time.Time, rels []domain.SeedRelationship) []domain.SeedRelationship {
	day := func(n int) *time.Time { t := today.Add(time.Duration(n) * 24 * time.Hour); return &t }
	link := func(n int) (string, string) {
		id := fmt.Sprintf("5d027261-d21f-4aa9-b7db-7fa1f56fb%03d-8777b240-c6f0-4469-9e98-a3205431b836", n)
		return domain.GDAPInviteLink(id), id
	}
	gdap := func(name string, status domain.GDAPStatus, created int, t domain.GDAPTerms) *domain.GDAPRequest {
		return &domain.GDAPRequest{DisplayName: name, Status: status, GDAPTerms: t, CreatedAt: *day(created)}
	}
	helpdesk, desk := RoleTemplates[0].Terms(), RoleTemplates[1].Terms()
	for i := range rels {
		r := &rels[i]
		switch {
		case r.CustomerDomain == "fabrikam.onmicrosoft.com" && r.Request.Status == domain.StatusAccepted:
			r.Request.GDAP, r.GDAPTemplate = gdap("Fabrikam – Helpdesk", domain.GDAPCreated, -3, helpdesk), "Helpdesk"
		case r.CustomerDomain == "cohowinery.onmicrosoft.com":
			g := gdap("Coho Winery – licences", domain.GDAPApprovalPending, -50,
				domain.GDAPTerms{Roles: []domain.AdminRole{domain.RoleLicenseAdministrator, domain.RoleGlobalReader}, Days: 365})
			g.Link, g.MicrosoftID = link(1)
			g.LinkPastedAt = day(-45)
			r.Request.GDAP = g
		case r.CustomerDomain == "contoso.onmicrosoft.com":
			desk.Days = 45
			g := gdap("Contoso – Service desk", domain.GDAPActive, -20, desk)
			g.Link, g.MicrosoftID = link(2)
			g.LinkPastedAt, g.ActivatedAt = day(-19), day(-17)
			r.Request.GDAP, r.GDAPTemplate = g, "Service desk"
		case r.CustomerDomain == "northwindtraders.onmicrosoft.com" && r.Request.Status == domain.StatusRemoved:
			g := gdap("Northwind – support", domain.GDAPActive, -200, domain.GDAPTerms{Roles: []domain.AdminRole{domain.RoleHelpdeskAdministrator}, Days: 180})
			g.Link, g.MicrosoftID = link(3)
			g.LinkPastedAt, g.ActivatedAt = day(-199), day(-196)
			r.Request.GDAP = g
		case r.CustomerDomain == "litware.onmicrosoft.com":
			g := gdap("Litware – Helpdesk", domain.GDAPTerminated, -15, helpdesk)
			g.EndedAt, g.Reason = day(-14), "The reseller invitation was revoked; the GDAP request was withdrawn in Partner Center too."
			r.Request.GDAP, r.GDAPTemplate = g, "Helpdesk"
		}
	}
	adatum := domain.SeedRelationship{CustomerDomain: "adatum.onmicrosoft.com", CreatedBy: "sam@wingtip.example", Request: domain.RelationshipRequest{
		Status: domain.StatusExpired, RecipientName: "Isaiah Langer", RecipientEmail: "isaiah@adatum.example", CreatedAt: *day(-130), ExpiresAt: *day(-100)}}
	g := gdap("Adatum – Helpdesk", domain.GDAPApprovalPending, -130, helpdesk)
	g.Link, g.MicrosoftID = link(4)
	g.LinkPastedAt = day(-129)
	adatum.Request.GDAP, adatum.GDAPTemplate = g, "Helpdesk"
	return append([]domain.SeedRelationship{adatum}, rels...)
}
