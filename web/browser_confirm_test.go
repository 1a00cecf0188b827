package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/wingtip/multichannel/internal/domain"
	"github.com/wingtip/multichannel/views"
)

// TestBrowserConfirmationPagesWithoutJavaScript deactivates a user in
// Chromium with JavaScript off, so that no dialog asks and the server's
// confirmation page does: "No, go back" leads back to the users with
// nothing changed, "Yes" deactivates. A Deactivate pressed on a page older
// than the last Global admin's state comes back as the users page, 409,
// with the reason in that admin's row.
//
// What only a browser shows here: the confirmation page's form posting the
// hidden fields again as Chromium sends them, the link back followed, and
// the pages as a person sees them (saved to SHOTS_DIR, when set, as
// refusals-confirm.png, refusals-refused.png and
// refusals-confirm-invitation.png). The customer's Decline asks the same
// way on the public page of the invitation.
func TestBrowserConfirmationPagesWithoutJavaScript(t *testing.T) {
	app := newTestApp(t)
	ctx := context.Background()
	browser := startBrowser(t, browserTimeout)
	tab := openTab(t, browser)
	tab.disableScripts()
	avery, _ := app.store.UserByEmail(ctx, globalAdmin)
	sam, _ := app.store.UserByEmail(ctx, adminAgent)
	jordan, _ := app.store.UserByEmail(ctx, salesAgent)
	// Sam is a second Global admin, so Avery is offered Deactivate.
	if err := app.svc.Staff.ChangeRole(ctx, domain.Actor{UserID: avery.ID}, sam.ID, domain.RoleGlobalAdmin); err != nil {
		t.Fatal(err)
	}
	active := func(id int64) bool {
		t.Helper()
		u, err := app.store.UserByID(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		return u.Active
	}
	deactivate := func(id int64) string { return "#user-" + itoa(id) + " button.deactivate" }
	tab.signInAs(app.url, globalAdmin, "Global admin")
	if evaluate[bool](tab, "typeof htmx !== 'undefined'") {
		t.Fatal("scripts run in the tab: the test would see the dialog's way, not the page's")
	}
	tab.open(app.url + "/users")

	// "No, go back" changes nothing.
	tab.clickAndLoad(deactivate(jordan.ID))
	if q := tab.text("#confirmation h1"); q != "Deactivate "+jordan.Name+"?" {
		t.Fatalf("the confirmation page asks %q", q)
	}
	tab.saveScreenshot("refusals-confirm")
	tab.clickAndLoad("#confirm-no")
	if p := tab.path(); p != "/users" || !active(jordan.ID) {
		t.Fatalf("after No the browser is on %s and %s is active: %v", p, jordan.Name, active(jordan.ID))
	}

	// "Yes" deactivates.
	tab.clickAndLoad(deactivate(jordan.ID))
	tab.clickAndLoad("#confirm-yes")
	if p := tab.path(); p != "/users" || active(jordan.ID) || !strings.Contains(tab.flash(), "User deactivated") {
		t.Fatalf("after Yes the browser is on %s, %s active: %v, flash %q", p, jordan.Name, active(jordan.ID), tab.flash())
	}

	// Sam is deactivated elsewhere: the page still offers Avery's
	// Deactivate, which is refused beside it.
	if err := app.svc.Staff.SetActive(ctx, domain.Actor{UserID: avery.ID}, sam.ID, false); err != nil {
		t.Fatal(err)
	}
	tab.clickAndLoad(deactivate(avery.ID))
	tab.clickExpecting("#confirm-yes", http.StatusConflict)
	if p, why := tab.path(), tab.text("#user-"+itoa(avery.ID)+"-problem"); p != "/users/"+itoa(avery.ID)+"/active" || !strings.Contains(why, "last active Global admin") {
		t.Errorf("the refusal is on %s, saying %q beside Avery's row", p, why)
	}
	tab.saveScreenshot("refusals-refused")
	if !active(avery.ID) {
		t.Error("the last Global admin was deactivated")
	}

	// The customer's Decline asks on a page of the public frame too.
	litware := app.customerID("Litware")
	link, _ := app.invite(app.signIn(globalAdmin), litware, nil) // Jordan and Sam are deactivated by now
	request, _ := app.store.OpenRelationship(ctx, litware)
	customer := openTab(t, browser)
	customer.disableScripts()
	customer.open(link)
	customer.clickAndLoad("#decline")
	if q := customer.text("#confirmation h1"); !strings.HasPrefix(q, "Decline ") || customer.exists("#main-nav") {
		t.Fatalf("the customer's confirmation asks %q, or shows the staff navigation", q)
	}
	customer.saveScreenshot("refusals-confirm-invitation")
	if r, _ := app.store.RelationshipRequest(ctx, request.ID); r.Status != request.Status {
		t.Fatalf("asking changed the request to %s", r.Status)
	}
	customer.clickAndLoad("#confirm-yes")
	if r, _ := app.store.RelationshipRequest(ctx, request.ID); customer.path() != "/invite/answered" || r.Status != domain.StatusDeclined {
		t.Errorf("after Yes the customer is on %s and the request is %s", customer.path(), r.Status)
	}
}

// TestBrowserTheDialogAsksInsteadWithJavaScript: with JavaScript the form's
// data-confirm dialog asks, and its yes posts confirmed=yes, so that no
// confirmation page follows: a user deactivated with a plain form, and a
// subscription removed from its row with htmx. A no posts nothing.
func TestBrowserTheDialogAsksInsteadWithJavaScript(t *testing.T) {
	app := newTestApp(t)
	ctx := context.Background()
	browser := startBrowser(t, browserTimeout)
	tab := openTab(t, browser)
	jordan, _ := app.store.UserByEmail(ctx, salesAgent)
	// answer makes the page's dialog answer yes or no, counting in
	// window.asked the questions it was asked.
	answer := func(yes bool) {
		t.Helper()
		evaluate[bool](tab, "(window.asked = 0, window.confirm = () => (window.asked++, "+strconv.FormatBool(yes)+"), true)")
	}

	tab.signInAs(app.url, globalAdmin, "Global admin")
	tab.open(app.url + "/users")
	answer(false)
	tab.do(chromedp.Click(chromedp.CSS("#user-" + itoa(jordan.ID) + " button.deactivate")))
	if asked := evaluate[int](tab, "window.asked"); asked != 1 {
		t.Fatalf("Deactivate asked %d questions, want 1", asked)
	}
	if u, _ := app.store.UserByID(ctx, jordan.ID); !u.Active {
		t.Fatalf("a no to the dialog deactivated %s", jordan.Name)
	}
	answer(true)
	tab.clickAndLoad("#user-" + itoa(jordan.ID) + " button.deactivate")
	if u, _ := app.store.UserByID(ctx, jordan.ID); u.Active || tab.path() != "/users" || tab.exists("#confirmation") {
		t.Fatalf("a yes to the dialog: %s active %v, on %s", jordan.Name, u.Active, tab.path())
	}

	tailspin := app.customerID("Tailspin")
	subs, _ := app.store.AllSubscriptions(ctx, tailspin)
	row := fmt.Sprintf("sub-%d", subs[0].ID)
	tab.open(app.url + views.CustomerPath(tailspin, "subscriptions"))
	answer(true)
	tab.do(chromedp.Click(chromedp.CSS("#" + row + " form[action$='/remove'] button")))
	tab.waitFor("the removed row leaves the table", "document.getElementById("+strconv.Quote(row)+") === null")
	if _, err := app.store.Subscription(ctx, tailspin, subs[0].ID); !errors.Is(err, domain.ErrNotFound) {
		t.Errorf("the row left the page but the subscription is still there: %v", err)
	}
}
