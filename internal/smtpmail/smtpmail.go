// Package smtpmail delivers the outbox over SMTP: it parses the SMTP URL of
// the configuration, sends plain-text messages with go-mail, and runs the
// background worker that retries failed deliveries with backoff.
//
// It knows nothing of the store: the worker reads and updates the outbox
// through the Queue interface, which the program's wiring implements.
package smtpmail

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	netmail "net/mail"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/wneessen/go-mail"
)

// Config is where and how to deliver mail.
type Config struct {
	// Host and Port are the server's address.
	Host string
	Port int
	// Username and Password are for SMTP AUTH; without a Username the
	// client does not authenticate.
	Username string
	Password string
	// From is the sender address of every message (an address, optionally
	// with a display name).
	From string
	// ImplicitTLS is set for smtps://: TLS from the first byte instead of
	// STARTTLS after connecting.
	ImplicitTLS bool
}

// ParseURL reads a configuration from smtp://user:pass@host:port (port 587 by
// default, STARTTLS when the server offers it) or smtps://user:pass@host:port
// (port 465 by default, implicit TLS). User and password are percent-decoded,
// so characters such as @ : / in them must be percent-encoded. The optional
// query parameter from= sets the sender; without it the sender is the user
// when that is an e-mail address, else noreply@host.
func ParseURL(raw string) (Config, error) {
	u, err := url.Parse(raw)
	if err != nil {
		// url.Parse quotes the whole input in its error, password included,
		// and this error ends up in logs.
		return Config{}, errors.New("smtp url: not a valid URL (percent-encode special characters in the user and password)")
	}
	var cfg Config
	switch u.Scheme {
	case "smtp":
		cfg.Port = 587
	case "smtps":
		cfg.Port, cfg.ImplicitTLS = 465, true
	default:
		return Config{}, fmt.Errorf("smtp url: scheme %q is neither smtp nor smtps", u.Scheme)
	}
	cfg.Host = u.Hostname()
	if cfg.Host == "" {
		return Config{}, errors.New("smtp url: no host")
	}
	if p := u.Port(); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			return Config{}, fmt.Errorf("smtp url: port %q is not between 1 and 65535", p)
		}
		cfg.Port = n
	}
	if u.Path != "" && u.Path != "/" {
		return Config{}, fmt.Errorf("smtp url: unexpected path %q", u.Path)
	}
	if u.User != nil {
		cfg.Username = u.User.Username()
		cfg.Password, _ = u.User.Password()
	}
	query, err := url.ParseQuery(u.RawQuery)
	if err != nil {
		return Config{}, fmt.Errorf("smtp url: query: %w", err)
	}
	for name := range query {
		// A misspelt from= would otherwise silently send from the default.
		if name != "from" {
			return Config{}, fmt.Errorf("smtp url: unknown parameter %q (only from= is known)", name)
		}
	}
	cfg.From = query.Get("from")
	if cfg.From == "" {
		cfg.From = "noreply@" + cfg.Host
		if a, err := netmail.ParseAddress(cfg.Username); err == nil && a.Address == cfg.Username {
			cfg.From = cfg.Username
		}
	}
	if _, err := netmail.ParseAddress(cfg.From); err != nil {
		return Config{}, fmt.Errorf("smtp url: sender %q is not an e-mail address; set from=", cfg.From)
	}
	return cfg, nil
}

// Redacted is the configuration as a URL with the password replaced by
// xxxxx, fit for logs and error messages.
func (c Config) Redacted() string {
	u := url.URL{Scheme: "smtp", Host: net.JoinHostPort(c.Host, strconv.Itoa(c.Port)), RawQuery: url.Values{"from": {c.From}}.Encode()}
	if c.ImplicitTLS {
		u.Scheme = "smtps"
	}
	if c.Username != "" {
		u.User = url.User(c.Username)
		if c.Password != "" {
			u.User = url.UserPassword(c.Username, c.Password)
		}
	}
	return u.Redacted()
}

