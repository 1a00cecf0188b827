package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"time"
)

// handlerWait bounds how long shutdown waits, once the connections are
// closed, for the handlers still running: a handler waiting for the write
// lock gives up after SQLite's busy timeout (5 s).
const handlerWait = 10 * time.Second

// inFlight counts the requests whose handlers are running, so that shutdown
// can wait for the last one to return before the database closes: the
// http.Server's Close closes connections but does not wait for handlers.
type inFlight struct {
	next http.Handler

	mu      sync.Mutex
	running int
	idle    chan struct{} // closed when running drops to 0; nil when no one waits
}

// ServeHTTP serves one request, counted.
func (f *inFlight) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.running++
	f.mu.Unlock()
	defer f.done()
	f.next.ServeHTTP(w, r)
}

func (f *inFlight) done() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.running--
	if f.running == 0 && f.idle != nil {
		close(f.idle)
		f.idle = nil
	}
}

// wait returns once no handler runs, or with the number still running when
// ctx ends first.
func (f *inFlight) wait(ctx context.Context) error {
	f.mu.Lock()
	if f.running == 0 {
		f.mu.Unlock()
		return nil
	}
	if f.idle == nil {
		f.idle = make(chan struct{})
	}
	idle := f.idle
	f.mu.Unlock()
	select {
	case <-idle:
		return nil
	case <-ctx.Done():
		f.mu.Lock()
		defer f.mu.Unlock()
		return fmt.Errorf("%d request handlers still running: %w", f.running, ctx.Err())
	}
}

// stopServer ends the server for a clean exit: it stops taking connections
// and gives the requests in progress the grace period; then it closes the
// connections still open (a slow client, a body that never ends) and waits
// for their handlers to return, so that the database, closed after this,
// never closes under a running handler. A grace period that ran out is not
// an error: it is what the grace period is for.
func stopServer(srv *http.Server, handlers *inFlight, grace time.Duration, logger *slog.Logger) error {
	ctx, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	err := srv.Shutdown(ctx)
	if errors.Is(err, context.DeadlineExceeded) {
		logger.Warn("shutdown: the grace period is over, closing the connections still open", "grace", grace.String())
		err = srv.Close()
	}
	if err != nil {
		return err
	}
	waitCtx, cancelWait := context.WithTimeout(context.Background(), handlerWait)
	defer cancelWait()
	return handlers.wait(waitCtx)
}
