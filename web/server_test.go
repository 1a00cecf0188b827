package web

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/wingtip/multichannel/internal/domain"
	"github.com/wingtip/multichannel/static"
)

func TestSignInSuccessAndFailure(t *testing.T) {
	app := newTestApp(t)
	c := app.client()

	wrong := app.post(c, "/login", url.Values{"email": {globalAdmin}, "password": {"not-the-password"}})
	unknown := app.post(c, "/login", url.Values{"email": {"nobody@wingtip.example"}, "password": {"not-the-password"}})
	for _, tc := range []struct {
		name, typed string
		res         response
	}{{"wrong password", globalAdmin, wrong}, {"unknown e-mail", "nobody@wingtip.example", unknown}} {
		if tc.res.status != http.StatusUnprocessableEntity || !strings.Contains(tc.res.body, badCredentials) {
			t.Errorf("%s: status %d, want 422 with the common message", tc.name, tc.res.status)
		}
		if !strings.Contains(tc.res.body, `value="`+tc.typed+`"`) {
			t.Errorf("%s: the e-mail typed is not kept in the form", tc.name)
		}
	}
	if app.sessionCookie(c) != nil {
		t.Fatal("a failed sign-in set a session cookie")
	}
	empty := app.post(c, "/login", url.Values{"email": {""}, "password": {""}})
	if empty.status != http.StatusUnprocessableEntity {
		t.Errorf("empty form: status %d, want 422", empty.status)
	}

	ok := app.post(c, "/login", url.Values{"email": {"Avery@Wingtip.Example"}, "password": {"multichannel-demo"}})
	if ok.status != http.StatusSeeOther || ok.header.Get("Location") != "/" {
		t.Fatalf("sign-in: status %d, Location %q", ok.status, ok.header.Get("Location"))
	}
	raw := ok.header.Get("Set-Cookie")
	for _, attr := range []string{"HttpOnly", "SameSite=Lax", "Path=/"} {
		if !strings.Contains(raw, attr) {
			t.Errorf("session cookie lacks %s: %s", attr, raw)
		}
	}
	if strings.Contains(raw, "Secure") {
		t.Errorf("cookie is Secure although the base URL is http: %s", raw)
	}
	home := app.get(c, "/")
	if home.status != http.StatusOK || !strings.Contains(home.body, "Welcome, Avery Chen") {
		t.Fatalf("home after sign-in: %d", home.status)
	}
}

func TestSecureCookieFollowsAnHTTPSBaseURL(t *testing.T) {
	app := newTestApp(t)
	base, _ := url.Parse("https://partners.example")
	srv, err := New(Config{BaseURL: base, SessionKey: []byte(strings.Repeat("k", 32))}, app.svc)
	if err != nil {
		t.Fatal(err)
	}
	web := httptest.NewServer(srv)
	defer web.Close()
	req, _ := http.NewRequest(http.MethodPost, web.URL+"/login", strings.NewReader(url.Values{"email": {globalAdmin}, "password": {"multichannel-demo"}}.Encode()))
	req.Host = "partners.example"                        // as the TLS proxy passes it on
	req.Header.Set("Origin", "https://partners.example") // as the browser behind the TLS proxy sends it
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	res := app.do(app.client(), req)
	raw := res.header.Get("Set-Cookie")
	if res.status != http.StatusSeeOther || !strings.Contains(raw, "; Secure") || !strings.Contains(raw, "HttpOnly") {
		t.Fatalf("sign-in behind an https base URL: %d, Set-Cookie %q", res.status, raw)
	}
}

func TestPasswordInTheURLIsIgnored(t *testing.T) {
	app := newTestApp(t)
	req, _ := http.NewRequest(http.MethodPost, app.url+"/login?email="+url.QueryEscape(globalAdmin)+"&password=multichannel-demo", nil)
	req.Header.Set("Origin", app.url)
	if res := app.do(app.client(), req); res.status == http.StatusSeeOther {
		t.Fatal("signed in with credentials taken from the query string")
	}
}

