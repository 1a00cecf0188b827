package sqlite

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"testing"
	"time"

	"github.com/wingtip/multichannel/internal/clock"
	"github.com/wingtip/multichannel/internal/demo"
	"github.com/wingtip/multichannel/internal/domain"
)

const gdapTestID = "5d027261-d21f-4aa9-b7db-7fa1f56fb163-8777b240-c6f0-4469-9e98-a3205431b836"

// gdapOf returns the GDAP request of the reseller request of inv.
func (f *rlFixture) gdapOf(inv rlInvite) domain.GDAPRequest {
	f.t.Helper()
	r := f.request(inv.id)
	if r.GDAP == nil {
		f.t.Fatalf("request %d has no GDAP request", inv.id)
	}
	return *r.GDAP
}

func TestGDAPRequestLifecycle(t *testing.T) {
	f := rlSetup(t)
	ctx := f.ctx
	inv := f.mustCreate(f.customer(), 30)
	g := f.gdapOf(inv)
	if g.Status != domain.GDAPCreated || g.CustomerName != "Customer 01" || g.CreatedByName != "Actor avery@wingtip.example" || g.Link != "" {
		t.Fatalf("new GDAP request %+v", g)
	}

	// Not approved before its link is recorded.
	if err := f.s.RecordGDAPApproval(ctx, f.actor, g.ID, rlT0); !errors.Is(err, domain.ErrConflict) {
		t.Errorf("approval before the link: %v", err)
	}
	f.clock.set(f.s.now().Add(time.Hour))
	link := domain.GDAPLink{URL: domain.GDAPInviteLink(gdapTestID), ID: gdapTestID}
	if err := f.s.RecordGDAPLink(ctx, f.actor, g.ID, link); err != nil {
		t.Fatal(err)
	}
	g, _ = f.s.GDAPRequest(ctx, g.ID)
	if g.Status != domain.GDAPApprovalPending || g.Link != link.URL || g.MicrosoftID != gdapTestID || g.LinkPastedAt == nil ||
		!g.LinkPastedAt.Equal(rlT0.Add(time.Hour)) {
		t.Fatalf("after the link: %+v", g)
	}
	// The customer's page reads the link through the reseller request.
	if r, err := f.s.RelationshipByToken(ctx, inv.hash); err != nil || r.GDAP == nil || r.GDAP.Link != link.URL {
		t.Errorf("by token: %+v, %v", r.GDAP, err)
	}

	// Roles cannot be assigned before activation.
	if err := f.s.AddAssignment(ctx, f.actor, domain.AccessAssignment{GDAPID: g.ID, Group: "Helpdesk agents", Roles: g.Roles}); !errors.Is(err, domain.ErrConflict) {
		t.Errorf("assignment before activation: %v", err)
	}
	activated := rlT0.AddDate(0, 0, 2)
	f.clock.set(f.s.now().Add(3 * 24 * time.Hour))
	if err := f.s.RecordGDAPApproval(ctx, f.actor, g.ID, activated); err != nil {
		t.Fatal(err)
	}
	g, _ = f.s.GDAPRequest(ctx, g.ID)
	if g.Status != domain.GDAPActive || !g.ActivatedAt.Equal(activated) || !g.EndsAt(f.s.now()).Equal(activated.AddDate(0, 0, 730)) {
		t.Fatalf("after approval: %+v", g)
	}
	if got := ctFindAudit(ctAudit(t, f.s), domain.AuditGDAPApproved); len(got) != 1 || got[0].Target != fmt.Sprintf("gdap:%d", g.ID) {
		t.Errorf("gdap_approved audit = %+v", got)
	}

	// Assignments: roles among those approved, recorded in order.
	if err := f.s.AddAssignment(ctx, f.actor, domain.AccessAssignment{GDAPID: g.ID, Group: "Readers", Roles: []domain.AdminRole{domain.RoleGlobalAdministrator}}); err == nil {
		t.Error("a role the customer did not approve was assigned")
	}
	if err := f.s.AddAssignment(ctx, f.actor, domain.AccessAssignment{GDAPID: g.ID, Group: "Readers", Roles: []domain.AdminRole{domain.RoleGlobalReader}}); err != nil {
		t.Fatal(err)
	}
	list, err := f.s.Assignments(ctx, g.ID)
	if err != nil || len(list) != 1 || list[0].Group != "Readers" || !slices.Equal(list[0].Roles, []domain.AdminRole{domain.RoleGlobalReader}) ||
		list[0].RecordedByName != "Actor avery@wingtip.example" {
		t.Errorf("assignments %+v, %v", list, err)
	}

	// Terminated once; not twice.
	if err := f.s.TerminateGDAP(ctx, f.actor, g.ID, "Customer asked"); err != nil {
		t.Fatal(err)
	}
	if err := f.s.TerminateGDAP(ctx, f.actor, g.ID, "Again"); !errors.Is(err, domain.ErrConflict) {
		t.Errorf("terminated twice: %v", err)
	}
	if g, _ = f.s.GDAPRequest(ctx, g.ID); g.Status != domain.GDAPTerminated || g.Reason != "Customer asked" || g.EndedAt == nil {
		t.Errorf("after termination: %+v", g)
	}
}

