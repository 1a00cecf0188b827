package web

import (
	"net/http"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
)

// pageCache keeps the HTML of the pages lately rendered for each user, so
// that the same request from the same user is answered again without
// reading or rendering anything, as long as nothing it shows has changed
// since: a person coming back to the dashboard, a second tab, a refresh.
//
// A kept page is good while two things hold. The store's count of the
// committed changes it may show is the one it was rendered at: for the
// book's pages (lists, counts, the audit log) every change (Store.Changes),
// for a customer's own pages (cachedForCustomer) every change but those to
// other customers' subscriptions alone (Store.CustomerChanges), and for the
// pages that show no subscription (cachedWithoutSubscriptions) every change
// but those to subscriptions alone. So a page
// never shows less than what was saved before it was asked for. And it is
// younger than pageFresh on the app's clock: pages say "in 3 days" and "2
// minutes ago", and a write by another process (the partner set command)
// is not counted.
//
// Only the routes the route table wraps in one of those are kept: read pages, which show nothing of the session but its user (not
// the account page with its sessions and addresses). Access is checked
// before, on every request; a session with a flash message to show is
// never served from the cache nor kept in it, since showing the message
// takes it.
type pageCache struct {
	// limit is the bytes of HTML kept at most; 0 turns the cache off.
	limit int
	// changes and customerChanges are the store's counts (app.Services).
	changes         func() uint64
	customerChanges func(customerID int64) uint64
	now             func() time.Time

	mu    sync.Mutex
	pages map[pageKey]keptPage
	size  int
}

// pageFresh is how long a kept page is served.
const pageFresh = time.Second

// maxPageShare bounds one page to a part of the cache, so that a huge page
// does not push out all the others.
const maxPageShare = 8

// pageKey is what a cached page's HTML depends on besides the data: who
// asks, for what address (the query string holding the filters and the
// page), and whether htmx asks for a fragment or the whole page; and which
// subscriptions it shows.
type pageKey struct {
	user  int64
	uri   string
	htmx  string
	scope pageScope
}

// pageScope is which subscriptions a cached page shows: every one
// (allSubscriptions, the book's pages), none (noSubscriptions), or those of
// the customer it is the id of.
type pageScope int64

const (
	allSubscriptions pageScope = 0
	noSubscriptions  pageScope = -1
)

// keptPage is a rendered page, the change count it was rendered at and
// when.
type keptPage struct {
	body  []byte
	count uint64
	at    time.Time
}

// pendingPage is a request that missed the cache: its key, and the change
// count and time read before its handler ran, which its page was rendered
// after. render keeps the page under them.
type pendingPage struct {
	key   pageKey
	count uint64
	at    time.Time
}

// keyPendingPage is the context key of a request's pendingPage.
const keyPendingPage = "pending_page"

func newPageCache(limit int, changes func() uint64, customerChanges func(int64) uint64, now func() time.Time) *pageCache {
	return &pageCache{limit: limit, changes: changes, customerChanges: customerChanges, now: now, pages: map[pageKey]keptPage{}}
}

// cached serves h's page, a page of the book, from the page cache when it
// holds one for the request, and has render keep the page h renders
// otherwise.
func (s *Server) cached(h echo.HandlerFunc) echo.HandlerFunc {
	return s.cachedPage(h, func(echo.Context) (pageScope, bool) { return allSubscriptions, true })
}

// cachedWithoutSubscriptions is cached for a page that shows nothing of any
// subscription (Store.CustomerChanges of customer 0): the relationship
// requests, the GDAP requests.
func (s *Server) cachedWithoutSubscriptions(h echo.HandlerFunc) echo.HandlerFunc {
	return s.cachedPage(h, func(echo.Context) (pageScope, bool) { return noSubscriptions, true })
}

