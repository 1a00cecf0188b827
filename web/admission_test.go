package web

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/wingtip/multichannel/static"
)

// TestPageReadsTakeTurnsAndWritesDoNot fills every read slot: a page waits
// for one, while a write, the probes and a static file go straight in; a
// client that gives up waiting takes no slot, and the page answers once a
// slot is free.
func TestPageReadsTakeTurnsAndWritesDoNot(t *testing.T) {
	app := newTestApp(t)
	admin := app.signIn(globalAdmin)
	other := app.signIn(globalAdmin)
	slots := app.server.readSlots
	for range cap(slots) {
		slots <- struct{}{}
	}

	waiting := make(chan response, 1)
	go func() { waiting <- app.get(admin, "/customers") }()

	for _, path := range []string{"/healthz", "/readyz", "/static/" + static.Version + "/css/print.css"} {
		if res := app.get(app.client(), path); res.status != http.StatusOK {
			t.Errorf("GET %s with every read slot taken: %d", path, res.status)
		}
	}
	if res := app.get(admin, "/planner.csv"); res.status != http.StatusOK {
		t.Errorf("GET /planner.csv with every read slot taken: %d", res.status)
	}
	// Downloads take turns of their own.
	downloads := app.server.downloadSlots
	for range cap(downloads) {
		downloads <- struct{}{}
	}
	short, stop := context.WithTimeout(context.Background(), 100*time.Millisecond)
	download, _ := http.NewRequestWithContext(short, http.MethodGet, app.url+"/planner.csv", nil)
	if res, err := admin.Do(download); err == nil {
		res.Body.Close()
		t.Errorf("GET /planner.csv answered %d with every download slot taken", res.StatusCode)
	}
	stop()
	for range cap(downloads) {
		<-downloads
	}
	if res := app.post(other, "/logout", nil); res.status != http.StatusSeeOther {
		t.Errorf("POST /logout with every read slot taken: %d", res.status)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, app.url+"/audit", nil)
	if res, err := admin.Do(req); err == nil {
		res.Body.Close()
		t.Errorf("GET /audit answered %d with every read slot taken", res.StatusCode)
	} else if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("GET /audit: %v", err)
	}
	select {
	case res := <-waiting:
		t.Fatalf("GET /customers answered %d with every read slot taken", res.status)
	default:
	}
	if len(slots) != cap(slots) {
		t.Errorf("%d of %d slots taken after a client gave up waiting", len(slots), cap(slots))
	}

	<-slots
	if res := <-waiting; res.status != http.StatusOK {
		t.Errorf("GET /customers once a slot was free: %d", res.status)
	}
}
