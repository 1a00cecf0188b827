package web

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/wingtip/multichannel/internal/accounts"
	"github.com/wingtip/multichannel/internal/app"
	"github.com/wingtip/multichannel/internal/argon2id"
	"github.com/wingtip/multichannel/internal/customers"
	"github.com/wingtip/multichannel/internal/demo"
	"github.com/wingtip/multichannel/internal/relationships"
	"github.com/wingtip/multichannel/internal/sqlite"
	"github.com/wingtip/multichannel/internal/testio"
	"github.com/wingtip/multichannel/internal/transfers"
	"github.com/wingtip/multichannel/internal/twofactor"
)

// testApp is the real server on a fresh SQLite file with the demo data,
// served over real HTTP by httptest, assembled as run assembles it.
type testApp struct {
	t      testing.TB
	url    string
	store  *sqlite.Store
	server *Server
	svc    app.Services
	// clock is the one clock of the store, the services and the server.
	clock *testClock
	// The services tests call most, as in svc.
	accounts      *accounts.Service
	customers     *customers.Service
	relationships *relationships.Service
	transfers     *transfers.Service
	logs          *testio.Buffer // everything the server logged
}

// testClock is the wall clock in UTC, moved on by an offset a test adds, or
// stopped at a time a test sets.
type testClock struct {
	mu      sync.Mutex
	offset  time.Duration
	stopped *time.Time
}

func (c *testClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.stopped != nil {
		return *c.stopped
	}
	return time.Now().UTC().Add(c.offset)
}

// advance moves the clock on by d.
func (c *testClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.stopped != nil {
		t := c.stopped.Add(d)
		c.stopped = &t
	}
	c.offset += d
}

// set stops the clock at t, so that what a page computes from it (days
// left) does not depend on how long the test took.
func (c *testClock) set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	t = t.UTC()
	c.stopped = &t
}

// testOptions change how the test app is assembled.
type testOptions struct {
	// mail says an SMTP server is configured, as run says with --smtp-url.
	mail bool
	// seed fills the database instead of the demo data.
	seed func(context.Context, *sqlite.Store, *argon2id.Hasher, *url.URL) error
	// db is the database file, when not a new one in the test's folder.
	db string
	// store are the options the store is opened with.
	store []sqlite.Option
	// health, when set, wraps what the probes ask of the store.
	health func(app.Health) app.Health
	// noPageCache turns the cache of rendered pages off, as
	// --page-cache 0 does.
	noPageCache bool
}

// testPageCache is the test app's page cache, the size the server keeps
// by default, so that every test also shows the cache serves nothing stale.
const testPageCache = 16 << 20

func newTestApp(t testing.TB) *testApp {
	t.Helper()
	return startTestApp(t, testOptions{})
}

// startTestApp is newTestApp assembled with opts.
func startTestApp(t testing.TB, opts testOptions) *testApp {
	t.Helper()
	ctx := context.Background()
	clk := &testClock{}
	path := opts.db
	if path == "" {
		path = filepath.Join(t.TempDir(), "test.db")
	}
	store, err := sqlite.Open(ctx, path, clk.now, opts.store...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	hasher := argon2id.New(argon2id.DefaultParams, 2)
	sealer, err := twofactor.NewSealer([]byte("web test data key, at least 32 bytes long"))
	if err != nil {
		t.Fatal(err)
	}
	httpSrv := httptest.NewUnstartedServer(nil)
	base, _ := url.Parse("http://" + httpSrv.Listener.Addr().String())
	seed := opts.seed
	if seed == nil {
		seed = func(ctx context.Context, store *sqlite.Store, hasher *argon2id.Hasher, base *url.URL) error {
			_, err := demo.Seed(ctx, store, hasher, clk.now(), base)
			return err
		}
	}
	if err := seed(ctx, store, hasher, base); err != nil {
		t.Fatal(err)
	}
	logs := &testio.Buffer{}
	logger := slog.New(slog.NewTextHandler(logs, nil))
	svc := app.New(store, app.Config{BaseURL: base, MailEnabled: opts.mail, Now: clk.now, Hasher: hasher, Sealer: sealer})
	if opts.health != nil {
		svc.Health = opts.health(svc.Health)
	}
	cache := testPageCache
	if opts.noPageCache {
		cache = 0
	}
	srv, err := New(Config{BaseURL: base, SessionKey: []byte(strings.Repeat("k", 32)), Logger: logger, PageCache: cache}, svc)
	if err != nil {
		t.Fatal(err)
	}
	httpSrv.Config.Handler = srv
	httpSrv.Start()
	t.Cleanup(httpSrv.Close)
	return &testApp{t: t, url: httpSrv.URL, store: store, server: srv, svc: svc, clock: clk, accounts: svc.Accounts,
		customers: svc.Customers, relationships: svc.Relationships, transfers: svc.Transfers, logs: logs}
}

// client returns a browser-like client with its own cookie jar that does not
// follow redirects, so tests see every 303.
func (a *testApp) client() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// response is a finished request: its status, headers and body.
type response struct {
	status int
	header http.Header
	body   string
}

func (a *testApp) do(c *http.Client, req *http.Request) response {
	a.t.Helper()
	if req.Method == http.MethodPost && req.Header.Get("Content-Type") == "" {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	res, err := c.Do(req)
	if err != nil {
		a.t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return response{status: res.StatusCode, header: res.Header, body: string(body)}
}

func (a *testApp) get(c *http.Client, path string) response {
	a.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, a.url+path, nil)
	return a.do(c, req)
}

// post sends a same-origin form, as a browser on this site would.
func (a *testApp) post(c *http.Client, path string, form url.Values) response {
	a.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, a.url+path, strings.NewReader(form.Encode()))
	req.Header.Set("Origin", a.url)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return a.do(c, req)
}

// signIn signs a new client in as the demo user with this e-mail address.
func (a *testApp) signIn(email string) *http.Client {
	a.t.Helper()
	c := a.client()
	res := a.post(c, "/login", url.Values{"email": {email}, "password": {demo.Password}})
	if res.status != http.StatusSeeOther {
		a.t.Fatalf("sign in as %s: status %d, body %s", email, res.status, res.body)
	}
	return c
}

// sessionCookie returns the session cookie the client holds for the app.
func (a *testApp) sessionCookie(c *http.Client) *http.Cookie {
	u, _ := url.Parse(a.url)
	for _, ck := range c.Jar.Cookies(u) {
		if ck.Name == sessionCookieName {
			return ck
		}
	}
	return nil
}

const (
	globalAdmin = "avery@wingtip.example"
	adminAgent  = "sam@wingtip.example"
	salesAgent  = "jordan@wingtip.example"
)

// echoContext shortens test handler signatures.
type echoContext = echo.Context
