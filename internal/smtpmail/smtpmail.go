// Package smtpmail delivers the outbox over SMTP: it parses the SMTP URL of
// the configuration, sends plain-text messages with go-mail (with a
// deadline per exchange and every connection closed by us), and runs the
// background worker: a few deliveries at a time, retries with backoff for
// what may pass (4xx, network, a server that refuses the configured
// account), and a message failed for good on a 5xx to the message itself or
// at the retry limit. A message the server has accepted is sent, whatever
// goes wrong after, and never goes out twice.
//
// It knows nothing of SQL: the worker reads and updates the outbox through
// the Queue interface, in domain types, which the SQLite store implements.
package smtpmail

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"net"
	netmail "net/mail"
	"net/textproto"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/wneessen/go-mail"

	"github.com/wingtip/multichannel/internal/domain"
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

// The deadlines of an exchange with the server. A server that stops
// answering costs its own message at most one of these per step, never the
// worker or shutdown: stopping the worker closes the connection at once.
const (
	// connectTimeout bounds opening the TCP connection (and the TLS
	// handshake of smtps://).
	connectTimeout = 10 * time.Second
	// exchangeTimeout bounds each exchange: the server's greeting, and each
	// command with its reply (the message data with the reply to its end).
	exchangeTimeout = 30 * time.Second
)

// Sender sends messages through one SMTP server.
type Sender struct {
	cfg Config
	// ConnectTimeout and ExchangeTimeout are the deadlines of one delivery:
	// for connecting, and for each exchange with the server from its
	// greeting to the reply to QUIT; 10 s and 30 s by default.
	ConnectTimeout, ExchangeTimeout time.Duration
	// roots are the certificates to trust instead of the system's; nil in
	// the app, a test's own certificate in the tests of TLS.
	roots *x509.CertPool
}

// NewSender returns a Sender for cfg. It does not connect: each Send opens
// its own connection, so a server that restarts between messages costs
// nothing.
func NewSender(cfg Config) *Sender {
	return &Sender{cfg: cfg, ConnectTimeout: connectTimeout, ExchangeTimeout: exchangeTimeout}
}

// options are the go-mail client settings for the configuration, dialling
// through dial.
func (s *Sender) options(dial mail.DialContextFunc) []mail.Option {
	// go-mail applies its timeout to connecting and then as one deadline for
	// the whole session; the connections dial returns replace the second by
	// a deadline per exchange (exchangeConn).
	opts := []mail.Option{mail.WithPort(s.cfg.Port), mail.WithTimeout(s.ConnectTimeout), mail.WithDialContextFunc(dial),
		mail.WithTLSConfig(s.tlsConfig())}
	if s.cfg.ImplicitTLS {
		// dial makes the TLS connection; WithSSL tells go-mail not to try
		// STARTTLS on it.
		opts = append(opts, mail.WithSSL())
	} else {
		opts = append(opts, mail.WithTLSPolicy(mail.TLSOpportunistic))
	}
	if s.cfg.Username != "" {
		// PLAIN or LOGIN, whichever the server offers (LOGIN for servers such
		// as Exchange Online), else the strongest mechanism go-mail finds.
		// go-mail sends PLAIN and LOGIN only over TLS, or to a server named
		// localhost, 127.0.0.1 or ::1 (its loopback exception, kept: the
		// password then never leaves the machine), so a missing STARTTLS
		// never puts the password on the network in clear.
		opts = append(opts, mail.WithUsername(s.cfg.Username), mail.WithPassword(s.cfg.Password),
			mail.WithOpportunisticSMTPAuth(mail.SMTPAuthPlain, mail.SMTPAuthLogin))
	}
	return opts
}

// meaning is what a failed Send means for its message.
type meaning int

