package web

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/wingtip/multichannel/internal/accounts"
	"github.com/wingtip/multichannel/internal/demo"
	"github.com/wingtip/multichannel/internal/domain"
)

// serveAlso serves the app's services through a second server on an address
// of its own, which is that server's base URL, built with the harness's
// configuration changed by edit. The session key is the harness's, so a
// client signed in on one is signed in on the other (the cookie jar keys
// cookies by host, not port).
func (a *testApp) serveAlso(edit func(*Config)) string {
	a.t.Helper()
	httpSrv := httptest.NewUnstartedServer(nil)
	base, _ := url.Parse("http://" + httpSrv.Listener.Addr().String())
	cfg := Config{BaseURL: base, SessionKey: []byte(strings.Repeat("k", 32))}
	edit(&cfg)
	srv, err := New(cfg, a.svc)
	if err != nil {
		a.t.Fatal(err)
	}
	httpSrv.Config.Handler = srv
	httpSrv.Start()
	a.t.Cleanup(httpSrv.Close)
	return httpSrv.URL
}

// behindProxy serves the app as if behind a reverse proxy on loopback, so
// that a request says its client address in X-Forwarded-For.
func (a *testApp) behindProxy() string {
	_, loopback, _ := net.ParseCIDR("127.0.0.0/8")
	return a.serveAlso(func(c *Config) { c.TrustedProxies = []*net.IPNet{loopback} })
}

// from sends a same-origin request to the server at base as the client at
// address ip; a nil form is a GET.
func (a *testApp) from(c *http.Client, ip, base, path string, form url.Values) response {
	a.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, base+path, nil)
	if form != nil {
		req, _ = http.NewRequest(http.MethodPost, base+path, strings.NewReader(form.Encode()))
		req.Header.Set("Origin", base)
		req.Header.Set("Sec-Fetch-Site", "same-origin")
	}
	req.Header.Set("X-Forwarded-For", ip)
	return a.do(c, req)
}

// crossOrigin sends a request with method to /login of the server at base
// from another site, as the client at address ip behind a proxy: it must
// be refused with 403.
func (a *testApp) crossOrigin(base, method, ip string) {
	a.t.Helper()
	req, _ := http.NewRequest(method, base+"/login", nil)
	req.Header.Set("Origin", "https://evil.example")
	req.Header.Set("X-Forwarded-For", ip)
	if res := a.do(a.client(), req); res.status != http.StatusForbidden {
		a.t.Fatalf("cross-origin %s from %s: %d, want 403", method[:min(len(method), 20)], ip, res.status)
	}
}

// auditEntries returns the audit entries of action, newest first.
func (a *testApp) auditEntries(action domain.AuditAction) []domain.AuditEntry {
	a.t.Helper()
	rows, _, err := a.store.AuditLog(context.Background(), domain.AuditFilter{Action: action}, domain.Page{Number: 1, Size: 100})
	if err != nil {
		a.t.Fatal(err)
	}
	var out []domain.AuditEntry
	for _, r := range rows {
		out = append(out, r.AuditEntry)
	}
	return out
}

// TestAnInvitationIsDeclinedOnlyOnPurpose posts answers that are not a
// choice, among them an empty post and state changes the customer may not
// make: each is 422 with the page again, and the request still waits.
func TestAnInvitationIsDeclinedOnlyOnPurpose(t *testing.T) {
	app := newTestApp(t)
	_, token := app.invite(app.signIn(salesAgent), app.customerID("Litware"), nil)
	customer := app.public()
	declines := len(app.auditEntries(domain.AuditInvitationDeclined)) // the demo data's
	for _, answer := range []string{"", "Decline", "declined", "approve", "expire", "revoke"} {
		form := url.Values{}
		if answer != "" {
			form.Set("answer", answer)
		}
		res := app.post(customer, "/invite/"+token, form)
		if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, "Choose Accept or Decline.") ||
			!strings.Contains(res.body, `id="answer-form"`) {
			t.Errorf("answer %q: %d, want 422 with the invitation page asking for a choice", answer, res.status)
		}
	}
	// Accepting without the confirmations is refused too, and declines nothing.
	if res := app.post(customer, "/invite/"+token, url.Values{"answer": {"accept"}}); res.status != http.StatusUnprocessableEntity {
		t.Errorf("an incomplete acceptance: %d, want 422", res.status)
	}
	if res := app.get(customer, "/invite/"+token); res.status != http.StatusOK {
		t.Fatalf("the link stopped working after answers that were not a choice: %d", res.status)
	}
	if n := len(app.auditEntries(domain.AuditInvitationDeclined)) - declines; n != 0 {
		t.Fatalf("%d declines were recorded", n)
	}
	res := app.post(customer, "/invite/"+token, url.Values{"answer": {"decline"}, "confirmed": {"yes"}})
	if res.status != http.StatusSeeOther || res.header.Get("Location") != "/invite/answered?outcome=declined" {
		t.Fatalf("an explicit decline: %d %q", res.status, res.header.Get("Location"))
	}
	// A used link with no choice still gets the page of dead links.
	if res := app.post(customer, "/invite/"+token, url.Values{}); res.status != http.StatusNotFound || !strings.Contains(res.body, "invalid-invitation") {
		t.Errorf("no choice on a used link: %d, want the invalid-link page", res.status)
	}
}

