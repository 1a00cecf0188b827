package main

import (
	"context"
	"io"
	"net/http"
	"path/filepath"
	"testing"
	"time"
)

// TestAllowedHostsReachTheServer starts the program with --allowed-hosts:
// the base URL's host and the allowed one are answered, any other is 421,
// and the liveness probe answers whatever the Host.
func TestAllowedHostsReachTheServer(t *testing.T) {
	addr := freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		args := []string{"--addr", addr, "--db", filepath.Join(t.TempDir(), "app.db"), "--allowed-hosts", "app.internal:8443, partners.example"}
		done <- run(ctx, args, env(nil), nil, io.Discard, io.Discard)
	}()
	defer func() {
		cancel()
		select {
		case <-done:
		case <-time.After(15 * time.Second):
			t.Error("the server did not shut down")
		}
	}()
	status := func(host, path string) int {
		t.Helper()
		var err error
		for range 100 {
			req, _ := http.NewRequest(http.MethodGet, "http://"+addr+path, nil)
			req.Host = host
			var res *http.Response
			if res, err = http.DefaultClient.Do(req); err == nil {
				res.Body.Close()
				return res.StatusCode
			}
			time.Sleep(50 * time.Millisecond)
		}
		t.Fatalf("the server did not answer: %v", err)
		return 0
	}
	for host, want := range map[string]int{
		addr:                http.StatusOK,
		"app.internal:8443": http.StatusOK,
		"partners.example":  http.StatusOK,
		"app.internal":      http.StatusMisdirectedRequest,
		"evil.example":      http.StatusMisdirectedRequest,
	} {
		if got := status(host, "/login"); got != want {
			t.Errorf("Host %q: %d, want %d", host, got, want)
		}
	}
	if got := status("10.0.0.5", "/healthz"); got != http.StatusOK {
		t.Errorf("healthz by IP address: %d, want 200", got)
	}
}
