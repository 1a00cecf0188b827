package web

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/wingtip/multichannel/internal/demo"
	"github.com/wingtip/multichannel/internal/domain"
	"github.com/wingtip/multichannel/internal/twofactor"
)

var (
	secretPattern       = regexp.MustCompile(`<code id="two-factor-secret">([A-Z2-7]+)</code>`)
	recoveryCodePattern = regexp.MustCompile(`<code>([A-Z0-9]{4}(?:-[A-Z0-9]{4}){3})</code>`)
)

// codeFor returns the code of secret steps time steps from now.
func codeFor(t testing.TB, secret string, steps int64) string {
	t.Helper()
	code, err := twofactor.Code(secret, twofactor.Step(time.Now())+steps)
	if err != nil {
		t.Fatal(err)
	}
	return code
}

// enrolTwoFactor sets up two-factor sign-in for the signed-in client and
// returns the secret and the recovery codes the page showed.
func (a *testApp) enrolTwoFactor(c *http.Client) (string, []string) {
	a.t.Helper()
	if res := a.post(c, "/account/two-factor", nil); res.status != http.StatusSeeOther {
		a.t.Fatalf("start the set-up: %d", res.status)
	}
	page := a.get(c, "/account/two-factor")
	m := secretPattern.FindStringSubmatch(page.body)
	if page.status != http.StatusOK || m == nil || !strings.Contains(page.body, `src="data:image/png;base64,`) {
		a.t.Fatalf("set-up page: %d, secret shown: %v, QR code shown: %v", page.status, m != nil, strings.Contains(page.body, "data:image/png"))
	}
	secret := m[1]
	if res := a.post(c, "/account/two-factor/confirm", url.Values{"code": {"123"}}); res.status != http.StatusUnprocessableEntity ||
		!strings.Contains(res.body, "code-error") || !strings.Contains(res.body, secret) {
		a.t.Fatalf("a wrong code: %d; want 422 with the same key shown again", res.status)
	}
	res := a.post(c, "/account/two-factor/confirm", url.Values{"code": {codeFor(a.t, secret, 0)}})
	codes := recoveryCodePattern.FindAllStringSubmatch(res.body, -1)
	if res.status != http.StatusOK || len(codes) != twofactor.RecoveryCodeCount || res.header.Get("Cache-Control") != "no-store" {
		a.t.Fatalf("confirm: %d with %d recovery codes, Cache-Control %q", res.status, len(codes), res.header.Get("Cache-Control"))
	}
	var out []string
	for _, m := range codes {
		out = append(out, m[1])
	}
	// The codes can be copied from one box and downloaded as a file.
	if !strings.Contains(res.body, ">"+strings.Join(out, "\n")+"</textarea>") ||
		!strings.Contains(res.body, `download="recovery-codes.txt"`) || !strings.Contains(res.body, "data:text/plain;charset=utf-8,Recovery%20codes") ||
		!strings.Contains(res.body, out[len(out)-1]+"%0D%0A") {
		a.t.Errorf("the recovery codes cannot be copied or downloaded:\n%s", res.body)
	}
	return secret, out
}

// passwordOnly signs in with the password of a demo user and checks that the
// app asks for the code next.
func (a *testApp) passwordOnly(email string) *http.Client {
	a.t.Helper()
	c := a.client()
	res := a.post(c, "/login", url.Values{"email": {email}, "password": {demo.Password}, "next": {"/customers"}})
	if res.status != http.StatusSeeOther || res.header.Get("Location") != "/login/code?next=%2Fcustomers" {
		a.t.Fatalf("password step: %d to %q; want the code page", res.status, res.header.Get("Location"))
	}
	return c
}

