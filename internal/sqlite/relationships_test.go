package sqlite

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wingtip/multichannel/internal/clock"
	"github.com/wingtip/multichannel/internal/domain"
	"github.com/wingtip/multichannel/internal/relationships"
	"github.com/wingtip/multichannel/internal/tokens"
)

// rlT0 is the starting "now" of the relationship tests.
var rlT0 = time.Date(2026, 4, 1, 9, 0, 0, 0, time.UTC)

var rlPartner = domain.Partner{Name: "Wingtip Toys", PartnerID: "5139005", CSPModel: domain.CSPDirectBill, Cloud: domain.CloudCommercial}

// rlFixture is a store with a clock, an actor and a configured base URL.
type rlFixture struct {
	t     *testing.T
	s     *Store
	path  string
	ctx   context.Context
	clock *ctClock
	actor domain.Actor
	base  *url.URL
	n     int
}

func rlSetup(t *testing.T) *rlFixture {
	t.Helper()
	s, path := openTestStore(t)
	base, err := url.Parse("https://partner.wingtip.example")
	if err != nil {
		t.Fatal(err)
	}
	f := &rlFixture{t: t, s: s, path: path, ctx: context.Background(), clock: ctUseClock(s, rlT0), base: base}
	f.actor = ctActor(t, s, "avery@wingtip.example")
	return f
}

// customer creates a fresh customer and returns its id.
func (f *rlFixture) customer() int64 {
	f.t.Helper()
	f.n++
	return ctCreate(f.t, f.s, f.actor, ctCustomer(f.t, fmt.Sprintf("Customer %02d", f.n), fmt.Sprintf("customer%02d.onmicrosoft.com", f.n)))
}

// rlInvite is an invitation as the service builds it: a real token, its
// hash, and the draft that carries the link.
type rlInvite struct {
	id         int64
	customerID int64
	token      string
	hash       []byte
	link       string
	draft      domain.EmailMessage
	expires    time.Time
}

// build makes a token, link and draft for customerID, expiring in days.
func (f *rlFixture) build(customerID int64, days int) rlInvite {
	f.t.Helper()
	c, err := f.s.Customer(f.ctx, customerID)
	if err != nil {
		f.t.Fatal(err)
	}
	token, hash, err := tokens.New()
	if err != nil {
		f.t.Fatal(err)
	}
	link := relationships.Link(f.base, token)
	expires := f.s.now().Add(time.Duration(days) * 24 * time.Hour)
	roles := []domain.AdminRole{domain.RoleGlobalReader, domain.RoleLicenseAdministrator}
	draft := relationships.InvitationMessage(rlPartner, c, "Megan Bowen", "megan.bowen@customer.example", roles, 730, link, expires)
	return rlInvite{customerID: customerID, token: token, hash: hash, link: link, draft: draft, expires: expires}
}

// create stores a new invitation for customerID, expiring in days.
func (f *rlFixture) create(customerID int64, days int) (rlInvite, error) {
	f.t.Helper()
	inv := f.build(customerID, days)
	req := domain.NewRelationshipRequest{CustomerID: customerID, RecipientName: "Megan Bowen", RecipientEmail: "megan.bowen@customer.example",
		ExpiryDays: days, GDAP: &domain.NewGDAPRequest{DisplayName: fmt.Sprintf("GDAP %x", inv.hash[:8]),
			GDAPTerms: domain.GDAPTerms{Roles: []domain.AdminRole{domain.RoleGlobalReader, domain.RoleLicenseAdministrator}, Days: 730}}}
	id, err := f.s.CreateInvitation(f.ctx, f.actor, domain.NewInvitation{Request: req, TokenHash: inv.hash, ExpiresAt: inv.expires, Draft: inv.draft})
	inv.id = id
	return inv, err
}

func (f *rlFixture) mustCreate(customerID int64, days int) rlInvite {
	f.t.Helper()
	inv, err := f.create(customerID, days)
	if err != nil || inv.id == 0 {
		f.t.Fatalf("CreateInvitation(customer %d) = %d, %v", customerID, inv.id, err)
	}
	return inv
}

// resend gives request id a new token and draft, as the service does.
func (f *rlFixture) resend(id, customerID int64, days int) (rlInvite, error) {
	f.t.Helper()
	inv := f.build(customerID, days)
	inv.id = id
	return inv, f.s.ResendInvitation(f.ctx, f.actor, id, inv.hash, inv.expires, inv.draft)
}

func (f *rlFixture) answer(hash []byte, accept bool, name string) (domain.RelationshipRequest, error) {
	return f.s.AnswerInvitation(f.ctx, hash, domain.InvitationAnswer{Accept: accept, Name: name, Email: "megan.bowen@customer.example", ClientIP: "198.51.100.4"})
}

func (f *rlFixture) request(id int64) domain.RelationshipRequest {
	f.t.Helper()
	r, err := f.s.RelationshipRequest(f.ctx, id)
	if err != nil {
		f.t.Fatalf("RelationshipRequest(%d): %v", id, err)
	}
	return r
}

// tokenHash reads the stored token_hash column of a request (nil for NULL).
func (f *rlFixture) tokenHash(id int64) []byte {
	f.t.Helper()
	var h []byte
	if err := f.s.read.QueryRowContext(f.ctx, `SELECT token_hash FROM relationship_requests WHERE id = ?`, id).Scan(&h); err != nil {
		f.t.Fatal(err)
	}
	return h
}

// message reads one outbox message by id.
func (f *rlFixture) message(id int64) domain.EmailMessage {
	f.t.Helper()
	m, err := scanOutbox(f.s.read.QueryRowContext(f.ctx, `SELECT `+outboxColumns+` FROM outbox WHERE id = ?`, id))
	if err != nil {
		f.t.Fatalf("outbox message %d: %v", id, err)
	}
	return m
}

// messages returns every outbox message of a request, oldest first.
func (f *rlFixture) messages(relationshipID int64) []domain.EmailMessage {
	f.t.Helper()
	msgs, err := queryAll(f.ctx, f.s.read, scanOutbox, `SELECT `+outboxColumns+` FROM outbox WHERE relationship_id = ? ORDER BY id`, relationshipID)
	if err != nil {
		f.t.Fatal(err)
	}
	return msgs
}

// auditFor returns the audit entries with action about request id.
func (f *rlFixture) auditFor(action domain.AuditAction, id int64) []domain.AuditEntry {
	f.t.Helper()
	var found []domain.AuditEntry
	for _, e := range ctFindAudit(ctAudit(f.t, f.s), action) {
		if e.Target == fmt.Sprintf("relationship:%d", id) {
			found = append(found, e)
		}
	}
	return found
}

// rlCell is one column of one row of one table.
type rlCell struct {
	table  string
	row    int
	column string
	value  any
}

