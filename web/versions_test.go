package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/wingtip/multichannel/internal/domain"
)

var (
	formPattern    = regexp.MustCompile(`(?s)<form[^>]*action="([^"]*)".*?</form>`)
	versionPattern = regexp.MustCompile(`name="version" value="(\d+)"`)
)

// formVersion reads, from a page, the version field of the form posting to
// action: what a browser would send back.
func formVersion(t *testing.T, body, action string) string {
	t.Helper()
	for _, m := range formPattern.FindAllStringSubmatch(body, -1) {
		// The action's fragment, where the page shows a refused form, is
		// not part of the address the form posts to.
		posts, _, _ := strings.Cut(m[1], "#")
		if v := versionPattern.FindStringSubmatch(m[0]); posts == action && v != nil {
			return v[1]
		}
	}
	t.Fatalf("no form posting to %s carries a version", action)
	return ""
}

// messagePattern finds the draft a draft form edits.
var messagePattern = regexp.MustCompile(`name="message" value="(\d+)"`)

// draftForm is the draft form of a page with subject and body typed: the
// draft's message id and version as the page gives them.
func draftForm(t *testing.T, body, action, subject, text string) url.Values {
	t.Helper()
	for _, m := range formPattern.FindAllStringSubmatch(body, -1) {
		if id := messagePattern.FindStringSubmatch(m[0]); m[1] == action && id != nil {
			return url.Values{"subject": {subject}, "body": {text}, "message": {id[1]}, "version": {formVersion(t, body, action)}}
		}
	}
	t.Fatalf("no draft form posts to %s", action)
	return nil
}

// with returns a copy of form with key set to value.
func with(form url.Values, key, value string) url.Values {
	out := url.Values{}
	for k, v := range form {
		out[k] = append([]string(nil), v...)
	}
	out.Set(key, value)
	return out
}

func TestAStaleSubscriptionFormIsRefusedWithBothVersions(t *testing.T) {
	app := newTestApp(t)
	avery, sam := app.signIn(globalAdmin), app.signIn(salesAgent)
	id := app.customerID("Tailspin")
	subs, _ := app.store.AllSubscriptions(context.Background(), id)
	sub := subs[0]
	row := fmt.Sprintf("/customers/%d/subscriptions/%d", id, sub.ID)
	edit := row + "/edit"

	// Both open the edit form of the same subscription.
	formA, formB := app.get(avery, edit).body, app.get(sam, edit).body
	base := url.Values{"product": {sub.Product}, "service_type": {string(sub.ServiceType)}, "channel": {string(sub.Channel)},
		"quantity": {fmt.Sprint(sub.Quantity)}, "term_end": {domain.FormatDate(sub.TermEnd)}, "reference": {sub.Reference}, "notes": {sub.Notes}}
	// A saves a new quantity.
	if res := app.post(avery, row, with(with(base, "quantity", "111"), "version", formVersion(t, formA, row))); res.status != http.StatusSeeOther {
		t.Fatalf("first save: %d %s", res.status, res.body)
	}
	// B saves its stale form with only the notes changed: refused, not applied.
	stale := with(with(base, "notes", "call Lee first"), "version", formVersion(t, formB, row))
	res := app.post(sam, row, stale)
	if res.status != http.StatusConflict {
		t.Fatalf("stale save: %d, want 409", res.status)
	}
	if got, _ := app.store.Subscription(context.Background(), id, sub.ID); got.Quantity != 111 || got.Notes != sub.Notes {
		t.Fatalf("the stale save changed the subscription: quantity %d notes %q", got.Quantity, got.Notes)
	}
	// The form comes back with what B typed, what is stored now and who
	// changed it when, and the new version to apply B's on top.
	for _, want := range []string{"Someone saved this after you opened the form", "Avery Chen saved it at", ">call Lee first</textarea>",
		"<th scope=\"row\">Seats</th><td data-label=\"Stored now\">111</td>"} {
		if !strings.Contains(res.body, want) {
			t.Errorf("the 409 form lacks %q:\n%s", want, res.body)
		}
	}
	again := with(stale, "version", formVersion(t, res.body, row))
	if res := app.post(sam, row, again); res.status != http.StatusSeeOther {
		t.Fatalf("saving on top: %d", res.status)
	}
	if got, _ := app.store.Subscription(context.Background(), id, sub.ID); got.Notes != "call Lee first" || got.Quantity != sub.Quantity {
		t.Errorf("saving on top: quantity %d notes %q", got.Quantity, got.Notes)
	}
	// A form that sends no version is never applied blindly.
	if res := app.post(sam, row, base); res.status != http.StatusConflict {
		t.Errorf("a save without a version: %d, want 409", res.status)
	}
}

