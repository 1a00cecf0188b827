package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wingtip/multichannel/internal/domain"
)

// readsOf returns the read queries the store runs while fn runs.
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

	app.get(viewer, "/")
	app.leaveFlash(viewer, "Saved the thing.")
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

// TestPageCacheKeep: a page rendered while a change it may show was
// committed is not kept, a page is served only while its own count stands
// (a customer's page while that customer's does), a page too large a share
// of the cache is not kept, and the cache stays within its size.
func TestPageCacheKeep(t *testing.T) {
	var book uint64 = 1
	customers := map[int64]uint64{7: 1, 8: 1}
	now := time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)
	p := newPageCache(800, func() uint64 { return book }, func(id int64) uint64 { return customers[id] }, func() time.Time { return now })
	keyOf := func(uri string, customer int64) pageKey {
		return pageKey{user: 1, uri: uri, scope: pageScope(customer)}
	}
	keep := func(key pageKey, size int) {
		p.keep(pendingPage{key: key, count: p.countOf(key), at: now}, []byte(strings.Repeat("x", size)))
	}
	served := func(key pageKey) bool { _, ok := p.get(key); return ok }

	keep(keyOf("/a", 0), 50)
	keep(keyOf("/customers/7", 7), 50)
	keep(keyOf("/customers/8", 8), 50)
	if !served(keyOf("/a", 0)) || !served(keyOf("/customers/7", 7)) {
		t.Fatal("a page kept at the current count is not served")
	}
	if served(pageKey{user: 2, uri: "/a"}) {
		t.Error("another user's page is served")
	}
	keep(keyOf("/big", 0), 200)
	if served(keyOf("/big", 0)) {
		t.Error("a page over an eighth of the cache was kept")
	}
	// A change to customer 8 alone: the book's pages and customer 8's are
	// read again, customer 7's still served.
	book, customers[8] = 2, 2
	if served(keyOf("/a", 0)) || served(keyOf("/customers/8", 8)) {
		t.Error("a page of an older count is served")
	}
	if !served(keyOf("/customers/7", 7)) {
		t.Error("customer 7's page was dropped by a change to customer 8")
	}
	pending := pendingPage{key: keyOf("/b", 0), count: p.countOf(keyOf("/b", 0)), at: now}
	book = 3
	p.keep(pending, []byte("rendered across a change"))
	if served(keyOf("/b", 0)) {
		t.Error("a page rendered across a change was kept")
	}
	for i := range 40 {
		keep(keyOf("/"+strings.Repeat("p", i+1), 0), 60)
		if p.size > p.limit {
			t.Fatalf("the cache holds %d bytes, over its %d", p.size, p.limit)
		}
	}
	if len(p.pages) == 0 {
		t.Error("a full cache made no room for the newest page")
	}
}

// customerPagePaths are the addresses of the pages cachedForCustomer keeps
// for customer id.
func customerPagePaths(id int64) []string {
	base := fmt.Sprintf("/customers/%d", id)
	return []string{base, base + "/subscriptions", base + "/plan"}
}