// TestRefusedRequestsAreAudited refuses one request of each kind and reads
// the audit log: an entry for each with the route, the client address and
// who was signed in, and never the password, session id or link token.
func TestRefusedRequestsAreAudited(t *testing.T) {
	app := newTestApp(t)
	sales := app.signIn(salesAgent)
	_, token := app.invite(sales, app.customerID("Litware"), nil)

	req, _ := http.NewRequest(http.MethodPost, app.url+"/logout", nil)
	req.Header.Set("Origin", "https://evil.example")
	if res := app.do(sales, req); res.status != http.StatusForbidden {
		t.Fatalf("cross-origin POST: %d", res.status)
	}
	if res := app.get(sales, "/users"); res.status != http.StatusForbidden {
		t.Fatalf("a Sales agent on /users: %d", res.status)
	}
	guesser := app.client()
	for i := range accounts.AccountFailureLimit {
		app.post(guesser, "/login", url.Values{"email": {globalAdmin}, "password": {fmt.Sprintf("guess-%d-secret", i)}})
	}
	if res := app.post(guesser, "/login", url.Values{"email": {globalAdmin}, "password": {"last-guess-secret"}}); res.status != http.StatusTooManyRequests {
		t.Fatalf("sign-in past the limit: %d", res.status)
	}
	scanner := app.public()
	for range InvitationRequestLimit {
		app.get(scanner, "/invite/"+strings.Repeat("B", 43))
	}
	if res := app.get(scanner, "/invite/"+token); res.status != http.StatusTooManyRequests {
		t.Fatalf("a link page past the limit: %d", res.status)
	}
	req, _ = http.NewRequest(http.MethodGet, app.url+"/login", nil)
	req.Host = "evil.example"
	if res := app.do(app.client(), req); res.status != http.StatusMisdirectedRequest {
		t.Fatalf("another Host: %d", res.status)
	}

	jordan := app.alUserID(salesAgent)
	for _, want := range []struct {
		action         domain.AuditAction
		actor          int64
		target, detail string
	}{
		{domain.AuditCrossOriginRefused, 0, "POST /logout", "Origin: https://evil.example"},
		{domain.AuditForbidden, jordan, "GET /users", ""},
		{domain.AuditRateLimited, 0, "POST /login", "Too many failed password checks of this account from this address."},
		{domain.AuditRateLimited, 0, "GET /invite/:token", "Too many requests to invitation links from your address."},
		{domain.AuditHostRefused, 0, "GET /login", "Host: evil.example"},
	} {
		found := false
		for _, e := range app.auditEntries(want.action) {
			if e.Target == want.target {
				found = true
				if e.ActorID != want.actor || e.Detail != want.detail || e.ClientIP != "127.0.0.1" || e.At.IsZero() {
					t.Errorf("%s %s: actor %d, detail %q, client %q; want actor %d, detail %q from 127.0.0.1",
						want.action, want.target, e.ActorID, e.Detail, e.ClientIP, want.actor, want.detail)
				}
			}
		}
		if !found {
			t.Errorf("no %s entry for %s", want.action, want.target)
		}
	}
	entries, err := app.store.RecentAudit(context.Background(), domain.Page{Number: 1, Size: 200})
	if err != nil {
		t.Fatal(err)
	}
	secrets := []string{token, app.sessionCookie(sales).Value, demo.Password, "guess-0-secret", "last-guess-secret"}
	for _, e := range entries {
		for _, secret := range secrets {
			if strings.Contains(e.Target+e.Detail, secret) {
				t.Errorf("the %s entry holds a secret: %q %q", e.Action, e.Target, e.Detail)
			}
		}
	}
}

