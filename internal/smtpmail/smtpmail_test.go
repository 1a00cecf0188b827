package smtpmail

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wingtip/multichannel/internal/domain"
	"github.com/wingtip/multichannel/internal/smtptest"
	"github.com/wingtip/multichannel/internal/sqlite"
	"github.com/wingtip/multichannel/internal/testio"
)

const (
	testUser     = "mailer@wingtip.example"
	testPassword = "s3cret:p@ss"
)

// startServer starts the test SMTP server on addr ("127.0.0.1:0" for any
// free port), requiring AUTH PLAIN with testUser and testPassword.
func startServer(t *testing.T, addr string) *smtptest.Server {
	t.Helper()
	return smtptest.Start(t, addr, testUser, testPassword)
}

// serverConfig is the configuration for the server at addr, parsed from an
// SMTP URL with the given password.
func serverConfig(t *testing.T, addr, password string) Config {
	t.Helper()
	host, port, _ := net.SplitHostPort(addr)
	cfg, err := ParseURL("smtp://mailer%40wingtip.example:" + strings.ReplaceAll(password, "@", "%40") + "@" + net.JoinHostPort(host, port) +
		"?from=Wingtip+%3Cinvites%40wingtip.example%3E")
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

func TestParseURL(t *testing.T) {
	for _, tc := range []struct {
		raw      string
		want     Config
		redacted string
	}{
		{
			"smtp://mailer%40wingtip.example:p%40ss%3Aw%2Frd@smtp.wingtip.example",
			Config{Host: "smtp.wingtip.example", Port: 587, Username: "mailer@wingtip.example", Password: "p@ss:w/rd", From: "mailer@wingtip.example"},
			"smtp://mailer%40wingtip.example:xxxxx@smtp.wingtip.example:587?from=mailer%40wingtip.example",
		},
		{
			"smtps://apikey:p%40ss%3Aw%2Frd@smtp.mail.example:2465",
			Config{Host: "smtp.mail.example", Port: 2465, Username: "apikey", Password: "p@ss:w/rd", From: "noreply@smtp.mail.example", ImplicitTLS: true},
			"smtps://apikey:xxxxx@smtp.mail.example:2465?from=noreply%40smtp.mail.example",
		},
		{
			"smtps://apikey:p%40ss%3Aw%2Frd@smtp.mail.example",
			Config{Host: "smtp.mail.example", Port: 465, Username: "apikey", Password: "p@ss:w/rd", From: "noreply@smtp.mail.example", ImplicitTLS: true},
			"smtps://apikey:xxxxx@smtp.mail.example:465?from=noreply%40smtp.mail.example",
		},
		{
			"SMTP://relay.internal:2525/?from=Wingtip+%3Cinvites%40wingtip.example%3E",
			Config{Host: "relay.internal", Port: 2525, From: "Wingtip <invites@wingtip.example>"},
			"smtp://relay.internal:2525?from=Wingtip+%3Cinvites%40wingtip.example%3E",
		},
		{
			"smtp://user-only@relay.internal",
			Config{Host: "relay.internal", Port: 587, Username: "user-only", From: "noreply@relay.internal"},
			"smtp://user-only@relay.internal:587?from=noreply%40relay.internal",
		},
	} {
		t.Run(tc.raw, func(t *testing.T) {
			got, err := ParseURL(tc.raw)
			if err != nil || got != tc.want {
				t.Fatalf("ParseURL = %+v, %v; want %+v", got, err, tc.want)
			}
			if r := got.Redacted(); r != tc.redacted {
				t.Errorf("Redacted = %q; want %q", r, tc.redacted)
			}
			// Printed or logged by mistake, a Config still hides its password.
			var logged bytes.Buffer
			slog.New(slog.NewTextHandler(&logged, nil)).Info("config", "smtp", got)
			for _, shown := range []string{fmt.Sprint(got), fmt.Sprintf("%+v", got), logged.String()} {
				if got.Password != "" && (strings.Contains(shown, got.Password) || strings.Contains(shown, "p%40ss")) {
					t.Errorf("the password shows in %q", shown)
				}
			}
		})
	}

	for _, raw := range []string{
		"",
		"http://user:s3cret@smtp.example",
		"smtp://user:s3cret@",
		"smtp://user:s3cret@:587",
		"smtp://user:s3cret@smtp.example:0",
		"smtp://user:s3cret@smtp.example:70000",
		"smtp://user:s3cret@smtp.example:abc",
		"smtp://user:s3cret@smtp.example/path",
		"smtp://user:s3cret@smtp.example?form=a%40b.example",
		"smtp://user:s3cret@smtp.example?from=not-an-address",
		"smtp://user:s3 cret@smtp.example",
		"smtp:user@smtp.example",
	} {
		t.Run("invalid "+raw, func(t *testing.T) {
			cfg, err := ParseURL(raw)
			if err == nil {
				t.Fatalf("ParseURL(%q) = %+v; want an error", raw, cfg)
			}
			if strings.Contains(err.Error(), "s3cret") || strings.Contains(err.Error(), "s3 cret") {
				t.Errorf("the error shows the password: %v", err)
			}
		})
	}
}

func TestBackoff(t *testing.T) {
	for _, tc := range []struct {
		attempts int
		want     time.Duration
	}{
		{1, 30 * time.Second},
		{2, time.Minute},
		{3, 2 * time.Minute},
		{7, 32 * time.Minute},
		{8, time.Hour},
		{10, time.Hour},
		{11, time.Hour},
		{10000, time.Hour},
	} {
		if got := backoff(tc.attempts); got != tc.want {
			t.Errorf("backoff(%d) = %v; want %v", tc.attempts, got, tc.want)
		}
	}
}

func TestSendDeliversWithAuth(t *testing.T) {
	ts := startServer(t, "127.0.0.1:0")
	ctx := context.Background()
	subject := "Einladung: Wingtip möchte Ihr Reseller werden"
	body := "Guten Tag Frau Müller,\n\nbitte öffnen Sie https://partner.example/invite/TOKEN123 um die Anfrage anzunehmen.\n" +
		strings.Repeat("Eine lange Zeile, die umbrochen werden muss. ", 5) + "\n"
	if err := NewSender(serverConfig(t, ts.Addr, testPassword)).Send(ctx, "ga@customer.example", subject, body); err != nil {
		t.Fatalf("Send: %v", err)
	}
	got := ts.Received()
	if len(got) != 1 {
		t.Fatalf("server received %d messages; want 1", len(got))
	}
	if got[0].From != "invites@wingtip.example" || fmt.Sprint(got[0].To) != "[ga@customer.example]" {
		t.Errorf("envelope from %q to %v", got[0].From, got[0].To)
	}
	m := got[0].Decode(t)
	if m.Subject != subject || m.Body != body {
		t.Errorf("subject %q, body %q; want %q, %q", m.Subject, m.Body, subject, body)
	}
	if !strings.Contains(m.To, "ga@customer.example") || !strings.Contains(m.From, "invites@wingtip.example") {
		t.Errorf("headers To %q, From %q", m.To, m.From)
	}
	if ct := strings.ToLower(m.ContentType); !strings.HasPrefix(ct, "text/plain") || !strings.Contains(ct, "charset=utf-8") {
		t.Errorf("Content-Type %q; want plain text in UTF-8", m.ContentType)
	}

	t.Run("wrong password", func(t *testing.T) {
		err := NewSender(serverConfig(t, ts.Addr, "wrong")).Send(ctx, "ga@customer.example", "x", "y")
		if err == nil || !strings.Contains(err.Error(), "AUTH") {
			t.Errorf("Send with a wrong password = %v; want an SMTP AUTH error", err)
		}
		if n := len(ts.Received()); n != 1 {
			t.Errorf("server holds %d messages; the refused one must not arrive", n)
		}
	})
	t.Run("no user", func(t *testing.T) {
		cfg := serverConfig(t, ts.Addr, testPassword)
		cfg.Username, cfg.Password = "", ""
		// Without credentials the client must not authenticate, and this
		// server refuses mail from a client that did not.
		err := NewSender(cfg).Send(ctx, "ga@customer.example", "x", "y")
		if err == nil || !strings.Contains(err.Error(), "Please authenticate first") || len(ts.Received()) != 1 {
			t.Errorf("Send without a user = %v; want the server's refusal", err)
		}
	})
}

// memQueue is the outbox in memory, with the store's rules: only queued
// messages can be marked, and a message is due when its next attempt has come.
type memQueue struct {
	mu   sync.Mutex
	msgs []*memMessage
}

type memMessage struct {
	domain.EmailMessage
	next time.Time
}

func (q *memQueue) add(m domain.EmailMessage) {
	q.mu.Lock()
	defer q.mu.Unlock()
	m.Status = domain.MessageQueued
	q.msgs = append(q.msgs, &memMessage{EmailMessage: m})
}

func (q *memQueue) get(id int64) memMessage {
	q.mu.Lock()
	defer q.mu.Unlock()
	for _, m := range q.msgs {
		if m.ID == id {
			return *m
		}
	}
	return memMessage{}
}

func (q *memQueue) DueOutbox(_ context.Context, now time.Time, limit int) ([]domain.EmailMessage, error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	var due []domain.EmailMessage
	for _, m := range q.msgs {
		if m.Status == domain.MessageQueued && !m.next.After(now) && len(due) < limit {
			due = append(due, m.EmailMessage)
		}
	}
	return due, nil
}

func (q *memQueue) MarkOutboxSent(_ context.Context, id int64, at time.Time, scrubbedBody string) error {
	return q.update(id, func(m *memMessage) {
		m.Status, m.SentAt, m.Body, m.LastError = domain.MessageSent, &at, scrubbedBody, ""
	})
}

func (q *memQueue) MarkOutboxFailed(_ context.Context, id int64, attempts int, lastErr string, next time.Time) error {
	return q.update(id, func(m *memMessage) { m.Attempts, m.LastError, m.next = attempts, lastErr, next })
}

func (q *memQueue) MarkOutboxUndeliverable(_ context.Context, id int64, attempts int, reason string) error {
	return q.update(id, func(m *memMessage) { m.Status, m.Attempts, m.LastError = domain.MessageFailed, attempts, reason })
}

func (q *memQueue) update(id int64, change func(*memMessage)) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	for _, m := range q.msgs {
		if m.ID == id && m.Status == domain.MessageQueued {
			change(m)
			return nil
		}
	}
	return domain.ErrMessageNotQueued
}

