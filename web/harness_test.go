package web

import (
	"bytes"
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
	"github.com/wingtip/multichannel/internal/argon2id"
	"github.com/wingtip/multichannel/internal/azure"
	"github.com/wingtip/multichannel/internal/customers"
	"github.com/wingtip/multichannel/internal/demo"
	"github.com/wingtip/multichannel/internal/planner"
	"github.com/wingtip/multichannel/internal/relationships"
	"github.com/wingtip/multichannel/internal/sqlite"
	"github.com/wingtip/multichannel/internal/staff"
	"github.com/wingtip/multichannel/internal/transfers"
	"github.com/wingtip/multichannel/internal/twofactor"
)

// testApp is the real server on a fresh SQLite file with the demo data,
// served over real HTTP by httptest.
type testApp struct {
	t             testing.TB
	url           string
	store         *sqlite.Store
	accounts      *accounts.Service
	server        *Server
	customers     *customers.Service
	relationships *relationships.Service
	transfers     *transfers.Service
	azure         *azure.Service
	logs          *lockedBuffer // everything the server logged
}

// lockedBuffer collects log output written from the server's goroutines.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func newTestApp(t testing.TB) *testApp {
	t.Helper()
	return startTestApp(t, func(ctx context.Context, store *sqlite.Store, hasher *argon2id.Hasher, base *url.URL) error {
		_, err := demo.Seed(ctx, store, hasher, time.Now().UTC(), base)
		return err
	})
}

// startTestApp is newTestApp with the database filled by seed instead of
// the demo data.
func startTestApp(t testing.TB, seed func(context.Context, *sqlite.Store, *argon2id.Hasher, *url.URL) error) *testApp {
	t.Helper()
	ctx := context.Background()
	store, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "test.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	hasher := argon2id.New(argon2id.DefaultParams, 2)
	sealer, err := twofactor.NewSealer([]byte("web test data key, at least 32 bytes long"))
	if err != nil {
		t.Fatal(err)
	}
	acc := accounts.New(store, hasher, sealer)
	httpSrv := httptest.NewUnstartedServer(nil)
	base, _ := url.Parse("http://" + httpSrv.Listener.Addr().String())
	if err := seed(ctx, store, hasher, base); err != nil {
		t.Fatal(err)
	}
	logs := &lockedBuffer{}
	logger := slog.New(slog.NewTextHandler(logs, nil))
	cust := customers.New(store)
	rel := relationships.New(store, cust, base, false)
	trans, az := transfers.New(store), azure.New(store)
	srv, err := New(Config{BaseURL: base, SessionKey: []byte(strings.Repeat("k", 32)), Logger: logger}, store,
		Services{Accounts: acc, Customers: cust, Relationships: rel, Transfers: trans, Planner: planner.New(store), Azure: az,
			Staff: staff.New(store, hasher, base, false)})
	if err != nil {
		t.Fatal(err)
	}
	httpSrv.Config.Handler = srv
	httpSrv.Start()
	t.Cleanup(httpSrv.Close)
	return &testApp{t: t, url: httpSrv.URL, store: store, accounts: acc, customers: cust, relationships: rel, transfers: trans, azure: az, server: srv, logs: logs}
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
