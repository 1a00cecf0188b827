package web

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/wingtip/multichannel/internal/domain"
	"github.com/wingtip/multichannel/internal/testio"
)

// termEndRow is one row of the planner's table as the page shows it.
type termEndRow struct {
	customerID, customer, product, channel, termEnd, relationship string
	daysLeft                                                      int
}

var termEndRowPattern = regexp.MustCompile(`<tr><td><a href="/customers/(\d+)/plan">([^<]*)</a></td><td>([^<]*)</td><td>[^<]*</td>` +
	`<td>([^<]*)</td><td class="nowrap">([^<]*)</td><td[^>]*>(-?\d+)</td><td>(.*?)</td></tr>`)

// termEndRows reads the rows of the planner's table, failing on a page
// without one.
func termEndRows(t *testing.T, res response) []termEndRow {
	t.Helper()
	if res.status != http.StatusOK {
		t.Fatalf("planner: status %d", res.status)
	}
	var rows []termEndRow
	for _, m := range termEndRowPattern.FindAllStringSubmatch(res.body, -1) {
		days, _ := strconv.Atoi(m[6])
		rows = append(rows, termEndRow{customerID: m[1], customer: m[2], product: m[3], channel: m[4], termEnd: m[5], daysLeft: days, relationship: m[7]})
	}
	if n := strings.Count(res.body, "<tr><td><a href=\"/customers/"); n != len(rows) {
		t.Fatalf("read %d of %d planner rows", len(rows), n)
	}
	return rows
}

func termEndCustomers(rows []termEndRow) []string {
	var names []string
	for _, r := range rows {
		names = append(names, r.customer)
	}
	return names
}

func TestTermEndsDefaultWindowInTermEndOrder(t *testing.T) {
	app := newTestApp(t)
	c := app.signIn(salesAgent) // every role may see the planner
	res := app.get(c, "/planner")
	rows := termEndRows(t, res)
	if len(rows) < 2 {
		t.Fatalf("planner rows = %q", termEndCustomers(rows))
	}
	fabrikam, northwind := rows[0], rows[1]
	if fabrikam.customer != "Fabrikam, Inc." || fabrikam.product != "Office 365 E3" || fabrikam.daysLeft != 5 || fabrikam.channel != "Another CSP partner" ||
		northwind.customer != "Northwind Traders" || northwind.product != "Office 365 E1" || northwind.daysLeft != 25 {
		t.Errorf("first rows = %+v, %+v; want Fabrikam in 5 days, then Northwind in 25", fabrikam, northwind)
	}
	if want := strconv.FormatInt(app.customerID("Fabrikam"), 10); fabrikam.customerID != want ||
		!strings.Contains(fabrikam.relationship, `href="/customers/`+want+`/relationship" class="relationship-waiting">Accepted, waiting for verification in Partner Center</a>`) {
		t.Errorf("Fabrikam's row links customer %s, relationship %q", fabrikam.customerID, fabrikam.relationship)
	}
	// The planner follows the request's state: Northwind's invitation is
	// out, so the row says so rather than "send the invitation".
	if !strings.Contains(northwind.relationship, ">Invitation sent, waiting for the customer</a>") {
		t.Errorf("Northwind's row says %q, want the invitation sent", northwind.relationship)
	}
	for i, r := range rows {
		if r.daysLeft < 0 || r.daysLeft > 90 || (i > 0 && r.termEnd < rows[i-1].termEnd) {
			t.Errorf("row %d (%s, %d days) is outside 90 days or out of order", i, r.customer, r.daysLeft)
		}
	}
	// Woodgrove Bank is a CSP partner: its other_csp licence is never eligible.
	if strings.Contains(res.body, "Woodgrove") {
		t.Error("the planner shows Woodgrove Bank, a CSP partner")
	}
	if !strings.Contains(res.body, `<a href="/planner?days=90" class="chip current" aria-current="true">Next 90 days</a>`) ||
		!strings.Contains(res.body, `href="/planner.csv?days=90"`) {
		t.Error("90 days is not the current filter, or the CSV link does not keep it")
	}
}

