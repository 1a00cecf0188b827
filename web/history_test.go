package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestStepFourShowsTheHistoryOfRequests(t *testing.T) {
	app := newTestApp(t)
	sales := app.signIn(salesAgent)
	litware := app.customerID("Litware")
	step := fmt.Sprintf("/customers/%d/relationship", litware)
	// The customer declines twice.
	for range 2 {
		link, _ := app.invite(sales, litware, nil)
		if res := app.post(app.client(), strings.TrimPrefix(link, app.url), url.Values{"answer": {"decline"}}); res.status != http.StatusSeeOther {
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
