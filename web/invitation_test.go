package web

import (
	"context"
	"errors"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/wingtip/multichannel/internal/demo"
	"github.com/wingtip/multichannel/internal/domain"
)

// TestTheCustomerPageTakesTheAttestation walks the commercial customer page:
// what a reseller relationship means, the reseller link as stored, the
// Microsoft Customer Agreement fields prefilled and required, the answer
// kept on errors, and the attestation stored with the app's date and shown
// to staff with its copy in the API's fields.
func TestTheCustomerPageTakesTheAttestation(t *testing.T) {
	app := newTestApp(t)
	ctx := context.Background()
	sales := app.signIn(salesAgent)
	litware := app.customerID("Litware")
	_, token := app.invite(sales, litware, nil)
	path := "/invite/" + token
	customer := app.public()

	page := app.get(customer, path).body
	for _, want := range []string{
		`href="` + html.EscapeString(demo.Partner.ResellerLink) + `"`,
		"What a reseller relationship means for you", "It does not move or change the subscriptions you already have",
		"it cannot see your users or company details", `id="mca-attestation"`,
		`href="` + html.EscapeString(domain.MCAAgreementURL) + `" target="_blank" rel="noopener noreferrer" id="mca-link"`,
		// The invited person and the customer, prefilled.
		`name="first_name" value="Patti"`, `name="last_name" value="Fernandez"`, `name="email" value="patti@litware.example"`,
		`name="company_name" value="Litware, Inc."`, `name="phone" value=""`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the customer page lacks %s", want)
		}
	}

	// Each attestation field is required (the phone only well-formed); the
	// page comes back with 422, the messages and what was typed.
	for _, tc := range []struct{ field, value, message string }{
		{"first_name", "", "Enter your first name."},
		{"last_name", " ", "Enter your last name."},
		{"email", "patti", "Enter your e-mail address"},
		{"company_name", "", "Enter your organisation&#39;s name."},
		{"phone", "call me maybe", "Enter a telephone number"},
		{"mca", "", "Confirm that your organisation accepts the Microsoft Customer Agreement."},
	} {
		form := acceptForm()
		form.Set("phone", "+1 425 555 0100")
		form.Set(tc.field, tc.value)
		res := app.post(customer, path, form)
		if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, `id="`+tc.field+`-error">`+tc.message) {
			t.Errorf("%s = %q: %d, want 422 with %q", tc.field, tc.value, res.status, tc.message)
		}
		if tc.field != "phone" && !strings.Contains(res.body, `name="phone" value="+1 425 555 0100"`) ||
			tc.field != "company_name" && !strings.Contains(res.body, `name="company_name" value="Litware, Inc."`) {
			t.Errorf("%s = %q: the page does not keep what was typed", tc.field, tc.value)
		}
	}
	if r, _ := app.store.OpenRelationship(ctx, litware); r.Status != domain.StatusPending {
		t.Fatalf("refused answers changed the request to %s", r.Status)
	}

	// The date is the app's, at the answer.
	at := app.clock.now().Truncate(time.Second)
	app.clock.set(at)
	form := acceptForm()
	form.Set("phone", "+1 425 555 0100")
	if res := app.post(customer, path, form); res.status != http.StatusSeeOther {
		t.Fatalf("accept: %d", res.status)
	}
	r, _ := app.store.OpenRelationship(ctx, litware)
	got, err := app.store.Attestation(ctx, r.ID)
	want := domain.Attestation{FirstName: "Patti", LastName: "Fernandez", Email: "patti@litware.example", Phone: "+1 425 555 0100",
		CompanyName: "Litware, Inc.", AgreementURL: domain.MCAAgreementURL, AcceptedAt: at}
	if got.AcceptedAt.Equal(at) {
		got.AcceptedAt = at // the same instant, perhaps in another location
	}
	if err != nil || got != want {
		t.Fatalf("stored attestation %+v (%v), want %+v", got, err, want)
	}
	if r.AcceptedName != "Patti Fernandez" || r.AcceptedEmail != "patti@litware.example" {
		t.Errorf("the answer names %q <%q>", r.AcceptedName, r.AcceptedEmail)
	}

	// Staff see it on step 4 with its copy in the API's fields.
	step := app.get(sales, fmt.Sprintf("/customers/%d/relationship", litware)).body
	for _, want := range []string{`id="mca-attestation-record"`, "Patti Fernandez &lt;patti@litware.example&gt;", "+1 425 555 0100",
		"since 5 January 2026 they go through its API only", "Give it to your attestation integration.",
		html.EscapeString(`"firstName": "Patti"`), html.EscapeString(`"companyName": "Litware, Inc."`),
		html.EscapeString(`"dateAgreed": "` + at.UTC().Format("2006-01-02T15:04:05.000Z") + `"`), html.EscapeString(`"type": "MicrosoftCustomerAgreement"`),
		`data-copy="attestation-copy"`} {
		if !strings.Contains(step, want) {
			t.Errorf("step 4 lacks %s", want)
		}
	}
	// An indirect reseller is told that its provider attests.
	p, _ := app.store.Partner(ctx)
	p.CSPModel, p.ProviderName = domain.CSPIndirectReseller, "Contoso Distribution"
	app.store.SetPartner(ctx, p)
	step = app.get(sales, fmt.Sprintf("/customers/%d/relationship", litware)).body
	if !strings.Contains(step, "send it to your indirect provider (Contoso Distribution), who attests for you") {
		t.Error("step 4 does not tell an indirect reseller that its provider attests")
	}
}

