package web

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/wingtip/multichannel/internal/domain"
)

// stepperStep is one step of the stepper as a page shows it.
type stepperStep struct {
	href, name, state string
}

var stepRE = regexp.MustCompile(`<li class="step[^"]*"><a href="([^"]*)"[^>]*><span class="step-number">\d+</span> <span class="step-name">([^<]*)</span> <small class="step-state">([^<]*)</small>`)

// stepper reads the stepper of a customer page, by step name.
func stepper(t *testing.T, body string) map[string]stepperStep {
	t.Helper()
	out := map[string]stepperStep{}
	for _, m := range stepRE.FindAllStringSubmatch(body, -1) {
		out[m[2]] = stepperStep{href: html.UnescapeString(m[1]), name: m[2], state: m[3]}
	}
	if len(out) != 6 {
		t.Fatalf("the stepper has %d steps, want 6: %v", len(out), out)
	}
	return out
}

// planGroup is one group of the plan page: its guidance, its link and the
// links of its rows to their next steps.
type planGroup struct {
	next, href string
	rows       []string // each row's next-step link, in order
	roleNotes  []string
}

var (
	groupRE    = regexp.MustCompile(`(?s)<section class="plan-group" id="([a-z_]+)".*?</section>`)
	nextRE     = regexp.MustCompile(`(?s)<p class="next-action"><strong>Next:</strong> (.*?)</p>`)
	groupRefRE = regexp.MustCompile(`<a href="([^"]*)" class="workflow-link">`)
	rowRE      = regexp.MustCompile(`(?s)<tr><td>.*?</tr>`)
	rowLinkRE  = regexp.MustCompile(`<td class="next-step" data-label="Next step">(?:<a href="([^"]*)" class="next-link">)?`)
	roleNoteRE = regexp.MustCompile(`<p class="role-note" role="note">([^<]*)</p>`)
)

// planGroups reads the groups of a plan page, by workflow.
func planGroups(t *testing.T, body string) map[string]planGroup {
	t.Helper()
	out := map[string]planGroup{}
	for _, sec := range groupRE.FindAllStringSubmatch(body, -1) {
		g := planGroup{}
		if m := nextRE.FindStringSubmatch(sec[0]); m != nil {
			g.next = html.UnescapeString(m[1])
		}
		if m := groupRefRE.FindStringSubmatch(sec[0]); m != nil {
			g.href = html.UnescapeString(m[1])
		}
		for _, row := range rowRE.FindAllString(sec[0], -1) {
			m := rowLinkRE.FindStringSubmatch(row)
			if m == nil {
				t.Fatalf("a row of %s has no next-step cell: %s", sec[1], row)
			}
			g.rows = append(g.rows, html.UnescapeString(m[1]))
		}
		for _, m := range roleNoteRE.FindAllStringSubmatch(sec[0], -1) {
			g.roleNotes = append(g.roleNotes, html.UnescapeString(m[1]))
		}
		out[sec[1]] = g
	}
	return out
}

