package web

import (
	"context"
	"errors"
	"iter"
	"net/http"
	"net/url"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/wingtip/multichannel/internal/demo"
)

// browserTimeout bounds a browser test of a few pages (see startBrowser); a
// longer scenario takes a multiple of it.
const browserTimeout = 60 * time.Second

// consoleDone is logged by the test itself after its last step. Reading the
// console up to this marker collects every message the pages wrote before it,
// without sleeping and without racing the delivery of the events.
const consoleDone = "browser-test: end of scenario"

// TestBrowserSignInEachRole signs each demo user in through the real login
// form in headless Chromium, checks the page frame their role gets, and signs
// out again. It catches what the HTTP tests cannot: the CSP letting our own
// scripts run, the form and the redirects as a browser follows them, and the
// cookies as a browser stores them.
func TestBrowserSignInEachRole(t *testing.T) {
	app := newTestApp(t)
	browser := startBrowser(t, browserTimeout)

	cases := []struct {
		email, name, role string
		nav               []string
	}{
		{globalAdmin, "Avery Chen", "Global admin", []string{"Home", "Customers", "Relationships", "Planner", "Outbox", "Users", "Settings", "Audit log", "Transfers"}},
		{adminAgent, "Sam Patel", "Admin agent", []string{"Home", "Customers", "Relationships", "Planner", "Outbox", "Transfers"}},
		{salesAgent, "Jordan Lee", "Sales agent", []string{"Home", "Customers", "Relationships", "Planner", "Transfers"}},
	}
	for _, tc := range cases {
		t.Run(tc.role, func(t *testing.T) {
			tab := openTab(t, browser)

			// A signed-out visitor is sent to the sign-in page.
			tab.open(app.url + "/")
			if p := tab.path(); p != "/login" {
				t.Fatalf("signed out, / landed on %s, want /login", p)
			}

			// Sign in through the form, as a person would.
			tab.signIn(tc.email, demo.Password)
			if h1 := tab.text("h1"); !strings.Contains(h1, "Welcome, "+tc.name) {
				t.Errorf("h1 = %q, want it to contain %q", h1, "Welcome, "+tc.name)
			}
			if who := tab.text("#signed-in-user"); who != tc.name {
				t.Errorf("#signed-in-user = %q, want %q", who, tc.name)
			}
			if role := tab.text("#signed-in-role"); role != tc.role {
				t.Errorf("#signed-in-role = %q, want %q", role, tc.role)
			}
			if nav := tab.texts("ul#main-nav a"); !slices.Equal(nav, tc.nav) {
				t.Errorf("navigation = %q, want %q", nav, tc.nav)
			}
			if n := len(tab.texts("#capabilities li")); n == 0 {
				t.Error("#capabilities lists nothing")
			}
			// htmx is a same-origin script; the CSP must let it run.
			if typ := evaluate[string](tab, "typeof htmx"); typ != "object" {
				t.Errorf("typeof htmx = %q, want \"object\": the script did not run", typ)
			}

			if slices.Contains(tc.nav, "Users") {
				tab.clickAndLoad(`ul#main-nav a[href="/users"]`)
				if p := tab.path(); p != "/users" {
					t.Fatalf("the Users link led to %s, want /users", p)
				}
				emails := tab.texts("table#users tbody td:nth-child(2)")
				for _, want := range []string{globalAdmin, adminAgent, salesAgent} {
					if !slices.Contains(emails, want) {
						t.Errorf("table#users lists %q, want it to include %s", emails, want)
					}
				}
			}

			tab.clickAndLoad("#sign-out")
			if p := tab.path(); p != "/login" {
				t.Fatalf("after sign-out the browser is on %s, want /login", p)
			}
			if body := tab.text("main"); !strings.Contains(body, "You have signed out.") {
				t.Errorf("after sign-out the page says %q, want \"You have signed out.\"", body)
			}
			// The session is gone: the home page sends us back to sign in.
			tab.open(app.url + "/")
			if p := tab.path(); p != "/login" {
				t.Errorf("after sign-out, / landed on %s, want /login", p)
			}

			tab.checkConsole()
		})
	}
}

