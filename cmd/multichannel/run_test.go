package main

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/wingtip/multichannel/internal/clock"
	"github.com/wingtip/multichannel/internal/sqlite"
	"github.com/wingtip/multichannel/internal/testio"
)

func env(vars map[string]string) func(string) string {
	return func(k string) string { return vars[k] }
}

func TestFlagsWinOverTheEnvironment(t *testing.T) {
	e := env(map[string]string{"MULTICHANNEL_ADDR": "127.0.0.1:9000", "MULTICHANNEL_DB": "/tmp/env.db", "MULTICHANNEL_BASE_URL": "https://env.example"})
	cfg, err := parseServeFlags(nil, e, io.Discard)
	if err != nil || cfg.addr != "127.0.0.1:9000" || cfg.dbPath != "/tmp/env.db" || cfg.baseURL != "https://env.example" {
		t.Fatalf("from the environment: %+v, %v", cfg, err)
	}
	cfg, err = parseServeFlags([]string{"--addr", ":7000", "--db", "x.db", "--demo"}, e, io.Discard)
	if err != nil || cfg.addr != ":7000" || cfg.dbPath != "x.db" || !cfg.demo || cfg.baseURL != "https://env.example" {
		t.Fatalf("flags over the environment: %+v, %v", cfg, err)
	}
	cfg, _ = parseServeFlags([]string{"--addr", "127.0.0.1:9000"}, env(nil), io.Discard)
	if cfg.baseURL != "http://127.0.0.1:9000" {
		t.Fatalf("base URL does not follow --addr: %q", cfg.baseURL)
	}
	cfg, _ = parseServeFlags(nil, env(nil), io.Discard)
	if cfg.addr != ":8080" || cfg.dbPath != "data/multichannel.db" || cfg.baseURL != "http://localhost:8080" || cfg.demo {
		t.Fatalf("defaults: %+v", cfg)
	}
}

func TestParseProxies(t *testing.T) {
	nets, err := parseProxies("10.0.0.1, 192.168.0.0/16,::1")
	if err != nil || len(nets) != 3 || nets[0].String() != "10.0.0.1/32" || nets[2].String() != "::1/128" {
		t.Fatalf("parseProxies = %v, %v", nets, err)
	}
	if _, err := parseProxies("proxy.example"); err == nil {
		t.Fatal("a host name was accepted as a trusted proxy")
	}
}