// testClock is a settable clock for the worker.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

const (
	invitationSubject = "Invitation from Wingtip Toys"
	invitationBody    = "Hello Ada,\nplease open https://partner.example/invite/TOKEN123 to accept.\n"
)

func scrubToken(body string) string { return strings.ReplaceAll(body, "TOKEN123", "[link removed]") }

// newTestWorker returns a worker on q sending to cfg, with its clock and log.
func newTestWorker(q Queue, cfg Config) (*Worker, *testClock, *testio.Buffer) {
	clock := &testClock{t: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	logs := &testio.Buffer{}
	w := NewWorker(q, NewSender(cfg), scrubToken, slog.New(slog.NewTextHandler(logs, nil)), clock.now)
	return w, clock, logs
}

// assertLogsArePrivate fails when the log shows the recipient's address, the
// subject, or any part of the body.
func assertLogsArePrivate(t *testing.T, logs string) {
	t.Helper()
	for _, secret := range []string{"ada@customer.example", invitationSubject, "TOKEN123", "Hello Ada", "partner.example/invite"} {
		if strings.Contains(logs, secret) {
			t.Errorf("the log shows %q:\n%s", secret, logs)
		}
	}
	if !strings.Contains(logs, "to_domain=customer.example") || !strings.Contains(logs, "outbox_id=7") {
		t.Errorf("the log lacks the message id or the recipient's domain:\n%s", logs)
	}
}

func TestWorkerDeliversAndScrubs(t *testing.T) {
	ts := startServer(t, "127.0.0.1:0")
	q := &memQueue{}
	q.add(domain.EmailMessage{ID: 7, To: "ada@customer.example", Subject: invitationSubject, Body: invitationBody})
	w, clock, logs := newTestWorker(q, serverConfig(t, ts.Addr, testPassword))

	sent, failed, err := w.RunOnce(context.Background())
	if err != nil || sent != 1 || failed != 0 {
		t.Fatalf("RunOnce = %d sent, %d failed, %v; want 1, 0, nil", sent, failed, err)
	}
	got := ts.Received()
	if len(got) != 1 || fmt.Sprint(got[0].To) != "[ada@customer.example]" {
		t.Fatalf("server received %d messages (%v); want 1 to ada@customer.example", len(got), got)
	}
	if m := got[0].Decode(t); m.Body != invitationBody || m.Subject != invitationSubject {
		t.Errorf("delivered subject %q, body %q", m.Subject, m.Body)
	}
	m := q.get(7)
	wantBody := "Hello Ada,\nplease open https://partner.example/invite/[link removed] to accept.\n"
	if m.Status != domain.MessageSent || m.Body != wantBody || m.SentAt == nil || !m.SentAt.Equal(clock.now()) {
		t.Errorf("after delivery: status %q, body %q, sent at %v", m.Status, m.Body, m.SentAt)
	}
	if sent, failed, err := w.RunOnce(context.Background()); sent+failed != 0 || err != nil || len(ts.Received()) != 1 {
		t.Errorf("second pass = %d sent, %d failed, %v; a delivered message must not go again", sent, failed, err)
	}
	assertLogsArePrivate(t, logs.String())
}

func TestWorkerRetriesWhileTheServerIsDown(t *testing.T) {
	ts := startServer(t, "127.0.0.1:0")
	addr := ts.Addr
	cfg := serverConfig(t, ts.Addr, testPassword)
	ts.Stop()
	q := &memQueue{}
	q.add(domain.EmailMessage{ID: 7, To: "ada@customer.example", Subject: invitationSubject, Body: invitationBody})
	w, clock, logs := newTestWorker(q, cfg)
	ctx := context.Background()
	start := clock.now()

	if sent, failed, err := w.RunOnce(ctx); sent != 0 || failed != 1 || err != nil {
		t.Fatalf("RunOnce with the server down = %d sent, %d failed, %v; want 0, 1, nil", sent, failed, err)
	}
	m := q.get(7)
	if m.Status != domain.MessageQueued || m.Attempts != 1 || !strings.Contains(m.LastError, "connection refused") || !m.next.Equal(start.Add(30*time.Second)) {
		t.Fatalf("after a failure: status %q, attempts %d, error %q, next %v; want queued, 1, connection refused, %v",
			m.Status, m.Attempts, m.LastError, m.next, start.Add(30*time.Second))
	}
	if m.Body != invitationBody {
		t.Errorf("an undelivered message lost its link: %q", m.Body)
	}

	// Before the next attempt is due, nothing is tried.
	clock.advance(29 * time.Second)
	if sent, failed, err := w.RunOnce(ctx); sent+failed != 0 || err != nil {
		t.Errorf("RunOnce before the retry time = %d sent, %d failed, %v; want nothing", sent, failed, err)
	}
	// Still down at the retry: the wait doubles.
	clock.advance(time.Second)
	if _, failed, _ := w.RunOnce(ctx); failed != 1 {
		t.Fatalf("RunOnce at the retry time: %d failed; want 1", failed)
	}
	if m := q.get(7); m.Attempts != 2 || !m.next.Equal(clock.now().Add(time.Minute)) {
		t.Errorf("after a second failure: attempts %d, next %v; want 2, %v", m.Attempts, m.next, clock.now().Add(time.Minute))
	}

	// The server comes back on the same address; once the retry is due, the
	// message goes out and keeps no token.
	back := startServer(t, addr)
	clock.advance(time.Minute)
	if sent, failed, err := w.RunOnce(ctx); sent != 1 || failed != 0 || err != nil {
		t.Fatalf("RunOnce after the server returned = %d sent, %d failed, %v; want 1, 0, nil", sent, failed, err)
	}
	if got := back.Received(); len(got) != 1 || got[0].Decode(t).Body != invitationBody {
		t.Fatalf("the returned server received %d messages; want the invitation", len(got))
	}
	if m := q.get(7); m.Status != domain.MessageSent || strings.Contains(m.Body, "TOKEN123") || m.LastError != "" {
		t.Errorf("after delivery: status %q, body %q, error %q", m.Status, m.Body, m.LastError)
	}

	out := logs.String()
	assertLogsArePrivate(t, out)
	if !strings.Contains(out, "connection refused") || !strings.Contains(out, "attempt=2") || !strings.Contains(out, "level=WARN") {
		t.Errorf("the log lacks the failed attempts and their error:\n%s", out)
	}
}

func TestWorkerLogsWithoutTheRecipientInAnError(t *testing.T) {
	ts := startServer(t, "127.0.0.1:0")
	q := &memQueue{}
	// go-mail rejects this address before connecting and quotes it in its error.
	q.add(domain.EmailMessage{ID: 7, To: "ada@customer.example>", Subject: invitationSubject, Body: invitationBody, Attempts: alarmAttempts - 1})
	w, _, logs := newTestWorker(q, serverConfig(t, ts.Addr, testPassword))
	if _, failed, err := w.RunOnce(context.Background()); failed != 1 || err != nil {
		t.Fatalf("RunOnce = %d failed, %v; want 1 failure", failed, err)
	}
	if m := q.get(7); !strings.Contains(m.LastError, "ada@customer.example") || m.Attempts != alarmAttempts {
		t.Errorf("stored error %q, attempts %d; the outbox keeps the full error", m.LastError, m.Attempts)
	}
	out := logs.String()
	assertLogsArePrivate(t, out)
	if !strings.Contains(out, "<recipient>") || !strings.Contains(out, "level=ERROR") {
		t.Errorf("the log should name the recipient only as <recipient>, at ERROR after %d attempts:\n%s", alarmAttempts, out)
	}
}

func TestRunDeliversAtOnceAndEveryInterval(t *testing.T) {
	ts := startServer(t, "127.0.0.1:0")
	q := &memQueue{}
	q.add(domain.EmailMessage{ID: 7, To: "ada@customer.example", Subject: invitationSubject, Body: invitationBody})
	w, _, _ := newTestWorker(q, serverConfig(t, ts.Addr, testPassword))
	// Long enough that only the pass at start can deliver the first message
	// within the wait below.
	w.Interval = time.Hour
	stop := runWorker(t, w)
	waitFor(t, "the first message", func() bool { return len(ts.Received()) == 1 })
	stop()

	// With a short interval, a message queued while it runs goes out on a later pass.
	w.Interval = 10 * time.Millisecond
	stop = runWorker(t, w)
	time.Sleep(30 * time.Millisecond)
	q.add(domain.EmailMessage{ID: 8, To: "bob@customer.example", Subject: "Second", Body: "second"})
	waitFor(t, "the second message to be sent and marked", func() bool { return q.get(8).Status == domain.MessageSent })
	stop()
	if n := len(ts.Received()); n != 2 {
		t.Errorf("server received %d messages; want 2", n)
	}
}

// runWorker runs w in the background until the returned stop cancels it;
// stop fails the test when Run has not returned within 5 s.
func runWorker(t *testing.T, w *Worker) (stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		w.Run(ctx)
		close(done)
	}()
	return func() {
		t.Helper()
		cancel()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			t.Fatal("Run did not return within 5 s of its context ending")
		}
	}
}

