package web

import (
	"bytes"
	"context"
	"html"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/wingtip/multichannel/internal/demo"
	"github.com/wingtip/multichannel/internal/domain"
)

// uploadExport posts a Partner Center export to the verification form as a
// browser would, with the day it was exported.
func (a *testApp) uploadExport(c *http.Client, content []byte, exportedOn string) response {
	a.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("exported_on", exportedOn)
	fw, _ := mw.CreateFormFile("file", "Customers.csv")
	fw.Write(content)
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, a.url+"/relationships/verify", &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Origin", a.url)
	return a.do(c, req)
}

// section is the part of a page from the element with id to the end of
// its section, or "" when the page has none.
func section(body, id string) string {
	start := strings.Index(body, `id="`+id+`"`)
	if start < 0 {
		return ""
	}
	end := strings.Index(body[start:], "</section>")
	return body[start : start+end]
}

var hiddenField = regexp.MustCompile(`<input type="hidden" name="([a-z_]+)" value="([^"]*)"`)

// confirmForm is the confirmation the preview page would post, with the
// unknown customers to create.
func confirmForm(preview string, create ...string) url.Values {
	form := url.Values{}
	for _, m := range hiddenField.FindAllStringSubmatch(preview, -1) {
		form.Set(m[1], html.UnescapeString(m[2]))
	}
	form["create"] = create
	return form
}

// TestVerifyFromPartnerCenterExport uploads the demo export (BOM, CRLF) as
// an Admin agent: the preview matches Fabrikam by Microsoft ID and Northwind
// by primary domain, offers Relecloud, warns that Coho Winery is missing,
// and changes nothing; the confirmation makes both active, verified from the
// export of its day, kills Northwind's link and creates Relecloud, active;
// the same confirmation again is refused, as the app changed.
func TestVerifyFromPartnerCenterExport(t *testing.T) {
	app := newTestApp(t)
	ctx := context.Background()
	agent := app.signIn(adminAgent)
	fabrikam, northwind := app.customerID("Fabrikam"), app.customerID("Northwind")
	northwindReq, _ := app.store.OpenRelationship(ctx, northwind)
	if !bytes.HasPrefix(demo.PartnerCenterExport, []byte("\uFEFF")) || !bytes.Contains(demo.PartnerCenterExport, []byte("\r\n")) {
		t.Fatal("the demo export is not written as Partner Center writes it (BOM, CRLF)")
	}

	form := app.get(agent, "/relationships/verify")
	if form.status != http.StatusOK || !strings.Contains(form.body, `enctype="multipart/form-data"`) || !strings.Contains(form.body, demoExportPath) {
		t.Fatalf("upload form: %d", form.status)
	}
	if file := app.get(agent, demoExportPath); file.status != http.StatusOK || file.body != string(demo.PartnerCenterExport) {
		t.Errorf("the demo export download: %d", file.status)
	}
	if res := app.get(app.signIn(salesAgent), "/relationships/verify"); res.status != http.StatusForbidden {
		t.Errorf("a Sales agent opens the upload: %d", res.status)
	}

	const day = "2026-11-30"
	app.clock.set(app.clock.now()) // the preview and the confirmation at one instant
	preview := app.uploadExport(agent, demo.PartnerCenterExport, day)
	if preview.status != http.StatusOK {
		t.Fatalf("preview: %d %s", preview.status, preview.body)
	}
	verify := section(preview.body, "export-verify")
	if !strings.Contains(verify, "Fabrikam, Inc.") || !strings.Contains(verify, "Matched by tenant id") || !strings.Contains(verify, "Northwind Traders") ||
		!strings.Contains(verify, "Matched by primary domain") || strings.Contains(verify, "Contoso") {
		t.Errorf("the preview's changes: %s", verify)
	}
	if unknown := section(preview.body, "export-unknown"); !strings.Contains(unknown, "Relecloud") || !strings.Contains(unknown, "GB") {
		t.Errorf("the preview does not offer to create Relecloud in the partner's country: %s", unknown)
	}
	if missing := section(preview.body, "export-missing"); !strings.Contains(missing, "Coho Winery") {
		t.Errorf("the preview does not warn that Coho Winery is missing: %s", missing)
	}
	for id, want := range map[int64]domain.RelationshipStatus{fabrikam: domain.StatusAccepted, northwind: domain.StatusPending} {
		if r, _ := app.store.OpenRelationship(ctx, id); r.Status != want {
			t.Errorf("the preview changed customer %d's request to %s", id, r.Status)
		}
	}
	if _, err := app.store.Customer(ctx, 11); err == nil {
		t.Error("the preview created a customer")
	}

	confirm := confirmForm(preview.body, "8b3c4d5e-6f70-4b82-8c93-d4e5f6071829")
	res := app.post(agent, "/relationships/verify/confirm", confirm)
	if res.status != http.StatusSeeOther {
		t.Fatalf("confirm: %d %s", res.status, res.body)
	}
	for _, id := range []int64{fabrikam, northwind} {
		r, _ := app.store.OpenRelationship(ctx, id)
		if r.Status != domain.StatusActive || r.Verification() != "Verified from the Partner Center export of "+day {
			t.Errorf("customer %d after the export: %s %q", id, r.Status, r.Verification())
		}
	}
	if c, _ := app.store.Customer(ctx, northwind); c.TenantID != "9c4d5e6f-7081-4c93-9da4-e5f60718293a" {
		t.Errorf("Northwind, matched by its domain, did not get the export's Microsoft ID: %q", c.TenantID)
	}
	if step := app.get(agent, "/customers/"+itoa(fabrikam)+"/relationship"); !strings.Contains(step.body, "Verified from the Partner Center export of "+day) {
		t.Error("step 4 does not say the export verified the relationship")
	}
	if d, err := app.store.InvitationDraft(ctx, northwindReq.ID); err == nil {
		t.Errorf("Northwind's invitation is still waiting to be sent: %+v", d)
	}
	items, _, _ := app.store.ListCustomers(ctx, domain.CustomerQuery{Search: "Relecloud", Page: domain.Page{Number: 1, Size: 5}})
	if len(items) != 1 || items[0].Customer.TenantID != "8b3c4d5e-6f70-4b82-8c93-d4e5f6071829" || items[0].Customer.Country != "GB" {
		t.Fatalf("Relecloud was not created from the export: %+v", items)
	}
	if r, err := app.store.OpenRelationship(ctx, items[0].Customer.ID); err != nil || r.Status != domain.StatusActive {
		t.Errorf("Relecloud's relationship: %+v, %v", r, err)
	}
	// The same confirmation again applies nothing: the app changed.
	if again := app.post(agent, "/relationships/verify/confirm", confirm); again.status != http.StatusConflict ||
		!strings.Contains(again.body, `id="export-changed"`) {
		t.Errorf("confirming twice: %d", again.status)
	}
}