const (
	// permanent: the server refused this message with a 5xx reply to MAIL
	// FROM, RCPT TO or DATA, or the message cannot be written (an address
	// that is not one); it would fail the same way if tried again.
	permanent meaning = iota + 1
	// configProblem: a 5xx reply before the message, to the greeting, EHLO,
	// STARTTLS or AUTH (a wrong password). It says nothing about the message,
	// would fail every message alike, and passes once the operator fixes
	// --smtp-url, so the message is tried again as after a network error.
	configProblem
	// afterDelivery: a failure after the server accepted the message
	// (answered 250 to the end of its data), of the RSET or QUIT that go-mail
	// sends next or of the connection meanwhile. go-mail returns it as the
	// error of the send, but the message has arrived: sending it again would
	// deliver a copy.
	afterDelivery
)

// sendError is an error of Send with what it means for the message; an
// error of Send without one (a 4xx reply, a refused or broken connection, a
// deadline) may pass, and is worth a retry.
type sendError struct {
	means meaning
	err   error
}

func (e sendError) Error() string { return e.err.Error() }
func (e sendError) Unwrap() error { return e.err }

// means reports whether err is a sendError that means m.
func means(err error, m meaning) bool {
	var se sendError
	return errors.As(err, &se) && se.means == m
}

// IsPermanent reports whether err, from Send, is final for this message: a
// 5xx reply to the message or a message that cannot be sent as it is.
func IsPermanent(err error) bool { return means(err, permanent) }

// IsConfigProblem reports whether err, from Send, is the server refusing the
// connection or the account of the configuration rather than the message.
func IsConfigProblem(err error) bool { return means(err, configProblem) }

// Delivered reports whether err, from Send, came after the server had
// accepted the message: the message is delivered, and err is only worth a
// log line.
func Delivered(err error) bool { return means(err, afterDelivery) }

// messageSteps are the steps of go-mail's SendError at which a 5xx reply is
// about the message (its sender, recipient or content), not about the
// connection.
var messageSteps = []mail.SendErrReason{mail.ErrSMTPMailFrom, mail.ErrSMTPRcptTo, mail.ErrSMTPData, mail.ErrSMTPDataClose}

// classify sorts an error of a delivery that did not arrive by what to do
// with its message: a 5xx reply at one of the messageSteps is permanent,
// any other 5xx (before MAIL FROM) a configuration problem, the rest
// (4xx, network, deadlines) worth a retry as it is.
func classify(err error) error {
	if code := replyCode(err); code < 500 || code >= 600 {
		return err
	}
	var se *mail.SendError
	if errors.As(err, &se) && slices.Contains(messageSteps, se.Reason) {
		return sendError{permanent, err}
	}
	return sendError{configProblem, err}
}

// replyCode is the SMTP reply code err carries, or 0 when it carries none
// (the network failed, or a deadline passed). go-mail reports the steps of a
// message as a SendError, which carries the code but does not unwrap, and
// the steps before it (greeting, EHLO, STARTTLS, AUTH) as the textproto
// error of the reply.
func replyCode(err error) int {
	var se *mail.SendError
	if errors.As(err, &se) {
		return se.ErrorCode()
	}
	var te *textproto.Error
	if errors.As(err, &te) {
		return te.Code
	}
	return 0
}

