package web

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/wingtip/multichannel/internal/demo"
)

func TestTheResellerLinkIsCheckedAndNeededForInvitations(t *testing.T) {
	app := newTestApp(t)
	admin, sales := app.signIn(globalAdmin), app.signIn(salesAgent)
	page := app.get(admin, "/settings").body
	for _, want := range []string{`id="reseller-link-settings"`, `value="` + demo.Partner.TenantID + `"`, "Request a reseller relationship"} {
		if !strings.Contains(page, want) {
			t.Errorf("the settings page lacks %q", want)
		}
	}
	// A GDAP link in the reseller field is refused on the field, as typed.
	gdap := "https://admin.microsoft.com/AdminPortal/Home#/partners/invitation/granularAdminRelationships/1-2"
	res := app.post(admin, "/settings", settingsFormValues(app, map[string]string{"reseller_link": gdap}))
	if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, "This is a GDAP invitation link") || !strings.Contains(res.body, `value="`+gdap+`"`) {
		t.Fatalf("a GDAP link as the reseller link: %d", res.status)
	}
	if ps, _ := app.store.PartnerSettings(context.Background()); ps.Partner.ResellerLink != demo.Partner.ResellerLink {
		t.Fatalf("a refused link was stored: %q", ps.Partner.ResellerLink)
	}
	// Without a link, step 4 says what is missing and who sets it, and no
	// invitation can be made.
	if res := app.post(admin, "/settings", settingsFormValues(app, map[string]string{"reseller_link": ""})); res.status != http.StatusSeeOther {
		t.Fatalf("clearing the link: %d", res.status)
	}
	litware := app.customerID("Litware")
	step := fmt.Sprintf("/customers/%d/relationship", litware)
	page = app.get(sales, step).body
	if !strings.Contains(page, "reseller relationship link from Partner Center is not set yet") || !strings.Contains(page, "A Global admin sets it in Settings") ||
		strings.Contains(page, `id="invite-form"`) {
		t.Errorf("step 4 without a link does not say what is missing, or still offers the form")
	}
	form := map[string][]string{"recipient_name": {"Patti Fernandez"}, "recipient_email": {"patti@litware.example"}, "expiry_days": {"30"}}
	if res := app.post(sales, step, form); res.status != http.StatusConflict {
		t.Errorf("an invitation without a link: %d, want 409", res.status)
	}
	// With the link back, the form is offered again.
	if res := app.post(admin, "/settings", settingsFormValues(app, nil)); res.status != http.StatusSeeOther {
		t.Fatalf("setting the link: %d", res.status)
	}
	if page := app.get(sales, step).body; !strings.Contains(page, `id="invite-form"`) {
		t.Error("with the link set, step 4 does not offer the invitation form")
	}
}

// The customer's page hands its Global admin over to the partner's
// reseller link, exactly as stored, in a new tab that is told nothing of
// the page it came from (the page's address holds the token).
func TestTheCustomerPageHandsOverToMicrosoft(t *testing.T) {
	app := newTestApp(t)
	sales := app.signIn(salesAgent)
	link, _ := app.invite(sales, app.customerID("Litware"), nil)
	page := app.get(app.client(), strings.TrimPrefix(link, app.url)).body
	want := `href="` + html.EscapeString(demo.Partner.ResellerLink) + `" target="_blank" rel="noopener noreferrer" role="button" id="microsoft-link"`
	if !strings.Contains(page, want) || !regexp.MustCompile(`sign in as a Global admin of\s*<strong>litware`).MatchString(page) {
		t.Errorf("the customer page does not hand over to the reseller link as stored:\n%s", page)
	}
	// The invited person answers, as a rule: their name and e-mail are
	// filled in.
	if !strings.Contains(page, `name="first_name" value="Patti"`) || !strings.Contains(page, `name="last_name" value="Fernandez"`) ||
		!strings.Contains(page, `name="email" value="patti@litware.example"`) {
		t.Error("the customer page does not fill in the invited person's name and e-mail")
	}
}