// rlDump reads every column of every row of every table of the database.
func rlDump(t *testing.T, s *Store) []rlCell {
	t.Helper()
	ctx := context.Background()
	rows, err := s.read.QueryContext(ctx, `SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`)
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			t.Fatal(err)
		}
		tables = append(tables, name)
	}
	rows.Close()
	if len(tables) < 5 {
		t.Fatalf("sqlite_master lists only %v", tables)
	}
	var cells []rlCell
	for _, table := range tables {
		rows, err := s.read.QueryContext(ctx, `SELECT * FROM "`+table+`"`)
		if err != nil {
			t.Fatalf("reading %s: %v", table, err)
		}
		cols, err := rows.Columns()
		if err != nil {
			t.Fatal(err)
		}
		for n := 0; rows.Next(); n++ {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			for i, c := range cols {
				v := vals[i]
				if b, ok := v.([]byte); ok {
					v = slices.Clone(b)
				}
				cells = append(cells, rlCell{table: table, row: n, column: c, value: v})
			}
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		rows.Close()
	}
	return cells
}

// rlDumpText renders a dump so that two dumps compare as strings.
func rlDumpText(cells []rlCell) string {
	var b strings.Builder
	for _, c := range cells {
		fmt.Fprintf(&b, "%s[%d].%s=%#v\n", c.table, c.row, c.column, c.value)
	}
	return b.String()
}

// rlCellBytes is the content of a cell as bytes, for searching.
func rlCellBytes(v any) []byte {
	switch v := v.(type) {
	case []byte:
		return v
	case string:
		return []byte(v)
	case nil:
		return nil
	default:
		return []byte(fmt.Sprint(v))
	}
}

// rlTokenCells returns the cells holding the raw token, as text or as its
// 32 decoded bytes.
func rlTokenCells(t *testing.T, cells []rlCell, token string) []rlCell {
	t.Helper()
	raw, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil || len(raw) != 32 {
		t.Fatalf("token %q does not decode to 32 bytes: %v", token, err)
	}
	var found []rlCell
	for _, c := range cells {
		b := rlCellBytes(c.value)
		if bytes.Contains(b, []byte(token)) || bytes.Contains(b, raw) {
			found = append(found, c)
		}
	}
	return found
}

// rowOf returns the value of column in the same row as cell.
func rlRowValue(cells []rlCell, of rlCell, column string) any {
	for _, c := range cells {
		if c.table == of.table && c.row == of.row && c.column == column {
			return c.value
		}
	}
	return nil
}

func rlWantConflict(t *testing.T, what string, err error) {
	t.Helper()
	var ce *domain.ConflictError
	if !errors.Is(err, domain.ErrConflict) || !errors.As(err, &ce) || strings.TrimSpace(ce.Reason) == "" {
		t.Errorf("%s: err = %v; want a domain.ConflictError (errors.Is ErrConflict) with a reason", what, err)
	}
}

func rlWantNotFound(t *testing.T, what string, err error) {
	t.Helper()
	if !errors.Is(err, domain.ErrNotFound) {
		t.Errorf("%s: err = %v; want domain.ErrNotFound", what, err)
	}
}

func TestRelationshipStateMachineAllowedTransitions(t *testing.T) {
	f := rlSetup(t)
	ctx := f.ctx

	// pending → accepted → active → removed
	cust := f.customer()
	inv := f.mustCreate(cust, 30)
	r := f.request(inv.id)
	if r.Status != domain.StatusPending || r.CustomerID != cust || r.CustomerName != "Customer 01" || r.SentCount != 1 ||
		!r.CreatedAt.Equal(rlT0) || !r.ExpiresAt.Equal(inv.expires) || r.CreatedByName != "Actor avery@wingtip.example" ||
		r.GDAP == nil || !slices.Equal(r.GDAP.Roles, []domain.AdminRole{domain.RoleGlobalReader, domain.RoleLicenseAdministrator}) || r.GDAP.Days != 730 ||
		r.GDAP.Status != domain.GDAPCreated || r.GDAP.RelationshipID != inv.id ||
		r.AnsweredAt != nil || r.ReviewedAt != nil || r.EndedAt != nil {
		t.Fatalf("new request = %+v", r)
	}
	if got := f.auditFor("invitation_created", inv.id); len(got) != 1 || got[0].CustomerID != cust || got[0].ActorID != f.actor.UserID {
		t.Errorf("invitation_created audit = %+v", got)
	}
	if open, err := f.s.OpenRelationship(ctx, cust); err != nil || open.ID != inv.id {
		t.Errorf("OpenRelationship = %d, %v; want %d", open.ID, err, inv.id)
	}

	tAnswer := rlT0.Add(2 * time.Hour)
	f.clock.set(tAnswer)
	got, err := f.answer(inv.hash, true, "Megan Bowen")
	if err != nil || got.ID != inv.id || got.Status != domain.StatusAccepted || got.AcceptedName != "Megan Bowen" ||
		got.AcceptedEmail != "megan.bowen@customer.example" || got.AnsweredAt == nil || !got.AnsweredAt.Equal(tAnswer) {
		t.Fatalf("AnswerInvitation(accept) = %+v, %v", got, err)
	}
	if a := f.auditFor("invitation_accepted", inv.id); len(a) != 1 || a[0].CustomerID != cust || a[0].ActorID != 0 || a[0].ClientIP != "198.51.100.4" {
		t.Errorf("invitation_accepted audit = %+v", a)
	}

	tReview := rlT0.Add(3 * time.Hour)
	f.clock.set(tReview)
	if err := f.s.ReviewRelationship(ctx, f.actor, inv.id, true, ""); err != nil {
		t.Fatalf("verify: %v", err)
	}
	r = f.request(inv.id)
	if r.Status != domain.StatusActive || r.ReviewedByName != "Actor avery@wingtip.example" || r.ReviewedAt == nil || !r.ReviewedAt.Equal(tReview) {
		t.Fatalf("after verify: %+v", r)
	}
	if a := f.auditFor("relationship_verified", inv.id); len(a) != 1 || a[0].ActorID != f.actor.UserID {
		t.Errorf("relationship_verified audit = %+v", a)
	}
	if open, err := f.s.OpenRelationship(ctx, cust); err != nil || open.ID != inv.id || open.Status != domain.StatusActive {
		t.Errorf("OpenRelationship of an active one = %+v, %v", open, err)
	}

	tRemove := rlT0.Add(4 * time.Hour)
	f.clock.set(tRemove)
	if err := f.s.RemoveRelationship(ctx, f.actor, inv.id, "The customer moved to another partner."); err != nil {
		t.Fatalf("remove: %v", err)
	}
	r = f.request(inv.id)
	if r.Status != domain.StatusRemoved || r.Reason != "The customer moved to another partner." || r.EndedAt == nil ||
		!r.EndedAt.Equal(tRemove) || r.EndedByName != "Actor avery@wingtip.example" {
		t.Fatalf("after remove: %+v", r)
	}
	if a := f.auditFor("relationship_removed", inv.id); len(a) != 1 || a[0].Detail != "The customer moved to another partner." {
		t.Errorf("relationship_removed audit = %+v", a)
	}
	if _, err := f.s.OpenRelationship(ctx, cust); !errors.Is(err, domain.ErrNotFound) {
		t.Errorf("OpenRelationship after removal: %v; want ErrNotFound", err)
	}

	// pending → declined
	declined := f.mustCreate(f.customer(), 30)
	if got, err := f.answer(declined.hash, false, "Megan Bowen"); err != nil || got.Status != domain.StatusDeclined || got.AnsweredAt == nil {
		t.Fatalf("decline = %+v, %v", got, err)
	}
	if f.request(declined.id).Status != domain.StatusDeclined || len(f.auditFor("invitation_declined", declined.id)) != 1 {
		t.Errorf("decline not stored or not audited once")
	}

	// pending → revoked
	revoked := f.mustCreate(f.customer(), 30)
	if err := f.s.RevokeInvitation(ctx, f.actor, revoked.id); err != nil {
		t.Fatalf("revoke: %v", err)
	}
	if r := f.request(revoked.id); r.Status != domain.StatusRevoked || r.EndedAt == nil || r.EndedByName == "" {
		t.Errorf("after revoke: %+v", r)
	}
	if len(f.auditFor("invitation_revoked", revoked.id)) != 1 {
		t.Error("revoke not audited once")
	}

	// accepted → rejected, with the reason stored
	rejected := f.mustCreate(f.customer(), 30)
	if _, err := f.answer(rejected.hash, true, "Megan Bowen"); err != nil {
		t.Fatal(err)
	}
	if err := f.s.ReviewRelationship(ctx, f.actor, rejected.id, false, "The acceptor is not the customer's Global admin."); err != nil {
		t.Fatalf("reject: %v", err)
	}
	if r := f.request(rejected.id); r.Status != domain.StatusRejected || r.Reason != "The acceptor is not the customer's Global admin." || r.ReviewedAt == nil {
		t.Errorf("after reject: %+v", r)
	}
	if a := f.auditFor("relationship_rejected", rejected.id); len(a) != 1 || a[0].Detail != "The acceptor is not the customer's Global admin." {
		t.Errorf("relationship_rejected audit = %+v", a)
	}

	// pending → pending (resend)
	resent := f.mustCreate(f.customer(), 30)
	f.clock.set(rlT0.Add(5 * time.Hour))
	again, err := f.resend(resent.id, resent.customerID, 10)
	if err != nil {
		t.Fatalf("resend: %v", err)
	}
	if r := f.request(resent.id); r.Status != domain.StatusPending || r.SentCount != 2 || !r.ExpiresAt.Equal(again.expires) {
		t.Errorf("after resend: %+v; want pending, sent twice, expiring %v", r, again.expires)
	}
	if a := f.auditFor("invitation_resent", resent.id); len(a) != 1 {
		t.Errorf("invitation_resent audit = %+v", a)
	}
}