// waitFor polls cond for up to 5 s.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatalf("timed out waiting for %s", what)
}

// TestSendOverTLS delivers through STARTTLS and through TLS from the first
// byte (smtps://), with the connection that sets a deadline per exchange
// under the TLS.
func TestSendOverTLS(t *testing.T) {
	for _, implicit := range []bool{false, true} {
		t.Run(fmt.Sprintf("implicit %v", implicit), func(t *testing.T) {
			ts, roots := smtptest.StartTLS(t, testUser, testPassword, implicit)
			cfg := serverConfig(t, ts.Addr, testPassword)
			cfg.ImplicitTLS = implicit
			s := NewSender(cfg)
			s.roots = roots
			if err := s.Send(context.Background(), "ada@customer.example", invitationSubject, invitationBody); err != nil {
				t.Fatalf("Send: %v", err)
			}
			if got := ts.Received(); len(got) != 1 || !got[0].TLS || got[0].Decode(t).Body != invitationBody {
				t.Fatalf("received %+v; want the invitation over TLS", got)
			}
			// Without the test's certificate the server is not trusted.
			s.roots = nil
			if err := s.Send(context.Background(), "ada@customer.example", "x", "y"); err == nil || !strings.Contains(err.Error(), "certificate") {
				t.Errorf("Send to an untrusted server = %v; want a certificate error", err)
			}
		})
	}
}

