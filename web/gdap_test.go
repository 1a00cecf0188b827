package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/wingtip/multichannel/internal/domain"
)

const gdapWebID = "5d027261-d21f-4aa9-b7db-7fa1f56fb163-8777b240-c6f0-4469-9e98-a3205431b836"

// templateID is the id of the demo role template named name.
func (a *testApp) templateID(name string) int64 {
	a.t.Helper()
	list, err := a.store.RoleTemplates(context.Background())
	if err != nil {
		a.t.Fatal(err)
	}
	for _, t := range list {
		if t.Name == name {
			return t.ID
		}
	}
	a.t.Fatalf("no role template %q", name)
	return 0
}

// openGDAP returns the GDAP request of the customer's open request.
func (a *testApp) openGDAP(customerID int64) domain.GDAPRequest {
	a.t.Helper()
	r, err := a.store.OpenRelationship(context.Background(), customerID)
	if err != nil || r.GDAP == nil {
		a.t.Fatalf("customer %d: no open request with a GDAP request: %v", customerID, err)
	}
	return *r.GDAP
}

// TestChoosingATemplateKeepsWhatWasTyped: "Use this template" posts the
// request form, which comes back with the template's roles and what was
// typed of the request (recipient, expiry, the regional tick), creating
// nothing.
func TestChoosingATemplateKeepsWhatWasTyped(t *testing.T) {
	app := newTestApp(t)
	agent := app.signIn(adminAgent)
	litware := app.customerID("Litware")
	step := fmt.Sprintf("/customers/%d/relationship", litware)
	helpdesk := app.templateID("Helpdesk")
	res := app.post(agent, step, url.Values{"recipient_name": {"Alex Wilber"}, "recipient_email": {"alex@litware.example"},
		"expiry_days": {"14"}, "outside_market_ok": {"1"}, "admin_roles": {"global_reader"}, "admin_days": {"90"},
		"template": {fmt.Sprint(helpdesk)}, "use_template": {"1"}})
	if res.status != http.StatusOK {
		t.Fatalf("use the template: %d", res.status)
	}
	for _, want := range []string{`value="Alex Wilber"`, `value="alex@litware.example"`, `id="expiry_days" name="expiry_days" value="14"`,
		`id="outside_market_ok" name="outside_market_ok" value="1" checked`, `value="helpdesk_administrator" checked`,
		fmt.Sprintf(`name="template_id" value="%d"`, helpdesk), `id="admin_days" name="admin_days" value="730"`} {
		if !strings.Contains(res.body, want) {
			t.Errorf("after choosing the template the form lacks %q", want)
		}
	}
	// Enter in a field still creates the request: the form's first button
	// is an off-screen "Create the invitation", before the template's.
	if i, j := strings.Index(res.body, `class="implicit-submit"`), strings.Index(res.body, `name="use_template"`); i < 0 || i > j {
		t.Error("the form's first submit button chooses the template, so Enter would not create the request")
	}
	if strings.Contains(res.body, `value="global_reader" checked`) {
		t.Error("the roles ticked before the template are kept instead of the template's")
	}
	if r, err := app.store.OpenRelationship(context.Background(), litware); err == nil {
		t.Errorf("choosing a template created a request: %+v", r)
	}
}

