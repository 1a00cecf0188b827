package main

import (
	"bufio"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// Once the grace period is over, stopServer closes a slow client's
// connection, then waits for its handler to return before it returns itself:
// the database closes only after it, so never under a running handler.
func TestStopServerWaitsForTheHandlersOfTheConnectionsItCloses(t *testing.T) {
	release := make(chan struct{})
	returned := make(chan struct{})
	handlers := &inFlight{next: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.ReadAll(r.Body) // never ends until the connection is closed
		<-release                 // work the handler does after that
		close(returned)
	})}
	srv := &http.Server{Handler: handlers, ReadHeaderTimeout: 5 * time.Second}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = srv.Serve(ln) }()
	conn, reply := startSlowRequest(t, ln.Addr().String(), "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n", "partial")
	defer conn.Close()

	stopped := make(chan error, 1)
	go func() { stopped <- stopServer(srv, handlers, 100*time.Millisecond, slog.New(slog.DiscardHandler)) }()
	if _, err := io.Copy(io.Discard, reply); err != nil && !strings.Contains(err.Error(), "reset") {
		t.Fatalf("reading until the server closes the connection: %v", err)
	}
	// The connection is closed; the handler is still at work.
	select {
	case err := <-stopped:
		t.Fatalf("stopServer returned (%v) while a handler was still running", err)
	case <-time.After(200 * time.Millisecond):
	}
	close(release)
	select {
	case err := <-stopped:
		if err != nil {
			t.Fatalf("stopServer: %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("stopServer did not return once the handler had")
	}
	select {
	case <-returned:
	default:
		t.Fatal("stopServer returned before the handler")
	}
}

// startSlowRequest sends head, a request whose Content-Length the body will
// never reach, with Expect: 100-continue; the server's 100 Continue says its
// handler has started reading the body. Then it sends part of the body and
// leaves the request hanging.
func startSlowRequest(t *testing.T, addr, head, part string) (net.Conn, *bufio.Reader) {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprint(conn, head+"Expect: 100-continue\r\n\r\n")
	reply := bufio.NewReader(conn)
	if line, err := reply.ReadString('\n'); err != nil || !strings.Contains(line, "100 Continue") {
		conn.Close()
		t.Fatalf("the handler did not start reading the body: %q, %v", line, err)
	}
	fmt.Fprint(conn, part)
	return conn, reply
}
