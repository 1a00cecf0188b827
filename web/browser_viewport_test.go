package web

import (
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// desktopWidth and desktopHeight are the smallest desktop window the pages
// are made for (issue 14): every action and data column fits in it.
const (
	desktopWidth  = 1280
	desktopHeight = 800
)

// outOfSightJS lists what of the page needs sideways scrolling to be seen:
// the document wider than the window; a visible button, field or
// button-like link whose box reaches past the window's left or right edge,
// or past the edge of a container that scrolls or clips it sideways; and a
// container that scrolls sideways at all (a table wider than its box hides
// a column). A control shrunk to a pixel or less is hidden on purpose (the
// invitation form's implicit submit button, visually hidden labels).
const outOfSightJS = `(() => {
	const width = document.documentElement.clientWidth, found = [];
	const name = el => {
		let s = el.tagName.toLowerCase();
		if (el.id) s += "#" + el.id;
		if (el.name) s += "[name=" + el.name + "]";
		if (el.className && typeof el.className === "string") s += "." + el.className.trim().split(/\s+/).join(".");
		const text = (el.textContent || el.value || el.placeholder || el.getAttribute("aria-label") || "").trim().replace(/\s+/g, " ").slice(0, 60);
		const row = el.closest("tr[id]");
		return s + (text ? " \"" + text + "\"" : "") + (row ? " in row " + row.id : "");
	};
	if (document.documentElement.scrollWidth > width) {
		found.push("the document is " + document.documentElement.scrollWidth + " px wide, the window " + width + " px");
	}
	const clips = el => {
		const x = getComputedStyle(el).overflowX;
		return x !== "visible";
	};
	for (const el of document.querySelectorAll("body *")) {
		// A field scrolls its own text; a box of a pixel is hidden on purpose.
		if (el.matches("input, textarea, select") || el.clientWidth <= 1) continue;
		if (clips(el) && el.scrollWidth > el.clientWidth + 1) {
			found.push(name(el) + " scrolls sideways: " + el.scrollWidth + " px of content in " + el.clientWidth + " px");
		}
	}
	const controls = "button, input:not([type=hidden]), select, textarea, a[role=button]";
	for (const el of document.querySelectorAll(controls)) {
		if (!el.checkVisibility({checkOpacity: true, checkVisibilityCSS: true})) continue;
		const r = el.getBoundingClientRect();
		if (r.width <= 1 || r.height <= 1) continue;
		if (r.left < -0.5 || r.right > width + 0.5) {
			found.push(name(el) + " spans x " + Math.round(r.left) + " to " + Math.round(r.right) + ", outside the window's 0 to " + width);
			continue;
		}
		for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
			if (!clips(p)) continue;
			const c = p.getBoundingClientRect();
			if (r.left < c.left - 0.5 || r.right > c.right + 0.5) {
				found.push(name(el) + " spans x " + Math.round(r.left) + " to " + Math.round(r.right) + ", past the edge of " + name(p) + " (" + Math.round(c.left) + " to " + Math.round(c.right) + ")");
				break;
			}
		}
	}
	return found;
})()`

// TestBrowserActionsInSightAt1280 visits, as the Global admin, every list
// page with row actions at 1280×800, each filter of the lists filtered by
// state, and the page of every relationship request and transfer they link
// to, and fails on any button or field outside the window or hidden past
// the edge of a box that scrolls or clips it, and on any page or table that
// scrolls sideways. It then rejects a request with a long reason of one
// unbroken word and visits again the pages that show it (the rejected
// requests, the request's page, the audit log's Detail column): long text
// wraps. It saves screenshots of the review queue, a transfers page, the
// audit log, a request's page and a transfer's page to SHOTS_DIR when it
// is set.
func TestBrowserActionsInSightAt1280(t *testing.T) {
	app := newTestApp(t)
	browser := startBrowser(t, 4*browserTimeout)
	tab := openTab(t, browser)
	tab.do(chromedp.EmulateViewport(desktopWidth, desktopHeight))
	tab.signInAs(app.url, globalAdmin, "Global admin")
	coho := "/customers/" + strconv.FormatInt(app.customerID("Coho"), 10)
	contoso := "/customers/" + strconv.FormatInt(app.customerID("Contoso"), 10)

	seen := map[string]bool{}
	// check checks the pages in turn, and the pages of the relationship
	// requests and transfers their tables link to, each once.
	check := func(pages ...string) {
		t.Helper()
		for i := 0; i < len(pages); i++ {
			page := pages[i]
			if seen[page] {
				continue
			}
			seen[page] = true
			tab.open(app.url + page)
			for _, problem := range evaluate[[]string](tab, outOfSightJS) {
				t.Errorf("at %d×%d, %s: %s", desktopWidth, desktopHeight, page, problem)
			}
			pages = append(pages, tab.localLinks(`table a[href^="/relationships/"], table a[href^="/transfers/"]`)...)
		}
	}
	pages := []string{
		"/relationships", "/transfers", "/audit", "/users", "/outbox", "/planner", "/gdap", "/customers", templatesPath,
		coho + "/transfers", coho + "/subscriptions", contoso + "/subscriptions", coho + "/relationship", contoso + "/relationship",
		coho + "/plan", contoso + "/plan", coho + "/record", contoso + "/billing-transfer",
	}
	// The lists' filters by state, as their chips link to them.
	for _, list := range []string{"/relationships", "/transfers"} {
		tab.open(app.url + list)
		pages = append(pages, tab.localLinks("nav.chips a.chip")...)
	}
	check(pages...)
	// Coho Winery has a transfer in every state: the page of each was
	// checked, as were the pages of the requests awaiting verification.
	var transferPages, requestPages int
	for page := range seen {
		switch {
		case strings.HasPrefix(page, "/transfers/"):
			transferPages++
		case strings.HasPrefix(page, "/relationships/") && strings.Contains(page, "?back="):
			requestPages++
		}
	}
	if transferPages < 6 || requestPages < 8 {
		t.Errorf("checked the pages of %d transfers and %d relationship requests, want at least 6 and 8", transferPages, requestPages)
	}

	// An approver rejects Fabrikam's request, from its page, with a reason
	// holding a long address.
	tab.open(app.url + "/relationships")
	tab.clickAndLoad("table#relationships a.verify-or-reject")
	request := tab.path()
	tab.saveScreenshot("lists-request")
	reason := "Partner Center shows no reseller relationship at https://partner.microsoft.com/dashboard/v2/customers/" +
		"4d5e6f7a-8b9c-4d0e-9f1a-2b3c4d5e6f7a/account/relationships-and-reseller-requests-awaiting-the-customers-global-administrator"
	tab.do(chromedp.SendKeys(chromedp.CSS(`#request-actions form[action$="/reject"] input[name=reason]`), reason))
	tab.clickAndLoad(`#request-actions button.reject`)
	if f := tab.flash(); f != "The request was rejected." {
		t.Fatalf("flash after rejecting = %q; the page says %q", f, tab.text("main"))
	}
	again := []string{"/relationships?status=rejected", request, "/audit"}
	for _, page := range again {
		delete(seen, page)
	}
	check(again...)
	tab.open(app.url + "/audit")
	if details := tab.texts("table#audit td:last-child"); !slices.Contains(details, reason) {
		t.Errorf("the audit log's details are %q, want the reason of the rejection among them", details)
	}

	shots := map[string]string{"relationships": "/relationships?status=all", "transfers": coho + "/transfers", "audit": "/audit"}
	tab.open(app.url + coho + "/transfers")
	tab.clickAndLoad("table#transfers a.record-answer")
	shots["transfer"] = tab.path()
	for name, page := range shots {
		tab.open(app.url + page)
		tab.saveScreenshot("lists-" + name)
	}
	tab.checkConsole()
}

// localLinks is the path and query of every link matching sel on the page
// the tab shows, in document order, each once.
func (b *browserTab) localLinks(sel string) []string {
	b.t.Helper()
	links := evaluate[[]string](b, `Array.from(document.querySelectorAll(`+strconv.Quote(sel)+`), a => {
		const u = new URL(a.href);
		return u.origin === location.origin ? u.pathname + u.search : "";
	}).filter(s => s !== "")`)
	return slices.Compact(links)
}

// saveScreenshot saves the whole page the tab shows, as laid out in its
// window, as name.png in the folder SHOTS_DIR names (see the README), for
// people to look at; without SHOTS_DIR it saves nothing.
func (b *browserTab) saveScreenshot(name string) {
	b.t.Helper()
	b.savePNG(name, func() ([]byte, error) { return chromedp.Run(b.ctx, chromedp.FullScreenshot(100)) })
}

// saveWindowShot saves what the tab's window shows, as saveScreenshot does
// the whole page: what is in view without scrolling.
func (b *browserTab) saveWindowShot(name string) {
	b.t.Helper()
	b.savePNG(name, func() ([]byte, error) { return chromedp.Run(b.ctx, chromedp.CaptureScreenshot()) })
}

// savePNG writes the image capture takes to SHOTS_DIR/name.png, when
// SHOTS_DIR is set.
func (b *browserTab) savePNG(name string, capture func() ([]byte, error)) {
	b.t.Helper()
	dir := os.Getenv("SHOTS_DIR")
	if dir == "" {
		return
	}
	png, err := capture()
	if err != nil {
		b.t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.WriteFile(filepath.Join(dir, strings.TrimSuffix(name, ".png")+".png"), png, 0o644); err != nil {
		b.t.Fatal(err)
	}
}
