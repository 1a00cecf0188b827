package web

import (
	"context"
	"fmt"
	"html"
	"maps"
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
	action, customerID, customer, product, channel, termEnd, what, byWhen, relationship string
	daysLeft                                                                            int
}

var termEndRowPattern = regexp.MustCompile(`<tr data-action="([a-z_]+)"><td><a href="/customers/(\d+)/plan">([^<]*)</a></td><td[^>]*>([^<]*)</td>` +
	`<td[^>]*>[^<]*</td><td[^>]*>([^<]*)</td><td class="nowrap"[^>]*>([^<]*)</td><td[^>]*>(-?\d+)</td><td class="term-action">(.*?)</td>` +
	`<td class="by-when"[^>]*>([^<]*)</td><td class="relationship"[^>]*>(.*?)</td></tr>`)

// termEndRows reads the rows of the planner's table, failing on a page
// without one.
func termEndRows(t *testing.T, res response) []termEndRow {
	t.Helper()
	if res.status != http.StatusOK {
		t.Fatalf("planner: status %d", res.status)
	}
	var rows []termEndRow
	for _, m := range termEndRowPattern.FindAllStringSubmatch(res.body, -1) {
		days, _ := strconv.Atoi(m[7])
		rows = append(rows, termEndRow{action: m[1], customerID: m[2], customer: m[3], product: m[4], channel: m[5], termEnd: m[6], daysLeft: days,
			what: m[8], byWhen: html.UnescapeString(m[9]), relationship: m[10]})
	}
	if n := strings.Count(res.body, "<tr data-action="); n != len(rows) {
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
	// Fabrikam's licence is from another CSP partner, its commerce not known:
	// it waits for the term end, and auto-renew must be turned off there.
	fabrikamEnd := app.clock.now().AddDate(0, 0, 5).Format(domain.DateLayout)
	if fabrikam.action != "wait_and_buy" || !strings.Contains(fabrikam.what, ">Wait, buy at the term end</span>") ||
		!strings.Contains(fabrikam.what, "Have auto-renew turned off at the current seller before the term end.") ||
		fabrikam.byWhen != "At the term end on "+fabrikamEnd+"; provisioned by "+app.clock.now().AddDate(0, 0, 35).Format(domain.DateLayout)+" at the latest" {
		t.Errorf("Fabrikam's row says to %s: %q by %q", fabrikam.action, fabrikam.what, fabrikam.byWhen)
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
	// Every channel now: Litware's licence bought direct ends within a month
	// or so, bought again in CSP before its expiry.
	var direct *termEndRow
	for i, r := range rows {
		if r.customer == "Litware, Inc." && r.product == "Microsoft 365 Business Standard" {
			direct = &rows[i]
		}
	}
	if direct == nil || direct.action != "buy_before_expiry" || direct.channel != "Microsoft direct" ||
		!strings.HasPrefix(direct.byWhen, "Before the term end on "+direct.termEnd+"; provisioned by ") {
		t.Errorf("Litware's direct licence = %+v, want it to buy before the expiry", direct)
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
	for _, want := range []string{"Fabrikam, Inc.", "Northwind Traders", "Proseware, Inc.", "Adatum Corporation", "Litware, Inc.",
		"Contoso Ltd", "Coho Winery", "Alpine Ski House"} {
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
	end := app.clock.now().AddDate(0, 0, 12)
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
		// Contoso's relationship is active: the replacement can be bought,
		// and recorded from the row.
		if r.customer == "Contoso Ltd" && (r.relationship != `<span class="badge rs-active">Active</span>` ||
			!strings.Contains(r.what, `href="/customers/`+strconv.FormatInt(contoso, 10)+`/plan?replaces=`) ||
			!strings.Contains(r.what, `#record-purchase" class="record-purchase">Record our CSP purchase</a>`)) {
			t.Fatalf("Contoso's row shows %q and %q, want Active and the purchase link", r.relationship, r.what)
		}
		if r.customer != "Contoso Ltd" && strings.Contains(r.what, "record-purchase") {
			t.Errorf("%s's row offers to record a purchase without an active relationship", r.customer)
		}
	}
	second := termEndRows(t, app.get(c, "/planner?days=30&page=2"))
	_, total, err := app.store.TermEnds(ctx, domain.TermEndsWithin(app.clock.now(), domain.Rules{}, domain.TermEndFilter{Days: 30}, domain.Page{Number: 1, Size: 1}))
	if err != nil || len(rows)+len(second) != total || second[len(second)-1].daysLeft < rows[0].daysLeft {
		t.Errorf("pages of %d and %d rows, store total %d, %v", len(rows), len(second), total, err)
	}
}

func TestTermEndsChartStacksTwelveMonthsByAction(t *testing.T) {
	app := newTestApp(t)
	c := app.signIn(salesAgent)
	// The chart ignores the list's window: 30 days still charts 12 months.
	res := app.get(c, "/planner?days=30")
	svg := regexp.MustCompile(`(?s)<svg viewBox.*?</svg>`).FindString(res.body)
	if svg == "" || strings.Contains(svg, "<script") {
		t.Fatalf("no server-drawn SVG chart in the page")
	}
	bars := regexp.MustCompile(`(?s)<g data-month="([^"]*)" data-count="(\d+)" data-height="(\d+)">(.*?)</g>`).FindAllStringSubmatch(svg, -1)
	if len(bars) != 12 {
		t.Fatalf("%d bars, want 12", len(bars))
	}
	segment := regexp.MustCompile(`<rect x="\d+" y="\d+" width="\d+" height="(\d+)" fill="[^"]+" data-action="([a-z_]+)" data-count="(\d+)">`)
	// Fixed by the demo, not by the store the page reads: eighteen licences
	// end within 12 months (every licence but Alpine Ski House's, a year
	// away, Adatum's of a Syndication partner and Woodgrove Bank's, a CSP
	// partner's): Coho Winery's seven NCE licences from another CSP partner
	// to transfer; five to wait for (Fabrikam, Northwind, Adatum, Litware's
	// legacy one, Proseware); six to buy before their expiry (Contoso's two,
	// Fabrikam's and Proseware's from an advisor, Northwind's Volume
	// Licensing, Litware's direct).
	byAction := map[string]int{}
	now := app.clock.now()
	today := domain.Day(now)
	first := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC)
	most := 0
	for i, bar := range bars {
		monthStart := first.AddDate(0, i, 0)
		count, _ := strconv.Atoi(bar[2])
		stacked := 0
		for _, seg := range segment.FindAllStringSubmatch(bar[4], -1) {
			n, _ := strconv.Atoi(seg[3])
			h, _ := strconv.Atoi(seg[1])
			byAction[seg[2]] += n
			stacked += h
			if n == 0 || h == 0 {
				t.Errorf("%s: a segment of %d drawn %d high", bar[1], n, h)
			}
		}
		// The store's own count of term ends in this month, from today on.
		q := domain.TermEndsWithin(today, domain.Rules{}, domain.TermEndFilter{Days: 0}, domain.Page{Number: 1, Size: 1})
		q.From, q.Until = monthStart, monthStart.AddDate(0, 1, 0)
		if i == 0 {
			q.From = today // what ended earlier this month is past
		}
		_, want, err := app.store.TermEnds(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		height, _ := strconv.Atoi(bar[3])
		if bar[1] != monthStart.Format("2006-01") || count != want || stacked != height {
			t.Errorf("bar %d = %s %d, %d high of segments %d; want %s %d", i, bar[1], count, height, stacked, monthStart.Format("2006-01"), want)
		}
		if !strings.Contains(bar[4], ">"+monthStart.Format("Jan")+"</text>") {
			t.Errorf("no label for %s", monthStart.Format("Jan"))
		}
		most = max(most, count)
	}
	// Coho Winery's Business Premium was transferred to us: it is ours and
	// left the planner.
	if want := map[string]int{"request_transfer": 6, "wait_and_buy": 5, "buy_before_expiry": 6}; !maps.Equal(byAction, want) {
		t.Errorf("the chart stacks %v, want the demo's %v", byAction, want)
	}
	// Heights are proportional: the busiest month is the tallest, an empty one flat.
	for _, bar := range bars {
		height, _ := strconv.Atoi(bar[3])
		count, _ := strconv.Atoi(bar[2])
		if (count == most) != (height == 140) || (count == 0) != (height == 0) {
			t.Errorf("%s: %d term ends drawn %d high (busiest month %d)", bar[1], count, height, most)
		}
	}
	// The legend names every action with its colour, in the filter's order.
	legend := regexp.MustCompile(`<li data-action="([a-z_]+)"><svg[^>]*><rect width="12" height="12" fill="#[0-9a-f]{6}"></rect></svg> ([^<]+)</li>`).
		FindAllStringSubmatch(res.body, -1)
	var codes []string
	for _, l := range legend {
		codes = append(codes, l[1])
	}
	if want := []string{"classify_first", "request_transfer", "buy_before_expiry", "wait_and_buy"}; !slices.Equal(codes, want) {
		t.Errorf("legend = %q, want %q", codes, want)
	}
	// Filtered by action, the chart holds that action alone.
	transfers := app.get(c, "/planner?days=30&action=request_transfer")
	chart := regexp.MustCompile(`(?s)<svg viewBox.*?</svg>`).FindString(transfers.body)
	if n := strings.Count(chart, `data-action="request_transfer"`); n == 0 || n != strings.Count(chart, "data-action=") {
		t.Errorf("the transfer chart has %d transfer segments of %d", n, strings.Count(chart, "data-action="))
	}
}

func TestTermEndsFilterByChannelAndAction(t *testing.T) {
	app := newTestApp(t)
	c := app.signIn(salesAgent)
	year := termEndRows(t, app.get(c, "/planner?days=365"))
	for _, tt := range []struct {
		query string
		keep  func(termEndRow) bool
	}{
		{"channel=ea", func(r termEndRow) bool { return r.channel == domain.ChannelEA.Label() }},
		{"channel=other_csp", func(r termEndRow) bool { return r.channel == domain.ChannelOtherCSP.Label() }},
		{"action=request_transfer", func(r termEndRow) bool { return r.action == "request_transfer" }},
		{"action=buy_before_expiry", func(r termEndRow) bool { return r.action == "buy_before_expiry" }},
		{"channel=other_csp&action=wait_and_buy", func(r termEndRow) bool {
			return r.channel == domain.ChannelOtherCSP.Label() && r.action == "wait_and_buy"
		}},
	} {
		res := app.get(c, "/planner?days=365&"+tt.query)
		got := termEndRows(t, res)
		var want []termEndRow
		for _, r := range year {
			if tt.keep(r) {
				want = append(want, r)
			}
		}
		if len(got) == 0 || !slices.Equal(got, want) {
			t.Errorf("%s = %d rows, want the %d of the year's list it keeps", tt.query, len(got), len(want))
		}
		if !strings.Contains(res.body, `<span id="planner-count">`+strconv.Itoa(len(want))+" ") {
			t.Errorf("%s: the count is not %d", tt.query, len(want))
		}
	}
	// Coho Winery's NCE licences not yet transferred are the transfers to
	// request, now (or to follow, where one is open).
	transfers := termEndRows(t, app.get(c, "/planner?days=365&action=request_transfer"))
	for _, r := range transfers {
		if r.customer != "Coho Winery" || !strings.HasPrefix(r.byWhen, "Now, before the term end on ") {
			t.Errorf("transfer row %+v", r)
		}
	}
	if len(transfers) != 6 {
		t.Errorf("%d transfers to request, want Coho Winery's 6", len(transfers))
	}
	// The chips are links that keep the other filters; the current one is marked.
	res := app.get(c, "/planner?days=60&channel=other_csp&action=wait_and_buy")
	for _, want := range []string{
		`<a href="/planner?action=wait_and_buy&amp;channel=other_csp&amp;days=365" class="chip">Next 365 days</a>`,
		`<a href="/planner?action=wait_and_buy&amp;channel=other_csp&amp;days=60" class="chip current" aria-current="true">Another CSP partner</a>`,
		`<a href="/planner?action=wait_and_buy&amp;days=60" class="chip">Every channel</a>`,
		`<a href="/planner?action=wait_and_buy&amp;channel=ea&amp;days=60" class="chip">`,
		`<a href="/planner?action=wait_and_buy&amp;channel=unknown&amp;days=60" class="chip">Not yet known</a>`,
		`<a href="/planner?channel=other_csp&amp;days=60" class="chip">Every action</a>`,
		`<a href="/planner?action=request_transfer&amp;channel=other_csp&amp;days=60" class="chip">Request the partner transfer</a>`,
		`href="/planner.csv?action=wait_and_buy&amp;channel=other_csp&amp;days=60"`,
	} {
		if !strings.Contains(res.body, want) {
			t.Errorf("the filtered page lacks %s", want)
		}
	}
	if strings.Contains(res.body, "channel=syndication") {
		t.Error("the planner offers the syndication channel, whose licences it leaves out")
	}
	// Filters not known are no narrowing.
	if got := termEndRows(t, app.get(c, "/planner?days=365&channel=nowhere&action=dance")); !slices.Equal(got, year) {
		t.Errorf("unknown filters = %d rows, want the year's %d", len(got), len(year))
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
	end := app.clock.now().AddDate(0, 0, 40)
	if _, err := app.customers.AddSubscription(ctx, domain.Actor{}, domain.Subscription{CustomerID: id, Product: "@SUM(1+1)",
		ServiceType: domain.ServiceLicence, Channel: domain.ChannelThirdParty, Quantity: 7, TermEnd: &end}); err != nil {
		t.Fatal(err)
	}
	// Coho Winery's NCE licence within 60 days was transferred, so it left
	// the planner: this one is a transfer still to request.
	nceEnd := app.clock.now().AddDate(0, 0, 50)
	if _, err := app.customers.AddSubscription(ctx, domain.Actor{}, domain.Subscription{CustomerID: id, Product: "Microsoft 365 E3",
		ServiceType: domain.ServiceLicence, Channel: domain.ChannelOtherCSP, Commerce: domain.CommerceNCE, Quantity: 7, TermEnd: &nceEnd}); err != nil {
		t.Fatal(err)
	}

	res := app.get(c, "/planner.csv?days=60")
	if res.status != http.StatusOK || !strings.HasPrefix(res.header.Get("Content-Type"), "text/csv") ||
		res.header.Get("Content-Disposition") != `attachment; filename="term-ends-next-60-days.csv"` {
		t.Fatalf("export: %d %q %q", res.status, res.header.Get("Content-Type"), res.header.Get("Content-Disposition"))
	}
	records := testio.CSV(t, res.body)
	if want := []string{"customer", "domain", "product", "channel", "commerce", "quantity", "term_end", "days_left", "action", "act_by",
		"turn_off_auto_renew", "provision_by", "relationship_active"}; !slices.Equal(records[0], want) {
		t.Fatalf("header = %q, want %q", records[0], want)
	}
	now := app.clock.now()
	fabrikamEnd := now.AddDate(0, 0, 5).Format(domain.DateLayout)
	if want := []string{"Fabrikam, Inc.", "fabrikam.onmicrosoft.com", "Office 365 E3", "other_csp", "", "120", fabrikamEnd, "5", "wait_and_buy",
		fabrikamEnd, "true", now.AddDate(0, 0, 35).Format(domain.DateLayout), "false"}; !slices.Equal(records[1], want) {
		t.Errorf("first row = %q, want %q", records[1], want)
	}
	if want := []string{"Northwind Traders", "northwindtraders.onmicrosoft.com", "Office 365 E1", "third_party", "", "30"}; !slices.Equal(records[2][:6], want) ||
		records[2][7] != "25" || records[2][8] != "wait_and_buy" {
		t.Errorf("second row = %q", records[2])
	}
	var formula []string
	actions := map[string]bool{}
	for _, r := range records[1:] {
		if r[1] == "formula.onmicrosoft.com" && r[8] != "request_transfer" {
			formula = r
		}
		actions[r[8]] = true
		if days, _ := strconv.Atoi(r[7]); days > 60 || r[0] == "Woodgrove Bank" || (r[12] != "true" && r[12] != "false") || r[9] != r[6] {
			t.Errorf("row %q does not belong in the 60-day export", r)
		}
	}
	if formula == nil || formula[0] != `'=HYPERLINK("http://evil.example")` || formula[2] != "'@SUM(1+1)" || formula[7] != "40" {
		t.Errorf("formula row = %q, want the customer and product quote-prefixed", formula)
	}
	if !actions["buy_before_expiry"] || !actions["request_transfer"] || !actions["wait_and_buy"] {
		t.Errorf("the 60-day export's actions = %v, want direct, NCE and third-party licences", actions)
	}
	// The export follows the filter.
	filtered := testio.CSV(t, app.get(c, "/planner.csv?days=60&action=request_transfer").body)
	for _, r := range filtered[1:] {
		if r[8] != "request_transfer" {
			t.Errorf("the transfer export has %q", r)
		}
	}
	if len(filtered) < 2 {
		t.Error("the transfer export is empty")
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

// TestPlannerFollowsTheLicenceTransfers holds the planner beside the
// transfers: a licence a transfer brought to us is ours and leaves the
// planner; one with a transfer open says to follow it instead of
// requesting another.
func TestPlannerFollowsTheLicenceTransfers(t *testing.T) {
	app := newTestApp(t)
	body := app.get(app.signIn(salesAgent), "/planner?days=365&action=request_transfer").body
	rowOf := func(product string) string {
		i := strings.Index(body, ">"+product+"<")
		if i < 0 {
			return ""
		}
		end := strings.Index(body[i:], "</tr>")
		return body[i : i+end]
	}
	if row := rowOf("Microsoft 365 Business Premium"); row != "" {
		t.Errorf("Coho's transferred licence is still in the planner: %s", row)
	}
	for product, want := range map[string]string{
		"Microsoft Teams Premium": "Transfer accepted by the other partner: record when it completes.",
		"Microsoft 365 Copilot":   "Transfer requested: waiting for the other partner to accept it.",
		"Project Plan 3":          "Request the partner transfer with the other partner&#39;s tenant id now",
		"Microsoft 365 E3":        "The other partner rejected the last transfer request: clear it up with them",
	} {
		if row := rowOf(product); !strings.Contains(row, want) {
			t.Errorf("%s: the row does not say %q:\n%s", product, want, row)
		}
	}
}