// staleInventory is Tailspin's inventory page as Sam loaded it, just before
// Avery saved its first subscription with changes: what the page shows of
// that subscription is stale.
type staleInventory struct {
	app       *testApp
	sam       *http.Client
	id        int64
	sub       domain.Subscription // as Sam's page shows it
	row, page string
}

// loadThenEdit has Sam load the inventory, then Avery save its first
// subscription with changes through the edit form.
func loadThenEdit(t *testing.T, changes map[string]string) staleInventory {
	t.Helper()
	app := newTestApp(t)
	avery, sam := app.signIn(globalAdmin), app.signIn(salesAgent)
	id := app.customerID("Tailspin")
	inv := fmt.Sprintf("/customers/%d/subscriptions", id)
	subs, _ := app.store.AllSubscriptions(context.Background(), id)
	sub := subs[0]
	row := fmt.Sprintf("%s/%d", inv, sub.ID)
	page := app.get(sam, inv).body
	edit := url.Values{"product": {sub.Product}, "service_type": {string(sub.ServiceType)}, "channel": {string(sub.Channel)},
		"quantity": {fmt.Sprint(sub.Quantity)}, "notes": {sub.Notes}, "version": {formVersion(t, app.get(avery, row+"/edit").body, row)}}
	for k, v := range changes {
		edit.Set(k, v)
	}
	if res := app.post(avery, row, edit); res.status != http.StatusSeeOther {
		t.Fatalf("Avery's edit: %d", res.status)
	}
	return staleInventory{app: app, sam: sam, id: id, sub: sub, row: row, page: page}
}

func TestAStaleClassificationIsRefusedAndTheRowShownAsStored(t *testing.T) {
	st := loadThenEdit(t, map[string]string{"notes": "kept note"})
	app, sam, id, sub, row := st.app, st.sam, st.id, st.sub, st.row
	res := app.htmx(sam, http.MethodPost, row+"/classify", url.Values{"channel": {"other_csp"}, "service_type": {"usage"},
		"version": {formVersion(t, st.page, row+"/classify")}})
	if res.status != http.StatusConflict || !strings.HasPrefix(strings.TrimSpace(res.body), "<tr") || !strings.Contains(res.body, "Avery Chen saved it") {
		t.Fatalf("stale classification: %d %s", res.status, res.body)
	}
	got, _ := app.store.Subscription(context.Background(), id, sub.ID)
	if got.Channel != sub.Channel || got.Notes != "kept note" {
		t.Fatalf("the stale classification was applied: %+v", got)
	}
	// The row comes back at the new version: choosing again applies.
	res = app.htmx(sam, http.MethodPost, row+"/classify", url.Values{"channel": {"other_csp"}, "service_type": {"usage"},
		"version": {formVersion(t, res.body, row+"/classify")}})
	if res.status != http.StatusOK {
		t.Fatalf("classify again: %d", res.status)
	}
	// Classification changes only the channel and the service type.
	if got, _ := app.store.Subscription(context.Background(), id, sub.ID); got.Channel != domain.ChannelOtherCSP || got.Notes != "kept note" {
		t.Errorf("after classification: %+v", got)
	}
}

