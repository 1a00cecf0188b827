package sqlite

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/wingtip/multichannel/internal/domain"
)

// TestPendingUploadServesOnce: a kept upload is read only by its user
// through its customer, is used up by the confirmation that remembers its
// mapping (audited), and a second confirmation finds nothing; a mapping
// saved again for the same header set replaces the first.
func TestPendingUploadServesOnce(t *testing.T) {
	s, _ := openTestStore(t)
	ctx := context.Background()
	actor := ctActor(t, s, "avery@wingtip.example")
	other := ctActor(t, s, "sam@wingtip.example")
	ctUseClock(s, time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC))
	cid := ctCreate(t, s, actor, ctCustomer(t, "Contoso Ltd", "contoso.onmicrosoft.com"))
	otherID := ctCreate(t, s, actor, ctCustomer(t, "Fabrikam", "fabrikam.onmicrosoft.com"))

	data := []byte("Subscription,Purchased from\nE3,Pay-as-you-go\n")
	id, err := s.CreatePendingUpload(ctx, actor, cid, "natural.csv", data)
	if err != nil {
		t.Fatal(err)
	}
	if u, err := s.PendingUpload(ctx, actor, cid, id); err != nil || string(u.Data) != string(data) || u.Filename != "natural.csv" {
		t.Fatalf("PendingUpload = %+v, %v", u, err)
	}
	if _, err := s.PendingUpload(ctx, actor, otherID, id); !errors.Is(err, domain.ErrNotFound) {
		t.Errorf("through another customer: %v; want ErrNotFound", err)
	}
	if _, err := s.PendingUpload(ctx, other, cid, id); !errors.Is(err, domain.ErrNotFound) {
		t.Errorf("by another user: %v; want ErrNotFound", err)
	}
	m := domain.ImportMapping{Key: "subscription|purchasedfrom", Fields: []string{"product", "channel"},
		Channels: map[string]domain.Channel{"pay-as-you-go": domain.ChannelMicrosoftDirect}}
	if err := s.UsePendingUpload(ctx, other, cid, id, m); !errors.Is(err, domain.ErrNotFound) {
		t.Errorf("used by another user: %v; want ErrNotFound", err)
	}
	if err := s.UsePendingUpload(ctx, actor, cid, id, m); err != nil {
		t.Fatal(err)
	}
	if err := s.UsePendingUpload(ctx, actor, cid, id, m); !errors.Is(err, domain.ErrNotFound) {
		t.Errorf("used twice: %v; want ErrNotFound", err)
	}
	if _, err := s.PendingUpload(ctx, actor, cid, id); !errors.Is(err, domain.ErrNotFound) {
		t.Errorf("read after use: %v; want ErrNotFound", err)
	}
	got, err := s.ImportMapping(ctx, m.Key)
	if err != nil || !slices.Equal(got.Fields, m.Fields) || got.Channels["pay-as-you-go"] != domain.ChannelMicrosoftDirect {
		t.Fatalf("ImportMapping = %+v, %v", got, err)
	}
	if n := len(ctFindAudit(ctAudit(t, s), domain.AuditImportMappingSaved)); n != 1 {
		t.Errorf("%d import_mapping_saved entries; want 1", n)
	}

	id2, _ := s.CreatePendingUpload(ctx, actor, cid, "again.csv", data)
	m.Fields = []string{"product", ""}
	if err := s.UsePendingUpload(ctx, actor, cid, id2, m); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.ImportMapping(ctx, m.Key); !slices.Equal(got.Fields, m.Fields) {
		t.Errorf("the mapping saved again is %q; want %q", got.Fields, m.Fields)
	}
	if _, err := s.ImportMapping(ctx, "no|such|header"); !errors.Is(err, domain.ErrNotFound) {
		t.Errorf("an unknown header set: %v; want ErrNotFound", err)
	}
}
