package web

import (
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/wingtip/multichannel/internal/domain"
)

// TestBrowserAdminInvitesAUserWhoSetsAPasswordAndSignsIn follows a new
// partner user from invitation to first sign-in in headless Chromium. The
// Global admin signs in through the login form, invites an Admin agent on
// /users and reads the single-use password link from the read-only field the
// page shows once (no SMTP is configured); the message waits in the outbox as
// a draft. After signing out, the same browser opens the link, sets a
// password through the form, follows the redirect to the sign-in page, and
// signs in as the new user, whose name, role and navigation the header shows.
// The used link then answers 404 and offers no form.
//
// What only a browser shows here: the link as the admin's browser renders it
// in the field (its value property, not the HTML source), the invite and
// password forms posted as Chromium posts them, with its own Origin and
// Sec-Fetch-Site headers, the session cookie dropped on sign-out and a new
// one stored on sign-in, the 303 after the password form followed to the
// flash on the sign-in page, and the pages of the whole flow running under
// the CSP without console errors.
func TestBrowserAdminInvitesAUserWhoSetsAPasswordAndSignsIn(t *testing.T) {
	app := newTestApp(t)
	browser := startBrowser(t, browserTimeout)
	tab := openTab(t, browser)

	const (
		name        = "Kim Akers"
		email       = "kim@wingtip.example"
		newPassword = "kim's-first-password"
	)
	if n := len([]rune(newPassword)); n < domain.MinPasswordLength || n > domain.MaxPasswordLength {
		t.Fatalf("the test's password has %d characters, outside the rules of domain", n)
	}

	// inviteeCell is the trimmed text of a cell of the invitee's row in
	// table#users, or "" when the table does not list the invitee.
	inviteeCell := func(n int) string {
		t.Helper()
		return evaluate[string](tab, `(() => {
			const r = Array.from(document.querySelectorAll("table#users tbody tr")).find(r =>
				r.cells.length > 1 && r.cells[1].textContent.trim() === `+strconv.Quote(email)+`);
			return r ? r.cells[`+strconv.Itoa(n)+`].textContent.trim() : "";
		})()`)
	}

	// 1. The Global admin signs in and invites an Admin agent.
	tab.signInAs(app.url, globalAdmin, "Global admin")
	tab.clickAndLoad(`ul#main-nav a[href="/users"]`)
	if p := tab.path(); p != "/users" {
		t.Fatalf("the Users link led to %s, want /users", p)
	}
	if inviteeCell(0) != "" {
		t.Fatalf("table#users lists %s before the invitation", email)
	}
	if tab.exists("#password-link") {
		t.Fatal("/users shows #password-link before any invitation")
	}
	tab.do(
		chromedp.SendKeys(chromedp.ID("name"), name),
		chromedp.SendKeys(chromedp.ID("email"), email),
		chromedp.SetValue(chromedp.CSS("#invite-user-form select[name=role]"), string(domain.RoleAdminAgent)),
	)
	tab.clickAndLoad("#invite-user-form button[type=submit]")
	if p := tab.path(); p != "/users" {
		t.Fatalf("after the invitation the browser is on %s, want /users", p)
	}
	if notice := tab.text("#password-link"); !strings.Contains(notice, "single-use link") {
		t.Errorf("#password-link says %q, want it to speak of a single-use link", notice)
	}
	link := evaluate[string](tab, `(() => { const i = document.querySelector("#password-link input"); return i ? i.value : ""; })()`)
	m := regexp.MustCompile(`^` + regexp.QuoteMeta(app.url) + `/password/([A-Za-z0-9_-]{43})$`).FindStringSubmatch(link)
	if m == nil {
		t.Fatalf("the password link field holds %q, want %s/password/{43-character token}", link, app.url)
	}
	token := m[1]
	if got := inviteeCell(0); got != name {
		t.Errorf("the invitee's row names %q, want %q", got, name)
	}
	if got := inviteeCell(3); got != "Invited" {
		t.Errorf("the invitee's status is %q, want \"Invited\"", got)
	}
	// The form is empty again, ready for the next invitation.
	if got := evaluate[string](tab, `document.getElementById("email").value`); got != "" {
		t.Errorf("after the invitation the form's e-mail field holds %q, want it empty", got)
	}

	// The link is shown once: loading /users again does not show it.
	tab.clickAndLoad(`ul#main-nav a[href="/users"]`)
	if tab.exists("#password-link") {
		t.Error("/users shows #password-link again on the next load")
	}
	if evaluate[bool](tab, `document.documentElement.outerHTML.includes(`+strconv.Quote(token)+`)`) {
		t.Error("/users holds the token on the next load")
	}
	if got := inviteeCell(3); got != "Invited" {
		t.Errorf("on the next load the invitee's status is %q, want \"Invited\"", got)
	}

	// The message waits in the outbox as a draft.
	tab.clickAndLoad(`ul#main-nav a[href="/outbox"]`)
	outbox := evaluate[[]string](tab, `Array.from(document.querySelectorAll("table#outbox tbody tr"))
		.filter(r => r.cells[1].textContent.trim() === `+strconv.Quote(email)+`)
		.map(r => r.cells[2].textContent.trim() + " | " + r.cells[3].textContent.trim())`)
	if want := []string{"Your account at Wingtip Cloud Partners | Draft: not sent yet"}; !slices.Equal(outbox, want) {
		t.Errorf("the outbox lists %q for %s, want %q", outbox, email, want)
	}

	// 2. Signed out, the same browser opens the link and sets a password.
	tab.clickAndLoad("#sign-out")
	if p := tab.path(); p != "/login" {
		t.Fatalf("after sign-out the browser is on %s, want /login", p)
	}
	tab.open(link)
	if h1 := tab.text("main h1"); h1 != "Set your password" {
		t.Fatalf("the password link shows the h1 %q, want \"Set your password\"", h1)
	}
	if body := tab.text("main"); !strings.Contains(body, "For "+name+" ("+email+")") {
		t.Errorf("the password page says %q, want it to name %s (%s)", body, name, email)
	}
	tab.do(
		chromedp.SendKeys(chromedp.ID("password"), newPassword),
		chromedp.SendKeys(chromedp.ID("confirm"), newPassword),
	)
	tab.clickAndLoad("#password-form button[type=submit]")
	loc, err := chromedp.Run(tab.ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	if u, err := url.Parse(loc); err != nil || u.Path != "/login" || u.Query().Get("password_set") != "1" {
		t.Fatalf("after setting the password the browser is on %s, want /login?password_set=1", loc)
	}
	if msg := tab.text("#password-set"); msg != "Your password is set. Sign in with it." {
		t.Errorf("#password-set says %q", msg)
	}

	// 3. The new user signs in with the new password.
	tab.signIn(email, newPassword)
	if h1 := tab.text("h1"); h1 != "Welcome, "+name {
		t.Errorf("h1 = %q, want %q", h1, "Welcome, "+name)
	}
	if who := tab.text("#signed-in-user"); who != name {
		t.Errorf("#signed-in-user = %q, want %q", who, name)
	}
	if role := tab.text("#signed-in-role"); role != "Admin agent" {
		t.Errorf("#signed-in-role = %q, want \"Admin agent\"", role)
	}
	if nav, want := tab.texts("ul#main-nav a"), []string{"Home", "Customers", "Relationships", "Planner", "Outbox", "Transfers"}; !slices.Equal(nav, want) {
		t.Errorf("navigation = %q, want %q", nav, want)
	}

	// 4. The link is used up: opening it again offers no form.
	tab.checkUsedLink("the used password link", link, "#invalid-password-link", "#password-form, input[type=password]")

	// 5. No console errors on any page, CSP violations included.
	tab.checkConsole()
}