// Send delivers one plain-text UTF-8 message to a single recipient. The
// connection is closed when Send returns, whatever happened, and at once
// when ctx ends. An error that IsPermanent will not go away by trying again;
// one that IsConfigProblem needs the configuration fixed; one that is
// Delivered came after the server had accepted the message.
func (s *Sender) Send(ctx context.Context, to, subject, body string) error {
	m := mail.NewMsg()
	if err := m.From(s.cfg.From); err != nil {
		return sendError{permanent, fmt.Errorf("sender address: %w", err)}
	}
	if err := m.To(to); err != nil {
		return sendError{permanent, fmt.Errorf("recipient address: %w", err)}
	}
	m.Subject(subject)
	m.SetBodyString(mail.TypeTextPlain, body)
	// go-mail closes the connection only after a QUIT that the server
	// answered, and not at all when a step before the message fails (a
	// greeting, EHLO or AUTH that times out): the socket then stayed open
	// until the garbage collector found it. Every connection dial opens is
	// closed here instead.
	var opened []net.Conn
	var stops []func() bool
	defer func() {
		for _, stop := range stops {
			stop()
		}
		for _, conn := range opened {
			conn.Close()
		}
	}()
	dial := func(dialCtx context.Context, network, addr string) (net.Conn, error) {
		raw, err := (&net.Dialer{}).DialContext(dialCtx, network, addr)
		if err != nil {
			return nil, err
		}
		opened = append(opened, raw)
		// Stopping the worker ends ctx: closing the socket then breaks off a
		// read or write that a silent server would hold until its deadline.
		stops = append(stops, context.AfterFunc(ctx, func() { raw.Close() }))
		conn := &exchangeConn{Conn: raw, timeout: s.ExchangeTimeout}
		if err := raw.SetDeadline(time.Now().Add(s.ExchangeTimeout)); err != nil { // for the greeting
			return nil, err
		}
		if !s.cfg.ImplicitTLS {
			return conn, nil
		}
		tc := tls.Client(conn, s.tlsConfig())
		if err := tc.HandshakeContext(dialCtx); err != nil {
			return nil, err
		}
		return tc, nil
	}
	c, err := mail.NewClient(s.cfg.Host, s.options(dial)...)
	if err != nil {
		return err
	}
	err = c.DialAndSendWithContext(ctx, m)
	if err == nil {
		return nil
	}
	// go-mail marks the message delivered on the 250 to its data, and then
	// still reports a failed RSET or QUIT as the send's error.
	if m.IsDelivered() {
		return sendError{afterDelivery, err}
	}
	return classify(err)
}

// tlsConfig is the TLS of STARTTLS and smtps://: the configured host's
// certificate, TLS 1.2 at least.
func (s *Sender) tlsConfig() *tls.Config {
	return &tls.Config{ServerName: s.cfg.Host, MinVersion: tls.VersionTLS12, RootCAs: s.roots}
}

// exchangeConn is the connection to the server with a deadline per exchange:
// each write (a command, or a part of the message data) sets the deadline by
// which the server must have read it and answered. Reading does not move it,
// so a server that answers a byte at a time is bounded too. The deadlines
// that go-mail sets itself (one for the whole session) are ignored.
type exchangeConn struct {
	net.Conn
	timeout time.Duration
}

func (c *exchangeConn) Write(p []byte) (int, error) {
	if err := c.Conn.SetDeadline(time.Now().Add(c.timeout)); err != nil {
		return 0, err
	}
	return c.Conn.Write(p)
}

// SetDeadline ignores go-mail's deadline; see exchangeConn.
func (c *exchangeConn) SetDeadline(time.Time) error { return nil }

// Queue is the outbox as the worker uses it, in the store's words; the
// SQLite store implements it.
type Queue interface {
	// DueOutbox returns up to limit queued messages whose next attempt is
	// due at now.
	DueOutbox(ctx context.Context, now time.Time, limit int) ([]domain.EmailMessage, error)
	// MarkOutboxSent records a delivery at at and replaces the body by
	// scrubbedBody.
	MarkOutboxSent(ctx context.Context, id int64, at time.Time, scrubbedBody string) error
	// MarkOutboxFailed records a failure that will be tried again: the
	// number of attempts so far, the last error and when to try again.
	MarkOutboxFailed(ctx context.Context, id int64, attempts int, lastErr string, next time.Time) error
	// MarkOutboxUndeliverable records that the worker gave up on the
	// message after attempts attempts, for reason.
	MarkOutboxUndeliverable(ctx context.Context, id int64, attempts int, reason string) error
}