// String is Redacted, so that printing or logging a Config by mistake does
// not reveal the password.
func (c Config) String() string { return c.Redacted() }

// dialTimeout bounds connecting and each exchange with the server, so that a
// server that stops answering cannot hold the worker.
const dialTimeout = 10 * time.Second

// Sender sends messages through one SMTP server.
type Sender struct {
	cfg Config
}

// NewSender returns a Sender for cfg. It does not connect: each Send opens
// its own connection, so a server that restarts between messages costs
// nothing.
func NewSender(cfg Config) *Sender {
	return &Sender{cfg: cfg}
}

// options are the go-mail client settings for the configuration.
func (s *Sender) options() []mail.Option {
	opts := []mail.Option{mail.WithPort(s.cfg.Port), mail.WithTimeout(dialTimeout)}
	if s.cfg.ImplicitTLS {
		opts = append(opts, mail.WithSSL())
	} else {
		opts = append(opts, mail.WithTLSPolicy(mail.TLSOpportunistic))
	}
	if s.cfg.Username != "" {
		// PLAIN or LOGIN, whichever the server offers (LOGIN for servers such
		// as Exchange Online), else the strongest mechanism go-mail finds.
		// go-mail refuses PLAIN and LOGIN without TLS except to localhost,
		// so a missing STARTTLS never puts the password on the wire in clear.
		opts = append(opts, mail.WithUsername(s.cfg.Username), mail.WithPassword(s.cfg.Password),
			mail.WithOpportunisticSMTPAuth(mail.SMTPAuthPlain, mail.SMTPAuthLogin))
	}
	return opts
}

// Send delivers one plain-text UTF-8 message to a single recipient.
func (s *Sender) Send(ctx context.Context, to, subject, body string) error {
	m := mail.NewMsg()
	if err := m.From(s.cfg.From); err != nil {
		return fmt.Errorf("sender address: %w", err)
	}
	if err := m.To(to); err != nil {
		return fmt.Errorf("recipient address: %w", err)
	}
	m.Subject(subject)
	m.SetBodyString(mail.TypeTextPlain, body)
	// A client per message: go-mail's Client keeps per-connection state, and
	// the worker sends rarely enough that reconnecting costs nothing.
	c, err := mail.NewClient(s.cfg.Host, s.options()...)
	if err != nil {
		return err
	}
	return c.DialAndSendWithContext(ctx, m)
}

// Message is one queued e-mail as the worker needs it.
type Message struct {
	ID            int64
	To            string
	Subject, Body string
	Attempts      int // failed deliveries so far
}

// Queue is the outbox as the worker uses it; the store implements it through
// a small adapter in the program's wiring.
type Queue interface {
	// Due returns up to limit queued messages whose next attempt is due at now.
	Due(ctx context.Context, now time.Time, limit int) ([]Message, error)
	// Sent records a delivery at at and replaces the body by scrubbedBody.
	Sent(ctx context.Context, id int64, at time.Time, scrubbedBody string) error
	// Failed records the number of attempts so far, the last error and when
	// to try again.
	Failed(ctx context.Context, id int64, attempts int, lastErr string, next time.Time) error
}

const (
	// batchSize is how many messages one pass takes; the rest wait for the
	// next pass, so one pass stays short even with a long queue.
	batchSize = 20
	// firstRetry and maxRetry bound the backoff: 30 s after the first
	// failure, doubling, then hourly for as long as it takes, because an
	// invitation must not be dropped.
	firstRetry = 30 * time.Second
	maxRetry   = time.Hour
	// alarmAttempts is when failures are logged as errors rather than
	// warnings: by then the server has been failing for hours.
	alarmAttempts = 10
)

// backoff is the wait before the next attempt after the given number of
// failed attempts (at least 1): 30 s × 2^(attempts-1), at most an hour.
func backoff(attempts int) time.Duration {
	d := firstRetry
	for i := 1; i < attempts && d < maxRetry; i++ {
		d *= 2
	}
	return min(d, maxRetry)
}