func TestTermEndsWindows(t *testing.T) {
	app := newTestApp(t)
	c := app.signIn(adminAgent)

	month := termEndRows(t, app.get(c, "/planner?days=30"))
	if names := termEndCustomers(month); !slices.Contains(names, "Fabrikam, Inc.") || !slices.Contains(names, "Northwind Traders") {
		t.Errorf("30 days = %q, want Fabrikam and Northwind", names)
	}
	for _, r := range month {
		if r.daysLeft > 30 {
			t.Errorf("30 days shows %s in %d days", r.customer, r.daysLeft)
		}
	}

	year := app.get(c, "/planner?days=365")
	names := termEndCustomers(termEndRows(t, year))
	for _, want := range []string{"Fabrikam, Inc.", "Northwind Traders", "Proseware, Inc.", "Adatum Corporation", "Litware, Inc."} {
		if !slices.Contains(names, want) {
			t.Errorf("365 days = %q, missing %s", names, want)
		}
	}
	if slices.Contains(names, "Woodgrove Bank") || len(names) <= len(month) {
		t.Errorf("365 days = %q", names)
	}
	if !strings.Contains(year.body, `class="chip current" aria-current="true">Next 365 days</a>`) {
		t.Error("365 days is not marked as the current filter")
	}
	// A window that is not offered is the default, not an unbounded range.
	if res := app.get(c, "/planner?days=100000"); !strings.Contains(res.body, "<h2>Term ends in the next 90 days</h2>") {
		t.Error("days=100000 is not the default window")
	}
}

func TestTermEndsPagerKeepsTheWindowAndShowsActiveRelationships(t *testing.T) {
	app := newTestApp(t)
	ctx := context.Background()
	c := app.signIn(globalAdmin)
	// Contoso's relationship is active in the demo data: 55 third-party
	// licences of it ending in 12 days fill more than a page.
	contoso := app.customerID("Contoso")
	end := time.Now().UTC().AddDate(0, 0, 12)
	for i := range 55 {
		if _, err := app.customers.AddSubscription(ctx, domain.Actor{}, domain.Subscription{CustomerID: contoso, Product: fmt.Sprintf("Visio Plan %02d", i),
			ServiceType: domain.ServiceLicence, Channel: domain.ChannelThirdParty, Quantity: 3, TermEnd: &end}); err != nil {
			t.Fatal(err)
		}
	}
	first := app.get(c, "/planner?days=30")
	rows := termEndRows(t, first)
	if len(rows) != listPageSize || !strings.Contains(first.body, `href="/planner?days=30&amp;page=2"`) {
		t.Fatalf("page 1 has %d rows; pager %s", len(rows), regexp.MustCompile(`<nav class="pager".*?</nav>`).FindString(first.body))
	}
	for _, r := range rows {
		if r.customer == "Contoso Ltd" && r.relationship != `<span class="badge rs-active">Active</span>` {
			t.Fatalf("Contoso's relationship shows %q, want Active", r.relationship)
		}
	}
	second := termEndRows(t, app.get(c, "/planner?days=30&page=2"))
	_, total, err := app.store.TermEnds(ctx, domain.TermEndsWithin(time.Now(), 30, domain.Page{Number: 1, Size: 1}))
	if err != nil || len(rows)+len(second) != total || second[len(second)-1].daysLeft < rows[0].daysLeft {
		t.Errorf("pages of %d and %d rows, store total %d, %v", len(rows), len(second), total, err)
	}
}

func TestTermEndsChartHasTwelveBarsWithTheStoreCounts(t *testing.T) {
	app := newTestApp(t)
	c := app.signIn(salesAgent)
	// The chart ignores the list's window: 30 days still charts 12 months.
	res := app.get(c, "/planner?days=30")
	svg := regexp.MustCompile(`(?s)<svg.*?</svg>`).FindString(res.body)
	if svg == "" || strings.Contains(svg, "<script") {
		t.Fatalf("no server-drawn SVG chart in the page")
	}
	bars := regexp.MustCompile(`<rect x="\d+" y="\d+" width="\d+" height="(\d+)" fill="[^"]+" data-month="([^"]*)" data-count="(\d+)">`).
		FindAllStringSubmatch(svg, -1)
	if len(bars) != 12 || strings.Count(svg, "<rect") != 12 {
		t.Fatalf("%d bars (%d rects), want 12", len(bars), strings.Count(svg, "<rect"))
	}
	// Fixed by the demo, not by the store the page reads: twelve licences
	// from third parties and other CSP partners end within 12 months
	// (Fabrikam, Northwind, seven of Coho Winery's, Proseware, Adatum,
	// Litware); Woodgrove Bank's is a CSP partner's.
	charted := 0
	for _, b := range bars {
		n, _ := strconv.Atoi(b[3])
		charted += n
	}
	if charted != 12 {
		t.Errorf("the chart counts %d term ends, want the demo's 12", charted)
	}
	now := time.Now().UTC()
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	first := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC)
	most, chartTotal := 0, 0
	for i, bar := range bars {
		monthStart := first.AddDate(0, i, 0)
		// The store's own count of term ends in this month, from today on.
		q := domain.TermEndsWithin(today, 0, domain.Page{Number: 1, Size: 1})
		q.From, q.Until = monthStart, monthStart.AddDate(0, 1, 0)
		if i == 0 {
			q.From = today // what ended earlier this month no longer waits
		}
		_, want, err := app.store.TermEnds(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		count, _ := strconv.Atoi(bar[3])
		if bar[2] != monthStart.Format("2006-01") || count != want {
			t.Errorf("bar %d = %s %d, want %s %d", i, bar[2], count, monthStart.Format("2006-01"), want)
		}
		if !strings.Contains(svg, ">"+monthStart.Format("Jan")+"</text>") {
			t.Errorf("no label for %s", monthStart.Format("Jan"))
		}
		most, chartTotal = max(most, count), chartTotal+count
	}
	if chartTotal < 5 {
		t.Errorf("the chart counts %d term ends, want at least the 5 demo licences", chartTotal)
	}
	// Heights are proportional: the busiest month is the tallest, an empty one flat.
	for _, bar := range bars {
		height, _ := strconv.Atoi(bar[1])
		count, _ := strconv.Atoi(bar[3])
		if (count == most) != (height == 140) || (count == 0) != (height == 0) {
			t.Errorf("%s: %d term ends drawn %d high (busiest month %d)", bar[2], count, height, most)
		}
	}
}