// startBrowser starts the one headless Chromium of a browser test and
// returns its context; every browser test sets up its browser here. The
// subtests and the people of a scenario open their tabs in it (openTab), which
// is much faster than a browser each. timeout bounds the whole test, so that
// a browser that hangs fails the test instead of blocking the run until go
// test's own timeout; the browser closes when the test ends.
//
// The test is skipped when the machine has no Chromium-family browser: it is
// a system package, not a Go module, so a developer without it still gets the
// rest of the suite (.ci/run installs Debian's chromium).
func startBrowser(t *testing.T, timeout time.Duration) context.Context {
	t.Helper()
	path := findChromium(t)
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	t.Cleanup(cancel)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		// Headless is one of the defaults. The tests run as root in a
		// container, where the sandbox cannot start.
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		// The network is closed: keep Chromium from calling home, which
		// would only add noise and delay.
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.UserDataDir(t.TempDir()),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	t.Cleanup(cancelAlloc)
	browserCtx, cancelBrowser := chromedp.NewContext(allocCtx)
	t.Cleanup(cancelBrowser)
	// Start the browser now, so that a broken installation fails here with a
	// clear message, and so that the tabs can have browser contexts of their own.
	if err := chromedp.Do(browserCtx); err != nil {
		t.Fatalf("start %s: %v", path, err)
	}
	return browserCtx
}

// findChromium returns the path of a Chromium-family browser, or skips the
// test when the machine has none.
func findChromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if path, err := exec.LookPath(name); err == nil {
			return path
		}
	}
	t.Skip("no chromium binary found; .ci/run installs Debian's chromium")
	return ""
}

// browserTab is one tab in a browser context of its own, so that it starts
// with no cookies, like a fresh incognito window. Its methods fail the test on
// any browser error, which keeps the scenario above readable.
type browserTab struct {
	t       *testing.T
	ctx     context.Context
	console iter.Seq2[chromedp.ConsoleMessage, error]
	// scriptsOff is set by disableScripts: the tab shows pages as a browser
	// without JavaScript does, where axe-core cannot run either.
	scriptsOff bool
}

// disableScripts turns JavaScript off in the tab from the next page on, as a
// user who has it off sees the app.
func (b *browserTab) disableScripts() {
	b.t.Helper()
	if _, err := chromedp.Call(b.ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
		b.t.Fatalf("disable scripts: %v", err)
	}
	b.scriptsOff = true
}

// openTab opens a tab in a new browser context of the browser in browserCtx.
// The tab and its browser context close when the test ends. The console is
// subscribed before the first page loads, so no message is lost.
func openTab(t *testing.T, browserCtx context.Context) *browserTab {
	t.Helper()
	ctx, cancel := chromedp.NewContext(browserCtx, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	return &browserTab{t: t, ctx: ctx, console: chromedp.Console(ctx)}
}

// do runs actions that return nothing.
func (b *browserTab) do(steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, steps...); err != nil {
		b.t.Fatal(err)
	}
}

// open loads a URL, follows its redirects, and requires a 200 at the end.
// It then runs axe-core on the page (checkAxe), as every navigation helper
// below does.
func (b *browserTab) open(url string) {
	b.t.Helper()
	res, err := chromedp.Run(b.ctx, chromedp.NavigateResponse(url))
	if err != nil {
		b.t.Fatalf("open %s: %v", url, err)
	}
	if res.Status != http.StatusOK {
		b.t.Fatalf("open %s: ended on %s with status %d", url, res.URL, res.Status)
	}
	b.checkAxe()
}

// clickAndLoad clicks an element that leads to a new page (a link or a
// submit button) and waits until that page has loaded, with its deferred
// scripts run. It requires a 200 after the redirects. A plain Click returns
// as soon as the mouse is released, before the next page exists.
func (b *browserTab) clickAndLoad(sel string) {
	b.t.Helper()
	b.load("click "+sel, http.StatusOK, chromedp.Click(chromedp.CSS(sel)))
}

// enterAndLoad presses Enter in a form field, which submits its form, and
// waits for the page it leads to, which must end with a 200.
func (b *browserTab) enterAndLoad(sel string) {
	b.t.Helper()
	b.load("Enter in "+sel, http.StatusOK, chromedp.SendKeys(chromedp.CSS(sel), kb.Enter))
}