func TestSignInReturnsToThePageFirstAsked(t *testing.T) {
	app := newTestApp(t)
	c := app.client()
	res := app.get(c, "/users?page=1")
	if res.status != http.StatusSeeOther || res.header.Get("Location") != "/login?next=%2Fusers%3Fpage%3D1" {
		t.Fatalf("signed out /users: %d %q", res.status, res.header.Get("Location"))
	}
	for next, want := range map[string]string{
		"/users?page=1":          "/users?page=1",
		"//evil.example/x":       "/",
		"https://evil.example/x": "/",
		"/\\evil.example":        "/",
		"":                       "/",
	} {
		c := app.client()
		res := app.post(c, "/login", url.Values{"email": {globalAdmin}, "password": {"multichannel-demo"}, "next": {next}})
		if got := res.header.Get("Location"); got != want {
			t.Errorf("next=%q: redirected to %q, want %q", next, got, want)
		}
	}
}

func TestSessionIDChangesAtSignIn(t *testing.T) {
	app := newTestApp(t)
	c := app.signIn(salesAgent)
	first := app.sessionCookie(c)
	app.post(c, "/login", url.Values{"email": {salesAgent}, "password": {"multichannel-demo"}})
	second := app.sessionCookie(c)
	if first == nil || second == nil || first.Value == second.Value {
		t.Fatal("the session cookie did not change at sign-in")
	}
	stale := app.client()
	u, _ := url.Parse(app.url)
	stale.Jar.SetCookies(u, []*http.Cookie{first})
	if res := app.get(stale, "/"); res.status != http.StatusSeeOther {
		t.Fatalf("the session from before the new sign-in still works: %d", res.status)
	}
}

// copyOf returns a new client holding the same session cookie as c, as a
// thief who copied the cookie would.
func (a *testApp) copyOf(c *http.Client) *http.Client {
	thief := a.client()
	u, _ := url.Parse(a.url)
	thief.Jar.SetCookies(u, []*http.Cookie{a.sessionCookie(c)})
	return thief
}

