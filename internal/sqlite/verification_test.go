package sqlite

import (
	"testing"
	"time"

	"github.com/wingtip/multichannel/internal/domain"
)

// TestApplyExport applies a confirmed export on a fresh database: an
// accepted request and a pending one become active, verified from the
// export (the pending one's link dies and its draft is withdrawn); a request
// changed after the preview is skipped, not forced; an unknown customer is
// created with an active relationship; one whose domain appeared meanwhile
// is not created twice; the export and each change are in the audit log.
func TestApplyExport(t *testing.T) {
	f := rlSetup(t)
	ctx := f.ctx
	accepted := f.mustCreate(f.customer(), 30)
	if _, err := f.answer(accepted.hash, true, "Megan Bowen"); err != nil {
		t.Fatal(err)
	}
	pending := f.mustCreate(f.customer(), 30)
	changed := f.mustCreate(f.customer(), 30)
	if _, err := f.answer(changed.hash, true, "Megan Bowen"); err != nil {
		t.Fatal(err)
	}
	taken := f.customer() // its domain is the one an export row was to create

	customers, open, err := f.s.VerificationState(ctx)
	if err != nil || len(customers) != 4 || len(open) != 3 {
		t.Fatalf("VerificationState = %d customers, %d open, %v", len(customers), len(open), err)
	}
	exported := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	row := func(id int64, tenant string) domain.ExportCustomer {
		for _, c := range customers {
			if c.ID == id {
				return domain.ExportCustomer{TenantID: tenant, Name: c.Name, Domain: c.Domain, Relationship: "Cloud Reseller"}
			}
		}
		t.Fatalf("no customer %d", id)
		return domain.ExportCustomer{}
	}
	newRow := domain.ExportCustomer{TenantID: "55555555-6666-4777-8888-999999999999", Name: "Relecloud", Domain: "relecloud.onmicrosoft.com",
		Relationship: "Cloud Reseller"}
	takenRow := row(taken, "66666666-7777-4888-8999-aaaaaaaaaaaa")
	export := domain.PartnerCenterExport{Customers: []domain.ExportCustomer{row(accepted.customerID, "11111111-2222-4333-8444-555555555555"),
		row(pending.customerID, "22222222-3333-4444-8555-666666666666"), row(changed.customerID, "33333333-4444-4555-8666-777777777777"), newRow}}
	plan := domain.PlanVerification(export, customers, open, "GB", f.s.now())
	if len(plan.Verify) != 3 || len(plan.Unknown) != 1 {
		t.Fatalf("plan: %+v", plan)
	}
	// After the preview, someone rejects one of the requests.
	if err := f.s.ReviewRelationship(ctx, f.actor, changed.id, false, "Not a Global admin"); err != nil {
		t.Fatal(err)
	}
	res, err := f.s.ApplyExport(ctx, f.actor, domain.ExportApplication{Plan: plan, Create: []domain.ExportCustomer{newRow, takenRow},
		FileName: "Customers.csv", ExportedOn: exported, Export: export})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Verified) != 2 || len(res.Skipped) != 1 || res.Skipped[0].Request.ID != changed.id || len(res.Created) != 1 ||
		len(res.NotCreated) != 1 || res.NotCreated[0].Domain != takenRow.Domain {
		t.Fatalf("ApplyExport = %+v", res)
	}
	for _, id := range []int64{accepted.id, pending.id} {
		r := f.request(id)
		if r.Status != domain.StatusActive || r.VerifiedExportOn == nil || !r.VerifiedExportOn.Equal(exported) ||
			r.Verification() != "Verified from the Partner Center export of 2026-03-01" {
			t.Errorf("request %d after the export: %+v", id, r)
		}
		if a := f.auditFor(domain.AuditRelationshipVerified, id); len(a) != 1 || a[0].Detail != "From the Partner Center export of 2026-03-01 (matched by primary domain)" {
			t.Errorf("request %d audit: %+v", id, a)
		}
	}
	if f.tokenHash(pending.id) != nil {
		t.Error("the pending request's link still works")
	}
	for _, m := range f.messages(pending.id) {
		if m.Status != domain.MessageCancelled {
			t.Errorf("the pending request's message is %s", m.Status)
		}
	}
	if r := f.request(changed.id); r.Status != domain.StatusRejected {
		t.Errorf("the request rejected after the preview is %s", r.Status)
	}
	created := res.Created[0]
	c, err := f.s.Customer(ctx, created.ID)
	if err != nil || c.TenantID != newRow.TenantID || c.Country != "GB" || c.Domain != newRow.Domain {
		t.Fatalf("created customer %+v, %v", c, err)
	}
	if r, err := f.s.OpenRelationship(ctx, c.ID); err != nil || r.Status != domain.StatusActive || r.VerifiedExportOn == nil {
		t.Errorf("the created customer's relationship: %+v, %v", r, err)
	}
	var applied struct{ verified, created, skipped int }
	if err := f.s.read.QueryRowContext(ctx, `SELECT verified, created, skipped FROM partner_center_exports WHERE id = ?`, res.ID).
		Scan(&applied.verified, &applied.created, &applied.skipped); err != nil || applied.verified != 2 || applied.created != 1 || applied.skipped != 1 {
		t.Errorf("the export's record: %+v, %v", applied, err)
	}
	entries, err := f.s.RecentAudit(ctx, domain.Page{Number: 1, Size: 50})
	seen := false
	for _, e := range entries {
		seen = seen || e.Action == domain.AuditPartnerCenterExport
	}
	if err != nil || !seen {
		t.Errorf("the export is not in the audit log: %v", err)
	}
}
