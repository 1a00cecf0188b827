package web

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/wingtip/multichannel/internal/demo"
	"github.com/wingtip/multichannel/internal/domain"
)

// axeTimeout bounds TestBrowserAxeOnEveryPage: about a hundred page loads,
// each checked by axe-core, with room for a busy machine.
const axeTimeout = 6 * browserTimeout

// axeCustomers are the demo customers whose pages TestBrowserAxeOnEveryPage
// visits, chosen for the states their pages show: Contoso has an active
// relationship, Azure to replace, purchases and a billing transfer; Coho
// Winery licence and Azure transfers from another CSP partner.
var axeCustomers = []string{"Contoso", "Coho Winery"}

// TestBrowserAxeOnEveryPage opens pages so that the navigation helpers run
// axe-core on them (checkAxe), at a desktop size (1366×900) and a phone's
// (390×844, the mobile layout). As Global admin it opens every page the
// route table has (every GET route but the downloads), with each :id, :sid
// and :tid filled from the demo data: for both axeCustomers at 1366 px, for
// Contoso at 390 px. As Admin agent and Sales agent it opens the pages of
// their main navigation at both sizes, where their pages differ most. The
// customer's public pages are visited too: sign-in, the invitation page and
// its answer page, and the page where an invited user sets a password.
// Pages behind an upload (import previews and mappings) are left to the
// import tests, which go through the same helpers. The visit is kept to
// about a hundred pages: each check costs a few hundred milliseconds.
func TestBrowserAxeOnEveryPage(t *testing.T) {
	app := newTestApp(t)
	browser := startBrowser(t, axeTimeout)
	admin := app.signIn(globalAdmin)
	_, invitation := app.invite(admin, app.customerID("Litware"), nil)
	password := app.inviteUser(admin, "Kim Akers", "kim@wingtip.example", domain.RoleAdminAgent)
	public := []string{"/login", "/invite/" + invitation, "/invite/answered", "/password/" + password}

	const desktopWidth, desktopHeight, phoneWidth, phoneHeight = 1366, 900, 390, 844
	every := func(customers ...string) func(domain.Role) []string {
		return func(role domain.Role) []string { return axePages(app, role, customers, false) }
	}
	navigation := func(role domain.Role) []string { return axePages(app, role, nil, true) }
	visits := []struct {
		size          string
		width, height int64
		role          domain.Role
		pages         func(domain.Role) []string
	}{
		{"desktop", desktopWidth, desktopHeight, domain.RoleGlobalAdmin, every(axeCustomers...)},
		{"desktop", desktopWidth, desktopHeight, domain.RoleAdminAgent, navigation},
		{"desktop", desktopWidth, desktopHeight, domain.RoleSalesAgent, navigation},
		{"phone", phoneWidth, phoneHeight, domain.RoleGlobalAdmin, every(axeCustomers[0])},
		{"phone", phoneWidth, phoneHeight, domain.RoleAdminAgent, navigation},
		{"phone", phoneWidth, phoneHeight, domain.RoleSalesAgent, navigation},
		{"desktop", desktopWidth, desktopHeight, "", nil},
		{"phone", phoneWidth, phoneHeight, "", nil},
	}
	// Each visit is in a tab of its own and only reads, so they run in
	// parallel.
	for _, v := range visits {
		who := "public"
		if v.role != "" {
			who = v.role.Label()
		}
		t.Run(v.size+"/"+who, func(t *testing.T) {
			t.Parallel()
			tab := openTab(t, browser)
			pages := public
			if v.role != "" {
				// Signed in at the desktop size, where the header shows the
				// role; the public visits check the sign-in page at both.
				tab.signInAs(app.url, axeUser(t, v.role), v.role.Label())
				pages = v.pages(v.role)
			}
			tab.do(chromedp.EmulateViewport(v.width, v.height))
			for _, p := range pages {
				tab.open(app.url + p)
			}
			tab.checkConsole()
		})
	}
}

// axeUser is the e-mail address of the demo user with the role.
func axeUser(t *testing.T, role domain.Role) string {
	t.Helper()
	for _, u := range demo.Users {
		if u.Role == role {
			return u.Email
		}
	}
	t.Fatalf("no demo user is a %s", role.Label())
	return ""
}

