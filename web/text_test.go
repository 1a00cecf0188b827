package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/wingtip/multichannel/internal/domain"
)

// subscriptionsOf returns every subscription in a customer's inventory.
func (a *testApp) subscriptionsOf(customerID int64) []domain.Subscription {
	a.t.Helper()
	subs, err := a.store.AllSubscriptions(context.Background(), customerID)
	if err != nil {
		a.t.Fatal(err)
	}
	return subs
}

// newCustomer creates an empty customer for a test to fill.
func (a *testApp) newCustomer(name string) int64 {
	a.t.Helper()
	slug := strings.ToLower(strings.ReplaceAll(name, " ", ""))
	id, err := a.customers.CreateCustomer(context.Background(), domain.Actor{}, domain.Customer{Name: name, Domain: slug + ".onmicrosoft.com",
		Country: "DE", AdminName: "A", AdminEmail: "a@" + slug + ".example"})
	if err != nil {
		a.t.Fatal(err)
	}
	return id
}

// Text that is not text is refused at the boundary, for every form field:
// 422, the field named by its label, nothing saved, on a page or an htmx
// fragment; the page itself stays UTF-8.
func TestFormsRefuseTextThatIsNotText(t *testing.T) {
	app := newTestApp(t)
	c := app.signIn(salesAgent)
	id := app.newCustomer("Text Test")
	path := fmt.Sprintf("/customers/%d/subscriptions", id)
	good := url.Values{"product": {"Microsoft 365 E3"}, "service_type": {"licence"}, "channel": {"ea"}, "quantity": {"10"}}
	with := func(field, value string) url.Values {
		form := url.Values{}
		for k, v := range good {
			form[k] = v
		}
		form.Set(field, value)
		return form
	}
	for _, tc := range []struct {
		name, field, value, label, problem string
	}{
		{"invalid UTF-8", "product", "\xff\xfe", "“Product”", "is not UTF-8 text"},
		{"NUL", "notes", "before\x00after", "“Notes”", "holds a NUL character (U+0000)"},
		{"a control character", "reference", "EA-1\x1b[2J", "“Reference”", "holds the control character U+001B"},
		{"a line break in a one-line field", "product", "Microsoft 365 E3\r\nE5", "“Product”", "holds a line break"},
		{"a field not named by a label", "back", "\x00", "“back”", "holds a NUL character"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, res := range []response{app.post(c, path, with(tc.field, tc.value)), app.htmx(c, http.MethodPost, path, with(tc.field, tc.value))} {
				if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, tc.label+" "+tc.problem) ||
					!strings.Contains(res.body, "Nothing was saved") {
					t.Errorf("status %d, body %s", res.status, res.body)
				}
				if !utf8.ValidString(res.body) {
					t.Error("the refusal is not UTF-8")
				}
			}
			if subs := app.subscriptionsOf(id); len(subs) != 0 {
				t.Fatalf("stored: %+v", subs)
			}
		})
	}
	if res := app.post(c, path, good); res.status != http.StatusSeeOther || len(app.subscriptionsOf(id)) != 1 {
		t.Fatalf("the good form: %d", res.status)
	}
	// The inventory, with the product stored, is served as UTF-8.
	if res := app.get(c, path); res.status != http.StatusOK || !utf8.ValidString(res.body) {
		t.Errorf("inventory: %d, UTF-8 %v", res.status, utf8.ValidString(res.body))
	}
}

// The file name of an upload is text too; the file itself is checked by the
// import, cell by cell.
func TestUploadRefusesAFileNameThatIsNotText(t *testing.T) {
	app := newTestApp(t)
	c := app.signIn(salesAgent)
	res := app.upload(c, fmt.Sprintf("/customers/%d/import", app.newCustomer("Upload Test")), "inventory\xff.csv", csvBytes("product", "Azure plan"))
	if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, "“File” has a file name that is not UTF-8 text") {
		t.Fatalf("status %d, body %s", res.status, res.body)
	}
}

// A search box with bytes that are not UTF-8 is a 400 naming it, not a
// crash, and the page stays UTF-8.
func TestQueryThatIsNotTextIsABadRequest(t *testing.T) {
	app := newTestApp(t)
	c := app.signIn(salesAgent)
	for _, q := range []string{"%FF%FE", "Contoso%00"} {
		res := app.get(c, "/customers?q="+q)
		if res.status != http.StatusBadRequest || !strings.Contains(res.body, "“Search”") || !utf8.ValidString(res.body) {
			t.Errorf("q=%s: status %d, body %s", q, res.status, res.body)
		}
	}
	if res := app.get(c, "/customers?q="+url.QueryEscape("Café 日本")); res.status != http.StatusOK {
		t.Errorf("a search in other scripts: %d", res.status)
	}
}

