package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/wingtip/multichannel/internal/domain"
)

// summaryLinkPattern finds the links of an error summary.
var summaryLinkPattern = regexp.MustCompile(`<li><a href="#([^"]+)">`)

// checkSummary checks the error summary of a refused form in body: an alert
// that takes the focus, with a heading and one link for each field in error,
// in the form's order (want), to an input that the page has.
func checkSummary(t *testing.T, what, body string, want ...string) {
	t.Helper()
	start := strings.Index(body, "data-error-summary")
	if start < 0 {
		t.Fatalf("%s: no error summary in %s", what, body)
	}
	open := body[strings.LastIndex(body[:start], "<div"):start]
	for _, attr := range []string{`role="alert"`, `tabindex="-1"`, "autofocus"} {
		if !strings.Contains(open, attr) {
			t.Errorf("%s: the error summary %s…> lacks %s", what, open, attr)
		}
	}
	summary := body[start:]
	summary = summary[:strings.Index(summary, "</div>")]
	if !strings.Contains(summary, "<h2") {
		t.Errorf("%s: the error summary has no heading: %s", what, summary)
	}
	var links []string
	for _, m := range summaryLinkPattern.FindAllStringSubmatch(summary, -1) {
		links = append(links, m[1])
		if !regexp.MustCompile(`<(input|select|textarea)[^>]* id="` + regexp.QuoteMeta(m[1]) + `"`).MatchString(body) {
			t.Errorf("%s: the error summary links to #%s, which no input of the page has", what, m[1])
		}
	}
	if !slices.Equal(links, want) {
		t.Errorf("%s: the error summary links to %q, want %q", what, links, want)
	}
}

func TestAzureChecklistPages(t *testing.T) {
	app := newTestApp(t)
	agent := app.signIn(adminAgent)
	contoso, sub := app.azureSubscription("Contoso")
	list := fmt.Sprintf("/customers/%d/azure", contoso)
	checklist := fmt.Sprintf("%s/%d", list, sub)

	// The list has a card for each subscription, linking to its checklist,
	// and none of the forms.
	page := app.get(agent, list)
	if page.status != http.StatusOK || !strings.Contains(page.body, fmt.Sprintf(`<li class="checklist-card" id="azure-%d"`, sub)) ||
		!strings.Contains(page.body, `href="`+checklist+`"`) || !strings.Contains(page.body, "Next: step 2 of 5, Record the new CSP Azure subscription") {
		t.Fatalf("the list of checklists: %d %s", page.status, page.body)
	}
	if strings.Contains(page.body, "Save step") {
		t.Error("the list of checklists shows the steps' forms")
	}
	// The checklist's page has the form of step 2, whose action ends with
	// its id as a fragment.
	page = app.get(agent, checklist)
	form := fmt.Sprintf(`action="%s/csp#azure-%d-step-2" class="checklist-form" id="azure-%d-step-2"`, checklist, sub, sub)
	if page.status != http.StatusOK || !strings.Contains(page.body, form) {
		t.Fatalf("the checklist's page: %d, want a form with %s", page.status, form)
	}
	if strings.Contains(page.body, "data-error-summary") {
		t.Error("the checklist's page shows an error summary before anything was sent")
	}
	// A subscription of another customer, and one without a checklist,
	// have no checklist page.
	northwind, other := app.azureSubscription("Northwind")
	subs, _ := app.store.AllSubscriptions(context.Background(), contoso)
	licence := subs[slices.IndexFunc(subs, func(s domain.Subscription) bool { return s.ServiceType != domain.ServiceUsage })]
	for _, path := range []string{fmt.Sprintf("%s/%d", list, other), fmt.Sprintf("%s/%d", list, licence.ID)} {
		if res := app.get(agent, path); res.status != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 404", path, res.status)
		}
	}
	if res := app.get(agent, fmt.Sprintf("/customers/%d/azure/%d", northwind, other)); res.status != http.StatusOK {
		t.Errorf("Northwind's own checklist: %d", res.status)
	}

	// The addresses the forms post to lead back to the checklist.
	for _, step := range []string{"csp", "moved", "cancelled"} {
		res := app.get(agent, checklist+"/"+step)
		if res.status != http.StatusSeeOther || res.header.Get("Location") != checklist {
			t.Errorf("GET %s/%s: %d to %q, want 303 to %s", checklist, step, res.status, res.header.Get("Location"), checklist)
		}
	}
	// So does a GET from a Sales agent, who may see the checklist.
	if res := app.get(app.signIn(salesAgent), checklist+"/csp"); res.status != http.StatusSeeOther {
		t.Errorf("a Sales agent's GET of a step's address: %d", res.status)
	}
}

