package web

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/wingtip/multichannel/internal/domain"
)

// purchaseRows reads the plan's list of our CSP purchases as product →
// cancellation window.
func purchaseRows(t *testing.T, body string) map[string]string {
	t.Helper()
	table := regexp.MustCompile(`(?s)<table id="purchase-list">.*?</table>`).FindString(body)
	rows := map[string]string{}
	for _, m := range regexp.MustCompile(`(?s)<tr><td>([^<]*)</td>.*?<td class="refund-window[^"]*"[^>]*>([^<]*)</td>`).FindAllStringSubmatch(table, -1) {
		rows[html.UnescapeString(m[1])] = m[2]
	}
	return rows
}

func TestPlanShowsOurPurchasesWithTheHoursLeft(t *testing.T) {
	app := newTestApp(t)
	c := app.signIn(salesAgent)
	contoso := app.customerID("Contoso")
	plan := app.planPage(c, contoso)
	rows := purchaseRows(t, plan)
	// The demo's: bought five days ago, 48 hours left; twelve days ago, closed.
	if rows["Microsoft Teams Premium"] != "48 hours left to cancel with a refund" ||
		!strings.HasPrefix(rows["Visio Plan 2"], "Refund window closed on ") || len(rows) != 2 {
		t.Errorf("Contoso's purchases = %q", rows)
	}
	if !strings.Contains(plan, `<td class="refund-window expires-soon" data-label="Cancellation window">48 hours`) {
		t.Error("the open window is not highlighted")
	}
	// A day later, 24 hours are left; two days later, none.
	// (Signed in again each time: a session idle for a day has ended.)
	app.clock.advance(24 * time.Hour)
	if got := purchaseRows(t, app.planPage(app.signIn(salesAgent), contoso))["Microsoft Teams Premium"]; got != "24 hours left to cancel with a refund" {
		t.Errorf("a day on: %q", got)
	}
	app.clock.advance(24 * time.Hour)
	if got := purchaseRows(t, app.planPage(app.signIn(salesAgent), contoso))["Microsoft Teams Premium"]; !strings.HasPrefix(got, "Refund window closed on ") {
		t.Errorf("two days on: %q", got)
	}
}

// planPage reads a customer's plan page.
func (a *testApp) planPage(c *http.Client, customerID int64) string {
	a.t.Helper()
	res := a.get(c, "/customers/"+strconv.FormatInt(customerID, 10)+"/plan")
	if res.status != http.StatusOK {
		a.t.Fatalf("plan: %d", res.status)
	}
	return res.body
}