// A subject is one line: a CR or LF in it would start a new header of the
// message.
func TestDraftSubjectRefusesLineBreaks(t *testing.T) {
	app := newTestApp(t)
	sales := app.signIn(salesAgent)
	litware := app.customerID("Litware")
	link, _ := app.invite(sales, litware, nil)
	r, _ := app.store.OpenRelationship(context.Background(), litware)
	before, err := app.store.InvitationDraft(context.Background(), r.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, subject := range []string{"Our invitation\r\nBcc: someone@example.com", "Our invitation\nBcc: x@example.com", "Our\rinvitation"} {
		res := app.post(sales, fmt.Sprintf("/relationships/%d/draft", r.ID), url.Values{"subject": {subject}, "body": {"Please open " + link + " today."}})
		if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, "“Subject” holds a line break, but must be one line") {
			t.Errorf("subject %q: status %d, body %s", subject, res.status, res.body)
		}
	}
	if after, _ := app.store.InvitationDraft(context.Background(), r.ID); after.Subject != before.Subject || after.Body != before.Body {
		t.Errorf("the draft changed: %q", after.Subject)
	}
}

// Limits count characters: 200 characters of a script of three bytes each
// fit where 200 are allowed, 201 do not.
func TestFormLimitsCountCharacters(t *testing.T) {
	app := newTestApp(t)
	c := app.signIn(salesAgent)
	id := app.newCustomer("Limits Test")
	path := fmt.Sprintf("/customers/%d/subscriptions", id)
	for _, n := range []int{70, 200} {
		if res := app.post(c, path, url.Values{"product": {strings.Repeat("日", n)}}); res.status != http.StatusSeeOther {
			t.Errorf("%d × 日: status %d", n, res.status)
		}
	}
	res := app.post(c, path, url.Values{"product": {strings.Repeat("日", 201)}})
	if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, "Use at most 200 characters.") {
		t.Errorf("201 × 日: status %d", res.status)
	}
	if subs := app.subscriptionsOf(id); len(subs) != 2 || subs[1].Product != strings.Repeat("日", 200) {
		t.Errorf("stored: %d subscriptions", len(subs))
	}
}

// Line breaks come back through the inventory file as they went in: a notes
// field typed in a browser (CRLF), a lone CR from an old file, both kept as
// LF; the export of the copy is the export of the original, byte for byte.
func TestLineBreaksSurviveTheExportRoundTrip(t *testing.T) {
	app := newTestApp(t)
	c := app.signIn(salesAgent)
	src := app.newCustomer("Round Trip")
	if res := app.post(c, fmt.Sprintf("/customers/%d/subscriptions", src), url.Values{"product": {"Microsoft 365 E3"},
		"notes": {"renew in June\r\nthen split\rthree ways"}}); res.status != http.StatusSeeOther {
		t.Fatalf("add from the form: %d", res.status)
	}
	importInto := func(id int64, file []byte) {
		t.Helper()
		res := app.upload(c, fmt.Sprintf("/customers/%d/import", id), "inventory.csv", file)
		confirm := regexp.MustCompile(`action="(/customers/\d+/import/\d+)"`).FindStringSubmatch(res.body)
		if confirm == nil {
			t.Fatalf("the file does not import: %d %s", res.status, res.body)
		}
		app.post(c, confirm[1], nil)
	}
	importInto(src, csvBytes("product,notes", "Office 365 E1,\"0\r0\"", "Office 365 E3,\"a\r\nb\""))
	want := []string{"renew in June\nthen split\nthree ways", "0\n0", "a\nb"}
	notes := func(id int64) []string {
		var out []string
		for _, s := range app.subscriptionsOf(id) {
			out = append(out, s.Notes)
		}
		return out
	}
	if got := notes(src); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("stored notes %q, want %q", got, want)
	}
	export := app.get(c, fmt.Sprintf("/customers/%d/subscriptions.csv", src)).body
	dst := app.newCustomer("Round Trip Copy")
	importInto(dst, []byte(export))
	if got := notes(dst); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("notes after the round trip %q, want %q", got, want)
	}
	if again := app.get(c, fmt.Sprintf("/customers/%d/subscriptions.csv", dst)).body; again != export {
		t.Errorf("the round trip changed the file:\n%q\n---\n%q", export, again)
	}
}
