package smtptest

import (
	"bufio"
	"crypto/tls"
	"fmt"
	"net"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

const (
	user     = "mailer@wingtip.example"
	password = "s3cret:p@ss"
)

// message is what the client sends: an encoded-word subject and a
// quoted-printable body, as the app's mail library writes them.
const message = "From: Wingtip <invites@wingtip.example>\r\n" +
	"To: ga@customer.example\r\n" +
	"Subject: =?UTF-8?q?Einladung_f=C3=BCr_Litware?=\r\n" +
	"Content-Type: text/plain; charset=UTF-8\r\n" +
	"Content-Transfer-Encoding: quoted-printable\r\n" +
	"\r\n" +
	"Guten Tag Frau M=C3=BCller,\r\n" +
	"bitte =C3=B6ffnen Sie den Link.\r\n"

// send delivers message to the server at addr as a client signed in with pw,
// or without AUTH when pw is empty.
func send(t *testing.T, addr, pw string) error {
	t.Helper()
	return sendTo(t, addr, pw, "ga@customer.example", 0)
}

// sendTo is send to the recipient to, waiting at most timeout (when not 0)
// for each reply.
func sendTo(t *testing.T, addr, pw, to string, timeout time.Duration) error {
	t.Helper()
	c, err := smtp.Dial(addr)
	if err != nil {
		return err
	}
	if timeout > 0 {
		c.CommandTimeout = timeout
	}
	defer c.Close()
	if pw != "" {
		if err := c.Auth(sasl.NewPlainClient("", user, pw)); err != nil {
			return err
		}
	}
	if err := c.SendMail("invites@wingtip.example", []string{to}, strings.NewReader(message)); err != nil {
		return err
	}
	return c.Quit()
}

func TestServerRecordsWhatAnAuthenticatedClientSends(t *testing.T) {
	s := Start(t, "127.0.0.1:0", user, password)
	if err := send(t, s.Addr, password); err != nil {
		t.Fatalf("send: %v", err)
	}
	got := s.Received()
	if len(got) != 1 || got[0].From != "invites@wingtip.example" || !slices.Equal(got[0].To, []string{"ga@customer.example"}) {
		t.Fatalf("received %+v; want one message from invites@ to ga@", got)
	}
	want := Decoded{To: "ga@customer.example", From: "Wingtip <invites@wingtip.example>", Subject: "Einladung für Litware",
		ContentType: "text/plain; charset=UTF-8", Body: "Guten Tag Frau Müller,\nbitte öffnen Sie den Link.\n"}
	if d := got[0].Decode(t); d != want {
		t.Errorf("Decode = %+v; want %+v", d, want)
	}
}

func TestServerRefusesAClientThatDidNotAuthenticate(t *testing.T) {
	s := Start(t, "127.0.0.1:0", user, password)
	if err := send(t, s.Addr, "wrong"); err == nil || !strings.Contains(err.Error(), "invalid credentials") {
		t.Errorf("send with a wrong password = %v; want the server's refusal", err)
	}
	if err := send(t, s.Addr, ""); err == nil || !strings.Contains(err.Error(), "Please authenticate first") {
		t.Errorf("send without AUTH = %v; want the server's refusal", err)
	}
	if n := len(s.Received()); n != 0 {
		t.Errorf("the server holds %d messages; the refused ones must not arrive", n)
	}
}

func TestServerStopsAndComesBackOnTheSameAddress(t *testing.T) {
	s := Start(t, "127.0.0.1:0", user, password)
	addr := s.Addr
	s.Stop()
	if err := send(t, addr, password); err == nil || !strings.Contains(err.Error(), "connection refused") {
		t.Fatalf("send to a stopped server = %v; want connection refused", err)
	}
	s.Stop() // a second Stop, as the test's clean-up does, is harmless

	back := Start(t, addr, user, password)
	go func() {
		time.Sleep(100 * time.Millisecond)
		if err := send(t, addr, password); err != nil {
			t.Errorf("send to the server that came back: %v", err)
		}
	}()
	if got := back.WaitFor(t, 1, 5*time.Second); len(got) != 1 {
		t.Errorf("WaitFor = %d messages; want 1", len(got))
	}
	if n := len(s.Received()); n != 0 {
		t.Errorf("the stopped server recorded %d messages", n)
	}
}

func TestServerRefusesAndStallsRecipientsAsTold(t *testing.T) {
	s := Start(t, "127.0.0.1:0", user, password)
	s.Refuse("gone@customer.example", 550, "mailbox unavailable", 1)
	if err := sendTo(t, s.Addr, password, "gone@customer.example", 0); err == nil || !strings.Contains(err.Error(), "550") {
		t.Errorf("first send to the refused recipient = %v; want the 550", err)
	}
	if err := sendTo(t, s.Addr, password, "gone@customer.example", 0); err != nil {
		t.Errorf("second send, after the one refusal: %v", err)
	}
	s.Stall("stuck@customer.example")
	if err := sendTo(t, s.Addr, password, "stuck@customer.example", 200*time.Millisecond); err == nil || s.Stalled() != 1 {
		t.Errorf("send to the stalled recipient = %v with %d stalled; want a timeout and 1", err, s.Stalled())
	}
	if n := len(s.Received()); n != 1 {
		t.Errorf("the server holds %d messages; want only the one accepted", n)
	}
}

func TestServerAnswersSlowlyAndOverTLS(t *testing.T) {
	s := Start(t, "127.0.0.1:0", user, password)
	s.SetReplyDelay(300 * time.Millisecond)
	if err := sendTo(t, s.Addr, password, "ga@customer.example", 100*time.Millisecond); err == nil {
		t.Error("a client waiting 100 ms for each reply got through a server that waits 300 ms")
	}
	s.SetReplyDelay(0)
	if err := send(t, s.Addr, password); err != nil || len(s.Received()) != 1 || s.Received()[0].TLS {
		t.Errorf("send without the delay = %v, %+v; want one message, not over TLS", err, s.Received())
	}

	tlsServer, pool := StartTLS(t, user, password, false)
	c, err := smtp.DialStartTLS(tlsServer.Addr, &tls.Config{RootCAs: pool, ServerName: "127.0.0.1"})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Auth(sasl.NewPlainClient("", user, password)); err != nil {
		t.Fatal(err)
	}
	if err := c.SendMail("invites@wingtip.example", []string{"ga@customer.example"}, strings.NewReader(message)); err != nil {
		t.Fatal(err)
	}
	if got := tlsServer.Received(); len(got) != 1 || !got[0].TLS {
		t.Errorf("received %+v; want one message over TLS", got)
	}
}

func TestSilentServerSaysNothing(t *testing.T) {
	for _, greet := range []bool{false, true} {
		s := StartSilent(t, greet)
		c, err := net.Dial("tcp", s.Addr)
		if err != nil {
			t.Fatal(err)
		}
		c.SetDeadline(time.Now().Add(300 * time.Millisecond))
		r := bufio.NewReader(c)
		line, err := r.ReadString('\n')
		if greet && (err != nil || !strings.HasPrefix(line, "220 ")) {
			t.Errorf("greeting %q, %v; want a 220", line, err)
		}
		fmt.Fprintf(c, "EHLO client\r\n")
		if more, err := r.ReadString('\n'); err == nil {
			t.Errorf("the silent server (greet %v) answered %q", greet, more)
		}
		c.Close()
		if n := s.Accepted(); n != 1 {
			t.Errorf("Accepted = %d; want 1", n)
		}
	}
}

func TestServerRefusesAWrongPasswordAsTold(t *testing.T) {
	s := Start(t, "127.0.0.1:0", user, password)
	s.RefuseAuth(535, "authentication credentials invalid")
	if err := send(t, s.Addr, "wrong"); err == nil || !strings.Contains(err.Error(), "535") {
		t.Errorf("send with a wrong password = %v; want the 535", err)
	}
	if err := send(t, s.Addr, password); err != nil || len(s.Received()) != 1 {
		t.Errorf("send with the password = %v, %d received; want the message", err, len(s.Received()))
	}
}

// TestServerMisbehavesAfterTheMessageAsTold sends a message, then RSET and
// QUIT, to a server set to drop, refuse or ignore them: the message has
// arrived whatever the client hears next.
func TestServerMisbehavesAfterTheMessageAsTold(t *testing.T) {
	for _, tc := range []struct {
		name        string
		a           AfterData
		reset, quit string // what the client hears; "" for 250 or 221
		stalled     int
	}{
		{"answer", AnswerAfterData, "", "", 0},
		{"drop", DropAfterData, "EOF", "", 0},
		{"refuse", RefuseAfterData, "554", "554", 0},
		{"ignore QUIT", IgnoreQuitAfterData, "", "timeout", 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := Start(t, "127.0.0.1:0", user, password)
			s.SetAfterData(tc.a)
			c, err := smtp.Dial(s.Addr)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			c.CommandTimeout = 300 * time.Millisecond
			if err := c.Auth(sasl.NewPlainClient("", user, password)); err != nil {
				t.Fatal(err)
			}
			if err := c.SendMail("invites@wingtip.example", []string{"ga@customer.example"}, strings.NewReader(message)); err != nil {
				t.Fatal(err)
			}
			if err := c.Reset(); !heard(err, tc.reset) {
				t.Errorf("RSET = %v; want %q", err, tc.reset)
			}
			if tc.a != DropAfterData {
				if err := c.Quit(); !heard(err, tc.quit) {
					t.Errorf("QUIT = %v; want %q", err, tc.quit)
				}
			}
			if n := len(s.Received()); n != 1 || s.Stalled() != tc.stalled {
				t.Errorf("received %d, %d stalled; want 1, %d", n, s.Stalled(), tc.stalled)
			}
		})
	}
}

// heard reports whether err is what the client should hear: no error for
// "", else an error that mentions want.
func heard(err error, want string) bool {
	if want == "" {
		return err == nil
	}
	return err != nil && strings.Contains(err.Error(), want)
}
