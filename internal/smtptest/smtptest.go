// Package smtptest is test support: a real SMTP server on the loopback
// interface that tests send mail to, through the app's own SMTP client, and
// then read what arrived. It requires AUTH PLAIN with one account, refuses
// mail from a client that did not authenticate (as a real submission server
// does), and records the envelope and the raw data of every message it
// accepts. Only test files import it; the app itself never does.
//
// Start's server speaks plain TCP and offers no STARTTLS: the tests run on
// 127.0.0.1. StartTLS's offers STARTTLS, or speaks TLS from the first byte,
// with a certificate made for the test.
//
// For the tests of a sender that must not hang, the server can also answer
// slowly (SetReplyDelay), refuse a recipient with a given reply (Refuse),
// stop answering in the middle of one recipient's message (Stall), answer a
// wrong password as most servers do (RefuseAuth), or misbehave once it has
// accepted a message (SetAfterData), and Silent is a listener that accepts
// connections and never says a word.
package smtptest

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"io"
	"log"
	"math/big"
	"mime"
	"mime/quotedprintable"
	"net"
	netmail "net/mail"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Message is one message as the server received it: the envelope (MAIL FROM
// and RCPT TO) and the data as the client sent it, headers and encoded body.
type Message struct {
	From string
	To   []string
	Data []byte
	TLS  bool // the message came over TLS
}

// Server is a running SMTP server. Addr is where it listens (host:port), so
// that a test can build the app's SMTP URL from it.
type Server struct {
	Addr string

	user, password string
	listener       net.Listener
	srv            *smtp.Server

	stopped chan struct{} // closed by Stop: stalled sessions end

	mu          sync.Mutex
	msgs        []Message
	delay       time.Duration      // before each reply
	authRefusal *smtp.SMTPError    // the reply to wrong credentials; nil: go-smtp's 454
	afterData   AfterData          // on connections accepted from now on
	refuse      map[string]refusal // by recipient
	stall       map[string]bool    // recipients whose RCPT is never answered
	stalled     int                // commands left unanswered so far
}

// refusal is how the server answers a recipient it refuses, and how many
// more times (negative: always).
type refusal struct {
	err   *smtp.SMTPError
	times int
}

// Start listens on addr ("127.0.0.1:0" for any free port, or the address of a
// server stopped before, to bring it back) and accepts mail from a client
// that signs in with AUTH PLAIN as user with password. The server stops when
// the test ends.
func Start(t testing.TB, addr, user, password string) *Server {
	t.Helper()
	return start(t, addr, user, password, nil, false)
}

// StartTLS is Start with TLS on 127.0.0.1: STARTTLS offered, or TLS from the
// first byte when implicit is set (as on port 465). It returns the pool
// that holds the server's certificate, for the client to trust.
func StartTLS(t testing.TB, user, password string, implicit bool) (*Server, *x509.CertPool) {
	t.Helper()
	cert, pool := certificate(t)
	return start(t, "127.0.0.1:0", user, password, &tls.Config{Certificates: []tls.Certificate{cert}}, implicit), pool
}

// certificate makes a self-signed certificate for 127.0.0.1 and the pool
// that trusts it.
func certificate(t testing.TB) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "smtptest"},
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(leaf)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, pool
}

// start is Start with tlsConfig for STARTTLS, or for every connection when
// implicit is set.
func start(t testing.TB, addr, user, password string, tlsConfig *tls.Config, implicit bool) *Server {
	t.Helper()
	l, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatalf("listen on %s: %v", addr, err)
	}
	if implicit {
		l = tls.NewListener(l, tlsConfig)
	}
	s := &Server{Addr: l.Addr().String(), user: user, password: password, stopped: make(chan struct{}),
		refuse: map[string]refusal{}, stall: map[string]bool{}}
	s.listener = &listener{Listener: l, server: s}
	s.srv = smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) {
		return &session{server: s, conn: c}, nil
	}))
	if !implicit {
		s.srv.TLSConfig = tlsConfig
	}
	s.srv.Domain = "localhost"
	// Plain TCP on loopback: go-smtp refuses AUTH without TLS unless told.
	s.srv.AllowInsecureAuth = true
	// A client that hangs does not hold the test's server forever.
	s.srv.ReadTimeout, s.srv.WriteTimeout = 10*time.Second, 10*time.Second
	s.srv.ErrorLog = log.New(io.Discard, "", 0)
	go s.srv.Serve(s.listener)
	t.Cleanup(s.Stop)
	return s
}

// SetReplyDelay makes the server wait d before each of its replies, the
// greeting included, on connections it accepts from now on.
func (s *Server) SetReplyDelay(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.delay = d
}