func TestCopiedCookieStopsWorking(t *testing.T) {
	for _, tc := range []struct {
		name string
		end  func(app *testApp, c *http.Client)
	}{
		{"after logout", func(app *testApp, c *http.Client) {
			res := app.post(c, "/logout", nil)
			if res.status != http.StatusSeeOther || res.header.Get("Location") != "/login?signed_out=1" {
				t.Fatalf("logout: %d %q", res.status, res.header.Get("Location"))
			}
		}},
		{"after the user is disabled", func(app *testApp, _ *http.Client) {
			u, _ := app.store.UserByEmail(context.Background(), adminAgent)
			if err := app.store.SetUserActive(context.Background(), domain.Actor{}, u.ID, false); err != nil {
				t.Fatal(err)
			}
		}},
		{"after a role change", func(app *testApp, _ *http.Client) {
			u, _ := app.store.UserByEmail(context.Background(), adminAgent)
			if err := app.store.SetUserRole(context.Background(), domain.Actor{}, u.ID, domain.RoleSalesAgent); err != nil {
				t.Fatal(err)
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			app := newTestApp(t)
			c := app.signIn(adminAgent)
			thief := app.copyOf(c)
			if res := app.get(thief, "/"); res.status != http.StatusOK {
				t.Fatalf("copied cookie before: %d", res.status)
			}
			tc.end(app, c)
			for name, client := range map[string]*http.Client{"copied": thief, "original": c} {
				if res := app.get(client, "/"); res.status != http.StatusSeeOther || !strings.HasPrefix(res.header.Get("Location"), "/login") {
					t.Errorf("%s cookie still works: %d", name, res.status)
				}
			}
		})
	}
}

func TestFailedSignInsAreRateLimitedPerAccount(t *testing.T) {
	app := newTestApp(t)
	c := app.client()
	for i := range 5 {
		if res := app.post(c, "/login", url.Values{"email": {salesAgent}, "password": {fmt.Sprintf("guess-%d", i)}}); res.status != http.StatusUnprocessableEntity {
			t.Fatalf("failure %d: status %d", i+1, res.status)
		}
	}
	res := app.post(c, "/login", url.Values{"email": {salesAgent}, "password": {"multichannel-demo"}})
	if res.status != http.StatusTooManyRequests || res.header.Get("Retry-After") == "" || !strings.Contains(res.body, "Try again at") {
		t.Fatalf("sixth attempt: status %d, Retry-After %q", res.status, res.header.Get("Retry-After"))
	}
	if !strings.Contains(res.body, "<html") {
		t.Error("the 429 answer is not an HTML page")
	}
	// Another account is not affected: the address has used 6 of its 20.
	req, _ := http.NewRequest(http.MethodPost, app.url+"/login", strings.NewReader(url.Values{"email": {globalAdmin}, "password": {"multichannel-demo"}}.Encode()))
	req.Header.Set("Origin", app.url)
	if res := app.do(app.client(), req); res.status != http.StatusSeeOther {
		t.Errorf("another account was blocked too: %d", res.status)
	}
}

func TestForwardedForRotationDoesNotEvadeTheIPLimit(t *testing.T) {
	app := newTestApp(t)
	c := app.client()
	send := func(i int) response {
		form := url.Values{"email": {fmt.Sprintf("guess%d@wingtip.example", i)}, "password": {"wrong-password"}}
		req, _ := http.NewRequest(http.MethodPost, app.url+"/login", strings.NewReader(form.Encode()))
		req.Header.Set("Origin", app.url)
		req.Header.Set("X-Forwarded-For", fmt.Sprintf("203.0.113.%d", i))
		req.Header.Set("X-Real-IP", fmt.Sprintf("198.51.100.%d", i))
		return app.do(c, req)
	}
	for i := range 20 {
		if res := send(i); res.status != http.StatusUnprocessableEntity {
			t.Fatalf("failure %d: status %d", i+1, res.status)
		}
	}
	if res := send(99); res.status != http.StatusTooManyRequests {
		t.Fatalf("21st failure from one address with a new X-Forwarded-For: status %d, want 429", res.status)
	}
}

func TestRolesOnHomeAndUsers(t *testing.T) {
	app := newTestApp(t)
	for _, tc := range []struct {
		email      string
		home       int
		users      int
		usersInNav bool
	}{
		{globalAdmin, 200, 200, true},
		{adminAgent, 200, 403, false},
		{salesAgent, 200, 403, false},
	} {
		c := app.signIn(tc.email)
		home := app.get(c, "/")
		users := app.get(c, "/users")
		if home.status != tc.home || users.status != tc.users {
			t.Errorf("%s: / %d, /users %d; want %d, %d", tc.email, home.status, users.status, tc.home, tc.users)
		}
		if got := strings.Contains(home.body, `href="/users"`); got != tc.usersInNav {
			t.Errorf("%s: Users link shown = %v, want %v", tc.email, got, tc.usersInNav)
		}
		if tc.users == 403 && !strings.Contains(users.body, "needs the role Global admin") {
			t.Errorf("%s: the 403 page does not name the role needed", tc.email)
		}
		if tc.users == 200 && !strings.Contains(users.body, "jordan@wingtip.example") {
			t.Errorf("%s: the users list misses a user", tc.email)
		}
	}
	signedOut := app.client()
	for _, path := range []string{"/", "/users"} {
		if res := app.get(signedOut, path); res.status != http.StatusSeeOther || !strings.HasPrefix(res.header.Get("Location"), "/login?next=") {
			t.Errorf("signed out %s: %d %q", path, res.status, res.header.Get("Location"))
		}
	}
	entries, _ := app.store.RecentAudit(context.Background(), domain.Page{Number: 1, Size: 50})
	forbidden := 0
	for _, e := range entries {
		if e.Action == "forbidden" && e.Target == "GET /users" {
			forbidden++
		}
	}
	if forbidden != 2 {
		t.Errorf("%d 403s in the audit log, want 2", forbidden)
	}
}

// TestEveryRouteIsDeclared walks the routes echo serves and the route table:
// each must have the other, and each declaration must say who may use it.
func TestEveryRouteIsDeclared(t *testing.T) {
	app := newTestApp(t)
	declared := map[string]access{}
	for _, r := range app.server.routes {
		key := r.method + " " + r.path
		if !r.access.declared() {
			t.Errorf("%s declares no access", key)
		}
		for _, role := range r.access.roles {
			if !role.Valid() {
				t.Errorf("%s declares unknown role %q", key, role)
			}
		}
		declared[key] = r.access
	}
	registered := map[string]bool{}
	for _, r := range app.server.registeredRoutes() {
		key := r[0] + " " + r[1]
		registered[key] = true
		if _, ok := declared[key]; !ok {
			t.Errorf("route %s is registered but not in the route table", key)
		}
	}
	for k := range declared {
		if !registered[k] {
			t.Errorf("route %s is declared but not registered", k)
		}
	}
	if len(registered) < 7 {
		t.Errorf("only %d routes registered", len(registered))
	}
	users := declared["GET /users"]
	if users.public || !slices.Equal(users.roles, []domain.Role{domain.RoleGlobalAdmin}) {
		t.Errorf("GET /users is open to %v", users.roles)
	}
}

func TestCrossOriginPostIsRefused(t *testing.T) {
	app := newTestApp(t)
	c := app.signIn(globalAdmin)
	for name, headers := range map[string]map[string]string{
		"fetch metadata": {"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"},
		"origin only":    {"Origin": "https://evil.example"},
	} {
		req, _ := http.NewRequest(http.MethodPost, app.url+"/logout", nil)
		for k, v := range headers {
			req.Header.Set(k, v)
		}
		res := app.do(c, req)
		if res.status != http.StatusForbidden || !strings.Contains(res.body, "another site") {
			t.Errorf("%s: cross-origin POST got %d", name, res.status)
		}
	}
	if res := app.get(c, "/"); res.status != http.StatusOK {
		t.Fatalf("the refused logout signed the user out: %d", res.status)
	}
}

func TestSecurityHeaders(t *testing.T) {
	app := newTestApp(t)
	c := app.signIn(salesAgent)
	pages := map[string]response{
		"page":       app.get(c, "/"),
		"login page": app.get(app.client(), "/login"),
		"error page": app.get(c, "/no-such-page"),
		"403 page":   app.get(c, "/users"),
	}
	for name, res := range pages {
		csp := res.header.Get("Content-Security-Policy")
		for _, want := range []string{"default-src 'self'", "frame-ancestors 'none'", "script-src 'self'"} {
			if !strings.Contains(csp, want) {
				t.Errorf("%s: CSP %q lacks %s", name, csp, want)
			}
		}
		if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
			t.Errorf("%s: CSP allows inline or eval: %q", name, csp)
		}
		for header, want := range map[string]string{
			"X-Content-Type-Options": "nosniff",
			"Referrer-Policy":        "same-origin",
			"Cache-Control":          "no-store",
			"Content-Type":           "text/html; charset=UTF-8",
		} {
			if got := res.header.Get(header); got != want {
				t.Errorf("%s: %s = %q, want %q", name, header, got, want)
			}
		}
		if strings.Contains(res.body, "<script>") || strings.Contains(res.body, " style=") {
			t.Errorf("%s has inline script or style, which the CSP would block", name)
		}
	}
}

