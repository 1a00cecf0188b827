package web

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/wingtip/multichannel/internal/domain"
)

var passwordLinkPattern = regexp.MustCompile(`value="(http://[^"]+/password/([A-Za-z0-9_-]{43}))"`)

// inviteUser invites a user as the Global admin and returns the password
// link shown once (there is no SMTP server in tests).
func (a *testApp) inviteUser(admin *http.Client, name, email string, role domain.Role) string {
	a.t.Helper()
	res := a.post(admin, "/users", url.Values{"name": {name}, "email": {email}, "role": {string(role)}})
	m := passwordLinkPattern.FindStringSubmatch(res.body)
	if res.status != http.StatusOK || m == nil {
		a.t.Fatalf("invite %s: %d, link shown: %v", email, res.status, m != nil)
	}
	return m[2]
}

func TestInvitedUserSetsAPasswordAndSignsIn(t *testing.T) {
	app := newTestApp(t)
	admin := app.signIn(globalAdmin)
	token := app.inviteUser(admin, "Kim Akers", "kim@wingtip.example", domain.RoleAdminAgent)
	if page := app.get(admin, "/users"); strings.Contains(page.body, token) || !strings.Contains(page.body, "Invited") {
		t.Error("the link is shown again, or the user is not listed as invited")
	}
	// Before setting a password the account cannot sign in (and nothing breaks).
	if res := app.post(app.client(), "/login", url.Values{"email": {"kim@wingtip.example"}, "password": {"anything-at-all"}}); res.status != http.StatusUnprocessableEntity {
		t.Fatalf("an invited user signed in without a password: %d", res.status)
	}
	visitor := app.client()
	path := "/password/" + token
	for range 2 { // opening the link changes nothing
		if res := app.get(visitor, path); res.status != http.StatusOK || !strings.Contains(res.body, "Kim Akers") ||
			res.header.Get("Referrer-Policy") != "no-referrer" {
			t.Fatalf("password page: %d", res.status)
		}
	}
	if res := app.post(visitor, path, url.Values{"password": {"a-good-password"}, "confirm": {"another-password"}}); res.status != http.StatusUnprocessableEntity ||
		!strings.Contains(res.body, "confirm-error") {
		t.Errorf("mismatched passwords: %d", res.status)
	}
	res := app.post(visitor, path, url.Values{"password": {"a-good-password"}, "confirm": {"a-good-password"}})
	if res.status != http.StatusSeeOther || res.header.Get("Location") != "/login?password_set=1" {
		t.Fatalf("set password: %d %q", res.status, res.header.Get("Location"))
	}
	if res := app.post(visitor, path, url.Values{"password": {"x-other-pass"}, "confirm": {"x-other-pass"}}); res.status != http.StatusNotFound {
		t.Errorf("the link worked twice: %d", res.status)
	}
	kim := app.client()
	if res := app.post(kim, "/login", url.Values{"email": {"kim@wingtip.example"}, "password": {"a-good-password"}}); res.status != http.StatusSeeOther {
		t.Fatalf("sign in with the new password: %d", res.status)
	}
	if res := app.get(kim, "/outbox"); res.status != http.StatusOK {
		t.Errorf("the new Admin agent cannot open the outbox: %d", res.status)
	}
	// The token is in no message and no audit entry any more.
	msgs, _, _ := app.store.ListOutbox(context.Background(), domain.Page{Number: 1, Size: 50})
	for _, m := range msgs {
		if strings.Contains(m.Body, token) {
			t.Errorf("message %d still holds the password link", m.ID)
		}
		if m.To == "kim@wingtip.example" && (m.Status != domain.MessageCancelled || m.Why() != domain.PasswordMessageEnded) {
			t.Errorf("the used password mail stands %s, %q; want withdrawn because the password was set", m.Status, m.Why())
		}
	}
	entries, _ := app.store.RecentAudit(context.Background(), domain.Page{Number: 1, Size: 100})
	for _, e := range entries {
		if strings.Contains(e.Detail+e.Target, token) || strings.Contains(e.Detail+e.Target, "a-good-password") {
			t.Errorf("an audit entry holds a secret: %+v", e)
		}
	}
}