// TestTheUSGovernmentPageAsksForNoAttestation checks the US Government
// variant: no agreement fields, where that customer accepts instead, and
// nothing stored even when the fields are posted.
func TestTheUSGovernmentPageAsksForNoAttestation(t *testing.T) {
	app := newTestApp(t)
	ctx := context.Background()
	p, _ := app.store.Partner(ctx)
	p.Cloud = domain.CloudUSGovernment
	app.store.SetPartner(ctx, p)
	litware := app.customerID("Litware")
	_, token := app.invite(app.signIn(adminAgent), litware, url.Values{"recipient_name": {"Patti Fernandez"},
		"recipient_email": {"patti@litware.example"}, "expiry_days": {"30"}, "admin_roles": {"global_reader"}, "admin_days": {"90"},
		"gdap_name": {"Litware – US Government"}})
	path := "/invite/" + token
	customer := app.public()
	page := app.get(customer, path).body
	for _, absent := range []string{`id="mca-attestation"`, `name="company_name"`, `name="phone"`, `name="mca"`, "mca-link"} {
		if strings.Contains(page, absent) {
			t.Errorf("the US Government page shows %s", absent)
		}
	}
	if !strings.Contains(page, "Microsoft Office admin portal of your US Government organisation") ||
		!strings.Contains(page, `name="first_name" value="Patti"`) {
		t.Error("the US Government page does not say where the customer accepts, or does not prefill the name")
	}
	form := acceptForm()
	form.Del("first_name")
	res := app.post(customer, path, form)
	if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, `id="first_name-error"`) {
		t.Errorf("a US Government answer without a name: %d", res.status)
	}
	// The agreement's fields, posted anyway, are not stored.
	if res := app.post(customer, path, acceptForm()); res.status != http.StatusSeeOther {
		t.Fatalf("accept: %d", res.status)
	}
	r, _ := app.store.OpenRelationship(ctx, litware)
	if _, err := app.store.Attestation(ctx, r.ID); !errors.Is(err, domain.ErrNotFound) || r.Status != domain.StatusAccepted {
		t.Errorf("a US Government acceptance stored an attestation (%v), or is %s", err, r.Status)
	}
}

