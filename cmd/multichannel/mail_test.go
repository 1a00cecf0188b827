package main

import (
	"bytes"
	"context"
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wingtip/multichannel/internal/clock"
	"github.com/wingtip/multichannel/internal/demo"
	"github.com/wingtip/multichannel/internal/smtptest"
	"github.com/wingtip/multichannel/internal/sqlite"
	"github.com/wingtip/multichannel/internal/testio"
)

// The SMTP account the app is configured with in these tests.
const (
	mailUser     = "mailer"
	mailPassword = "secret"
	mailFrom     = "invites@wingtip.example"
	inviteeName  = "Patti Fernandez"
	inviteeEmail = "patti@litware.example"
)

// deliveryWait bounds every wait for the app's SMTP worker: it makes a pass
// at start and then every 5 s (an interval these tests cannot change), so one
// delivery takes at most about 5 s after it falls due.
const deliveryWait = 15 * time.Second

// startMailServer starts a real SMTP server on addr that requires AUTH PLAIN
// with mailUser and mailPassword and records what it receives; it stops when
// the test ends.
func startMailServer(t *testing.T, addr string) *smtptest.Server {
	t.Helper()
	return smtptest.Start(t, addr, mailUser, mailPassword)
}

// ---- The app, started with run() as main does. ----

type runningApp struct {
	base   string // http://127.0.0.1:<port>
	dbPath string
	out    *testio.Buffer
	errs   *testio.Buffer
	cancel context.CancelFunc
	done   chan error
	once   sync.Once
}

// startApp runs the program with demo data, a fresh database and the given
// SMTP URL in the environment, and waits until it answers /healthz.
func startApp(t *testing.T, smtpURL string) *runningApp {
	t.Helper()
	addr := freeAddr(t)
	a := &runningApp{base: "http://" + addr, dbPath: filepath.Join(t.TempDir(), "data", "app.db"),
		out: &testio.Buffer{}, errs: &testio.Buffer{}, done: make(chan error, 1)}
	ctx, cancel := context.WithCancel(context.Background())
	a.cancel = cancel
	args := []string{"--demo", "--db", a.dbPath, "--addr", addr, "--base-url", a.base}
	go func() {
		a.done <- run(ctx, args, env(map[string]string{"MULTICHANNEL_SMTP_URL": smtpURL}), nil, a.out, a.errs)
	}()
	t.Cleanup(func() { a.stop(t) })
	client := &http.Client{Timeout: 2 * time.Second}
	for deadline := time.Now().Add(15 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		select {
		case err := <-a.done:
			a.done <- err
			t.Fatalf("the app stopped at start: %v\nstdout: %s\nstderr: %s", err, a.out, a.errs)
		default:
		}
		res, err := client.Get(a.base + "/healthz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return a
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("the app did not answer /healthz: %v, %v", res, err)
		}
	}
}

// stop cancels the app's context as SIGINT does and waits for run to return.
func (a *runningApp) stop(t *testing.T) {
	t.Helper()
	a.once.Do(func() {
		a.cancel()
		select {
		case err := <-a.done:
			if err != nil {
				t.Errorf("run returned %v", err)
			}
		case <-time.After(20 * time.Second):
			t.Error("the app did not shut down")
		}
	})
}

// ---- A browser: cookie jar, no redirects followed, same-origin POSTs. ----

type browser struct {
	t      *testing.T
	base   string
	client *http.Client
}