// RefuseAuth makes the server answer wrong credentials with code (535, as
// most servers say) and message instead of go-smtp's 454.
func (s *Server) RefuseAuth(code int, message string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.authRefusal = &smtp.SMTPError{Code: code, EnhancedCode: smtp.EnhancedCode{code / 100, 7, 8}, Message: message}
}

// AfterData is what the server does with the client's RSET and QUIT once it
// has accepted a message on the connection (answered 250 to the end of its
// data): the message has arrived, and whatever goes wrong now must not make
// the client send it again.
type AfterData int

const (
	// AnswerAfterData answers RSET and QUIT as usual.
	AnswerAfterData AfterData = iota
	// DropAfterData closes the connection instead of answering.
	DropAfterData
	// RefuseAfterData answers 554.
	RefuseAfterData
	// IgnoreQuitAfterData answers RSET but never QUIT, until the server
	// stops or the client closes the connection.
	IgnoreQuitAfterData
)

// SetAfterData sets what the server does with RSET and QUIT after a message,
// on connections it accepts from now on, without STARTTLS.
func (s *Server) SetAfterData(a AfterData) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.afterData = a
}

// Refuse makes the server answer RCPT TO:<to> with code (450, 550, …) and
// message the next times times (always when times is negative).
func (s *Server) Refuse(to string, code int, message string, times int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	enhanced := smtp.EnhancedCode{code / 100, 1, 1}
	s.refuse[to] = refusal{err: &smtp.SMTPError{Code: code, EnhancedCode: enhanced, Message: message}, times: times}
}

// Stall makes the server never answer RCPT TO:<to>, until it stops: the
// client sending that message hangs there, as on a server that went silent.
func (s *Server) Stall(to string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stall[to] = true
}

// Stalled is how many commands the server has left unanswered: RCPT to a
// recipient under Stall, and QUIT under IgnoreQuitAfterData.
func (s *Server) Stalled() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stalled
}

// Stop closes the listener and every connection; the port then refuses, as
// when the mail server is down. Calling it again does nothing. The listener
// is closed here too because Serve, in its goroutine, may not have handed it
// to the server yet.
func (s *Server) Stop() {
	s.mu.Lock()
	select {
	case <-s.stopped:
	default:
		close(s.stopped)
	}
	s.mu.Unlock()
	s.srv.Close()
	s.listener.Close()
}

// Received returns the messages accepted so far, in order, in a list of its
// own: messages that arrive later do not change it.
func (s *Server) Received() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.msgs)
}

// WaitFor polls until the server holds at least n messages and returns them;
// it fails the test when they have not arrived within the given time.
func (s *Server) WaitFor(t testing.TB, n int, within time.Duration) []Message {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		got := s.Received()
		if len(got) >= n {
			return got
		}
		if time.Now().After(deadline) {
			t.Fatalf("the SMTP server received %d messages in %v; want %d", len(got), within, n)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Decoded is a received message's headers and body as a person reads them:
// the subject with its encoded words decoded, the body with its
// quoted-printable encoding undone and its line ends as "\n".
type Decoded struct {
	To, From, Subject, ContentType, Body string
}

// Decode parses the message's data, and fails the test when it is not a
// well-formed message.
func (m Message) Decode(t testing.TB) Decoded {
	t.Helper()
	msg, err := netmail.ReadMessage(bytes.NewReader(m.Data))
	if err != nil {
		t.Fatalf("received message does not parse: %v\n%s", err, m.Data)
	}
	subject, err := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	if err != nil {
		t.Fatal(err)
	}
	var body io.Reader = msg.Body
	if strings.EqualFold(msg.Header.Get("Content-Transfer-Encoding"), "quoted-printable") {
		body = quotedprintable.NewReader(msg.Body)
	}
	b, err := io.ReadAll(body)
	if err != nil {
		t.Fatal(err)
	}
	return Decoded{To: msg.Header.Get("To"), From: msg.Header.Get("From"), Subject: subject,
		ContentType: msg.Header.Get("Content-Type"), Body: strings.ReplaceAll(string(b), "\r\n", "\n")}
}

// session is one client's connection.
type session struct {
	server *Server
	conn   *smtp.Conn
	authed bool
	from   string
	to     []string
}

func (s *session) AuthMechanisms() []string { return []string{sasl.Plain} }

func (s *session) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, password string) error {
		if user != s.server.user || password != s.server.password {
			s.server.mu.Lock()
			defer s.server.mu.Unlock()
			if r := s.server.authRefusal; r != nil {
				return r
			}
			return errors.New("invalid credentials")
		}
		s.authed = true
		return nil
	}), nil
}

func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	if !s.authed {
		return smtp.ErrAuthRequired
	}
	s.from = from
	return nil
}

