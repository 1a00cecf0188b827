package web

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/wingtip/multichannel/internal/demo"
)

// TestBrowserVerifyFromExport: an Admin agent follows the review queue's
// link to the export upload, uploads the demo's Partner Center export
// through the file input, reads the preview and applies it; Fabrikam's
// accepted request is then active, and its plan says its licences are
// managed through the relationship. No JavaScript is needed on the way:
// every step is a form.
func TestBrowserVerifyFromExport(t *testing.T) {
	app := newTestApp(t)
	browser := startBrowser(t, browserTimeout)
	tab := openTab(t, browser)
	file := filepath.Join(t.TempDir(), "Customers.csv")
	if err := os.WriteFile(file, demo.PartnerCenterExport, 0o600); err != nil {
		t.Fatal(err)
	}

	tab.signInAs(app.url, adminAgent, "Admin agent")
	tab.open(app.url + "/relationships")
	tab.clickAndLoad("#verify-export-link")
	if p := tab.path(); p != "/relationships/verify" {
		t.Fatalf("the review queue's link leads to %s", p)
	}
	tab.do(chromedp.SetUploadFiles(chromedp.CSS("#file"), []string{file}))
	tab.clickAndLoad(`#verify-form button[type="submit"]`)
	if verify := tab.text("#export-verify"); !strings.Contains(verify, "Fabrikam, Inc.") || !strings.Contains(verify, "Northwind Traders") {
		t.Fatalf("the preview does not make Fabrikam and Northwind active: %q", verify)
	}
	if missing := tab.text("#export-missing"); !strings.Contains(missing, "Coho Winery") {
		t.Errorf("the preview does not warn about Coho Winery: %q", missing)
	}
	if !tab.exists(`#export-unknown input[name="create"]:checked`) {
		t.Error("the preview does not offer to create Relecloud")
	}
	tab.clickAndLoad("#apply-export")
	if f := tab.flash(); !strings.Contains(f, "Verified from the Partner Center export of") || !strings.Contains(f, "2 requests made active, 1 customer created") {
		t.Errorf("flash after applying = %q", f)
	}
	fabrikam := app.customerID("Fabrikam")
	tab.open(app.url + "/customers/" + itoa(fabrikam) + "/relationship")
	if v := tab.text(".details .verification"); !strings.HasPrefix(v, "Verified from the Partner Center export of ") {
		t.Errorf("step 4 says %q of the verification", v)
	}
	tab.open(app.url + "/customers/" + itoa(fabrikam) + "/plan")
	if main := tab.text("main"); !strings.Contains(main, "Managed through the reseller relationship") {
		t.Errorf("Fabrikam's plan does not follow the verification: %q", main)
	}
	tab.checkConsole()
}
