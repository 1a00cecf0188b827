package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// A client that goes away before its answer (here: its request's context is
// cancelled before the server has read the session) is logged as such, 499
// at INFO, not as an internal error with status 500.
func TestAClientThatWentAwayIsLoggedAsSuch(t *testing.T) {
	app := newTestApp(t)
	cookie := app.sessionCookie(app.signIn(globalAdmin))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	req := httptest.NewRequestWithContext(ctx, http.MethodGet, app.url+"/customers", nil)
	req.AddCookie(cookie)
	rec := httptest.NewRecorder()
	app.server.ServeHTTP(rec, req)
	var line string
	for l := range strings.SplitSeq(app.logs.String(), "\n") {
		if strings.Contains(l, "route=/customers") {
			line = l
		}
	}
	if rec.Code != statusClientClosedRequest || !strings.Contains(line, "level=INFO") || !strings.Contains(line, "status=499") {
		t.Errorf("a request whose client went away: %d, logged %q", rec.Code, line)
	}
	if strings.Contains(app.logs.String(), "internal error") {
		t.Errorf("a client that went away was logged as an internal error:\n%s", app.logs.String())
	}
}

// /readyz, public, answers 200 "ready" on a store with room; its 503 on a
// database that refuses writes is held in cmd/multichannel, where the test
// knows the database file and can hold its write lock.
func TestReadyzIsPublic(t *testing.T) {
	app := newTestApp(t)
	res := app.get(app.client(), "/readyz")
	if res.status != http.StatusOK || res.body != "ready\n" || res.header.Get("Cache-Control") != "no-store" {
		t.Fatalf("readyz: %d %q %q", res.status, res.body, res.header.Get("Cache-Control"))
	}
}