// TestCustomerPagesShowNothingOfOtherCustomersSubscriptions is what lets a
// customer's pages stay cached while others' subscriptions change, and the
// relationship and GDAP lists while any do: every
// demo customer's page, inventory and plan, read and rendered afresh (the
// page cache off), are the same bytes after subscriptions of other
// customers were added, edited, classified and removed (the writes the
// store counts for their customer alone), and differ after the same change
// to their own; the lists of relationship and GDAP requests, in every tab
// asked, stay the same bytes throughout.
func TestCustomerPagesShowNothingOfOtherCustomersSubscriptions(t *testing.T) {
	app := startTestApp(t, testOptions{noPageCache: true})
	app.clock.set(time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC))
	c := app.signIn(globalAdmin)
	ctx := t.Context()
	all, _, err := app.store.ListCustomers(ctx, domain.CustomerQuery{Page: domain.Page{Number: 1, Size: 50}})
	if err != nil || len(all) < 5 {
		t.Fatalf("demo customers: %d, %v", len(all), err)
	}
	pagesOf := func(id int64) []string {
		var bodies []string
		for _, path := range customerPagePaths(id) {
			res := app.get(c, path)
			if res.status != http.StatusOK {
				t.Fatalf("%s: %d", path, res.status)
			}
			bodies = append(bodies, res.body)
		}
		return bodies
	}
	actor := domain.Actor{UserID: 1, ClientIP: "192.0.2.7"}
	changeSubscriptions := func(customer int64) {
		added, err := app.svc.Customers.AddSubscription(ctx, actor, domain.Subscription{CustomerID: customer, Product: "Visio Plan 2",
			ServiceType: domain.ServiceLicence, Channel: domain.ChannelOtherCSP, Quantity: 3})
		if err != nil {
			t.Fatal(err)
		}
		sub := added.Item.Subscription
		sub.Quantity, sub.Notes = 4, "edited"
		edited, err := app.svc.Customers.UpdateSubscription(ctx, actor, sub)
		if err != nil {
			t.Fatal(err)
		}
		sub = edited.Item.Subscription
		classified, err := app.svc.Customers.Classify(ctx, actor, customer, sub.ID, sub.Version, domain.ChannelMicrosoftDirect, domain.ServiceLicence)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := app.svc.Customers.RemoveSubscription(ctx, actor, customer, sub.ID, classified.Item.Subscription.Version); err != nil {
			t.Fatal(err)
		}
		// One kept, so that the customer's pages show a change.
		if _, err := app.svc.Customers.AddSubscription(ctx, actor, domain.Subscription{CustomerID: customer, Product: "Project Plan 3",
			ServiceType: domain.ServiceLicence, Channel: domain.ChannelOtherCSP, Quantity: 2}); err != nil {
			t.Fatal(err)
		}
	}
	before := map[int64][]string{}
	for _, cu := range all {
		before[cu.Customer.ID] = pagesOf(cu.Customer.ID)
	}
	// The pages cachedWithoutSubscriptions keeps, which no subscription
	// changes at all.
	withoutSubscriptions := []string{"/relationships", "/relationships?status=all", "/relationships?status=pending", gdapListPath, gdapListPath + "?status=all"}
	unchanged := map[string]string{}
	for _, path := range withoutSubscriptions {
		unchanged[path] = app.get(c, path).body
	}
	for _, changed := range []domain.CustomerListItem{all[0], all[2], all[len(all)-1]} {
		changeSubscriptions(changed.Customer.ID)
		for _, cu := range all {
			after := pagesOf(cu.Customer.ID)
			for i, path := range customerPagePaths(cu.Customer.ID) {
				same := after[i] == before[cu.Customer.ID][i]
				if cu.Customer.ID != changed.Customer.ID && !same {
					t.Errorf("%s (%s) changed with the subscriptions of %s", path, cu.Customer.Name, changed.Customer.Name)
				}
				if cu.Customer.ID == changed.Customer.ID && same {
					t.Errorf("%s (%s) did not change with its own subscriptions", path, cu.Customer.Name)
				}
			}
			before[cu.Customer.ID] = after
		}
		for _, path := range withoutSubscriptions {
			if res := app.get(c, path); res.status != http.StatusOK || res.body != unchanged[path] {
				t.Errorf("%s changed with the subscriptions of %s (status %d)", path, changed.Customer.Name, res.status)
			}
		}
	}
}

// TestPageCacheKeepsCustomerPagesAcrossOtherCustomersChanges: with the
// cache on, a customer's plan is served again after another customer's
// subscription was added, while the book's pages are read again; after a
// subscription of its own it is read again and shows it.
func TestPageCacheKeepsCustomerPagesAcrossOtherCustomersChanges(t *testing.T) {
	app := newTestApp(t)
	app.clock.set(time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC))
	c := app.signIn(globalAdmin)
	ctx := t.Context()
	contoso, fabrikam := app.customerID("Contoso"), app.customerID("Fabrikam")
	plan := fmt.Sprintf("/customers/%d/plan", contoso)
	app.get(c, plan)
	app.get(c, "/")
	actor := domain.Actor{UserID: 1, ClientIP: "192.0.2.7"}
	add := func(customer int64, product string) {
		if _, err := app.svc.Customers.AddSubscription(ctx, actor, domain.Subscription{CustomerID: customer, Product: product,
			ServiceType: domain.ServiceLicence, Channel: domain.ChannelOtherCSP, Quantity: 3}); err != nil {
			t.Fatal(err)
		}
	}
	add(fabrikam, "Visio Plan 2")
	if reads := app.readsOf(func() { app.get(c, plan) }); len(reads) != 1 {
		t.Errorf("Contoso's plan ran %d reads after a subscription of Fabrikam's: not served from the cache", len(reads))
	}
	if reads := app.readsOf(func() { app.get(c, "/") }); len(reads) < 2 {
		t.Errorf("the dashboard ran %d reads after a subscription was added: served from the cache", len(reads))
	}
	add(contoso, "Project Plan 3")
	if res := app.get(c, plan); !strings.Contains(res.body, "Project Plan 3") {
		t.Error("Contoso's plan does not show the subscription just added to it")
	}
}