// TestRepeatedRefusalsDoNotFloodTheAuditLog sends the same refused request
// many times: one entry per window for the address, a new one once the
// window has passed, and another address gets its own.
func TestRepeatedRefusalsDoNotFloodTheAuditLog(t *testing.T) {
	app := newTestApp(t)
	proxied := app.behindProxy()
	crossOrigin := func(ip string) { app.crossOrigin(proxied, http.MethodPost, ip) }
	for range 30 {
		crossOrigin("203.0.113.9")
	}
	if n := len(app.auditEntries(domain.AuditCrossOriginRefused)); n != 1 {
		t.Fatalf("30 refusals from one address wrote %d entries, want 1", n)
	}
	crossOrigin("198.51.100.4")
	app.clock.advance(accounts.RefusalAuditWindow)
	crossOrigin("203.0.113.9")
	if n := len(app.auditEntries(domain.AuditCrossOriginRefused)); n != 3 {
		t.Fatalf("another address and the next window wrote %d entries in all, want 3", n)
	}
}

// TestMadeUpMethodsDoNotSilenceTheAudit refuses 200 cross-origin requests
// from one address, each with a method of its own: they write one entry, so
// that a refusal of another kind from another address is still audited.
func TestMadeUpMethodsDoNotSilenceTheAudit(t *testing.T) {
	app := newTestApp(t)
	proxied := app.behindProxy()
	for i := range 2 * accounts.RefusalAuditLimit {
		app.crossOrigin(proxied, fmt.Sprintf("X-%d-%s", i, strings.Repeat("M", 1000)), "203.0.113.9")
	}
	entries := app.auditEntries(domain.AuditCrossOriginRefused)
	if len(entries) != 1 || entries[0].Target != "OTHER /login" {
		t.Fatalf("200 made-up methods from one address wrote %d entries, want one for OTHER /login", len(entries))
	}
	req, _ := http.NewRequest(http.MethodGet, proxied+"/login", nil)
	req.Host = "evil.example"
	req.Header.Set("X-Forwarded-For", "198.51.100.4")
	if res := app.do(app.client(), req); res.status != http.StatusMisdirectedRequest {
		t.Fatalf("another host: %d", res.status)
	}
	if entries := app.auditEntries(domain.AuditHostRefused); len(entries) != 1 || entries[0].ClientIP != "198.51.100.4" {
		t.Fatalf("a refusal of another kind from another address was not audited: %+v", entries)
	}
}

// TestRefusalsLeftOutAreLogged refuses more requests from distinct
// addresses than the audit takes in a window: once the window has passed,
// the next refusal logs one WARN line with how many were left out.
func TestRefusalsLeftOutAreLogged(t *testing.T) {
	app := newTestApp(t)
	_, loopback, _ := net.ParseCIDR("127.0.0.0/8")
	proxied := app.serveAlso(func(c *Config) {
		c.TrustedProxies = []*net.IPNet{loopback}
		c.Logger = slog.New(slog.NewTextHandler(app.logs, nil))
	})
	crossOrigin := func(ip string) { app.crossOrigin(proxied, http.MethodPost, ip) }
	for i := range accounts.RefusalAuditLimit + 7 {
		crossOrigin(fmt.Sprintf("10.0.%d.%d", i/256, i%256))
	}
	if strings.Contains(app.logs.String(), "not audited") {
		t.Fatalf("refusals left out were logged before the window passed:\n%s", app.logs.String())
	}
	app.clock.advance(accounts.RefusalAuditWindow)
	crossOrigin("192.0.2.1")
	crossOrigin("192.0.2.2")
	var lines []string
	for l := range strings.SplitSeq(app.logs.String(), "\n") {
		if strings.Contains(l, "not audited") {
			lines = append(lines, l)
		}
	}
	if len(lines) != 1 || !strings.Contains(lines[0], "level=WARN") || !strings.Contains(lines[0], "count=7") {
		t.Fatalf("refusals left out were logged as %q, want one WARN line with count=7", lines)
	}
}

// TestAGuesserDoesNotLockTheUserOut guesses a user's password from one
// address until it is refused: the user still signs in from another.
func TestAGuesserDoesNotLockTheUserOut(t *testing.T) {
	app := newTestApp(t)
	proxied := app.behindProxy()
	guesser := app.client()
	for i := range accounts.AccountFailureLimit {
		if res := app.from(guesser, "203.0.113.5", proxied, "/login", url.Values{"email": {salesAgent}, "password": {fmt.Sprint("guess", i)}}); res.status != http.StatusUnprocessableEntity {
			t.Fatalf("guess %d: %d", i+1, res.status)
		}
	}
	if res := app.from(guesser, "203.0.113.5", proxied, "/login", url.Values{"email": {salesAgent}, "password": {demo.Password}}); res.status != http.StatusTooManyRequests {
		t.Fatalf("the guessing address past the limit: %d, want 429", res.status)
	}
	if res := app.from(app.client(), "198.51.100.7", proxied, "/login", url.Values{"email": {salesAgent}, "password": {demo.Password}}); res.status != http.StatusSeeOther {
		t.Fatalf("the user from another address: %d, want 303", res.status)
	}
}

