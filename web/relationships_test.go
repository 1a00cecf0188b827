package web

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/wingtip/multichannel/internal/demo"
	"github.com/wingtip/multichannel/internal/domain"
)

var linkPattern = regexp.MustCompile(`value="(http://[^"]+/invite/([A-Za-z0-9_-]{43}))"`)

// invite creates a request for the customer as the given client and returns
// the link shown on the customer's relationship page.
func (a *testApp) invite(c *http.Client, customerID int64, form url.Values) (link, token string) {
	a.t.Helper()
	path := fmt.Sprintf("/customers/%d/relationship", customerID)
	if form == nil {
		form = url.Values{"recipient_name": {"Patti Fernandez"}, "recipient_email": {"patti@litware.example"}, "expiry_days": {"30"}, "admin_days": {"730"}}
	}
	// Litware is in Canada, outside the demo partner's CSP market (Europe):
	// the tick goes on past the regional warning, which
	// TestTheRegionalWarningNeedsATick checks.
	form.Set("outside_market_ok", "1")
	res := a.post(c, path, form)
	if res.status != http.StatusSeeOther {
		a.t.Fatalf("create the invitation: %d %s", res.status, res.body)
	}
	m := linkPattern.FindStringSubmatch(a.get(c, path).body)
	if m == nil {
		a.t.Fatal("no invitation link on the relationship page")
	}
	return m[1], m[2]
}

// public is a visitor without a session, as the customer's admin is.
func (a *testApp) public() *http.Client { return a.client() }

func acceptForm() url.Values {
	return url.Values{"answer": {"accept"}, "first_name": {"Patti"}, "last_name": {"Fernandez"}, "email": {"patti@litware.example"},
		"company_name": {"Litware, Inc."}, "global_admin": {"1"}, "mca": {"1"}, "accepted_at_microsoft": {"1"}}
}

func TestInvitationIsAcceptedOnceThroughTheLink(t *testing.T) {
	app := newTestApp(t)
	sales := app.signIn(salesAgent)
	litware := app.customerID("Litware")
	link, token := app.invite(sales, litware, nil)
	if !strings.HasPrefix(link, app.url+"/invite/") {
		t.Fatalf("the link %q is not on the base URL", link)
	}
	path := "/invite/" + token
	customer := app.public()

	// Opening the link, as a mail scanner and then a person would, changes nothing.
	for range 2 {
		res := app.get(customer, path)
		if res.status != http.StatusOK || !strings.Contains(res.body, "Wingtip Cloud Partners") || !strings.Contains(res.body, "5139005") ||
			!strings.Contains(res.body, "Litware, Inc.") || !strings.Contains(res.body, "litware.onmicrosoft.com") {
			t.Fatalf("invitation page: %d", res.status)
		}
		if res.header.Get("Referrer-Policy") != "no-referrer" || res.header.Get("Cache-Control") != "no-store" ||
			!strings.Contains(res.header.Get("Content-Security-Policy"), "default-src 'self'") {
			t.Errorf("invitation headers: %v", res.header)
		}
		// It loads nothing from another origin; its links elsewhere are
		// Microsoft's: the partner's reseller link, the hand-off, and where
		// the customer reads the Microsoft Customer Agreement.
		if regexp.MustCompile(`src="(https?:)?//|<link[^>]*href="(https?:)?//`).MatchString(res.body) {
			t.Error("the invitation page loads something from another origin")
		}
		for _, m := range regexp.MustCompile(`<a[^>]*href="((https?:)?//[^"]*)"`).FindAllStringSubmatch(res.body, -1) {
			if u := html.UnescapeString(m[1]); u != demo.Partner.ResellerLink && u != domain.MCAAgreementURL {
				t.Errorf("the invitation page links to %s", m[1])
			}
		}
		if strings.Contains(res.body, "signed-in-user") || strings.Contains(res.body, `id="main-nav"`) {
			t.Error("the invitation page shows staff navigation")
		}
	}
	req, _ := http.NewRequest(http.MethodHead, app.url+path, nil)
	app.do(customer, req)
	if r, _ := app.store.OpenRelationship(context.Background(), litware); r.Status != domain.StatusPending {
		t.Fatalf("opening the link changed the request to %s", r.Status)
	}

	// Accepting needs the confirmations, the one of having accepted at
	// Microsoft included; the form keeps what was typed.
	missing := acceptForm()
	missing.Del("global_admin")
	missing.Del("mca")
	missing.Del("accepted_at_microsoft")
	res := app.post(customer, path, missing)
	if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, "global_admin-error") || !strings.Contains(res.body, `value="Fernandez"`) ||
		!strings.Contains(res.body, `id="accepted_at_microsoft-error">Accept at Microsoft first`) {
		t.Fatalf("accept without the confirmations: %d", res.status)
	}
	res = app.post(customer, path, acceptForm())
	if res.status != http.StatusSeeOther || res.header.Get("Location") != "/invite/answered?outcome=accepted" {
		t.Fatalf("accept: %d %q", res.status, res.header.Get("Location"))
	}
	if done := app.get(customer, res.header.Get("Location")); !strings.Contains(done.body, "you accepted") {
		t.Error("no thank-you page")
	}
	r, _ := app.store.OpenRelationship(context.Background(), litware)
	if r.Status != domain.StatusAccepted || r.AcceptedName != "Patti Fernandez" {
		t.Fatalf("after accepting: %+v", r)
	}
	// The link is used up.
	again := app.get(customer, path)
	if again.status != http.StatusNotFound || !strings.Contains(again.body, "invalid-invitation") {
		t.Fatalf("a used link: %d", again.status)
	}
	if res := app.post(customer, path, acceptForm()); res.status != http.StatusNotFound {
		t.Fatalf("accepting twice: %d", res.status)
	}
	// The request log never holds the token.
	if strings.Contains(app.logs.String(), token) {
		t.Error("the token is in the request log")
	}
}

