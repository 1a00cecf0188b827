package web

import (
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/wingtip/multichannel/internal/demo"
	"github.com/wingtip/multichannel/internal/twofactor"
)

// TestBrowserAdminTurnsOnTwoFactorSignIn follows the Global admin through
// setting up two-factor sign-in in headless Chromium and signing in with it.
// The admin signs in with the password, opens the account page, follows the
// set-up link, starts the set-up and reads the key the page shows; the test
// computes the codes from that key as an authenticator app would. A wrong
// code brings the form back with an error and the same key; the right one
// turns two-factor sign-in on and shows the recovery codes, once. After
// signing out, the password alone leads to the code page, and the code of the
// next time step (the confirming step is used up) signs the admin in.
//
// What only a browser shows here: the QR code's data: URL let through by the
// CSP's img-src and decoded as an image by Chromium (the HTTP test only sees
// the src attribute), the 303 after "Start the set-up" followed to the page
// with the key, the forms posted as Chromium posts them, with its own Origin
// and Sec-Fetch-Site headers, the session cookie that holds only the password
// step kept by the browser until the code page, and the pages of the whole
// flow running under the CSP without console errors.
func TestBrowserAdminTurnsOnTwoFactorSignIn(t *testing.T) {
	app := newTestApp(t)
	browser := startBrowser(t, browserTimeout)
	tab := openTab(t, browser)

	// typeCode replaces the text of the #code field with code.
	typeCode := func(code string) {
		t.Helper()
		tab.do(
			chromedp.Clear(chromedp.ID("code")),
			chromedp.SendKeys(chromedp.ID("code"), code),
		)
	}

	// 1. The Global admin signs in with the password and opens the set-up.
	tab.open(app.url + "/login")
	tab.signIn(globalAdmin, demo.Password)
	tab.clickAndLoad("#signed-in-user")
	if p := tab.path(); p != "/account" {
		t.Fatalf("the #signed-in-user link led to %s, want /account", p)
	}
	if !tab.exists("#two-factor-off") {
		t.Errorf("/account does not show #two-factor-off before the set-up; its section says %q", tab.text("#two-factor"))
	}
	const setUpLink = `#two-factor a[href="/account/two-factor"]`
	if !tab.exists(setUpLink) {
		t.Fatalf("/account offers no link to /account/two-factor; its section says %q", tab.text("#two-factor"))
	}
	if label := tab.text(setUpLink); label != "Set up two-factor sign-in" {
		t.Errorf("the set-up link says %q, want \"Set up two-factor sign-in\"", label)
	}
	tab.clickAndLoad(setUpLink)
	if p := tab.path(); p != "/account/two-factor" {
		t.Fatalf("the set-up link led to %s, want /account/two-factor", p)
	}
	if tab.exists("#two-factor-qr") || tab.exists("#two-factor-secret") {
		t.Error("/account/two-factor shows a key before the set-up is started")
	}

	// 2. Start the set-up: the page shows the key as a QR code and as text.
	tab.clickAndLoad("#two-factor-start button[type=submit]")
	if p := tab.path(); p != "/account/two-factor" {
		t.Fatalf("after starting the set-up the browser is on %s, want /account/two-factor", p)
	}
	// The browser decoded the PNG of the data: URL and drew it: an image the
	// CSP blocks or that fails to decode has a naturalWidth of 0.
	qr := evaluate[[]float64](tab, `(() => {
		const i = document.getElementById("two-factor-qr");
		if (!i) return [-1, -1, -1];
		const r = i.getBoundingClientRect();
		return [i.complete ? i.naturalWidth : -1, i.naturalHeight, r.width];
	})()`)
	switch {
	case qr[0] == -1 && qr[1] == -1:
		t.Fatal("the set-up page shows no #two-factor-qr")
	case qr[0] <= 0:
		t.Errorf("#two-factor-qr is not decoded and drawn: naturalWidth %v, want > 0", qr[0])
	case qr[0] != qr[1]:
		t.Errorf("#two-factor-qr is %vx%v pixels, want a square QR code", qr[0], qr[1])
	case qr[2] <= 0:
		t.Errorf("#two-factor-qr is drawn %v pixels wide, want it visible", qr[2])
	}
	secret := tab.text("#two-factor-secret")
	if !regexp.MustCompile(`^[A-Z2-7]{16,}$`).MatchString(secret) {
		t.Fatalf("#two-factor-secret shows %q, want a base32 key", secret)
	}

	// 3. A wrong code: the form comes back with an error and the same key.
	// The code is six digits like a real one, and none the server accepts
	// now or in the next steps.
	valid := []string{codeFor(t, secret, -1), codeFor(t, secret, 0), codeFor(t, secret, 1), codeFor(t, secret, 2)}
	wrong := []byte(valid[1])
	for slices.Contains(valid, string(wrong)) {
		wrong[5] = '0' + (wrong[5]-'0'+1)%10
	}
	typeCode(string(wrong))
	tab.clickExpecting("#two-factor-confirm button[type=submit]", http.StatusUnprocessableEntity)
	if p := tab.path(); p != "/account/two-factor/confirm" {
		t.Errorf("after a wrong code the browser is on %s, want /account/two-factor/confirm", p)
	}
	if !tab.exists("#code-error") {
		t.Errorf("after a wrong code the page shows no #code-error; it says %q", tab.text("main"))
	} else if msg := tab.text("#code-error"); msg == "" {
		t.Error("after a wrong code #code-error is empty")
	}
	if again := tab.text("#two-factor-secret"); again != secret {
		t.Errorf("after a wrong code #two-factor-secret shows %q, want the same key %q", again, secret)
	}
	if w := evaluate[float64](tab, `(() => { const i = document.getElementById("two-factor-qr"); return i && i.complete ? i.naturalWidth : -1; })()`); w <= 0 {
		t.Errorf("after a wrong code #two-factor-qr is not drawn: naturalWidth %v", w)
	}
	tab.expectLoadErrors("the wrong code", app.url+"/account/two-factor/confirm", http.StatusUnprocessableEntity)

	// 4. The right code turns two-factor sign-in on and shows the recovery
	// codes.
	code, err := twofactor.Code(secret, twofactor.Step(time.Now()))
	if err != nil {
		t.Fatal(err)
	}
	typeCode(code)
	tab.clickAndLoad("#two-factor-confirm button[type=submit]")
	if !tab.exists("section#recovery-codes") {
		t.Fatalf("the right code shows no section#recovery-codes; the page says %q", tab.text("main"))
	}
	recovery := tab.texts("section#recovery-codes code")
	if len(recovery) != twofactor.RecoveryCodeCount {
		t.Errorf("section#recovery-codes shows %d codes %q, want %d", len(recovery), recovery, twofactor.RecoveryCodeCount)
	}
	recoveryPattern := regexp.MustCompile(`^[A-Z0-9]{4}(-[A-Z0-9]{4}){3}$`)
	for _, c := range recovery {
		if !recoveryPattern.MatchString(c) {
			t.Errorf("recovery code %q is not four groups of four", c)
		}
	}
	if distinct := slices.Compact(slices.Sorted(slices.Values(recovery))); len(distinct) != len(recovery) {
		t.Errorf("the recovery codes %q are not all different", recovery)
	}

	// 5. Sign out and in again: the password leads to the code page.
	tab.clickAndLoad("#sign-out")
	if p := tab.path(); p != "/login" {
		t.Fatalf("after sign-out the browser is on %s, want /login", p)
	}
	tab.submitSignIn(globalAdmin, demo.Password)
	if p := tab.path(); p != "/login/code" {
		t.Fatalf("with two-factor sign-in on, the password led to %s, want /login/code; the page says %q", p, tab.text("main"))
	}
	if !tab.exists("#code-form") {
		t.Fatalf("/login/code shows no #code-form; it says %q", tab.text("main"))
	}
	if tab.exists("#signed-in-user") {
		t.Errorf("the password alone signed the browser in as %q", tab.text("#signed-in-user"))
	}

	// 6. The code of the next step signs the admin in: the confirming step
	// is used up, and the server accepts one step of skew.
	next, err := twofactor.Code(secret, twofactor.Step(time.Now())+1)
	if err != nil {
		t.Fatal(err)
	}
	typeCode(next)
	tab.clickAndLoad("#code-form button[type=submit]")
	if p := tab.path(); p != "/" {
		t.Fatalf("after the code the browser is on %s, want /; the page says %q", p, tab.text("main"))
	}
	if !tab.exists("#signed-in-user") {
		t.Fatalf("after the code the header shows no #signed-in-user; the page says %q", tab.text("main"))
	}
	if who := tab.text("#signed-in-user"); who != "Avery Chen" {
		t.Errorf("#signed-in-user = %q, want \"Avery Chen\"", who)
	}

	// 7. The account page says two-factor sign-in is on.
	tab.clickAndLoad("#signed-in-user")
	if p := tab.path(); p != "/account" {
		t.Fatalf("the #signed-in-user link led to %s, want /account", p)
	}
	if !tab.exists("#two-factor-on") {
		t.Fatalf("/account does not show #two-factor-on; its section says %q", tab.text("#two-factor"))
	}
	if on := tab.text("#two-factor-on"); !strings.Contains(on, strconv.Itoa(twofactor.RecoveryCodeCount)+" recovery codes left") {
		t.Errorf("#two-factor-on says %q, want it to count %d recovery codes left", on, twofactor.RecoveryCodeCount)
	}
	if tab.exists("#two-factor-off") {
		t.Error("/account still shows #two-factor-off")
	}

	// 8. No console errors on any page, CSP violations included.
	tab.checkConsole()
}