// rlStaffActions are the changes partner staff make to a request, with the
// one state each is allowed from.
var rlStaffActions = []struct {
	name string
	from domain.RelationshipStatus
	do   func(f *rlFixture, id, customerID int64) error
}{
	{"resend", domain.StatusPending, func(f *rlFixture, id, customerID int64) error { _, err := f.resend(id, customerID, 30); return err }},
	{"revoke", domain.StatusPending, func(f *rlFixture, id, _ int64) error { return f.s.RevokeInvitation(f.ctx, f.actor, id) }},
	{"verify", domain.StatusAccepted, func(f *rlFixture, id, _ int64) error { return f.s.ReviewRelationship(f.ctx, f.actor, id, true, "") }},
	{"reject", domain.StatusAccepted, func(f *rlFixture, id, _ int64) error {
		return f.s.ReviewRelationship(f.ctx, f.actor, id, false, "Not the Global admin.")
	}},
	{"remove", domain.StatusActive, func(f *rlFixture, id, _ int64) error {
		return f.s.RemoveRelationship(f.ctx, f.actor, id, "Ended.")
	}},
}

func TestRelationshipDisallowedTransitionsAreConflictsAndChangeNothing(t *testing.T) {
	f := rlSetup(t)
	ctx := f.ctx

	// One request in each state, each for its own customer.
	type state struct {
		name string
		inv  rlInvite
		// stored is the state in the database; effective is what it counts as.
		stored, effective domain.RelationshipStatus
	}
	var states []state
	stale := f.mustCreate(f.customer(), 1)       // pending, will be past its expiry
	writtenDown := f.mustCreate(f.customer(), 1) // will be written down as expired
	f.clock.set(rlT0.Add(48 * time.Hour))        // both are now past their expiry
	_ = f.mustCreate(writtenDown.customerID, 30) // writes the old one down as expired
	pending := f.mustCreate(f.customer(), 30)
	accepted := f.mustCreate(f.customer(), 30)
	if _, err := f.answer(accepted.hash, true, "A"); err != nil {
		t.Fatal(err)
	}
	active := f.mustCreate(f.customer(), 30)
	if _, err := f.answer(active.hash, true, "A"); err != nil {
		t.Fatal(err)
	}
	if err := f.s.ReviewRelationship(ctx, f.actor, active.id, true, ""); err != nil {
		t.Fatal(err)
	}
	declined := f.mustCreate(f.customer(), 30)
	if _, err := f.answer(declined.hash, false, "A"); err != nil {
		t.Fatal(err)
	}
	rejected := f.mustCreate(f.customer(), 30)
	if _, err := f.answer(rejected.hash, true, "A"); err != nil {
		t.Fatal(err)
	}
	if err := f.s.ReviewRelationship(ctx, f.actor, rejected.id, false, "no"); err != nil {
		t.Fatal(err)
	}
	revoked := f.mustCreate(f.customer(), 30)
	if err := f.s.RevokeInvitation(ctx, f.actor, revoked.id); err != nil {
		t.Fatal(err)
	}
	removed := f.mustCreate(f.customer(), 30)
	if _, err := f.answer(removed.hash, true, "A"); err != nil {
		t.Fatal(err)
	}
	if err := f.s.ReviewRelationship(ctx, f.actor, removed.id, true, ""); err != nil {
		t.Fatal(err)
	}
	if err := f.s.RemoveRelationship(ctx, f.actor, removed.id, "gone"); err != nil {
		t.Fatal(err)
	}
	states = append(states,
		state{"pending", pending, domain.StatusPending, domain.StatusPending},
		state{"pending past its expiry", stale, domain.StatusPending, domain.StatusExpired},
		state{"expired", writtenDown, domain.StatusExpired, domain.StatusExpired},
		state{"accepted", accepted, domain.StatusAccepted, domain.StatusAccepted},
		state{"active", active, domain.StatusActive, domain.StatusActive},
		state{"declined", declined, domain.StatusDeclined, domain.StatusDeclined},
		state{"rejected", rejected, domain.StatusRejected, domain.StatusRejected},
		state{"revoked", revoked, domain.StatusRevoked, domain.StatusRevoked},
		state{"removed", removed, domain.StatusRemoved, domain.StatusRemoved},
	)
	now := f.s.now()
	for _, st := range states {
		if r := f.request(st.inv.id); r.Status != st.stored || r.Effective(now) != st.effective {
			t.Fatalf("setup: %s request is %s (effective %s)", st.name, r.Status, r.Effective(now))
		}
	}

	tried := 0
	for _, st := range states {
		for _, act := range rlStaffActions {
			if st.effective == act.from {
				continue // allowed; TestRelationshipStateMachineAllowedTransitions covers it
			}
			tried++
			before := rlDumpText(rlDump(t, f.s))
			err := act.do(f, st.inv.id, st.inv.customerID)
			rlWantConflict(t, fmt.Sprintf("%s a %s request", act.name, st.name), err)
			if after := rlDumpText(rlDump(t, f.s)); after != before {
				t.Errorf("%s a %s request changed the database", act.name, st.name)
			}
			if r := f.request(st.inv.id); r.Status != st.stored {
				t.Errorf("%s a %s request: status now %s", act.name, st.name, r.Status)
			}
		}
		if st.effective == domain.StatusPending {
			continue
		}
		// The customer's answer with the request's original link: the
		// same "not found" for every unusable token.
		for _, accept := range []bool{true, false} {
			before := rlDumpText(rlDump(t, f.s))
			_, err := f.answer(st.inv.hash, accept, "Late Answer")
			rlWantNotFound(t, fmt.Sprintf("answer (accept=%v) a %s request", accept, st.name), err)
			if after := rlDumpText(rlDump(t, f.s)); after != before {
				t.Errorf("answer (accept=%v) a %s request changed the database", accept, st.name)
			}
		}
	}
	// 9 states × 5 actions, less the 5 allowed pairs.
	if tried != len(states)*len(rlStaffActions)-5 {
		t.Fatalf("tried %d disallowed staff actions; want %d", tried, len(states)*len(rlStaffActions)-5)
	}
}

