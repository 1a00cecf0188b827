package domain

import (
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"
)

func TestEntraRolesAreComplete(t *testing.T) {
	guid := regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)
	ids, codes := map[string]bool{}, map[AdminRole]bool{}
	for _, r := range EntraRoles {
		if !guid.MatchString(r.ID) || ids[r.ID] || codes[r.Code] || r.Name == "" || r.Description == "" {
			t.Errorf("role %+v: bad or repeated", r)
		}
		ids[r.ID], codes[r.Code] = true, true
	}
	// The codes stored before issue 11 must still read, with Microsoft's names.
	for code, name := range map[AdminRole]string{"directory_readers": "Directory Readers", "global_reader": "Global Reader",
		"license_administrator": "License Administrator", "user_administrator": "User Administrator",
		"helpdesk_administrator": "Helpdesk Administrator", "service_support_administrator": "Service Support Administrator",
		"exchange_administrator": "Exchange Administrator", "sharepoint_administrator": "SharePoint Administrator",
		"teams_administrator": "Teams Administrator", "global_administrator": "Global Administrator"} {
		if code.Label() != name {
			t.Errorf("%s reads as %q", code, code.Label())
		}
	}
	if e, _ := RoleGlobalAdministrator.Entra(); e.ID != "62e90394-69f5-4237-9190-012177145e10" {
		t.Errorf("Global Administrator's roleDefinitionId %s", e.ID)
	}
	if len(EntraRoles) < 21 {
		t.Errorf("%d roles offered; the issue asks for at least 21", len(EntraRoles))
	}
}

func TestNewGDAPRequestFollowsMicrosoftsRules(t *testing.T) {
	good := NewGDAPRequest{DisplayName: "Contoso – Helpdesk", GDAPTerms: GDAPTerms{Roles: []AdminRole{RoleHelpdeskAdministrator}, Days: 730}}
	with := func(f func(*NewGDAPRequest)) NewGDAPRequest { n := good; f(&n); return n.Normalize() }
	for _, tt := range []struct {
		name  string
		role  Role
		req   NewGDAPRequest
		field string // "" when valid
	}{
		{"admin agent", RoleAdminAgent, good, ""},
		{"global admin", RoleGlobalAdmin, good, ""},
		{"sales agent cannot ask for admin roles", RoleSalesAgent, good, "admin_roles"},
		{"one day", RoleAdminAgent, with(func(n *NewGDAPRequest) { n.Days = 1 }), ""},
		{"zero days", RoleAdminAgent, with(func(n *NewGDAPRequest) { n.Days = 0 }), "admin_days"},
		{"731 days", RoleAdminAgent, with(func(n *NewGDAPRequest) { n.Days = 731 }), "admin_days"},
		{"auto-extend", RoleAdminAgent, with(func(n *NewGDAPRequest) { n.AutoExtend = true }), ""},
		{"Global Administrator with auto-extend", RoleAdminAgent, with(func(n *NewGDAPRequest) {
			n.Roles = []AdminRole{RoleGlobalReader, RoleGlobalAdministrator}
			n.AutoExtend = true
		}), "auto_extend"},
		{"Global Administrator without auto-extend", RoleAdminAgent, with(func(n *NewGDAPRequest) { n.Roles = []AdminRole{RoleGlobalAdministrator} }), ""},
		{"unknown role", RoleAdminAgent, with(func(n *NewGDAPRequest) { n.Roles = []AdminRole{"custom_role"} }), "admin_roles"},
		{"no name", RoleAdminAgent, with(func(n *NewGDAPRequest) { n.DisplayName = "   " }), "gdap_name"},
		{"50 characters", RoleAdminAgent, with(func(n *NewGDAPRequest) { n.DisplayName = strings.Repeat("é", 50) }), ""},
		{"51 characters", RoleAdminAgent, with(func(n *NewGDAPRequest) { n.DisplayName = strings.Repeat("a", 51) }), "gdap_name"},
	} {
		errs := tt.req.Validate(tt.role)
		if tt.field == "" && errs.Any() {
			t.Errorf("%s: refused: %v", tt.name, errs)
		}
		if tt.field != "" && errs[tt.field] == "" {
			t.Errorf("%s: %s not refused (%v)", tt.name, tt.field, errs)
		}
	}
	if got := SuggestGDAPName(strings.Repeat("Fabrikam ", 10), "Helpdesk"); len([]rune(got)) > GDAPDisplayNameMax {
		t.Errorf("suggested name %q is too long", got)
	}
}