// reload reloads the page the tab shows and requires a 200.
func (b *browserTab) reload() {
	b.t.Helper()
	b.load("reload", http.StatusOK, chromedp.Reload())
}

// load runs an action that leads to a new page (described by what, for the
// failure message), waits until that page has loaded and requires it to end
// with the given status after the redirects; then it runs axe-core on it.
func (b *browserTab) load(what string, status int64, action chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	res, err := chromedp.RunResponse(b.ctx, action)
	if err != nil {
		b.t.Fatalf("%s: %v", what, err)
	}
	if res.Status != status {
		b.t.Fatalf("%s: ended on %s with status %d, want %d", what, res.URL, res.Status, status)
	}
	b.checkAxe()
}

// path is the path of the page the tab shows now.
func (b *browserTab) path() string {
	b.t.Helper()
	loc, err := chromedp.Run(b.ctx, chromedp.Location())
	if err != nil {
		b.t.Fatal(err)
	}
	u, err := url.Parse(loc)
	if err != nil {
		b.t.Fatalf("location %q: %v", loc, err)
	}
	return u.Path
}

// text is the visible text of the first element matching a CSS selector,
// trimmed.
func (b *browserTab) text(sel string) string {
	b.t.Helper()
	s, err := chromedp.Run(b.ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		b.t.Fatalf("text of %s: %v", sel, err)
	}
	return strings.TrimSpace(s)
}

// texts is the trimmed text of every element matching a CSS selector, in
// document order; it is empty when nothing matches. Unlike a query action it
// does not wait for the elements, so call it on a loaded page.
func (b *browserTab) texts(sel string) []string {
	b.t.Helper()
	return evaluate[[]string](b, "Array.from(document.querySelectorAll("+strconv.Quote(sel)+"), e => e.textContent.trim())")
}

// evaluate runs a JavaScript expression in the tab's page and decodes its
// value. It is a function and not a method because methods cannot have type
// parameters.
func evaluate[T any](b *browserTab, expr string) T {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		b.t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

// exists reports whether a CSS selector matches anything on the page the tab
// shows.
func (b *browserTab) exists(sel string) bool {
	b.t.Helper()
	return evaluate[bool](b, "document.querySelector("+strconv.Quote(sel)+") !== null")
}

// value is the value of the first form field matching a CSS selector, as the
// browser holds it (what was typed, not the HTML attribute).
func (b *browserTab) value(sel string) string {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Value(chromedp.CSS(sel)))
	if err != nil {
		b.t.Fatalf("value of %s: %v", sel, err)
	}
	return v
}

// flash is the text of the page's flash messages, joined by spaces.
func (b *browserTab) flash() string {
	b.t.Helper()
	return strings.Join(b.texts("main p.flash"), " ")
}

// submitSignIn fills the sign-in form of the page the tab shows, replacing an
// e-mail address already in it, and submits it.
func (b *browserTab) submitSignIn(email, password string) {
	b.t.Helper()
	b.do(
		chromedp.Clear(chromedp.ID("email")),
		chromedp.SendKeys(chromedp.ID("email"), email),
		chromedp.SendKeys(chromedp.ID("password"), password),
	)
	b.clickAndLoad("#login-form button[type=submit]")
}

// signIn submits the sign-in form of the page the tab shows and requires the
// browser to land on the home page.
func (b *browserTab) signIn(email, password string) {
	b.t.Helper()
	b.submitSignIn(email, password)
	if p := b.path(); p != "/" {
		b.t.Fatalf("after signing in as %s the browser is on %s, want /; the page says %q", email, p, b.text("main"))
	}
}

// signInAs opens the sign-in page of the app at baseURL and signs in as the
// demo user with the given e-mail address, whose role the header must show.
func (b *browserTab) signInAs(baseURL, email, role string) {
	b.t.Helper()
	b.open(baseURL + "/login")
	b.signIn(email, demo.Password)
	if got := b.text("#signed-in-role"); got != role {
		b.t.Fatalf("#signed-in-role = %q, want %q", got, role)
	}
}