func TestRelationshipUnknownIDIsNotFound(t *testing.T) {
	f := rlSetup(t)
	inv := f.mustCreate(f.customer(), 30)
	unknown := inv.id + 1000
	for _, act := range rlStaffActions {
		before := rlDumpText(rlDump(t, f.s))
		err := act.do(f, unknown, inv.customerID)
		rlWantNotFound(t, act.name+" an unknown request", err)
		if errors.Is(err, domain.ErrConflict) {
			t.Errorf("%s an unknown request is also a conflict: %v", act.name, err)
		}
		if rlDumpText(rlDump(t, f.s)) != before {
			t.Errorf("%s an unknown request changed the database", act.name)
		}
	}
	if _, err := f.s.RelationshipRequest(f.ctx, unknown); !errors.Is(err, domain.ErrNotFound) {
		t.Errorf("RelationshipRequest(unknown) = %v", err)
	}
	other := sha256.Sum256([]byte("not a token"))
	if _, err := f.s.RelationshipByToken(f.ctx, other[:]); !errors.Is(err, domain.ErrNotFound) {
		t.Errorf("RelationshipByToken(unknown) = %v", err)
	}
	if _, err := f.answer(other[:], true, "X"); !errors.Is(err, domain.ErrNotFound) {
		t.Errorf("AnswerInvitation(unknown) = %v", err)
	}
	if _, err := f.answer(nil, true, "X"); !errors.Is(err, domain.ErrNotFound) {
		t.Errorf("AnswerInvitation(nil hash) = %v", err)
	}
	if f.request(inv.id).Status != domain.StatusPending {
		t.Error("an unknown token changed a pending request")
	}
}

func TestInvitationOneOpenRequestPerCustomer(t *testing.T) {
	f := rlSetup(t)
	ctx := f.ctx
	cust := f.customer()

	refused := func(what string) {
		t.Helper()
		before := rlDumpText(rlDump(t, f.s))
		inv, err := f.create(cust, 30)
		rlWantConflict(t, "a second request while "+what, err)
		if inv.id != 0 {
			t.Errorf("a second request while %s got id %d", what, inv.id)
		}
		if rlDumpText(rlDump(t, f.s)) != before {
			t.Errorf("a refused request while %s changed the database (draft or audit left behind)", what)
		}
	}

	p1 := f.mustCreate(cust, 30)
	refused("pending")
	if _, err := f.answer(p1.hash, true, "A"); err != nil {
		t.Fatal(err)
	}
	refused("accepted")
	if err := f.s.ReviewRelationship(ctx, f.actor, p1.id, true, ""); err != nil {
		t.Fatal(err)
	}
	refused("active")
	// Another customer is not blocked by this one's relationship.
	if _, err := f.create(f.customer(), 30); err != nil {
		t.Errorf("a request for another customer: %v", err)
	}
	if err := f.s.RemoveRelationship(ctx, f.actor, p1.id, "ended"); err != nil {
		t.Fatal(err)
	}

	p2 := f.mustCreate(cust, 30) // after removal
	if err := f.s.RevokeInvitation(ctx, f.actor, p2.id); err != nil {
		t.Fatal(err)
	}
	p3 := f.mustCreate(cust, 30) // after revoke
	if _, err := f.answer(p3.hash, false, "A"); err != nil {
		t.Fatal(err)
	}
	p4 := f.mustCreate(cust, 30) // after decline
	if _, err := f.answer(p4.hash, true, "A"); err != nil {
		t.Fatal(err)
	}
	if err := f.s.ReviewRelationship(ctx, f.actor, p4.id, false, "no"); err != nil {
		t.Fatal(err)
	}
	p5 := f.mustCreate(cust, 3) // after reject
	refused("pending (short expiry)")

	// Past its expiry, the pending request no longer blocks, and the next
	// request writes it down as expired.
	f.clock.set(p5.expires.Add(time.Minute))
	if r := f.request(p5.id); r.Status != domain.StatusPending || r.Effective(f.s.now()) != domain.StatusExpired {
		t.Fatalf("before the next request: %s, effective %s", r.Status, r.Effective(f.s.now()))
	}
	p6 := f.mustCreate(cust, 30)
	if r := f.request(p5.id); r.Status != domain.StatusExpired {
		t.Errorf("the stale request was not written down as expired: %s", r.Status)
	}
	if h := f.tokenHash(p5.id); h != nil {
		t.Errorf("the expired request kept its token hash %x", h)
	}
	if _, err := f.s.RelationshipByToken(ctx, p5.hash); !errors.Is(err, domain.ErrNotFound) {
		t.Errorf("the expired request's token still finds it: %v", err)
	}
	if open, err := f.s.OpenRelationship(ctx, cust); err != nil || open.ID != p6.id {
		t.Errorf("OpenRelationship = %d, %v; want the new request %d", open.ID, err, p6.id)
	}
	refused("pending (after expiry)")

	var statuses []domain.RelationshipStatus
	for _, id := range []int64{p1.id, p2.id, p3.id, p4.id, p5.id, p6.id} {
		statuses = append(statuses, f.request(id).Status)
	}
	want := []domain.RelationshipStatus{domain.StatusRemoved, domain.StatusRevoked, domain.StatusDeclined, domain.StatusRejected,
		domain.StatusExpired, domain.StatusPending}
	if !slices.Equal(statuses, want) {
		t.Errorf("statuses = %v; want %v", statuses, want)
	}
}