func TestNewRelationshipRequestWithGDAP(t *testing.T) {
	base := NewRelationshipRequest{RecipientName: "Patti", RecipientEmail: "patti@contoso.example", ExpiryDays: 30}
	noRoles := base
	noRoles.GDAP = &NewGDAPRequest{DisplayName: "x", GDAPTerms: GDAPTerms{Days: 730}}
	if n := noRoles.Normalize(); n.GDAP != nil || n.Validate(CloudCommercial, RoleSalesAgent).Any() {
		t.Errorf("a GDAP request without roles is none: %+v", n.GDAP)
	}
	if errs := base.Normalize().Validate(CloudUSGovernment, RoleAdminAgent); errs["admin_roles"] == "" {
		t.Error("US Government without admin roles accepted")
	}
	sales := base
	sales.GDAP = &NewGDAPRequest{DisplayName: "x", GDAPTerms: GDAPTerms{Roles: []AdminRole{RoleGlobalReader}, Days: 730}}
	if errs := sales.Normalize().Validate(CloudCommercial, RoleSalesAgent); errs["admin_roles"] == "" {
		t.Error("a Sales agent's request with admin roles accepted")
	}
}

func TestGDAPStateMachine(t *testing.T) {
	created := time.Date(2026, 1, 10, 9, 0, 0, 0, time.UTC)
	pasted := created.Add(time.Hour)
	activated := pasted.AddDate(0, 0, 3)
	terms := GDAPTerms{Roles: []AdminRole{RoleHelpdeskAdministrator}, Days: 365}
	pending := GDAPRequest{Status: GDAPApprovalPending, GDAPTerms: terms, CreatedAt: created, LinkPastedAt: &pasted}
	active := GDAPRequest{Status: GDAPActive, GDAPTerms: terms, CreatedAt: created, LinkPastedAt: &pasted, ActivatedAt: &activated}
	extending := active
	extending.AutoExtend = true
	lapse := pasted.AddDate(0, 0, GDAPPendingLapseDays)
	end := activated.AddDate(0, 0, 365)
	for _, tt := range []struct {
		name      string
		g         GDAPRequest
		now       time.Time
		effective GDAPStatus
		change    GDAPChange
		to        GDAPStatus // "" when refused
	}{
		{"created: paste the link", GDAPRequest{Status: GDAPCreated}, created, GDAPCreated, GDAPPasteLink, GDAPApprovalPending},
		{"created: not approved before its link", GDAPRequest{Status: GDAPCreated}, created, GDAPCreated, GDAPApproved, ""},
		{"created: terminated", GDAPRequest{Status: GDAPCreated}, created, GDAPCreated, GDAPTerminate, GDAPTerminated},
		{"pending: link corrected", pending, pasted, GDAPApprovalPending, GDAPPasteLink, GDAPApprovalPending},
		{"pending: approved", pending, lapse.Add(-time.Second), GDAPApprovalPending, GDAPApproved, GDAPActive},
		{"pending 90 days: lapsed", pending, lapse, GDAPLapsed, GDAPApproved, ""},
		{"lapsed: no link any more", pending, lapse, GDAPLapsed, GDAPPasteLink, ""},
		{"lapsed: nothing to terminate", pending, lapse, GDAPLapsed, GDAPTerminate, ""},
		{"active: not approved twice", active, activated, GDAPActive, GDAPApproved, ""},
		{"active: link fixed", active, activated, GDAPActive, GDAPPasteLink, ""},
		{"active: terminated", active, activated, GDAPActive, GDAPTerminate, GDAPTerminated},
		{"active until its end", active, end.Add(-time.Second), GDAPActive, GDAPTerminate, GDAPTerminated},
		{"expired at its end", active, end, GDAPExpired, GDAPTerminate, ""},
		{"auto-extend never expires", extending, end.AddDate(3, 0, 0), GDAPActive, GDAPTerminate, GDAPTerminated},
		{"terminated stays", GDAPRequest{Status: GDAPTerminated}, created, GDAPTerminated, GDAPTerminate, ""},
	} {
		if got := tt.g.Effective(tt.now); got != tt.effective {
			t.Errorf("%s: effective %s, want %s", tt.name, got, tt.effective)
		}
		to, err := tt.g.Transition(tt.change, tt.now)
		if tt.to == "" && err == nil {
			t.Errorf("%s: %s allowed, to %s", tt.name, tt.change, to)
		}
		if tt.to != "" && (err != nil || to != tt.to) {
			t.Errorf("%s: %s gives %s, %v; want %s", tt.name, tt.change, to, err, tt.to)
		}
	}
	if got := *extending.EndsAt(end); !got.Equal(end.AddDate(0, 0, GDAPAutoExtendDays)) {
		t.Errorf("auto-extended end %s, want 180 days after %s", got, end)
	}
	if a := pending.ActionsFor(RoleSalesAgent, pasted); a != (GDAPActions{}) {
		t.Errorf("a Sales agent may %+v", a)
	}
	if a := active.ActionsFor(RoleAdminAgent, activated); !a.Assign || !a.Terminate || a.Approve {
		t.Errorf("an Admin agent may %+v on an active relationship", a)
	}
}