// TestInvalidLinksLookTheSame checks that an unknown, malformed, used,
// revoked and expired link all get the same page: no oracle.
func TestInvalidLinksLookTheSame(t *testing.T) {
	app := newTestApp(t)
	sales := app.signIn(salesAgent)
	customer := app.public()
	pageOf := func(path string) string {
		res := app.get(customer, path)
		if res.status != http.StatusNotFound {
			t.Errorf("%s: %d, want 404", path, res.status)
		}
		main := res.body[strings.Index(res.body, "<main"):]
		return main[:strings.Index(main, "</main>")]
	}
	unknown := pageOf("/invite/" + strings.Repeat("A", 43))
	if pageOf("/invite/not-a-token") != unknown {
		t.Error("a malformed link looks different")
	}

	litware := app.customerID("Litware")
	_, used := app.invite(sales, litware, nil)
	app.post(customer, "/invite/"+used, acceptForm())
	if pageOf("/invite/"+used) != unknown {
		t.Error("a used link looks different")
	}

	adatum := app.customerID("Adatum")
	_, revoked := app.invite(sales, adatum, url.Values{"recipient_name": {"Isaiah Langer"}, "recipient_email": {"isaiah@adatum.example"}, "expiry_days": {"1"}})
	r, _ := app.store.OpenRelationship(context.Background(), adatum)
	app.post(sales, fmt.Sprintf("/relationships/%d/revoke", r.ID), url.Values{"back": {"/relationships"}, "confirmed": {"yes"}})
	if pageOf("/invite/"+revoked) != unknown {
		t.Error("a revoked link looks different")
	}

	_, fresh := app.invite(sales, adatum, url.Values{"recipient_name": {"Isaiah Langer"}, "recipient_email": {"isaiah@adatum.example"}, "expiry_days": {"1"}})
	if res := app.get(customer, "/invite/"+fresh); res.status != http.StatusOK {
		t.Fatalf("a fresh link: %d", res.status)
	}
	app.clock.advance(25 * time.Hour)
	if pageOf("/invite/"+fresh) != unknown {
		t.Error("an expired link looks different")
	}
	if res := app.post(customer, "/invite/"+fresh, acceptForm()); res.status != http.StatusNotFound {
		t.Errorf("accepting an expired link: %d", res.status)
	}
}