func TestInvitationTokenClearedOnAnswerAndRevokeAndReplacedOnResend(t *testing.T) {
	f := rlSetup(t)
	ctx := f.ctx

	for _, tc := range []struct {
		name string
		end  func(inv rlInvite) error
	}{
		{"accept", func(inv rlInvite) error { _, err := f.answer(inv.hash, true, "A"); return err }},
		{"decline", func(inv rlInvite) error { _, err := f.answer(inv.hash, false, "A"); return err }},
		{"revoke", func(inv rlInvite) error { return f.s.RevokeInvitation(ctx, f.actor, inv.id) }},
	} {
		inv := f.mustCreate(f.customer(), 30)
		if h := f.tokenHash(inv.id); !bytes.Equal(h, inv.hash) {
			t.Fatalf("%s: stored token hash %x; want %x", tc.name, h, inv.hash)
		}
		if r, err := f.s.RelationshipByToken(ctx, inv.hash); err != nil || r.ID != inv.id {
			t.Fatalf("%s: RelationshipByToken before = %d, %v", tc.name, r.ID, err)
		}
		if err := tc.end(inv); err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if h := f.tokenHash(inv.id); h != nil {
			t.Errorf("%s: token hash %x kept; want NULL", tc.name, h)
		}
		if _, err := f.s.RelationshipByToken(ctx, inv.hash); !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("%s: RelationshipByToken after = %v; want ErrNotFound", tc.name, err)
		}
		if _, err := f.answer(inv.hash, true, "Again"); !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("%s: answering again = %v; want ErrNotFound", tc.name, err)
		}
		// The draft carrying the dead link is withdrawn and scrubbed.
		if _, err := f.s.InvitationDraft(ctx, inv.id); !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("%s: InvitationDraft after = %v; want ErrNotFound", tc.name, err)
		}
		for _, m := range f.messages(inv.id) {
			if m.Status != "cancelled" || strings.Contains(m.Body, inv.token) {
				t.Errorf("%s: message %d is %s and holds the token: %v", tc.name, m.ID, m.Status, strings.Contains(m.Body, inv.token))
			}
		}
	}

	// Resend: a new token replaces the old one, and a new draft the old one.
	old := f.mustCreate(f.customer(), 30)
	oldDraft, err := f.s.InvitationDraft(ctx, old.id)
	if err != nil || !strings.Contains(oldDraft.Body, old.link) {
		t.Fatalf("draft before resend = %+v, %v", oldDraft, err)
	}
	f.clock.set(rlT0.Add(time.Hour))
	fresh, err := f.resend(old.id, old.customerID, 30)
	if err != nil {
		t.Fatal(err)
	}
	if h := f.tokenHash(old.id); !bytes.Equal(h, fresh.hash) {
		t.Errorf("stored hash after resend = %x; want the new %x", h, fresh.hash)
	}
	if _, err := f.s.RelationshipByToken(ctx, old.hash); !errors.Is(err, domain.ErrNotFound) {
		t.Errorf("old token after resend: RelationshipByToken = %v; want ErrNotFound", err)
	}
	before := rlDumpText(rlDump(t, f.s))
	if _, err := f.answer(old.hash, true, "Old Link"); !errors.Is(err, domain.ErrNotFound) {
		t.Errorf("old token after resend: AnswerInvitation = %v; want ErrNotFound", err)
	}
	if rlDumpText(rlDump(t, f.s)) != before {
		t.Error("answering with the old token changed the database")
	}
	if r, err := f.s.RelationshipByToken(ctx, fresh.hash); err != nil || r.ID != old.id || r.Status != domain.StatusPending {
		t.Errorf("new token after resend: %+v, %v", r, err)
	}
	cancelled := f.message(oldDraft.ID)
	if cancelled.Status != "cancelled" || strings.Contains(cancelled.Body, old.token) || strings.Contains(cancelled.Body, "/invite/") ||
		!strings.Contains(cancelled.Body, "[invitation link removed]") {
		t.Errorf("old draft after resend: status %s, body %q", cancelled.Status, cancelled.Body)
	}
	newDraft, err := f.s.InvitationDraft(ctx, old.id)
	if err != nil || newDraft.ID == oldDraft.ID || newDraft.Status != "draft" || !strings.Contains(newDraft.Body, fresh.link) ||
		strings.Contains(newDraft.Body, old.token) || newDraft.RelationshipID != old.id || newDraft.CustomerID != old.customerID {
		t.Errorf("InvitationDraft after resend = %+v, %v; want a new draft with the new link", newDraft, err)
	}
	if got, err := f.answer(fresh.hash, true, "New Link"); err != nil || got.Status != domain.StatusAccepted || got.AcceptedName != "New Link" {
		t.Errorf("accept with the new token = %+v, %v", got, err)
	}
	if m := f.message(newDraft.ID); m.Status != "cancelled" || strings.Contains(m.Body, fresh.token) {
		t.Errorf("the new draft after acceptance: status %s, still holds the token: %v", m.Status, strings.Contains(m.Body, fresh.token))
	}
}

func TestInvitationTokenExpires(t *testing.T) {
	f := rlSetup(t)
	early := f.mustCreate(f.customer(), 3)
	late := f.mustCreate(f.customer(), 3)
	if !early.expires.Equal(late.expires) {
		t.Fatal("setup: expiries differ")
	}

	f.clock.set(early.expires.Add(-time.Second))
	if got, err := f.answer(early.hash, true, "In Time"); err != nil || got.Status != domain.StatusAccepted {
		t.Fatalf("accept one second before expiry = %+v, %v", got, err)
	}

	for _, at := range []time.Time{late.expires, late.expires.Add(time.Hour), late.expires.Add(60 * 24 * time.Hour)} {
		f.clock.set(at)
		before := rlDumpText(rlDump(t, f.s))
		for _, accept := range []bool{true, false} {
			if _, err := f.answer(late.hash, accept, "Too Late"); !errors.Is(err, domain.ErrNotFound) {
				t.Errorf("answer (accept=%v) at %v, expiry %v: %v; want ErrNotFound", accept, at, late.expires, err)
			}
		}
		if rlDumpText(rlDump(t, f.s)) != before {
			t.Errorf("answering an expired link at %v changed the database", at)
		}
		// Looking the link up still changes nothing and shows it expired.
		r, err := f.s.RelationshipByToken(f.ctx, late.hash)
		if err != nil || r.Status != domain.StatusPending || r.Effective(at) != domain.StatusExpired {
			t.Errorf("RelationshipByToken at %v = %s (effective %s), %v", at, r.Status, r.Effective(at), err)
		}
	}
	if a := f.auditFor("invitation_accepted", late.id); len(a) != 0 {
		t.Errorf("an expired link was audited as accepted: %+v", a)
	}
}