func TestErrorPagesAreHTML(t *testing.T) {
	app := newTestApp(t)
	c := app.signIn(globalAdmin)

	notFound := app.get(c, "/customers/nope")
	if notFound.status != http.StatusNotFound || !strings.Contains(notFound.body, "Page not found") || !strings.Contains(notFound.body, "<html") {
		t.Errorf("404: %d %s", notFound.status, notFound.body)
	}
	req, _ := http.NewRequest(http.MethodGet, app.url+"/no-such-page", nil)
	req.Header.Set("HX-Request", "true")
	fragment := app.do(c, req)
	if fragment.status != http.StatusNotFound || strings.Contains(fragment.body, "<html") || !strings.Contains(fragment.body, `class="error"`) {
		t.Errorf("htmx 404 is not a fragment: %s", fragment.body)
	}

	// Break the database under the running server: the next request fails
	// inside, and the visitor sees a page with a reference, not the error.
	app.store.Close()
	broken := app.get(c, "/users")
	if broken.status != http.StatusInternalServerError || !strings.Contains(broken.body, "Something went wrong") ||
		!strings.Contains(broken.body, broken.header.Get("X-Request-Id")) || !strings.Contains(broken.body, "<html") {
		t.Errorf("500: %d %s", broken.status, broken.body)
	}
	if strings.Contains(broken.body, "sql") || strings.Contains(broken.body, "closed") {
		t.Errorf("the 500 page shows the internal error: %s", broken.body)
	}
	if strings.Contains(broken.header.Get("Content-Type"), "json") {
		t.Error("the 500 answer is JSON")
	}
	health := app.get(app.client(), "/healthz")
	if health.status != http.StatusServiceUnavailable {
		t.Errorf("healthz with a closed database: %d", health.status)
	}
}

