package web

import (
	"context"
	"html"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/wingtip/multichannel/internal/domain"
	"github.com/wingtip/multichannel/internal/smtpmail"
	"github.com/wingtip/multichannel/internal/smtptest"
)

// outboxMailer is a real SMTP server and the app's worker delivering the
// harness's outbox to it, on the harness's clock.
func outboxMailer(t *testing.T, app *testApp) (*smtptest.Server, *smtpmail.Worker) {
	t.Helper()
	ms := smtptest.Start(t, "127.0.0.1:0", "mailer", "secret")
	host, port, _ := net.SplitHostPort(ms.Addr)
	cfg, err := smtpmail.ParseURL("smtp://mailer:secret@" + net.JoinHostPort(host, port) + "?from=invites%40wingtip.example")
	if err != nil {
		t.Fatal(err)
	}
	return ms, smtpmail.NewWorker(app.store, smtpmail.NewSender(cfg), domain.ScrubInvitationLinks, slog.New(slog.NewTextHandler(io.Discard, nil)), app.clock.now)
}

// refusal is the app with SMTP after the first attempt at the settings
// page's test message to the Global admin, whose address the server refused
// once.
type refusal struct {
	app    *testApp
	server *smtptest.Server
	worker *smtpmail.Worker
	admin  *http.Client // the Global admin
	id     int64        // the message
}

// refusedOnce queues the test message, has the server refuse its recipient
// once with code and message, and makes the first attempt.
func refusedOnce(t *testing.T, code int, message string) refusal {
	t.Helper()
	r := refusal{app: startTestApp(t, testOptions{mail: true})}
	r.server, r.worker = outboxMailer(t, r.app)
	r.server.Refuse(globalAdmin, code, message, 1)
	r.admin = r.app.signIn(globalAdmin)
	if res := r.app.post(r.admin, "/settings/test-mail", url.Values{}); res.status != http.StatusSeeOther {
		t.Fatalf("test message: %d", res.status)
	}
	msgs, _, err := r.app.store.ListOutbox(context.Background(), domain.Page{Number: 1, Size: 1})
	if err != nil || len(msgs) != 1 || msgs[0].Status != domain.MessageQueued {
		t.Fatalf("outbox: %+v, %v", msgs, err)
	}
	r.id = msgs[0].ID
	runOnce(t, r.worker, 0, 1)
	return r
}

// runOnce makes one pass of the worker and fails unless it had sent and
// failed messages.
func runOnce(t *testing.T, w *smtpmail.Worker, sent, failed int) {
	t.Helper()
	if s, f, err := w.RunOnce(context.Background()); s != sent || f != failed || err != nil {
		t.Fatalf("RunOnce = %d sent, %d failed, %v; want %d, %d", s, f, err, sent, failed)
	}
}

