package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/wingtip/multichannel/internal/demo"
	"github.com/wingtip/multichannel/internal/domain"
)

// settingsFormValues is a valid settings form for the demo partner, with
// changes, filled from the version stored.
func settingsFormValues(app *testApp, changes map[string]string) url.Values {
	stored, err := app.store.PartnerSettings(context.Background())
	if err != nil {
		app.t.Fatal(err)
	}
	form := url.Values{"name": {"Wingtip Cloud Partners"}, "partner_id": {"5139005"}, "csp_model": {"direct_bill"}, "cloud": {"commercial"},
		"default_invite_days": {"30"}, "invite_subject": {""}, "invite_body": {""}, "action": {"save"}, "version": {fmt.Sprint(stored.Version)},
		"tenant_id": {demo.Partner.TenantID}, "country": {demo.Partner.Country}, "reseller_link": {demo.Partner.ResellerLink}}
	for k, v := range changes {
		form.Set(k, v)
	}
	return form
}

func TestSettingsAreForGlobalAdminsOnly(t *testing.T) {
	app := newTestApp(t)
	admin := app.signIn(globalAdmin)
	page := app.get(admin, "/settings")
	for _, want := range []string{`id="settings-form"`, `value="Wingtip Cloud Partners"`, `value="5139005"`, `value="direct_bill" selected`,
		`value="commercial" selected`, `name="default_invite_days" value="30"`, "{{customer}}", "{{link}}", `id="invitation-preview"`,
		"asks to become your Microsoft reseller", `id="smtp-missing"`} {
		if !strings.Contains(page.body, want) {
			t.Errorf("the settings page lacks %s", want)
		}
	}
	if strings.Contains(page.body, `id="send-test-mail"`) {
		t.Error("a test message is offered with no SMTP server configured")
	}
	if page.status != http.StatusOK || strings.Contains(page.body, `id="builtin_wording"`) {
		t.Errorf("GET /settings as Global admin: %d, or reset offered without a template", page.status)
	}

	for _, email := range []string{adminAgent, salesAgent} {
		c := app.signIn(email)
		if res := app.get(c, "/settings"); res.status != http.StatusForbidden || !strings.Contains(res.body, "Global admin") {
			t.Errorf("%s GET /settings: %d", email, res.status)
		}
		if res := app.post(c, "/settings", settingsFormValues(app, map[string]string{"name": "Taken over"})); res.status != http.StatusForbidden {
			t.Errorf("%s POST /settings: %d", email, res.status)
		}
		if res := app.post(c, "/settings/test-mail", url.Values{}); res.status != http.StatusForbidden {
			t.Errorf("%s POST /settings/test-mail: %d", email, res.status)
		}
		if home := app.get(c, "/"); strings.Contains(home.body, `href="/settings"`) {
			t.Errorf("%s is shown a link to the settings", email)
		}
	}
	if p, _ := app.store.Partner(context.Background()); p.Name != "Wingtip Cloud Partners" {
		t.Errorf("a refused save changed the partner to %q", p.Name)
	}
}

func TestSettingsValidationKeepsWhatWasTyped(t *testing.T) {
	app := newTestApp(t)
	admin := app.signIn(globalAdmin)
	for _, tc := range []struct {
		name    string
		changes map[string]string
		field   string
		kept    string
		says    string
	}{
		{"PartnerID", map[string]string{"partner_id": "12AB", "name": "Wingtip Two"}, "partner_id", `value="12AB"`, "6 to 10 digits"},
		{"expiry", map[string]string{"default_invite_days": "91", "name": "Wingtip Two"}, "default_invite_days", `value="91"`, "from 1 to 90"},
		{"expiry not a number", map[string]string{"default_invite_days": "soon"}, "default_invite_days", `value="soon"`, "from 1 to 90"},
		{"no link", map[string]string{"invite_subject": "Hello {{customer}}", "invite_body": "Dear {{recipient}}, reply to us."}, "invite_body",
			"Dear {{recipient}}, reply to us.</textarea>", "Put {{link}} in the message"},
		{"unknown placeholder", map[string]string{"invite_subject": "Hello {{tenant_id}}", "invite_body": "Open {{link}}"}, "invite_subject",
			`value="Hello {{tenant_id}}"`, "Unknown placeholder {{tenant_id}}. Use only {{customer}}, {{partner}}, {{partner_id}}, {{recipient}}, {{link}}, {{expires}}."},
	} {
		for _, action := range []string{"save", "preview"} {
			form := settingsFormValues(app, tc.changes)
			form.Set("action", action)
			res := app.post(admin, "/settings", form)
			if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, tc.field+"-error") || !strings.Contains(res.body, tc.says) ||
				!strings.Contains(res.body, tc.kept) {
				t.Errorf("%s (%s): %d, or the message or the typed value is missing", tc.name, action, res.status)
			}
			if v, ok := tc.changes["name"]; ok && !strings.Contains(res.body, `value="`+v+`"`) {
				t.Errorf("%s (%s): the other fields were not kept", tc.name, action)
			}
		}
	}
	ps, err := app.store.PartnerSettings(context.Background())
	if err != nil || ps.Partner.Name != "Wingtip Cloud Partners" || ps.DefaultInviteDays != 30 || !ps.Invitation.BuiltIn() {
		t.Errorf("refused forms changed the settings: %+v, %v", ps, err)
	}
}