// TestThePasswordGoesInClearOnlyToLoopback: a server without STARTTLS gets
// the password on 127.0.0.1 (the tests above), but not at an address of
// another interface, where the client refuses to authenticate before
// sending anything.
func TestThePasswordGoesInClearOnlyToLoopback(t *testing.T) {
	var ip net.IP
	addrs, _ := net.InterfaceAddrs()
	for _, a := range addrs {
		if n, ok := a.(*net.IPNet); ok && !n.IP.IsLoopback() && n.IP.To4() != nil {
			ip = n.IP
			break
		}
	}
	if ip == nil {
		t.Skip("no IPv4 address outside the loopback interface to listen on")
	}
	ts := startServer(t, net.JoinHostPort(ip.String(), "0"))
	err := NewSender(serverConfig(t, ts.Addr, testPassword)).Send(context.Background(), "ada@customer.example", "x", "y")
	if err == nil || !strings.Contains(err.Error(), "unencrypted connection") || len(ts.Received()) != 0 {
		t.Errorf("Send to %s without TLS = %v; want the client's refusal to authenticate in clear", ts.Addr, err)
	}
}

// openFDs counts the file descriptors this process has open.
func openFDs(t *testing.T) int {
	t.Helper()
	entries, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Skipf("cannot count open files: %v", err)
	}
	return len(entries)
}

// settledFDs waits up to 5 s for the open descriptors to come down to at
// most want (the test server closes its side once the client has closed
// its own) and returns the last count.
func settledFDs(t *testing.T, want int) int {
	t.Helper()
	n := openFDs(t)
	for deadline := time.Now().Add(5 * time.Second); n > want && time.Now().Before(deadline); n = openFDs(t) {
		time.Sleep(20 * time.Millisecond)
	}
	return n
}