// TestGDAPRequestFromATemplateToItsAssignments walks one GDAP request
// through step 4: started from a template by an Admin agent, its link
// pasted (a bad one refused as typed), shown to the customer, approved,
// and its roles assigned to security groups.
func TestGDAPRequestFromATemplateToItsAssignments(t *testing.T) {
	app := newTestApp(t)
	agent := app.signIn(adminAgent)
	litware := app.customerID("Litware")
	step := fmt.Sprintf("/customers/%d/relationship", litware)
	helpdesk := app.templateID("Helpdesk")

	// The form starts from the template: its roles, duration and auto-extend,
	// and a display name.
	page := app.get(agent, fmt.Sprintf("%s?template=%d", step, helpdesk))
	for _, want := range []string{`value="helpdesk_administrator" checked`, `name="auto_extend" value="1" checked`, `value="Litware, Inc. – Helpdesk"`,
		fmt.Sprintf(`name="template_id" value="%d"`, helpdesk), `id="admin_days" name="admin_days" value="730"`} {
		if !strings.Contains(page.body, want) {
			t.Errorf("the form from the template lacks %q", want)
		}
	}
	// The Sales agent's form asks for no admin roles.
	if page := app.get(app.signIn(salesAgent), step); strings.Contains(page.body, `name="admin_roles"`) || !strings.Contains(page.body, `id="reseller-only"`) {
		t.Error("a Sales agent is offered admin roles")
	}
	// Microsoft's limits: a name used by another GDAP relationship, 51 characters.
	form := url.Values{"recipient_name": {"Patti Fernandez"}, "recipient_email": {"patti@litware.example"}, "expiry_days": {"30"},
		"admin_roles": {"helpdesk_administrator"}, "admin_days": {"730"}, "auto_extend": {"1"}, "template_id": {fmt.Sprint(helpdesk)},
		"gdap_name": {"contoso – service desk"}, "outside_market_ok": {"1"}}
	if res := app.post(agent, step, form); res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, "gdap_name-error") ||
		!strings.Contains(res.body, `value="contoso – service desk"`) {
		t.Errorf("a display name taken: %d", res.status)
	}
	form["gdap_name"] = []string{strings.Repeat("L", 51)}
	if res := app.post(agent, step, form); res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, "at most 50 characters") {
		t.Errorf("a 51-character display name: %d", res.status)
	}
	form["gdap_name"] = []string{"Litware – Helpdesk 2026"}
	_, token := app.invite(agent, litware, form)
	g := app.openGDAP(litware)
	if g.Status != domain.GDAPCreated || g.TemplateID != helpdesk || g.Days != 730 || !g.AutoExtend {
		t.Fatalf("GDAP request %+v", g)
	}
	page = app.get(agent, step)
	if !strings.Contains(page.body, `id="gdap-status">To create in Partner Center`) || !strings.Contains(page.body, `id="gdap-link-form"`) {
		t.Error("step 4 does not ask for the GDAP link")
	}
	if !strings.Contains(page.body, "<dt>From template</dt><dd>Helpdesk</dd>") {
		t.Error("step 4 does not name the role template the GDAP request started from")
	}
	// Before the link, the customer sees the roles but no GDAP link.
	invite := app.get(app.public(), "/invite/"+token)
	if !strings.Contains(invite.body, `id="gdap-invitation"`) || strings.Contains(invite.body, `id="gdap-link"`) || !strings.Contains(invite.body, `id="gdap-link-later"`) {
		t.Error("before the link the customer's page should list the roles and promise the link")
	}
	if !strings.Contains(invite.body, `<h2>Admin roles Wingtip Cloud Partners asks for</h2>`) ||
		!strings.Contains(invite.body, `id="answer-step">2. Tell Wingtip Cloud Partners you accepted`) {
		t.Error("before the link the customer's page numbers the answer after the reseller link alone")
	}

	// A bad link comes back as typed, with its message; a reseller link is named.
	linkPath := fmt.Sprintf("/gdap/%d/link", g.ID)
	for raw, want := range map[string]string{
		"http://admin.microsoft.com/AdminPortal/Home#/partners/invitation/granularAdminRelationships/" + gdapWebID:                                                     "must start with https://",
		"https://admin.microsoft.com/Adminportal/Home?invType=ResellerRelationship&partnerId=0d1e2f3a-4b5c-4d6e-8f70-81a2b3c4d5e6#/BillingAccounts/partner-invitation": "This is a reseller relationship link",
		"https://admin.microsoft.com/AdminPortal/Home#/partners/invitation/granularAdminRelationships/5d027261-d21f":                                                   "two GUIDs",
	} {
		res := app.post(agent, linkPath, url.Values{"gdap_link": {raw}})
		if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, want) || !strings.Contains(res.body, `id="gdap_link-error"`) ||
			!strings.Contains(res.body, `value="`+strings.ReplaceAll(raw, "&", "&amp;")+`"`) {
			t.Errorf("link %q: %d, want a 422 saying %q with the input kept", raw, res.status, want)
		}
	}
	if res := app.post(app.signIn(salesAgent), linkPath, url.Values{"gdap_link": {gdapWebID}}); res.status != http.StatusForbidden {
		t.Errorf("a Sales agent recorded a GDAP link: %d", res.status)
	}
	// The id alone: the app builds Microsoft's link.
	if res := app.post(agent, linkPath, url.Values{"gdap_link": {gdapWebID}}); res.status != http.StatusSeeOther {
		t.Fatalf("record the id: %d %s", res.status, res.body)
	}
	link := domain.GDAPInviteLink(gdapWebID)
	if page := app.get(agent, step); !strings.Contains(page.body, `id="gdap-link-recorded"`) || !strings.Contains(page.body, "Replace the link") {
		t.Error("step 4 still asks to create the GDAP relationship once its link is recorded")
	}
	invite = app.get(app.public(), "/invite/"+token)
	for _, want := range []string{`<h2>2. Approve the admin roles at Microsoft</h2>`, `id="answer-step">3. Tell Wingtip Cloud Partners you accepted`,
		`href="` + link + `" target="_blank" rel="noopener noreferrer"`, "Helpdesk Administrator</strong>: Can reset passwords for non-administrators and Helpdesk Administrators.",
		"730 days from your approval", "extend themselves by 180 days", "GDAP does not cover subscriptions bought through an Enterprise Agreement"} {
		if !strings.Contains(invite.body, want) {
			t.Errorf("the customer's page lacks %q", want)
		}
	}

	// The customer approved: not in the future, then recorded.
	approved := fmt.Sprintf("/gdap/%d/approved", g.ID)
	tomorrow := app.clock.now().AddDate(0, 0, 1).Format(domain.DateLayout)
	if res := app.post(agent, approved, url.Values{"activated_on": {tomorrow}}); res.status != http.StatusUnprocessableEntity ||
		!strings.Contains(res.body, "cannot be in the future") || !strings.Contains(res.body, `value="`+tomorrow+`"`) {
		t.Errorf("an approval tomorrow: %d", res.status)
	}
	if res := app.post(agent, approved, url.Values{"activated_on": {app.clock.now().Format(domain.DateLayout)}}); res.status != http.StatusSeeOther {
		t.Fatalf("record the approval: %d", res.status)
	}
	page = app.get(agent, step)
	ends := app.clock.now().AddDate(0, 0, 730).Format(domain.DateLayout)
	for _, want := range []string{`id="gdap-status">Active`, `id="gdap-ends">` + ends, `id="gdap-unassigned"`, `<td data-label="Template's group">Helpdesk agents</td>`, `data-assigned="false"`} {
		if !strings.Contains(page.body, want) {
			t.Errorf("step 4 after approval lacks %q", want)
		}
	}
	// The assignment: a role not approved is refused as typed; then recorded.
	assign := fmt.Sprintf("/gdap/%d/assignments", g.ID)
	if res := app.post(agent, assign, url.Values{"group": {"Helpdesk agents"}, "roles": {"global_administrator"}}); res.status != http.StatusUnprocessableEntity ||
		!strings.Contains(res.body, `id="roles-error"`) || !strings.Contains(res.body, `value="Helpdesk agents"`) {
		t.Errorf("assigning a role not approved: %d", res.status)
	}
	if res := app.post(agent, assign, url.Values{"group": {""}, "roles": {"helpdesk_administrator"}}); res.status != http.StatusUnprocessableEntity ||
		!strings.Contains(res.body, `id="group-error"`) || !strings.Contains(res.body, `name="roles" value="helpdesk_administrator" checked`) {
		t.Errorf("an assignment without a group does not come back with its role ticked: %d", res.status)
	}
	if res := app.post(agent, assign, url.Values{"group": {"Helpdesk agents"}, "roles": {"helpdesk_administrator"}}); res.status != http.StatusSeeOther {
		t.Fatalf("record the assignment: %d", res.status)
	}
	page = app.get(agent, step)
	if strings.Contains(page.body, `id="gdap-unassigned"`) || !strings.Contains(page.body, `data-assigned="true"`) {
		t.Error("the checklist still warns once every role is assigned")
	}
	// The request's row (step 4 and the review queue) says the roles and the GDAP state.
	if !strings.Contains(page.body, "Helpdesk Administrator for 730 days, auto-extended (GDAP: Active)") {
		t.Error("the request's row does not show the roles asked")
	}
	// And the active GDAP relationship no longer shows the customer a link to approve.
	if invite = app.get(app.public(), "/invite/"+token); strings.Contains(invite.body, `id="gdap-invitation"`) {
		t.Error("the customer's page still asks to approve an active GDAP relationship")
	}
}