func TestGDAPRequestLapsesAfter90Days(t *testing.T) {
	f := rlSetup(t)
	g := f.gdapOf(f.mustCreate(f.customer(), 30))
	if err := f.s.RecordGDAPLink(f.ctx, f.actor, g.ID, domain.GDAPLink{URL: domain.GDAPInviteLink(gdapTestID), ID: gdapTestID}); err != nil {
		t.Fatal(err)
	}
	f.clock.set(f.s.now().Add(domain.GDAPPendingLapseDays * 24 * time.Hour))
	if err := f.s.RecordGDAPApproval(f.ctx, f.actor, g.ID, f.s.now()); !errors.Is(err, domain.ErrConflict) {
		t.Errorf("approval of a lapsed request: %v", err)
	}
	if g, _ := f.s.GDAPRequest(f.ctx, g.ID); g.Effective(f.s.now()) != domain.GDAPLapsed {
		t.Errorf("effective %s, want lapsed", g.Effective(f.s.now()))
	}
}

func TestGDAPDisplayNameIsUnique(t *testing.T) {
	f := rlSetup(t)
	first := f.build(f.customer(), 30)
	req := func(inv rlInvite, name string) domain.NewInvitation {
		return domain.NewInvitation{TokenHash: inv.hash, ExpiresAt: inv.expires, Draft: inv.draft, Request: domain.NewRelationshipRequest{
			CustomerID: inv.customerID, RecipientName: "Megan", RecipientEmail: "megan@customer.example", ExpiryDays: 30,
			GDAP: &domain.NewGDAPRequest{DisplayName: name, GDAPTerms: domain.GDAPTerms{Roles: []domain.AdminRole{domain.RoleGlobalReader}, Days: 30}}}}
	}
	if _, err := f.s.CreateInvitation(f.ctx, f.actor, req(first, "Contoso admin")); err != nil {
		t.Fatal(err)
	}
	second := f.build(f.customer(), 30)
	_, err := f.s.CreateInvitation(f.ctx, f.actor, req(second, "CONTOSO ADMIN"))
	var errs domain.FieldErrors
	if !errors.As(err, &errs) || errs["gdap_name"] == "" {
		t.Fatalf("a name taken in another case: %v", err)
	}
	// Nothing of the refused request was kept: the customer can be invited.
	if _, err := f.s.CreateInvitation(f.ctx, f.actor, req(second, "Contoso admin 2")); err != nil {
		t.Errorf("after the refusal: %v", err)
	}
}