// TestSendClosesEveryConnectionToASilentServer sends, again and again, to a
// server that never answers and to one that greets and then never answers:
// each attempt ends at its exchange's deadline with an error worth a retry,
// and leaves no connection open behind it.
func TestSendClosesEveryConnectionToASilentServer(t *testing.T) {
	const attempts = 10
	for _, greet := range []bool{false, true} {
		t.Run(fmt.Sprintf("greets %v", greet), func(t *testing.T) {
			silent := smtptest.StartSilent(t, greet)
			s := NewSender(serverConfig(t, silent.Addr, testPassword))
			s.ExchangeTimeout = 200 * time.Millisecond
			before := openFDs(t)
			for i := range attempts {
				err := s.Send(context.Background(), "ada@customer.example", "Subject", "Body")
				if err == nil || IsPermanent(err) {
					t.Fatalf("attempt %d = %v; want an error worth a retry", i+1, err)
				}
			}
			if n := silent.Accepted(); n != attempts {
				t.Errorf("the server accepted %d connections; want %d", n, attempts)
			}
			after := settledFDs(t, before)
			t.Logf("open files: %d before, %d after %d attempts", before, after, attempts)
			if after > before {
				t.Errorf("open files went from %d to %d over %d attempts: connections are left open", before, after, attempts)
			}
		})
	}
}

// TestSendWaitsForEachReplyOfASlowServer sends to a server that takes 400 ms
// before each reply: every reply comes well within its 1.5 s deadline, but
// the whole session (greeting, EHLO, AUTH, NOOP, MAIL, RCPT, DATA, the data,
// RSET, QUIT) takes longer than one deadline, so a deadline for the session
// instead of each exchange would fail it.
func TestSendWaitsForEachReplyOfASlowServer(t *testing.T) {
	ts := startServer(t, "127.0.0.1:0")
	ts.SetReplyDelay(400 * time.Millisecond)
	s := NewSender(serverConfig(t, ts.Addr, testPassword))
	s.ExchangeTimeout = 1500 * time.Millisecond
	before := openFDs(t)
	start := time.Now()
	if err := s.Send(context.Background(), "ada@customer.example", invitationSubject, invitationBody); err != nil {
		t.Fatalf("Send to a slow server: %v", err)
	}
	took := time.Since(start)
	if got := ts.Received(); len(got) != 1 || got[0].Decode(t).Body != invitationBody {
		t.Fatalf("the server received %d messages; want the invitation", len(got))
	}
	if took < s.ExchangeTimeout {
		t.Errorf("the session took %v, less than one exchange's deadline (%v): the test proves nothing", took, s.ExchangeTimeout)
	}
	if after := settledFDs(t, before); after > before {
		t.Errorf("open files went from %d to %d", before, after)
	}
}

// TestSendStopsAtOnceWhenItsContextEnds cancels a delivery stuck on a silent
// server long before its deadline: Send returns at once.
func TestSendStopsAtOnceWhenItsContextEnds(t *testing.T) {
	silent := smtptest.StartSilent(t, true)
	s := NewSender(serverConfig(t, silent.Addr, testPassword))
	s.ExchangeTimeout = time.Minute
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Send(ctx, "ada@customer.example", "Subject", "Body") }()
	waitFor(t, "the connection", func() bool { return silent.Accepted() == 1 })
	cancel()
	select {
	case err := <-done:
		if err == nil {
			t.Error("Send broken off returned no error")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Send did not return within 5 s of its context ending")
	}
}

func TestIsPermanent(t *testing.T) {
	ts := startServer(t, "127.0.0.1:0")
	ts.Refuse("gone@customer.example", 550, "mailbox unavailable", -1)
	ts.Refuse("busy@customer.example", 451, "try again later", -1)
	refusing := startServer(t, "127.0.0.1:0")
	refusing.RefuseAuth(535, "authentication credentials invalid")
	cfg := serverConfig(t, ts.Addr, testPassword)
	ctx := context.Background()
	for _, tc := range []struct {
		name      string
		cfg       Config
		to        string
		permanent bool
		text      string
	}{
		{"5xx to RCPT", cfg, "gone@customer.example", true, `550 "5.1.1 mailbox unavailable"`},
		{"4xx to RCPT", cfg, "busy@customer.example", false, `451 "4.1.1 try again later"`},
		// go-smtp answers a failed AUTH with 454, for now; others say 535.
		{"4xx to AUTH", serverConfig(t, ts.Addr, "wrong"), "ada@customer.example", false, "SMTP AUTH failed: 454"},
		// A 5xx before MAIL FROM is the configuration's, not the message's.
		{"5xx to AUTH", serverConfig(t, refusing.Addr, "wrong"), "ada@customer.example", false, "SMTP AUTH failed: 535"},
		{"not an address", cfg, "ada@customer.example>", true, "recipient address"},
		{"connection refused", serverConfig(t, freeAddr(t), testPassword), "ada@customer.example", false, "connection refused"},
	} {
		err := NewSender(tc.cfg).Send(ctx, tc.to, "Subject", "Body")
		if err == nil || IsPermanent(err) != tc.permanent || !strings.Contains(err.Error(), tc.text) {
			t.Errorf("%s: Send = %v, permanent %v; want an error with %q, permanent %v", tc.name, err, IsPermanent(err), tc.text, tc.permanent)
		}
		if config := tc.name == "5xx to AUTH"; IsConfigProblem(err) != config {
			t.Errorf("%s: IsConfigProblem = %v; want %v", tc.name, !config, config)
		}
	}
}

// freeAddr is an address of 127.0.0.1 where nothing listens.
func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}