// A classification racing an edit never loses the edit's note: exactly one
// of two saves from the same version wins, the other is refused.
func TestAClassificationRacingAnEditLosesNothing(t *testing.T) {
	app := newTestApp(t)
	id := app.customerID("Tailspin")
	subs, _ := app.store.AllSubscriptions(context.Background(), id)
	sub := subs[0]
	actor := domain.Actor{UserID: 1}
	for try := range 10 {
		sub, _ = app.store.Subscription(context.Background(), id, sub.ID)
		note := fmt.Sprintf("note %d", try)
		var wg sync.WaitGroup
		errs := make([]error, 2)
		wg.Go(func() {
			edited := sub
			edited.Notes = note
			_, errs[0] = app.svc.Customers.UpdateSubscription(context.Background(), actor, edited)
		})
		wg.Go(func() {
			_, errs[1] = app.svc.Customers.Classify(context.Background(), actor, id, sub.ID, sub.Version, domain.ChannelOtherCSP, domain.ServiceUsage)
		})
		wg.Wait()
		if (errs[0] == nil) == (errs[1] == nil) {
			t.Fatalf("try %d: both or neither saved: %v", try, errs)
		}
		got, _ := app.store.Subscription(context.Background(), id, sub.ID)
		if errs[0] == nil && got.Notes != note {
			t.Fatalf("try %d: the edit won but its note is gone: %q", try, got.Notes)
		}
	}
}

func TestAStaleCustomerFormIsRefusedWithBothVersions(t *testing.T) {
	app := newTestApp(t)
	avery, sam := app.signIn(globalAdmin), app.signIn(salesAgent)
	id := app.customerID("Tailspin")
	loc := fmt.Sprintf("/customers/%d", id)
	cu, _ := app.store.Customer(context.Background(), id)
	formA, formB := app.get(avery, loc+"/edit").body, app.get(sam, loc+"/edit").body
	base := url.Values{"name": {cu.Name}, "domain": {cu.Domain}, "tenant_id": {cu.TenantID}, "country": {cu.Country},
		"admin_name": {cu.AdminName}, "admin_email": {cu.AdminEmail}}
	if res := app.post(avery, loc, with(with(base, "admin_name", "Lee Gu"), "version", formVersion(t, formA, loc))); res.status != http.StatusSeeOther {
		t.Fatalf("first save: %d", res.status)
	}
	stale := with(with(base, "name", "Tailspin Toys Ltd"), "version", formVersion(t, formB, loc))
	res := app.post(sam, loc, stale)
	if res.status != http.StatusConflict || !strings.Contains(res.body, "Avery Chen saved it at") ||
		!strings.Contains(res.body, `value="Tailspin Toys Ltd"`) || !strings.Contains(res.body, `<td data-label="Stored now">Lee Gu</td>`) {
		t.Fatalf("stale save: %d %s", res.status, res.body)
	}
	if got, _ := app.store.Customer(context.Background(), id); got.AdminName != "Lee Gu" || got.Name != cu.Name {
		t.Fatalf("the stale save changed the customer: %+v", got)
	}
	if res := app.post(sam, loc, with(stale, "version", formVersion(t, res.body, loc))); res.status != http.StatusSeeOther {
		t.Fatalf("saving on top: %d", res.status)
	}
	if got, _ := app.store.Customer(context.Background(), id); got.Name != "Tailspin Toys Ltd" {
		t.Errorf("saving on top: %+v", got)
	}
}