// TestPlanNextActionsPerState: on each demo customer's plan, a group's Next
// says what the customer's actual state needs (the relationship awaiting
// the customer, awaiting verification, active; checklists and transfers
// counted by their next step), and every row links to the page where its
// next step is done, which opens.
func TestPlanNextActionsPerState(t *testing.T) {
	app := newTestApp(t)
	c := app.signIn(adminAgent)
	for _, tc := range []struct {
		customer, workflow string
		next, notNext      string
		page               string // the group's link and every row's, under the customer; "/relationships" as is
	}{
		{"Coho Winery", "licence_transfer", "Request the transfer: 3; record the other partner's acceptance, or cancel: 1; record the transfer completed: 2. Done: 1 of 7.",
			"Once the reseller relationship is active", "transfers"},
		{"Coho Winery", "azure_transfer", "Done: 1 of 6.", "Once the reseller relationship is active", "transfers"},
		{"Contoso", "reseller_relationship", "managed through the reseller relationship", "Request a reseller relationship", "plan"},
		{"Contoso", "azure_new_subscription",
			"Record the new CSP Azure subscription: 1; record the workloads moved: 1; record the old subscription or services cancelled: 1. Done: 1 of 4.",
			"Once the reseller relationship", "azure"},
		{"Contoso", "azure_billing_transfer", "", "Once the reseller relationship is active", "billing-transfer"},
		{"Northwind", "reseller_relationship", "wait for the customer's Global admin", "Request a reseller relationship", "relationship"},
		{"Northwind", "azure_new_subscription", "wait for the customer's Global admin", "Record the new CSP Azure subscription", "relationship"},
		{"Fabrikam", "azure_transfer", "verify in Partner Center", "Request the transfer", "/relationships"},
		{"Litware", "azure_billing_transfer", "revoked: send a new one", "Start the billing transfer", "relationship"},
		{"Tailspin", "needs_classification", "Set the channel and the service type", "", "subscriptions"},
	} {
		id := app.customerID(tc.customer)
		res := app.get(c, fmt.Sprintf("/customers/%d/plan", id))
		g, ok := planGroups(t, res.body)[tc.workflow]
		if !ok {
			t.Errorf("%s's plan has no group %s", tc.customer, tc.workflow)
			continue
		}
		if !strings.Contains(g.next, tc.next) || (tc.notNext != "" && strings.Contains(g.next, tc.notNext)) {
			t.Errorf("%s %s: Next %q; want %q, not %q", tc.customer, tc.workflow, g.next, tc.next, tc.notNext)
		}
		want := fmt.Sprintf("/customers/%d/%s", id, tc.page)
		if strings.HasPrefix(tc.page, "/") {
			want = tc.page
		}
		if !strings.HasPrefix(g.href, want) {
			t.Errorf("%s %s: the group links %q, want %s", tc.customer, tc.workflow, g.href, want)
		}
		if len(g.rows) == 0 {
			t.Errorf("%s %s: no rows", tc.customer, tc.workflow)
		}
		for i, href := range g.rows {
			if !strings.HasPrefix(href, want) {
				t.Errorf("%s %s row %d links %q, want %s…", tc.customer, tc.workflow, i, href, want)
				continue
			}
			path, _, _ := strings.Cut(href, "#")
			if res := app.get(c, path); res.status != http.StatusOK {
				t.Errorf("%s %s row %d: %s answers %d", tc.customer, tc.workflow, i, path, res.status)
			}
		}
	}
}

// TestPlanRowsLinkToTheirOwnPart: a row's link leads to its own part of
// the page: its Azure checklist, its edit form, the purchase form that
// replaces it.
func TestPlanRowsLinkToTheirOwnPart(t *testing.T) {
	app := newTestApp(t)
	c := app.signIn(adminAgent)
	contoso, tailspin := app.customerID("Contoso"), app.customerID("Tailspin")
	for _, tc := range []struct {
		customer int64
		workflow string
		want     func(domain.Subscription) string
	}{
		{contoso, "azure_new_subscription", func(s domain.Subscription) string { return fmt.Sprintf("/customers/%d/azure#azure-%d", contoso, s.ID) }},
		{contoso, "reseller_relationship", func(s domain.Subscription) string {
			return fmt.Sprintf("/customers/%d/plan?replaces=%d#record-purchase", contoso, s.ID)
		}},
		{tailspin, "needs_classification", func(s domain.Subscription) string {
			return fmt.Sprintf("/customers/%d/subscriptions/%d/edit", tailspin, s.ID)
		}},
	} {
		plan, err := app.customers.Plan(context.Background(), tc.customer)
		if err != nil {
			t.Fatal(err)
		}
		var want []string
		for _, item := range plan.Items() {
			if string(item.Classification.Workflow) == tc.workflow {
				want = append(want, tc.want(item.Subscription))
			}
		}
		got := planGroups(t, app.get(c, fmt.Sprintf("/customers/%d/plan", tc.customer)).body)[tc.workflow].rows
		if strings.Join(got, " ") != strings.Join(want, " ") || len(want) == 0 {
			t.Errorf("%s rows link %q, want %q", tc.workflow, got, want)
		}
	}
}