func TestRefusedFormsHaveAnErrorSummary(t *testing.T) {
	app := newTestApp(t)
	agent := app.signIn(adminAgent)
	contoso, sub := app.azureSubscription("Contoso")
	checklist := fmt.Sprintf("/customers/%d/azure/%d", contoso, sub)
	prefix := fmt.Sprintf("azure-%d-", sub)
	bad := url.Values{"csp_subscription_id": {"not-a-guid"}, "display_name": {"Contoso prod"}, "expected": {"2"}}

	// Without htmx: the page whole, the summary at the top of the form.
	res := app.post(agent, checklist+"/csp", bad)
	if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, "<html") {
		t.Fatalf("a refused step 2: %d", res.status)
	}
	checkSummary(t, "a refused step 2", res.body, prefix+"csp_subscription_id", prefix+"created_on", prefix+"created_by_role")
	formAt := strings.Index(res.body, `id="`+prefix+`step-2"`)
	if summaryAt := strings.Index(res.body, "data-error-summary"); formAt < 0 || summaryAt < formAt ||
		strings.Contains(res.body[formAt:summaryAt], "<label") {
		t.Error("the error summary is not at the top of the form of step 2")
	}
	// With htmx: the form alone, to swap in place of the one sent.
	res = app.htmx(agent, http.MethodPost, checklist+"/csp", bad)
	if res.status != http.StatusUnprocessableEntity || !strings.HasPrefix(strings.TrimSpace(res.body), `<form method="post" action="`+checklist+"/csp#") ||
		!strings.HasSuffix(strings.TrimSpace(res.body), "</form>") || strings.Contains(res.body, "<main") {
		t.Fatalf("a refused step 2 sent by htmx: %d %s", res.status, res.body)
	}
	checkSummary(t, "a refused step 2 sent by htmx", res.body, prefix+"csp_subscription_id", prefix+"created_on", prefix+"created_by_role")
	// A saved step leads to the checklist from its top; htmx gets the
	// address without a fragment, which would only scroll.
	today := time.Now().UTC().Format(domain.DateLayout)
	good := url.Values{"csp_subscription_id": {"11111111-2222-3333-4444-555555555555"}, "display_name": {"Contoso prod"},
		"created_on": {today}, "created_by_role": {"admin_agent"}, "expected": {"2"}}
	if res := app.htmx(agent, http.MethodPost, checklist+"/csp", good); res.status != http.StatusOK || res.header.Get("HX-Redirect") != checklist {
		t.Errorf("step 2 sent by htmx: %d to %q, want an HX-Redirect to %s", res.status, res.header.Get("HX-Redirect"), checklist)
	}
	// Step 4 names its radio buttons' field by the first of them.
	moved := url.Values{"moved_note": {"VMs"}, "moved_on": {today}, "expected": {"3"},
		"version": {formVersion(t, app.get(agent, checklist).body, checklist+"/moved")}}
	if res := app.post(agent, checklist+"/moved", moved); res.status != http.StatusSeeOther || res.header.Get("Location") != checklist+"#top" {
		t.Fatalf("step 3: %d to %q, want 303 to %s#top", res.status, res.header.Get("Location"), checklist)
	}
	res = app.post(agent, checklist+"/cancelled", url.Values{"cancelled_on": {today}, "expected": {"4"}})
	checkSummary(t, "a refused step 4", res.body, prefix+"scope", prefix+"cancelled_by")

	// The customer form: its fields in the form's order.
	sales := app.signIn(salesAgent)
	customer := url.Values{"name": {""}, "domain": {"not a domain"}, "country": {"SE"}, "admin_name": {"Lee Gu"}, "admin_email": {"lee"}}
	res = app.post(sales, "/customers", customer)
	if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, `action="/customers#customer-form"`) {
		t.Fatalf("a refused new customer: %d", res.status)
	}
	checkSummary(t, "a refused new customer", res.body, "name", "domain", "admin_email")
	res = app.htmx(sales, http.MethodPost, "/customers", customer)
	if res.status != http.StatusUnprocessableEntity || !strings.HasPrefix(strings.TrimSpace(res.body), `<form method="post" action="/customers#customer-form"`) ||
		strings.Contains(res.body, "<main") {
		t.Fatalf("a refused new customer sent by htmx: %d %s", res.status, res.body)
	}
	checkSummary(t, "a refused new customer sent by htmx", res.body, "name", "domain", "admin_email")
	// A stale edit has its summary too, with what is stored now.
	id := app.customerID("Contoso")
	edit := fmt.Sprintf("/customers/%d", id)
	version := formVersion(t, app.get(sales, edit+"/edit").body, edit)
	values := url.Values{"name": {"Contoso Ltd"}, "domain": {"contoso.onmicrosoft.com"}, "country": {"US"}, "admin_name": {"Lee Gu"},
		"admin_email": {"lee@contoso.example"}, "version": {version}}
	if res := app.post(sales, edit, values); res.status != http.StatusSeeOther {
		t.Fatalf("edit Contoso: %d %s", res.status, res.body)
	}
	res = app.post(sales, edit, with(values, "name", "Contoso Limited"))
	if res.status != http.StatusConflict || !strings.Contains(res.body, `<h2 id="error-summary-title">Someone saved this after you opened the form.</h2>`) {
		t.Errorf("a stale edit: %d %s", res.status, res.body)
	}
	checkSummary(t, "a stale edit", res.body)
}