func TestResendKillsTheOldLink(t *testing.T) {
	app := newTestApp(t)
	sales := app.signIn(salesAgent)
	litware := app.customerID("Litware")
	_, old := app.invite(sales, litware, nil)
	r, _ := app.store.OpenRelationship(context.Background(), litware)
	if res := app.post(sales, fmt.Sprintf("/relationships/%d/resend", r.ID), url.Values{"back": {fmt.Sprintf("/customers/%d/relationship", litware)}}); res.status != http.StatusSeeOther {
		t.Fatalf("resend: %d", res.status)
	}
	m := linkPattern.FindStringSubmatch(app.get(sales, fmt.Sprintf("/customers/%d/relationship", litware)).body)
	if m == nil || m[2] == old {
		t.Fatal("resend did not make a new link")
	}
	customer := app.public()
	if res := app.post(customer, "/invite/"+old, acceptForm()); res.status != http.StatusNotFound {
		t.Errorf("the old link still works: %d", res.status)
	}
	if res := app.post(customer, "/invite/"+m[2], acceptForm()); res.status != http.StatusSeeOther {
		t.Errorf("the new link does not work: %d", res.status)
	}
}

// TestLinkUsesTheBaseURL creates an invitation with a forged Host header,
// which is refused, then on a server that answers for that host too: the
// link is still on the configured base URL.
func TestLinkUsesTheBaseURL(t *testing.T) {
	app := newTestApp(t)
	sales := app.signIn(salesAgent)
	path := fmt.Sprintf("/customers/%d/relationship", app.customerID("Litware"))
	create := func(base string) response {
		form := url.Values{"recipient_name": {"Patti Fernandez"}, "recipient_email": {"patti@litware.example"}, "expiry_days": {"30"}, "outside_market_ok": {"1"}}
		req, _ := http.NewRequest(http.MethodPost, base+path, strings.NewReader(form.Encode()))
		req.Host = "evil.example"
		req.AddCookie(app.sessionCookie(sales)) // the client's jar would key cookies by the forged Host
		req.Header.Set("Origin", base)
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		return app.do(sales, req)
	}
	if res := create(app.url); res.status != http.StatusMisdirectedRequest {
		t.Fatalf("create with a forged Host: %d, want 421", res.status)
	}
	if linkPattern.MatchString(app.get(sales, path).body) {
		t.Fatal("the request with a forged Host created an invitation")
	}
	allowing := app.serveAlso(func(c *Config) { c.AllowedHosts = []string{"evil.example"} })
	if res := create(allowing); res.status != http.StatusSeeOther || strings.Contains(res.header.Get("Location"), "login") {
		t.Fatalf("create with an allowed other Host: %d %s", res.status, res.header.Get("Location"))
	}
	page := app.get(sales, path)
	m := linkPattern.FindStringSubmatch(page.body)
	if m == nil || !strings.HasPrefix(m[1], app.url+"/invite/") || strings.Contains(page.body, "evil.example") {
		t.Fatalf("the link follows the Host header: %v", m)
	}
}

