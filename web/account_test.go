package web

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

func TestChangePasswordEndsOtherSessions(t *testing.T) {
	app := newTestApp(t)
	here, elsewhere := app.signIn(salesAgent), app.signIn(salesAgent)
	page := app.get(here, "/account")
	if page.status != http.StatusOK || strings.Count(page.body, "<tr>") < 3 || !strings.Contains(page.body, "This browser") {
		t.Fatalf("account page: %d", page.status)
	}
	if res := app.post(here, "/account/password", url.Values{"current": {"wrong-password"}, "password": {"a-new-password"}, "confirm": {"a-new-password"}}); res.status != http.StatusUnprocessableEntity ||
		!strings.Contains(res.body, "current-error") {
		t.Errorf("a wrong current password: %d", res.status)
	}
	if res := app.post(here, "/account/password", url.Values{"current": {"multichannel-demo"}, "password": {"a-new-password"}, "confirm": {"a-new-password"}}); res.status != http.StatusSeeOther {
		t.Fatalf("change password: %d", res.status)
	}
	if res := app.get(here, "/"); res.status != http.StatusOK {
		t.Errorf("this session ended too: %d", res.status)
	}
	if res := app.get(elsewhere, "/"); res.status != http.StatusSeeOther {
		t.Errorf("the other session survived: %d", res.status)
	}
	if res := app.post(app.client(), "/login", url.Values{"email": {salesAgent}, "password": {"a-new-password"}}); res.status != http.StatusSeeOther {
		t.Errorf("the new password does not sign in: %d", res.status)
	}
}

func TestEndAnotherSession(t *testing.T) {
	app := newTestApp(t)
	here, elsewhere := app.signIn(adminAgent), app.signIn(adminAgent)
	page := app.get(here, "/account")
	m := regexp.MustCompile(`action="/account/sessions/(\d+)/end"`).FindStringSubmatch(page.body)
	if m == nil {
		t.Fatal("no other session to end")
	}
	// Another user cannot end it through their own account.
	other := app.signIn(salesAgent)
	if res := app.post(other, "/account/sessions/"+m[1]+"/end", confirmed()); res.status != http.StatusNotFound {
		t.Errorf("ending a session of someone else: %d", res.status)
	}
	if res := app.get(elsewhere, "/"); res.status != http.StatusOK {
		t.Fatalf("someone else ended the session: %d", res.status)
	}
	if res := app.post(here, "/account/sessions/"+m[1]+"/end", confirmed()); res.status != http.StatusSeeOther {
		t.Fatalf("end session: %d", res.status)
	}
	if res := app.get(elsewhere, "/"); res.status != http.StatusSeeOther {
		t.Errorf("the ended session still works: %d", res.status)
	}
}

// TestEndAllOtherSessions ends every other session of the user at once,
// and none of another user's; the page names each session's browser.
func TestEndAllOtherSessions(t *testing.T) {
	app := newTestApp(t)
	here, second, third := app.signIn(adminAgent), app.signIn(adminAgent), app.signIn(adminAgent)
	someoneElse := app.signIn(salesAgent)
	page := app.get(here, "/account")
	if !strings.Contains(page.body, `id="end-other-sessions"`) || !strings.Contains(page.body, "Unknown browser") {
		t.Fatalf("the account page offers no way to end the other sessions, or shows no browser\n%s", page.body)
	}
	res := app.post(here, "/account/sessions/end-others", url.Values{})
	if res.status != http.StatusSeeOther {
		t.Fatalf("end the other sessions: %d", res.status)
	}
	if page := app.get(here, "/account"); !strings.Contains(page.body, "2 other sessions ended") || strings.Contains(page.body, `id="end-other-sessions"`) {
		t.Errorf("after ending the other sessions:\n%s", page.body)
	}
	for i, c := range []*http.Client{second, third} {
		if res := app.get(c, "/"); res.status != http.StatusSeeOther {
			t.Errorf("other session %d still works: %d", i+1, res.status)
		}
	}
	if res := app.get(someoneElse, "/"); res.status != http.StatusOK {
		t.Errorf("another user's session ended: %d", res.status)
	}
}
