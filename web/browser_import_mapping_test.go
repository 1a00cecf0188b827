package web

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserImportANaturalSpreadsheet is issue 13's browser test: a Sales
// agent uploads a UK customer's spreadsheet with its own headers
// ("Subscription, Type, Purchased from, Licences, Renewal date, Agreement /
// ID, Comments"), dd/mm/yyyy dates and the values "Pay-as-you-go" and
// "Reseller (Pinnacle IT)", accepts the suggested column mapping, fixes one
// value mapping (Pinnacle IT is in fact a CSP partner), confirms, and sees
// the subscriptions classified, the seller's name as their reference.
func TestBrowserImportANaturalSpreadsheet(t *testing.T) {
	app := newTestApp(t)
	browser := startBrowser(t, 2*browserTimeout)
	tab := openTab(t, browser)
	tab.signInAs(app.url, salesAgent, "Sales agent")

	file := "Subscription,Type,Purchased from,Licences,Renewal date,Agreement / ID,Comments\n" +
		"Visio Plan 2,Licence,Pay-as-you-go,25,31/12/2027,,Design team\n" +
		"Project Plan 3,Licence,Pay-as-you-go,10,15/01/2028,,\n" +
		"Power Automate Premium,Licence,Pay-as-you-go,3,28/02/2028,,\n" +
		"Teams Rooms Pro,Licence,Pay-as-you-go,2,30/06/2028,,\n" +
		"Microsoft 365 Business Premium,Licence,Reseller (Pinnacle IT),40,31/03/2028,,\n" +
		"Exchange Online Plan 2,Licence,Reseller (Pinnacle IT),5,30/04/2028,,\n"
	path := filepath.Join(t.TempDir(), "Contoso licences.csv")
	if err := os.WriteFile(path, []byte(file), 0o600); err != nil {
		t.Fatal(err)
	}
	base := "/customers/" + strconv.FormatInt(app.customerID("Contoso"), 10)
	tab.open(app.url + base + "/import")
	tab.do(chromedp.SetUploadFiles(chromedp.ID("file"), []string{path}))
	tab.clickAndLoad("#import-form button[type=submit]")

	// The mapping step proposes every column and both values.
	want := []string{"product", "service_type", "channel", "quantity", "term_end", "reference", "notes"}
	for i, field := range want {
		if got := tab.value("#column_" + strconv.Itoa(i)); got != field {
			t.Errorf("the column %d is proposed as %q, want %q", i, got, field)
		}
	}
	if got := tab.texts("#mapping-values tbody th"); strings.Join(got, "|") != "Pay-as-you-go|Reseller (Pinnacle IT)" {
		t.Fatalf("the values to map are %q", got)
	}
	if got := tab.texts("#mapping-values tbody td:nth-child(3)"); strings.Join(got, "|") != "× 4|× 2" {
		t.Errorf("the counts of the values are %q", got)
	}
	if a, b := tab.value("#value-0"), tab.value("#value-1"); a != "microsoft_direct" || b != "third_party" {
		t.Errorf("the values are proposed as %q and %q", a, b)
	}
	tab.do(chromedp.SetValue(chromedp.ID("value-1"), "other_csp"))
	tab.clickAndLoad("#mapping-form button[type=submit]")

	if s := tab.text("#import-summary"); s != "6 subscriptions ready to import." {
		t.Fatalf("#import-summary = %q", s)
	}
	if got := tab.texts("#import-rows tbody td:nth-child(3)"); strings.Join(got, "|") !=
		"Microsoft direct|Microsoft direct|Microsoft direct|Microsoft direct|Another CSP partner|Another CSP partner" {
		t.Errorf("the preview's channels are %q", got)
	}
	if got := tab.texts("#import-rows tbody td:nth-child(6)"); !strings.Contains(got[0], "2027-12-31") {
		t.Errorf("the first term end is %q, want 2027-12-31 read day first", got[0])
	}
	if got := tab.texts("#import-rows tbody td:nth-child(7)"); got[4] != "Pinnacle IT" || got[0] != "" {
		t.Errorf("the references are %q, want Pinnacle IT for the partner's rows", got)
	}
	tab.clickAndLoad("#confirm-import button[type=submit]")
	if f := tab.flash(); f != "Imported 6 subscriptions." {
		t.Fatalf("flash after the import = %q", f)
	}
	page := tab.text("main")
	for _, s := range []string{"Microsoft 365 Business Premium", "Another CSP partner", "Pinnacle IT", "Visio Plan 2", "Microsoft direct", "Reseller relationship", "Wait for the term end"} {
		if !strings.Contains(page, s) {
			t.Errorf("the subscriptions do not show %q", s)
		}
	}
	tab.checkConsole()
}