func TestReviewRolesAndConflicts(t *testing.T) {
	app := newTestApp(t)
	sales, agent, admin := app.signIn(salesAgent), app.signIn(adminAgent), app.signIn(globalAdmin)
	ctx := context.Background()
	fabrikam, _ := app.store.OpenRelationship(ctx, app.customerID("Fabrikam"))   // accepted, awaiting verification
	contoso, _ := app.store.OpenRelationship(ctx, app.customerID("Contoso"))     // active
	northwind, _ := app.store.OpenRelationship(ctx, app.customerID("Northwind")) // pending
	act := func(c *http.Client, id int64, action string, form url.Values) response {
		if form == nil {
			form = url.Values{}
		}
		form.Set("back", "/relationships")
		return app.post(c, fmt.Sprintf("/relationships/%d/%s", id, action), form)
	}

	// A Sales agent may not verify, reject or remove, and is not offered to.
	for _, tc := range []struct {
		id     int64
		action string
	}{{fabrikam.ID, "verify"}, {fabrikam.ID, "reject"}, {contoso.ID, "remove"}} {
		if res := act(sales, tc.id, tc.action, url.Values{"reason": {"x"}}); res.status != http.StatusForbidden || !strings.Contains(res.body, "needs the role") {
			t.Errorf("Sales agent %s: %d", tc.action, res.status)
		}
	}
	queue := app.get(sales, "/relationships?status=accepted")
	detailPath := fmt.Sprintf("/relationships/%d", fabrikam.ID)
	if queue.status != http.StatusOK || !strings.Contains(queue.body, "Fabrikam") || strings.Contains(queue.body, "verify-or-reject") ||
		!strings.Contains(queue.body, `href="`+detailPath+"?back=") {
		t.Error("the Sales agent's queue is not read-only, or does not link to the request's page")
	}
	for _, c := range []*http.Client{sales, agent} {
		detail := app.get(c, detailPath)
		offered := strings.Contains(detail.body, `class="verify"`) && strings.Contains(detail.body, `class="secondary reject"`)
		if detail.status != http.StatusOK || !strings.Contains(detail.body, "Alex Wilber") || offered != (c == agent) {
			t.Errorf("the request's page (%d) offers verify and reject: %v, want %v", detail.status, offered, c == agent)
		}
	}
	if queue := app.get(agent, "/relationships?status=accepted"); !strings.Contains(queue.body, "verify-or-reject") {
		t.Error("the Admin agent's queue does not link to verifying or rejecting")
	}
	// An Admin agent may not remove an active relationship.
	if res := act(agent, contoso.ID, "remove", url.Values{"reason": {"x"}}); res.status != http.StatusForbidden {
		t.Errorf("Admin agent remove: %d", res.status)
	}
	// Disallowed transitions answer 409 with the reason.
	stated := url.Values{"seen": {"1"}}
	if res := act(agent, northwind.ID, "verify", stated); res.status != http.StatusConflict || !strings.Contains(res.body, "accepted can be verified") {
		t.Errorf("verify a pending request by hand: %d", res.status)
	}
	if res := act(admin, fabrikam.ID, "revoke", confirmed()); res.status != http.StatusConflict {
		t.Errorf("revoke an accepted request: %d", res.status)
	}
	// Reject needs a reason: the request's page says so at its field, and
	// goes back to the list it came from.
	if res := act(agent, fabrikam.ID, "reject", url.Values{"reason": {"  "}}); res.status != http.StatusUnprocessableEntity ||
		!strings.Contains(res.body, fmt.Sprintf(`id="rel-%d-reject-reason-error"`, fabrikam.ID)) || !strings.Contains(res.body, "Say why the request is rejected.") ||
		!strings.Contains(res.body, `aria-invalid="true"`) || !strings.Contains(res.body, `name="back" value="/relationships"`) {
		t.Errorf("reject without a reason: %d", res.status)
	}
	// Accepted is not active: the plan says to verify, and manages nothing yet.
	before := app.get(sales, fmt.Sprintf("/customers/%d/plan", fabrikam.CustomerID))
	if !strings.Contains(before.body, "verify in Partner Center&#39;s customer list") || strings.Contains(before.body, "Managed through the reseller relationship") {
		t.Error("the plan of an accepted request does not say to verify it in Partner Center")
	}
	// Verifying by hand needs the sentence ticked.
	if res := act(agent, fabrikam.ID, "verify", nil); res.status != http.StatusUnprocessableEntity {
		t.Errorf("verify without stating it was seen in Partner Center: %d", res.status)
	}
	if r, _ := app.store.RelationshipRequest(ctx, fabrikam.ID); r.Status != domain.StatusAccepted {
		t.Fatalf("verified without the sentence: %+v", r)
	}
	// An Admin agent verifies by hand; the relationship is active, with who and when.
	today := app.clock.now().Format(domain.DateLayout)
	if res := act(agent, fabrikam.ID, "verify", stated); res.status != http.StatusSeeOther {
		t.Fatalf("verify: %d %s", res.status, res.body)
	}
	if r, _ := app.store.RelationshipRequest(ctx, fabrikam.ID); r.Status != domain.StatusActive || r.ReviewedByName != "Sam Patel" ||
		r.Verification() != "Verified by Sam Patel on "+today {
		t.Fatalf("after verify: %+v", r)
	}
	if step := app.get(agent, fmt.Sprintf("/customers/%d/relationship", fabrikam.CustomerID)); !strings.Contains(step.body, "Verified by Sam Patel on "+today) {
		t.Error("step 4 does not say who verified the relationship and when")
	}
	// Verifying twice is refused on the request's page, saying why above
	// what the page offers now (nothing to verify any more).
	if res := act(agent, fabrikam.ID, "verify", stated); res.status != http.StatusConflict ||
		!strings.Contains(section(res.body, "request-actions"), `id="request-refused-error-summary" role="alert"`) ||
		!strings.Contains(res.body, `<h1 id="relationship-request">`) || strings.Contains(section(res.body, "request-actions"), `class="verify"`) {
		t.Errorf("verifying twice: %d %s", res.status, section(res.body, "request-actions"))
	}
	// The plan and the stepper follow.
	plan := app.get(sales, fmt.Sprintf("/customers/%d/plan", fabrikam.CustomerID))
	if !strings.Contains(plan.body, "Managed through the reseller relationship") || strings.Count(plan.body, `class="step done`) != 4 {
		t.Error("the plan does not show the active relationship")
	}
	// A Global admin removes an active relationship with a reason.
	if res := act(admin, contoso.ID, "remove", url.Values{"reason": {""}}); res.status != http.StatusUnprocessableEntity {
		t.Errorf("remove without a reason: %d", res.status)
	}
	if res := act(admin, contoso.ID, "remove", url.Values{"reason": {"Customer left"}, "confirmed": {"yes"}}); res.status != http.StatusSeeOther {
		t.Errorf("remove: %d", res.status)
	}
	entries, _ := app.store.RecentAudit(ctx, domain.Page{Number: 1, Size: 50})
	seen := map[string]bool{}
	for _, e := range entries {
		seen[string(e.Action)] = true
	}
	for _, action := range []string{"relationship_verified", "relationship_removed", "forbidden"} {
		if !seen[action] {
			t.Errorf("%s is not in the audit log", action)
		}
	}
}