func TestRoleTemplates(t *testing.T) {
	f := rlSetup(t)
	ctx := f.ctx
	helpdesk := domain.RoleTemplate{Name: "Helpdesk", Days: 730, Extend: true, Roles: []domain.TemplateRole{
		{Role: domain.RoleLicenseAdministrator, Group: "Licensing"}, {Role: domain.RoleHelpdeskAdministrator, Group: "Helpdesk agents"}}}
	id, err := f.s.SaveRoleTemplate(ctx, f.actor, helpdesk)
	if err != nil {
		t.Fatal(err)
	}
	got, err := f.s.RoleTemplate(ctx, id)
	if err != nil || got.Name != "Helpdesk" || !got.Extend || len(got.Roles) != 2 || got.Roles[1] != helpdesk.Roles[1] {
		t.Fatalf("template %+v, %v", got, err)
	}
	var taken domain.FieldErrors
	if _, err := f.s.SaveRoleTemplate(ctx, f.actor, domain.RoleTemplate{Name: "helpdesk", Days: 30}); !errors.As(err, &taken) || taken["name"] == "" {
		t.Errorf("a second Helpdesk: %v", err)
	}
	got.Days, got.Roles = 365, got.Roles[1:]
	if _, err := f.s.SaveRoleTemplate(ctx, f.actor, got); err != nil {
		t.Fatal(err)
	}
	all, err := f.s.RoleTemplates(ctx)
	if err != nil || len(all) != 1 || all[0].Days != 365 || len(all[0].Roles) != 1 || all[0].Group(domain.RoleHelpdeskAdministrator) != "Helpdesk agents" {
		t.Fatalf("templates %+v, %v", all, err)
	}

	// A request made from it forgets it when it is deleted, and keeps its roles.
	inv := f.build(f.customer(), 30)
	_, err = f.s.CreateInvitation(ctx, f.actor, domain.NewInvitation{TokenHash: inv.hash, ExpiresAt: inv.expires, Draft: inv.draft,
		Request: domain.NewRelationshipRequest{CustomerID: inv.customerID, RecipientName: "M", RecipientEmail: "m@customer.example", ExpiryDays: 30,
			GDAP: &domain.NewGDAPRequest{DisplayName: "From Helpdesk", GDAPTerms: all[0].Terms(), TemplateID: id}}})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.s.DeleteRoleTemplate(ctx, f.actor, id); err != nil {
		t.Fatal(err)
	}
	if err := f.s.DeleteRoleTemplate(ctx, f.actor, id); !errors.Is(err, domain.ErrNotFound) {
		t.Errorf("deleted twice: %v", err)
	}
	rels, err := f.s.CustomerRelationships(ctx, inv.customerID)
	if err != nil || len(rels) != 1 || rels[0].GDAP == nil || rels[0].GDAP.TemplateID != 0 || len(rels[0].GDAP.Roles) != 1 {
		t.Errorf("after deleting the template: %+v, %v", rels, err)
	}
}

// activateGDAP creates a GDAP request for a new customer with these terms,
// records its link and its approval on activated, and returns its id.
func (f *rlFixture) activateGDAP(days int, extend bool, activated time.Time) int64 {
	f.t.Helper()
	inv := f.build(f.customer(), 30)
	var err error
	inv.id, err = f.s.CreateInvitation(f.ctx, f.actor, domain.NewInvitation{TokenHash: inv.hash, ExpiresAt: inv.expires, Draft: inv.draft,
		Request: domain.NewRelationshipRequest{CustomerID: inv.customerID, RecipientName: "M", RecipientEmail: "m@customer.example", ExpiryDays: 30,
			GDAP: &domain.NewGDAPRequest{DisplayName: inv.token[:20], GDAPTerms: domain.GDAPTerms{Roles: []domain.AdminRole{domain.RoleGlobalReader},
				Days: days, AutoExtend: extend}}}})
	if err != nil {
		f.t.Fatal(err)
	}
	g := f.gdapOf(inv)
	if err := f.s.RecordGDAPLink(f.ctx, f.actor, g.ID, domain.GDAPLink{URL: domain.GDAPInviteLink(gdapTestID), ID: gdapTestID}); err != nil {
		f.t.Fatal(err)
	}
	if err := f.s.RecordGDAPApproval(f.ctx, f.actor, g.ID, activated); err != nil {
		f.t.Fatal(err)
	}
	return g.ID
}