// TestGDAPRequestLapsesOnStep4 holds the 90-day rule: the demo's Coho
// Winery request waits for approval since 45 days ago; 45 days on it has
// lapsed and can no longer be approved.
func TestGDAPRequestLapsesOnStep4(t *testing.T) {
	app := newTestApp(t)
	agent := app.signIn(adminAgent)
	coho := app.customerID("Coho")
	step := fmt.Sprintf("/customers/%d/relationship", coho)
	if page := app.get(agent, step); !strings.Contains(page.body, `id="gdap-status">Approval pending`) || !strings.Contains(page.body, `id="gdap-approved-form"`) {
		t.Fatal("Coho's GDAP request is not waiting for approval")
	}
	app.clock.advance(45 * 24 * time.Hour)
	agent = app.signIn(adminAgent) // the session ended meanwhile
	page := app.get(agent, step)
	if !strings.Contains(page.body, `id="gdap-status">Expired unanswered`) || strings.Contains(page.body, `id="gdap-approved-form"`) {
		t.Error("after 90 days pending the request has not lapsed on step 4")
	}
	g := app.openGDAP(coho)
	if res := app.post(agent, fmt.Sprintf("/gdap/%d/approved", g.ID), url.Values{}); res.status != http.StatusConflict {
		t.Errorf("approving a lapsed request: %d", res.status)
	}
}

