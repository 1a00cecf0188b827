package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestStepFourShowsTheHistoryOfRequests(t *testing.T) {
	app := newTestApp(t)
	sales := app.signIn(salesAgent)
	litware := app.customerID("Litware")
	step := fmt.Sprintf("/customers/%d/relationship", litware)
	// The customer declines twice.
	for range 2 {
		link, _ := app.invite(sales, litware, nil)
		if res := app.post(app.client(), strings.TrimPrefix(link, app.url), url.Values{"answer": {"decline"}, "confirmed": {"yes"}}); res.status != http.StatusSeeOther {
			t.Fatalf("decline: %d", res.status)
		}
	}
	page := app.get(sales, step).body
	if n := strings.Count(page, `class="history-row" data-status="declined"`); n != 2 {
		t.Errorf("the history shows %d declined requests, want 2", n)
	}
	if !strings.Contains(page, `id="declined-often">The customer declined 2 times`) {
		t.Error("declined twice is not visible at a glance")
	}
	if !strings.Contains(page, "by Jordan Lee, to Patti Fernandez") {
		t.Error("the history does not say who sent each request, and to whom")
	}
}

// A decline stays on the dashboard for a week, with the list behind it.
func TestADeclineStaysOnTheDashboardForAWeek(t *testing.T) {
	app := newTestApp(t)
	sales := app.signIn(salesAgent)
	link, _ := app.invite(sales, app.customerID("Litware"), nil)
	if res := app.post(app.client(), strings.TrimPrefix(link, app.url), url.Values{"answer": {"decline"}, "confirmed": {"yes"}}); res.status != http.StatusSeeOther {
		t.Fatalf("decline: %d", res.status)
	}
	if _, counts := cards(t, app.get(sales, "/").body); counts["card-declined-recently"] != "1" {
		t.Errorf("the declined card counts %s, want 1", counts["card-declined-recently"])
	}
	if page := app.get(sales, "/relationships?status=declined"); !strings.Contains(page.body, "Litware") {
		t.Error("the declined card's list does not hold Litware")
	}
	app.clock.advance(8 * 24 * time.Hour)
	sales = app.signIn(salesAgent)
	if _, counts := cards(t, app.get(sales, "/").body); counts["card-declined-recently"] != "0" {
		t.Errorf("a decline of 8 days ago is still counted: %s", counts["card-declined-recently"])
	}
}