func TestInvitationConcurrentAcceptsHaveOneWinner(t *testing.T) {
	f := rlSetup(t)
	inv := f.mustCreate(f.customer(), 30)
	// Half the answers go through a second Store on the same file, as a
	// second process would, so SQLite's own locking decides too.
	other, err := Open(f.ctx, f.path, clock.UTC)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	other.now = f.clock.now

	const n = 20
	type result struct {
		name string
		r    domain.RelationshipRequest
		err  error
	}
	results := make(chan result, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range n {
		store := f.s
		if i%2 == 1 {
			store = other
		}
		name := fmt.Sprintf("Acceptor %02d", i)
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			r, err := store.AnswerInvitation(f.ctx, inv.hash, domain.InvitationAnswer{Accept: true, Name: name, Email: "a@customer.example"})
			results <- result{name, r, err}
		}()
	}
	close(start)
	wg.Wait()
	close(results)

	var winners []result
	notFound := 0
	for res := range results {
		switch {
		case res.err == nil:
			winners = append(winners, res)
		case errors.Is(res.err, domain.ErrNotFound):
			notFound++
		default:
			t.Errorf("%s: unexpected error %v", res.name, res.err)
		}
	}
	if len(winners) != 1 || notFound != n-1 {
		t.Fatalf("%d accepts succeeded and %d got ErrNotFound; want 1 and %d", len(winners), notFound, n-1)
	}
	r := f.request(inv.id)
	if r.Status != domain.StatusAccepted || r.AcceptedName != winners[0].name || winners[0].r.AcceptedName != winners[0].name {
		t.Errorf("stored acceptance by %q (%s); the winner was %q", r.AcceptedName, r.Status, winners[0].name)
	}
	if a := f.auditFor("invitation_accepted", inv.id); len(a) != 1 || a[0].Detail != "by "+winners[0].name+" <a@customer.example>" {
		t.Errorf("invitation_accepted audit = %+v; want exactly one, by the winner", a)
	}
	if len(ctFindAudit(ctAudit(t, f.s), "invitation_declined")) != 0 {
		t.Error("a decline was audited")
	}
}

func TestInvitationRawTokenNeverStored(t *testing.T) {
	f := rlSetup(t)

	// Left undelivered: the token is only in its draft's body.
	sentByHand := f.mustCreate(f.customer(), 30)
	draft, err := f.s.InvitationDraft(f.ctx, sentByHand.id)
	if err != nil || !strings.Contains(draft.Body, sentByHand.link) {
		t.Fatalf("draft = %+v, %v; want the link in it", draft, err)
	}
	if h := f.tokenHash(sentByHand.id); !bytes.Equal(h, sentByHand.hash) {
		t.Fatalf("token hash stored %x; want %x", h, sentByHand.hash)
	}
	cells := rlDump(t, f.s)
	found := rlTokenCells(t, cells, sentByHand.token)
	if len(found) != 1 || found[0].table != "outbox" || found[0].column != "body" ||
		rlRowValue(cells, found[0], "id") != draft.ID || rlRowValue(cells, found[0], "status") != "draft" {
		t.Fatalf("raw token found in %d cells (%+v); want exactly the body of draft %d", len(found), found, draft.ID)
	}

	// Accepted: its draft is withdrawn and scrubbed.
	accepted := f.mustCreate(f.customer(), 30)
	// Resent: the first token dies with the first draft.
	resent := f.mustCreate(f.customer(), 30)
	second, err := f.resend(resent.id, resent.customerID, 30)
	if err != nil {
		t.Fatal(err)
	}
	if found := rlTokenCells(t, rlDump(t, f.s), resent.token); len(found) != 0 {
		t.Errorf("the replaced token is still stored in %+v", found)
	}
	if found := rlTokenCells(t, rlDump(t, f.s), second.token); len(found) != 1 || found[0].column != "body" {
		t.Errorf("the resent token is stored in %+v; want the new draft's body only", found)
	}
	if _, err := f.answer(accepted.hash, true, "Megan Bowen"); err != nil {
		t.Fatal(err)
	}
	if err := f.s.MarkDraftSentByHand(f.ctx, draft.ID, domain.ScrubInvitationLinks(draft.Body)); err != nil {
		t.Fatal(err)
	}
	if err := f.s.RevokeInvitation(f.ctx, f.actor, resent.id); err != nil {
		t.Fatal(err)
	}
	cells = rlDump(t, f.s)
	for _, inv := range []rlInvite{sentByHand, accepted, resent, second} {
		if found := rlTokenCells(t, cells, inv.token); len(found) != 0 {
			t.Errorf("raw token of request %d still in %+v", inv.id, found)
		}
	}
	if m := f.message(draft.ID); m.Status != "sent" || m.SentAt == nil || !strings.Contains(m.Body, "[invitation link removed]") {
		t.Errorf("message sent by hand = %+v", m)
	}

	// Nor in the bytes of the database files once the store is closed. A
	// draft left undelivered shows that the search finds a stored token.
	control := f.mustCreate(f.customer(), 30)
	rlCheckFiles(t, f, control, sentByHand, accepted, resent, second)
}

// rlCheckFiles closes the store and reads the bytes of the database and its
// WAL: the control's token, still in an undelivered draft, must be there (so
// the search works); no other raw token may be, as text or as bytes.
func rlCheckFiles(t *testing.T, f *rlFixture, control rlInvite, dead ...rlInvite) {
	t.Helper()
	if err := f.s.Close(); err != nil {
		t.Fatal(err)
	}
	controlFound := false
	for _, file := range []string{f.path, f.path + "-wal", f.path + "-journal"} {
		data, err := os.ReadFile(file)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(data, []byte(control.token)) {
			controlFound = true
		}
		for _, inv := range dead {
			raw, _ := base64.RawURLEncoding.DecodeString(inv.token)
			if i := bytes.Index(data, []byte(inv.token)); i >= 0 {
				t.Errorf("%s holds the raw token of request %d as text at byte %d, though no column holds it", filepath.Base(file), inv.id, i)
			}
			if bytes.Contains(data, raw) {
				t.Errorf("%s holds the raw token bytes of request %d", filepath.Base(file), inv.id)
			}
		}
	}
	if !controlFound {
		t.Error("the token of an undelivered draft is not in the database file: the byte search proves nothing")
	}
}

// TestInvitationRawTokenNotLeftInFreedPages edits drafts to long bodies (the
// service allows 20,000 characters), so that the link lives on an overflow
// page, then lets each be delivered by hand, accepted, revoked or resent.
// Once scrubbed, the token must not survive in freed space of the file.
func TestInvitationRawTokenNotLeftInFreedPages(t *testing.T) {
	f := rlSetup(t)
	var dead []rlInvite
	for _, end := range []string{"sent by hand", "accept", "revoke", "resend"} {
		inv := f.mustCreate(f.customer(), 30)
		d, err := f.s.InvitationDraft(f.ctx, inv.id)
		if err != nil {
			t.Fatal(err)
		}
		body := strings.Repeat("A long introduction to our services. ", 250) + "\n" + inv.link + "\n" + strings.Repeat("Kind regards. ", 60)
		if err := f.s.UpdateDraft(f.ctx, domain.Actor{}, domain.EmailMessage{ID: d.ID, Version: d.Version, Subject: d.Subject, Body: body}); err != nil {
			t.Fatal(err)
		}
		switch end {
		case "sent by hand":
			err = f.s.MarkDraftSentByHand(f.ctx, d.ID, domain.ScrubInvitationLinks(body))
		case "accept":
			_, err = f.answer(inv.hash, true, "Megan Bowen")
		case "revoke":
			err = f.s.RevokeInvitation(f.ctx, f.actor, inv.id)
		case "resend":
			var fresh rlInvite
			fresh, err = f.resend(inv.id, inv.customerID, 30)
			if err == nil {
				err = f.s.RevokeInvitation(f.ctx, f.actor, inv.id)
				dead = append(dead, fresh)
			}
		}
		if err != nil {
			t.Fatalf("%s: %v", end, err)
		}
		dead = append(dead, inv)
	}
	cells := rlDump(t, f.s)
	for _, inv := range dead {
		if found := rlTokenCells(t, cells, inv.token); len(found) != 0 {
			t.Errorf("raw token of request %d still in %+v", inv.id, found)
		}
	}
	control := f.mustCreate(f.customer(), 30)
	rlCheckFiles(t, f, control, dead...)
}

