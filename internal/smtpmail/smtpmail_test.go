package smtpmail

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wingtip/multichannel/internal/smtptest"
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
	Message
	status  string
	lastErr string
	next    time.Time
	sentAt  time.Time
}

var errNotQueued = errors.New("not queued")

func (q *memQueue) add(m Message) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.msgs = append(q.msgs, &memMessage{Message: m, status: "queued"})
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

func (q *memQueue) Due(_ context.Context, now time.Time, limit int) ([]Message, error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	var due []Message
	for _, m := range q.msgs {
		if m.status == "queued" && !m.next.After(now) && len(due) < limit {
			due = append(due, m.Message)
		}
	}
	return due, nil
}

func (q *memQueue) Sent(_ context.Context, id int64, at time.Time, scrubbedBody string) error {
	return q.update(id, func(m *memMessage) { m.status, m.sentAt, m.Body, m.lastErr = "sent", at, scrubbedBody, "" })
}

func (q *memQueue) Failed(_ context.Context, id int64, attempts int, lastErr string, next time.Time) error {
	return q.update(id, func(m *memMessage) { m.Attempts, m.lastErr, m.next = attempts, lastErr, next })
}

func (q *memQueue) update(id int64, change func(*memMessage)) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	for _, m := range q.msgs {
		if m.ID == id && m.status == "queued" {
			change(m)
			return nil
		}
	}
	return errNotQueued
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
	q.add(Message{ID: 7, To: "ada@customer.example", Subject: invitationSubject, Body: invitationBody})
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
	if m.status != "sent" || m.Body != wantBody || !m.sentAt.Equal(clock.now()) {
		t.Errorf("after delivery: status %q, body %q, sent at %v", m.status, m.Body, m.sentAt)
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
	q.add(Message{ID: 7, To: "ada@customer.example", Subject: invitationSubject, Body: invitationBody})
	w, clock, logs := newTestWorker(q, cfg)
	ctx := context.Background()
	start := clock.now()

	if sent, failed, err := w.RunOnce(ctx); sent != 0 || failed != 1 || err != nil {
		t.Fatalf("RunOnce with the server down = %d sent, %d failed, %v; want 0, 1, nil", sent, failed, err)
	}
	m := q.get(7)
	if m.status != "queued" || m.Attempts != 1 || !strings.Contains(m.lastErr, "connection refused") || !m.next.Equal(start.Add(30*time.Second)) {
		t.Fatalf("after a failure: status %q, attempts %d, error %q, next %v; want queued, 1, connection refused, %v",
			m.status, m.Attempts, m.lastErr, m.next, start.Add(30*time.Second))
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
	if m := q.get(7); m.status != "sent" || strings.Contains(m.Body, "TOKEN123") || m.lastErr != "" {
		t.Errorf("after delivery: status %q, body %q, error %q", m.status, m.Body, m.lastErr)
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
	q.add(Message{ID: 7, To: "ada@customer.example>", Subject: invitationSubject, Body: invitationBody, Attempts: alarmAttempts - 1})
	w, _, logs := newTestWorker(q, serverConfig(t, ts.Addr, testPassword))
	if _, failed, err := w.RunOnce(context.Background()); failed != 1 || err != nil {
		t.Fatalf("RunOnce = %d failed, %v; want 1 failure", failed, err)
	}
	if m := q.get(7); !strings.Contains(m.lastErr, "ada@customer.example") || m.Attempts != alarmAttempts {
		t.Errorf("stored error %q, attempts %d; the outbox keeps the full error", m.lastErr, m.Attempts)
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
	q.add(Message{ID: 7, To: "ada@customer.example", Subject: invitationSubject, Body: invitationBody})
	w, _, _ := newTestWorker(q, serverConfig(t, ts.Addr, testPassword))
	// Long enough that only the pass at start can deliver the first message
	// within the wait below.
	w.Interval = time.Hour
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		w.Run(ctx)
		close(done)
	}()
	waitFor(t, "the first message", func() bool { return len(ts.Received()) == 1 })
	cancel()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return after its context ended")
	}

	// With a short interval, a message queued while it runs goes out on a later pass.
	w.Interval = 10 * time.Millisecond
	ctx, cancel = context.WithCancel(context.Background())
	done = make(chan struct{})
	go func() {
		w.Run(ctx)
		close(done)
	}()
	time.Sleep(30 * time.Millisecond)
	q.add(Message{ID: 8, To: "bob@customer.example", Subject: "Second", Body: "second"})
	waitFor(t, "the second message to be sent and marked", func() bool { return q.get(8).status == "sent" })
	cancel()
	<-done
	if n := len(ts.Received()); n != 2 {
		t.Errorf("server received %d messages; want 2", n)
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
