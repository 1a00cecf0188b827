package web

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/wingtip/multichannel/internal/domain"
)

// TestBrowserAStaleInlineEditShowsBothVersionsInItsRow follows a Sales agent
// who opens a subscription's form in its row while someone else saves the
// same subscription: htmx swaps the 409 answer into the row, where the
// agent sees what is stored now beside what they typed, and saving again
// applies theirs on top, all without a page load.
func TestBrowserAStaleInlineEditShowsBothVersionsInItsRow(t *testing.T) {
	app := newTestApp(t)
	browser := startBrowser(t, browserTimeout)
	tab := openTab(t, browser)
	tab.signInAs(app.url, salesAgent, "Sales agent")
	id := app.customerID("Tailspin")
	subs, _ := app.store.AllSubscriptions(context.Background(), id)
	sub := subs[0]
	rowID := fmt.Sprintf("sub-%d", sub.ID)
	tab.open(fmt.Sprintf("%s/customers/%d/subscriptions", app.url, id))
	tab.do(chromedp.Evaluate[chromedp.Void](`window.__noReload = 1`))

	// The agent opens the form in the row.
	tab.do(chromedp.Click(chromedp.CSS("#" + rowID + " a[hx-get$='/edit']")))
	form := "#" + rowID + " form.subscription-form "
	tab.waitFor("the edit form is in the row", `!!document.querySelector(`+strconv.Quote(form+"input[name=quantity]")+`)`)

	// Meanwhile Avery saves the same subscription with new notes.
	edited := sub
	edited.Notes = "Avery's note"
	if _, err := app.svc.Customers.UpdateSubscription(context.Background(), domain.Actor{UserID: 1}, edited); err != nil {
		t.Fatal(err)
	}

	// The agent types a quantity and saves: the row answers with both.
	tab.do(chromedp.SetValue(chromedp.CSS(form+"input[name=quantity]"), "42"))
	tab.do(chromedp.Click(chromedp.CSS(form + "button[type=submit]")))
	tab.waitFor("the row shows the stale notice", `!!document.querySelector("#`+rowID+` .stale")`)
	tab.expectLoadErrors("the stale save", fmt.Sprintf("%s/customers/%d/subscriptions/%d", app.url, id, sub.ID), 409)
	if got := tab.text("#" + rowID + " .stale"); !regexp.MustCompile(`Avery Chen saved it at (?s:.*)Notes(?s:.*)Avery's note`).MatchString(got) {
		t.Errorf("the stale notice says %q", got)
	}
	if got := tab.value(form + "input[name=quantity]"); got != "42" {
		t.Errorf("the form kept quantity %q, want what was typed, 42", got)
	}
	// Saving again applies the agent's values on top of Avery's version.
	tab.do(chromedp.Click(chromedp.CSS(form + "button[type=submit]")))
	tab.waitFor("the row is back, saved", `!!document.querySelector("#`+rowID+`.subscription")`)
	if !evaluate[bool](tab, `window.__noReload === 1`) {
		t.Error("the page was reloaded instead of swapped by htmx")
	}
	if got, _ := app.store.Subscription(context.Background(), id, sub.ID); got.Quantity != 42 || got.Notes != sub.Notes {
		t.Errorf("after saving on top: quantity %d, notes %q; want 42 and the agent's notes %q", got.Quantity, got.Notes, sub.Notes)
	}
	tab.checkConsole()
}