func TestRelationshipListAndCountsUseEffectiveStatus(t *testing.T) {
	f := rlSetup(t)
	ctx := f.ctx
	step := func() { f.clock.set(f.clock.now().Add(time.Minute)) }

	var ids []int64
	add := func(days int) rlInvite {
		step()
		inv := f.mustCreate(f.customer(), days)
		ids = append(ids, inv.id)
		return inv
	}
	stale := add(1) // pending, will be past its expiry
	add(30)         // pending
	add(30)         // pending
	acc := add(30)
	if _, err := f.answer(acc.hash, true, "A"); err != nil {
		t.Fatal(err)
	}
	act := add(30)
	if _, err := f.answer(act.hash, true, "A"); err != nil {
		t.Fatal(err)
	}
	if err := f.s.ReviewRelationship(ctx, f.actor, act.id, true, ""); err != nil {
		t.Fatal(err)
	}
	dec := add(30)
	if _, err := f.answer(dec.hash, false, "A"); err != nil {
		t.Fatal(err)
	}
	rev := add(30)
	if err := f.s.RevokeInvitation(ctx, f.actor, rev.id); err != nil {
		t.Fatal(err)
	}
	writtenDown := add(1)
	beforeExpiry := f.clock.now()
	f.clock.set(rlT0.Add(3 * 24 * time.Hour))
	// A new request for writtenDown's customer writes the old one down as expired.
	again := f.mustCreate(writtenDown.customerID, 30)
	ids = append(ids, again.id)
	now := f.clock.now()
	if f.request(writtenDown.id).Status != domain.StatusExpired || f.request(stale.id).Status != domain.StatusPending {
		t.Fatal("setup: expected one written-down expiry and one stale pending request")
	}

	counts, err := f.s.RelationshipCounts(ctx, now)
	if err != nil {
		t.Fatal(err)
	}
	want := map[domain.RelationshipStatus]int{domain.StatusPending: 3, domain.StatusExpired: 2, domain.StatusAccepted: 1,
		domain.StatusActive: 1, domain.StatusDeclined: 1, domain.StatusRevoked: 1}
	if fmt.Sprint(counts) != fmt.Sprint(want) {
		t.Errorf("RelationshipCounts(now) = %v; want %v", counts, want)
	}
	// Before its expiry the stale request still counts as pending.
	if counts, err := f.s.RelationshipCounts(ctx, beforeExpiry); err != nil || counts[domain.StatusPending] != 4 || counts[domain.StatusExpired] != 1 {
		t.Errorf("RelationshipCounts(before expiry) = %v, %v; want 4 pending and 1 expired", counts, err)
	}

	list := func(st domain.RelationshipStatus, page domain.Page) ([]domain.RelationshipRequest, int) {
		t.Helper()
		filter := domain.RelationshipFilter{Status: st, Page: page}
		rs, err := f.s.ListRelationships(ctx, filter, now)
		if err != nil {
			t.Fatalf("ListRelationships(%q): %v", st, err)
		}
		total, err := f.s.CountRelationships(ctx, filter, now)
		if err != nil {
			t.Fatalf("CountRelationships(%q): %v", st, err)
		}
		return rs, total
	}
	rids := func(rs []domain.RelationshipRequest) []int64 {
		out := make([]int64, len(rs))
		for i, r := range rs {
			out[i] = r.ID
		}
		return out
	}

	// Every filter agrees with the counts and holds only its effective state.
	for _, st := range domain.RelationshipStatuses {
		rs, total := list(st, domain.Page{Number: 1, Size: 100})
		if total != counts[st] || len(rs) != counts[st] {
			t.Errorf("filter %s: %d rows, total %d; want %d", st, len(rs), total, counts[st])
		}
		for _, r := range rs {
			if r.Effective(now) != st {
				t.Errorf("filter %s lists request %d, effectively %s", st, r.ID, r.Effective(now))
			}
		}
	}
	pendingRows, _ := list(domain.StatusPending, domain.Page{Number: 1, Size: 100})
	if slices.Contains(rids(pendingRows), stale.id) {
		t.Error("the stale request is listed as pending")
	}
	expiredRows, _ := list(domain.StatusExpired, domain.Page{Number: 1, Size: 100})
	if got := rids(expiredRows); !slices.Equal(got, []int64{writtenDown.id, stale.id}) {
		t.Errorf("expired filter = %v; want %v", got, []int64{writtenDown.id, stale.id})
	}

	// No filter: all of them, newest first.
	all, total := list("", domain.Page{Number: 1, Size: 100})
	wantIDs := slices.Clone(ids)
	slices.Reverse(wantIDs)
	if total != len(ids) || !slices.Equal(rids(all), wantIDs) {
		t.Errorf("all = %v (total %d); want %v newest first", rids(all), total, wantIDs)
	}
	sum := 0
	for _, n := range counts {
		sum += n
	}
	if sum != total {
		t.Errorf("counts add up to %d; %d requests", sum, total)
	}

	// Pages of 3 walk the same order without gaps or repeats.
	var paged []int64
	for page := 1; ; page++ {
		rs, n := list("", domain.Page{Number: page, Size: 3})
		if n != total {
			t.Fatalf("page %d: total %d; want %d", page, n, total)
		}
		paged = append(paged, rids(rs)...)
		if len(rs) < 3 {
			if page != total/3+1 {
				t.Errorf("the last page is %d; want %d", page, total/3+1)
			}
			break
		}
		if page > 10 {
			t.Fatal("pagination does not end")
		}
	}
	if !slices.Equal(paged, wantIDs) {
		t.Errorf("paged = %v; want %v", paged, wantIDs)
	}
	if rs, n := list(domain.StatusPending, domain.Page{Number: 2, Size: 2}); n != 3 || len(rs) != 1 || rs[0].ID != pendingRows[2].ID {
		t.Errorf("pending page 2 of size 2 = %v (total %d); want [%d]", rids(rs), n, pendingRows[2].ID)
	}
}