func TestWorkerFailsAMessageTheServerRefusesForGood(t *testing.T) {
	ts := startServer(t, "127.0.0.1:0")
	ts.Refuse("ada@customer.example", 550, "mailbox unavailable", -1)
	q := &memQueue{}
	q.add(domain.EmailMessage{ID: 7, To: "ada@customer.example", Subject: invitationSubject, Body: invitationBody})
	w, clock, logs := newTestWorker(q, serverConfig(t, ts.Addr, testPassword))
	if sent, failed, err := w.RunOnce(context.Background()); sent != 0 || failed != 1 || err != nil {
		t.Fatalf("RunOnce = %d sent, %d failed, %v; want 0, 1, nil", sent, failed, err)
	}
	m := q.get(7)
	if m.Status != domain.MessageFailed || m.Attempts != 1 || !strings.Contains(m.LastError, `550 "5.1.1 mailbox unavailable"`) ||
		m.Body != invitationBody {
		t.Errorf("after a 550: %+v; want failed after 1 attempt with the server's reason, the link kept", m)
	}
	clock.advance(24 * time.Hour)
	if sent, failed, err := w.RunOnce(context.Background()); sent+failed != 0 || err != nil {
		t.Errorf("a day later: %d sent, %d failed, %v; a failed message is not tried again", sent, failed, err)
	}
	out := logs.String()
	assertLogsArePrivate(t, out)
	if !strings.Contains(out, "level=ERROR") || !strings.Contains(out, "failed for good") {
		t.Errorf("the log does not say the message failed for good:\n%s", out)
	}
}

func TestWorkerRetriesATemporaryRefusalThenDelivers(t *testing.T) {
	ts := startServer(t, "127.0.0.1:0")
	ts.Refuse("ada@customer.example", 451, "greylisted, try again later", 2)
	q := &memQueue{}
	q.add(domain.EmailMessage{ID: 7, To: "ada@customer.example", Subject: invitationSubject, Body: invitationBody})
	w, clock, _ := newTestWorker(q, serverConfig(t, ts.Addr, testPassword))
	ctx := context.Background()
	for i, wait := range []time.Duration{0, 30 * time.Second} {
		clock.advance(wait)
		if _, failed, err := w.RunOnce(ctx); failed != 1 || err != nil {
			t.Fatalf("pass %d: %d failed, %v; want the 451", i+1, failed, err)
		}
		if m := q.get(7); m.Status != domain.MessageQueued || m.Attempts != i+1 || !strings.Contains(m.LastError, "451") {
			t.Fatalf("after 451 number %d: %+v; want queued with %d attempts and the reply", i+1, m, i+1)
		}
	}
	clock.advance(time.Minute)
	if sent, _, err := w.RunOnce(ctx); sent != 1 || err != nil {
		t.Fatalf("third pass = %d sent, %v; want the delivery", sent, err)
	}
	if m := q.get(7); m.Status != domain.MessageSent || len(ts.Received()) != 1 {
		t.Errorf("after the third pass: %+v, %d received; want sent", m, len(ts.Received()))
	}
}

func TestWorkerGivesUpAtTheRetryLimit(t *testing.T) {
	q := &memQueue{}
	q.add(domain.EmailMessage{ID: 7, To: "ada@customer.example", Subject: invitationSubject, Body: invitationBody, Attempts: MaxAttempts - 2})
	w, clock, _ := newTestWorker(q, serverConfig(t, freeAddr(t), testPassword))
	ctx := context.Background()
	if _, failed, err := w.RunOnce(ctx); failed != 1 || err != nil {
		t.Fatal(failed, err)
	}
	if m := q.get(7); m.Status != domain.MessageQueued || m.Attempts != MaxAttempts-1 {
		t.Fatalf("after attempt %d: %+v; want queued", MaxAttempts-1, m)
	}
	clock.advance(time.Hour)
	if _, failed, err := w.RunOnce(ctx); failed != 1 || err != nil {
		t.Fatal(failed, err)
	}
	want := fmt.Sprintf("gave up after %d attempts: ", MaxAttempts)
	if m := q.get(7); m.Status != domain.MessageFailed || m.Attempts != MaxAttempts || !strings.HasPrefix(m.LastError, want) ||
		!strings.Contains(m.LastError, "connection refused") {
		t.Errorf("after attempt %d: %+v; want failed with %q and the last error", MaxAttempts, m, want)
	}
}

// TestWorkerDeliversAroundStuckMessages queues messages to recipients whose
// RCPT the server never answers, beside ordinary ones: a stuck message
// delays only itself, a message queued later still goes out, the stuck ones
// never hold more than MaxInFlight connections, and stopping the worker ends
// at once, without counting the broken-off deliveries as attempts.
func TestWorkerDeliversAroundStuckMessages(t *testing.T) {
	ts := startServer(t, "127.0.0.1:0")
	q := &memQueue{}
	addStuck := func(from, to int) {
		for i := from; i < to; i++ {
			addr := fmt.Sprintf("stuck%d@customer.example", i)
			ts.Stall(addr)
			q.add(domain.EmailMessage{ID: int64(i), To: addr, Subject: "Stuck", Body: "stuck"})
		}
	}
	addStuck(1, MaxInFlight)
	q.add(domain.EmailMessage{ID: 100, To: "ada@customer.example", Subject: invitationSubject, Body: invitationBody})
	w, _, _ := newTestWorker(q, serverConfig(t, ts.Addr, testPassword))
	w.sender.ExchangeTimeout = time.Minute
	w.Interval = 20 * time.Millisecond
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		w.Run(ctx)
		close(done)
	}()
	defer func() { cancel(); <-done }()

	waitFor(t, "the message queued behind the stuck ones", func() bool { return q.get(100).Status == domain.MessageSent })
	waitFor(t, "the stuck messages to hang", func() bool { return ts.Stalled() == MaxInFlight-1 })
	q.add(domain.EmailMessage{ID: 101, To: "bob@customer.example", Subject: "New invitation", Body: "new"})
	waitFor(t, "a message queued while the others hang", func() bool { return q.get(101).Status == domain.MessageSent })

	addStuck(MaxInFlight, MaxInFlight+3)
	waitFor(t, "every place to be taken", func() bool { return ts.Stalled() == MaxInFlight })
	time.Sleep(200 * time.Millisecond) // ten more passes
	if n := ts.Stalled(); n != MaxInFlight {
		t.Errorf("%d deliveries hang on the server; want at most %d", n, MaxInFlight)
	}
	cancel()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return within 5 s of its context ending, with deliveries stuck")
	}
	for i := 1; i < MaxInFlight+3; i++ {
		if m := q.get(int64(i)); m.Status != domain.MessageQueued || m.Attempts != 0 {
			t.Errorf("stuck message %d after the stop: %+v; want queued with no attempt counted", i, m)
		}
	}
}