// TestLinkPagesAreLimitedPerSlash64 rotates the client address inside one
// IPv6 /64: the link pages count the block, not each address.
func TestLinkPagesAreLimitedPerSlash64(t *testing.T) {
	app := newTestApp(t)
	proxied := app.behindProxy()
	c := app.public()
	for i := range InvitationRequestLimit {
		ip := fmt.Sprintf("2001:db8:1:2::%x", i+1)
		if res := app.from(c, ip, proxied, "/invite/"+strings.Repeat("B", 43), nil); res.status != http.StatusNotFound {
			t.Fatalf("request %d: %d", i+1, res.status)
		}
	}
	for _, path := range []string{"/invite/" + strings.Repeat("B", 43), "/password/" + strings.Repeat("B", 43)} {
		if res := app.from(c, "2001:db8:1:2:ffff::1", proxied, path, nil); res.status != http.StatusTooManyRequests {
			t.Errorf("%s from a new address of the same /64: %d, want 429", path, res.status)
		}
	}
	if res := app.from(c, "2001:db8:1:3::1", proxied, "/invite/"+strings.Repeat("B", 43), nil); res.status != http.StatusNotFound {
		t.Errorf("another /64: %d, want 404", res.status)
	}
}

// TestRequestsForAnotherHostAreRefused sends requests with Host headers
// other than the base URL's: 421 unless allowed, the probes excepted.
func TestRequestsForAnotherHostAreRefused(t *testing.T) {
	app := newTestApp(t)
	baseHost := strings.TrimPrefix(app.url, "http://")
	ip, port, _ := net.SplitHostPort(baseHost)
	withHost := func(base, host, path string) response {
		req, _ := http.NewRequest(http.MethodGet, base+path, nil)
		req.Host = host
		return app.do(app.client(), req)
	}
	for host, want := range map[string]int{
		baseHost:                            http.StatusOK,
		"evil.example":                      http.StatusMisdirectedRequest,
		"evil.example:" + port:              http.StatusMisdirectedRequest,
		ip:                                  http.StatusMisdirectedRequest, // the port is part of the host
		net.JoinHostPort("127.0.0.2", port): http.StatusMisdirectedRequest,
	} {
		if res := withHost(app.url, host, "/login"); res.status != want {
			t.Errorf("Host %q: %d, want %d", host, res.status, want)
		} else if want == http.StatusMisdirectedRequest && !strings.Contains(res.body, "<html") {
			t.Errorf("Host %q: the 421 answer is not an HTML page", host)
		}
	}
	if res := withHost(app.url, "10.0.0.5:8080", "/healthz"); res.status != http.StatusOK {
		t.Errorf("a probe by IP address: %d, want 200", res.status)
	}

	allowed := app.serveAlso(func(c *Config) { c.AllowedHosts = []string{" partners.example ", ""} })
	for host, want := range map[string]int{"partners.example": http.StatusOK, "Partners.Example": http.StatusOK, "other.example": http.StatusMisdirectedRequest} {
		if res := withHost(allowed, host, "/login"); res.status != want {
			t.Errorf("with partners.example allowed, Host %q: %d, want %d", host, res.status, want)
		}
	}
	https := app.serveAlso(func(c *Config) { c.BaseURL, _ = url.Parse("https://partners.example") })
	if res := withHost(https, "partners.example:443", "/login"); res.status != http.StatusOK {
		t.Errorf("the https base URL's host with its default port: %d, want 200", res.status)
	}
	for _, bad := range []string{"https://partners.example", "partners.example/x", "user@partners.example"} {
		base, _ := url.Parse(app.url)
		if _, err := New(Config{BaseURL: base, SessionKey: []byte(strings.Repeat("k", 32)), AllowedHosts: []string{bad}}, app.svc); err == nil {
			t.Errorf("allowed host %q was accepted", bad)
		}
	}
}

// TestHSTSFollowsAnHTTPSBaseURL: browsers are told to keep to https only
// when the base URL is https.
func TestHSTSFollowsAnHTTPSBaseURL(t *testing.T) {
	app := newTestApp(t)
	if got := app.get(app.client(), "/login").header.Get("Strict-Transport-Security"); got != "" {
		t.Errorf("HSTS with an http base URL: %q", got)
	}
	https := app.serveAlso(func(c *Config) { c.BaseURL, _ = url.Parse("https://partners.example") })
	req, _ := http.NewRequest(http.MethodGet, https+"/login", nil)
	req.Host = "partners.example"
	if got := app.do(app.client(), req).header.Get("Strict-Transport-Security"); got != "max-age=31536000" {
		t.Errorf("HSTS with an https base URL: %q, want max-age=31536000", got)
	}
}