// TestVerifyExportRefusals: a malformed export is refused with its line
// numbers (422) and changes nothing; a confirmation after a request changed
// since the preview is refused with the new preview (409).
func TestVerifyExportRefusals(t *testing.T) {
	app := newTestApp(t)
	ctx := context.Background()
	agent := app.signIn(adminAgent)
	bad := "\uFEFFMicrosoft ID,Company name,Primary domain name,Relationship,Tags\r\n" +
		"7a2b3c4d-5e6f-4a71-9b82-c3d4e5f60718,\"Fabrikam, Inc.\",fabrikam.onmicrosoft.com,Cloud Reseller,\r\n" +
		"not-a-guid,Contoso Ltd,contoso.onmicrosoft.com,Cloud Reseller,\r\n" +
		"9c4d5e6f-7081-4c93-9da4-e5f60718293a,Northwind Traders\r\n"
	res := app.uploadExport(agent, []byte(bad), "")
	if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, "Line 3: the Microsoft ID &#34;not-a-guid&#34; is not a GUID") ||
		!strings.Contains(res.body, "Line 4: 2 columns where the header has 5") {
		t.Errorf("malformed export: %d %s", res.status, res.body)
	}
	if res := app.uploadExport(agent, []byte("product,channel\r\nM365,ea\r\n"), ""); res.status != http.StatusUnprocessableEntity ||
		!strings.Contains(res.body, "Line 1: the header has no column Microsoft ID") {
		t.Errorf("another file: %d", res.status)
	}
	if res := app.uploadExport(agent, nil, ""); res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, "Line 1: the file is empty") {
		t.Errorf("an empty file: %d", res.status)
	}
	if res := app.uploadExport(agent, demo.PartnerCenterExport, "2999-01-01"); res.status != http.StatusUnprocessableEntity ||
		!strings.Contains(res.body, "today or earlier") {
		t.Errorf("an export dated in the future: %d", res.status)
	}
	// At 20:00 UTC it is already tomorrow east of UTC: that day is today
	// for a partner there, not the future.
	now := app.clock.now()
	app.clock.set(time.Date(now.Year(), now.Month(), now.Day(), 20, 0, 0, 0, time.UTC))
	agent = app.signIn(adminAgent)
	tomorrow := app.clock.now().AddDate(0, 0, 1).Format(domain.DateLayout)
	if res := app.uploadExport(agent, demo.PartnerCenterExport, tomorrow); res.status != http.StatusOK {
		t.Errorf("an export dated today east of UTC (%s): %d", tomorrow, res.status)
	}
	fabrikam, _ := app.store.OpenRelationship(ctx, app.customerID("Fabrikam"))
	if fabrikam.Status != domain.StatusAccepted {
		t.Fatalf("a refused export changed Fabrikam: %s", fabrikam.Status)
	}

	preview := app.uploadExport(agent, demo.PartnerCenterExport, "")
	if preview.status != http.StatusOK {
		t.Fatalf("preview: %d", preview.status)
	}
	// Someone rejects Fabrikam's acceptance after the preview was shown.
	if err := app.relationships.Reject(ctx, domain.Actor{UserID: 1}, fabrikam.ID, "Not their Global admin"); err != nil {
		t.Fatal(err)
	}
	res = app.post(agent, "/relationships/verify/confirm", confirmForm(preview.body))
	if res.status != http.StatusConflict || !strings.Contains(res.body, `id="export-changed"`) || strings.Contains(section(res.body, "export-verify"), "Fabrikam") {
		t.Errorf("confirm after a change: %d", res.status)
	}
	northwind, _ := app.store.OpenRelationship(ctx, app.customerID("Northwind"))
	if r, _ := app.store.RelationshipRequest(ctx, fabrikam.ID); r.Status != domain.StatusRejected || northwind.Status != domain.StatusPending {
		t.Errorf("a refused confirmation changed something: Fabrikam %s, Northwind %s", r.Status, northwind.Status)
	}
}