func TestStaleSettingsAreRefusedWithBothVersions(t *testing.T) {
	app := newTestApp(t)
	tabA, tabB := app.signIn(globalAdmin), app.signIn(globalAdmin)
	formA, formB := app.get(tabA, "/settings").body, app.get(tabB, "/settings").body
	base := settingsFormValues(app, nil)
	if res := app.post(tabA, "/settings", with(with(base, "default_invite_days", "21"), "version", formVersion(t, formA, "/settings"))); res.status != http.StatusSeeOther {
		t.Fatalf("first save: %d", res.status)
	}
	stale := with(with(base, "name", "Wingtip Cloud"), "version", formVersion(t, formB, "/settings"))
	res := app.post(tabB, "/settings", stale)
	if res.status != http.StatusConflict || !strings.Contains(res.body, "Avery Chen saved it at") ||
		!strings.Contains(res.body, `<th scope="row">Default invitation expiry (days)</th><td data-label="Stored now">21</td><td data-label="Yours">30</td>`) ||
		!strings.Contains(res.body, `value="Wingtip Cloud"`) {
		t.Fatalf("stale save: %d %s", res.status, res.body)
	}
	if ps, _ := app.store.PartnerSettings(context.Background()); ps.DefaultInviteDays != 21 || ps.Partner.Name != "Wingtip Cloud Partners" {
		t.Fatalf("the stale save changed the settings: %+v", ps)
	}
	if res := app.post(tabB, "/settings", with(stale, "version", formVersion(t, res.body, "/settings"))); res.status != http.StatusSeeOther {
		t.Fatalf("saving on top: %d", res.status)
	}
	if ps, _ := app.store.PartnerSettings(context.Background()); ps.Partner.Name != "Wingtip Cloud" {
		t.Errorf("saving on top: %+v", ps)
	}
}

func TestAStaleDraftIsRefusedWithBothVersions(t *testing.T) {
	app := newTestApp(t)
	sam, jordan := app.signIn(adminAgent), app.signIn(salesAgent)
	litware := app.customerID("Litware")
	link, _ := app.invite(jordan, litware, nil)
	r, _ := app.store.OpenRelationship(context.Background(), litware)
	step := fmt.Sprintf("/customers/%d/relationship", litware)
	draftPath := fmt.Sprintf("/relationships/%d/draft", r.ID)
	pageA, pageB := app.get(sam, step).body, app.get(jordan, step).body
	if res := app.post(sam, draftPath, draftForm(t, pageA, draftPath, "From Sam", "Hi Patti, open "+link)); res.status != http.StatusSeeOther {
		t.Fatalf("first save: %d %s", res.status, res.body)
	}
	stale := draftForm(t, pageB, draftPath, "From Jordan", "Dear Patti, open "+link)
	res := app.post(jordan, draftPath, stale)
	if res.status != http.StatusConflict || !strings.Contains(res.body, "Sam Patel saved it at") ||
		!strings.Contains(res.body, `<th scope="row">Subject</th><td data-label="Stored now">From Sam</td><td data-label="Yours">From Jordan</td>`) || !strings.Contains(res.body, `value="From Jordan"`) {
		t.Fatalf("stale draft: %d %s", res.status, res.body)
	}
	if d, _ := app.store.InvitationDraft(context.Background(), r.ID); d.Subject != "From Sam" {
		t.Fatalf("the stale save changed the draft: %q", d.Subject)
	}
	if res := app.post(jordan, draftPath, draftForm(t, res.body, draftPath, "From Jordan", "Dear Patti, open "+link)); res.status != http.StatusSeeOther {
		t.Fatalf("saving on top: %d", res.status)
	}
	if d, _ := app.store.InvitationDraft(context.Background(), r.ID); d.Subject != "From Jordan" {
		t.Errorf("saving on top: %q", d.Subject)
	}
	// A form typed on the draft of before a resend is stale too: it would
	// otherwise hand the customer the dead link.
	before := app.get(jordan, step).body
	if res := app.post(jordan, fmt.Sprintf("/relationships/%d/resend", r.ID), url.Values{"back": {step}}); res.status != http.StatusSeeOther {
		t.Fatalf("resend: %d", res.status)
	}
	if res := app.post(jordan, draftPath, draftForm(t, before, draftPath, "Old", "Dear Patti, open "+link)); res.status != http.StatusConflict {
		t.Errorf("a draft form of before the resend: %d", res.status)
	}
}

