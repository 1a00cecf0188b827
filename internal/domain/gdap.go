package domain

import (
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// This file holds granular delegated admin privileges (GDAP): the admin
// roles a partner asks of a customer, as a request of its own beside the
// reseller relationship. Partner staff create the GDAP relationship in
// Partner Center, paste its invitation link here, and record the customer's
// approval and the access assignments; the app is the record and the guide,
// not a Graph client.

// AdminRole is the app's stored code of a Microsoft Entra built-in role a
// partner may request through GDAP; EntraRoles maps it to Microsoft's
// roleDefinitionId.
type AdminRole string

// The Entra roles offered. The first ten codes are those stored before GDAP
// had its own request, so old rows still read.
const (
	RoleDirectoryReaders                      AdminRole = "directory_readers"
	RoleGlobalReader                          AdminRole = "global_reader"
	RoleLicenseAdministrator                  AdminRole = "license_administrator"
	RoleUserAdministrator                     AdminRole = "user_administrator"
	RoleHelpdeskAdministrator                 AdminRole = "helpdesk_administrator"
	RoleServiceSupportAdministrator           AdminRole = "service_support_administrator"
	RoleExchangeAdministrator                 AdminRole = "exchange_administrator"
	RoleSharePointAdministrator               AdminRole = "sharepoint_administrator"
	RoleTeamsAdministrator                    AdminRole = "teams_administrator"
	RoleSecurityAdministrator                 AdminRole = "security_administrator"
	RoleSecurityReader                        AdminRole = "security_reader"
	RoleIntuneAdministrator                   AdminRole = "intune_administrator"
	RoleCloudDeviceAdministrator              AdminRole = "cloud_device_administrator"
	RoleApplicationAdministrator              AdminRole = "application_administrator"
	RoleCloudApplicationAdministrator         AdminRole = "cloud_application_administrator"
	RoleAuthenticationPolicyAdministrator     AdminRole = "authentication_policy_administrator"
	RolePrivilegedAuthenticationAdministrator AdminRole = "privileged_authentication_administrator"
	RolePrivilegedRoleAdministrator           AdminRole = "privileged_role_administrator"
	RoleBillingAdministrator                  AdminRole = "billing_administrator"
	RoleReportsReader                         AdminRole = "reports_reader"
	RoleGlobalAdministrator                   AdminRole = "global_administrator"
)

// EntraRole is a Microsoft Entra built-in role a partner may request
// through GDAP. ID is the role's template ID, which Microsoft Graph uses as
// roleDefinitionId in delegatedAdminRelationship.accessDetails.unifiedRoles.
// GDAP supports only built-in roles ("Custom Azure AD roles aren't
// supported", https://learn.microsoft.com/en-us/partner-center/customers/gdap-faq),
// so the list is closed.
type EntraRole struct {
	Code        AdminRole
	ID          string // template ID (roleDefinitionId)
	Name        string // Microsoft's display name
	Description string // Microsoft's one-line description, verbatim
	Privileged  bool   // carries the "Privileged" label in the Entra reference (preview)
}

// EntraRoles lists the roles in the order they are offered. Source:
// https://learn.microsoft.com/en-us/entra/identity/role-based-access-control/permissions-reference
// ("All roles": Role | Description | Template ID), checked 2026-12-02
// against ms.date 01/20/2026 and against two independent lists.
var EntraRoles = []EntraRole{
	{RoleDirectoryReaders, "88d8e3e3-8f55-4a1e-953a-9b9898b8876b", "Directory Readers", "Can read basic directory information. Commonly used to grant directory read access to applications and guests.", false},
	{RoleGlobalReader, "f2ef992c-3afb-46b9-b7cf-a126ee74c451", "Global Reader", "Can read everything that a Global Administrator can, but not update anything.", true},
	{RoleLicenseAdministrator, "4d6ac14f-3453-41d0-bef9-a3e0c569773a", "License Administrator", "Can manage product licenses on users and groups.", false},
	{RoleUserAdministrator, "fe930be7-5e62-47db-91af-98c3a49a38b1", "User Administrator", "Can manage all aspects of users and groups, including resetting passwords for limited admins.", true},
	{RoleHelpdeskAdministrator, "729827e3-9c14-49f7-bb1b-9608f156bbb8", "Helpdesk Administrator", "Can reset passwords for non-administrators and Helpdesk Administrators.", true},
	{RoleServiceSupportAdministrator, "f023fd81-a637-4b56-95fd-791ac0226033", "Service Support Administrator", "Can read service health information and manage support tickets.", false},
	{RoleExchangeAdministrator, "29232cdf-9323-42fd-ade2-1d097af3e4de", "Exchange Administrator", "Can manage all aspects of the Exchange product.", false},
	{RoleSharePointAdministrator, "f28a1f50-f6e7-4571-818b-6a12f2af6b6c", "SharePoint Administrator", "Can manage all aspects of the SharePoint service.", false},
	{RoleTeamsAdministrator, "69091246-20e8-4a56-aa4d-066075b2a7a8", "Teams Administrator", "Can manage the Microsoft Teams service.", false},
	{RoleSecurityAdministrator, "194ae4cb-b126-40b2-bd5b-6091b380977d", "Security Administrator", "Can read security information and reports, and manage configuration in Microsoft Entra ID and Office 365.", true},
	{RoleSecurityReader, "5d6b6bb7-de71-4623-b4af-96380a352509", "Security Reader", "Can read security information and reports in Microsoft Entra ID and Office 365.", true},
	{RoleIntuneAdministrator, "3a2c62db-5318-420d-8d74-23affee5d9d5", "Intune Administrator", "Can manage all aspects of the Intune product.", true},
	{RoleCloudDeviceAdministrator, "7698a772-787b-4ac8-901f-60d6b08affd2", "Cloud Device Administrator", "Limited access to manage devices in Microsoft Entra ID.", true},
	{RoleApplicationAdministrator, "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3", "Application Administrator", "Can create and manage all aspects of app registrations and enterprise apps.", true},
	{RoleCloudApplicationAdministrator, "158c047a-c907-4556-b7ef-446551a6b5f7", "Cloud Application Administrator", "Can create and manage all aspects of app registrations and enterprise apps except App Proxy.", true},
	{RoleAuthenticationPolicyAdministrator, "0526716b-113d-4c15-b2c8-68e3c22b9f80", "Authentication Policy Administrator", "Can create and manage the authentication methods policy, tenant-wide MFA settings, password protection policy, and verifiable credentials.", false},
	{RolePrivilegedAuthenticationAdministrator, "7be44c8a-adaf-4e2a-84d6-ab2649e08a13", "Privileged Authentication Administrator", "Can access to view, set and reset authentication method information for any user (admin or non-admin).", true},
	{RolePrivilegedRoleAdministrator, "e8611ab8-c189-46e8-94e1-60213ab1f814", "Privileged Role Administrator", "Can manage role assignments in Microsoft Entra ID, and all aspects of Privileged Identity Management.", true},
	{RoleBillingAdministrator, "b0f54661-2d74-4c50-afa3-1ec803f12efe", "Billing Administrator", "Can perform common billing related tasks like updating payment information.", false},
	{RoleReportsReader, "4a5d8f65-41da-4de4-8968-e035b65339cf", "Reports Reader", "Can read sign-in and audit reports.", false},
	{RoleGlobalAdministrator, "62e90394-69f5-4237-9190-012177145e10", "Global Administrator", "Can manage all aspects of Microsoft Entra ID and Microsoft services that use Microsoft Entra identities.", true},
}

// AdminRoles lists the codes of EntraRoles, in the order they are offered.
var AdminRoles = func() []AdminRole {
	out := make([]AdminRole, len(EntraRoles))
	for i, r := range EntraRoles {
		out[i] = r.Code
	}
	return out
}()

// Entra returns the Entra role of code r; ok is false for a code the app
// does not know.
func (r AdminRole) Entra() (EntraRole, bool) {
	i := slices.IndexFunc(EntraRoles, func(e EntraRole) bool { return e.Code == r })
	if i < 0 {
		return EntraRole{Code: r, Name: string(r)}, false
	}
	return EntraRoles[i], true
}

// Label is the role's name in Microsoft Entra; an unknown code is shown as
// itself.
func (r AdminRole) Label() string {
	e, _ := r.Entra()
	return e.Name
}

// RoleLabels joins the names of roles for one line of text.
func RoleLabels(roles []AdminRole) string {
	names := make([]string, len(roles))
	for i, r := range roles {
		names[i] = r.Label()
	}
	return strings.Join(names, ", ")
}

// NormalizeRoles puts roles in the order they are offered, without repeats;
// unknown codes are kept at the end so that validation reports them.
func NormalizeRoles(roles []AdminRole) []AdminRole {
	var out []AdminRole
	for _, r := range AdminRoles {
		if slices.Contains(roles, r) {
			out = append(out, r)
		}
	}
	for _, r := range roles {
		if !slices.Contains(AdminRoles, r) && !slices.Contains(out, r) {
			out = append(out, r)
		}
	}
	return out
}

// GDAP's limits, from Microsoft Graph's delegatedAdminRelationship
// (https://learn.microsoft.com/en-us/graph/api/resources/delegatedadminrelationship?view=graph-rest-1.0
// and https://learn.microsoft.com/en-us/graph/api/tenantrelationship-post-delegatedadminrelationships?view=graph-rest-1.0)
// and the GDAP FAQ (https://learn.microsoft.com/en-us/partner-center/customers/gdap-faq).
const (
	GDAPMinDays        = 1   // duration "between P1D and P2Y inclusive"
	GDAPMaxDays        = 730 // P2Y; Microsoft's own example is "P730D"
	GDAPDefaultDays    = 730 // "The default duration is two years."
	GDAPAutoExtendDays = 180 // autoExtendDuration's only non-zero value, P180D ("six months")
	// GDAPPendingLapseDays is how long Microsoft keeps a request nobody
	// approved: "GDAP relationship requests expire after 90 days" (FAQ);
	// "Approval pending state for 90 days are automatically cleaned up"
	// (https://learn.microsoft.com/en-us/partner-center/customers/gdap-activity-logs).
	GDAPPendingLapseDays = 90
	GDAPDisplayNameMax   = 50 // displayName: "Maximum length is 50 characters."
	// GDAPEndingSoonDays is the dashboard's window: Microsoft's first
	// expiry reminder comes 30 days before the end
	// (https://learn.microsoft.com/en-us/partner-center/customers/gdap-expiring-notifications).
	GDAPEndingSoonDays = 30
)

// GDAPTerms are the roles, duration and auto-extend of a GDAP request or a
// role template: what Partner Center's "Add admin relationship" form asks.
type GDAPTerms struct {
	Roles      []AdminRole
	Days       int
	AutoExtend bool
}

// Check says what is wrong with the terms, by form field: roles from the
// list, at least one, 1–730 days, and no auto-extend with Global
// Administrator — Microsoft: "Don't autoextend GDAP with Global
// Administrator"
// (https://learn.microsoft.com/en-us/partner-center/customers/expiring-gdap-relationships-and-auto-extend-gdap).
func (t GDAPTerms) Check(errs FieldErrors) {
	if len(t.Roles) == 0 {
		errs["admin_roles"] = "Choose at least one admin role."
	}
	for _, r := range t.Roles {
		if !slices.Contains(AdminRoles, r) {
			errs["admin_roles"] = "Choose roles from the list: GDAP offers Entra built-in roles only."
		}
	}
	if t.Days < GDAPMinDays || t.Days > GDAPMaxDays {
		errs["admin_days"] = "A GDAP relationship lasts 1 to 730 days."
	}
	if t.AutoExtend && slices.Contains(t.Roles, RoleGlobalAdministrator) {
		errs["auto_extend"] = "Microsoft does not auto-extend a GDAP relationship with Global Administrator among its roles."
	}
}

// NewGDAPRequest is what the partner fills in to ask a customer for admin
// roles with a reseller relationship request.
type NewGDAPRequest struct {
	DisplayName string
	GDAPTerms
	TemplateID int64 // the role template it started from; 0 for none
}

// Normalize trims the display name and puts the roles in canonical order.
func (n NewGDAPRequest) Normalize() NewGDAPRequest {
	n.DisplayName = strings.Join(strings.Fields(n.DisplayName), " ")
	n.Roles = NormalizeRoles(n.Roles)
	return n
}

// Validate checks a normalised GDAP request, asked by role: only roles that
// may request admin roles may (Partner Center lets only Admin agents create
// GDAP relationships:
// https://learn.microsoft.com/en-us/partner-center/customers/gdap-obtain-admin-permissions-to-manage-customer;
// the app lets Global admins too), the display name rules, and the terms.
// Uniqueness of the display name is the store's to check.
func (n NewGDAPRequest) Validate(role Role) FieldErrors {
	errs := FieldErrors{}
	if !role.Allows(PermRequestAdminRoles) {
		errs["admin_roles"] = "Your role sends reseller relationship requests only: an Admin agent or a Global admin asks for admin roles (in Partner Center, GDAP needs the Admin agent role)."
		return errs
	}
	switch n := utf8.RuneCountInString(n.DisplayName); {
	case n == 0:
		errs["gdap_name"] = "Name the GDAP relationship: the customer sees the name in the Microsoft 365 admin center."
	case n > GDAPDisplayNameMax:
		errs["gdap_name"] = fmt.Sprintf("Microsoft allows at most %d characters (this one has %d).", GDAPDisplayNameMax, n)
	}
	n.GDAPTerms.Check(errs)
	return errs
}

// ErrGDAPNameTaken refuses a display name another GDAP request of the
// partner has: Microsoft requires it "unique across all delegated admin
// relationships of the partner".
var ErrGDAPNameTaken = FieldErrors{"gdap_name": "Another GDAP relationship of yours has this name: Microsoft needs each name unique."}

// SuggestGDAPName is a display name for a customer's GDAP request that
// fits Microsoft's limit: the customer's name and the template's (or
// "admin"), cut to 50 characters.
func SuggestGDAPName(customer, template string) string {
	if template == "" {
		template = "admin"
	}
	name := []rune(customer + " – " + template)
	if len(name) > GDAPDisplayNameMax {
		name = name[:GDAPDisplayNameMax]
	}
	return strings.TrimSpace(string(name))
}

// GDAPStatus is where a GDAP request stands in the app's record of it.
// Microsoft's own statuses (created, approvalPending, active, expired,
// terminated and the steps between them,
// https://learn.microsoft.com/en-us/graph/api/resources/delegatedadminrelationship?view=graph-rest-1.0)
// are mirrored as far as partner staff can see and record them.
type GDAPStatus string

// The states of a GDAP request. Expired and lapsed are computed from the
// clock (see Effective), so no job is needed.
const (
	GDAPCreated         GDAPStatus = "created"          // asked for in the app; not yet created in Partner Center
	GDAPApprovalPending GDAPStatus = "approval_pending" // created in Partner Center: its invitation link is recorded
	GDAPActive          GDAPStatus = "active"           // the customer approved; recorded by partner staff
	GDAPExpired         GDAPStatus = "expired"          // past its end date
	GDAPLapsed          GDAPStatus = "lapsed"           // approval pending for 90 days: Microsoft removes it
	GDAPTerminated      GDAPStatus = "terminated"       // ended by the partner before its end
)

// Label is the state's name on step 4.
func (s GDAPStatus) Label() string {
	switch s {
	case GDAPCreated:
		return "To create in Partner Center"
	case GDAPApprovalPending:
		return "Approval pending"
	case GDAPActive:
		return "Active"
	case GDAPExpired:
		return "Expired"
	case GDAPLapsed:
		return "Expired unanswered"
	case GDAPTerminated:
		return "Terminated"
	}
	return string(s)
}

// GDAPRequest is one request for admin roles in a customer's tenant, with
// the reseller relationship request it goes with.
type GDAPRequest struct {
	ID             int64
	RelationshipID int64
	CustomerID     int64
	CustomerName   string
	DisplayName    string
	GDAPTerms
	TemplateID       int64
	Status           GDAPStatus // as stored; see Effective
	Link             string     // the customer's invitation link, as pasted or built from the id
	MicrosoftID      string     // the admin relationship id in the link
	CreatedByName    string
	CreatedAt        time.Time
	LinkPastedByName string
	LinkPastedAt     *time.Time
	ActivatedByName  string
	ActivatedAt      *time.Time // when the customer approved, as partner staff recorded it
	EndedByName      string
	EndedAt          *time.Time
	Reason           string
}

// LapsesAt is when an approval-pending request disappears at Microsoft: 90
// days after its link was recorded (Microsoft does not say from which
// moment it counts; the link is the app's first sign of the request).
func (g GDAPRequest) LapsesAt() *time.Time {
	if g.LinkPastedAt == nil {
		return nil
	}
	t := g.LinkPastedAt.AddDate(0, 0, GDAPPendingLapseDays)
	return &t
}

// EndsAt is the end date of an activated relationship as it stands at now:
// activation + duration ("endDateTime = activatedDateTime + duration",
// Graph), rolled forward by 180 days at a time while it auto-extends ("it's
// rolled forward by six months"). Nil before activation.
func (g GDAPRequest) EndsAt(now time.Time) *time.Time {
	if g.ActivatedAt == nil {
		return nil
	}
	end := g.FirstEnd(*g.ActivatedAt)
	for g.AutoExtend && !now.Before(end) {
		end = end.AddDate(0, 0, GDAPAutoExtendDays)
	}
	return &end
}

// FirstEnd is the end of a relationship with these terms activated at
// activated, before any auto-extension: activation + duration.
func (t GDAPTerms) FirstEnd(activated time.Time) time.Time { return activated.AddDate(0, 0, t.Days) }

// Effective is the request's state at now: an active relationship past its
// end has expired, and a request pending approval for 90 days has lapsed,
// before anything writes it down.
func (g GDAPRequest) Effective(now time.Time) GDAPStatus {
	switch g.Status {
	case GDAPActive:
		if end := g.EndsAt(now); end != nil && !now.Before(*end) {
			return GDAPExpired
		}
	case GDAPApprovalPending:
		if at := g.LapsesAt(); at != nil && !now.Before(*at) {
			return GDAPLapsed
		}
	}
	return g.Status
}

// GDAPChange is one change partner staff record of a GDAP request.
type GDAPChange string

// The changes of a GDAP request.
const (
	GDAPPasteLink GDAPChange = "paste-link" // created in Partner Center: its invitation link is recorded
	GDAPApproved  GDAPChange = "approved"   // the customer approved in the Microsoft 365 admin center
	GDAPTerminate GDAPChange = "terminate"  // the partner ended it (or withdrew the request) in Partner Center
)

// gdapRules are the states, effective at the change, each change may start
// from, what it leads to, and the refusal.
var gdapRules = map[GDAPChange]struct {
	from    []GDAPStatus
	to      GDAPStatus
	refused string
}{
	GDAPPasteLink: {[]GDAPStatus{GDAPCreated, GDAPApprovalPending}, GDAPApprovalPending,
		"The invitation link can be recorded only until the customer approves."},
	GDAPApproved: {[]GDAPStatus{GDAPApprovalPending}, GDAPActive,
		"Only a request waiting for the customer's approval, less than 90 days after its link was recorded, can be approved: Microsoft removes older ones."},
	GDAPTerminate: {[]GDAPStatus{GDAPCreated, GDAPApprovalPending, GDAPActive}, GDAPTerminated,
		"Only a request or relationship still in force can be terminated."},
}

// Refused is the conflict of c refused; a store whose conditional update
// lost a race returns it too.
func (c GDAPChange) Refused() error { return Conflict(gdapRules[c].refused) }

// Transition decides whether c may happen to g at now, on its effective
// state, and returns the state g moves to. The link may be recorded (or
// corrected) until approval; approval needs a pending request that has not
// lapsed; terminating needs one not yet over.
func (g GDAPRequest) Transition(c GDAPChange, now time.Time) (GDAPStatus, error) {
	rule, ok := gdapRules[c]
	if !ok || !slices.Contains(rule.from, g.Effective(now)) {
		return g.Status, c.Refused()
	}
	return rule.to, nil
}

// CheckActivation says what is wrong with at as the day the customer
// approved g, recorded at now: not in the future, and not before its link
// was recorded; "" when it may be recorded.
func (g GDAPRequest) CheckActivation(at, now time.Time) string {
	if at.After(now) {
		return "The customer's approval cannot be in the future."
	}
	if g.LinkPastedAt != nil && at.Before(g.LinkPastedAt.Truncate(24*time.Hour)) {
		return "The customer cannot have approved before the invitation link was recorded (" + g.LinkPastedAt.Format(DateLayout) + ")."
	}
	return ""
}

// GDAPPanel is a GDAP request as step 4 shows it to a role: its effective
// state and dates, the actions the role may take, and after activation the
// checklist of access assignments.
type GDAPPanel struct {
	Request     GDAPRequest
	Status      GDAPStatus // effective when read
	EndsAt      *time.Time // at the time read; nil before activation
	LapsesAt    *time.Time // while approval is pending
	Actions     GDAPActions
	Template    string // the name of the role template it started from; "" for none
	Assignments []AccessAssignment
	Checks      []AssignmentCheck
	Unassigned  int // roles no group has yet: they do nothing
}

// NewGDAPPanel builds the panel of g with its assignments and the template
// it started from (nil for none), for role at now, in the partner's cloud:
// in US Government no GDAP link can be recorded (ParseGDAPLink), so none is
// offered.
func NewGDAPPanel(g GDAPRequest, assignments []AccessAssignment, t *RoleTemplate, role Role, cloud Cloud, now time.Time) GDAPPanel {
	p := GDAPPanel{Request: g, Status: g.Effective(now), EndsAt: g.EndsAt(now), Actions: g.ActionsFor(role, now), Assignments: assignments}
	if cloud == CloudUSGovernment {
		p.Actions.PasteLink = false
	}
	if p.Status == GDAPApprovalPending {
		p.LapsesAt = g.LapsesAt()
	}
	if t != nil {
		p.Template = t.Name
	}
	p.Checks, p.Unassigned = AssignmentChecklist(g, assignments, t)
	return p
}

// ForCustomer is g as the customer's page shows it at now: with its
// invitation link only while approval is pending, and nil once it is over
// (expired, lapsed, terminated) or active, when there is nothing to approve.
func (g *GDAPRequest) ForCustomer(now time.Time) *GDAPRequest {
	if g == nil {
		return nil
	}
	switch g.Effective(now) {
	case GDAPApprovalPending:
		return g
	case GDAPCreated:
		shown := *g
		shown.Link = ""
		return &shown
	}
	return nil
}

// GDAPActions are the changes a role may record on a GDAP request at now.
type GDAPActions struct {
	PasteLink bool
	Approve   bool
	Terminate bool
	Assign    bool // record an access assignment: only once active
}

// ActionsFor returns what role may do to g at now.
func (g GDAPRequest) ActionsFor(role Role, now time.Time) GDAPActions {
	if !role.Allows(PermRequestAdminRoles) {
		return GDAPActions{}
	}
	may := func(c GDAPChange) bool { _, err := g.Transition(c, now); return err == nil }
	return GDAPActions{PasteLink: may(GDAPPasteLink), Approve: may(GDAPApproved), Terminate: may(GDAPTerminate),
		Assign: g.Effective(now) == GDAPActive}
}

// GDAPInviteHost is the host of Microsoft's documented invitation link
// template; GDAPCloudInviteHost is the Microsoft 365 admin center's newer
// host ("Microsoft Admin Center | admin.cloud.microsoft",
// https://learn.microsoft.com/en-us/microsoft-365/enterprise/cloud-microsoft-domain).
const (
	GDAPInviteHost      = "admin.microsoft.com"
	GDAPCloudInviteHost = "admin.cloud.microsoft"
)

// gdapInviteTemplate is Microsoft's customer invitation link: "build the
// customer invitation link by using the following URI template"
// (https://learn.microsoft.com/en-us/graph/api/resources/delegatedadminrelationships-api-overview).
const gdapInviteTemplate = "https://" + GDAPInviteHost + "/AdminPortal/Home#/partners/invitation/granularAdminRelationships/"

// gdapIDPattern is the admin relationship id: two GUIDs joined by a hyphen
// in Microsoft's one example ("5d027261-d21f-4aa9-b7db-7fa1f56fb163-8777b240-
// c6f0-4469-9e98-a3205431b836", same page). Microsoft documents no other
// form, and the third-party tools that check it check this one.
var gdapIDPattern = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

// gdapFragmentPrefix is the fragment path before the id, lower-cased.
const gdapFragmentPrefix = "/partners/invitation/granularadminrelationships/"

// GDAPInviteLink builds the customer's invitation link for the admin
// relationship id, from Microsoft's template.
func GDAPInviteLink(id string) string { return gdapInviteTemplate + id }

// GDAPLink is a checked GDAP invitation: the link to show the customer,
// exactly as pasted or built from the id, and the id.
type GDAPLink struct {
	URL string
	ID  string
}

// ParseGDAPLink checks what partner staff pasted after creating the GDAP
// relationship in Partner Center: its invitation link (https, the admin
// center's host, the id in the fragment path
// #/partners/invitation/granularAdminRelationships/{id}) or the id alone,
// from which the link is built. problem says what is wrong, "" when link is
// good. A reseller relationship link is refused with a message saying so.
// GDAP is not available in Partner Center for US Government ("Granular
// delegated admin privileges (GDAP) aren't available for users of Partner
// Center's Microsoft Cloud for US Government",
// https://learn.microsoft.com/en-us/partner-center/customers/multipartner),
// so nothing is accepted there.
func ParseGDAPLink(raw string, cloud Cloud) (link GDAPLink, problem string) {
	raw = strings.TrimSpace(raw)
	if cloud == CloudUSGovernment {
		return link, "GDAP isn't available in Partner Center for Microsoft Cloud for US Government: admin roles come with the reseller relationship there."
	}
	if raw == "" {
		return link, "Paste the invitation link Partner Center shows after you create the GDAP relationship, or its id."
	}
	if id := strings.ToLower(raw); gdapIDPattern.MatchString(id) {
		return GDAPLink{URL: GDAPInviteLink(id), ID: id}, ""
	}
	lower := strings.ToLower(raw)
	if strings.Contains(lower, "invtype=") || strings.Contains(lower, "partner-invitation") {
		return link, "This is a reseller relationship link. Paste the GDAP relationship's invitation link (…#/partners/invitation/granularAdminRelationships/…) or its id."
	}
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "https" || u.User != nil ||
		(!strings.EqualFold(u.Host, GDAPInviteHost) && !strings.EqualFold(u.Host, GDAPCloudInviteHost)) {
		return link, "The link must start with https://admin.microsoft.com/ (or https://admin.cloud.microsoft/): copy it from Partner Center."
	}
	if p := strings.ToLower(u.Path); p != "" && p != "/" && p != "/adminportal/home" {
		return link, "This is not a GDAP invitation link: its page should be /AdminPortal/Home."
	}
	frag := strings.ToLower(u.Fragment)
	if !strings.HasPrefix(frag, gdapFragmentPrefix) {
		return link, "The link has no #/partners/invitation/granularAdminRelationships/ part: copy the whole link from Partner Center."
	}
	id := strings.TrimSuffix(strings.TrimPrefix(frag, gdapFragmentPrefix), "/")
	if !gdapIDPattern.MatchString(id) {
		return link, "The relationship id at the end of the link is not complete: it is two GUIDs joined by a hyphen."
	}
	return GDAPLink{URL: raw, ID: id}, ""
}

// RoleTemplate is a named set of roles with duration and auto-extend, and
// for each role the partner security group it is assigned to, that a GDAP
// request can start from.
type RoleTemplate struct {
	ID     int64
	Name   string
	Days   int
	Extend bool
	Roles  []TemplateRole
}

// TemplateRole is one role of a template and the partner security group
// that gets it ("" when not decided).
type TemplateRole struct {
	Role  AdminRole
	Group string
}

// RoleTemplateNameMax bounds a template's name, which suggests the GDAP
// display name.
const RoleTemplateNameMax = 40

// GroupNameMax bounds a security group's name as recorded here; Entra's
// limit for a group's display name is 256 characters.
const GroupNameMax = 256

// Terms are the template's roles, duration and auto-extend.
func (t RoleTemplate) Terms() GDAPTerms {
	roles := make([]AdminRole, len(t.Roles))
	for i, r := range t.Roles {
		roles[i] = r.Role
	}
	return GDAPTerms{Roles: roles, Days: t.Days, AutoExtend: t.Extend}
}

// Group is the security group the template assigns role to, "" for none.
func (t RoleTemplate) Group(role AdminRole) string {
	for _, r := range t.Roles {
		if r.Role == role {
			return r.Group
		}
	}
	return ""
}

// Normalize trims the names and puts the roles in canonical order, without
// repeats.
func (t RoleTemplate) Normalize() RoleTemplate {
	t.Name = strings.Join(strings.Fields(t.Name), " ")
	groups := map[AdminRole]string{}
	var roles []AdminRole
	for _, r := range t.Roles {
		roles = append(roles, r.Role)
		if g := strings.TrimSpace(r.Group); g != "" {
			groups[r.Role] = g
		}
	}
	t.Roles = nil
	for _, r := range NormalizeRoles(roles) {
		t.Roles = append(t.Roles, TemplateRole{Role: r, Group: groups[r]})
	}
	return t
}

// Validate checks a normalised template: a name, the GDAP terms, and group
// names within bounds. Uniqueness of the name is the store's to check.
func (t RoleTemplate) Validate() FieldErrors {
	errs := FieldErrors{}
	if t.Name == "" || utf8.RuneCountInString(t.Name) > RoleTemplateNameMax {
		errs["name"] = fmt.Sprintf("Name the template in 1 to %d characters.", RoleTemplateNameMax)
	}
	t.Terms().Check(errs)
	for _, r := range t.Roles {
		if utf8.RuneCountInString(r.Group) > GroupNameMax {
			errs["group_"+string(r.Role)] = "A security group's name has at most 256 characters."
		}
	}
	return errs
}

// ErrTemplateNameTaken refuses a template name another template has.
var ErrTemplateNameTaken = FieldErrors{"name": "Another template has this name."}

// AccessAssignment records that partner staff assigned some of a GDAP
// relationship's roles to a partner security group in Partner Center: roles
// do nothing until assigned ("Partners must explicitly grant granular
// permissions to security groups",
// https://learn.microsoft.com/en-us/partner-center/customers/gdap-assign-azure-ad-roles).
type AccessAssignment struct {
	ID             int64
	GDAPID         int64
	Group          string
	Roles          []AdminRole
	RecordedByName string
	RecordedAt     time.Time
}

// Normalize trims the group's name and orders the roles.
func (a AccessAssignment) Normalize() AccessAssignment {
	a.Group = strings.Join(strings.Fields(a.Group), " ")
	a.Roles = NormalizeRoles(a.Roles)
	return a
}

// ValidateFor checks a normalised assignment against the GDAP request it
// belongs to: a group, and roles among those the customer approved (Partner
// Center assigns "customer-approved, Microsoft Entra roles").
func (a AccessAssignment) ValidateFor(g GDAPRequest) FieldErrors {
	errs := FieldErrors{}
	if a.Group == "" || utf8.RuneCountInString(a.Group) > GroupNameMax {
		errs["group"] = "Enter the partner security group's name, as in Partner Center."
	}
	if len(a.Roles) == 0 {
		errs["roles"] = "Tick the roles assigned to this group."
	}
	for _, r := range a.Roles {
		if !slices.Contains(g.Roles, r) {
			errs["roles"] = "Assign only roles the customer approved in this relationship."
		}
	}
	return errs
}

// CheckFor decides whether a normalised assignment may be recorded on g at
// now: only while g is active (a conflict otherwise, as ActionsFor offers
// it), and with its fields valid (ValidateFor).
func (a AccessAssignment) CheckFor(g GDAPRequest, now time.Time) error {
	if g.Effective(now) != GDAPActive {
		return Conflict("Roles can be assigned only in an active GDAP relationship.")
	}
	if errs := a.ValidateFor(g); errs.Any() {
		return errs
	}
	return nil
}

// AssignmentCheck is one role of an active relationship on its checklist:
// the groups it is assigned to, and the group its template suggests.
type AssignmentCheck struct {
	Role      EntraRole
	Groups    []string
	Suggested string
}

// AssignmentChecklist lists each role of g with the groups the assignments
// give it, and the group template t suggests (nil for none), in g's role
// order. Unassigned counts the roles no group has yet.
func AssignmentChecklist(g GDAPRequest, assignments []AccessAssignment, t *RoleTemplate) (checks []AssignmentCheck, unassigned int) {
	for _, r := range g.Roles {
		e, _ := r.Entra()
		c := AssignmentCheck{Role: e}
		for _, a := range assignments {
			if slices.Contains(a.Roles, r) {
				c.Groups = append(c.Groups, a.Group)
			}
		}
		if t != nil {
			c.Suggested = t.Group(r)
		}
		if len(c.Groups) == 0 {
			unassigned++
		}
		checks = append(checks, c)
	}
	return checks, unassigned
}

// GDAPEnding is an active GDAP relationship whose end date falls within
// the dashboard's window.
type GDAPEnding struct {
	Request GDAPRequest
	EndsAt  time.Time
}

// GDAPEndingWithin keeps of the active requests those whose end, at now,
// falls within days, soonest first; one that auto-extends shows its next
// end.
func GDAPEndingWithin(active []GDAPRequest, now time.Time, days int) []GDAPEnding {
	limit := now.AddDate(0, 0, days)
	var out []GDAPEnding
	for _, g := range active {
		if end, ok := g.endsBy(now, limit); ok {
			out = append(out, GDAPEnding{Request: g, EndsAt: end})
		}
	}
	slices.SortStableFunc(out, func(a, b GDAPEnding) int { return a.EndsAt.Compare(b.EndsAt) })
	return out
}