// TestAMessageRefusedForGoodFailsWithTheReasonAndCanBeSentAgain: the server
// answers the test message's recipient with a 550; the outbox shows it
// failed, with the server's reason and a "send again" button for admins; an
// Admin agent sends it again (audited), and this time it is delivered.
func TestAMessageRefusedForGoodFailsWithTheReasonAndCanBeSentAgain(t *testing.T) {
	r := refusedOnce(t, 550, "mailbox unavailable")
	app, ms, worker, id := r.app, r.server, r.worker, r.id
	sam := app.signIn(adminAgent)
	page := app.get(sam, "/outbox")
	row := outboxTestRow(t, page.body)
	sendAgain := `action="/outbox/` + strconv.FormatInt(id, 10) + `/send-again"`
	if !strings.Contains(row, ">Failed") || !strings.Contains(html.UnescapeString(row), `550 "5.1.1 mailbox unavailable"`) ||
		!strings.Contains(row, sendAgain) {
		t.Fatalf("the outbox row does not show the failure, its reason and the button:\n%s", row)
	}
	// A failed message is not tried again on its own, even a day later.
	app.clock.advance(24 * time.Hour)
	runOnce(t, worker, 0, 0)
	sam = app.signIn(adminAgent) // the day ended the session

	// Sales agents do not see the outbox and cannot send again.
	jordan := app.signIn(salesAgent)
	if res := app.post(jordan, "/outbox/"+strconv.FormatInt(id, 10)+"/send-again", url.Values{}); res.status != http.StatusForbidden {
		t.Errorf("a Sales agent sending again: %d; want 403", res.status)
	}
	if res := app.post(sam, "/outbox/"+strconv.FormatInt(id, 10)+"/send-again", url.Values{}); res.status != http.StatusSeeOther ||
		res.header.Get("Location") != "/outbox" {
		t.Fatalf("sending again: %d to %q; want 303 to /outbox", res.status, res.header.Get("Location"))
	}
	if page := app.get(sam, "/outbox"); !strings.Contains(page.body, "The message will be sent again.") ||
		!strings.Contains(outboxTestRow(t, page.body), ">Queued for sending") || strings.Contains(page.body, sendAgain) {
		t.Errorf("after sending again the outbox does not show it queued without the button:\n%s", page.body)
	}
	entries, err := app.store.RecentAudit(context.Background(), domain.Page{Number: 1, Size: 20})
	if err != nil || len(entries) == 0 || entries[0].Action != domain.AuditMessageSentAgain || entries[0].ActorName == "" ||
		!strings.Contains(entries[0].Detail, "mailbox unavailable") {
		t.Errorf("newest audit entry = %+v, %v; want message_sent_again by the Admin agent with the reason", entries, err)
	}
	// Sending again a message that has not failed is a conflict.
	if res := app.post(sam, "/outbox/"+strconv.FormatInt(id, 10)+"/send-again", url.Values{}); res.status != http.StatusConflict ||
		!strings.Contains(res.body, "Only a message whose delivery failed can be sent again.") {
		t.Errorf("sending again a queued message: %d; want 409 with the reason", res.status)
	}

	runOnce(t, worker, 1, 0)
	if got := ms.Received(); len(got) != 1 || got[0].To[0] != globalAdmin {
		t.Fatalf("the server received %v; want the test message", got)
	}
	if row := outboxTestRow(t, app.get(sam, "/outbox").body); !strings.Contains(row, ">Sent") {
		t.Errorf("after delivery the row is not sent:\n%s", row)
	}
}

// TestATemporaryRefusalIsRetriedThenDelivered: a 451 leaves the message
// queued with the attempt and the reply shown, and it is delivered at the
// retry.
func TestATemporaryRefusalIsRetriedThenDelivered(t *testing.T) {
	r := refusedOnce(t, 451, "greylisted, try again later")
	app, ms, worker, id := r.app, r.server, r.worker, r.id
	row := outboxTestRow(t, app.get(r.admin, "/outbox").body)
	if !strings.Contains(row, ">Queued for sending") || !strings.Contains(html.UnescapeString(row), "451") || strings.Contains(row, "/send-again") {
		t.Fatalf("after a 451 the row is not queued with the reply (and no button):\n%s", row)
	}
	runOnce(t, worker, 0, 0) // not due yet
	app.clock.advance(30 * time.Second)
	runOnce(t, worker, 1, 0)
	msgs, _, _ := app.store.ListOutbox(context.Background(), domain.Page{Number: 1, Size: 1})
	if len(msgs) != 1 || msgs[0].ID != id || msgs[0].Status != domain.MessageSent || msgs[0].Attempts != 1 || len(ms.Received()) != 1 {
		t.Errorf("after the retry: %+v, %d received; want sent after 1 failed attempt", msgs, len(ms.Received()))
	}
}

// outboxTestRow is the newest row of the outbox table.
func outboxTestRow(t *testing.T, page string) string {
	t.Helper()
	_, rest, ok := strings.Cut(page, `<tbody>`)
	if !ok {
		t.Fatalf("no outbox table:\n%s", page)
	}
	row, _, _ := strings.Cut(rest, `</tr>`)
	return row
}

// TestTheOutboxSaysWhyAMessageWasWithdrawn: the draft of an invitation the
// customer accepted is shown as withdrawn, not needed any more, in words
// rather than the state's code, and so is a draft a new link replaced.
func TestTheOutboxSaysWhyAMessageWasWithdrawn(t *testing.T) {
	app := newTestApp(t)
	sam := app.signIn(adminAgent)
	litware := app.customerID("Litware")
	_, token := app.invite(sam, litware, nil)
	if res := app.post(app.public(), "/invite/"+token, acceptForm()); res.status != http.StatusSeeOther && res.status != http.StatusOK {
		t.Fatalf("accept: %d\n%s", res.status, res.body)
	}
	page := app.get(sam, "/outbox")
	for _, s := range []string{"Withdrawn", "Not needed any more: the customer accepted the invitation."} {
		if !strings.Contains(page.body, s) {
			t.Errorf("the outbox does not say %q", s)
		}
	}
	if strings.Contains(page.body, ">cancelled") || strings.Contains(page.body, ">draft") {
		t.Error("the outbox shows a state's code")
	}
}
