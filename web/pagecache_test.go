package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

// readsOf counts the read queries the store runs while fn runs.
func (a *testApp) readsOf(fn func()) []string {
	a.t.Helper()
	var mu sync.Mutex
	var reads []string
	a.store.WatchReads(func(query string, _ []any) {
		mu.Lock()
		reads = append(reads, query)
		mu.Unlock()
	})
	fn()
	a.store.WatchReads(nil)
	mu.Lock()
	defer mu.Unlock()
	return reads
}

// TestPageCacheServesARepeatViewWithoutReadingThePage: the same user opening
// the same page again within a second, with nothing changed, gets the same
// bytes for the one read of its session; a second later, or with the cache
// off, the page is read again.
func TestPageCacheServesARepeatViewWithoutReadingThePage(t *testing.T) {
	for _, tc := range []struct {
		name        string
		noPageCache bool
		wantCached  bool
	}{{"cache on", false, true}, {"cache off", true, false}} {
		t.Run(tc.name, func(t *testing.T) {
			app := startTestApp(t, testOptions{noPageCache: tc.noPageCache})
			app.clock.set(time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC))
			c := app.signIn(globalAdmin)
			id := app.customerID("Contoso")
			for _, path := range []string{"/", "/customers", "/customers?q=cont", "/planner", "/audit", "/relationships",
				fmt.Sprintf("/customers/%d", id), fmt.Sprintf("/customers/%d", id) + "/subscriptions", fmt.Sprintf("/customers/%d", id) + "/plan"} {
				var first, second response
				firstReads := app.readsOf(func() { first = app.get(c, path) })
				secondReads := app.readsOf(func() { second = app.get(c, path) })
				if first.status != http.StatusOK || second.status != http.StatusOK {
					t.Fatalf("%s: %d then %d", path, first.status, second.status)
				}
				if len(firstReads) < 2 {
					t.Fatalf("%s: the first view ran %d reads; the test cannot tell a cached view", path, len(firstReads))
				}
				if cached := len(secondReads) == 1; cached != tc.wantCached {
					t.Errorf("%s: the second view ran %d reads (the first %d), cached %v, want %v", path, len(secondReads), len(firstReads), cached, tc.wantCached)
				}
				if second.body != first.body || second.header.Get("Cache-Control") != "no-store" || second.header.Get("Vary") != "HX-Request" ||
					!strings.HasPrefix(second.header.Get("Content-Type"), "text/html") || second.header.Get("Content-Security-Policy") == "" {
					t.Errorf("%s: the second view differs from the first (headers %v)", path, second.header)
				}
			}
			app.clock.advance(pageFresh)
			if reads := app.readsOf(func() { app.get(c, "/") }); len(reads) < 2 {
				t.Errorf("a second later the dashboard ran %d reads: served from the cache", len(reads))
			}
		})
	}
}

// TestPageCacheShowsEveryChange: a page kept for one user is not served
// after another user saved a change, nor after a flash message was left for
// the first, and the flash shows once.
func TestPageCacheShowsEveryChange(t *testing.T) {
	app := newTestApp(t)
	app.clock.set(time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC))
	viewer, editor := app.signIn(adminAgent), app.signIn(salesAgent)
	id := app.customerID("Contoso")
	loc := fmt.Sprintf("/customers/%d", id)
	before := app.get(viewer, loc)
	if !strings.Contains(before.body, "Contoso") {
		t.Fatalf("the customer's page: %d", before.status)
	}
	app.get(viewer, loc) // kept
	edit := url.Values{"name": {"Contoso Renamed"}, "domain": {"contoso.onmicrosoft.com"}, "country": {"US"}, "admin_name": {"Ada"},
		"admin_email": {"ada@contoso.example"}, "version": {formVersion(t, app.get(editor, loc+"/edit").body, loc)}}
	if res := app.post(editor, loc, edit); res.status != http.StatusSeeOther {
		t.Fatalf("edit: %d %s", res.status, res.body)
	}
	if after := app.get(viewer, loc); !strings.Contains(after.body, "<h1>Contoso Renamed</h1>") {
		t.Error("after another user's change the viewer is served the page from before it")
	}

	token := ""
	app.server.echo.GET("/test-flash", func(ec echoContext) error {
		token, _ = ec.Get(keyToken).(string)
		app.server.flash(ec, "Saved the thing.")
		return ec.NoContent(http.StatusNoContent)
	})
	app.get(viewer, "/")
	app.get(viewer, "/test-flash")
	if token == "" {
		t.Fatal("no session token")
	}
	if first := app.get(viewer, "/"); !strings.Contains(first.body, "Saved the thing.") {
		t.Error("the kept dashboard was served instead of the one with the flash")
	}
	if second := app.get(viewer, "/"); strings.Contains(second.body, "Saved the thing.") {
		t.Error("the flash was kept with the page and shown twice")
	}
}