func TestSettingsTemplatePreviewSaveAndReset(t *testing.T) {
	app := newTestApp(t)
	admin := app.signIn(globalAdmin)
	ctx := context.Background()
	tmpl := map[string]string{"invite_subject": "{{partner}} would like to work with {{customer}}",
		"invite_body": "Dear {{recipient}},\r\n\r\nPlease open {{link}} before {{expires}}.\r\n\r\n{{partner}} (PartnerID {{partner_id}})"}

	// Previewing shows the message for a sample customer and saves nothing.
	form := settingsFormValues(app, tmpl)
	form.Set("action", "preview")
	res := app.post(admin, "/settings", form)
	if res.status != http.StatusOK || !strings.Contains(res.body, "Not saved yet") ||
		!strings.Contains(res.body, "Wingtip Cloud Partners would like to work with Contoso Pharmaceuticals") ||
		!strings.Contains(res.body, "Dear Megan Bowen,") || !strings.Contains(res.body, "/invite/SAMPLE-LINK-FOR-THE-PREVIEW-ONLY before ") ||
		!strings.Contains(res.body, "(PartnerID 5139005)") {
		t.Errorf("preview: %d", res.status)
	}
	if ps, _ := app.store.PartnerSettings(ctx); !ps.Invitation.BuiltIn() {
		t.Error("a preview saved the template")
	}

	// Saving stores it, with an audit entry that does not hold the message.
	res = app.post(admin, "/settings", settingsFormValues(app, tmpl))
	if res.status != http.StatusSeeOther || res.header.Get("Location") != "/settings" {
		t.Fatalf("save: %d %s", res.status, res.body)
	}
	page := app.get(admin, "/settings")
	if !strings.Contains(page.body, "Settings saved") || !strings.Contains(page.body, "in your wording") ||
		!strings.Contains(page.body, "Please open "+app.url+"/invite/SAMPLE-LINK-FOR-THE-PREVIEW-ONLY before") ||
		!strings.Contains(page.body, `id="builtin_wording"`) {
		t.Error("the saved template is not shown with its preview and the reset option")
	}
	entries, _ := app.store.RecentAudit(ctx, domain.Page{Number: 1, Size: 50})
	var audited bool
	for _, e := range entries {
		if e.Action == "settings_changed" {
			audited = true
			if !strings.Contains(e.Detail, "invite_subject changed") || !strings.Contains(e.Detail, "invite_body changed") ||
				strings.Contains(e.Detail, "Please open") || e.ClientIP == "" {
				t.Errorf("audit entry %+v", e)
			}
		}
	}
	if !audited {
		t.Error("no settings_changed entry")
	}

	// Resetting goes back to the built-in wording.
	res = app.post(admin, "/settings", settingsFormValues(app, map[string]string{"invite_subject": tmpl["invite_subject"],
		"invite_body": tmpl["invite_body"], "builtin_wording": "1"}))
	if res.status != http.StatusSeeOther {
		t.Fatalf("reset: %d", res.status)
	}
	if ps, _ := app.store.PartnerSettings(ctx); !ps.Invitation.BuiltIn() {
		t.Errorf("the template was not reset: %+v", ps.Invitation)
	}
	if page := app.get(admin, "/settings"); !strings.Contains(page.body, "in the built-in wording") {
		t.Error("the preview is not in the built-in wording after the reset")
	}
}