func newBrowser(t *testing.T, base string) *browser {
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &browser{t: t, base: base, client: &http.Client{
		Jar:           jar,
		Timeout:       10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

func (b *browser) get(path string) (int, string) {
	b.t.Helper()
	res, err := b.client.Get(b.base + path)
	if err != nil {
		b.t.Fatalf("GET %s: %v", path, err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		b.t.Fatalf("GET %s: %v", path, err)
	}
	return res.StatusCode, string(body)
}

// post submits a form as a page of the app would, and expects 303 See Other.
func (b *browser) post(path string, form url.Values) string {
	b.t.Helper()
	req, err := http.NewRequest(http.MethodPost, b.base+path, strings.NewReader(form.Encode()))
	if err != nil {
		b.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", b.base)
	res, err := b.client.Do(req)
	if err != nil {
		b.t.Fatalf("POST %s: %v", path, err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusSeeOther {
		b.t.Fatalf("POST %s: status %d; want 303\n%s", path, res.StatusCode, body)
	}
	return res.Header.Get("Location")
}

func (b *browser) signIn(email string) {
	b.t.Helper()
	if to := b.post("/login", url.Values{"email": {email}, "password": {demo.Password}, "next": {"/"}}); to != "/" {
		b.t.Fatalf("sign-in as %s went to %q", email, to)
	}
}

var (
	sendAction = regexp.MustCompile(`action="/relationships/(\d+)/send"[^>]*>\s*<input type="hidden" name="back" value="[^"]*">\s*` +
		`<input type="hidden" name="message" value="(\d+)">\s*<input type="hidden" name="version" value="(\d+)">`)
	draftLink = regexp.MustCompile(`value="(http://[^"]+/invite/[^"]+)"`)
)

// invitee is a demo customer that can be invited, and its Global admin.
type invitee struct{ customer, search, name, email string }

var (
	litware = invitee{"Litware, Inc.", "litware", inviteeName, inviteeEmail}
	adatum  = invitee{"Adatum Corporation", "adatum", "Isaiah Langer", "isaiah@adatum.example"}
)

// invitation is what queueInvitation made.
type invitation struct {
	page string // the customer's relationship page
	rid  string // the relationship request's id
	link string // the link the draft showed before it was sent
}

// queueInvitation invites who's Global admin as b's user and presses Send,
// as a Sales agent does in the browser, ticking past the regional warning
// (Litware is outside the demo partner's CSP market).
func queueInvitation(t *testing.T, b *browser, who invitee) invitation {
	t.Helper()
	status, list := b.get("/customers?q=" + who.search)
	m := regexp.MustCompile(`href="/customers/(\d+)"[^>]*>` + regexp.QuoteMeta(html.EscapeString(who.customer)) + `<`).FindStringSubmatch(list)
	if status != http.StatusOK || m == nil {
		t.Fatalf("customer search: status %d, no link to %s:\n%s", status, who.customer, list)
	}
	inv := invitation{page: "/customers/" + m[1] + "/relationship"}
	to := b.post(inv.page, url.Values{"recipient_name": {who.name}, "recipient_email": {who.email},
		"expiry_days": {"30"}, "admin_days": {""}, "outside_market_ok": {"1"}})
	if to != inv.page {
		t.Fatalf("creating the invitation went to %q; want %q", to, inv.page)
	}
	status, page := b.get(inv.page)
	sm := sendAction.FindStringSubmatch(page)
	if status != http.StatusOK || sm == nil {
		t.Fatalf("relationship page: status %d, no Send form (is SMTP enabled?):\n%s", status, page)
	}
	inv.rid = sm[1]
	if lm := draftLink.FindStringSubmatch(page); lm != nil {
		inv.link = html.UnescapeString(lm[1])
	} else {
		t.Fatalf("the draft shows no invitation link:\n%s", page)
	}
	if to := b.post("/relationships/"+inv.rid+"/send", url.Values{"back": {inv.page}, "message": {sm[2]}, "version": {sm[3]}}); to != inv.page {
		t.Fatalf("sending went to %q; want %q", to, inv.page)
	}
	return inv
}

// checkStartOutput checks that the app says where it sends mail without
// showing the SMTP password.
func checkStartOutput(t *testing.T, a *runningApp, smtpAddr string) {
	t.Helper()
	out := a.out.String()
	if !strings.Contains(out, "Sending mail through smtp://"+mailUser+":xxxxx@"+smtpAddr) {
		t.Errorf("start-up output does not say which SMTP server it uses:\n%s", out)
	}
	if strings.Contains(out, mailPassword) {
		t.Errorf("start-up output shows the SMTP password:\n%s", out)
	}
}

// TestInvitationMailIsDeliveredThroughSMTP runs the program against a real
// SMTP server: a Sales agent invites a customer and presses Send; the worker
// delivers the message with the link, the link works, and once delivered the
// token is nowhere in the database files.
func TestInvitationMailIsDeliveredThroughSMTP(t *testing.T) {
	ms := startMailServer(t, "127.0.0.1:0")
	smtpURL := "smtp://" + mailUser + ":" + mailPassword + "@" + ms.Addr + "?from=" + mailFrom
	a := startApp(t, smtpURL)
	checkStartOutput(t, a, ms.Addr)

	jordan := newBrowser(t, a.base)
	jordan.signIn("jordan@wingtip.example")
	inv := queueInvitation(t, jordan, litware)

	got := ms.WaitFor(t, 1, deliveryWait)
	time.Sleep(200 * time.Millisecond) // a second, wrong delivery would show up here
	if got = ms.Received(); len(got) != 1 {
		t.Fatalf("the SMTP server received %d messages; want 1", len(got))
	}
	if got[0].From != mailFrom || len(got[0].To) != 1 || got[0].To[0] != inviteeEmail {
		t.Errorf("envelope from %q to %v; want %s to %s", got[0].From, got[0].To, mailFrom, inviteeEmail)
	}
	m := got[0].Decode(t)
	subject, body := m.Subject, m.Body
	if !strings.Contains(subject, demo.Partner.Name) {
		t.Errorf("subject %q does not name the partner %q", subject, demo.Partner.Name)
	}
	linkRE := regexp.MustCompile(regexp.QuoteMeta(a.base) + `/invite/([A-Za-z0-9_-]{43})(?:\s|$)`)
	lm := linkRE.FindStringSubmatch(body)
	if lm == nil {
		t.Fatalf("the body has no invitation link under %s:\n%s", a.base, body)
	}
	token := lm[1]
	link := a.base + "/invite/" + token
	if link != inv.link {
		t.Errorf("the mail links to %s; the draft showed %s", link, inv.link)
	}
	if !strings.Contains(body, "Dear "+inviteeName) || !strings.Contains(body, "Litware, Inc.") {
		t.Errorf("the body does not address %s about Litware:\n%s", inviteeName, body)
	}

	// The customer opens the link, signed out.
	res, err := (&http.Client{Timeout: 10 * time.Second}).Get(link)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK || !strings.Contains(string(page), "Litware, Inc.") {
		t.Fatalf("GET the invitation link: %d\n%s", res.StatusCode, page)
	}

	// The delivery is recorded right after the server accepted the message;
	// from then on the relationship page shows no draft and no link.
	var relPage string
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		var status int
		status, relPage = jordan.get(inv.page)
		if status != http.StatusOK {
			t.Fatalf("relationship page: %d", status)
		}
		if !strings.Contains(relPage, `id="invitation"`) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the relationship page still shows the draft after delivery:\n%s", relPage)
		}
	}
	if strings.Contains(relPage, token) || strings.Contains(relPage, "/invite/") {
		t.Errorf("the relationship page still shows the link after delivery")
	}
	if !strings.Contains(relPage, inviteeEmail) {
		t.Errorf("the relationship page no longer shows the pending request to %s", inviteeEmail)
	}

	// An Admin agent sees the message as sent on the outbox page.
	sam := newBrowser(t, a.base)
	sam.signIn("sam@wingtip.example")
	if row := outboxRow(t, sam, subject); row.state != "Sent" || row.attempts != 0 || row.lastErr != "" {
		t.Errorf("outbox row after delivery: %+v; want sent, 0 failed attempts, no error", row)
	}

	// While the app still runs, the delivery has emptied the WAL too: a copy
	// of the files taken now holds no live token.
	if found, _ := filesHolding(t, filepath.Dir(a.dbPath), token); len(found) > 0 {
		t.Errorf("while running, after delivery, the token is still in %v", found)
	}

	a.stop(t)
	for _, text := range []string{a.out.String(), a.errs.String()} {
		if strings.Contains(text, token) || strings.Contains(text, mailPassword) {
			t.Errorf("the program's output shows the token or the SMTP password:\n%s", text)
		}
	}
	// The delivered message was scrubbed and secure_delete overwrites what
	// was freed: no byte sequence of the token is left in the database, its
	// WAL or anything else beside it.
	checkTokenGone(t, filepath.Dir(a.dbPath), token)
}

// checkTokenGone reads every file in dir (the database, its -wal and -shm
// when present) byte by byte and fails if token occurs in any.
func checkTokenGone(t *testing.T, dir, token string) {
	t.Helper()
	found, searched := filesHolding(t, dir, token)
	for _, f := range found {
		t.Errorf("the token is still in %s", f)
	}
	if !strings.Contains(strings.Join(searched, " "), "app.db (") {
		t.Fatalf("the database file was not found in %s: %v", dir, searched)
	}
	t.Logf("token not found in %s", strings.Join(searched, ", "))
}

// filesHolding returns the files in dir that contain s, with the byte offset,
// and every file it searched with its size.
func filesHolding(t *testing.T, dir, s string) (found, searched []string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		searched = append(searched, e.Name()+" ("+strconv.Itoa(len(data))+" bytes)")
		if i := bytes.Index(data, []byte(s)); i >= 0 {
			found = append(found, e.Name()+" at byte "+strconv.Itoa(i))
		}
	}
	return found, searched
}

// outboxEntry is one row of the outbox page.
type outboxEntry struct {
	state    string
	attempts int
	lastErr  string
}

var (
	outboxRows = regexp.MustCompile(`(?s)<tr>(.*?)</tr>`)
	outboxCell = regexp.MustCompile(`(?s)<td[^>]*>(.*?)</td>`)
	errorSmall = regexp.MustCompile(`(?s)<small class="field-error">(.*?)</small>`)
	tags       = regexp.MustCompile(`<[^>]*>`)
)

// outboxRow finds the newest message to Litware's invitee with the given
// subject on the outbox page, as b's user sees it.
func outboxRow(t *testing.T, b *browser, subject string) outboxEntry {
	t.Helper()
	status, page := b.get("/outbox")
	if status != http.StatusOK {
		t.Fatalf("GET /outbox: %d", status)
	}
	for _, row := range outboxRows.FindAllStringSubmatch(page, -1) {
		cells := outboxCell.FindAllStringSubmatch(row[1], -1)
		if len(cells) != 7 || html.UnescapeString(cells[1][1]) != inviteeEmail ||
			!strings.Contains(html.UnescapeString(tags.ReplaceAllString(cells[2][1], "")), subject) {
			continue
		}
		var e outboxEntry
		if m := errorSmall.FindStringSubmatch(cells[3][1]); m != nil {
			e.lastErr = strings.TrimSpace(html.UnescapeString(m[1]))
		}
		e.state = strings.TrimSpace(html.UnescapeString(tags.ReplaceAllString(errorSmall.ReplaceAllString(cells[3][1], ""), "")))
		n, err := strconv.Atoi(strings.TrimSpace(cells[4][1]))
		if err != nil {
			t.Fatalf("attempts cell %q: %v", cells[4][1], err)
		}
		e.attempts = n
		return e
	}
	t.Fatalf("the outbox shows no message to %s:\n%s", inviteeEmail, page)
	return outboxEntry{}
}

// TestInvitationMailWaitsWhileTheServerIsDown queues an invitation while
// nothing listens at the SMTP address: the message stays queued with the
// failed attempt and its error on the outbox page and on the relationship
// page, and is delivered once the server is up and the retry is due.
//
// The worker retries 30 s after a first failure (then 1 min, 2 min, …), which
// is too slow to wait for here. Instead of waiting, the test pulls the retry
// forward through the store's public API, exactly as the worker itself
// records a failure (same attempts and error, next attempt now), as if the
// 30 s had passed; the timing of the backoff itself is covered by
// TestBackoff and TestWorkerRetriesWhileTheServerIsDown in internal/smtpmail.
func TestInvitationMailWaitsWhileTheServerIsDown(t *testing.T) {
	smtpAddr := freeAddr(t) // nothing listens there any more
	smtpURL := "smtp://" + mailUser + ":" + mailPassword + "@" + smtpAddr + "?from=" + mailFrom
	a := startApp(t, smtpURL)
	checkStartOutput(t, a, smtpAddr)

	jordan := newBrowser(t, a.base)
	jordan.signIn("jordan@wingtip.example")
	inv := queueInvitation(t, jordan, litware)
	subject := demo.Partner.Name

	sam := newBrowser(t, a.base)
	sam.signIn("sam@wingtip.example")
	var row outboxEntry
	for deadline := time.Now().Add(deliveryWait); ; time.Sleep(100 * time.Millisecond) {
		row = outboxRow(t, sam, subject)
		if row.attempts >= 1 {
			break
		}
		if row.state != "Queued for sending" {
			t.Fatalf("outbox row before any attempt: %+v; want queued", row)
		}
		if time.Now().After(deadline) {
			t.Fatalf("no failed attempt shows on the outbox within %v: %+v", deliveryWait, row)
		}
	}
	if row.state != "Queued for sending" || row.attempts != 1 || !strings.Contains(row.lastErr, "connection refused") {
		t.Errorf("outbox row after the first attempt: %+v; want queued, 1 attempt, a connection refused error", row)
	}
	if strings.Contains(row.lastErr, mailPassword) {
		t.Errorf("the outbox error shows the SMTP password: %q", row.lastErr)
	}
	// The sales agent sees the same on the relationship page, link still there.
	_, relPage := jordan.get(inv.page)
	if !strings.Contains(relPage, `id="draft-queued"`) || !strings.Contains(relPage, "Last attempt failed:") ||
		!strings.Contains(relPage, "connection refused") || !strings.Contains(relPage, inv.link) {
		t.Errorf("the relationship page does not show the queued message with its failure and link:\n%s", relPage)
	}
	// Nothing is tried again before the retry is due (30 s).
	time.Sleep(6 * time.Second)
	if again := outboxRow(t, sam, subject); again.attempts != 1 || again.state != "Queued for sending" {
		t.Errorf("outbox row 6 s after the first failure: %+v; want still queued with 1 attempt", again)
	}

	// While the message waits, its token is in the database files: the
	// search that must come up empty after delivery does find it here.
	token := inv.link[strings.LastIndex(inv.link, "/")+1:]
	if found, searched := filesHolding(t, filepath.Dir(a.dbPath), token); len(found) == 0 {
		t.Errorf("the queued message's token is in none of %v; the search after delivery would prove nothing", searched)
	} else {
		t.Logf("while queued, the token is in %s", strings.Join(found, ", "))
	}

	// The server comes up on the configured address.
	ms := startMailServer(t, smtpAddr)
	pullRetryForward(t, a.dbPath, inv.rid)

	got := ms.WaitFor(t, 1, deliveryWait)
	if len(got) != 1 || len(got[0].To) != 1 || got[0].To[0] != inviteeEmail {
		t.Fatalf("the SMTP server received %d messages (%v); want 1 to %s", len(got), got, inviteeEmail)
	}
	if body := got[0].Decode(t).Body; !strings.Contains(body, inv.link) {
		t.Errorf("the delivered message lacks the link %s:\n%s", inv.link, body)
	}
	// A bound for correctness, not speed: generous, since a loaded machine
	// can take seconds between the delivery and the write that records it.
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		row = outboxRow(t, sam, subject)
		if row.state != "Queued for sending" || time.Now().After(deadline) {
			break
		}
	}
	if row.state != "Sent" || row.attempts != 1 || row.lastErr != "" {
		t.Errorf("outbox row after delivery: %+v; want sent, 1 failed attempt, the error cleared", row)
	}
	a.stop(t)
	checkTokenGone(t, filepath.Dir(a.dbPath), token)
}

// pullRetryForward makes the queued message of relationship rid due now,
// keeping its attempts and error, through a second connection to the running
// app's database.
func pullRetryForward(t *testing.T, dbPath, rid string) {
	t.Helper()
	id, err := strconv.ParseInt(rid, 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	store, err := sqlite.Open(ctx, dbPath, clock.UTC)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	m, err := store.InvitationDraft(ctx, id)
	if err != nil || m.Status != "queued" || m.Attempts != 1 || m.NextAttemptAt == nil {
		t.Fatalf("stored message: %+v, %v; want queued with 1 attempt and a next attempt", m, err)
	}
	if wait := time.Until(*m.NextAttemptAt); wait < 20*time.Second || wait > 30*time.Second {
		t.Errorf("next attempt in %v; want about 30 s after the first failure", wait.Round(time.Second))
	}
	// Fails with domain.ErrConflict if the message is no longer queued.
	if err := store.MarkOutboxFailed(ctx, m.ID, m.Attempts, m.LastError, time.Now().UTC()); err != nil {
		t.Fatalf("pull the retry forward: %v", err)
	}
}

// inviteLitwareThrough starts the program with the SMTP server at smtpAddr
// and has a Sales agent send Litware an invitation; it returns the program
// and the Sales agent's browser.
func inviteLitwareThrough(t *testing.T, smtpAddr string) (*runningApp, *browser) {
	t.Helper()
	a := startApp(t, "smtp://"+mailUser+":"+mailPassword+"@"+smtpAddr+"?from="+mailFrom)
	jordan := newBrowser(t, a.base)
	jordan.signIn("jordan@wingtip.example")
	queueInvitation(t, jordan, litware)
	return a, jordan
}

// waitUntil polls cond until it holds, and fails the test when it does not
// within deliveryWait.
func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(deliveryWait); !cond(); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("%s did not happen within %v", what, deliveryWait)
		}
	}
}

// stopAtOnce stops the program, logs how long it took, and fails the test
// unless that was under 5 s.
func stopAtOnce(t *testing.T, a *runningApp, while string) {
	t.Helper()
	start := time.Now()
	a.stop(t)
	took := time.Since(start)
	t.Logf("shutdown %s took %v", while, took.Round(time.Millisecond))
	if took > 5*time.Second {
		t.Errorf("shutdown %s took %v; want under 5 s", while, took)
	}
}

// TestAStuckMailServerDelaysOnlyItsOwnMessageAndNotShutdown runs the program
// against an SMTP server that never answers the RCPT of one invitation: the
// next invitation is delivered while that one still hangs (it has not even
// failed once), and the program still shuts down at once.
func TestAStuckMailServerDelaysOnlyItsOwnMessageAndNotShutdown(t *testing.T) {
	ms := startMailServer(t, "127.0.0.1:0")
	ms.Stall(litware.email)
	a, jordan := inviteLitwareThrough(t, ms.Addr)
	waitUntil(t, "the worker reaching the stuck recipient", func() bool { return ms.Stalled() > 0 })

	queueInvitation(t, jordan, adatum)
	got := ms.WaitFor(t, 1, deliveryWait)
	if len(got) != 1 || len(got[0].To) != 1 || got[0].To[0] != adatum.email {
		t.Fatalf("the SMTP server received %v; want the invitation to %s", got, adatum.email)
	}
	sam := newBrowser(t, a.base)
	sam.signIn("sam@wingtip.example")
	if row := outboxRow(t, sam, demo.Partner.Name); row.state != "Queued for sending" || row.attempts != 0 {
		t.Errorf("Litware's invitation when Adatum's went out: %+v; want still queued, not yet failed: it waited for the stuck one", row)
	}
	stopAtOnce(t, a, "with a delivery stuck on the server")
}

// TestShutdownIsNotHeldByASilentMailServer runs the program against an SMTP
// server that accepts the connection and never says a word, and stops it
// while the worker waits for the greeting: it still shuts down at once.
func TestShutdownIsNotHeldByASilentMailServer(t *testing.T) {
	silent := smtptest.StartSilent(t, false)
	a, _ := inviteLitwareThrough(t, silent.Addr)
	waitUntil(t, "the worker connecting to the silent server", func() bool { return silent.Accepted() > 0 })
	stopAtOnce(t, a, "while the worker waits for a silent server's greeting")
}
