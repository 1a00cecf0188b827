package web

import (
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/wingtip/multichannel/internal/domain"
)

// cards reads the dashboard's cards in order, with their counts.
func cards(t *testing.T, body string) (ids []string, counts map[string]string) {
	t.Helper()
	counts = map[string]string{}
	for _, m := range regexp.MustCompile(`<article class="([^"]*)" id="(card-[a-z-]+)" data-count="(\d+)"`).FindAllStringSubmatch(body, -1) {
		ids = append(ids, m[2])
		counts[m[2]] = m[3]
	}
	if len(ids) != 11 {
		t.Fatalf("the dashboard has %d cards, want 11", len(ids))
	}
	return ids, counts
}

func TestDashboardCountsTheDemo(t *testing.T) {
	app := newTestApp(t)
	res := app.get(app.signIn(salesAgent), "/")
	if res.status != http.StatusOK {
		t.Fatalf("dashboard: %d", res.status)
	}
	ids, counts := cards(t, res.body)
	// Every licence counts: Litware's, bought direct, ends a month from
	// today, within 30 days in a short month.
	termEnds := 2 // Fabrikam in 5 days, Northwind in 25
	if now := app.clock.now(); domain.DaysLeft(domain.Day(now).AddDate(0, 1, 0), now) <= domain.TermEndSoonDays {
		termEnds++
	}
	for id, want := range map[string]string{
		"card-awaiting-customer":    "2", // Northwind, Proseware
		"card-awaiting-review":      "1", // Fabrikam
		"card-invitations-expiring": "1", // Proseware, in 4 days
		"card-declined-recently":    "0", // Adatum declined 8 days ago
		"card-unclassified":         "3", // Tailspin's three
		"card-term-ends":            strconv.Itoa(termEnds),
		"card-refund-window":        "1", // Contoso's Teams Premium, bought 5 days ago
		"card-transfers-pending":    "2", // Coho's reservation and its Copilot licences
		"card-transfers-expiring":   "1", // the same, in 4 days
		"card-usage":                "5", // Contoso's two coexisting checklists and its billing transfer sent, Coho's Azure and licence transfers in progress
		"card-gdap-ending":          "1", // Contoso's GDAP relationship, in 28 days
	} {
		if counts[id] != want {
			t.Errorf("%s = %s, want %s", id, counts[id], want)
		}
	}
	// A Sales agent may act on invitations, classification and term ends:
	// those come first; reviews, transfers and usage workflows after.
	first := map[string]bool{}
	for _, id := range ids[:5] {
		first[id] = true
	}
	for _, id := range []string{"card-awaiting-customer", "card-invitations-expiring", "card-declined-recently", "card-unclassified", "card-term-ends"} {
		if !first[id] {
			t.Errorf("%s is not among the Sales agent's first cards: %v", id, ids)
		}
	}
	// The links open the filtered lists with the same counts.
	c := app.signIn(adminAgent)
	if page := app.get(c, "/relationships?expiring=7"); !strings.Contains(page.body, "1 request") || !strings.Contains(page.body, "Proseware") {
		t.Error("the expiring-invitations list does not match its card")
	}
	if page := app.get(c, "/relationships?status=pending"); !strings.Contains(page.body, "2 requests") {
		t.Error("the awaiting-customer list does not match its card")
	}
	if page := app.get(c, "/transfers?expiring=7"); !strings.Contains(page.body, "1 transfer request") || !strings.Contains(page.body, "Coho Winery") {
		t.Error("the expiring-transfers list does not match its card")
	}
	if page := app.get(c, "/transfers?status=in_progress"); !strings.Contains(page.body, "2 transfer requests") {
		t.Error("the transfers-in-progress list does not hold Coho's two")
	}
	if page := app.get(c, "/transfers?status=expired"); !strings.Contains(page.body, "2 transfer requests") || !strings.Contains(page.body, `data-status="expired"`) {
		t.Error("the expired transfers are not listed as expired")
	}
	if page := app.get(c, "/transfers?status=rejected"); !strings.Contains(page.body, "1 transfer request") || !strings.Contains(page.body, `data-status="rejected"`) {
		t.Error("the rejected licence transfer is not listed as rejected")
	}
	toClassify := app.get(c, "/customers?needs=classification")
	if !strings.Contains(toClassify.body, "1 customer") || !strings.Contains(toClassify.body, "Tailspin Toys") {
		t.Error("the to-classify list does not hold Tailspin Toys alone")
	}
	inProgress := app.get(c, "/customers?needs=usage")
	if !strings.Contains(inProgress.body, "2 customers") || !strings.Contains(inProgress.body, "Contoso Ltd") || !strings.Contains(inProgress.body, "Coho Winery") {
		t.Error("the usage-in-progress list does not hold Contoso and Coho Winery")
	}
	adminIDs, _ := cards(t, app.get(c, "/").body)
	if adminIDs[0] != "card-awaiting-customer" || adminIDs[1] != "card-awaiting-review" {
		t.Errorf("an Admin agent may act on everything: the order stays, got %v", adminIDs)
	}
}