func TestRequestRules(t *testing.T) {
	app := newTestApp(t)
	sales := app.signIn(salesAgent)
	ctx := context.Background()

	// A CSP-partner customer is refused with the reason.
	woodgrove := fmt.Sprintf("/customers/%d/relationship", app.customerID("Woodgrove"))
	if page := app.get(sales, woodgrove); !strings.Contains(page.body, "cannot resell online services to another CSP partner") || strings.Contains(page.body, `id="invite-form"`) {
		t.Error("the CSP-partner customer can be invited")
	}
	if res := app.post(sales, woodgrove, url.Values{"recipient_name": {"N"}, "recipient_email": {"n@w.example"}, "expiry_days": {"30"}}); res.status != http.StatusConflict {
		t.Errorf("inviting a CSP partner: %d", res.status)
	}
	// One open request at a time.
	northwind := fmt.Sprintf("/customers/%d/relationship", app.customerID("Northwind"))
	if page := app.get(sales, northwind); strings.Contains(page.body, `id="invite-form"`) {
		t.Error("a second request is offered while one is open")
	}
	if res := app.post(sales, northwind, url.Values{"recipient_name": {"D"}, "recipient_email": {"d@n.example"}, "expiry_days": {"30"}}); res.status != http.StatusConflict {
		t.Errorf("a second open request: %d", res.status)
	}
	// Validation: expiry, auto-extend with Global Administrator.
	litware := fmt.Sprintf("/customers/%d/relationship", app.customerID("Litware"))
	bad := url.Values{"recipient_name": {"Patti"}, "recipient_email": {"patti@litware.example"}, "expiry_days": {"91"},
		"admin_roles": {"global_administrator", "global_reader"}, "admin_days": {"30"}, "auto_extend": {"1"}}
	agent := app.signIn(adminAgent)
	res := app.post(agent, litware, bad)
	if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, "expiry_days-error") || !strings.Contains(res.body, "auto_extend-error") ||
		!strings.Contains(res.body, `value="global_administrator" checked`) {
		t.Errorf("invalid request: %d", res.status)
	}
	// A Sales agent sends reseller-only requests: admin roles are refused.
	bad["expiry_days"], bad["auto_extend"], bad["gdap_name"] = []string{"30"}, nil, []string{"Litware admin"}
	if res := app.post(sales, litware, bad); res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, "admin_roles-error") {
		t.Errorf("a Sales agent's request with admin roles: %d", res.status)
	}
	// US Government: admin roles are required, and the customer is told.
	p, _ := app.store.Partner(ctx)
	p.Cloud = domain.CloudUSGovernment
	app.store.SetPartner(ctx, p)
	res = app.post(sales, litware, url.Values{"recipient_name": {"Patti"}, "recipient_email": {"patti@litware.example"}, "expiry_days": {"30"}})
	if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, "admin_roles-error") {
		t.Errorf("US Government without roles: %d", res.status)
	}
	_, token := app.invite(agent, app.customerID("Litware"), url.Values{"recipient_name": {"Patti"}, "recipient_email": {"patti@litware.example"},
		"expiry_days": {"30"}, "admin_roles": {"global_reader"}, "admin_days": {"90"}, "gdap_name": {"Litware – admin"}})
	page := app.get(app.public(), "/invite/"+token)
	if !strings.Contains(page.body, "Microsoft Cloud for US Government") || !strings.Contains(page.body, "Global Reader") || !strings.Contains(page.body, "90 days") {
		t.Error("the US Government invitation does not say what it grants")
	}
}

