package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/wingtip/multichannel/internal/domain"
)

// TestTheSubscriptionFormRecordsTheTerms adds and edits subscriptions with
// their terms and Azure offer id: the form offers them, what was typed comes
// back with 422 when a term start is wrong, and the rules classify by what
// was saved (an NCE licence from another CSP partner is a licence transfer,
// a Visual Studio offer not eligible).
func TestTheSubscriptionFormRecordsTheTerms(t *testing.T) {
	app := newTestApp(t)
	c := app.signIn(salesAgent)
	ctx := context.Background()
	id := app.customerID("Tailspin")
	inv := fmt.Sprintf("/customers/%d/subscriptions", id)

	page := app.get(c, inv)
	for _, want := range []string{`name="commerce"`, `<option value="nce">New commerce (NCE)</option>`, `<option value="legacy">Legacy</option>`,
		`name="term_length"`, `<option value="three_years">Three years</option>`, `name="billing_frequency"`, `name="auto_renew"`,
		`<option value="off">Off</option>`, `type="date" id="add-term_start" name="term_start"`, `name="offer_id"`, `list="azure-offers"`,
		`<datalist id="azure-offers">`, `<option value="MS-AZR-0003P">Pay-as-you-go</option>`, `<option value="MS-AZR-0111P">Azure in Open</option>`,
		`<option value="other_csp">Another CSP partner</option>`} {
		if !strings.Contains(page.body, want) {
			t.Errorf("the inventory page lacks %s", want)
		}
	}

	// A term start that is not a date: 422, everything typed kept, nothing stored.
	typed := url.Values{"product": {"Microsoft 365 Business Premium"}, "service_type": {"licence"}, "channel": {"other_csp"},
		"quantity": {"25"}, "term_end": {"2027-06-30"}, "reference": {"Trey Research CSP"}, "commerce": {"nce"}, "term_length": {"annual"},
		"billing_frequency": {"monthly"}, "auto_renew": {"off"}, "term_start": {"30/06/2026"}}
	res := app.post(c, inv, typed)
	if res.status != http.StatusUnprocessableEntity {
		t.Fatalf("a bad term start: %d", res.status)
	}
	for _, want := range []string{`id="add-term_start-error"`, `value="30/06/2026"`, `value="Microsoft 365 Business Premium"`,
		`<option value="nce" selected>`, `<option value="annual" selected>`, `<option value="monthly" selected>`, `<option value="off" selected>`} {
		if !strings.Contains(res.body, want) {
			t.Errorf("the re-rendered add form lacks %s", want)
		}
	}
	// A term start after the term end, and a commerce no one knows: the
	// domain's messages, with the values kept.
	res = app.post(c, inv, with(with(typed, "term_start", "2027-07-01"), "commerce", "modern-ish"))
	if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, `id="add-term_start-error"`) ||
		!strings.Contains(res.body, `id="add-commerce-error"`) || !strings.Contains(res.body, `value="2027-07-01"`) {
		t.Errorf("a term start after the end and an unknown commerce: %d", res.status)
	}
	if subs, _ := app.store.AllSubscriptions(ctx, id); len(subs) != 3 {
		t.Fatalf("a refused subscription was stored: %d", len(subs))
	}

	// Added with its terms: stored, shown in its row, classified by them.
	res = app.post(c, inv, with(typed, "term_start", "2026-07-01"))
	if res.status != http.StatusSeeOther {
		t.Fatalf("add: %d %s", res.status, res.body)
	}
	subs, _ := app.store.AllSubscriptions(ctx, id)
	added := subs[len(subs)-1]
	if added.Commerce != domain.CommerceNCE || added.TermLength != domain.TermAnnual || added.BillingFrequency != domain.BillingMonthly ||
		added.AutoRenew != domain.AutoRenewOff || domain.FormatDate(added.TermStart) != "2026-07-01" {
		t.Fatalf("added %+v", added)
	}
	row := fmt.Sprintf("/customers/%d/subscriptions/%d", id, added.ID)
	frag := app.htmx(c, http.MethodGet, row, nil)
	for _, want := range []string{`data-workflow="licence_transfer"`, "New commerce (NCE) · term one year · billed monthly · auto-renew off · from 2026-07-01",
		"can move to us mid-term by a partner transfer"} {
		if !strings.Contains(frag.body, want) {
			t.Errorf("the row lacks %s: %s", want, frag.body)
		}
	}

	// Edited: the form shows what is stored; legacy makes it wait for the
	// term end, with the reason saying NCE could move now.
	edit := app.get(c, row+"/edit")
	for _, want := range []string{`<option value="nce" selected>`, `value="2026-07-01"`, `<option value="off" selected>`} {
		if !strings.Contains(edit.body, want) {
			t.Errorf("the edit form lacks %s", want)
		}
	}
	version := formVersion(t, edit.body, row)
	res = app.htmx(c, http.MethodPost, row, with(with(with(typed, "commerce", "legacy"), "term_start", "2026-13-01"), "version", version))
	if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, fmt.Sprintf(`id="sub-%d-term_start-error"`, added.ID)) ||
		!strings.Contains(res.body, `value="2026-13-01"`) || !strings.Contains(res.body, `<option value="legacy" selected>`) {
		t.Errorf("edit with a bad term start: %d %s", res.status, res.body)
	}
	res = app.htmx(c, http.MethodPost, row, with(with(with(typed, "commerce", "Legacy"), "term_start", "2026-07-01"), "version", version))
	if res.status != http.StatusOK || !strings.Contains(res.body, `data-workflow="wait_term_end"`) ||
		!strings.Contains(res.body, "only a new-commerce (NCE) subscription could move now") {
		t.Errorf("edit to legacy: %d %s", res.status, res.body)
	}
	if got, _ := app.store.Subscription(ctx, id, added.ID); got.Commerce != domain.CommerceLegacy || got.AutoRenew != domain.AutoRenewOff {
		t.Errorf("edited %+v", got)
	}

	// An Azure subscription with a Visual Studio offer id, as typed from the
	// list: not eligible, the offer shown in its row.
	res = app.post(c, inv, url.Values{"product": {"Azure (developer)"}, "service_type": {"usage"}, "channel": {"microsoft_direct"},
		"offer_id": {"ms-azr-0063p"}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("add Azure: %d", res.status)
	}
	subs, _ = app.store.AllSubscriptions(ctx, id)
	azure := subs[len(subs)-1]
	if azure.OfferID != "MS-AZR-0063P" || azure.OfferKind != domain.OfferBenefit {
		t.Fatalf("added %+v", azure)
	}
	frag = app.htmx(c, http.MethodGet, fmt.Sprintf("/customers/%d/subscriptions/%d", id, azure.ID), nil)
	if !strings.Contains(frag.body, `data-workflow="not_eligible"`) || !strings.Contains(frag.body, `<span class="offer-id">MS-AZR-0063P</span>`) {
		t.Errorf("the Visual Studio row: %s", frag.body)
	}
}