func TestHealthz(t *testing.T) {
	app := newTestApp(t)
	res := app.get(app.client(), "/healthz")
	if res.status != http.StatusOK || strings.TrimSpace(res.body) != `{"status":"ok"}` {
		t.Fatalf("healthz: %d %q", res.status, res.body)
	}
}

func TestStaticFilesAreVersionedAndCached(t *testing.T) {
	app := newTestApp(t)
	c := app.client()
	res := app.get(c, "/static/"+static.Version+"/vendor/htmx-4.0.1/htmx.min.js")
	if res.status != http.StatusOK || !strings.Contains(res.header.Get("Cache-Control"), "immutable") || len(res.body) < 10000 {
		t.Fatalf("htmx: %d, Cache-Control %q, %d bytes", res.status, res.header.Get("Cache-Control"), len(res.body))
	}
	if !strings.Contains(res.header.Get("Content-Type"), "javascript") {
		t.Errorf("htmx served as %q", res.header.Get("Content-Type"))
	}
	for _, path := range []string{"/static/0000/css/app.css", "/static/" + static.Version + "/css/none.css", "/static/" + static.Version + "/vendor/"} {
		if res := app.get(c, path); res.status != http.StatusNotFound {
			t.Errorf("%s: %d, want 404", path, res.status)
		}
	}
	login := app.get(c, "/login")
	if !strings.Contains(login.body, "/static/"+static.Version+"/vendor/htmx-4.0.1/htmx.min.js") {
		t.Error("the layout does not load the vendored htmx 4.0.1")
	}
}

// TestProbesReadNoSession: a signed-in browser's requests for static files
// and the probes run no read query (the session its cookie names is not
// looked up), and a static file revalidated with its entity tag is a 304
// without a body.
func TestProbesReadNoSession(t *testing.T) {
	app := newTestApp(t)
	c := app.signIn(globalAdmin)
	css := "/static/" + static.Version + "/css/app.css"
	var first response
	reads := app.readsOf(func() {
		first = app.get(c, css)
		for _, p := range []string{"/healthz", "/readyz"} {
			if res := app.get(c, p); res.status != http.StatusOK {
				t.Errorf("%s: %d", p, res.status)
			}
		}
	})
	if len(reads) != 0 {
		t.Errorf("a static file and the probes ran %d read queries: %q", len(reads), reads)
	}
	if first.status != http.StatusOK || first.header.Get("ETag") == "" {
		t.Fatalf("app.css: %d, ETag %q", first.status, first.header.Get("ETag"))
	}
	req, _ := http.NewRequest(http.MethodGet, app.url+css, nil)
	req.Header.Set("If-None-Match", first.header.Get("ETag"))
	if res := app.do(c, req); res.status != http.StatusNotModified || res.body != "" {
		t.Errorf("revalidated app.css: %d with %d bytes, want 304 and none", res.status, len(res.body))
	}
	if app.get(c, "/").status != http.StatusOK {
		t.Error("the signed-in home page does not open after the probes")
	}
}

// leaveFlash leaves message for the next page c's session shows, through a
// test route that calls the server's flash as a handler does.
func (a *testApp) leaveFlash(c *http.Client, message string) {
	a.t.Helper()
	token := ""
	a.server.echo.GET("/test-flash", func(ec echoContext) error {
		token, _ = ec.Get(keyToken).(string)
		a.server.flash(ec, message)
		return ec.NoContent(http.StatusNoContent)
	})
	a.get(c, "/test-flash")
	if token == "" {
		a.t.Fatal("no session token in the request")
	}
}

func TestFlashMessageShowsOnce(t *testing.T) {
	app := newTestApp(t)
	c := app.signIn(globalAdmin)
	app.leaveFlash(c, "Saved the thing.")
	if first := app.get(c, "/"); !strings.Contains(first.body, "Saved the thing.") {
		t.Fatal("flash not shown")
	}
	if second := app.get(c, "/"); strings.Contains(second.body, "Saved the thing.") {
		t.Fatal("flash shown twice")
	}
}

func TestOversizedBodyIsRefusedWithAPage(t *testing.T) {
	app := newTestApp(t)
	big := url.Values{"email": {strings.Repeat("a", 2<<20)}, "password": {"x"}}
	res := app.post(app.client(), "/login", big)
	if res.status != http.StatusRequestEntityTooLarge || !strings.Contains(res.body, "<html") {
		t.Fatalf("2 MB form: %d", res.status)
	}
}