// TestGDAPEndingCandidates holds the dashboard's and the list's choice of
// the relationships ending within 30 days: the store's candidates hold
// every one the domain's rule finds among all active relationships, at
// every hour of two auto-extension cycles (the phase window wrapping round
// the cycle's start among them), and are few.
func TestGDAPEndingCandidates(t *testing.T) {
	f := rlSetup(t)
	soon := f.activateGDAP(40, false, rlT0)               // ends 40 days after rlT0
	later := f.activateGDAP(730, false, rlT0)             // ends two years on
	rolling := f.activateGDAP(30, true, rlT0)             // first end in 30 days, then every 180
	f.activateGDAP(100, true, rlT0.Add(7*time.Hour+3))    // another phase, off the whole second
	f.activateGDAP(1, true, rlT0.AddDate(0, 0, -200))     // first end long passed
	f.activateGDAP(365, true, rlT0.Add(-time.Nanosecond)) // just before a second
	f.clock.set(rlT0.Add(20 * 24 * time.Hour))            // 20 days before soon ends
	now := f.s.now()
	limit := now.AddDate(0, 0, domain.GDAPEndingSoonDays)
	candidates, err := f.s.GDAPEndingCandidates(f.ctx, now, limit)
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for _, g := range candidates {
		ids = append(ids, g.ID)
	}
	if !slices.Contains(ids, soon) || !slices.Contains(ids, rolling) || slices.Contains(ids, later) {
		t.Errorf("candidates %v (soon %d, later %d, rolling %d)", ids, soon, later, rolling)
	}
	ending := domain.GDAPEndingWithin(candidates, now, domain.GDAPEndingSoonDays)
	if len(ending) != 2 || ending[0].Request.ID != rolling || ending[1].Request.ID != soon {
		t.Errorf("ending within 30 days: %+v", ending)
	}

	all, err := f.s.ListGDAP(f.ctx, domain.GDAPActive, domain.Page{Number: 1, Size: 100}, rlT0)
	if err != nil || len(all) != 6 {
		t.Fatalf("active: %d, %v", len(all), err)
	}
	endingIDs := func(list []domain.GDAPEnding) []int64 {
		var out []int64
		for _, e := range list {
			out = append(out, e.Request.ID)
		}
		return out
	}
	for at := rlT0; at.Before(rlT0.AddDate(0, 0, 2*domain.GDAPAutoExtendDays)); at = at.Add(7 * time.Hour) {
		limit := at.AddDate(0, 0, domain.GDAPEndingSoonDays)
		candidates, err := f.s.GDAPEndingCandidates(f.ctx, at, limit)
		if err != nil {
			t.Fatal(err)
		}
		want := endingIDs(domain.GDAPEndingWithin(all, at, domain.GDAPEndingSoonDays))
		if got := endingIDs(domain.GDAPEndingWithin(candidates, at, domain.GDAPEndingSoonDays)); !slices.Equal(got, want) {
			t.Fatalf("at %s: ending %v from the candidates, %v from all", at, got, want)
		}
		if len(candidates) > len(want)+1 {
			t.Fatalf("at %s: %d candidates for %d ending", at, len(candidates), len(want))
		}
	}
}

// TestGDAPEndsPhase holds migration 00014's ends_phase to the store's
// gdapPhase, and so its cycle to domain.GDAPAutoExtendDays.
func TestGDAPEndsPhase(t *testing.T) {
	f := rlSetup(t)
	for i, at := range []time.Time{rlT0, rlT0.Add(123456789 * time.Nanosecond), time.Date(2031, 12, 31, 23, 59, 59, 999999999, time.UTC)} {
		f.activateGDAP(1+i, true, at)
	}
	rows, err := queryAll(f.ctx, f.s.read, func(row scanner) (int64, error) {
		var ends string
		var phase int64
		if err := row.Scan(&ends, &phase); err != nil {
			return 0, err
		}
		at, err := parseTime(ends)
		if err == nil && gdapPhase(at) != phase {
			err = fmt.Errorf("ends_at %s: ends_phase %d, gdapPhase %d", ends, phase, gdapPhase(at))
		}
		return phase, err
	}, `SELECT ends_at, ends_phase FROM gdap_requests`)
	if err != nil || len(rows) != 3 {
		t.Fatalf("%d rows, %v", len(rows), err)
	}
}

// plainHasher stands in for the password hasher where no one signs in.
type plainHasher struct{}

func (plainHasher) Hash(context.Context, string) (string, error) { return "x", nil }

