package web

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/wingtip/multichannel/internal/domain"
)

// gdapListRows returns the ids of the rows of the GDAP list, in order.
func gdapListRows(body string) []string {
	var ids []string
	for _, m := range regexp.MustCompile(`<tr id="(gdap-\d+)"`).FindAllStringSubmatch(body, -1) {
		ids = append(ids, m[1])
	}
	return ids
}

// cardHref is the link of dashboard card id.
func cardHref(t *testing.T, body, id string) string {
	t.Helper()
	m := regexp.MustCompile(`id="` + id + `"[^>]*>\s*<p class="card-count">\d+</p>\s*<p class="card-label">\s*<a href="([^"]+)"`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("card %s opens no list", id)
	}
	return strings.ReplaceAll(m[1], "&amp;", "&")
}

// TestGDAPListOnTheDemo holds the GDAP list across customers: a chip per
// state with its count, the demo's requests one in each, the dashboard's
// card opening the relationships ending within 30 days with the same count,
// an unknown filter listing all as the review queue does, and a Sales agent
// reading it.
func TestGDAPListOnTheDemo(t *testing.T) {
	app := newTestApp(t)
	sales := app.signIn(salesAgent)
	home := app.get(sales, "/")
	_, counts := cards(t, home.body)
	href := cardHref(t, home.body, "card-gdap-ending")
	if href != "/gdap?status=ending" {
		t.Errorf("the GDAP card opens %q", href)
	}
	ending := app.get(sales, href)
	if ending.status != http.StatusOK {
		t.Fatalf("%s: %d", href, ending.status)
	}
	contoso := app.openGDAP(app.customerID("Contoso"))
	rows := gdapListRows(ending.body)
	if want := counts["card-gdap-ending"]; fmt.Sprint(len(rows)) != want || !strings.Contains(ending.body, want+" GDAP request") ||
		!regexp.MustCompile(`class="chip current"[^>]*>Ending within 30 days <span class="count">`+want+`</span>`).MatchString(ending.body) {
		t.Errorf("the ending list has rows %v; the card counts %s", rows, want)
	}
	if len(rows) != 1 || rows[0] != fmt.Sprintf("gdap-%d", contoso.ID) {
		t.Fatalf("the ending list holds %v, want Contoso's %d", rows, contoso.ID)
	}
	ends := contoso.ActivatedAt.AddDate(0, 0, 45)
	for _, want := range []string{
		fmt.Sprintf(`href="/customers/%d/relationship"`, contoso.CustomerID), "Contoso – Service desk", "Directory Readers, License Administrator",
		`<span class="badge gdap-active">Active</span>`, contoso.ActivatedAt.Format(domain.DateLayout), ends.Format(domain.DateLayout),
		"ends for good: ask the customer for a new GDAP relationship", fmt.Sprintf(`<td class="gdap-days" data-label="Days left">%d</td>`, domain.DaysLeft(ends, app.clock.now())),
	} {
		if !strings.Contains(ending.body, want) {
			t.Errorf("Contoso's row lacks %q", want)
		}
	}

	all := app.get(sales, "/gdap")
	if all.status != http.StatusOK || len(gdapListRows(all.body)) != 6 || !strings.Contains(all.body, "6 GDAP requests") {
		t.Fatalf("the list of all: %d, rows %v", all.status, gdapListRows(all.body))
	}
	for _, st := range domain.GDAPStatuses {
		if !regexp.MustCompile(`href="/gdap\?status=` + string(st) + `" class="chip">` + st.Label() + ` <span class="count">1</span>`).MatchString(all.body) {
			t.Errorf("no chip %q counting one", st.Label())
		}
		page := app.get(sales, "/gdap?status="+string(st))
		if rows := gdapListRows(page.body); len(rows) != 1 || !strings.Contains(page.body, `data-status="`+string(st)+`"`) {
			t.Errorf("status=%s lists %v", st, rows)
		}
	}
	if !strings.Contains(app.get(sales, "/gdap?status=expired").body, "Northwind – support") {
		t.Error("Northwind's relationship is not listed as expired")
	}
	if queue := app.get(sales, "/relationships"); !strings.Contains(queue.body, `href="/gdap" id="gdap-list-link"`) {
		t.Error("the review queue does not link to the GDAP list")
	}
	// An unknown filter is ignored, as on the review queue.
	if bad := app.get(sales, "/gdap?status=bogus"); bad.status != http.StatusOK || len(gdapListRows(bad.body)) != 6 {
		t.Errorf("an unknown filter: %d, rows %v", bad.status, gdapListRows(bad.body))
	}
	// Beyond the last page: nothing, and the total still.
	if beyond := app.get(sales, "/gdap?page=2"); len(gdapListRows(beyond.body)) != 0 || !strings.Contains(beyond.body, "6 GDAP requests") {
		t.Error("the second page of six requests is not empty")
	}
	if res := app.get(app.public(), "/gdap"); res.status != http.StatusSeeOther {
		t.Errorf("without a session: %d", res.status)
	}
}

// TestGDAPListRollsAnAutoExtendingEndForward holds the next end of an
// auto-extending relationship: Fabrikam's, from the Helpdesk template (730
// days, auto-extend), approved today; 10 days before its first rolled end,
// 900 days on, the list and the dashboard both show it ending, at that end.
func TestGDAPListRollsAnAutoExtendingEndForward(t *testing.T) {
	app := newTestApp(t)
	agent := app.signIn(adminAgent)
	g := app.openGDAP(app.customerID("Fabrikam"))
	if res := app.post(agent, fmt.Sprintf("/gdap/%d/link", g.ID), url.Values{"gdap_link": {gdapWebID}}); res.status != http.StatusSeeOther {
		t.Fatalf("record the link: %d", res.status)
	}
	today := app.clock.now()
	if res := app.post(agent, fmt.Sprintf("/gdap/%d/approved", g.ID), url.Values{"activated_on": {today.Format(domain.DateLayout)}}); res.status != http.StatusSeeOther {
		t.Fatalf("record the approval: %d", res.status)
	}
	g = app.openGDAP(g.CustomerID)
	rolled := g.ActivatedAt.AddDate(0, 0, 730+domain.GDAPAutoExtendDays)
	app.clock.set(rolled.Add(-10*24*time.Hour + time.Hour))
	agent = app.signIn(adminAgent) // the session ended meanwhile

	home := app.get(agent, "/")
	if _, counts := cards(t, home.body); counts["card-gdap-ending"] != "1" || !strings.Contains(home.body, "1 auto-extend by 180 days; 0 end for good") {
		t.Errorf("the GDAP card counts %q", counts["card-gdap-ending"])
	}
	ending := app.get(agent, "/gdap?status=ending")
	if rows := gdapListRows(ending.body); len(rows) != 1 || rows[0] != fmt.Sprintf("gdap-%d", g.ID) {
		t.Fatalf("the ending list holds %v, want Fabrikam's %d", rows, g.ID)
	}
	for _, want := range []string{rolled.Format(domain.DateLayout), "auto-extends by 180 days", `<td class="gdap-days" data-label="Days left">10</td>`} {
		if !strings.Contains(ending.body, want) {
			t.Errorf("Fabrikam's row lacks %q", want)
		}
	}
	if strings.Contains(ending.body, g.ActivatedAt.AddDate(0, 0, 730).Format(domain.DateLayout)) {
		t.Error("Fabrikam's row shows its first end, long passed")
	}
}
