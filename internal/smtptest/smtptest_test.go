package smtptest

import (
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
	c, err := smtp.Dial(addr)
	if err != nil {
		return err
	}
	defer c.Close()
	if pw != "" {
		if err := c.Auth(sasl.NewPlainClient("", user, pw)); err != nil {
			return err
		}
	}
	if err := c.SendMail("invites@wingtip.example", []string{"ga@customer.example"}, strings.NewReader(message)); err != nil {
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