func TestTwoFactorSignIn(t *testing.T) {
	app := newTestApp(t)
	admin := app.signIn(globalAdmin)
	secret, recovery := app.enrolTwoFactor(admin)
	if page := app.get(admin, "/account"); !strings.Contains(page.body, `id="two-factor-on"`) || !strings.Contains(page.body, "10 recovery codes left") {
		t.Fatal("the account page does not say two-factor sign-in is on")
	}

	c := app.passwordOnly(globalAdmin)
	// The password alone signs nobody in: pages send the browser to the code.
	if res := app.get(c, "/customers"); res.status != http.StatusSeeOther || !strings.HasPrefix(res.header.Get("Location"), "/login/code") {
		t.Fatalf("with the password only, /customers answered %d to %q", res.status, res.header.Get("Location"))
	}
	if res := app.post(c, "/login/code", url.Values{"code": {"000000"}}); res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, "code-error") {
		t.Fatalf("a wrong code: %d", res.status)
	}
	code := codeFor(t, secret, 1) // the confirming code's step is used up
	if res := app.post(c, "/login/code", url.Values{"code": {code}, "next": {"/customers"}}); res.status != http.StatusSeeOther || res.header.Get("Location") != "/customers" {
		t.Fatalf("the right code: %d to %q", res.status, res.header.Get("Location"))
	}
	if res := app.get(c, "/customers"); res.status != http.StatusOK {
		t.Fatalf("after the code, /customers answered %d", res.status)
	}

	// A session waiting for its code can be ended from the code page.
	quitter := app.passwordOnly(globalAdmin)
	if res := app.post(quitter, "/logout", nil); res.status != http.StatusSeeOther || res.header.Get("Location") != "/login?signed_out=1" {
		t.Fatalf("sign out while the code is asked: %d to %q", res.status, res.header.Get("Location"))
	}
	if res := app.get(quitter, "/login/code"); res.status != http.StatusSeeOther || res.header.Get("Location") != "/login" {
		t.Fatalf("after signing out the code page answered %d to %q", res.status, res.header.Get("Location"))
	}

	again := app.passwordOnly(globalAdmin)
	if res := app.post(again, "/login/code", url.Values{"code": {code}}); res.status != http.StatusUnprocessableEntity {
		t.Fatalf("the same code signed in twice: %d", res.status)
	}
	if res := app.post(again, "/login/code", url.Values{"code": {strings.ToLower(recovery[0])}}); res.status != http.StatusSeeOther {
		t.Fatalf("a recovery code: %d", res.status)
	}
	third := app.passwordOnly(globalAdmin)
	if res := app.post(third, "/login/code", url.Values{"code": {recovery[0]}}); res.status != http.StatusUnprocessableEntity {
		t.Fatalf("a recovery code worked twice: %d", res.status)
	}

	// Neither the secret nor a recovery code is stored or logged in clear.
	user, err := app.store.UserByEmail(context.Background(), globalAdmin)
	if err != nil {
		t.Fatal(err)
	}
	stored, err := app.store.TwoFactorSecrets(context.Background(), user.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(stored.Active) == 0 || strings.Contains(string(stored.Active), secret) {
		t.Fatal("the TOTP secret is not stored sealed")
	}
	entries, _ := app.store.RecentAudit(context.Background(), domain.Page{Number: 1, Size: 200})
	for _, e := range entries {
		if strings.Contains(e.Detail+e.Target, secret) || strings.Contains(e.Detail+e.Target, recovery[0]) || strings.Contains(e.Detail+e.Target, code) {
			t.Errorf("an audit entry holds a secret: %+v", e)
		}
	}
	if logs := app.logs.String(); strings.Contains(logs, secret) || strings.Contains(logs, recovery[0]) {
		t.Error("the log holds a secret")
	}
}

func TestRequiredTwoFactorSendsUnenrolledAdminsToSetUp(t *testing.T) {
	app := newTestApp(t)
	admin := app.signIn(globalAdmin)
	agent := app.signIn(adminAgent)
	sales := app.signIn(salesAgent)
	if res := app.post(admin, "/settings", settingsFormValues(app, map[string]string{"require_two_factor": "1"})); res.status != http.StatusSeeOther {
		t.Fatalf("save the setting: %d %s", res.status, res.body)
	}
	for _, c := range []*http.Client{admin, agent} {
		res := app.get(c, "/customers")
		if res.status != http.StatusSeeOther || res.header.Get("Location") != "/account/two-factor" {
			t.Fatalf("an unenrolled admin opened /customers: %d to %q", res.status, res.header.Get("Location"))
		}
		if page := app.get(c, "/account/two-factor"); page.status != http.StatusOK || !strings.Contains(page.body, `id="two-factor-required"`) {
			t.Fatalf("the set-up page does not say why: %d", page.status)
		}
	}
	if res := app.get(sales, "/customers"); res.status != http.StatusOK {
		t.Fatalf("the requirement stopped a Sales agent: %d", res.status)
	}
	app.enrolTwoFactor(agent)
	if res := app.get(agent, "/customers"); res.status != http.StatusOK {
		t.Fatalf("after the set-up the Admin agent still cannot work: %d", res.status)
	}
}

