package web

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"testing"

	"github.com/chromedp/chromedp"
)

// phoneWidth and phoneHeight are the window of a small phone (issue 14):
// no signed-in page may be wider.
const (
	phoneWidth  = 390
	phoneHeight = 844
)

// phoneOverflowJS measures the page the tab shows at its window's width: how
// wide the document is, the element that reaches furthest past the window's
// right edge (the deepest of those that end there, as it is the one to fix),
// and every box that scrolls sideways inside the page (a table wider than
// its card, a pre block). Fields are left out: they scroll their own text.
const phoneOverflowJS = `(() => {
	const width = document.documentElement.clientWidth;
	const name = el => {
		let s = el.tagName.toLowerCase();
		if (el.id) s += "#" + el.id;
		if (typeof el.className === "string" && el.className.trim()) s += "." + el.className.trim().split(/\s+/).join(".");
		const text = (el.textContent || "").trim().replace(/\s+/g, " ").slice(0, 50);
		return s + (text ? " \"" + text + "\"" : "");
	};
	const clipped = el => {
		for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
			if (getComputedStyle(p).overflowX !== "visible") return true;
		}
		return false;
	};
	let widest = null, right = width + 0.5;
	const scrollers = [];
	for (const el of document.querySelectorAll("body *")) {
		if (el.matches("input, textarea, select, option")) continue;
		const r = el.getBoundingClientRect();
		if (r.width > 0 && r.right >= right && !clipped(el)) {
			widest = el;
			right = r.right;
		}
		if (getComputedStyle(el).overflowX !== "visible" && el.clientWidth > 1 && el.scrollWidth > el.clientWidth + 1) {
			scrollers.push(name(el) + ": " + el.scrollWidth + " px of content in " + el.clientWidth + " px");
		}
	}
	return {
		width: document.documentElement.scrollWidth,
		widest: widest ? name(widest) + " ends at x " + Math.round(right) : "",
		scrollers: scrollers,
	};
})()`

// phoneOverflow is what phoneOverflowJS finds.
type phoneOverflow struct {
	Width     int      `json:"width"`
	Widest    string   `json:"widest"`
	Scrollers []string `json:"scrollers"`
}

// phoneSkipped are the GET routes a phone never shows as a page, each with
// why: downloads, fragments, and pages reached only through a form or a
// link sent by mail.
var phoneSkipped = map[string]string{
	"/planner.csv":                        "a download",
	"/audit.csv":                          "a download",
	"/customers/:id/subscriptions.csv":    "a download",
	"/customers/:id/plan.json":            "a download",
	"/customers/:id/plan.csv":             "a download",
	"/customers/:id/record.json":          "a download",
	"/customers/:id/record.csv":           "a download",
	"/customers/import/samples/:file":     "a download",
	importSamplesPath + ":file":           "a download",
	demoExportPath:                        "a download",
	"/static/:version/*":                  "a file",
	"/healthz":                            "a probe",
	"/readyz":                             "a probe",
	"/customers/:id/subscriptions/:sid":   "an htmx fragment (a page load redirects to the inventory)",
	"/customers/import/:upload":           "reached by uploading a file",
	"/customers/import/:upload/mapping":   "reached by uploading a file",
	"/customers/:id/import/:batch":        "reached by uploading a file",
	"/password/:token":                    "a link sent by mail, signed out",
	"/invite/:token":                      "a link sent to the customer, signed out",
	"/invite/answered":                    "the customer's page after answering, signed out",
	"/login":                              "signed out",
	"/login/code":                         "signed out",
	"/customers/:id/azure/:sid/csp":       "redirects to the checklist (the address a refused step leaves)",
	"/customers/:id/azure/:sid/moved":     "redirects to the checklist (the address a refused step leaves)",
	"/customers/:id/azure/:sid/cancelled": "redirects to the checklist (the address a refused step leaves)",
}

// TestBrowserPhonePages signs in as the Global admin at 390×844 and visits
// every page the demo data links to from the home page, following links to
// the end (each customer's pages, every filter, the help pages, the detail
// pages), and fails on any page wider than the window, naming the element
// that widens it, and on any box that scrolls sideways inside a page: under
// the breakpoint tables are stacked cards. It checks that the pages visited
// cover every GET route of the route table that is a signed-in page, so a
// new page cannot escape the check. It saves full-page screenshots of a few
// pages to SHOTS_DIR when it is set.
func TestBrowserPhonePages(t *testing.T) {
	app := newTestApp(t)
	browser := startBrowser(t, 6*browserTimeout)
	tab := openTab(t, browser)
	tab.signInAs(app.url, globalAdmin, "Global admin")
	tab.do(chromedp.EmulateViewport(phoneWidth, phoneHeight))

	base, err := url.Parse(app.url)
	if err != nil {
		t.Fatal(err)
	}
	visited := map[string]bool{}
	routes := map[string]bool{}
	queue := []string{"/"}
	for len(queue) > 0 {
		page := queue[0]
		queue = queue[1:]
		if visited[page] {
			continue
		}
		visited[page] = true
		from, _ := base.Parse(page)
		routes[app.routeOf(from.Path)] = true
		tab.open(app.url + page)
		m := evaluate[phoneOverflow](tab, phoneOverflowJS)
		if m.Width > phoneWidth {
			t.Errorf("%s is %d px wide at %d px: widest is %s", page, m.Width, phoneWidth, m.Widest)
		}
		for _, s := range m.Scrollers {
			t.Errorf("%s at %d px: %s scrolls sideways", page, phoneWidth, s)
		}
		for _, link := range tab.hrefs() {
			u, err := base.Parse(link)
			if err != nil || u.Host != base.Host {
				continue
			}
			if _, skip := phoneSkipped[app.routeOf(u.Path)]; skip {
				continue
			}
			// Filters are visited from the unfiltered list, not combined
			// (the planner's alone would make hundreds of pages).
			if u.RawQuery != "" && u.Path == from.Path && from.RawQuery != "" {
				continue
			}
			u.Fragment = ""
			if p := u.RequestURI(); !visited[p] {
				queue = append(queue, p)
			}
		}
	}
	t.Logf("visited %d pages of %d routes", len(visited), len(routes))
	for _, r := range app.server.routeTable() {
		if r.method != http.MethodGet || r.access.public {
			continue
		}
		if _, skip := phoneSkipped[r.path]; !skip && !routes[r.path] {
			t.Errorf("no page visited is served by %s: the phone check did not see it", r.path)
		}
	}

	coho := strconv.FormatInt(app.customerID("Coho"), 10)
	for name, page := range map[string]string{"home": "/", "subscriptions": "/customers/" + coho + "/subscriptions", "relationships": "/relationships"} {
		tab.open(app.url + page)
		tab.saveScreenshot("phones-" + name)
	}
	tab.checkConsole()
}

