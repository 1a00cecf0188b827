package web

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/wingtip/multichannel/internal/demo"
	"github.com/wingtip/multichannel/views"
)

// TestBrowserImportChangesAGuess: a Sales agent uploads Fabrikam's
// directory/subscriptions export, changes the channel guessed for its first
// row from another CSP partner to an Enterprise Agreement, applies the
// change and sees the row classified again on the batch's own page, then
// imports and finds the subscription under its new channel.
func TestBrowserImportChangesAGuess(t *testing.T) {
	app := newTestApp(t)
	browser := startBrowser(t, browserTimeout)
	tab := openTab(t, browser)
	tab.signInAs(app.url, salesAgent, "Sales agent")

	data, _ := demo.SampleFile("fabrikam-directory-subscriptions.json")
	path := filepath.Join(t.TempDir(), "fabrikam-directory-subscriptions.json")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	id := app.customerID("Fabrikam")
	tab.open(app.url + views.CustomerPath(id, "import"))
	tab.do(chromedp.SetUploadFiles(chromedp.ID("file"), []string{path}))
	tab.clickAndLoad("#import-form button[type=submit]")

	workflow := "#import-rows tbody tr:first-child .badge"
	before := tab.text(workflow)
	if got := tab.value("#guess-1-channel"); got != "other_csp" {
		t.Fatalf("the first row's channel is guessed as %q", got)
	}
	tab.do(chromedp.SetValue(chromedp.ID("guess-1-channel"), "ea"))
	tab.clickAndLoad("#apply-guesses")
	if p := tab.path(); !strings.HasPrefix(p, views.CustomerPath(id, "import")+"/") || strings.HasSuffix(p, "/guesses") {
		t.Fatalf("after applying the change the tab shows %s; want the batch's page", p)
	}
	if got := tab.value("#guess-1-channel"); got != "ea" {
		t.Errorf("after applying, the channel is %q", got)
	}
	if after := tab.text(workflow); after == before || !tab.exists("#import-rows .guess-changed") {
		t.Errorf("the first row's workflow is %q before and %q after the change", before, after)
	}

	tab.clickAndLoad("#import-confirm")
	if f := tab.flash(); f != "Imported 3 subscriptions." {
		t.Fatalf("flash after the import = %q", f)
	}
	if page := tab.text("main"); !strings.Contains(page, "Microsoft 365 Business Premium") {
		t.Error("the inventory does not show the imported subscription")
	}
	tab.checkConsole()
}