func TestClientIPComesFromForwardedForOnlyThroughATrustedProxy(t *testing.T) {
	_, proxies, _ := net.ParseCIDR("10.1.0.0/16")
	for _, tc := range []struct {
		name    string
		trusted []*net.IPNet
		peer    string
		want    string
	}{
		{"no proxy configured", nil, "10.1.2.3:5000", "10.1.2.3"},
		{"loopback is not trusted by default", nil, "127.0.0.1:5000", "127.0.0.1"},
		{"trusted proxy", []*net.IPNet{proxies}, "10.1.2.3:5000", "203.0.113.7"},
		{"untrusted peer", []*net.IPNet{proxies}, "192.0.2.50:5000", "192.0.2.50"},
	} {
		req := httptest.NewRequest(http.MethodGet, "/", nil)
		req.RemoteAddr = tc.peer
		req.Header.Set("X-Forwarded-For", "203.0.113.7")
		if got := ipExtractor(tc.trusted)(req); got != tc.want {
			t.Errorf("%s: client IP %s, want %s", tc.name, got, tc.want)
		}
	}
}

func TestConflictAndInvalidInputBecomeHTMLPages(t *testing.T) {
	app := newTestApp(t)
	c := app.signIn(globalAdmin)
	app.server.echo.GET("/test-conflict", func(echoContext) error { return fmt.Errorf("approve: %w", domain.ErrConflict) })
	app.server.echo.GET("/test-invalid", func(echoContext) error { return domain.FieldErrors{"email": "bad"} })
	for path, want := range map[string]int{"/test-conflict": http.StatusConflict, "/test-invalid": http.StatusUnprocessableEntity} {
		res := app.get(c, path)
		if res.status != want || !strings.Contains(res.body, "<html") || !strings.Contains(res.body, httpStatusTitle(want)) {
			t.Errorf("%s: %d, want an HTML %d page", path, res.status, want)
		}
	}
}

// TestLogsHoldNoSecrets signs in, fails to, and signs out, then reads the log:
// one line per request, and never a password, cookie or session token.
func TestLogsHoldNoSecrets(t *testing.T) {
	app := newTestApp(t)
	app.post(app.client(), "/login", url.Values{"email": {salesAgent}, "password": {"wrong-secret-guess"}})
	c := app.signIn(salesAgent)
	cookie := app.sessionCookie(c)
	app.get(c, "/")
	app.post(c, "/logout", nil)
	logs := app.logs.String()
	for _, secret := range []string{"wrong-secret-guess", "multichannel-demo", cookie.Value, sessionCookieName} {
		if strings.Contains(logs, secret) {
			t.Errorf("the log holds a secret (%.12s…)", secret)
		}
	}
	for _, want := range []string{"route=/login", "status=303", "request_id=", "route=/logout"} {
		if !strings.Contains(logs, want) {
			t.Errorf("the log lacks %q:\n%s", want, logs)
		}
	}
	if !regexp.MustCompile(`route=/ status=200 duration_ms=\S+ user_id=[1-9]`).MatchString(logs) {
		t.Errorf("the request log does not name the signed-in user:\n%s", logs)
	}
}

// TestHeadIsAnsweredLikeGetWithoutABody speaks HTTP over a raw connection,
// because Go's client never reads the body of a HEAD answer.
func TestHeadIsAnsweredLikeGetWithoutABody(t *testing.T) {
	app := newTestApp(t)
	host := strings.TrimPrefix(app.url, "http://")
	for path, want := range map[string]string{"/login": "200 OK", "/healthz": "200 OK", "/": "303 See Other", "/missing": "404 Not Found"} {
		conn, err := net.Dial("tcp", host)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(conn, "HEAD %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n", path, host)
		raw, _ := io.ReadAll(conn)
		conn.Close()
		head, body, _ := strings.Cut(string(raw), "\r\n\r\n")
		if !strings.HasPrefix(head, "HTTP/1.1 "+want) || body != "" {
			t.Errorf("HEAD %s: %q with %d body bytes, want %s and no body", path, strings.SplitN(head, "\r\n", 2)[0], len(body), want)
		}
	}
}