// TestBrowserAxeFindsAndAcceptsViolations checks the check itself: on a page
// given a paragraph of grey on white (2.3:1), axe-core reports that
// paragraph under color-contrast, with its selector and what to fix, and a
// known violation on it is left out, while the page stays clean otherwise.
// The script runs under the page's CSP, which it must not trip (the console
// stays clean).
func TestBrowserAxeFindsAndAcceptsViolations(t *testing.T) {
	app := newTestApp(t)
	tab := openTab(t, startBrowser(t, browserTimeout))
	tab.open(app.url + "/login")
	// Through the CSSOM: the CSP refuses style attributes.
	tab.do(chromedp.Evaluate[chromedp.Void](`(() => {
		const p = document.createElement("p");
		p.id = "axe-probe"; p.textContent = "Hard to read";
		p.style.color = "#aaaaaa"; p.style.background = "#ffffff";
		document.querySelector("main").append(p);
	})()`))

	found := tab.runAxe("[]")
	if len(found) != 1 || found[0].ID != "color-contrast" || len(found[0].Nodes) != 1 {
		t.Fatalf("axe-core found %+v, want color-contrast on #axe-probe alone", found)
	}
	if n := found[0].Nodes[0]; n.Target != "#axe-probe" || !strings.Contains(n.Summary, "insufficient color contrast") {
		t.Errorf("the violation's node is %+v, want #axe-probe with axe's summary", n)
	}
	if found := tab.runAxe(`[{"rule": "color-contrast", "within": "main"}]`); len(found) != 0 {
		t.Errorf("with the contrast inside main known, axe-core still reports %+v", found)
	}
	if found := tab.runAxe(`[{"rule": "link-name", "within": "main"}]`); len(found) != 1 {
		t.Errorf("a known violation of another rule left out the contrast: %+v", found)
	}
	tab.checkConsole()
}

// axePages lists the pages of the route table that role may open, each page
// about a customer once per customer named (by the start of its name), or
// only those of the main navigation when nav is set. A route is a page when it answers GET with HTML: not a download (.csv,
// .json, the samples), not a probe or a static file, and not reached only
// through a token or an upload, which the parameters it takes tell.
func axePages(app *testApp, role domain.Role, customers []string, nav bool) []string {
	app.t.Helper()
	// Each fill gives a parameter's value for a customer and the route's
	// path, or false when the customer has none: an Azure checklist's :sid is
	// a subscription that has one (Coho Winery's Azure moves by transfer).
	params := map[string]func(customer int64, route string) (string, bool){
		":id": func(c int64, _ string) (string, bool) { return strconv.FormatInt(c, 10), true },
		":sid": func(c int64, route string) (string, bool) {
			if strings.Contains(route, "/azure/") {
				ac, err := app.server.svc.Azure.Checklists(context.Background(), c, domain.RoleGlobalAdmin)
				if err != nil {
					app.t.Fatal(err)
				}
				if len(ac.Checklists) == 0 {
					return "", false
				}
				return strconv.FormatInt(ac.Checklists[0].Subscription.ID, 10), true
			}
			subs := app.subscriptionsOf(c)
			if len(subs) == 0 {
				app.t.Fatalf("customer %d has no subscription", c)
			}
			return strconv.FormatInt(subs[0].ID, 10), true
		},
		":tid": func(int64, string) (string, bool) { return strconv.FormatInt(app.templateID("Helpdesk"), 10), true },
	}
	var pages []string
	for _, r := range app.server.routeTable() {
		if r.method != http.MethodGet || r.access.public || !r.access.allows(role) || nav && r.nav == "" || isDownload(r.path) {
			continue
		}
		segments := strings.Split(r.path, "/")
		page := func(customer int64) (string, bool) {
			out := slices.Clone(segments)
			for i, seg := range out {
				if !strings.HasPrefix(seg, ":") {
					continue
				}
				fill, ok := params[seg]
				if !ok {
					return "", false
				}
				if out[i], ok = fill(customer, r.path); !ok {
					return "", false
				}
			}
			return strings.Join(out, "/"), true
		}
		if !slices.Contains(segments, ":id") {
			if p, ok := page(0); ok {
				pages = append(pages, p)
			}
			continue
		}
		for _, name := range customers {
			if p, ok := page(app.customerID(name)); ok {
				pages = append(pages, p)
			}
		}
	}
	return pages
}

// axeScript is axe-core's browser bundle, vendored under testdata/axe (see
// its README), read once for the whole run.
var axeScript = sync.OnceValues(func() (string, error) {
	b, err := os.ReadFile("testdata/axe/axe.min.js")
	return string(b), err
})

// axeViolation is one rule axe-core found broken on a page, with the nodes
// that break it: what a failure message needs to find and fix it.
type axeViolation struct {
	ID     string    `json:"id"`
	Impact string    `json:"impact"`
	Help   string    `json:"help"`
	Nodes  []axeNode `json:"nodes"`
}

// axeNode is one element that breaks a rule: its CSS selector (as axe-core
// writes it, through frames and shadow roots joined by " >>> ") and axe's
// summary of what to fix.
type axeNode struct {
	Target  string `json:"target"`
	Summary string `json:"summary"`
}