func TestParseGDAPLink(t *testing.T) {
	const id = "5d027261-d21f-4aa9-b7db-7fa1f56fb163-8777b240-c6f0-4469-9e98-a3205431b836"
	documented := "https://admin.microsoft.com/AdminPortal/Home#/partners/invitation/granularAdminRelationships/" + id
	for _, tt := range []struct {
		name    string
		raw     string
		cloud   Cloud
		want    string // the link kept; "" when refused
		problem string // part of the refusal
	}{
		{"Microsoft's example", documented, CloudCommercial, documented, ""},
		{"kept as pasted, with spaces trimmed", "  " + strings.Replace(documented, "AdminPortal/Home", "adminportal/home", 1) + " ", CloudCommercial,
			strings.Replace(documented, "AdminPortal/Home", "adminportal/home", 1), ""},
		{"the new admin center host", "https://admin.cloud.microsoft/?#/partners/invitation/granularAdminRelationships/" + id, CloudCommercial,
			"https://admin.cloud.microsoft/?#/partners/invitation/granularAdminRelationships/" + id, ""},
		{"the id alone builds the link", strings.ToUpper(id), CloudCommercial, documented, ""},
		{"http", strings.Replace(documented, "https", "http", 1), CloudCommercial, "", "https://"},
		{"another host", strings.Replace(documented, "admin.microsoft.com", "admin.microsoft.com.evil.example", 1), CloudCommercial, "", "https://"},
		{"user info", strings.Replace(documented, "https://", "https://me@", 1), CloudCommercial, "", "https://"},
		{"another page", strings.Replace(documented, "AdminPortal/Home", "Other", 1), CloudCommercial, "", "/AdminPortal/Home"},
		{"no fragment", "https://admin.microsoft.com/AdminPortal/Home", CloudCommercial, "", "granularAdminRelationships"},
		{"half an id", strings.TrimSuffix(documented, "-8777b240-c6f0-4469-9e98-a3205431b836"), CloudCommercial, "", "two GUIDs"},
		{"not an id", documented + "x", CloudCommercial, "", "two GUIDs"},
		{"a reseller link", "https://admin.microsoft.com/Adminportal/Home?invType=ResellerRelationship&partnerId=3b33e682-00c3-41ee-9dd2-a548adf56438&msppId=0&DAP=false#/BillingAccounts/partner-invitation",
			CloudCommercial, "", "reseller relationship link"},
		{"empty", " ", CloudCommercial, "", "Paste"},
		{"US Government", documented, CloudUSGovernment, "", "US Government"},
	} {
		got, problem := ParseGDAPLink(tt.raw, tt.cloud)
		if tt.want != "" && (problem != "" || got.URL != tt.want || got.ID != id) {
			t.Errorf("%s: %+v, %q; want %s", tt.name, got, problem, tt.want)
		}
		if tt.want == "" && (problem == "" || !strings.Contains(problem, tt.problem)) {
			t.Errorf("%s: problem %q, want one saying %q", tt.name, problem, tt.problem)
		}
	}
	// The reverse: the reseller field refuses this GDAP link.
	if p := CheckResellerLink(documented, Partner{Cloud: CloudCommercial}); !strings.Contains(p, "GDAP") {
		t.Errorf("CheckResellerLink took a GDAP link: %q", p)
	}
}