func TestRecordOurCSPPurchaseFromThePlannerRow(t *testing.T) {
	app := newTestApp(t)
	ctx := context.Background()
	c := app.signIn(salesAgent)
	contoso := app.customerID("Contoso")
	// The form takes minutes: typed at the minute, the purchase has all
	// its 168 hours left, counting the hour begun.
	app.clock.set(app.clock.now())
	now := app.clock.now().Truncate(time.Minute)
	var ea domain.Subscription
	subs, err := app.store.AllSubscriptions(ctx, contoso)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range subs {
		if s.Product == "Microsoft 365 E3" {
			ea = s
		}
	}
	path := "/customers/" + strconv.FormatInt(contoso, 10)
	// The planner's link opens the form filled from the licence replaced.
	form := app.get(c, path+"/plan?replaces="+strconv.FormatInt(ea.ID, 10))
	for _, want := range []string{`<details id="record-purchase" open>`, `name="product" value="Microsoft 365 E3"`, `name="quantity" value="250"`,
		`<option value="three_years" selected>`, `<option value="annual" selected>`, `<option value="` + strconv.FormatInt(ea.ID, 10) + `" selected>`} {
		if !strings.Contains(form.body, want) {
			t.Errorf("the prefilled form lacks %s", want)
		}
	}

	// A purchase in the future, with no seats, comes back with what was typed.
	bad := url.Values{"product": {"Microsoft 365 E3"}, "quantity": {"0"}, "purchased_at": {now.Add(time.Hour).Format("2006-01-02T15:04")},
		"term_length": {"monthly"}, "billing_frequency": {"annual"}, "replaces": {strconv.FormatInt(ea.ID, 10)}}
	res := app.post(c, path+"/purchases", bad)
	if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, `id="quantity-error"`) ||
		!strings.Contains(res.body, `id="purchased_at-error"`) || !strings.Contains(res.body, `id="billing_frequency-error"`) ||
		!strings.Contains(res.body, `value="`+now.Add(time.Hour).Format("2006-01-02T15:04")+`"`) {
		t.Errorf("bad purchase: %d", res.status)
	}

	good := url.Values{"product": {"Microsoft 365 E3"}, "quantity": {"250"}, "purchased_at": {now.Format("2006-01-02T15:04")},
		"term_length": {"three_years"}, "billing_frequency": {"annual"}, "replaces": {strconv.FormatInt(ea.ID, 10)}}
	res = app.post(c, path+"/purchases", good)
	if res.status != http.StatusSeeOther || res.header.Get("Location") != path+"/plan#purchases" {
		t.Fatalf("purchase: %d %q", res.status, res.header.Get("Location"))
	}
	plan := app.planPage(c, contoso)
	if rows := purchaseRows(t, plan); rows["Microsoft 365 E3"] != "168 hours left to cancel with a refund" || len(rows) != 3 {
		t.Errorf("Contoso's purchases after recording = %q", rows)
	}
	if !strings.Contains(plan, "Recorded our CSP purchase of Microsoft 365 E3.") {
		t.Error("no flash after recording")
	}
	list, _, err := app.store.CSPPurchases(ctx, contoso, domain.Page{Number: 1, Size: 1})
	if err != nil || len(list) != 1 || list[0].Replaces != ea.ID || !list[0].PurchasedAt.Equal(now) || list[0].RecordedBy != "Jordan Lee" {
		t.Errorf("stored = %+v, %v", list, err)
	}
	entries, _ := app.store.RecentAudit(ctx, domain.Page{Number: 1, Size: 5})
	audited := false
	for _, e := range entries {
		audited = audited || (e.Action == domain.AuditCSPPurchaseRecorded && e.CustomerID == contoso && e.ActorName == "Jordan Lee")
	}
	if !audited {
		t.Errorf("recent audit entries = %+v, want the purchase", entries)
	}

	// The dashboard lists both purchases inside their window, the first to close first.
	home := app.get(c, "/")
	card := regexp.MustCompile(`(?s)<article[^>]*id="card-refund-window" data-count="(\d+)">.*?</article>`).FindStringSubmatch(home.body)
	lines := regexp.MustCompile(`<li><a href="([^"]*)">([^<]*)</a></li>`).FindAllStringSubmatch(card[0], -1)
	if card[1] != "2" || len(lines) != 2 || lines[0][1] != path+"/plan#purchases" ||
		html.UnescapeString(lines[0][2]) != "Contoso Ltd: Microsoft Teams Premium × 25. 48 hours left to cancel with a refund" ||
		html.UnescapeString(lines[1][2]) != "Contoso Ltd: Microsoft 365 E3 × 250. 168 hours left to cancel with a refund" {
		t.Errorf("refund card = %q", card)
	}

	// Fabrikam's relationship is not active yet: nothing can be bought for it.
	fabrikam := "/customers/" + strconv.FormatInt(app.customerID("Fabrikam"), 10)
	good.Del("replaces")
	if res := app.post(c, fabrikam+"/purchases", good); res.status != http.StatusUnprocessableEntity ||
		!strings.Contains(res.body, "reseller relationship must be active") {
		t.Errorf("Fabrikam's purchase: %d", res.status)
	}
	// Nor can Contoso's purchase replace Fabrikam's licence.
	fsubs, _ := app.store.AllSubscriptions(ctx, app.customerID("Fabrikam"))
	good.Set("replaces", strconv.FormatInt(fsubs[0].ID, 10))
	if res := app.post(c, path+"/purchases", good); res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, `id="replaces-error"`) {
		t.Errorf("replacing another customer's licence: %d", res.status)
	}
}