// waitFor polls a JavaScript condition in the tab until it is true, for up
// to 10 s. The tests wait for htmx swaps this way, so it runs axe-core on the
// page as it then stands.
func (b *browserTab) waitFor(what, cond string) {
	b.t.Helper()
	_, err := chromedp.Run(b.ctx, chromedp.Poll[bool](cond,
		chromedp.WithPollingInterval(50*time.Millisecond), chromedp.WithPollingTimeout(10*time.Second)))
	if err != nil {
		b.t.Fatalf("waiting until %s: %v", what, err)
	}
	b.checkAxe()
}

// clickExpecting clicks a submit button and waits for the page it leads to,
// which must end with the given status (clickAndLoad wants 200).
func (b *browserTab) clickExpecting(sel string, status int64) {
	b.t.Helper()
	b.load("click "+sel, status, chromedp.Click(chromedp.CSS(sel)))
}

// checkUsedLink opens a single-use link that has been used and checks that
// it answers 404 with the page that says so (an element matching shown) and
// without the form it offered (nothing matches form). Chromium logs the 404
// in the console; that one message is expected.
func (b *browserTab) checkUsedLink(what, link, shown, form string) {
	b.t.Helper()
	res, err := chromedp.Run(b.ctx, chromedp.NavigateResponse(link))
	if err != nil {
		b.t.Fatalf("open %s: %v", what, err)
	}
	if res.Status != http.StatusNotFound {
		b.t.Errorf("%s answers %d, want 404", what, res.Status)
	}
	b.checkAxe()
	if !b.exists(shown) {
		b.t.Errorf("%s does not show %s; the page says %q", what, shown, b.text("main"))
	}
	if b.exists(form) {
		b.t.Errorf("%s still offers %s", what, form)
	}
	b.expectLoadErrors(what, link, http.StatusNotFound)
}

// expectLoadErrors reads the tab's console up to now and fails the test for
// every error in it except the one that Chromium logs for a page of pageURL
// answered, by design, with the given 4xx status: Chromium reports every
// document with a 4xx status as "Failed to load resource". It allows that
// message once, and leaves the rest of the console to checkConsole.
func (b *browserTab) expectLoadErrors(what, pageURL string, status int) {
	b.t.Helper()
	marker := "browser-test: after " + what
	// Subscribe again before reading, so that no later message is lost.
	rest := chromedp.Console(b.ctx)
	b.do(chromedp.Evaluate[chromedp.Void]("console.info(" + strconv.Quote(marker) + ")"))
	accepted := 0
	for m, err := range b.console {
		if err != nil {
			b.t.Fatalf("read the browser console: %v", err)
		}
		if m.Type == chromedp.ConsoleInfo && m.Text == marker {
			break
		}
		if m.IsException() || m.Type == chromedp.ConsoleError {
			if m.Source == "network" && m.URL == pageURL && strings.Contains(m.Text, "status of "+strconv.Itoa(status)) {
				accepted++
				continue
			}
			b.t.Errorf("browser console: %s (at %s:%d)", m, m.URL, m.Line+1)
		}
	}
	if accepted > 1 {
		b.t.Errorf("the console reports %d failed loads of %s with status %d, want at most 1", accepted, what, status)
	}
	b.console = rest
}

// checkConsole fails the test for every error the pages of the tab wrote to
// the console: uncaught exceptions, console.error calls, and browser log
// errors such as a CSP violation or a failed subresource. It writes a marker
// and reads the messages up to it, so it sees everything that came before.
func (b *browserTab) checkConsole() {
	b.t.Helper()
	b.do(chromedp.Evaluate[chromedp.Void]("console.info(" + strconv.Quote(consoleDone) + ")"))
	for m, err := range b.console {
		if err != nil {
			if errors.Is(err, context.DeadlineExceeded) {
				b.t.Fatal("timed out reading the browser console")
			}
			b.t.Fatalf("read the browser console: %v", err)
		}
		if m.Type == chromedp.ConsoleInfo && m.Text == consoleDone {
			return
		}
		if m.IsException() || m.Type == chromedp.ConsoleError {
			if m.URL != "" {
				b.t.Errorf("browser console: %s (at %s:%d)", m, m.URL, m.Line+1)
			} else {
				b.t.Errorf("browser console: %s", m)
			}
		}
	}
}