// cachedForCustomer is cached for a page that shows one customer, the one
// of its :id, and nothing of other customers but what their writes to the
// store count for every customer (Store.CustomerChanges).
func (s *Server) cachedForCustomer(h echo.HandlerFunc) echo.HandlerFunc {
	return s.cachedPage(h, func(c echo.Context) (pageScope, bool) {
		id, err := idParam(c, "id")
		return pageScope(id), err == nil // h answers 404 otherwise
	})
}

// cachedPage is cached for pages of the scope scopeOf says, or none when it
// says false.
func (s *Server) cachedPage(h echo.HandlerFunc, scopeOf func(echo.Context) (pageScope, bool)) echo.HandlerFunc {
	return func(c echo.Context) error {
		key, ok := s.pages.keyFor(c)
		if ok {
			key.scope, ok = scopeOf(c)
		}
		if !ok {
			return h(c)
		}
		if body, ok := s.pages.get(key); ok {
			return writePage(c, http.StatusOK, body)
		}
		c.Set(keyPendingPage, pendingPage{key: key, count: s.pages.countOf(key), at: s.pages.now()})
		return h(c)
	}
}

// keyFor is the request's key in the cache, its scope left to the route, or false when the request may not be served from it: the cache is
// off, the request changes something or has no signed-in user, or the
// session has a flash message to show.
func (p *pageCache) keyFor(c echo.Context) (pageKey, bool) {
	if p.limit == 0 || c.Request().Method != http.MethodGet {
		return pageKey{}, false
	}
	user, ok := currentUser(c)
	if !ok || hasFlash(c) {
		return pageKey{}, false
	}
	h := c.Request().Header
	return pageKey{user: user.ID, uri: c.Request().URL.RequestURI(), htmx: h.Get("HX-Request") + "|" + h.Get("HX-Request-Type")}, true
}

// countOf is the change count the page of key depends on.
func (p *pageCache) countOf(key pageKey) uint64 {
	switch key.scope {
	case allSubscriptions:
		return p.changes()
	case noSubscriptions:
		return p.customerChanges(0)
	}
	return p.customerChanges(int64(key.scope))
}

// get returns the kept page of key if it is still good.
func (p *pageCache) get(key pageKey) ([]byte, bool) {
	count := p.countOf(key)
	p.mu.Lock()
	defer p.mu.Unlock()
	page, ok := p.pages[key]
	if !ok {
		return nil, false
	}
	if age := p.now().Sub(page.at); page.count != count || age < 0 || age >= pageFresh {
		p.drop(key, page)
		return nil, false
	}
	return page.body, true
}

// keep keeps a copy of body, the page rendered for pending, unless a change
// it may show was committed since pending's count was read (the page may
// show it or not) or the page is too large a share of the cache.
func (p *pageCache) keep(pending pendingPage, body []byte) {
	size := len(pending.key.uri) + len(body)
	if size > p.limit/maxPageShare || p.countOf(pending.key) != pending.count {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if old, ok := p.pages[pending.key]; ok {
		p.drop(pending.key, old)
	}
	p.makeRoom(size)
	p.pages[pending.key] = keptPage{body: append([]byte(nil), body...), count: pending.count, at: pending.at}
	p.size += size
}

// makeRoom drops pages until size more bytes fit: the stale ones first
// (too old, or of a count that has moved on), then any (the map's order),
// which is enough for pages all kept for about a second.
func (p *pageCache) makeRoom(size int) {
	if p.size+size <= p.limit {
		return
	}
	now, book := p.now(), p.changes()
	for key, page := range p.pages {
		if now.Sub(page.at) >= pageFresh || (key.scope == allSubscriptions && page.count != book) {
			p.drop(key, page)
		}
	}
	for key, page := range p.pages {
		if p.size+size <= p.limit {
			return
		}
		p.drop(key, page)
	}
}

func (p *pageCache) drop(key pageKey, page keptPage) {
	delete(p.pages, key)
	p.size -= len(key.uri) + len(page.body)
}