func TestSettingsTemplateAndExpiryShapeTheNextInvitation(t *testing.T) {
	app := newTestApp(t)
	admin := app.signIn(globalAdmin)
	ctx := context.Background()
	res := app.post(admin, "/settings", settingsFormValues(app, map[string]string{"default_invite_days": "14",
		"invite_subject": "{{partner}} would like to work with {{customer}}",
		"invite_body":    "Dear {{recipient}},\r\n\r\nPlease open {{link}}, before {{expires}}.\r\n\r\n{{partner}} (PartnerID {{partner_id}})"}))
	if res.status != http.StatusSeeOther {
		t.Fatalf("save: %d %s", res.status, res.body)
	}

	sales := app.signIn(salesAgent)
	litware := app.customerID("Litware")
	path := fmt.Sprintf("/customers/%d/relationship", litware)
	if page := app.get(sales, path); !strings.Contains(page.body, `name="expiry_days" value="14"`) {
		t.Error("the invitation form does not offer the default expiry")
	}
	// Left empty, the expiry is the default.
	link, _ := app.invite(sales, litware, url.Values{"recipient_name": {"Patti Fernandez"}, "recipient_email": {"patti@litware.example"},
		"expiry_days": {""}, "admin_days": {"730"}})
	r, err := app.store.OpenRelationship(ctx, litware)
	if err != nil {
		t.Fatal(err)
	}
	if days := r.ExpiresAt.Sub(app.clock.now()).Hours() / 24; days < 13.9 || days > 14 {
		t.Errorf("the link expires in %.2f days, want the default 14", days)
	}
	page := app.get(sales, path)
	expires := r.ExpiresAt.Format("2 January 2006")
	for _, want := range []string{`value="Wingtip Cloud Partners would like to work with Litware, Inc."`, "Dear Patti Fernandez,",
		"Please open " + link + ", before " + expires + ".", "Wingtip Cloud Partners (PartnerID 5139005)"} {
		if !strings.Contains(page.body, want) {
			t.Errorf("the draft lacks %q", want)
		}
	}
	draft, err := app.store.InvitationDraft(ctx, r.ID)
	if err != nil || draft.Subject != "Wingtip Cloud Partners would like to work with Litware, Inc." || strings.Contains(draft.Body, "{{") {
		t.Errorf("draft %+v, %v", draft, err)
	}

	// Resending uses the template too, with a new link.
	if res := app.post(sales, fmt.Sprintf("/relationships/%d/resend", r.ID), url.Values{"back": {path}}); res.status != http.StatusSeeOther {
		t.Fatalf("resend: %d", res.status)
	}
	again, err := app.store.InvitationDraft(ctx, r.ID)
	if err != nil || again.Subject != draft.Subject || strings.Contains(again.Body, link) || !strings.Contains(again.Body, "Please open "+app.url+"/invite/") {
		t.Errorf("resent draft %+v, %v", again, err)
	}
}

func TestSettingsTestMessageWithoutSMTP(t *testing.T) {
	app := newTestApp(t)
	admin := app.signIn(globalAdmin)
	_, before, _ := app.store.ListOutbox(context.Background(), domain.Page{Number: 1, Size: 1})
	res := app.post(admin, "/settings/test-mail", url.Values{})
	if res.status != http.StatusSeeOther || res.header.Get("Location") != "/settings" {
		t.Fatalf("test message: %d", res.status)
	}
	if page := app.get(admin, "/settings"); !strings.Contains(page.body, "No SMTP server is configured, so nothing was queued") {
		t.Error("the page does not say that nothing was queued")
	}
	if _, after, _ := app.store.ListOutbox(context.Background(), domain.Page{Number: 1, Size: 1}); after != before {
		t.Errorf("the outbox went from %d to %d messages", before, after)
	}
}

func TestSettingsTestMessageWithSMTP(t *testing.T) {
	app := startTestApp(t, testOptions{mail: true})
	admin := app.signIn(globalAdmin)
	if page := app.get(admin, "/settings"); !strings.Contains(page.body, `id="smtp-configured"`) ||
		!strings.Contains(page.body, `id="send-test-mail"`) || !strings.Contains(page.body, globalAdmin) {
		t.Error("the page does not say SMTP is configured")
	}
	if res := app.post(admin, "/settings/test-mail", url.Values{}); res.status != http.StatusSeeOther {
		t.Fatalf("test message: %d", res.status)
	}
	if page := app.get(admin, "/settings"); !strings.Contains(page.body, "A test message to "+globalAdmin+" is queued") {
		t.Error("the page does not say the message is queued")
	}
	msgs, _, err := app.store.ListOutbox(context.Background(), domain.Page{Number: 1, Size: 1})
	if err != nil || len(msgs) != 1 {
		t.Fatalf("outbox: %v, %v", msgs, err)
	}
	m := msgs[0]
	if m.To != globalAdmin || m.Status != "queued" || m.RelationshipID != 0 || m.Subject != "Test message from Multichannel Support" ||
		strings.Contains(m.Body, "/invite/") || domain.FindInvitationLink(m.Body) != "" || !strings.Contains(m.Body, "Wingtip Cloud Partners") {
		t.Errorf("test message %+v", m)
	}
	if time.Since(m.CreatedAt) > time.Minute {
		t.Errorf("created at %v", m.CreatedAt)
	}
	outbox := app.get(admin, "/outbox")
	if !strings.Contains(outbox.body, "Test message from Multichannel Support") || !strings.Contains(outbox.body, "Queued for sending") {
		t.Error("the outbox does not list the queued test message")
	}
}
