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
	if res := app.post(other, "/account/sessions/"+m[1]+"/end", url.Values{}); res.status != http.StatusNotFound {
		t.Errorf("ending a session of someone else: %d", res.status)
	}
	if res := app.get(elsewhere, "/"); res.status != http.StatusOK {
		t.Fatalf("someone else ended the session: %d", res.status)
	}
	if res := app.post(here, "/account/sessions/"+m[1]+"/end", url.Values{}); res.status != http.StatusSeeOther {
		t.Fatalf("end session: %d", res.status)
	}
	if res := app.get(elsewhere, "/"); res.status != http.StatusSeeOther {
		t.Errorf("the ended session still works: %d", res.status)
	}
}
