package sqlite

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/wingtip/multichannel/internal/domain"
)

// stSettings is a store with a partner and an actor.
func stSettings(t *testing.T) (*Store, domain.Actor, domain.PartnerSettings) {
	t.Helper()
	s, _ := openTestStore(t)
	ctUseClock(s, rlT0)
	if err := s.SetPartner(context.Background(), rlPartner); err != nil {
		t.Fatal(err)
	}
	ps, err := s.PartnerSettings(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return s, ctActor(t, s, "avery@wingtip.example"), ps
}

func TestPartnerSettingsDefaultsOfTheMigration(t *testing.T) {
	_, _, ps := stSettings(t)
	if ps.Partner.Name != rlPartner.Name || ps.DefaultInviteDays != domain.DefaultInviteDays || !ps.Invitation.BuiltIn() {
		t.Errorf("settings of a partner set before them: %+v", ps)
	}
}

func TestSavePartnerSettingsWritesAllWithOneAuditEntry(t *testing.T) {
	s, actor, before := stSettings(t)
	ctx := context.Background()
	want := before
	want.Partner.Name = "Wingtip Ltd"
	want.Partner.PartnerID = "7654321"
	want.Partner.Cloud = domain.CloudUSGovernment
	want.DefaultInviteDays = 14
	want.Invitation = domain.InvitationTemplate{Subject: "{{partner}} invites {{customer}}", Body: "Dear {{recipient}},\r\nopen {{link}} (a secret wording)\r\n"}
	changes, err := s.SavePartnerSettings(ctx, actor, want)
	if err != nil || len(changes) != 6 {
		t.Fatalf("save: %v, %v", changes, err)
	}
	got, err := s.PartnerSettings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got.Partner.Name != "Wingtip Ltd" || got.Partner.PartnerID != "7654321" || got.Partner.Cloud != domain.CloudUSGovernment ||
		got.Partner.CSPModel != domain.CSPDirectBill || got.DefaultInviteDays != 14 || got.Invitation.Subject != want.Invitation.Subject ||
		got.Invitation.Body != "Dear {{recipient}},\nopen {{link}} (a secret wording)" || !got.Partner.UpdatedAt.Equal(rlT0) {
		t.Errorf("read back %+v", got)
	}
	// Partner, the web layer's read, sees the same partner.
	if p, _ := s.Partner(ctx); p.Name != "Wingtip Ltd" {
		t.Errorf("Partner() = %+v", p)
	}
	entries := ctFindAudit(ctAudit(t, s), "settings_changed")
	if len(entries) != 1 {
		t.Fatalf("%d settings_changed entries", len(entries))
	}
	e := entries[0]
	for _, part := range []string{`name "Wingtip Toys" → "Wingtip Ltd"`, `partner_id "5139005" → "7654321"`, "cloud", "default_invite_days 30 → 14", "invite_subject changed", "invite_body changed"} {
		if !strings.Contains(e.Detail, part) {
			t.Errorf("audit detail %q does not say %q", e.Detail, part)
		}
	}
	if strings.Contains(e.Detail, "secret wording") || e.ActorID != actor.UserID || e.ClientIP != actor.ClientIP {
		t.Errorf("audit entry %+v", e)
	}

	// Saving the same again changes and records nothing.
	if changes, err := s.SavePartnerSettings(ctx, actor, got); err != nil || len(changes) != 0 {
		t.Errorf("save unchanged: %v, %v", changes, err)
	}
	if n := len(ctFindAudit(ctAudit(t, s), "settings_changed")); n != 1 {
		t.Errorf("%d settings_changed entries after an unchanged save", n)
	}
}

func TestSavePartnerSettingsRefusalChangesNothing(t *testing.T) {
	s, actor, before := stSettings(t)
	ctx := context.Background()
	changed := before
	changed.Partner.Name = "Wingtip Ltd"
	changed.DefaultInviteDays = 7

	// Invalid input is refused before anything is written.
	invalid := changed
	invalid.Invitation = domain.InvitationTemplate{Subject: "Hi", Body: "no link"}
	var errs domain.FieldErrors
	if _, err := s.SavePartnerSettings(ctx, actor, invalid); !errors.As(err, &errs) || errs["invite_body"] == "" {
		t.Fatalf("save without the link: %v", err)
	}
	// A failure inside the transaction (here the audit entry, whose actor
	// does not exist) rolls the partner's change back with it.
	if _, err := s.SavePartnerSettings(ctx, domain.Actor{UserID: 999999}, changed); err == nil {
		t.Fatal("the save succeeded without its audit entry")
	}
	got, err := s.PartnerSettings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got != before {
		t.Errorf("a refused save changed the settings: %+v, was %+v", got, before)
	}
	if n := len(ctFindAudit(ctAudit(t, s), "settings_changed")); n != 0 {
		t.Errorf("%d settings_changed entries after refused saves", n)
	}
}

func TestSavePartnerSettingsCreatesThePartner(t *testing.T) {
	s, _ := openTestStore(t)
	ctx := context.Background()
	actor := ctActor(t, s, "avery@wingtip.example")
	if _, err := s.PartnerSettings(ctx); !errors.Is(err, domain.ErrNotFound) {
		t.Fatalf("settings before a partner: %v", err)
	}
	ps := domain.PartnerSettings{Partner: rlPartner, DefaultInviteDays: 45}
	if _, err := s.SavePartnerSettings(ctx, actor, ps); err != nil {
		t.Fatal(err)
	}
	if got, err := s.PartnerSettings(ctx); err != nil || got.Partner.Name != rlPartner.Name || got.DefaultInviteDays != 45 {
		t.Errorf("created %+v, %v", got, err)
	}
}

func TestQueueTestMessage(t *testing.T) {
	s, actor, _ := stSettings(t)
	ctx := context.Background()
	m := domain.EmailMessage{To: "avery@wingtip.example", Subject: "Test", Body: "Hello"}
	if err := s.QueueTestMessage(ctx, actor, m); err != nil {
		t.Fatal(err)
	}
	due, err := s.DueOutbox(ctx, rlT0.Add(time.Minute), 10)
	if err != nil || len(due) != 1 || due[0].To != m.To || due[0].Status != "queued" || due[0].RelationshipID != 0 {
		t.Fatalf("due = %+v, %v", due, err)
	}
	if entries := ctFindAudit(ctAudit(t, s), "test_mail_queued"); len(entries) != 1 || entries[0].Target != m.To {
		t.Errorf("audit = %+v", entries)
	}
}

// TestPartnerSettingsAreKeptUntilChanged: the partner's row is read once
// for many pages; this store's own save is seen at once, another process's
// write (here, straight SQL on the write connection) once the copy is
// partnerCacheFor old.
func TestPartnerSettingsAreKeptUntilChanged(t *testing.T) {
	s, _ := openTestStore(t)
	ctx := context.Background()
	clock := ctUseClock(s, time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC))
	if _, err := s.PartnerSettings(ctx); !errors.Is(err, domain.ErrNotFound) {
		t.Fatalf("before a partner: %v", err)
	}
	if err := s.SetPartner(ctx, domain.Partner{Name: "Wingtip", PartnerID: "5139005", CSPModel: domain.CSPIndirectReseller, Cloud: domain.CloudCommercial}); err != nil {
		t.Fatal(err)
	}
	if p, err := s.Partner(ctx); err != nil || p.Name != "Wingtip" {
		t.Fatalf("after SetPartner: %+v, %v", p, err)
	}
	if _, err := s.write.ExecContext(ctx, `UPDATE partner SET name = 'Renamed elsewhere' WHERE id = 1`); err != nil {
		t.Fatal(err)
	}
	if p, _ := s.Partner(ctx); p.Name != "Wingtip" {
		t.Errorf("another process's write was read at once: %q", p.Name)
	}
	clock.set(clock.now().Add(partnerCacheFor))
	if p, _ := s.Partner(ctx); p.Name != "Renamed elsewhere" {
		t.Errorf("after %s the copy still says %q", partnerCacheFor, p.Name)
	}
}