// axeRun runs every rule axe-core enables by default (WCAG 2.x A and AA and
// the best practices) on the whole document and keeps the serious and
// critical violations, the ones that fail a test, leaving out the elements
// inside the known ones (the placeholder KNOWN, a JSON list of rule and
// within, see knownAxeViolations). axe.run returns a promise.
const axeRun = `(known => axe.run(document, {resultTypes: ["violations"], elementRef: true}).then(r => r.violations
	.filter(v => v.impact === "serious" || v.impact === "critical")
	.map(v => ({id: v.id, impact: v.impact, help: v.help,
		nodes: v.nodes
			.filter(n => !known.some(k => k.rule === v.id && n.element && n.element.closest(k.within)))
			.map(n => ({target: n.target.map(t => [].concat(t).join(" >>> ")).join(" >>> "),
				summary: (n.failureSummary || "").replace(/\s*\n\s*/g, " ")}))}))
	.filter(v => v.nodes.length > 0)))(KNOWN)`

// axeState identifies a page state for the cache: the page's address without
// the test server's origin, the viewport, and a hash of the document as it
// stands (after htmx swaps), with the origin taken out so that the same page
// of two test servers is one state.
type axeState struct {
	page          string
	width, height int
	html          [sha256.Size]byte
}

// axeCache keeps the violations found on each page state across the
// package's browser tests, so that a state is checked once however many
// tests and steps show it, and a test that shows it again still reports what
// was found there.
var axeCache = struct {
	sync.Mutex
	m map[axeState][]axeViolation
}{m: map[axeState][]axeViolation{}}

// knownAxeViolations are serious or critical violations accepted for a
// while, each with the reason: a fault found in a change under way, until
// its fix lands. Each names the axe rule, the
// pages (a path.Match pattern of the URL path) and the elements (within: a
// CSS selector; an element inside one that matches is accepted), and says
// where the fault is and who fixes it.
var knownAxeViolations = []struct{ rule, page, within, why string }{
	// None: every page the tests show passes.
}

// knownAxeOn is the JSON list of the known violations of the page at
// urlPath, as axeRun takes it.
func knownAxeOn(urlPath string) string {
	type known struct {
		Rule   string `json:"rule"`
		Within string `json:"within"`
	}
	list := []known{}
	for _, k := range knownAxeViolations {
		if ok, _ := path.Match(k.page, urlPath); ok {
			list = append(list, known{k.rule, k.within})
		}
	}
	b, _ := json.Marshal(list)
	return string(b)
}

// checkAxe runs axe-core on the page the tab shows and fails the test (not
// at once: the scenario goes on) for every serious or critical violation not
// in knownAxeViolations, naming the page, the rule and each element. The
// script is evaluated through the DevTools protocol, which the page's CSP
// does not govern; it is injected only when the page state was not checked
// before. A document that is not HTML (a download) is not checked, nor a tab
// with JavaScript off (disableScripts), where axe-core's promise never
// settles; the same pages are checked with JavaScript on.
func (b *browserTab) checkAxe() {
	b.t.Helper()
	if b.scriptsOff {
		return
	}
	type page struct {
		HTML   bool   `json:"html"`
		Origin string `json:"origin"`
		Page   string `json:"page"`
		Path   string `json:"path"`
		Doc    string `json:"doc"`
		Width  int    `json:"width"`
		Height int    `json:"height"`
	}
	p := evaluate[page](b, `({html: document.contentType === "text/html", origin: location.origin,
		page: location.pathname + location.search, path: location.pathname,
		doc: document.documentElement.outerHTML, width: innerWidth, height: innerHeight})`)
	if !p.HTML {
		return
	}
	key := axeState{page: p.Page, width: p.Width, height: p.Height,
		html: sha256.Sum256([]byte(strings.ReplaceAll(p.Doc, p.Origin, "")))}
	axeCache.Lock()
	found, seen := axeCache.m[key]
	axeCache.Unlock()
	if !seen {
		found = b.runAxe(knownAxeOn(p.Path))
		axeCache.Lock()
		axeCache.m[key] = found
		axeCache.Unlock()
	}
	for _, v := range found {
		var nodes strings.Builder
		for _, n := range v.Nodes {
			fmt.Fprintf(&nodes, "\n\t%s: %s", n.Target, n.Summary)
		}
		b.t.Errorf("axe-core on %s (%dx%d): %s (%s): %s%s", p.Page, p.Width, p.Height, v.ID, v.Impact, v.Help, nodes.String())
	}
}

// runAxe injects axe-core into the page unless it is there already and
// returns the serious and critical violations it finds, but for the known
// ones (a JSON list, as knownAxeOn writes it).
func (b *browserTab) runAxe(known string) []axeViolation {
	b.t.Helper()
	if !evaluate[bool](b, `typeof axe === "object"`) {
		script, err := axeScript()
		if err != nil {
			b.t.Fatalf("read axe-core: %v", err)
		}
		b.do(chromedp.Evaluate[chromedp.Void](script))
	}
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[[]axeViolation](strings.Replace(axeRun, "KNOWN", known, 1), chromedp.EvalAwaitPromise))
	if err != nil {
		b.t.Fatalf("run axe-core: %v", err)
	}
	return v
}