// TestImportPreviewShowsTheTerms uploads a file with the term columns under
// their aliases: the preview shows the terms and the workflow they give,
// and a bad value is refused in its column.
func TestImportPreviewShowsTheTerms(t *testing.T) {
	app := newTestApp(t)
	c := app.signIn(salesAgent)
	path := fmt.Sprintf("/customers/%d/import", app.customerID("Alpine"))
	res := app.upload(c, path, "terms.csv", csvBytes("Product,Channel,Service type,Commerce experience,Term duration,Billing cycle,Recurring billing,Start date,Quota ID",
		"Microsoft 365 E3,CSP,licence,NCE,P1Y,monthly,yes,2026-01-01,",
		"Azure (sponsored),,usage,,,,,,MS-AZR-0036P"))
	if res.status != http.StatusOK || !strings.Contains(res.body, "2 subscriptions ready to import") {
		t.Fatalf("preview: %d %s", res.status, res.body)
	}
	for _, want := range []string{"New commerce (NCE) · term one year · billed monthly · auto-renew on · from 2026-01-01",
		"Licence transfer from the other partner", "Azure offer MS-AZR-0036P", "A benefit or credit subscription"} {
		if !strings.Contains(res.body, want) {
			t.Errorf("the preview lacks %s", want)
		}
	}
	res = app.upload(c, path, "bad.csv", csvBytes("product,auto renew", "Microsoft 365 E3,sometimes"))
	if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, `<td data-label="Line">2</td><td data-label="Column"><code>auto_renew</code></td>`) {
		t.Errorf("a bad auto-renew: %d %s", res.status, res.body)
	}
}

// A save from a stale form names the terms that differ, as it names the
// other fields.
func TestAStaleFormComparesTheTerms(t *testing.T) {
	app := newTestApp(t)
	avery, jordan := app.signIn(globalAdmin), app.signIn(salesAgent)
	id := app.customerID("Fabrikam")
	subs, _ := app.store.AllSubscriptions(context.Background(), id)
	sub := subs[0] // Office 365 E3 from another CSP partner, commerce not known
	row := fmt.Sprintf("/customers/%d/subscriptions/%d", id, sub.ID)
	formA, formB := app.get(avery, row+"/edit").body, app.get(jordan, row+"/edit").body
	base := url.Values{"product": {sub.Product}, "service_type": {string(sub.ServiceType)}, "channel": {string(sub.Channel)},
		"quantity": {fmt.Sprint(sub.Quantity)}, "term_end": {domain.FormatDate(sub.TermEnd)}, "reference": {sub.Reference}}
	if res := app.post(avery, row, with(with(base, "commerce", "nce"), "version", formVersion(t, formA, row))); res.status != http.StatusSeeOther {
		t.Fatalf("first save: %d", res.status)
	}
	res := app.post(jordan, row, with(with(with(base, "commerce", "legacy"), "offer_id", "MS-AZR-0003P"), "version", formVersion(t, formB, row)))
	if res.status != http.StatusConflict {
		t.Fatalf("stale save: %d", res.status)
	}
	for _, want := range []string{`<th scope="row">Commerce experience</th><td data-label="Stored now">New commerce (NCE)</td><td data-label="Yours">Legacy</td>`,
		`<th scope="row">Azure offer id</th><td data-label="Stored now">(empty)</td><td data-label="Yours">MS-AZR-0003P</td>`} {
		if !strings.Contains(res.body, want) {
			t.Errorf("the stale notice lacks %s", want)
		}
	}
}