// TestAnAnswerWithoutAChoiceKeepsTheInput posts a complete acceptance
// without the button's choice: refused with 422, the input kept, nothing
// changed.
func TestAnAnswerWithoutAChoiceKeepsTheInput(t *testing.T) {
	app := newTestApp(t)
	litware := app.customerID("Litware")
	_, token := app.invite(app.signIn(salesAgent), litware, nil)
	form := acceptForm()
	form.Del("answer")
	form.Set("phone", "+44 20 7946 0000")
	res := app.post(app.public(), "/invite/"+token, form)
	if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, `id="answer-error">Choose Accept or Decline.`) ||
		!strings.Contains(res.body, `name="phone" value="+44 20 7946 0000"`) || !strings.Contains(res.body, `name="last_name" value="Fernandez"`) ||
		!strings.Contains(res.body, `id="mca" checked`) {
		t.Errorf("an answer without a choice: %d, want 422 with the input kept", res.status)
	}
	if r, _ := app.store.OpenRelationship(context.Background(), litware); r.Status != domain.StatusPending {
		t.Errorf("an answer without a choice changed the request to %s", r.Status)
	}
}

// TestTheRegionalWarningNeedsATick sends requests from the demo partner
// (United Kingdom, market Europe): to France, the same market, no warning;
// to Canada, another market, a warning with Microsoft's rule and a tick to
// go on.
func TestTheRegionalWarningNeedsATick(t *testing.T) {
	app := newTestApp(t)
	sales := app.signIn(salesAgent)
	form := func(name, email string) url.Values {
		return url.Values{"recipient_name": {name}, "recipient_email": {email}, "expiry_days": {"30"}, "admin_days": {"730"}}
	}
	adatum := fmt.Sprintf("/customers/%d/relationship", app.customerID("Adatum"))
	if page := app.get(sales, adatum).body; strings.Contains(page, "regional-warning") {
		t.Error("a customer in the partner's market gets the regional warning")
	}
	if res := app.post(sales, adatum, form("Isaiah Langer", "isaiah@adatum.example")); res.status != http.StatusSeeOther {
		t.Errorf("a request within the market: %d, want 303", res.status)
	}

	litware := fmt.Sprintf("/customers/%d/relationship", app.customerID("Litware"))
	const rule = "most regions are only allowed to establish reselling relationships with their same region or country"
	if page := app.get(sales, litware).body; !strings.Contains(page, `id="regional-warning"`) || !strings.Contains(page, "Canada is outside your CSP market (Europe)") ||
		!strings.Contains(page, rule) || !strings.Contains(page, `name="outside_market_ok"`) {
		t.Error("step 4 of a customer outside the market does not warn with Microsoft's rule and offer the tick")
	}
	res := app.post(sales, litware, form("Patti Fernandez", "patti@litware.example"))
	if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, rule) ||
		!strings.Contains(res.body, `id="outside_market_ok-error">This customer is outside your CSP market`) ||
		!strings.Contains(res.body, `value="Patti Fernandez"`) {
		t.Errorf("a request outside the market without the tick: %d, want 422 with the warning and the input", res.status)
	}
	ticked := form("Patti Fernandez", "patti@litware.example")
	ticked.Set("outside_market_ok", "1")
	if res := app.post(sales, litware, ticked); res.status != http.StatusSeeOther {
		t.Errorf("a request outside the market with the tick: %d, want 303", res.status)
	}
}

// TestTheDemoShowsAnAttestation checks that the demo's request awaiting
// review carries its customer's attestation on step 4.
func TestTheDemoShowsAnAttestation(t *testing.T) {
	app := newTestApp(t)
	page := app.get(app.signIn(adminAgent), fmt.Sprintf("/customers/%d/relationship", app.customerID("Fabrikam"))).body
	if !strings.Contains(page, `id="mca-attestation-record"`) || !strings.Contains(page, "Alex Wilber &lt;alex.wilber@fabrikam.example&gt;") ||
		!strings.Contains(page, html.EscapeString(`"companyName": "Fabrikam, Inc."`)) {
		t.Error("the demo's accepted request shows no attestation on step 4")
	}
}