// TestWorkerSendsADeliveredMessageOnce has the server accept the message and
// then misbehave: drop the connection, refuse RSET and QUIT with 554, or
// never answer QUIT. The message has arrived, so it is sent, and no later
// pass sends a copy.
func TestWorkerSendsADeliveredMessageOnce(t *testing.T) {
	for _, tc := range []struct {
		name string
		a    smtptest.AfterData
	}{{"dropped", smtptest.DropAfterData}, {"554 to RSET and QUIT", smtptest.RefuseAfterData}, {"QUIT unanswered", smtptest.IgnoreQuitAfterData}} {
		t.Run(tc.name, func(t *testing.T) {
			ts := startServer(t, "127.0.0.1:0")
			ts.SetAfterData(tc.a)
			q := &memQueue{}
			q.add(domain.EmailMessage{ID: 7, To: "ada@customer.example", Subject: invitationSubject, Body: invitationBody})
			w, clock, logs := newTestWorker(q, serverConfig(t, ts.Addr, testPassword))
			w.sender.ExchangeTimeout = 300 * time.Millisecond
			ctx := context.Background()
			if sent, failed, err := w.RunOnce(ctx); sent != 1 || failed != 0 || err != nil {
				t.Errorf("RunOnce = %d sent, %d failed, %v; want the delivery", sent, failed, err)
			}
			if m := q.get(7); m.Status != domain.MessageSent || m.Attempts != 0 {
				t.Errorf("after the delivery: %+v; want sent", m)
			}
			clock.advance(24 * time.Hour)
			if sent, failed, err := w.RunOnce(ctx); sent+failed != 0 || err != nil {
				t.Errorf("a day later: %d sent, %d failed, %v; want nothing to do", sent, failed, err)
			}
			if n := len(ts.Received()); n != 1 {
				t.Errorf("the server received %d copies; want 1", n)
			}
			out := logs.String()
			assertLogsArePrivate(t, out)
			if !strings.Contains(out, "mail sent; the exchange after it failed") {
				t.Errorf("the log does not tell of the failure after the delivery:\n%s", out)
			}
		})
	}

	// Stopping the worker while the server holds QUIT breaks the exchange
	// off after the delivery: still sent.
	t.Run("stopped during QUIT", func(t *testing.T) {
		ts := startServer(t, "127.0.0.1:0")
		ts.SetAfterData(smtptest.IgnoreQuitAfterData)
		q := &memQueue{}
		q.add(domain.EmailMessage{ID: 7, To: "ada@customer.example", Subject: invitationSubject, Body: invitationBody})
		w, _, _ := newTestWorker(q, serverConfig(t, ts.Addr, testPassword))
		w.sender.ExchangeTimeout = time.Minute
		w.Interval = time.Hour
		stop := runWorker(t, w)
		waitFor(t, "the client to wait for the reply to QUIT", func() bool { return ts.Stalled() == 1 })
		stop()
		if m := q.get(7); m.Status != domain.MessageSent {
			t.Errorf("after a stop during QUIT: %+v; want sent", m)
		}
	})
}

// fullStore is the real outbox whose recording of outcomes fails the next
// fails times with a full disk, as when the disk fills between the delivery
// and its record.
type fullStore struct {
	*sqlite.Store
	mu    sync.Mutex
	fails int
}

func (s *fullStore) full() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fails == 0 {
		return nil
	}
	s.fails--
	return fmt.Errorf("write outbox: %w", domain.ErrStorageFull)
}

func (s *fullStore) MarkOutboxSent(ctx context.Context, id int64, at time.Time, scrubbedBody string) error {
	if err := s.full(); err != nil {
		return err
	}
	return s.Store.MarkOutboxSent(ctx, id, at, scrubbedBody)
}

func (s *fullStore) MarkOutboxFailed(ctx context.Context, id int64, attempts int, lastErr string, next time.Time) error {
	if err := s.full(); err != nil {
		return err
	}
	return s.Store.MarkOutboxFailed(ctx, id, attempts, lastErr, next)
}

// openStore opens a real outbox in a fresh database with one queued
// invitation, whose id it returns.
func openStore(t *testing.T, clock *testClock) (*sqlite.Store, int64) {
	t.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "app.db"), clock.now)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if err := st.QueueTestMessage(ctx, domain.Actor{}, domain.EmailMessage{To: "ada@customer.example", Subject: invitationSubject, Body: invitationBody}); err != nil {
		t.Fatal(err)
	}
	return st, storedMessage(t, st).ID
}