func TestRoleTemplatesAndAssignments(t *testing.T) {
	tpl := RoleTemplate{Name: "  Helpdesk ", Days: 730, Roles: []TemplateRole{
		{Role: RoleLicenseAdministrator, Group: " Licensing "}, {Role: RoleHelpdeskAdministrator, Group: "Helpdesk agents"}, {Role: RoleHelpdeskAdministrator}}}.Normalize()
	if tpl.Name != "Helpdesk" || len(tpl.Roles) != 2 || tpl.Roles[0].Role != RoleLicenseAdministrator || tpl.Group(RoleHelpdeskAdministrator) != "Helpdesk agents" ||
		tpl.Group(RoleLicenseAdministrator) != "Licensing" {
		t.Errorf("normalised %+v", tpl)
	}
	if errs := tpl.Validate(); errs.Any() {
		t.Errorf("good template refused: %v", errs)
	}
	bad := RoleTemplate{Name: "GA", Days: 731, Extend: true, Roles: []TemplateRole{{Role: RoleGlobalAdministrator}}}.Normalize()
	if errs := bad.Validate(); errs["admin_days"] == "" || errs["auto_extend"] == "" {
		t.Errorf("bad template: %v", errs)
	}
	if errs := (RoleTemplate{Days: 30}).Validate(); errs["name"] == "" || errs["admin_roles"] == "" {
		t.Errorf("empty template: %v", errs)
	}

	g := GDAPRequest{GDAPTerms: tpl.Terms()}
	if errs := (AccessAssignment{Group: "Helpdesk agents", Roles: []AdminRole{RoleGlobalAdministrator}}).Normalize().ValidateFor(g); errs["roles"] == "" {
		t.Error("a role the customer did not approve was assigned")
	}
	if errs := (AccessAssignment{Roles: []AdminRole{RoleHelpdeskAdministrator}}).ValidateFor(g); errs["group"] == "" {
		t.Error("an assignment without a group was taken")
	}
	// Recording one needs an active relationship: a conflict before
	// activation and after its end, the field errors while active.
	now := time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)
	helpdesk := AccessAssignment{Group: "Helpdesk agents", Roles: []AdminRole{RoleHelpdeskAdministrator}}
	active := g
	active.Status, active.ActivatedAt = GDAPActive, new(now.AddDate(0, 0, -10))
	var conflict *ConflictError
	if err := helpdesk.CheckFor(g, now); !errors.As(err, &conflict) {
		t.Errorf("an assignment before activation: %v, want a conflict", err)
	}
	if err := helpdesk.CheckFor(active, now.AddDate(0, 0, 730)); !errors.As(err, &conflict) {
		t.Errorf("an assignment after the end: %v, want a conflict", err)
	}
	if err := helpdesk.CheckFor(active, now); err != nil {
		t.Errorf("an assignment while active: %v", err)
	}
	var errs FieldErrors
	if err := (AccessAssignment{Roles: []AdminRole{RoleHelpdeskAdministrator}}).CheckFor(active, now); !errors.As(err, &errs) || errs["group"] == "" {
		t.Errorf("an assignment without a group while active: %v", err)
	}
	if end := active.FirstEnd(*active.ActivatedAt); !end.Equal(active.ActivatedAt.AddDate(0, 0, 730)) || !active.EndsAt(now).Equal(end) {
		t.Errorf("first end %v, ends at %v", end, active.EndsAt(now))
	}

	checks, unassigned := AssignmentChecklist(g, nil, &tpl)
	if unassigned != 2 || len(checks) != 2 || checks[1].Suggested != "Helpdesk agents" {
		t.Errorf("checklist %+v, %d unassigned", checks, unassigned)
	}
	checks, unassigned = AssignmentChecklist(g, []AccessAssignment{{Group: "Helpdesk agents", Roles: []AdminRole{RoleHelpdeskAdministrator}}}, nil)
	if unassigned != 1 || len(checks[1].Groups) != 1 || len(checks[0].Groups) != 0 {
		t.Errorf("checklist %+v, %d unassigned", checks, unassigned)
	}
}

func TestGDAPEndingWithin(t *testing.T) {
	now := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	at := func(daysAgo int) *time.Time { t := now.AddDate(0, 0, -daysAgo); return &t }
	g := func(id int64, days int, activated *time.Time, extend bool) GDAPRequest {
		return GDAPRequest{ID: id, Status: GDAPActive, ActivatedAt: activated, GDAPTerms: GDAPTerms{Days: days, AutoExtend: extend}}
	}
	list := []GDAPRequest{
		g(1, 100, at(90), false),  // ends in 10 days
		g(2, 100, at(50), false),  // ends in 50 days
		g(3, 100, at(100), false), // ended today
		g(4, 30, at(200), true),   // rolled forward: 30 + 180 = 210 days, ends in 10 days
		g(5, 30, at(5), false),    // ends in 25 days
	}
	var ids []int64
	for _, e := range GDAPEndingWithin(list, now, GDAPEndingSoonDays) {
		ids = append(ids, e.Request.ID)
	}
	if len(ids) != 3 || ids[0] != 1 && ids[0] != 4 || ids[2] != 5 {
		t.Errorf("ending within 30 days: %v; want 1 and 4 (10 days), then 5", ids)
	}
}

func TestGDAPPanelOffersNoLinkInUSGovernment(t *testing.T) {
	now := time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)
	g := GDAPRequest{Status: GDAPCreated, GDAPTerms: GDAPTerms{Roles: []AdminRole{RoleGlobalReader}, Days: 30}}
	if p := NewGDAPPanel(g, nil, nil, RoleAdminAgent, CloudCommercial, now); !p.Actions.PasteLink || !p.Actions.Terminate {
		t.Errorf("commercial panel actions %+v", p.Actions)
	}
	if p := NewGDAPPanel(g, nil, nil, RoleAdminAgent, CloudUSGovernment, now); p.Actions.PasteLink || !p.Actions.Terminate {
		t.Errorf("US Government panel actions %+v: no GDAP link can be recorded there", p.Actions)
	}
}