func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	srv := s.server
	srv.mu.Lock()
	r, refused := srv.refuse[to]
	if refused && r.times != 0 {
		r.times--
		srv.refuse[to] = r
		srv.mu.Unlock()
		return r.err
	}
	stall := srv.stall[to]
	if stall {
		srv.stalled++
	}
	srv.mu.Unlock()
	if stall {
		<-srv.stopped
		return errors.New("stopped")
	}
	s.to = append(s.to, to)
	return nil
}

func (s *session) Data(r io.Reader) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.server.mu.Lock()
	defer s.server.mu.Unlock()
	_, overTLS := s.conn.TLSConnectionState()
	s.server.msgs = append(s.server.msgs, Message{From: s.from, To: slices.Clone(s.to), Data: data, TLS: overTLS})
	// go-smtp calls Data from the goroutine that reads the connection, so
	// the next Read sees this without a lock.
	if c, ok := s.conn.Conn().(*conn); ok {
		c.accepted = true
	}
	return nil
}

func (s *session) Reset()        { s.from, s.to = "", nil }
func (s *session) Logout() error { return nil }

// listener hands the server connections that wait before each reply and
// treat RSET and QUIT after a message as the server is set to.
type listener struct {
	net.Listener
	server *Server
}

func (l *listener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	l.server.mu.Lock()
	defer l.server.mu.Unlock()
	if l.server.delay == 0 && l.server.afterData == AnswerAfterData {
		// Unwrapped, so that go-smtp sees a connection of implicit TLS as
		// one.
		return c, nil
	}
	return &conn{Conn: c, server: l.server, delay: l.server.delay, afterData: l.server.afterData}, nil
}

// conn waits delay before the first write after each read (and before the
// greeting): before each reply, however many lines it has. Once the server
// has accepted a message on it, it handles RSET and QUIT itself as
// afterData says, without handing them to go-smtp.
type conn struct {
	net.Conn
	delay     time.Duration
	replying  bool // the reply under way has had its wait
	afterData AfterData
	accepted  bool // the server has accepted a message on this connection
	server    *Server
}

func (c *conn) Read(p []byte) (int, error) {
	c.replying = false
	for {
		n, err := c.Conn.Read(p)
		if err != nil || !c.accepted || c.afterData == AnswerAfterData {
			return n, err
		}
		// The client waits for each reply before its next command, so a
		// read after the message holds one whole command.
		cmd := strings.ToUpper(strings.TrimSpace(string(p[:n])))
		if cmd != "RSET" && cmd != "QUIT" {
			return n, err
		}
		switch {
		case c.afterData == DropAfterData:
			c.Conn.Close()
			return 0, io.EOF
		case c.afterData == RefuseAfterData:
			if _, err := io.WriteString(c.Conn, "554 5.3.0 "+cmd+" refused\r\n"); err != nil {
				return 0, err
			}
		case cmd == "QUIT": // IgnoreQuitAfterData
			c.server.mu.Lock()
			c.server.stalled++
			c.server.mu.Unlock()
			closed := make(chan struct{})
			go func() {
				io.Copy(io.Discard, c.Conn)
				close(closed)
			}()
			select {
			case <-closed:
			case <-c.server.stopped:
			}
			c.Conn.Close()
			return 0, io.EOF
		default:
			return n, err
		}
	}
}

func (c *conn) Write(p []byte) (int, error) {
	if !c.replying && c.delay > 0 {
		time.Sleep(c.delay)
	}
	c.replying = true
	return c.Conn.Write(p)
}

// Silent is a server that accepts connections and then never answers: not
// even with a greeting, or with nothing after it. It reads what the client
// sends and closes its side when the client closes its own. It stops when
// the test ends.
type Silent struct {
	Addr     string
	listener net.Listener

	mu       sync.Mutex
	accepted int
	open     map[net.Conn]bool
}

// StartSilent listens on a free port of 127.0.0.1 as a server that never
// answers, or that greets and then never answers when greet is set.
func StartSilent(t testing.TB, greet bool) *Silent {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &Silent{Addr: l.Addr().String(), listener: l, open: map[net.Conn]bool{}}
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			s.mu.Lock()
			s.accepted++
			s.open[c] = true
			s.mu.Unlock()
			go func() {
				if greet {
					io.WriteString(c, "220 silent.test ESMTP\r\n")
				}
				io.Copy(io.Discard, c)
				s.mu.Lock()
				delete(s.open, c)
				s.mu.Unlock()
				c.Close()
			}()
		}
	}()
	t.Cleanup(func() {
		l.Close()
		s.mu.Lock()
		defer s.mu.Unlock()
		for c := range s.open {
			c.Close()
		}
	})
	return s
}

// Accepted is how many connections the server has accepted.
func (s *Silent) Accepted() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.accepted
}