func TestRowActionsFromAStalePageAreRefusedInTheirRow(t *testing.T) {
	st := loadThenEdit(t, map[string]string{"quantity": "7"})
	app, sam, id, sub, row, page := st.app, st.sam, st.id, st.sub, st.row, st.page
	// Remove from the stale page: refused in the row, the subscription kept.
	res := app.htmx(sam, http.MethodPost, row+"/remove", url.Values{"version": {formVersion(t, page, row+"/remove")}, "confirmed": {"yes"}})
	if res.status != http.StatusConflict || !strings.HasPrefix(strings.TrimSpace(res.body), "<tr") || !strings.Contains(res.body, "Avery Chen saved it") {
		t.Fatalf("remove from a stale page: %d %s", res.status, res.body)
	}
	if _, err := app.store.Subscription(context.Background(), id, sub.ID); err != nil {
		t.Fatalf("a stale remove removed the subscription: %v", err)
	}
	// Without htmx the same refusal is the inventory again, the reason in
	// the subscription's row.
	res = app.post(sam, row+"/remove", url.Values{"version": {formVersion(t, page, row+"/remove")}, "confirmed": {"yes"}})
	if got := rowOf(res.body, fmt.Sprintf("sub-%d", sub.ID)); res.status != http.StatusConflict || !strings.Contains(got, "Avery Chen saved it") ||
		!strings.Contains(got, "remove it again if it should still go") {
		t.Errorf("remove from a stale page without htmx: %d, row %q", res.status, got)
	}
	// A stale classification offers the choice again, on the new version.
	res = app.htmx(sam, http.MethodPost, row+"/classify", url.Values{"channel": {"other_csp"}, "service_type": {"usage"},
		"version": {formVersion(t, page, row+"/classify")}})
	if res.status != http.StatusConflict || !strings.Contains(res.body, "Apply Another CSP partner, Usage-based (Azure) anyway") {
		t.Fatalf("stale classification: %d %s", res.status, res.body)
	}
	retry := url.Values{"channel": {"other_csp"}, "service_type": {"usage"}, "version": {versionPattern.FindStringSubmatch(
		res.body[strings.Index(res.body, `class="classify-retry"`):])[1]}}
	if res := app.htmx(sam, http.MethodPost, row+"/classify", retry); res.status != http.StatusOK {
		t.Fatalf("apply the choice on top: %d", res.status)
	}
	if got, _ := app.store.Subscription(context.Background(), id, sub.ID); got.Channel != domain.ChannelOtherCSP || got.Quantity != 7 {
		t.Errorf("after applying on top: %+v", got)
	}
}

// Send queues the words the sender saw: not a draft edited since.
func TestSendingAStaleDraftIsRefused(t *testing.T) {
	app := startTestApp(t, testOptions{mail: true})
	sam, jordan := app.signIn(adminAgent), app.signIn(salesAgent)
	litware := app.customerID("Litware")
	link, _ := app.invite(jordan, litware, nil)
	r, _ := app.store.OpenRelationship(context.Background(), litware)
	step := fmt.Sprintf("/customers/%d/relationship", litware)
	draftPath, sendPath := fmt.Sprintf("/relationships/%d/draft", r.ID), fmt.Sprintf("/relationships/%d/send", r.ID)
	seen := app.get(jordan, step).body
	if res := app.post(sam, draftPath, draftForm(t, app.get(sam, step).body, draftPath, "Edited by Sam", "Hi, open "+link)); res.status != http.StatusSeeOther {
		t.Fatalf("edit: %d", res.status)
	}
	send := draftForm(t, seen, draftPath, "", "")
	send.Set("back", step)
	if res := app.post(jordan, sendPath, send); res.status != http.StatusConflict || !strings.Contains(res.body, "Reload the page") {
		t.Fatalf("send a stale draft: %d %s", res.status, res.body)
	}
	if d, _ := app.store.InvitationDraft(context.Background(), r.ID); d.Status != domain.MessageDraft {
		t.Fatalf("the stale send queued the draft: %s", d.Status)
	}
	send = draftForm(t, app.get(jordan, step).body, draftPath, "", "")
	send.Set("back", step)
	if res := app.post(jordan, sendPath, send); res.status != http.StatusSeeOther {
		t.Fatalf("send the draft as it is now: %d", res.status)
	}
}