func TestInvitationDraftEditingOnlyOnDrafts(t *testing.T) {
	f := rlSetup(t)
	ctx := f.ctx

	queued := f.mustCreate(f.customer(), 30)
	d, err := f.s.InvitationDraft(ctx, queued.id)
	if err != nil || d.Status != "draft" || d.RelationshipID != queued.id || d.CustomerID != queued.customerID ||
		d.To != "megan.bowen@customer.example" || d.Subject != queued.draft.Subject || d.Body != queued.draft.Body {
		t.Fatalf("InvitationDraft = %+v, %v", d, err)
	}
	body := "Hello Megan,\n\nPlease open " + queued.link + "\n"
	if err := f.s.UpdateDraft(ctx, domain.Actor{}, domain.EmailMessage{ID: d.ID, Version: d.Version, Subject: "Our invitation", Body: body}); err != nil {
		t.Fatal(err)
	}
	if err := f.s.UpdateDraft(ctx, domain.Actor{}, domain.EmailMessage{ID: d.ID, Version: d.Version + 1, Subject: "Our invitation, again", Body: body + "Thanks.\n"}); err != nil {
		t.Errorf("a second edit of a draft: %v", err)
	}
	if m := f.message(d.ID); m.Subject != "Our invitation, again" || m.Body != body+"Thanks.\n" || m.Status != "draft" {
		t.Errorf("after UpdateDraft: %+v", m)
	}
	// An edit from the first version is refused with the draft as stored.
	var stale *domain.Stale[domain.EmailMessage]
	if err := f.s.UpdateDraft(ctx, domain.Actor{}, domain.EmailMessage{ID: d.ID, Version: d.Version, Subject: "Stale", Body: body}); !errors.As(err, &stale) ||
		stale.Version != d.Version+2 || stale.Current.Subject != "Our invitation, again" {
		t.Errorf("a stale edit of a draft: %v", err)
	}
	if m := f.message(d.ID); m.Subject != "Our invitation, again" {
		t.Errorf("a stale edit changed the draft: %+v", m)
	}
	tQueue := rlT0.Add(time.Hour)
	f.clock.set(tQueue)
	if err := f.s.QueueDraft(ctx, d.ID); err != nil {
		t.Fatal(err)
	}
	m := f.message(d.ID)
	if m.Status != "queued" || m.NextAttemptAt == nil || !m.NextAttemptAt.Equal(tQueue) {
		t.Errorf("after QueueDraft: %+v", m)
	}
	if got, err := f.s.InvitationDraft(ctx, queued.id); err != nil || got.ID != d.ID {
		t.Errorf("InvitationDraft of a queued message = %+v, %v", got, err)
	}
	before := rlDumpText(rlDump(t, f.s))
	rlWantConflict(t, "UpdateDraft of a queued message", f.s.UpdateDraft(ctx, domain.Actor{}, domain.EmailMessage{ID: d.ID, Version: d.Version, Subject: "Changed", Body: "changed"}))
	rlWantConflict(t, "QueueDraft twice", f.s.QueueDraft(ctx, d.ID))
	rlWantConflict(t, "MarkDraftSentByHand of a queued message", f.s.MarkDraftSentByHand(ctx, d.ID, "scrubbed"))
	if rlDumpText(rlDump(t, f.s)) != before {
		t.Error("a refused draft change changed the database")
	}

	byHand := f.mustCreate(f.customer(), 30)
	d2, err := f.s.InvitationDraft(ctx, byHand.id)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.s.MarkDraftSentByHand(ctx, d2.ID, domain.ScrubInvitationLinks(d2.Body)); err != nil {
		t.Fatal(err)
	}
	m = f.message(d2.ID)
	if m.Status != "sent" || m.SentAt == nil || !m.SentAt.Equal(tQueue) || strings.Contains(m.Body, byHand.token) {
		t.Errorf("after MarkDraftSentByHand: %+v", m)
	}
	if _, err := f.s.InvitationDraft(ctx, byHand.id); !errors.Is(err, domain.ErrNotFound) {
		t.Errorf("InvitationDraft after sending by hand = %v; want ErrNotFound", err)
	}
	before = rlDumpText(rlDump(t, f.s))
	rlWantConflict(t, "MarkDraftSentByHand twice", f.s.MarkDraftSentByHand(ctx, d2.ID, "again"))
	rlWantConflict(t, "UpdateDraft of a sent message", f.s.UpdateDraft(ctx, domain.Actor{}, domain.EmailMessage{ID: d2.ID, Version: d2.Version, Subject: "Changed", Body: "changed"}))
	rlWantConflict(t, "QueueDraft of a sent message", f.s.QueueDraft(ctx, d2.ID))
	if rlDumpText(rlDump(t, f.s)) != before {
		t.Error("a refused change of a sent message changed the database")
	}

	withdrawn := f.mustCreate(f.customer(), 30)
	d3, err := f.s.InvitationDraft(ctx, withdrawn.id)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.s.RevokeInvitation(ctx, f.actor, withdrawn.id); err != nil {
		t.Fatal(err)
	}
	before = rlDumpText(rlDump(t, f.s))
	rlWantConflict(t, "UpdateDraft of a cancelled message", f.s.UpdateDraft(ctx, domain.Actor{}, domain.EmailMessage{ID: d3.ID, Version: d3.Version, Subject: "Changed", Body: "changed " + withdrawn.link}))
	rlWantConflict(t, "QueueDraft of a cancelled message", f.s.QueueDraft(ctx, d3.ID))
	rlWantConflict(t, "MarkDraftSentByHand of a cancelled message", f.s.MarkDraftSentByHand(ctx, d3.ID, "scrubbed"))
	if rlDumpText(rlDump(t, f.s)) != before {
		t.Error("a refused change of a cancelled message changed the database")
	}
	if m := f.message(d3.ID); m.Status != "cancelled" || strings.Contains(m.Body, withdrawn.token) {
		t.Errorf("cancelled message = %+v", m)
	}
}

// TestRelationshipLostRaceIsTheRefusal makes a change on a request read
// before another change moved it on: the conditional update finds no row,
// and the loser gets the conflict a refusal gives, with nothing written.
func TestRelationshipLostRaceIsTheRefusal(t *testing.T) {
	f := rlSetup(t)
	inv := f.mustCreate(f.customer(), 30)
	stale := f.request(inv.id) // pending, as the loser read it
	if err := f.s.RevokeInvitation(f.ctx, f.actor, inv.id); err != nil {
		t.Fatal(err)
	}
	for _, change := range []domain.RelationshipChange{domain.RelationshipResend, domain.RelationshipRevoke, domain.RelationshipAccept} {
		before := rlDumpText(rlDump(t, f.s))
		err := f.s.inTx(f.ctx, func(tx *sql.Tx) error {
			return moveRelationship(f.ctx, tx, stale, change, f.s.now(), relationshipUpdate{set: `, sent_count = sent_count + 1`})
		})
		var ce *domain.ConflictError
		if !errors.As(err, &ce) || ce.Reason != change.Refused().Error() {
			t.Errorf("%s after the request was revoked: %v; want the conflict %q", change, err, change.Refused())
		}
		if rlDumpText(rlDump(t, f.s)) != before {
			t.Errorf("%s that lost the race changed the database", change)
		}
	}
}