const (
	// MaxInFlight is how many messages are delivered at the same time. A
	// server that hangs on one message holds one of these until the
	// message's deadlines pass; the others, and a new invitation, go on.
	MaxInFlight = 4
	// MaxAttempts is how many times a message that fails for now (a 4xx
	// reply, a network error) is tried before it is failed for good; with
	// the backoff below the last attempt comes about 23 hours after the
	// first.
	MaxAttempts = 30
	// firstRetry and maxRetry bound the backoff: 30 s after the first
	// failure, doubling, then hourly.
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

// Worker delivers the outbox in the background, up to MaxInFlight messages
// at a time.
type Worker struct {
	// Interval is the pause between passes over the outbox; 5 s by default.
	Interval time.Duration
	now      func() time.Time
	queue    Queue
	sender   *Sender
	scrub    func(body string) string
	log      *slog.Logger

	mu       sync.Mutex
	inFlight map[int64]bool // the messages being delivered now
	// unrecorded are the outcomes the outbox could not take (a full disk),
	// by message: those messages are still queued and due, but must not be
	// sent again; each pass tries again to record them.
	unrecorded map[int64]func(context.Context) error
	running    sync.WaitGroup
}

// NewWorker returns a worker that delivers q's messages through s, telling
// the time by now (the app's clock: a test moves it to reach a retry's time).
// scrub turns a delivered message's body into the one kept in the outbox
// (without the invitation token).
func NewWorker(q Queue, s *Sender, scrub func(body string) string, logger *slog.Logger, now func() time.Time) *Worker {
	return &Worker{
		Interval:   5 * time.Second,
		now:        now,
		queue:      q,
		sender:     s,
		scrub:      scrub,
		log:        logger,
		inFlight:   map[int64]bool{},
		unrecorded: map[int64]func(context.Context) error{},
	}
}

// Run starts the deliveries due at once and then every Interval (which must
// be positive) until ctx is done, without waiting for those still running:
// a message stuck on a silent server does not hold the next pass. When ctx
// ends, the deliveries under way are broken off (not counted as attempts)
// and Run returns once they have. A pass that fails (the outbox cannot be
// read or updated) is logged and the next one tries again.
func (w *Worker) Run(ctx context.Context) {
	defer w.running.Wait()
	ticker := time.NewTicker(w.Interval)
	defer ticker.Stop()
	report := func(o outcome) {
		if o.err != nil {
			w.log.Error("outbox pass failed", "error", o.err)
		}
	}
	for {
		if _, err := w.start(ctx, report); err != nil && ctx.Err() == nil {
			w.log.Error("outbox pass failed", "error", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
		}
	}
}

// RunOnce delivers the messages due now, as many as there are free places,
// waits for them, and reports how many were sent and how many failed. err
// is about the outbox itself (or ctx ending); a message that fails to send
// is recorded, not returned.
func (w *Worker) RunOnce(ctx context.Context) (sent, failed int, err error) {
	results := make(chan outcome, MaxInFlight)
	n, err := w.start(ctx, func(o outcome) { results <- o })
	errs := []error{err, ctx.Err()}
	for range n {
		o := <-results
		sent, failed, errs = sent+o.sent, failed+o.failed, append(errs, o.err)
	}
	return sent, failed, errors.Join(errs...)
}

// outcome is what one delivery did: sent or failed (for now or for good),
// and err when the outbox could not record it (or, after a pass, an
// earlier outcome).
type outcome struct {
	sent, failed int
	err          error
}

// start tries again to record the outcomes the outbox could not take, then
// begins delivering the messages due now, each in a goroutine of its own,
// as many as MaxInFlight leaves room for, and returns how many it started;
// report gets each one's outcome. It holds the lock while it reads the
// outbox: a delivery records its outcome, or keeps it in unrecorded, before
// it leaves inFlight, so a message is either no longer due or still marked
// as under way or unrecorded, and is never sent twice.
func (w *Worker) start(ctx context.Context, report func(outcome)) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	recordErr := w.recordAgain(ctx)
	free := MaxInFlight - len(w.inFlight)
	if free <= 0 {
		return 0, recordErr
	}
	// The messages under way or unrecorded are still queued: ask for enough
	// to find the free ones among them.
	due, err := w.queue.DueOutbox(ctx, w.now(), len(w.inFlight)+len(w.unrecorded)+free)
	if err != nil {
		return 0, errors.Join(recordErr, fmt.Errorf("read the outbox: %w", err))
	}
	started := 0
	for _, m := range due {
		if started == free || ctx.Err() != nil {
			break
		}
		if w.inFlight[m.ID] || w.unrecorded[m.ID] != nil {
			continue
		}
		w.inFlight[m.ID] = true
		started++
		w.running.Add(1)
		go func() {
			defer w.running.Done()
			o, record := w.deliver(ctx, m)
			var err error
			if record != nil {
				// The outcome is recorded even if ctx ends meanwhile: a
				// message the server accepted must not go out again at the
				// next start.
				err = record(context.WithoutCancel(ctx))
			}
			w.mu.Lock()
			if keep(err) {
				w.unrecorded[m.ID] = record
			}
			delete(w.inFlight, m.ID)
			w.mu.Unlock()
			o.err = err
			report(o)
		}()
	}
	return started, recordErr
}

// recordAgain records the outcomes kept in unrecorded, and forgets each one
// the outbox took, or refused because its message is no longer queued (staff
// cancelled it meanwhile). The caller holds the lock.
func (w *Worker) recordAgain(ctx context.Context) error {
	var errs []error
	for id, record := range w.unrecorded {
		err := record(ctx)
		if !keep(err) {
			delete(w.unrecorded, id)
		}
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// keep reports whether an outcome whose recording returned err must be
// kept to record again: any failure but the outbox saying that the message
// is no longer queued, which trying again will not change.
func keep(err error) bool {
	return err != nil && !errors.Is(err, domain.ErrMessageNotQueued)
}

// deliver sends m once and returns what happened and how to record it in
// the outbox: delivered (once the server accepted it, whatever failed
// after); failed for good when the server refused the message itself (5xx)
// or this was attempt MaxAttempts; else failed for now, with the next
// attempt after the backoff. A delivery broken off because ctx ended before
// the server accepted the message is not an attempt and has nothing to
// record.
func (w *Worker) deliver(ctx context.Context, m domain.EmailMessage) (outcome, func(context.Context) error) {
	sendErr := w.sender.Send(ctx, m.To, m.Subject, m.Body)
	delivered := sendErr == nil || Delivered(sendErr)
	if !delivered && ctx.Err() != nil {
		return outcome{}, nil
	}
	at := w.now()
	attempt := m.Attempts + 1
	// Only the recipient's domain goes to the log: the address is personal
	// data, and subject and body may hold the invitation link.
	attrs := []any{"outbox_id", m.ID, "attempt", attempt, "to_domain", domainOf(m.To)}
	if delivered {
		if sendErr != nil {
			w.log.Warn("mail sent; the exchange after it failed", append(attrs, "error", withoutAddress(sendErr.Error(), m.To))...)
		} else {
			w.log.Info("mail sent", attrs...)
		}
		body := w.scrub(m.Body)
		return outcome{sent: 1}, func(ctx context.Context) error {
			return recorded("delivery", m.ID, w.queue.MarkOutboxSent(ctx, m.ID, at, body))
		}
	}
	if permanent := IsPermanent(sendErr); permanent || attempt >= MaxAttempts {
		reason := sendErr.Error()
		if !permanent {
			reason = fmt.Sprintf("gave up after %d attempts: %s", attempt, reason)
		}
		w.log.Error("mail delivery failed for good", append(attrs, "error", withoutAddress(reason, m.To))...)
		return outcome{failed: 1}, func(ctx context.Context) error {
			return recorded("failure", m.ID, w.queue.MarkOutboxUndeliverable(ctx, m.ID, attempt, reason))
		}
	}
	next := at.Add(backoff(attempt))
	level, msg := slog.LevelWarn, "mail delivery failed"
	if attempt >= alarmAttempts {
		level = slog.LevelError
	}
	if IsConfigProblem(sendErr) {
		// Every message fails alike until the operator acts.
		level, msg = slog.LevelError, "mail delivery failed: the mail server refuses the SMTP settings, check --smtp-url"
	}
	w.log.Log(ctx, level, msg, append(attrs, "error", withoutAddress(sendErr.Error(), m.To), "next_attempt", next)...)
	return outcome{failed: 1}, func(ctx context.Context) error {
		return recorded("failure", m.ID, w.queue.MarkOutboxFailed(ctx, m.ID, attempt, sendErr.Error(), next))
	}
}

// recorded is the error of recording the outcome what of outbox message id,
// nil when err is.
func recorded(what string, id int64, err error) error {
	if err != nil {
		return fmt.Errorf("record %s of outbox message %d: %w", what, id, err)
	}
	return nil
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