// TestGDAPListByState holds the list across customers on the demo: each
// state lists the requests the domain puts in it, counted alike, newest
// first and paged.
func TestGDAPListByState(t *testing.T) {
	s, _ := openTestStore(t)
	ctx := context.Background()
	base, _ := url.Parse("https://partner.wingtip.example")
	if _, err := demo.Seed(ctx, s, plainHasher{}, s.now(), base); err != nil {
		t.Fatal(err)
	}
	now := s.now()
	counts, err := s.GDAPCounts(ctx, now)
	if err != nil {
		t.Fatal(err)
	}
	seen := 0
	for _, st := range domain.GDAPStatuses {
		list, err := s.ListGDAP(ctx, st, domain.Page{Number: 1, Size: 50}, now)
		if err != nil {
			t.Fatal(err)
		}
		// The demo has one request in every state.
		if len(list) != 1 || counts[st] != 1 {
			t.Errorf("%s: %d listed, counted %d", st, len(list), counts[st])
		}
		for _, g := range list {
			if g.Effective(now) != st {
				t.Errorf("%s lists %s, which is %s", st, g.DisplayName, g.Effective(now))
			}
		}
		seen += len(list)
	}
	all, err := s.ListGDAP(ctx, "", domain.Page{Number: 1, Size: 50}, now)
	if err != nil || len(all) != seen || seen != 6 {
		t.Fatalf("all: %d, %v; the states list %d", len(all), err, seen)
	}
	// Pages of two, newest first.
	var paged []int64
	for n := 1; n <= 3; n++ {
		page, err := s.ListGDAP(ctx, "", domain.Page{Number: n, Size: 2}, now)
		if err != nil || len(page) != 2 {
			t.Fatalf("page %d: %d rows, %v", n, len(page), err)
		}
		for _, g := range page {
			paged = append(paged, g.ID)
		}
	}
	if !slices.IsSortedFunc(paged, func(a, b int64) int { return cmp.Compare(b, a) }) || len(slices.Compact(slices.Clone(paged))) != 6 {
		t.Errorf("pages of two: %v, want six ids, newest first", paged)
	}
}

// TestMigrationMovesTheRolesAsked holds migration 00010: the roles stored
// on relationship requests before GDAP had its own request move to
// gdap_requests, an open request's as still to create, a closed one's as
// terminated.
func TestMigrationMovesTheRolesAsked(t *testing.T) {
	ctx := context.Background()
	path, db := databaseAt(t, 9)
	for _, q := range []string{
		`INSERT INTO users (id, email, name, role, password_hash, created_at, updated_at) VALUES (1, 'a@w.example', 'A', 'global_admin', 'x', '2026-01-01T00:00:00.000000000Z', '2026-01-01T00:00:00.000000000Z')`,
		`INSERT INTO customers (id, name, name_key, domain, country, admin_name, admin_email, created_at, updated_at)
			VALUES (1, 'Contoso', 'contoso', 'contoso.onmicrosoft.com', 'GB', 'M', 'm@c.example', '2026-01-01T00:00:00.000000000Z', '2026-01-01T00:00:00.000000000Z')`,
		`INSERT INTO relationship_requests (id, customer_id, status, recipient_name, recipient_email, admin_roles, admin_days, auto_extend, created_by, created_at, expires_at)
			VALUES (1, 1, 'revoked', 'M', 'm@c.example', 'global_reader', 90, 0, 1, '2026-01-01T00:00:00.000000000Z', '2026-02-01T00:00:00.000000000Z'),
			(2, 1, 'pending', 'M', 'm@c.example', 'helpdesk_administrator,license_administrator', 365, 1, 1, '2026-03-01T00:00:00.000000000Z', '2026-04-01T00:00:00.000000000Z'),
			(3, 1, 'declined', 'M', 'm@c.example', '', 0, 0, 1, '2026-01-01T00:00:00.000000000Z', '2026-02-01T00:00:00.000000000Z')`,
	} {
		if _, err := db.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	s, err := Open(ctx, path, clock.UTC)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for id, want := range map[int64]struct {
		status domain.GDAPStatus
		roles  []domain.AdminRole
		days   int
		extend bool
	}{
		1: {domain.GDAPTerminated, []domain.AdminRole{domain.RoleGlobalReader}, 90, false},
		2: {domain.GDAPCreated, []domain.AdminRole{domain.RoleHelpdeskAdministrator, domain.RoleLicenseAdministrator}, 365, true},
	} {
		r, err := s.RelationshipRequest(ctx, id)
		if err != nil || r.GDAP == nil {
			t.Fatalf("request %d: %+v, %v", id, r, err)
		}
		if g := r.GDAP; g.Status != want.status || !slices.Equal(g.Roles, want.roles) || g.Days != want.days || g.AutoExtend != want.extend || g.DisplayName == "" {
			t.Errorf("request %d: GDAP %+v", id, g)
		}
	}
	if r, err := s.RelationshipRequest(ctx, 3); err != nil || r.GDAP != nil {
		t.Errorf("a request without roles got a GDAP request: %+v, %v", r.GDAP, err)
	}
}