func TestTermEndsCSVExport(t *testing.T) {
	app := newTestApp(t)
	ctx := context.Background()
	c := app.signIn(salesAgent)
	// A customer and product typed as formulas must come out inert.
	id, err := app.customers.CreateCustomer(ctx, domain.Actor{}, domain.Customer{Name: "=HYPERLINK(\"http://evil.example\")",
		Domain: "formula.onmicrosoft.com", Country: "GB", AdminName: "A", AdminEmail: "a@formula.example"})
	if err != nil {
		t.Fatal(err)
	}
	end := time.Now().UTC().AddDate(0, 0, 40)
	if _, err := app.customers.AddSubscription(ctx, domain.Actor{}, domain.Subscription{CustomerID: id, Product: "@SUM(1+1)",
		ServiceType: domain.ServiceLicence, Channel: domain.ChannelThirdParty, Quantity: 7, TermEnd: &end}); err != nil {
		t.Fatal(err)
	}

	res := app.get(c, "/planner.csv?days=60")
	if res.status != http.StatusOK || !strings.HasPrefix(res.header.Get("Content-Type"), "text/csv") ||
		res.header.Get("Content-Disposition") != `attachment; filename="term-ends-next-60-days.csv"` {
		t.Fatalf("export: %d %q %q", res.status, res.header.Get("Content-Type"), res.header.Get("Content-Disposition"))
	}
	records := testio.CSV(t, res.body)
	if want := []string{"customer", "domain", "product", "channel", "quantity", "term_end", "days_left", "relationship_active"}; !slices.Equal(records[0], want) {
		t.Fatalf("header = %q, want %q", records[0], want)
	}
	fabrikamEnd := time.Now().UTC().AddDate(0, 0, 5).Format(domain.DateLayout)
	if want := []string{"Fabrikam, Inc.", "fabrikam.onmicrosoft.com", "Office 365 E3", "other_csp", "120", fabrikamEnd, "5", "false"}; !slices.Equal(records[1], want) {
		t.Errorf("first row = %q, want %q", records[1], want)
	}
	if want := []string{"Northwind Traders", "northwindtraders.onmicrosoft.com", "Office 365 E1", "third_party", "30"}; !slices.Equal(records[2][:5], want) ||
		records[2][6] != "25" {
		t.Errorf("second row = %q", records[2])
	}
	var formula []string
	for _, r := range records[1:] {
		if r[1] == "formula.onmicrosoft.com" {
			formula = r
		}
		if days, _ := strconv.Atoi(r[6]); days > 60 || r[0] == "Woodgrove Bank" || (r[7] != "true" && r[7] != "false") {
			t.Errorf("row %q does not belong in the 60-day export", r)
		}
	}
	if formula == nil || formula[0] != `'=HYPERLINK("http://evil.example")` || formula[2] != "'@SUM(1+1)" || formula[6] != "40" {
		t.Errorf("formula row = %q, want the customer and product quote-prefixed", formula)
	}
	// The export has the rows the page lists for the same window.
	page := termEndRows(t, app.get(c, "/planner?days=60"))
	if len(page) != len(records)-1 {
		t.Errorf("the page lists %d rows, the export %d", len(page), len(records)-1)
	}
}

func TestTermEndsNeedsSignIn(t *testing.T) {
	app := newTestApp(t)
	for _, path := range []string{"/planner", "/planner.csv?days=30"} {
		res := app.get(app.client(), path)
		if res.status != http.StatusSeeOther || !strings.HasPrefix(res.header.Get("Location"), "/login") {
			t.Errorf("signed out %s: %d %q, want a redirect to /login", path, res.status, res.header.Get("Location"))
		}
	}
	c := app.signIn(salesAgent)
	for _, path := range []string{"/planner", "/planner.csv"} {
		if res := app.get(c, path); res.status != http.StatusOK {
			t.Errorf("Sales agent %s: %d, want 200", path, res.status)
		}
	}
}