func TestGDAPEndingCardOnTheDashboard(t *testing.T) {
	app := newTestApp(t)
	agent := app.signIn(adminAgent)
	home := app.get(agent, "/")
	if _, counts := cards(t, home.body); counts["card-gdap-ending"] != "1" || !strings.Contains(home.body, "0 auto-extend by 180 days; 1 end for good") {
		t.Errorf("the GDAP card counts %q", counts["card-gdap-ending"])
	}
	// Contoso's ends in 28 days; past its end it is expired and off the card.
	app.clock.advance(29 * 24 * time.Hour)
	agent = app.signIn(adminAgent) // the session ended meanwhile
	if _, counts := cards(t, app.get(agent, "/").body); counts["card-gdap-ending"] != "0" {
		t.Errorf("an expired GDAP relationship still counts: %q", counts["card-gdap-ending"])
	}
	if page := app.get(agent, fmt.Sprintf("/customers/%d/relationship", app.customerID("Contoso"))); !strings.Contains(page.body, `id="gdap-status">Expired`) {
		t.Error("Contoso's GDAP relationship is not shown expired")
	}
}

func TestRoleTemplatesPage(t *testing.T) {
	app := newTestApp(t)
	admin := app.signIn(globalAdmin)
	if res := app.get(app.signIn(adminAgent), templatesPath); res.status != http.StatusForbidden {
		t.Errorf("an Admin agent opened the templates: %d", res.status)
	}
	if page := app.get(admin, "/settings"); !strings.Contains(page.body, `href="`+templatesPath+`"`) {
		t.Error("the settings do not link to the role templates")
	}
	list := app.get(admin, templatesPath)
	if !strings.Contains(list.body, "Helpdesk Administrator → Helpdesk agents") || !strings.Contains(list.body, "Service desk") {
		t.Error("the demo templates are not listed")
	}
	// Refused as typed: Global Administrator with auto-extend, 731 days.
	bad := url.Values{"name": {"Break glass"}, "admin_days": {"731"}, "auto_extend": {"1"}, "admin_roles": {"global_administrator"},
		"group_global_administrator": {"Emergency admins"}}
	res := app.post(admin, templatesPath, bad)
	if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, `id="auto_extend-error"`) || !strings.Contains(res.body, `id="admin_days-error"`) ||
		!strings.Contains(res.body, `value="Emergency admins"`) || !strings.Contains(res.body, `value="731"`) {
		t.Errorf("a bad template: %d", res.status)
	}
	good := url.Values{"name": {"Break glass"}, "admin_days": {"30"}, "admin_roles": {"global_administrator"}, "group_global_administrator": {"Emergency admins"}}
	if res := app.post(admin, templatesPath, good); res.status != http.StatusSeeOther {
		t.Fatalf("save a template: %d", res.status)
	}
	if res := app.post(admin, templatesPath, good); res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, "Another template has this name") {
		t.Errorf("a second template of the same name: %d", res.status)
	}
	id := app.templateID("Break glass")
	edit := fmt.Sprintf("%s/%d", templatesPath, id)
	if page := app.get(admin, edit); !regexp.MustCompile(`value="global_administrator" checked`).MatchString(page.body) {
		t.Error("the edit form does not hold the template's roles")
	}
	good["admin_days"] = []string{"14"}
	if res := app.post(admin, edit, good); res.status != http.StatusSeeOther {
		t.Fatalf("edit the template: %d", res.status)
	}
	if tpl, _ := app.store.RoleTemplate(context.Background(), id); tpl.Days != 14 || tpl.Group(domain.RoleGlobalAdministrator) != "Emergency admins" {
		t.Errorf("edited template %+v", tpl)
	}
	if res := app.post(admin, edit+"/delete", confirmed()); res.status != http.StatusSeeOther {
		t.Fatalf("delete the template: %d", res.status)
	}
	if res := app.get(admin, edit); res.status != http.StatusNotFound {
		t.Errorf("a deleted template opens: %d", res.status)
	}
}

// TestRoleMatrixShowsAdminRoles holds the permission for requesting admin
// roles: Admin agents and Global admins have it, Sales agents do not.
func TestRoleMatrixShowsAdminRoles(t *testing.T) {
	app := newTestApp(t)
	for email, want := range map[string]bool{globalAdmin: true, adminAgent: true, salesAgent: false} {
		home := app.get(app.signIn(email), "/")
		if got := strings.Contains(home.body, "Request admin roles (GDAP)"); got != want {
			t.Errorf("%s: the home page lists requesting admin roles: %v, want %v", email, got, want)
		}
	}
}
