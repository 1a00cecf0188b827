package web

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/wingtip/multichannel/internal/domain"
)

// usageTimeout bounds the whole usage scenario: some twenty-five page loads
// and form submissions in one tab.
const usageTimeout = 2 * browserTimeout

// TestBrowserUsageWorkflowAndTransfer follows an Admin agent through both
// usage workflows in headless Chromium. On step 5 of Contoso it records the
// new CSP Azure subscription beside the third-party one, the workloads moved
// and the old subscription cancelled, one form after the other; for Coho
// Winery it requests the transfer of an Azure plan from the other CSP
// partner, records that partner's acceptance and then the completion. After
// each change it checks what the page says and that the dashboard's counts
// of usage workflows in progress and of pending transfers follow.
func TestBrowserUsageWorkflowAndTransfer(t *testing.T) {
	app := newTestApp(t)
	browser := startBrowser(t, usageTimeout)
	tab := openTab(t, browser)
	today := time.Now().UTC().Format(domain.DateLayout)

	// dashboard opens the home page and reads the counts of the cards
	// "Azure checklists and transfers in progress" and "Transfers waiting for the other
	// partner" from their data-count.
	dashboard := func() (usage, pending int) {
		t.Helper()
		tab.open(app.url + "/")
		count := func(id string) int {
			t.Helper()
			s := evaluate[string](tab, `(() => { const c = document.getElementById(`+strconv.Quote(id)+`);
				return c && c.dataset.count !== undefined ? c.dataset.count : "missing"; })()`)
			n, err := strconv.Atoi(s)
			if err != nil {
				t.Fatalf("the dashboard's #%s has data-count %q, want a number", id, s)
			}
			if shown := tab.text("#" + id + " .card-count"); shown != s {
				t.Errorf("the dashboard's #%s shows %q but has data-count %q", id, shown, s)
			}
			return n
		}
		return count("card-usage"), count("card-transfers-pending")
	}

	// Sign in through the real form as the Admin agent.
	tab.signInAs(app.url, adminAgent, "Admin agent")

	// 1. The dashboard's counts before anything changes.
	usage0, pending0 := dashboard()
	t.Logf("dashboard before: %d usage workflows in progress, %d transfers pending", usage0, pending0)

	// 2. Contoso's checklist for its dev/test subscription, step by step.
	// The list of checklists has a card for each subscription, which opens
	// its checklist's own page.
	const devTest = "Azure subscription (dev/test)"
	contoso := app.customerID("Contoso")
	azurePath := "/customers/" + strconv.FormatInt(contoso, 10) + "/azure"
	tab.open(app.url + azurePath)
	secID := evaluate[string](tab, `(() => {
		const s = Array.from(document.querySelectorAll("li.checklist-card")).find(s => {
			const a = s.querySelector("h2 a");
			return a && a.textContent.trim() === `+strconv.Quote(devTest)+`;
		});
		return s ? s.id : "";
	})()`)
	if secID == "" {
		t.Fatalf("Contoso's Azure page has no checklist for %s; it says %q", devTest, tab.text("main"))
	}
	_, sub := app.azureSubscription("Contoso")
	if secID != "azure-"+strconv.FormatInt(sub, 10) {
		t.Errorf("the checklist of %s is li#%s, want li#azure-%d", devTest, secID, sub)
	}
	if got := tab.text("li#" + secID + " p.next"); got != "Next: step 2 of 5, Record the new CSP Azure subscription" {
		t.Errorf("the card of %s says %q", devTest, got)
	}
	tab.clickAndLoad("li#" + secID + " h2 a")
	checklistPath := azurePath + "/" + strconv.FormatInt(sub, 10)
	if p := tab.path(); p != checklistPath {
		t.Fatalf("the card of %s leads to %s, want %s", devTest, p, checklistPath)
	}
	sec := "section#" + secID
	// stage is what the section says about where the checklist stands; its
	// data-stage and its visible text must agree.
	stage := func() string {
		t.Helper()
		data := evaluate[string](tab, `document.querySelector(`+strconv.Quote(sec)+`).dataset.stage || ""`)
		if shown := tab.text(sec + " p.stage"); shown != data {
			t.Errorf("%s shows the stage %q but has data-stage %q", sec, shown, data)
		}
		return data
	}
	// steps is the state of each step of the section: "done", "current" or
	// "" (to do), in order.
	steps := func() []string {
		t.Helper()
		return evaluate[[]string](tab, `Array.from(document.querySelectorAll(`+strconv.Quote(sec+" li.checklist-step")+`),
			li => li.dataset.step + ":" + (li.classList.contains("done") ? "done" : li.classList.contains("current") ? "current" : ""))`)
	}
	checkSteps := func(when string, want ...string) {
		t.Helper()
		if got := steps(); strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("%s: the steps of %s are %q, want %q", when, devTest, got, want)
		}
	}
	step := func(n int) string { return sec + ` li.checklist-step[data-step="` + strconv.Itoa(n) + `"]` }
	// save submits the form of step n and checks that the browser comes back
	// to the checklist with the flash.
	save := func(n int) {
		t.Helper()
		button := step(n) + " form button[type=submit]"
		if label := tab.text(button); label != "Save step "+strconv.Itoa(n) {
			t.Errorf("the button of step %d says %q, want \"Save step %d\"", n, label, n)
		}
		tab.clickAndLoad(button)
		if p := tab.path(); p != checklistPath {
			t.Fatalf("after saving step %d the browser is on %s, want %s", n, p, checklistPath)
		}
		if f := tab.flash(); f != "Saved." {
			t.Errorf("flash after saving step %d = %q, want \"Saved.\"", n, f)
		}
		if !tab.exists(sec) {
			t.Fatalf("after saving step %d the page has no %s", n, sec)
		}
	}

	if got := stage(); got != "No CSP subscription yet." {
		t.Errorf("before step 2 the stage of %s is %q, want \"No CSP subscription yet.\"", devTest, got)
	}
	checkSteps("before step 2", "1:done", "2:current", "3:", "4:", "5:")
	if tab.exists(step(3)+" form") || tab.exists(step(4)+" form") {
		t.Error("steps 3 and 4 offer their forms before step 2 is done")
	}

	// Step 2: the new CSP Azure subscription.
	const (
		cspID   = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"
		cspName = "Contoso dev/test (CSP)"
	)
	form := step(2) + " form "
	tab.do(
		chromedp.SendKeys(chromedp.CSS(form+"input[name=csp_subscription_id]"), cspID),
		chromedp.SendKeys(chromedp.CSS(form+"input[name=display_name]"), cspName),
		chromedp.SetValue(chromedp.CSS(form+"input[name=created_on]"), today),
		chromedp.SetValue(chromedp.CSS(form+"select[name=created_by_role]"), "admin_agent"),
	)
	if got := tab.value(form + "input[name=created_on]"); got != today {
		t.Fatalf("the date field of step 2 holds %q after setting it to %s", got, today)
	}
	save(2)
	if got := stage(); got != "Coexisting: CSP and Third-party reseller." {
		t.Errorf("after step 2 the stage is %q, want \"Coexisting: CSP and Third-party reseller.\"", got)
	}
	checkSteps("after step 2", "1:done", "2:done", "3:current", "4:", "5:")
	if s := tab.text(step(2) + " p.summary"); !strings.Contains(s, cspName) || !strings.Contains(s, cspID) || !strings.Contains(s, today) {
		t.Errorf("the summary of step 2 is %q, want the display name, the id and %s", s, today)
	}
	if usage, _ := dashboard(); usage != usage0+1 {
		t.Errorf("with %s coexisting, the dashboard's #card-usage is %d, want %d", devTest, usage, usage0+1)
	}

	// Step 3: the workloads moved.
	tab.open(app.url + checklistPath)
	form = step(3) + " form "
	tab.do(
		chromedp.SendKeys(chromedp.CSS(form+"textarea[name=moved_note]"), "Dev/test VMs and storage moved."),
		chromedp.SetValue(chromedp.CSS(form+"input[name=moved_on]"), today),
	)
	save(3)
	if got := stage(); got != "Coexisting: CSP and Third-party reseller." {
		t.Errorf("after step 3 the stage is %q, want it still coexisting", got)
	}
	checkSteps("after step 3", "1:done", "2:done", "3:done", "4:current", "5:")

	// Step 4: the whole old subscription cancelled by the customer.
	form = step(4) + " form "
	tab.do(
		chromedp.Click(chromedp.CSS(form+`input[name=scope][value="whole"]`)),
		chromedp.SetValue(chromedp.CSS(form+"input[name=cancelled_on]"), today),
		chromedp.SetValue(chromedp.CSS(form+"select[name=cancelled_by]"), "customer"),
	)
	if !evaluate[bool](tab, `document.querySelector(`+strconv.Quote(form+`input[name=scope][value="whole"]`)+`).checked`) {
		t.Fatal("clicking the radio button did not choose the whole subscription")
	}
	save(4)
	if got := stage(); !strings.HasPrefix(got, "Done: ") {
		t.Errorf("after step 4 the stage is %q, want \"Done: …\"", got)
	}
	checkSteps("after step 4", "1:done", "2:done", "3:done", "4:done", "5:done")
	if !tab.exists(step(5) + ".done") {
		t.Errorf("step 5 of %s is not marked done", devTest)
	}
	if usage, _ := dashboard(); usage != usage0 {
		t.Errorf("with the checklist done, the dashboard's #card-usage is %d, want %d as at first", usage, usage0)
	}

	// 3. Coho Winery: a transfer of its analytics Azure plan.
	const analytics = "Azure plan (analytics)"
	coho := app.customerID("Coho")
	transfersPath := "/customers/" + strconv.FormatInt(coho, 10) + "/transfers"
	tab.open(app.url + transfersPath)
	// rowOf is the id of the transfer row that lists the analytics plan, or "".
	rowOf := func() string {
		t.Helper()
		return evaluate[string](tab, `(() => {
			const r = Array.from(document.querySelectorAll("table#transfers tbody tr")).find(r =>
				Array.from(r.querySelectorAll("ul.transfer-subscriptions li")).some(li => li.textContent.trim() === `+strconv.Quote(analytics)+`));
			return r ? r.id : "";
		})()`)
	}
	if row := rowOf(); row != "" {
		t.Fatalf("Coho Winery lists a transfer of %s (%s) before one was requested", analytics, row)
	}
	if !tab.exists("#transfer-form") {
		t.Fatalf("Coho Winery's transfers page has no #transfer-form; it says %q", tab.text("main"))
	}
	subValue := evaluate[string](tab, `(() => {
		const l = Array.from(document.querySelectorAll("#transfer-form label")).find(l => {
			const box = l.querySelector("input[type=checkbox][name=subscriptions]");
			const text = l.textContent.trim();
			return box && (text === `+strconv.Quote(analytics)+` || text.startsWith(`+strconv.Quote(analytics+" (")+`));
		});
		return l ? l.querySelector("input").value : "";
	})()`)
	if subValue == "" {
		t.Fatalf("the transfer form offers no checkbox for %s", analytics)
	}
	subBox := `#transfer-form input[name=subscriptions][value="` + subValue + `"]`
	tab.do(chromedp.Click(chromedp.CSS(subBox)))
	if ticked := evaluate[[]string](tab, `Array.from(document.querySelectorAll("#transfer-form input[name=subscriptions]:checked"), b => b.value)`); len(ticked) != 1 || ticked[0] != subValue {
		t.Fatalf("the ticked subscriptions are %q, want only %s (%s)", ticked, subValue, analytics)
	}
	// The other partner and the contact are filled from the inventory and
	// the customer; fill them if they are not.
	for _, f := range []struct{ sel, want string }{
		{"#transfer-form input[name=other_partner_name]", "Trey Research CSP"},
		{"#transfer-form input[name=contact_email]", "lynne@cohowinery.example"},
	} {
		if got := tab.value(f.sel); got != f.want {
			t.Errorf("%s is prefilled with %q, want %q", f.sel, got, f.want)
			tab.do(chromedp.Clear(chromedp.CSS(f.sel)), chromedp.SendKeys(chromedp.CSS(f.sel), f.want))
		}
	}
	product := `#transfer-form input[name=products][value="azure_subscription"]`
	if !evaluate[bool](tab, `document.querySelector(`+strconv.Quote(product)+`).checked`) {
		tab.do(chromedp.Click(chromedp.CSS(product)))
	}
	// Coho also has new-commerce licences to transfer, so the form starts
	// with those ticked too; this request is of Azure alone.
	licences := `#transfer-form input[name=products][value="online_services_nce"]`
	if evaluate[bool](tab, `document.querySelector(`+strconv.Quote(licences)+`).checked`) {
		tab.do(chromedp.Click(chromedp.CSS(licences)))
	}
	// The tenant id is required now; the form does not know it.
	tab.do(chromedp.SendKeys(chromedp.CSS("#transfer-form input[name=other_partner_tenant]"), "3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f"))
	if ticked := evaluate[[]string](tab, `Array.from(document.querySelectorAll("#transfer-form input[name=products]:checked"), b => b.value)`); len(ticked) != 1 || ticked[0] != "azure_subscription" {
		t.Fatalf("the ticked products are %q, want only azure_subscription", ticked)
	}
	tab.clickAndLoad("#transfer-form button[type=submit]")
	if p := tab.path(); p != transfersPath {
		t.Fatalf("after requesting the transfer the browser is on %s, want %s", p, transfersPath)
	}
	if f := tab.flash(); !strings.Contains(f, "Transfer requested") {
		t.Errorf("flash after requesting the transfer = %q, want \"Transfer requested…\"", f)
	}
	row := rowOf()
	if row == "" {
		t.Fatalf("after the request Coho Winery lists no transfer of %s; the page says %q", analytics, tab.text("main"))
	}
	if !regexp.MustCompile(`^transfer-[0-9]+$`).MatchString(row) {
		t.Errorf("the transfer's row has the id %q, want transfer-{id}", row)
	}
	r := "#" + row
	// state is the transfer's state as its badge shows it: data-status and
	// the label.
	state := func() (status, label string) {
		t.Helper()
		st := evaluate[[]string](tab, `(() => { const b = document.querySelector(`+strconv.Quote(r+" [data-status]")+`);
			return b ? [b.dataset.status, b.textContent.trim()] : ["", ""]; })()`)
		return st[0], st[1]
	}
	if status, label := state(); status != "pending" || label != "Pending" {
		t.Errorf("the new transfer is %q (%q), want pending (\"Pending\")", status, label)
	}
	if from := tab.text(r + " td:first-child strong"); from != "Trey Research CSP" {
		t.Errorf("the new transfer is from %q, want Trey Research CSP", from)
	}
	if what := tab.text(r + " td:nth-child(3)"); !strings.Contains(what, "Azure subscription") {
		t.Errorf("the new transfer carries %q, want Azure subscription", what)
	}
	daysLeft := tab.text(r + " .days-left")
	if m := regexp.MustCompile(`^([0-9]+) days left`).FindStringSubmatch(daysLeft); m == nil {
		t.Errorf("the new transfer's .days-left says %q, want \"N days left…\"", daysLeft)
	} else if n, _ := strconv.Atoi(m[1]); n < domain.TransferExpiryDays-1 || n > domain.TransferExpiryDays {
		t.Errorf("the new transfer has %d days left, want %d or %d", n, domain.TransferExpiryDays-1, domain.TransferExpiryDays)
	}
	if usage, pending := dashboard(); pending != pending0+1 || usage != usage0 {
		t.Errorf("with the transfer pending, the dashboard shows %d usage workflows and %d pending transfers, want %d and %d",
			usage, pending, usage0, pending0+1)
	}

	// transferStep is a step of the transfer that the partner records on
	// the transfer's own page, opened from its row on the transfers page,
	// with what the transfers page shows after it.
	type transferStep struct {
		name           string // for the messages: "acceptance"
		link           string // a.link in the row opens the transfer's page
		action, button string // its form posts to …/action; button.button submits it
		flash          string // part of the flash after it
		status, label  string // the transfer's state after it
		progress       string // the progress cell then says "progress <today>"
	}
	// record dates a step today, submits it and checks what the page shows.
	record := func(st transferStep) {
		t.Helper()
		tab.open(app.url + transfersPath)
		tab.clickAndLoad(r + " a." + st.link)
		if p := tab.path(); p != "/transfers/"+strings.TrimPrefix(r, "#transfer-") {
			t.Fatalf("the row's %s link led to %s", st.link, p)
		}
		tab.do(chromedp.SetValue(chromedp.CSS(`#transfer-changes form[action$="/`+st.action+`"] input[name=date]`), today))
		tab.clickAndLoad("#transfer-changes button." + st.button)
		if p := tab.path(); p != transfersPath {
			t.Fatalf("after recording the %s the browser is on %s, want %s", st.name, p, transfersPath)
		}
		if f := tab.flash(); !strings.Contains(f, st.flash) {
			t.Errorf("flash after recording the %s = %q", st.name, f)
		}
		if status, label := state(); status != st.status || label != st.label {
			t.Errorf("after the %s the transfer is %q (%q), want %s (%q)", st.name, status, label, st.status, st.label)
		}
		if progress := tab.text(r + " td:nth-child(5)"); !strings.Contains(progress, st.progress+" "+today) {
			t.Errorf("after the %s the progress cell says %q, want \"%s %s\"", st.name, progress, st.progress, today)
		}
	}

	// The other partner accepted it today.
	record(transferStep{name: "acceptance", link: "record-answer", action: "accepted", button: "transfer-accepted", flash: "the other partner accepted",
		status: "in_progress", label: "In progress", progress: "Accepted"})
	if tab.exists(r+" button.cancel-transfer") || tab.exists(r+" a.record-answer") {
		t.Error("a transfer in progress still offers Cancel or recording the other partner's answer in its row")
	}
	transferPage := app.url + "/transfers/" + strings.TrimPrefix(r, "#transfer-")
	tab.open(transferPage)
	if tab.exists("#transfer-changes button.cancel-transfer") || tab.exists("#transfer-changes button.transfer-accepted") ||
		!tab.exists("#transfer-changes button.transfer-complete") {
		t.Error("the page of a transfer in progress offers Cancel or Other partner accepted, or not Complete")
	}
	if usage, pending := dashboard(); pending != pending0 || usage != usage0+1 {
		t.Errorf("with the transfer in progress, the dashboard shows %d usage workflows and %d pending transfers, want %d and %d",
			usage, pending, usage0+1, pending0)
	}

	// It completed today.
	record(transferStep{name: "completion", link: "record-completion", action: "complete", button: "transfer-complete", flash: "the transfer is complete",
		status: "complete", label: "Complete", progress: "Completed"})
	if tab.exists(r + " form") {
		t.Error("a complete transfer still offers actions")
	}
	tab.open(transferPage)
	if tab.exists("#transfer-changes form") {
		t.Error("the page of a complete transfer still offers changes")
	}

	// The plan says the analytics plan is transferred.
	tab.open(app.url + "/customers/" + strconv.FormatInt(coho, 10) + "/plan")
	planStage := evaluate[string](tab, `(() => {
		const r = Array.from(document.querySelectorAll("section#azure_transfer tbody tr")).find(r => {
			const c = r.querySelector("td:first-child");
			return c && c.textContent.trim() === `+strconv.Quote(analytics)+`;
		});
		const s = r && r.querySelector("td.stage");
		return s ? s.textContent.trim() : "missing";
	})()`)
	if planStage != "Transferred." {
		t.Errorf("the plan's stage for %s is %q, want \"Transferred.\"", analytics, planStage)
	}
	if usage, pending := dashboard(); pending != pending0 || usage != usage0 {
		t.Errorf("with the transfer complete, the dashboard shows %d usage workflows and %d pending transfers, want %d and %d as at first",
			usage, pending, usage0, pending0)
	}

	// 4. No console errors on any of the pages.
	tab.checkConsole()
}
