package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wingtip/multichannel/internal/app"
	"github.com/wingtip/multichannel/internal/argon2id"
	"github.com/wingtip/multichannel/internal/clock"
	"github.com/wingtip/multichannel/internal/sqlite"
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

// heldHealth counts the store's readiness checks and holds each until
// release is closed, as a writer busy with a long change would.
type heldHealth struct {
	app.Health
	checks  atomic.Int32
	release chan struct{}
}

func (h *heldHealth) Ready(ctx context.Context) (writes, room error) {
	h.checks.Add(1)
	<-h.release
	return h.Health.Ready(ctx)
}

// A flood of probes costs one check: 50 probes at once, while the check waits
// for the writer, share it, and each answers "busy" after a second instead of
// queueing a write transaction of its own; once it has ended its answer
// serves the probes of the next two seconds, and only then does a probe
// start a new check.
func TestReadyzChecksOnceForAFloodOfProbes(t *testing.T) {
	held := &heldHealth{release: make(chan struct{})}
	app := startTestApp(t, testOptions{health: func(h app.Health) app.Health { held.Health = h; return held }})
	var wg sync.WaitGroup
	answers := make([]response, 50)
	for i := range answers {
		wg.Go(func() { answers[i] = app.get(app.client(), "/readyz") })
	}
	wg.Wait()
	for _, res := range answers {
		if res.status != http.StatusOK || res.body != "ready (database busy)\n" {
			t.Fatalf("a probe while the check waits for the writer: %d %q", res.status, res.body)
		}
	}
	if n := held.checks.Load(); n != 1 {
		t.Fatalf("50 probes at once ran %d checks, want 1", n)
	}
	close(held.release)
	for range 5 {
		if res := app.get(app.client(), "/readyz"); res.status != http.StatusOK || res.body != "ready\n" {
			t.Fatalf("a probe once the check has ended: %d %q", res.status, res.body)
		}
	}
	if n := held.checks.Load(); n != 1 {
		t.Fatalf("probes within 2 s of a check ran %d checks, want 1", n)
	}
	app.clock.advance(3 * time.Second)
	app.get(app.client(), "/readyz")
	if n := held.checks.Load(); n != 2 {
		t.Fatalf("a probe 3 s after the check ran %d checks in all, want 2", n)
	}
}

// A store short of room answers 503 with a few fixed words, for anyone may
// ask; the measures (the room left, the size limit) go to the log at WARN.
func TestReadyzTellsTheCauseInFewWordsAndLogsTheDetails(t *testing.T) {
	path := filepath.Join(t.TempDir(), "test.db")
	store, err := sqlite.Open(context.Background(), path, clock.UTC)
	if err != nil {
		t.Fatal(err)
	}
	store.Close()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	app := startTestApp(t, testOptions{db: path, store: []sqlite.Option{sqlite.MaxSize(fi.Size() + 4096)},
		seed: func(context.Context, *sqlite.Store, *argon2id.Hasher, *url.URL) error { return nil }})
	res := app.get(app.client(), "/readyz")
	if res.status != http.StatusServiceUnavailable || res.body != "not ready: disk almost full\n" {
		t.Errorf("readyz on a store at its size limit: %d %q", res.status, res.body)
	}
	logs := app.logs.String()
	if !strings.Contains(logs, "level=WARN msg=\"not ready\"") || !strings.Contains(logs, "left below its size limit") {
		t.Errorf("the log does not say why the store is not ready:\n%s", logs)
	}
}

// unmeasuredHealth is a store on a system whose disk room Ready cannot
// measure (Windows).
type unmeasuredHealth struct{ app.Health }

func (unmeasuredHealth) RoomMeasured() bool { return false }

// Where the disk's free room is not measured, a store that takes writes is
// ready, and the answer says what was not checked.
func TestReadyzSaysWhenTheDiskRoomIsNotMeasured(t *testing.T) {
	app := startTestApp(t, testOptions{health: func(h app.Health) app.Health { return unmeasuredHealth{h} }})
	res := app.get(app.client(), "/readyz")
	if res.status != http.StatusOK || res.body != "ready (the disk's free room is not measured on this system)\n" {
		t.Errorf("readyz where the disk's room is not measured: %d %q", res.status, res.body)
	}
}