func TestRoleChangeEndsSessionsAndTheLastGlobalAdminIsKept(t *testing.T) {
	app := newTestApp(t)
	admin := app.signIn(globalAdmin)
	agent := app.signIn(adminAgent)
	sam, _ := app.store.UserByEmail(context.Background(), adminAgent)
	avery, _ := app.store.UserByEmail(context.Background(), globalAdmin)
	if res := app.post(admin, "/users/"+itoa(sam.ID)+"/role", url.Values{"role": {"sales_agent"}}); res.status != http.StatusSeeOther {
		t.Fatalf("role change: %d", res.status)
	}
	if res := app.get(agent, "/"); res.status != http.StatusSeeOther {
		t.Errorf("the user's session survived the role change: %d", res.status)
	}
	// Avery is the only Global admin: neither demoted nor deactivated.
	if res := app.post(admin, "/users/"+itoa(avery.ID)+"/role", url.Values{"role": {"admin_agent"}}); res.status != http.StatusConflict ||
		!strings.Contains(res.body, "last active Global admin") {
		t.Errorf("demoting the last Global admin: %d", res.status)
	}
	if res := app.post(admin, "/users/"+itoa(avery.ID)+"/active", url.Values{"active": {"0"}, "confirmed": {"yes"}}); res.status != http.StatusConflict {
		t.Errorf("deactivating the last Global admin: %d", res.status)
	}
	// Deactivation ends sessions at once; reactivation lets the user back.
	jordan := app.signIn(salesAgent)
	j, _ := app.store.UserByEmail(context.Background(), salesAgent)
	app.post(admin, "/users/"+itoa(j.ID)+"/active", url.Values{"active": {"0"}, "confirmed": {"yes"}})
	if res := app.get(jordan, "/"); res.status != http.StatusSeeOther {
		t.Errorf("a deactivated user's session survived: %d", res.status)
	}
	app.post(admin, "/users/"+itoa(j.ID)+"/active", url.Values{"active": {"1"}})
	app.signIn(salesAgent)
}

func TestUserRoutesAreForGlobalAdminsOnly(t *testing.T) {
	app := newTestApp(t)
	for _, email := range []string{adminAgent, salesAgent} {
		c := app.signIn(email)
		for _, path := range []string{"/users", "/users/1/role", "/users/1/active", "/users/1/reset", "/users/1/two-factor/reset"} {
			var res response
			if path == "/users" {
				res = app.get(c, path)
			} else {
				res = app.post(c, path, url.Values{"role": {"global_admin"}, "active": {"0"}})
			}
			if res.status != http.StatusForbidden {
				t.Errorf("%s %s: %d, want 403", email, path, res.status)
			}
		}
		if res := app.post(c, "/users", url.Values{"name": {"X"}, "email": {"x@wingtip.example"}, "role": {"global_admin"}}); res.status != http.StatusForbidden {
			t.Errorf("%s invites a user: %d", email, res.status)
		}
	}
}

func TestPasswordResetKillsTheOlderLink(t *testing.T) {
	app := newTestApp(t)
	admin := app.signIn(globalAdmin)
	first := app.inviteUser(admin, "Lee Gu", "lee@wingtip.example", domain.RoleSalesAgent)
	lee, _ := app.store.UserByEmail(context.Background(), "lee@wingtip.example")
	res := app.post(admin, "/users/"+itoa(lee.ID)+"/reset", url.Values{})
	m := passwordLinkPattern.FindStringSubmatch(res.body)
	if m == nil || m[2] == first {
		t.Fatal("the reset did not give a new link")
	}
	if res := app.get(app.client(), "/password/"+first); res.status != http.StatusNotFound {
		t.Errorf("the older link still works: %d", res.status)
	}
	if res := app.get(app.client(), "/password/"+m[2]); res.status != http.StatusOK {
		t.Errorf("the new link does not work: %d", res.status)
	}
	// After 72 hours the link is dead.
	// The one clock moves for the sessions too: sign in again afterwards.
	app.clock.advance(73 * time.Hour)
	admin = app.signIn(globalAdmin)
	if res := app.get(app.client(), "/password/"+m[2]); res.status != http.StatusNotFound {
		t.Errorf("a 73-hour-old link works: %d", res.status)
	}
	// Inviting an address already used is a field error.
	if res := app.post(admin, "/users", url.Values{"name": {"Lee"}, "email": {"LEE@wingtip.example"}, "role": {"sales_agent"}}); res.status != http.StatusUnprocessableEntity ||
		!strings.Contains(res.body, "already exists") {
		t.Errorf("a duplicate invitation: %d", res.status)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