// TestStepperAgreesWithTheAzurePage: for every demo customer, the
// stepper's Azure step says "nothing to do" exactly when the Azure page
// says no subscription needs a new CSP subscription, and "done" exactly
// when every checklist on it is done; the Transfers step opens a page that
// answers. Coho Winery, whose Azure all moves by transfer, has nothing to
// do on the Azure step and transfers to do.
func TestStepperAgreesWithTheAzurePage(t *testing.T) {
	app := newTestApp(t)
	c := app.signIn(salesAgent)
	items, _, err := app.store.ListCustomers(context.Background(), domain.CustomerQuery{Page: domain.Page{Number: 1, Size: 50}})
	if err != nil || len(items) < 10 {
		t.Fatalf("%d customers: %v", len(items), err)
	}
	stageRE := regexp.MustCompile(`<section class="checklist" id="azure-\d+" data-stage="([^"]*)"`)
	for _, item := range items {
		cu := item.Customer
		page := app.get(c, fmt.Sprintf("/customers/%d/azure", cu.ID))
		steps := stepper(t, page.body)
		azure := steps["Azure"].state
		none := strings.Contains(page.body, "subscriptions needs a new CSP Azure subscription.")
		stages := stageRE.FindAllStringSubmatch(page.body, -1)
		allDone := len(stages) > 0
		for _, st := range stages {
			allDone = allDone && strings.HasPrefix(st[1], "Done")
		}
		classified := !strings.Contains(stepper(t, page.body)["Subscriptions"].state, "to do")
		switch {
		case none && classified && azure != "nothing to do":
			t.Errorf("%s: the Azure page needs nothing, the stepper says %q", cu.Name, azure)
		case !none && azure == "nothing to do":
			t.Errorf("%s: the stepper says nothing to do, the page lists %d checklists", cu.Name, len(stages))
		case allDone != (azure == "done"):
			t.Errorf("%s: the stepper says %q, every checklist done: %v", cu.Name, azure, allDone)
		}
		tr := steps["Transfers"]
		if res := app.get(c, tr.href); res.status != http.StatusOK || !strings.Contains(tr.href, "transfer") {
			t.Errorf("%s: the Transfers step opens %s (%d)", cu.Name, tr.href, res.status)
		}
	}
	coho := app.customerID("Coho Winery")
	steps := stepper(t, app.get(c, fmt.Sprintf("/customers/%d/plan", coho)).body)
	if steps["Azure"].state != "nothing to do" || steps["Transfers"].state != "to do" || steps["Transfers"].href != fmt.Sprintf("/customers/%d/transfers", coho) {
		t.Errorf("Coho Winery's stepper: %+v", steps)
	}
	litware := app.customerID("Litware")
	if href := stepper(t, app.get(c, fmt.Sprintf("/customers/%d", litware)).body)["Transfers"].href; href != fmt.Sprintf("/customers/%d/billing-transfer", litware) {
		t.Errorf("Litware, with billing transfers only, has its Transfers step at %s", href)
	}
}

// TestSalesAgentIsToldWhoDoesIt: a Sales agent's plan says, under a group
// whose next steps need another role, which roles do them, in the role
// matrix's words; an Admin agent, who may, is told nothing. The home
// page's cards the Sales agent does not act on say who does.
func TestSalesAgentIsToldWhoDoesIt(t *testing.T) {
	app := newTestApp(t)
	coho := app.customerID("Coho Winery")
	want := domain.WhoMay(domain.PermTransfers) + " create and change transfer requests (Azure and licences); as a Sales agent you can follow where it stands here."
	if !strings.HasPrefix(want, "Admin agents and Global admins ") {
		t.Fatalf("the role matrix reads %q", want)
	}
	sales := planGroups(t, app.get(app.signIn(salesAgent), fmt.Sprintf("/customers/%d/plan", coho)).body)
	for _, w := range []string{"licence_transfer", "azure_transfer"} {
		if notes := sales[w].roleNotes; len(notes) != 1 || notes[0] != want {
			t.Errorf("the Sales agent's %s says %q, want %q", w, notes, want)
		}
	}
	admin := planGroups(t, app.get(app.signIn(adminAgent), fmt.Sprintf("/customers/%d/plan", coho)).body)
	if notes := admin["licence_transfer"].roleNotes; len(notes) != 0 {
		t.Errorf("the Admin agent is told %q", notes)
	}
	home := app.get(app.signIn(salesAgent), "/").body
	card := regexp.MustCompile(`(?s)<article class="card[^"]*"[^>]* id="card-awaiting-review".*?</article>`).FindString(home)
	if !strings.Contains(card, `<p class="role-note" role="note">Admin agents and Global admins act on these.</p>`) {
		t.Errorf("the Sales agent's card of relationships awaiting verification says nothing of who acts: %s", card)
	}
	if strings.Contains(app.get(app.signIn(adminAgent), "/").body, `class="role-note"`) {
		t.Error("the Admin agent's home page has a role note, though the Admin agent acts on every card")
	}
}

