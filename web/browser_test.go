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

	"github.com/chromedp/chromedp"

	"github.com/wingtip/multichannel/internal/demo"
)

// browserTimeout bounds the whole browser test, so that a browser that hangs
// fails the test instead of blocking the run until go test's own timeout.
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
	chromium := findChromium(t)
	app := newTestApp(t)

	ctx, cancel := context.WithTimeout(context.Background(), browserTimeout)
	defer cancel()
	browserCtx := startBrowser(t, ctx, chromium)

	cases := []struct {
		email, name, role string
		nav               []string
	}{
		{globalAdmin, "Avery Chen", "Global admin", []string{"Home", "Customers", "Relationships", "Planner", "Outbox", "Users", "Settings", "Audit log"}},
		{adminAgent, "Sam Patel", "Admin agent", []string{"Home", "Customers", "Relationships", "Planner", "Outbox"}},
		{salesAgent, "Jordan Lee", "Sales agent", []string{"Home", "Customers", "Relationships", "Planner"}},
	}
	for _, tc := range cases {
		t.Run(tc.role, func(t *testing.T) {
			tab := openTab(t, browserCtx)

			// A signed-out visitor is sent to the sign-in page.
			tab.open(app.url + "/")
			if p := tab.path(); p != "/login" {
				t.Fatalf("signed out, / landed on %s, want /login", p)
			}

			// Sign in through the form, as a person would.
			tab.do(
				chromedp.SendKeys(chromedp.ID("email"), tc.email),
				chromedp.SendKeys(chromedp.ID("password"), demo.Password),
			)
			tab.clickAndLoad("#login-form button[type=submit]")
			if p := tab.path(); p != "/" {
				t.Fatalf("after sign-in the browser is on %s, want /", p)
			}
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

// findChromium returns the path of a Chromium-family browser, or skips the
// test when the machine has none: the browser is a system package, not a Go
// module, so a developer without it still gets the rest of the suite.
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

// startBrowser starts one headless Chromium for the whole test and returns
// its context. The subtests open their tabs in it, which is much faster than a
// browser each. The browser lives as long as ctx.
func startBrowser(t *testing.T, ctx context.Context, path string) context.Context {
	t.Helper()
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

// browserTab is one tab in a browser context of its own, so that it starts
// with no cookies, like a fresh incognito window. Its methods fail the test on
// any browser error, which keeps the scenario above readable.
type browserTab struct {
	t       *testing.T
	ctx     context.Context
	console iter.Seq2[chromedp.ConsoleMessage, error]
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
func (b *browserTab) open(url string) {
	b.t.Helper()
	res, err := chromedp.Run(b.ctx, chromedp.NavigateResponse(url))
	if err != nil {
		b.t.Fatalf("open %s: %v", url, err)
	}
	if res.Status != http.StatusOK {
		b.t.Fatalf("open %s: ended on %s with status %d", url, res.URL, res.Status)
	}
}

// clickAndLoad clicks an element that leads to a new page (a link or a
// submit button) and waits until that page has loaded, with its deferred
// scripts run. It requires a 200 after the redirects. A plain Click returns
// as soon as the mouse is released, before the next page exists.
func (b *browserTab) clickAndLoad(sel string) {
	b.t.Helper()
	res, err := chromedp.RunResponse(b.ctx, chromedp.Click(chromedp.CSS(sel)))
	if err != nil {
		b.t.Fatalf("click %s: %v", sel, err)
	}
	if res.Status != http.StatusOK {
		b.t.Fatalf("click %s: ended on %s with status %d", sel, res.URL, res.Status)
	}
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