func TestInvitationDraft(t *testing.T) {
	app := newTestApp(t)
	sales := app.signIn(salesAgent)
	litware := app.customerID("Litware")
	link, token := app.invite(sales, litware, nil)
	r, _ := app.store.OpenRelationship(context.Background(), litware)
	page := app.get(sales, fmt.Sprintf("/customers/%d/relationship", litware))
	if !strings.Contains(page.body, `href="mailto:patti@litware.example?subject=`) || !strings.Contains(page.body, "I sent it myself") ||
		strings.Contains(page.body, `id="send-invitation"`) {
		t.Error("the draft offers the wrong ways to send without SMTP")
	}
	draftPath := fmt.Sprintf("/relationships/%d/draft", r.ID)
	if res := app.post(sales, draftPath, draftForm(t, page.body, draftPath, "Hello", "No link here")); res.status != http.StatusUnprocessableEntity ||
		!strings.Contains(res.body, "Keep the invitation link") {
		t.Errorf("a draft without the link: %d", res.status)
	}
	edit := with(draftForm(t, page.body, draftPath, "Our invitation", "Hi Patti, please open "+link+" today."), "back", "/relationships")
	if res := app.post(sales, draftPath, edit); res.status != http.StatusSeeOther {
		t.Fatalf("edit the draft: %d", res.status)
	}
	if res := app.post(sales, fmt.Sprintf("/relationships/%d/send", r.ID), url.Values{}); res.status != http.StatusConflict {
		t.Errorf("send without SMTP: %d", res.status)
	}
	outbox := app.get(app.signIn(adminAgent), "/outbox")
	if !strings.Contains(outbox.body, "Our invitation") || !strings.Contains(outbox.body, "draft") {
		t.Error("the outbox does not list the draft")
	}
	if res := app.get(sales, "/outbox"); res.status != http.StatusForbidden {
		t.Errorf("Sales agent on /outbox: %d", res.status)
	}
	if res := app.post(sales, fmt.Sprintf("/relationships/%d/sent-by-hand", r.ID), url.Values{}); res.status != http.StatusSeeOther {
		t.Fatalf("sent by hand: %d", res.status)
	}
	if page := app.get(sales, fmt.Sprintf("/customers/%d/relationship", litware)); strings.Contains(page.body, token) {
		t.Error("the link is still shown after the message was sent")
	}
	msgs, _, _ := app.store.ListOutbox(context.Background(), domain.Page{Number: 1, Size: 50})
	for _, m := range msgs {
		if strings.Contains(m.Body, token) {
			t.Errorf("message %d (%s) still holds the token", m.ID, m.Status)
		}
	}
	// The link still works: sending by hand only forgets the copy.
	if res := app.get(app.public(), "/invite/"+token); res.status != http.StatusOK {
		t.Errorf("the link stopped working: %d", res.status)
	}
}