// TestPlanShowsTheFirstRowsOfABigGroupAndPagesIt gives Contoso 250 more EA
// licences: the plan shows the first PlanShown of the group with its whole
// count and a "show all" link, which pages the group alone; the exports
// still carry every subscription.
func TestPlanShowsTheFirstRowsOfABigGroupAndPagesIt(t *testing.T) {
	app := newTestApp(t)
	c := app.signIn(adminAgent)
	contoso := app.customerID("Contoso")
	for i := range 250 {
		sub := domain.Subscription{CustomerID: contoso, Product: fmt.Sprintf("Visio Plan 2 (team %03d)", i), ServiceType: domain.ServiceLicence,
			Channel: domain.ChannelEA, Quantity: 5}
		if _, err := app.store.AddSubscription(context.Background(), domain.Actor{}, sub); err != nil {
			t.Fatal(err)
		}
	}
	path := fmt.Sprintf("/customers/%d/plan", contoso)
	whole := app.get(c, path)
	groups := planGroups(t, whole.body)
	group, ok := groups["reseller_relationship"]
	if whole.status != http.StatusOK || !ok || len(group.rows) != domain.PlanShown {
		t.Fatalf("plan: %d, the reseller group shows %d rows; want %d", whole.status, len(group.rows), domain.PlanShown)
	}
	showAll := `href="` + path + `?show=reseller_relationship"`
	for _, want := range []string{"(252)", showAll, "Show all 252", "Reseller relationship: 252"} {
		if !strings.Contains(html.UnescapeString(whole.body), want) && !strings.Contains(whole.body, want) {
			t.Errorf("the plan lacks %q", want)
		}
	}
	if len(groups) < 3 {
		t.Errorf("the plan shows %d groups; want every group of Contoso", len(groups))
	}
	for _, tc := range []struct {
		query string
		rows  int
		pager string
	}{
		{"?show=reseller_relationship", domain.PlanPageSize, "Page 1 of 3"},
		{"?show=reseller_relationship&page=3", 52, "Page 3 of 3"},
		{"?show=reseller_relationship&page=9", 52, "Page 3 of 3"},
	} {
		res := app.get(c, path+tc.query)
		shown := planGroups(t, res.body)
		if res.status != http.StatusOK || len(shown) != 1 || len(shown["reseller_relationship"].rows) != tc.rows {
			t.Errorf("%s: %d, %d groups, %d rows; want the group alone with %d rows", tc.query, res.status, len(shown),
				len(shown["reseller_relationship"].rows), tc.rows)
		}
		if !strings.Contains(res.body, tc.pager) || !strings.Contains(res.body, "Every workflow of the plan") {
			t.Errorf("%s lacks its pager %q or the way back", tc.query, tc.pager)
		}
	}
	// An unknown workflow shows the whole plan.
	if res := app.get(c, path+"?show=nonsense"); len(planGroups(t, res.body)) != len(groups) {
		t.Errorf("?show=nonsense shows %d groups; want all %d", len(planGroups(t, res.body)), len(groups))
	}
	csv := app.get(c, path+".csv")
	if n := strings.Count(csv.body, "Visio Plan 2 (team "); n != 250 {
		t.Errorf("the CSV export carries %d of the 250 new licences", n)
	}
}
