package main

import (
	"context"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"testing"
	"time"
)

// serveForHosts starts the program with args and returns a function that
// asks it for path under a Host header, and the address it listens on.
func serveForHosts(t *testing.T, args ...string) (func(host, path string) int, string) {
	t.Helper()
	addr := freeAddr(t)
	_, port, _ := net.SplitHostPort(addr)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		args := append([]string{"--addr", ":" + port, "--db", filepath.Join(t.TempDir(), "app.db")}, args...)
		done <- run(ctx, args, env(nil), nil, io.Discard, io.Discard)
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case <-done:
		case <-time.After(15 * time.Second):
			t.Error("the server did not shut down")
		}
	})
	return func(host, path string) int {
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
	}, port
}

// TestAllowedHostsReachTheServer starts the program with --allowed-hosts:
// the base URL's host and the allowed one are answered, any other is 421,
// and the liveness probe answers whatever the Host.
func TestAllowedHostsReachTheServer(t *testing.T) {
	status, port := serveForHosts(t, "--base-url", "http://app.example:8080", "--allowed-hosts", "app.internal:8443, partners.example")
	for host, want := range map[string]int{
		"app.example:8080":  http.StatusOK,
		"app.internal:8443": http.StatusOK,
		"partners.example":  http.StatusOK,
		"app.internal":      http.StatusMisdirectedRequest,
		"evil.example":      http.StatusMisdirectedRequest,
		"localhost:" + port: http.StatusMisdirectedRequest, // a configured base URL is the only name
		"127.0.0.1:" + port: http.StatusMisdirectedRequest,
	} {
		if got := status(host, "/login"); got != want {
			t.Errorf("Host %q: %d, want %d", host, got, want)
		}
	}
	if got := status("10.0.0.5", "/healthz"); got != http.StatusOK {
		t.Errorf("healthz by IP address: %d, want 200", got)
	}
}

// TestTheDefaultBaseURLAnswersEveryLoopbackName starts the program with no
// base URL: this machine is answered as localhost, 127.0.0.1 and [::1] with
// the port it listens on, and no other name or port.
func TestTheDefaultBaseURLAnswersEveryLoopbackName(t *testing.T) {
	status, port := serveForHosts(t)
	for host, want := range map[string]int{
		"localhost:" + port:    http.StatusOK,
		"127.0.0.1:" + port:    http.StatusOK,
		"[::1]:" + port:        http.StatusOK,
		"LocalHost:" + port:    http.StatusOK,
		"127.0.0.1:1":          http.StatusMisdirectedRequest,
		"evil.example:" + port: http.StatusMisdirectedRequest,
	} {
		if got := status(host, "/login"); got != want {
			t.Errorf("Host %q: %d, want %d", host, got, want)
		}
	}
}