// TestTheDemoExportVerifiesANewcomersInvitation follows the README's
// newcomer run: invite Litware (which the demo leaves without a
// relationship), answer as its Global admin, and upload the demo export,
// which lists Litware by its primary domain: the request becomes active and
// Litware gets the export's Microsoft ID. Before the invitation the same
// export changes nothing for Litware.
func TestTheDemoExportVerifiesANewcomersInvitation(t *testing.T) {
	app := newTestApp(t)
	ctx := context.Background()
	agent := app.signIn(adminAgent)
	litware := app.customerID("Litware")
	app.clock.set(app.clock.now())
	before := app.uploadExport(agent, demo.PartnerCenterExport, "2026-11-30")
	if verify := section(before.body, "export-verify"); before.status != http.StatusOK || strings.Contains(verify, "Litware") {
		t.Fatalf("Litware, never invited, is to be verified: %d %s", before.status, verify)
	}

	_, token := app.invite(agent, litware, nil)
	if res := app.post(app.public(), "/invite/"+token, acceptForm()); res.status != http.StatusSeeOther {
		t.Fatalf("accept: %d", res.status)
	}
	preview := app.uploadExport(agent, demo.PartnerCenterExport, "2026-11-30")
	if verify := section(preview.body, "export-verify"); !strings.Contains(verify, "Litware, Inc.") || !strings.Contains(verify, "Matched by primary domain") {
		t.Fatalf("the demo export does not verify the newcomer's Litware request: %s", verify)
	}
	if res := app.post(agent, "/relationships/verify/confirm", confirmForm(preview.body)); res.status != http.StatusSeeOther {
		t.Fatalf("confirm: %d %s", res.status, res.body)
	}
	r, _ := app.store.OpenRelationship(ctx, litware)
	c, _ := app.store.Customer(ctx, litware)
	if r.Status != domain.StatusActive || c.TenantID != "1d2e3f40-5162-4738-89a0-b1c2d3e4f5a6" {
		t.Errorf("after the demo export Litware is %s with Microsoft ID %q", r.Status, c.TenantID)
	}
}