// TestAGlobalAdminTurnsOffTheTwoFactorOfAUserWhoLostTheirPhone: the user's
// sessions end, the password alone signs them in again, and a user without
// two-factor sign-in has nothing to reset.
func TestAGlobalAdminTurnsOffTheTwoFactorOfAUserWhoLostTheirPhone(t *testing.T) {
	app := newTestApp(t)
	admin := app.signIn(globalAdmin)
	agent := app.signIn(adminAgent)
	app.enrolTwoFactor(agent)
	user, err := app.store.UserByEmail(context.Background(), adminAgent)
	if err != nil {
		t.Fatal(err)
	}
	path := "/users/" + itoa(user.ID) + "/two-factor/reset"
	if page := app.get(admin, "/users"); !strings.Contains(page.body, path) {
		t.Fatal("the users page does not offer to turn off the agent's two-factor sign-in")
	}
	if res := app.post(admin, path, nil); res.status != http.StatusSeeOther {
		t.Fatalf("reset: %d", res.status)
	}
	if res := app.get(agent, "/customers"); res.status != http.StatusSeeOther || !strings.HasPrefix(res.header.Get("Location"), "/login") {
		t.Fatalf("the agent's session outlived the reset: %d", res.status)
	}
	res := app.post(app.client(), "/login", url.Values{"email": {adminAgent}, "password": {demo.Password}})
	if res.status != http.StatusSeeOther || res.header.Get("Location") != "/" {
		t.Fatalf("after the reset the password alone should sign in: %d to %q", res.status, res.header.Get("Location"))
	}
	if res := app.post(admin, path, nil); res.status != http.StatusNotFound {
		t.Fatalf("a second reset: %d, want 404", res.status)
	}
}

// TestOneCodeTwoBrowsersAtOnce: two sign-ins racing over HTTP with one code
// let exactly one in.
func TestOneCodeTwoBrowsersAtOnce(t *testing.T) {
	app := newTestApp(t)
	secret, _ := app.enrolTwoFactor(app.signIn(globalAdmin))
	code := codeFor(t, secret, 1)
	browsers := []*http.Client{app.passwordOnly(globalAdmin), app.passwordOnly(globalAdmin)}
	statuses := make(chan int, len(browsers))
	for _, c := range browsers {
		go func() { statuses <- app.post(c, "/login/code", url.Values{"code": {code}}).status }()
	}
	got := []int{<-statuses, <-statuses}
	slices.Sort(got)
	if !slices.Equal(got, []int{http.StatusSeeOther, http.StatusUnprocessableEntity}) {
		t.Fatalf("two sign-ins with one code answered %v; want one 303 and one 422", got)
	}
}

// TestWrongCodesFromSeveralBrowsersCountAgainstTheUser: five wrong codes,
// each from a new browser, and then even the right code must wait (429).
func TestWrongCodesFromSeveralBrowsersCountAgainstTheUser(t *testing.T) {
	app := newTestApp(t)
	secret, _ := app.enrolTwoFactor(app.signIn(globalAdmin))
	for i := range 5 {
		if res := app.post(app.passwordOnly(globalAdmin), "/login/code", url.Values{"code": {"000000"}}); res.status != http.StatusUnprocessableEntity {
			t.Fatalf("wrong code %d: %d", i+1, res.status)
		}
	}
	if res := app.post(app.passwordOnly(globalAdmin), "/login/code", url.Values{"code": {codeFor(t, secret, 1)}}); res.status != http.StatusTooManyRequests {
		t.Fatalf("after five wrong codes the right one answered %d; want 429", res.status)
	}
}

// TestSettingUpAgainAsksForThePassword: with two-factor sign-in on, a new
// key needs the current password, so a session left open cannot replace
// the second factor.
func TestSettingUpAgainAsksForThePassword(t *testing.T) {
	app := newTestApp(t)
	admin := app.signIn(globalAdmin)
	app.enrolTwoFactor(admin)
	if page := app.get(admin, "/account/two-factor"); !strings.Contains(page.body, `id="current"`) {
		t.Fatal("the page does not ask for the current password")
	}
	res := app.post(admin, "/account/two-factor", url.Values{"current": {"a-wrong-password"}})
	if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, "current-error") || strings.Contains(res.body, "two-factor-secret") {
		t.Fatalf("a wrong password: %d; want 422 with the message and no new key", res.status)
	}
	if res := app.post(admin, "/account/two-factor", url.Values{"current": {demo.Password}}); res.status != http.StatusSeeOther {
		t.Fatalf("the right password: %d", res.status)
	}
	if page := app.get(admin, "/account/two-factor"); !strings.Contains(page.body, "two-factor-secret") {
		t.Fatal("no new key after the right password")
	}
}