// TestPageCacheKeepsUsersAndFragmentsApart: two users opening the same
// address each get their own page, and an htmx request for a fragment and
// a request for the whole page are kept apart.
func TestPageCacheKeepsUsersAndFragmentsApart(t *testing.T) {
	app := newTestApp(t)
	app.clock.set(time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC))
	admin, sales := app.signIn(globalAdmin), app.signIn(salesAgent)
	for range 2 {
		a, s := app.get(admin, "/"), app.get(sales, "/")
		if !strings.Contains(a.body, `id="signed-in-role">Global admin<`) {
			t.Error("the global admin is shown someone else's dashboard")
		}
		if !strings.Contains(s.body, `id="signed-in-role">Sales agent<`) {
			t.Error("the sales agent is shown someone else's dashboard")
		}
	}
	for range 2 {
		fragment := app.htmx(admin, http.MethodGet, "/customers?q=cont", nil)
		whole := app.get(admin, "/customers?q=cont")
		if strings.Contains(fragment.body, "<html") || !strings.Contains(whole.body, "<html") {
			t.Fatalf("fragment has <html: %v; whole page has it: %v", strings.Contains(fragment.body, "<html"), strings.Contains(whole.body, "<html"))
		}
	}
}

// TestPageCacheKeep: a page rendered while a change was committed is not
// kept, an older count never replaces a newer one, a page too large a share
// of the cache is not kept, and the cache stays within its size.
func TestPageCacheKeep(t *testing.T) {
	var count uint64 = 1
	now := time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)
	p := newPageCache(800, func() uint64 { return count }, func() time.Time { return now })
	page := func(uri string, at uint64) pendingPage {
		return pendingPage{key: pageKey{user: 1, uri: uri}, count: at, at: now}
	}
	body := func(n int) []byte { return []byte(strings.Repeat("x", n)) }

	p.keep(page("/a", 1), body(50))
	if _, ok := p.get(pageKey{user: 1, uri: "/a"}); !ok {
		t.Fatal("a page kept at the current count is not served")
	}
	if _, ok := p.get(pageKey{user: 2, uri: "/a"}); ok {
		t.Error("another user's page is served")
	}
	p.keep(page("/big", 1), body(200))
	if _, ok := p.get(pageKey{user: 1, uri: "/big"}); ok {
		t.Error("a page over an eighth of the cache was kept")
	}
	count = 2
	p.keep(page("/b", 1), body(50))
	if _, ok := p.get(pageKey{user: 1, uri: "/b"}); ok {
		t.Error("a page rendered across a change was kept")
	}
	if _, ok := p.get(pageKey{user: 1, uri: "/a"}); ok {
		t.Error("a page of an older count is served")
	}
	for i := range 40 {
		p.keep(page("/"+strings.Repeat("p", i+1), 2), body(60))
		if p.size > p.limit {
			t.Fatalf("the cache holds %d bytes, over its %d", p.size, p.limit)
		}
	}
	if len(p.pages) == 0 {
		t.Error("a full cache made no room for the newest page")
	}
}