func TestInvitationPagesAreRateLimited(t *testing.T) {
	app := newTestApp(t)
	c := app.public()
	for i := range InvitationRequestLimit {
		if res := app.get(c, "/invite/"+strings.Repeat("B", 43)); res.status != http.StatusNotFound {
			t.Fatalf("request %d: %d", i+1, res.status)
		}
	}
	res := app.get(c, "/invite/"+strings.Repeat("B", 43))
	if res.status != http.StatusTooManyRequests || res.header.Get("Retry-After") == "" {
		t.Fatalf("past the limit: %d", res.status)
	}
}

func TestReviewQueueFiltersAndCounts(t *testing.T) {
	app := newTestApp(t)
	c := app.signIn(adminAgent)
	// Without a filter the queue opens on what awaits verification.
	opened := app.get(c, "/relationships")
	if !strings.Contains(opened.body, "1 request") || !regexp.MustCompile(`class="chip current"[^>]*>Awaiting verification`).MatchString(opened.body) ||
		!strings.Contains(opened.body, "Admin roles: Helpdesk Administrator") || !strings.Contains(opened.body, `href="/relationships/verify"`) {
		t.Errorf("the queue does not open on the request awaiting verification, its roles and the export upload")
	}
	all := app.get(c, "/relationships?status=all")
	if !strings.Contains(all.body, "11 requests") {
		t.Errorf("the queue does not hold the eleven demo requests")
	}
	for status, want := range map[string]string{"pending": "2 requests", "accepted": "1 request", "expired": "2 requests", "removed": "1 request"} {
		res := app.get(c, "/relationships?status="+status)
		if !strings.Contains(res.body, want) {
			t.Errorf("status=%s does not list %s", status, want)
		}
	}
	if !regexp.MustCompile(`Awaiting customer <span class="count">2</span>`).MatchString(all.body) {
		t.Error("the chip count for pending is wrong")
	}
	if !strings.Contains(all.body, `class="nowrap expires-soon"`) {
		t.Error("the request expiring within a week is not highlighted")
	}
}

// A request and a transfer have pages of their own, where the actions that
// need input are taken; an unknown one is not found, and a refused
// verification is shown again there with its message at the tick.
func TestRequestAndTransferPages(t *testing.T) {
	app := newTestApp(t)
	agent := app.signIn(adminAgent)
	ctx := context.Background()
	for _, path := range []string{"/relationships/999999", "/transfers/999999", "/relationships/x"} {
		if res := app.get(agent, path); res.status != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 404", path, res.status)
		}
	}
	fabrikam, _ := app.store.OpenRelationship(ctx, app.customerID("Fabrikam"))
	back := "/relationships?status=accepted"
	res := app.post(agent, fmt.Sprintf("/relationships/%d/verify", fabrikam.ID), url.Values{"back": {back}})
	errID := fmt.Sprintf("rel-%d-seen-error", fabrikam.ID)
	if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, `id="`+errID+`"`) || !strings.Contains(res.body, `aria-describedby="`+errID+`"`) ||
		!strings.Contains(res.body, `name="back" value="/relationships?status=accepted"`) {
		t.Errorf("verify without the tick: %d", res.status)
	}
	// Back to a page of another site is not followed.
	if page := app.get(agent, fmt.Sprintf("/relationships/%d?back=https://evil.example/", fabrikam.ID)); page.status != http.StatusOK ||
		strings.Contains(page.body, "evil.example") {
		t.Errorf("the request's page with a foreign back: %d", page.status)
	}
}