func TestParseSize(t *testing.T) {
	for in, want := range map[string]int64{"": 0, "4096": 4096, "500MB": 500_000_000, "2 GiB": 2 << 30, "64kib": 64 << 10, "1TB": 1e12} {
		if got, err := parseSize(in); err != nil || got != want {
			t.Errorf("parseSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"MB", "-1MB", "0", "1.5GB", "10 parsecs", "9999999999TiB"} {
		if got, err := parseSize(in); err == nil {
			t.Errorf("parseSize(%q) = %d, want an error", in, got)
		}
	}
}

func TestParsePageCache(t *testing.T) {
	for in, want := range map[string]int{"0": 0, " 0 ": 0, "16MB": 16_000_000, "1MiB": 1 << 20} {
		if got, err := parsePageCache(in); err != nil || got != want {
			t.Errorf("parsePageCache(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "-1", "off", "3GB"} {
		if got, err := parsePageCache(in); err == nil {
			t.Errorf("parsePageCache(%q) = %d, want an error", in, got)
		}
	}
}

func TestGeneratedSessionKeyIsKeptPrivateAndReused(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "app.db")
	key, err := secretKey("session key", "session.key", "", db)
	if err != nil || len(key) < 32 {
		t.Fatalf("generated key: %d bytes, %v", len(key), err)
	}
	info, err := os.Stat(filepath.Join(dir, "session.key"))
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("key file mode: %v, %v", info, err)
	}
	again, _ := secretKey("session key", "session.key", "", db)
	if !bytes.Equal(key, again) {
		t.Fatal("a second start generated another key")
	}
	if _, err := secretKey("session key", "session.key", "short", db); err == nil {
		t.Fatal("a short configured key was accepted")
	}
	if err := os.Chmod(filepath.Join(dir, "session.key"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := secretKey("session key", "session.key", "", db); err == nil || !strings.Contains(err.Error(), "chmod 600") {
		t.Fatalf("a key file readable by others was used: %v", err)
	}
}

func TestUserAddAndPartnerSet(t *testing.T) {
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "cli.db")
	e := env(map[string]string{"MULTICHANNEL_DB": db})
	var out bytes.Buffer
	err := run(ctx, []string{"user", "add", "--email", "Kim@Contoso.Example", "--name", "Kim Akers", "--role", "admin_agent"},
		e, strings.NewReader("a-long-password\n"), &out, io.Discard)
	if err != nil || !strings.Contains(out.String(), "kim@contoso.example (Admin agent)") {
		t.Fatalf("user add: %v, %q", err, out.String())
	}
	err = run(ctx, []string{"user", "add", "--email", "x@contoso.example", "--name", "X", "--role", "owner"}, e, strings.NewReader("short\n"), io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "--role") || !strings.Contains(err.Error(), "password (stdin)") {
		t.Fatalf("invalid user add: %v", err)
	}
	if err := run(ctx, []string{"partner", "set", "--name", "Contoso Partners", "--partner-id", "1234567", "--cloud", "us_government"}, e, nil, io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	if err := run(ctx, []string{"partner", "set", "--name", "X", "--partner-id", "12"}, e, nil, io.Discard, io.Discard); err == nil {
		t.Fatal("an invalid PartnerID was accepted")
	}
	// A GDAP link is not a reseller link, and a commercial partner's link is
	// checked against its Microsoft ID.
	gdap := "https://admin.microsoft.com/AdminPortal/Home#/partners/invitation/granularAdminRelationships/1-2"
	if err := run(ctx, []string{"partner", "set", "--name", "X", "--partner-id", "1234567", "--reseller-link", gdap}, e, nil, io.Discard, io.Discard); err == nil ||
		!strings.Contains(err.Error(), "--reseller-link") {
		t.Fatalf("a GDAP link as the reseller link: %v", err)
	}
	store, err := sqlite.Open(ctx, db, clock.UTC)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	u, err := store.UserByEmail(ctx, "kim@contoso.example")
	if err != nil || u.Name != "Kim Akers" || !strings.HasPrefix(u.PasswordHash, "$argon2id$") {
		t.Fatalf("stored user: %+v, %v", u, err)
	}
	p, err := store.Partner(ctx)
	if err != nil || p.Name != "Contoso Partners" || p.Cloud != "us_government" {
		t.Fatalf("stored partner: %+v, %v", p, err)
	}
}

// freeAddr returns a port that was free a moment ago, for a test that must
// know the app's address before it starts (its base URL); another process
// may take the port meanwhile. Tests that need not know it listen on port 0
// and read the address with listeningAddr.
func freeAddr(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// listeningAddr waits for the start-up line in which the program says the
// address it listens on, as it does for --addr 127.0.0.1:0, and returns that
// address; a program that stops first fails the test (its result is put back
// in done).
func listeningAddr(t *testing.T, out, logs *testio.Buffer, done chan error) string {
	t.Helper()
	listening := regexp.MustCompile(`listening on ([^ ,]+),`)
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if m := listening.FindStringSubmatch(out.String()); m != nil {
			return m[1]
		}
		select {
		case err := <-done:
			done <- err
			t.Fatalf("the program stopped at start: %v\nstdout: %s\nstderr: %s", err, out, logs)
		default:
		}
	}
	t.Fatalf("the program did not say where it listens:\nstdout: %s\nstderr: %s", out, logs)
	return ""
}

// TestServeWithDemoDataAndGracefulShutdown starts the real program, checks
// that it answers, then cancels its context as SIGINT would.
func TestServeWithDemoDataAndGracefulShutdown(t *testing.T) {
	db := filepath.Join(t.TempDir(), "data", "app.db")
	ctx, cancel := context.WithCancel(context.Background())
	var out, logs testio.Buffer // read while the server prints
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"--demo"}, env(map[string]string{"MULTICHANNEL_ADDR": "127.0.0.1:0", "MULTICHANNEL_DB": db}), nil, &out, &logs)
	}()
	addr := listeningAddr(t, &out, &logs, done)
	res, err := http.Get("http://" + addr + "/healthz")
	if err != nil {
		t.Fatalf("server did not answer: %v", err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("healthz: %d", res.StatusCode)
	}
	for _, want := range []string{"avery@wingtip.example", "sam@wingtip.example", "jordan@wingtip.example", "multichannel-demo", "Demo data was added"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("start-up output lacks %q: %s", want, out.String())
		}
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("shutdown: %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("the server did not shut down")
	}
}

// /readyz answers 503, saying why in a few words, while the database refuses
// writes (here another process holds its write lock longer than the app
// waits for it), and 200 again once it takes them; SQLite's words go to the
// log, not into the public answer. /healthz, the liveness probe, stays 200
// throughout, since restarting the app would not help. The probe keeps a
// check's answer for 2 s, and a check waits up to 5 s for the lock, hence
// the polling.
func TestReadyzSaysWhenTheDatabaseRefusesWrites(t *testing.T) {
	a := startApp(t, "")
	get := func(path string) (int, string) {
		t.Helper()
		res, err := http.Get(a.base + path)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		body, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(body)
	}
	until := func(want int) (int, string) {
		t.Helper()
		for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(200 * time.Millisecond) {
			if status, body := get("/readyz"); status == want || time.Now().After(deadline) {
				return status, body
			}
		}
	}
	if status, body := get("/readyz"); status != http.StatusOK || body != "ready\n" {
		t.Fatalf("readyz on a healthy database: %d %q", status, body)
	}
	other, err := sql.Open("sqlite3", "file:"+a.dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	lock, err := other.Begin()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := lock.Exec(`DELETE FROM sessions WHERE 0`); err != nil {
		t.Fatal(err)
	}
	status, body := until(http.StatusServiceUnavailable)
	if status != http.StatusServiceUnavailable || body != "not ready: database refuses writes\n" {
		t.Errorf("readyz while the database refuses writes: %d %q", status, body)
	}
	if !strings.Contains(a.errs.String(), "database is locked") {
		t.Errorf("the log does not say why the database refuses writes:\n%s", a.errs)
	}
	if status, _ := get("/healthz"); status != http.StatusOK {
		t.Errorf("healthz while the database refuses writes: %d", status)
	}
	if err := lock.Rollback(); err != nil {
		t.Fatal(err)
	}
	if status, body := until(http.StatusOK); status != http.StatusOK {
		t.Errorf("readyz once the lock is gone: %d %q", status, body)
	}
}

// A stop signal with a slow client, a request whose body never ends, still
// ends cleanly once the grace period is over: the slow connection is closed,
// its handler returns and is logged, and only then does run return (and the
// database close), with no error. It used to return "context deadline
// exceeded", so the program exited 1 with the handler still running.
func TestShutdownWithASlowClientEndsCleanlyAfterTheGracePeriod(t *testing.T) {
	db := filepath.Join(t.TempDir(), "app.db")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out, logs testio.Buffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"--demo", "--db", db, "--addr", "127.0.0.1:0", "--shutdown-grace", "1s"}, env(nil), nil, &out, &logs)
	}()
	conn := startSlowLogin(t, listeningAddr(t, &out, &logs, done))
	defer conn.Close()

	stopped := time.Now()
	cancel()
	select {
	case err := <-done:
		took := time.Since(stopped)
		t.Logf("run returned %v after %v", err, took.Round(time.Millisecond))
		if err != nil {
			t.Fatalf("shutdown with a slow client: %v\n%s", err, logs.String())
		}
		if took < time.Second {
			t.Errorf("run returned after %v, before the 1 s grace period was over", took)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("the server did not shut down")
	}
	if !strings.Contains(logs.String(), "route=/login status=499") {
		t.Errorf("the slow request's handler had not returned when run did, or its end was not logged as a client gone (499):\n%s", logs.String())
	}
	if strings.Contains(logs.String(), "database is closed") || strings.Contains(logs.String(), "level=ERROR") {
		t.Errorf("errors at shutdown:\n%s", logs.String())
	}
}

// startSlowLogin starts a sign-in whose body never ends on the program
// listening at addr, with its default base URL (http://localhost:8080, as
// for port 0) in Host and Origin.
func startSlowLogin(t *testing.T, addr string) net.Conn {
	t.Helper()
	conn, _ := startSlowRequest(t, addr, "POST /login HTTP/1.1\r\nHost: localhost:8080\r\nOrigin: http://localhost:8080\r\nSec-Fetch-Site: same-origin\r\n"+
		"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n", "email=slow%40client.example&password=")
	return conn
}

// TestMainProcess is the program, main with its signals, when a test runs
// this test binary again with MULTICHANNEL_TEST_MAIN set; the configuration
// comes from the environment. Otherwise it skips.
func TestMainProcess(t *testing.T) {
	if os.Getenv("MULTICHANNEL_TEST_MAIN") == "" {
		t.Skip("the program of TestASecondSignalStopsTheProgramAtOnce")
	}
	os.Args = []string{"multichannel"}
	main()
}

// A second SIGTERM (or Ctrl-C) during the shutdown ends the program at once:
// the first gives the signals back to the system and says so at WARN, so the
// second is not swallowed while a slow client holds the shutdown for its
// grace period (60 s here). The program runs in a process of its own, since
// a signal's default action ends the process.
func TestASecondSignalStopsTheProgramAtOnce(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Windows has no SIGTERM")
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestMainProcess$")
	cmd.Env = append(os.Environ(), "MULTICHANNEL_TEST_MAIN=1", "MULTICHANNEL_ADDR=127.0.0.1:0",
		"MULTICHANNEL_DB="+filepath.Join(t.TempDir(), "app.db"), "MULTICHANNEL_SHUTDOWN_GRACE=60s", "MULTICHANNEL_BASE_URL=")
	var out, logs testio.Buffer
	cmd.Stdout, cmd.Stderr = &out, &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	conn := startSlowLogin(t, listeningAddr(t, &out, &logs, exited))
	defer conn.Close()

	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(30 * time.Second); !strings.Contains(logs.String(), "press Ctrl-C again"); time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("the first signal did not say that a second stops at once:\n%s\n%s", logs.String(), out.String())
		}
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-exited:
		var exit *exec.ExitError
		if !errors.As(err, &exit) || exit.Success() {
			t.Errorf("the program stopped by a second signal exited with %v, want a failure", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatalf("the second signal did not stop the program (grace period 60 s):\n%s", logs.String())
	}
}