// storedMessage is the only message of st's outbox.
func storedMessage(t *testing.T, st *sqlite.Store) domain.EmailMessage {
	t.Helper()
	msgs, n, err := st.ListOutbox(context.Background(), domain.Page{Number: 1, Size: 10})
	if err != nil || n != 1 {
		t.Fatalf("ListOutbox = %d messages, %v; want 1", n, err)
	}
	return msgs[0]
}

// TestWorkerDoesNotResendWhatItCouldNotRecord fills the disk between a
// delivery and its record, for three passes: the message stays queued and
// due in the outbox, but the worker only tries again to record it, and the
// server gets it once. A failure that cannot be recorded likewise keeps its
// backoff.
func TestWorkerDoesNotResendWhatItCouldNotRecord(t *testing.T) {
	ctx := context.Background()
	t.Run("sent", func(t *testing.T) {
		ts := startServer(t, "127.0.0.1:0")
		clock := &testClock{t: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
		st, id := openStore(t, clock)
		q := &fullStore{Store: st, fails: 3}
		w, _, _ := newTestWorker(q, serverConfig(t, ts.Addr, testPassword))
		w.now = clock.now
		for pass := 1; pass <= 3; pass++ {
			if _, _, err := w.RunOnce(ctx); !errors.Is(err, domain.ErrStorageFull) {
				t.Fatalf("pass %d on a full disk: %v; want ErrStorageFull", pass, err)
			}
			if m := storedMessage(t, st); m.Status != domain.MessageQueued {
				t.Fatalf("pass %d: %+v; want still queued (nothing could be written)", pass, m)
			}
			clock.advance(5 * time.Second)
		}
		if sent, failed, err := w.RunOnce(ctx); sent+failed != 0 || err != nil {
			t.Errorf("once there is room: %d sent, %d failed, %v; want the record only", sent, failed, err)
		}
		if m := storedMessage(t, st); m.ID != id || m.Status != domain.MessageSent || strings.Contains(m.Body, "TOKEN123") {
			t.Errorf("once there is room: %+v; want sent, the link scrubbed", m)
		}
		if n := len(ts.Received()); n != 1 {
			t.Errorf("the server received %d copies; want 1", n)
		}
	})
	t.Run("failed", func(t *testing.T) {
		ts := startServer(t, "127.0.0.1:0")
		ts.Refuse("ada@customer.example", 451, "try again later", 1)
		clock := &testClock{t: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
		st, _ := openStore(t, clock)
		q := &fullStore{Store: st, fails: 1}
		w, _, _ := newTestWorker(q, serverConfig(t, ts.Addr, testPassword))
		w.now = clock.now
		if _, failed, err := w.RunOnce(ctx); failed != 1 || !errors.Is(err, domain.ErrStorageFull) {
			t.Fatalf("first pass: %d failed, %v; want the 451 and ErrStorageFull", failed, err)
		}
		clock.advance(5 * time.Second)
		if sent, failed, err := w.RunOnce(ctx); sent+failed != 0 || err != nil {
			t.Errorf("next pass: %d sent, %d failed, %v; want the record only", sent, failed, err)
		}
		if m := storedMessage(t, st); m.Status != domain.MessageQueued || m.Attempts != 1 || !strings.Contains(m.LastError, "451") {
			t.Errorf("after the record: %+v; want queued, 1 attempt, the 451", m)
		}
		clock.advance(30 * time.Second)
		if sent, _, err := w.RunOnce(ctx); sent != 1 || err != nil {
			t.Fatalf("after the backoff: %d sent, %v; want the delivery", sent, err)
		}
		if n := len(ts.Received()); n != 1 {
			t.Errorf("the server received %d copies; want 1", n)
		}
	})
}

// TestWorkerRetriesAServerThatRefusesTheAccount: a wrong password (535 to
// AUTH) is the configuration's fault, not the message's: the message stays
// queued with its attempt counted, the log says to check --smtp-url, and
// once the password is right the message goes out.
func TestWorkerRetriesAServerThatRefusesTheAccount(t *testing.T) {
	ts := startServer(t, "127.0.0.1:0")
	ts.RefuseAuth(535, "authentication credentials invalid")
	q := &memQueue{}
	q.add(domain.EmailMessage{ID: 7, To: "ada@customer.example", Subject: invitationSubject, Body: invitationBody})
	w, clock, logs := newTestWorker(q, serverConfig(t, ts.Addr, "wrong"))
	ctx := context.Background()
	for i := 1; i <= 2; i++ {
		if _, failed, err := w.RunOnce(ctx); failed != 1 || err != nil {
			t.Fatalf("pass %d: %d failed, %v; want the 535", i, failed, err)
		}
		if m := q.get(7); m.Status != domain.MessageQueued || m.Attempts != i || !strings.Contains(m.LastError, "535") {
			t.Fatalf("after pass %d: %+v; want queued with %d attempts and the 535", i, m, i)
		}
		clock.advance(time.Hour)
	}
	out := logs.String()
	assertLogsArePrivate(t, out)
	if !strings.Contains(out, "level=ERROR") || !strings.Contains(out, "check --smtp-url") || strings.Contains(out, "failed for good") {
		t.Errorf("the log does not name a configuration problem:\n%s", out)
	}
	w.sender = NewSender(serverConfig(t, ts.Addr, testPassword))
	if sent, _, err := w.RunOnce(ctx); sent != 1 || err != nil {
		t.Fatalf("with the right password: %d sent, %v; want the delivery", sent, err)
	}
	if m := q.get(7); m.Status != domain.MessageSent || len(ts.Received()) != 1 {
		t.Errorf("with the right password: %+v, %d received; want sent", m, len(ts.Received()))
	}
}
