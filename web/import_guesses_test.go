package web

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/wingtip/multichannel/internal/demo"
	"github.com/wingtip/multichannel/internal/domain"
	"github.com/wingtip/multichannel/views"
)

var guessInputPattern = regexp.MustCompile(`<input type="text" id="(guess-[^"]+)" name="[^"]+" value="([^"]*)"`)

// guessForm is the preview's confirm form as it stands: every guessed
// value's field with its value.
func guessForm(body string) url.Values {
	form := proposedMapping(body)
	for _, m := range guessInputPattern.FindAllStringSubmatch(body, -1) {
		form.Set(m[1], m[2])
	}
	return form
}

// rowWorkflow is the workflow code shown for the preview row of line.
func rowWorkflow(body, line string) string {
	i := strings.Index(body, `<td data-label="Line">`+line+"</td>")
	if i < 0 {
		return "(no row)"
	}
	m := regexp.MustCompile(`class="badge wf-([a-z_]+)"`).FindStringSubmatch(body[i:])
	if m == nil {
		return "(no workflow)"
	}
	return m[1]
}

// TestImportPreviewChangesGuesses holds the last sentence of issue 13's
// item 5 through HTTP: a guessed channel of a sample export is changed in
// the preview and applied, which shows the row classified again (a reload
// or a second post changes nothing more); an empty product, a channel that
// is not one and a forged line are refused with 422 and their messages,
// keeping what was typed and changing nothing; importing with one more
// change adds the corrected rows once, and the audit counts the changes.
func TestImportPreviewChangesGuesses(t *testing.T) {
	app := newTestApp(t)
	c := app.signIn(salesAgent)
	ctx := context.Background()
	id := app.customerID("Fabrikam")
	data, _ := demo.SampleFile("fabrikam-directory-subscriptions.json")
	res := app.upload(c, views.CustomerPath(id, "import"), "fabrikam-directory-subscriptions.json", data)
	m := confirmImportPattern.FindStringSubmatch(res.body)
	if res.status != http.StatusOK || m == nil || !strings.Contains(res.body, `id="apply-guesses"`) {
		t.Fatalf("upload: %d, no confirm form with the apply button\n%s", res.status, res.body)
	}
	batch, form := m[1], guessForm(res.body)
	if form.Get("guess-1-channel") != string(domain.ChannelOtherCSP) || form.Get("guess-1-product") != "Microsoft 365 Business Premium" ||
		form.Get("page") != "1" || len(form) != 7 { // six guesses and the page shown
		t.Fatalf("the guessed fields: %v", form)
	}
	for _, s := range []string{`<label for="guess-1-channel" class="visually-hidden">Channel of line 4, guessed</label>`,
		`aria-describedby="guess-1-channel-basis"`, `<li id="guess-1-channel-basis">`, "isTrial is true"} {
		if !strings.Contains(res.body, s) {
			t.Errorf("the preview does not have %s", s)
		}
	}
	if strings.Contains(res.body, "guess-3-notes\"") {
		t.Error("a guessed note became a field")
	}
	ov, err := app.customers.Overview(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	asEA := ov.Rules.Classify(ov.Customer, domain.Subscription{Product: "Microsoft 365 Business Premium", ServiceType: domain.ServiceLicence,
		Channel: domain.ChannelEA}).Workflow
	if before := rowWorkflow(res.body, "4"); before == string(asEA) {
		t.Fatalf("the row's workflow %s is already the one of an Enterprise Agreement", before)
	}

	ea := with(form, "guess-1-channel", string(domain.ChannelEA))
	for range 2 { // the second is the form sent again
		if done := app.post(c, batch+"/guesses", ea); done.status != http.StatusSeeOther || done.header.Get("Location") != batch {
			t.Fatalf("apply the changes: %d to %q\n%s", done.status, done.header.Get("Location"), done.body)
		}
	}
	shown := app.get(c, batch)
	if shown.status != http.StatusOK || selectedIn(shown.body, "guess-1-channel") != string(domain.ChannelEA) ||
		rowWorkflow(shown.body, "4") != string(asEA) || strings.Count(shown.body, "Changed from the guess.") != 1 ||
		!strings.Contains(shown.body, `<mark class="guessed"><select id="guess-1-channel"`) || !strings.Contains(shown.body, "is another partner&#39;s tenant") {
		t.Fatalf("the preview after the change: %d, channel %s, workflow %s (want %s)\n%s", shown.status,
			selectedIn(shown.body, "guess-1-channel"), rowWorkflow(shown.body, "4"), asEA, shown.body)
	}

	for _, tc := range []struct {
		name, field, value, message string
	}{
		{"an empty product", "guess-1-product", "  ", "Enter the product, such as Microsoft 365 E3."},
		{"a channel that is not one", "guess-2-channel", "reseller", "Choose one of the channels, or leave it unknown."},
		{"a forged line", "guess-99-channel", "ea", "Row 99, channel: There is no guessed value here to change"},
	} {
		for _, path := range []string{batch + "/guesses", batch} {
			bad := app.post(c, path, with(with(form, "guess-2-product", "Exchange Online Plan 1"), tc.field, tc.value))
			if bad.status != http.StatusUnprocessableEntity || !strings.Contains(bad.body, tc.message) ||
				!strings.Contains(bad.body, "1 change cannot be used") || !strings.Contains(bad.body, `value="Exchange Online Plan 1"`) {
				t.Errorf("%s posted to %s: %d\n%s", tc.name, path, bad.status, bad.body)
			}
			if tc.field == "guess-1-product" && (!strings.Contains(bad.body, `<small class="field-error" id="guess-1-product-error">`+tc.message) ||
				!strings.Contains(bad.body, `value="" maxlength="200" required autocomplete="off" aria-describedby="guess-1-product-basis guess-1-product-error" aria-invalid="true"`)) {
				t.Errorf("%s: the message is not beside the field, or what was typed is lost\n%s", tc.name, bad.body)
			}
		}
	}
	if kept := app.get(c, batch); !strings.Contains(kept.body, `value="Exchange Online (Plan 1)"`) || !strings.Contains(kept.body, `value="Microsoft 365 Business Premium"`) {
		t.Fatalf("a refused change kept the values beside it\n%s", kept.body)
	}
	references := func() map[string]domain.Subscription {
		all, err := app.store.AllSubscriptions(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]domain.Subscription{}
		for _, s := range all {
			out[s.Reference] = s
		}
		return out
	}
	if _, ok := references()["b2c3d4e5-1111-4b3c-9d4e-1f2a3b4c5d6e"]; ok {
		t.Fatal("a refused import added a subscription")
	}

	done := app.post(c, batch, with(ea, "guess-2-channel", string(domain.ChannelMicrosoftDirect)))
	if done.status != http.StatusSeeOther || done.header.Get("Location") != views.CustomerPath(id, "subscriptions") {
		t.Fatalf("import: %d\n%s", done.status, done.body)
	}
	got := references()
	if got["b2c3d4e5-1111-4b3c-9d4e-1f2a3b4c5d6e"].Channel != domain.ChannelEA || got["b2c3d4e5-2222-4b3c-9d4e-1f2a3b4c5d6e"].Channel != domain.ChannelMicrosoftDirect ||
		got["b2c3d4e5-3333-4b3c-9d4e-1f2a3b4c5d6e"].Channel != domain.ChannelUnknown {
		t.Fatalf("the inventory after the import: %+v", got)
	}
	entries, err := app.store.RecentAudit(ctx, domain.Page{Number: 1, Size: 50})
	if err != nil {
		t.Fatal(err)
	}
	var detail string
	for _, e := range entries {
		if e.Action == domain.AuditSubscriptionsImported && e.CustomerID == id {
			detail = e.Detail
		}
	}
	if detail != "3 subscriptions, 2 of 6 guessed values changed by the uploader" {
		t.Errorf("the import's audit detail = %q", detail)
	}
	if again := app.post(c, batch, ea); again.status != http.StatusConflict {
		t.Errorf("a second import: %d; want 409", again.status)
	}
	if again := app.get(c, batch); again.status != http.StatusSeeOther || again.header.Get("Location") != views.CustomerPath(id, "subscriptions") {
		t.Errorf("the preview of an imported batch: %d to %q; want the inventory, where going back after the import lands",
			again.status, again.header.Get("Location"))
	}
	if n := len(references()); n != len(got) {
		t.Errorf("%d subscriptions after a second import; want %d", n, len(got))
	}
}

// TestImportGuessesOfAOneLineExport changes a guess of an export saved on
// one line, whose rows all start on line 1: the change lands on the row
// it was made on, and on no other.
func TestImportGuessesOfAOneLineExport(t *testing.T) {
	app := newTestApp(t)
	c := app.signIn(salesAgent)
	id := app.customerID("Fabrikam")
	data, _ := demo.SampleFile("fabrikam-directory-subscriptions.json")
	var oneLine bytes.Buffer
	if err := json.Compact(&oneLine, data); err != nil {
		t.Fatal(err)
	}
	res := app.upload(c, views.CustomerPath(id, "import"), "one-line.json", oneLine.Bytes())
	m := confirmImportPattern.FindStringSubmatch(res.body)
	if m == nil {
		t.Fatalf("upload: %d\n%s", res.status, res.body)
	}
	form := guessForm(res.body)
	if _, ok := form["guess-3-channel"]; !ok || strings.Count(res.body, `id="guess-1-channel"`) != 1 {
		t.Fatalf("the rows' channel fields: %v", form)
	}
	if done := app.post(c, m[1]+"/guesses", with(form, "guess-1-channel", string(domain.ChannelEA))); done.status != http.StatusSeeOther {
		t.Fatalf("apply: %d\n%s", done.status, done.body)
	}
	shown := app.get(c, m[1])
	if !strings.Contains(shown.body, `<p id="encoding"><small>Read as UTF-8 text.</small></p>`) {
		t.Error("the preview shown again does not say how the file was read")
	}
	if first, third := selectedIn(shown.body, "guess-1-channel"), selectedIn(shown.body, "guess-3-channel"); first != string(domain.ChannelEA) ||
		third != form.Get("guess-3-channel") {
		t.Errorf("after changing row 1: row 1 %q, row 3 %q (was %q)", first, third, form.Get("guess-3-channel"))
	}
	other := app.signIn(adminAgent)
	if res := app.get(other, m[1]); res.status != http.StatusNotFound {
		t.Errorf("another user's batch: %d; want 404", res.status)
	}
}
