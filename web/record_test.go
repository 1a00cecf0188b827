package web

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/wingtip/multichannel/internal/domain"
	"github.com/wingtip/multichannel/internal/testio"
	"github.com/wingtip/multichannel/static"
)

// recordPath is the address of a customer's onboarding record, or of its
// JSON or CSV when suffix is ".json" or ".csv".
func recordPath(customerID int64, suffix string) string {
	return fmt.Sprintf("/customers/%d/record%s", customerID, suffix)
}

// recordSection returns the part of an HTML page from the element with
// this id to the end of its enclosing section.
func recordSection(t *testing.T, body, id string) string {
	t.Helper()
	start := strings.Index(body, `id="`+id+`"`)
	if start < 0 {
		t.Fatalf("no element with id %q", id)
	}
	end := strings.Index(body[start:], "</section>")
	if end < 0 {
		t.Fatalf("element %q is not in a section", id)
	}
	return body[start : start+end]
}

// recordRows splits a part of a page into its table rows of this class.
func recordRows(part, class string) []string {
	pieces := strings.Split(part, `<tr class="`+class+`"`)
	return pieces[1:]
}

func TestRecordShowsContosoOnboarding(t *testing.T) {
	app := newTestApp(t)
	c := app.signIn(salesAgent)
	id := app.customerID("Contoso")
	ctx := context.Background()

	res := app.get(c, recordPath(id, ""))
	if res.status != http.StatusOK {
		t.Fatalf("record: %d", res.status)
	}
	page := res.body
	for _, want := range []string{"Contoso Ltd", "contoso.onmicrosoft.com", domain.CountryName("GB"), "megan.bowen@contoso.example",
		"Wingtip Cloud Partners", `id="record-partner-id">5139005<`} {
		if !strings.Contains(page, want) {
			t.Errorf("the record lacks %q", want)
		}
	}

	rel, err := app.store.OpenRelationship(ctx, id)
	if err != nil || rel.ReviewedAt == nil || rel.AnsweredAt == nil {
		t.Fatalf("Contoso's relationship: %+v, %v", rel, err)
	}
	relationship := recordSection(t, page, "record-relationship")
	for _, want := range []string{`data-status="active"`, `id="accepted-by">Megan Bowen`, `id="accepted-at">` + domain.FormatDateTime(*rel.AnsweredAt),
		`id="verified">Verified by Avery Chen on ` + rel.ReviewedAt.Format(domain.DateLayout), "Service Support Administrator",
		`granted <time>` + rel.GDAP.ActivatedAt.Format(domain.DateLayout)} {
		if !strings.Contains(relationship, want) {
			t.Errorf("the relationship lacks %q:\n%s", want, relationship)
		}
	}

	plan, err := app.customers.Plan(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	subRows := recordRows(recordSection(t, page, "record-subscriptions"), "record-subscription")
	if len(subRows) != plan.Total || plan.Total != 7 {
		t.Fatalf("%d subscription rows, want %d (7)", len(subRows), plan.Total)
	}
	i := 0
	for _, g := range plan.Groups {
		for _, item := range g.Items {
			for _, want := range []string{item.Subscription.Product, item.Subscription.Channel.Label(), g.Workflow.Label(), item.Stage} {
				if !strings.Contains(subRows[i], html.EscapeString(want)) {
					t.Errorf("row %d (%s) lacks %q", i, item.Subscription.Product, want)
				}
			}
			i++
		}
	}

	// Term ends ahead: every licence whose term has not ended, soonest first.
	subs, err := app.store.AllSubscriptions(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	today := time.Now().UTC().Truncate(24 * time.Hour)
	var ahead []domain.Subscription
	for _, s := range subs {
		if end := s.Term(); end != nil && !end.Before(today) {
			ahead = append(ahead, s)
		}
	}
	slices.SortFunc(ahead, func(a, b domain.Subscription) int { return a.TermEnd.Compare(*b.TermEnd) })
	endRows := recordRows(recordSection(t, page, "record-term-ends"), "record-term-end")
	if len(endRows) != len(ahead) || len(ahead) != 2 {
		t.Fatalf("%d term ends ahead, want %d (2)", len(endRows), len(ahead))
	}
	for i, s := range ahead {
		if !strings.Contains(endRows[i], s.Product) || !strings.Contains(endRows[i], domain.FormatDate(s.TermEnd)) {
			t.Errorf("term end %d is not %s on %s:\n%s", i, s.Product, domain.FormatDate(s.TermEnd), endRows[i])
		}
		if days := domain.DaysLeft(*s.TermEnd, time.Now().UTC()); !strings.Contains(endRows[i], fmt.Sprintf(`<td data-label="Days left">%d</td>`, days)) {
			t.Errorf("term end %d lacks its %d days left", i, days)
		}
	}
	if !strings.Contains(endRows[0], "Exchange Online (Plan 1)") || !strings.Contains(endRows[1], "Microsoft 365 E3") {
		t.Error("the term ends are not in date order")
	}
	if !strings.Contains(recordSection(t, page, "record-transfers"), `id="no-record-transfers"`) {
		t.Error("Contoso has no transfers, but the record does not say so")
	}

	// The links: print (a plain link with a note, no script), JSON and CSV.
	for _, want := range []string{
		`<a href="` + recordPath(id, "") + `" id="record-print">Print</a>`, "use your browser's Print",
		`href="` + recordPath(id, ".json") + `"`, `href="` + recordPath(id, ".csv") + `"`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the record lacks %s", want)
		}
	}
	if strings.Contains(page, "<script>") || strings.Contains(page, "onclick") {
		t.Error("the record has inline script, which the CSP forbids")
	}
}

func TestRecordShowsCohoTransfersWithTheirDates(t *testing.T) {
	app := newTestApp(t)
	c := app.signIn(globalAdmin)
	id := app.customerID("Coho")
	ctx := context.Background()

	transfers, total, err := app.store.TransfersOfCustomer(ctx, id, domain.Page{Number: 1, Size: 50})
	if err != nil || total != 11 { // five of Azure, six of licences
		t.Fatalf("Coho's transfers: %d, %v", total, err)
	}
	slices.SortFunc(transfers, func(a, b domain.Transfer) int { return a.CreatedAt.Compare(b.CreatedAt) })
	page := app.get(c, recordPath(id, ""))
	if page.status != http.StatusOK {
		t.Fatalf("record: %d", page.status)
	}
	trRows := recordRows(recordSection(t, page.body, "record-transfers"), "record-transfer")
	if len(trRows) != len(transfers) {
		t.Fatalf("%d transfer rows, want %d", len(trRows), len(transfers))
	}
	var completed domain.Transfer
	now := time.Now()
	for i, tr := range transfers {
		row := trRows[i]
		if !strings.Contains(row, `data-status="`+string(tr.Effective(now))+`"`) || !strings.Contains(row, tr.CreatedAt.Format(domain.DateLayout)) {
			t.Errorf("transfer %d (%s) is not in date order or lacks its state and date:\n%s", i, tr.Effective(now), row)
		}
		if tr.AcceptedOn != nil && !strings.Contains(row, `class="accepted-on">`+domain.FormatDate(tr.AcceptedOn)+`<`) {
			t.Errorf("transfer %d lacks its accepted date %s", i, domain.FormatDate(tr.AcceptedOn))
		}
		if tr.Status == domain.TransferComplete {
			completed = tr
			if !strings.Contains(row, `class="completed-on">`+domain.FormatDate(tr.CompletedOn)+`<`) {
				t.Errorf("the completed transfer lacks its completed date %s:\n%s", domain.FormatDate(tr.CompletedOn), row)
			}
		}
		if tr.EndedAt != nil && !strings.Contains(row, "on "+tr.EndedAt.Format(domain.DateLayout)) {
			t.Errorf("the %s transfer lacks its date", tr.Status)
		}
		if tr.Status == domain.TransferRejected && !strings.Contains(row, html.EscapeString(tr.RejectionReason)) {
			t.Errorf("the rejected transfer lacks the other partner's reason:\n%s", row)
		}
	}
	if completed.CompletedOn == nil {
		t.Fatal("the demo has no completed transfer")
	}
	if !strings.Contains(page.body, "Transferred on <time>"+domain.FormatDate(completed.CompletedOn)+"</time>") {
		t.Error("the subscription a completed transfer carried does not say when it was transferred")
	}
}

func TestRecordJSONHasTheSameData(t *testing.T) {
	app := newTestApp(t)
	c := app.signIn(adminAgent)
	var out struct {
		ProducedAt string `json:"produced_at"`
		Customer   struct {
			Name   string `json:"name"`
			Domain string `json:"domain"`
		} `json:"customer"`
		Partner struct {
			PartnerID string `json:"partner_id"`
		} `json:"partner"`
		Relationship *struct {
			State          string   `json:"state"`
			AcceptedByName string   `json:"accepted_by_name"`
			AcceptedAt     *string  `json:"accepted_at"`
			VerifiedBy     string   `json:"verified_by"`
			VerifiedAt     *string  `json:"verified_at"`
			AdminRoles     []string `json:"admin_roles"`
		} `json:"relationship"`
		Subscriptions []struct {
			Product       string  `json:"product"`
			Workflow      string  `json:"workflow"`
			Stage         string  `json:"stage"`
			TransferredOn *string `json:"transferred_on"`
		} `json:"subscriptions"`
		Transfers []struct {
			State       string  `json:"state"`
			CompletedOn *string `json:"completed_on"`
		} `json:"transfers"`
		TermEndsAhead []struct {
			Product string `json:"product"`
			TermEnd string `json:"term_end"`
		} `json:"term_ends_ahead"`
	}
	res := app.get(c, recordPath(app.customerID("Contoso"), ".json"))
	if res.status != http.StatusOK || !strings.HasPrefix(res.header.Get("Content-Type"), "application/json") {
		t.Fatalf("JSON: %d %q", res.status, res.header.Get("Content-Type"))
	}
	if err := json.Unmarshal([]byte(res.body), &out); err != nil {
		t.Fatal(err)
	}
	if out.Customer.Name != "Contoso Ltd" || out.Partner.PartnerID != "5139005" || out.ProducedAt == "" {
		t.Errorf("customer %+v, partner %+v, produced %q", out.Customer, out.Partner, out.ProducedAt)
	}
	rel := out.Relationship
	if rel == nil || rel.State != "active" || rel.AcceptedByName != "Megan Bowen" || rel.VerifiedBy != "Avery Chen" ||
		rel.AcceptedAt == nil || rel.VerifiedAt == nil || rel.AdminRoles == nil {
		t.Errorf("relationship %+v", rel)
	}
	if len(out.Subscriptions) != 7 || len(out.Transfers) != 0 || len(out.TermEndsAhead) != 2 {
		t.Errorf("%d subscriptions, %d transfers, %d term ends ahead; want 7, 0, 2", len(out.Subscriptions), len(out.Transfers), len(out.TermEndsAhead))
	}
	if len(out.TermEndsAhead) == 2 && out.TermEndsAhead[0].TermEnd > out.TermEndsAhead[1].TermEnd {
		t.Error("term ends ahead are not in date order")
	}
	// Keys are stable: a missing value is null, not left out.
	var raw map[string]any
	json.Unmarshal([]byte(res.body), &raw)
	first := raw["subscriptions"].([]any)[0].(map[string]any)
	for _, key := range []string{"subscription_id", "product", "channel", "service_type", "quantity", "workflow", "reason", "stage", "term_end", "days_left", "transferred_on"} {
		if _, ok := first[key]; !ok {
			t.Errorf("a subscription has no %q key", key)
		}
	}

	res = app.get(c, recordPath(app.customerID("Coho"), ".json"))
	out.Relationship, out.Subscriptions, out.Transfers = nil, nil, nil
	if err := json.Unmarshal([]byte(res.body), &out); err != nil {
		t.Fatal(err)
	}
	transferred := 0
	for _, s := range out.Subscriptions {
		if s.TransferredOn != nil {
			transferred++
		}
	}
	if len(out.Subscriptions) != 13 || len(out.Transfers) != 11 || transferred != 2 {
		t.Errorf("Coho: %d subscriptions, %d transfers, %d transferred; want 13, 11, 2", len(out.Subscriptions), len(out.Transfers), transferred)
	}
	for _, tr := range out.Transfers {
		if (tr.State == "complete") != (tr.CompletedOn != nil) {
			t.Errorf("transfer %+v", tr)
		}
	}
}

func TestRecordCSVHasOneRowPerSubscription(t *testing.T) {
	app := newTestApp(t)
	c := app.signIn(salesAgent)
	ctx := context.Background()
	read := func(customerID int64) [][]string {
		t.Helper()
		res := app.get(c, recordPath(customerID, ".csv"))
		if res.status != http.StatusOK || !strings.HasPrefix(res.header.Get("Content-Type"), "text/csv") ||
			!strings.Contains(res.header.Get("Content-Disposition"), "attachment") {
			t.Fatalf("CSV: %d %q %q", res.status, res.header.Get("Content-Type"), res.header.Get("Content-Disposition"))
		}
		records := testio.CSV(t, res.body)
		want := []string{"customer", "product", "channel", "service_type", "workflow", "stage", "term_end", "days_left", "relationship_state", "transferred_on",
			"commerce", "term_length"}
		if len(records) == 0 || !slices.Equal(records[0], want) {
			t.Fatalf("header %v", records)
		}
		subs, _ := app.store.AllSubscriptions(ctx, customerID)
		if len(records) != len(subs)+1 {
			t.Fatalf("%d rows for %d subscriptions", len(records)-1, len(subs))
		}
		return records[1:]
	}

	contoso := app.customerID("Contoso")
	e3 := slices.IndexFunc(read(contoso), func(r []string) bool { return r[1] == "Microsoft 365 E3" })
	row := read(contoso)[e3]
	if row[0] != "Contoso Ltd" || row[2] != "ea" || row[3] != "licence" || row[4] != "reseller_relationship" || row[5] == "" ||
		row[6] == "" || row[7] == "" || row[8] != "active" || row[9] != "" || row[10] != "" || row[11] != "three_years" {
		t.Errorf("Microsoft 365 E3: %v", row)
	}

	coho := app.customerID("Coho")
	transfers, _, _ := app.store.TransfersOfCustomer(ctx, coho, domain.Page{Number: 1, Size: 50})
	var completedOn string
	for _, tr := range transfers {
		if tr.Status == domain.TransferComplete {
			completedOn = domain.FormatDate(tr.CompletedOn)
		}
	}
	plan := slices.IndexFunc(read(coho), func(r []string) bool { return r[1] == "Azure plan" })
	if row := read(coho)[plan]; completedOn == "" || row[9] != completedOn || row[4] != "azure_transfer" {
		t.Errorf("Coho's Azure plan: %v, want transferred on %s", row, completedOn)
	}

	// Text people typed cannot run as a formula in a spreadsheet.
	tailspin := app.customerID("Tailspin")
	if res := app.post(c, fmt.Sprintf("/customers/%d/subscriptions", tailspin), url.Values{"product": {"=HYPERLINK(\"http://x\")"}}); res.status != http.StatusSeeOther {
		t.Fatalf("add: %d", res.status)
	}
	records := read(tailspin)
	if !slices.ContainsFunc(records, func(r []string) bool { return r[1] == `'=HYPERLINK("http://x")` }) {
		t.Errorf("the formula was not defused: %v", records)
	}
}

func TestRecordPrintStylesheet(t *testing.T) {
	app := newTestApp(t)
	c := app.signIn(globalAdmin)
	css := app.get(c, "/static/"+static.Version+"/css/print.css")
	if css.status != http.StatusOK || !strings.Contains(css.header.Get("Content-Type"), "text/css") {
		t.Fatalf("print.css: %d %q", css.status, css.header.Get("Content-Type"))
	}
	if strings.Contains(css.body, "@media") {
		t.Error("print.css is linked with media=print, so it needs no media query")
	}
	for _, want := range []string{"#main-nav", "display: none", "text-decoration: none", "break-inside: avoid", "content: none", "color: #000"} {
		if !strings.Contains(css.body, want) {
			t.Errorf("print.css lacks %q", want)
		}
	}
	page := app.get(c, recordPath(app.customerID("Contoso"), ""))
	if !strings.Contains(page.body, `<link rel="stylesheet" href="/static/`+static.Version+`/css/print.css" media="print">`) {
		t.Error("the record does not link the print stylesheet with media=print")
	}
}

func TestRecordEveryRoleMayOpenIt(t *testing.T) {
	app := newTestApp(t)
	id := app.customerID("Fabrikam")
	for _, email := range []string{globalAdmin, adminAgent, salesAgent} {
		c := app.signIn(email)
		for _, suffix := range []string{"", ".json", ".csv"} {
			if res := app.get(c, recordPath(id, suffix)); res.status != http.StatusOK {
				t.Errorf("%s %s: %d", email, recordPath(id, suffix), res.status)
			}
		}
	}
	// Fabrikam's relationship awaits review and its GDAP request is not
	// active: its roles are asked, not granted.
	page := app.get(app.signIn(salesAgent), recordPath(id, ""))
	for _, want := range []string{"Helpdesk Administrator", "not verified yet", `data-status="accepted"`} {
		if !strings.Contains(page.body, want) {
			t.Errorf("Fabrikam's record lacks %q", want)
		}
	}
	if strings.Contains(page.body, `id="roles-until"`) {
		t.Error("Fabrikam's roles are shown as granted before its GDAP relationship is active")
	}
	// Contoso's GDAP relationship is active: its roles run from the
	// activation recorded, not from the customer's answer (issue 11).
	contoso := app.customerID("Contoso")
	rel, err := app.store.OpenRelationship(context.Background(), contoso)
	if err != nil || rel.GDAP == nil || rel.GDAP.ActivatedAt == nil {
		t.Fatalf("Contoso's relationship: %v", err)
	}
	until := rel.GDAP.ActivatedAt.AddDate(0, 0, rel.GDAP.Days).Format(domain.DateLayout)
	if page := app.get(app.signIn(salesAgent), recordPath(contoso, "")); !strings.Contains(page.body, `id="roles-until">`+until) {
		t.Errorf("Contoso's record does not show its roles until %s", until)
	}
	if res := app.get(app.client(), recordPath(id, "")); res.status == http.StatusOK {
		t.Error("the record is open to someone not signed in")
	}
}

func TestRecordOfAnUnknownCustomerIsNotFound(t *testing.T) {
	app := newTestApp(t)
	c := app.signIn(globalAdmin)
	for _, path := range []string{"/customers/999999/record", "/customers/999999/record.json", "/customers/999999/record.csv", "/customers/abc/record"} {
		if res := app.get(c, path); res.status != http.StatusNotFound {
			t.Errorf("%s: %d, want 404", path, res.status)
		}
	}
}