// TestBrowserPhoneMenu checks the header at 390×844 with JavaScript turned
// off: the navigation is folded into a Menu whose summary opens it, showing
// every link of the role's navigation, the account and Sign out inside the
// window, and its links and Sign out work. At 1280 px the menu is hidden and
// the navigation shows as before.
func TestBrowserPhoneMenu(t *testing.T) {
	app := newTestApp(t)
	browser := startBrowser(t, browserTimeout)
	tab := openTab(t, browser)
	tab.signInAs(app.url, globalAdmin, "Global admin")
	nav := tab.texts("ul#main-nav a")

	tab.do(chromedp.EmulateViewport(1280, 800))
	tab.open(app.url + "/")
	for _, sel := range []string{"ul#main-nav", "#signed-in-user", "#sign-out"} {
		if !tab.visible(sel) {
			t.Errorf("at 1280 px %s is hidden", sel)
		}
	}
	if tab.visible("details.site-menu") {
		t.Error("at 1280 px the Menu shows beside the navigation")
	}

	tab.do(chromedp.EmulateViewport(phoneWidth, phoneHeight))
	tab.disableScripts()
	tab.open(app.url + "/")
	if typ := evaluate[string](tab, "typeof htmx"); typ != "undefined" {
		t.Fatalf("typeof htmx = %q: JavaScript still runs", typ)
	}
	for _, sel := range []string{"ul#main-nav", "#signed-in-user", "#sign-out"} {
		if tab.visible(sel) {
			t.Errorf("at %d px %s shows beside the Menu", phoneWidth, sel)
		}
	}
	if tab.visible("details.site-menu li a") {
		t.Error("the Menu is open before it is clicked")
	}
	tab.do(chromedp.Click(chromedp.CSS("details.site-menu > summary")))
	links := tab.texts("details.site-menu a")
	if want := append(slices.Clone(nav), "Avery Chen"); !slices.Equal(links, want) {
		t.Errorf("the Menu lists %q, want %q", links, want)
	}
	if out := evaluate[[]string](tab, phoneOutOfWindowJS("details.site-menu a, details.site-menu button")); len(out) > 0 {
		t.Errorf("in the open Menu these are hidden or outside the %d×%d window: %q", phoneWidth, phoneHeight, out)
	}
	tab.saveScreenshot("phones-menu-open")

	tab.clickAndLoad(`details.site-menu a[href="/outbox"]`)
	if p := tab.path(); p != "/outbox" {
		t.Fatalf("the Menu's Outbox led to %s", p)
	}
	tab.do(chromedp.Click(chromedp.CSS("details.site-menu > summary")))
	tab.clickAndLoad("details.site-menu button[type=submit]")
	if p := tab.path(); p != "/login" {
		t.Fatalf("the Menu's Sign out led to %s, want /login", p)
	}
}

// phoneOutOfWindowJS lists the elements matching sel that are not shown or
// not wholly inside the window.
func phoneOutOfWindowJS(sel string) string {
	return `Array.from(document.querySelectorAll(` + strconv.Quote(sel) + `)).filter(el => {
		const r = el.getBoundingClientRect();
		return !el.checkVisibility({visibilityProperty: true}) || r.width === 0 ||
			r.left < 0 || r.top < 0 || r.right > innerWidth || r.bottom > innerHeight;
	}).map(el => el.textContent.trim())`
}

// visible reports whether the first element matching sel is shown (it and
// its ancestors rendered, not visibility: hidden).
func (b *browserTab) visible(sel string) bool {
	b.t.Helper()
	return evaluate[bool](b, `(() => { const el = document.querySelector(`+strconv.Quote(sel)+`);
		return el !== null && el.checkVisibility({visibilityProperty: true}); })()`)
}

// hrefs is the address of every link on the page but downloads.
func (b *browserTab) hrefs() []string {
	b.t.Helper()
	return evaluate[[]string](b, `Array.from(document.querySelectorAll("a[href]:not([download])"), a => a.href)`)
}

// routeOf is the path of the GET route that serves path, as the route table
// writes it ("/customers/:id"), or "" when none does.
func (a *testApp) routeOf(path string) string {
	c := a.server.echo.NewContext(httptest.NewRequest(http.MethodGet, path, nil), nil)
	a.server.echo.Router().Find(http.MethodGet, path, c)
	return c.Path()
}