// Worker delivers the outbox in the background.
type Worker struct {
	// Interval is the pause between passes over the outbox; 5 s by default.
	Interval time.Duration
	now      func() time.Time
	queue    Queue
	sender   *Sender
	scrub    func(body string) string
	log      *slog.Logger
}

// NewWorker returns a worker that delivers q's messages through s, telling
// the time by now (the app's clock: a test moves it to reach a retry's time).
// scrub turns a delivered message's body into the one kept in the outbox
// (without the invitation token).
func NewWorker(q Queue, s *Sender, scrub func(body string) string, logger *slog.Logger, now func() time.Time) *Worker {
	return &Worker{
		Interval: 5 * time.Second,
		now:      now,
		queue:    q,
		sender:   s,
		scrub:    scrub,
		log:      logger,
	}
}

// Run makes a pass at once and then every Interval (which must be positive)
// until ctx is done. A pass that fails (the outbox cannot be read or updated)
// is logged and the next one tries again.
func (w *Worker) Run(ctx context.Context) {
	ticker := time.NewTicker(w.Interval)
	defer ticker.Stop()
	for {
		if _, _, err := w.RunOnce(ctx); err != nil && ctx.Err() == nil {
			w.log.Error("outbox pass failed", "error", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
		}
	}
}

// RunOnce delivers the messages due now, at most one batch, and reports how
// many were sent and how many failed. err is about the outbox itself (or ctx
// ending); a message that fails to send is recorded, not returned.
func (w *Worker) RunOnce(ctx context.Context) (sent, failed int, err error) {
	due, err := w.queue.Due(ctx, w.now(), batchSize)
	if err != nil {
		return 0, 0, fmt.Errorf("read the outbox: %w", err)
	}
	var errs []error
	for _, m := range due {
		if ctx.Err() != nil {
			break
		}
		sendErr := w.sender.Send(ctx, m.To, m.Subject, m.Body)
		if sendErr != nil && ctx.Err() != nil {
			// Stopped half-way: not the server's fault, so not an attempt.
			break
		}
		at := w.now()
		attempt := m.Attempts + 1
		// Only the recipient's domain goes to the log: the address is personal
		// data, and subject and body may hold the invitation link.
		attrs := []any{"outbox_id", m.ID, "attempt", attempt, "to_domain", domainOf(m.To)}
		if sendErr == nil {
			sent++
			w.log.Info("mail sent", attrs...)
			if err := w.queue.Sent(ctx, m.ID, at, w.scrub(m.Body)); err != nil {
				errs = append(errs, fmt.Errorf("record delivery of outbox message %d: %w", m.ID, err))
			}
			continue
		}
		failed++
		next := at.Add(backoff(attempt))
		level := slog.LevelWarn
		if attempt >= alarmAttempts {
			level = slog.LevelError
		}
		w.log.Log(ctx, level, "mail delivery failed",
			append(attrs, "error", withoutAddress(sendErr.Error(), m.To), "next_attempt", next)...)
		if err := w.queue.Failed(ctx, m.ID, attempt, sendErr.Error(), next); err != nil {
			errs = append(errs, fmt.Errorf("record failure of outbox message %d: %w", m.ID, err))
		}
	}
	return sent, failed, errors.Join(append(errs, ctx.Err())...)
}

// domainOf is the part of an address after its last @, or "?" when there is
// none.
func domainOf(addr string) string {
	i := strings.LastIndexByte(addr, '@')
	if i < 0 {
		return "?"
	}
	return strings.ToLower(addr[i+1:])
}

// withoutAddress removes addr from an error text before it is logged: SMTP
// servers often quote the recipient when they reject it.
func withoutAddress(text, addr string) string {
	if addr == "" {
		return text
	}
	return regexp.MustCompile(`(?i)`+regexp.QuoteMeta(addr)).ReplaceAllString(text, "<recipient>")
}
