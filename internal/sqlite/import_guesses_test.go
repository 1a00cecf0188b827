package sqlite

import (
	"context"
	"errors"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/wingtip/multichannel/internal/domain"
)

// batchOf is a batch of a file of ours: its subscriptions on lines 2, 3, …
// with nothing guessed.
func batchOf(customerID int64, filename string, subs []domain.Subscription) domain.ImportBatch {
	b := domain.ImportBatch{CustomerID: customerID, Filename: filename}
	for i, sub := range subs {
		b.Rows = append(b.Rows, domain.BatchRow{Line: i + 2, Subscription: sub})
	}
	return b
}

// TestImportBatchKeepsGuesses: a batch keeps its source and each row's line
// and guesses; a batch kept before them (a JSON array of rows) still
// reads; corrections are kept while it is in preview and a refused one
// keeps none; the confirmation imports the corrected values once and its
// audit entry counts the guessed values changed.
func TestImportBatchKeepsGuesses(t *testing.T) {
	s, _ := openTestStore(t)
	ctx := context.Background()
	actor := ctActor(t, s, "avery@wingtip.example")
	ctUseClock(s, time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC))
	cid := ctCreate(t, s, actor, ctCustomer(t, "Fabrikam", "fabrikam.onmicrosoft.com"))

	e3 := domain.Subscription{Product: "Microsoft 365 E3", ServiceType: domain.ServiceLicence, Channel: domain.ChannelOtherCSP, Quantity: 25,
		Notes: "Trial (isTrial): it ends unless it is bought."}
	visio := domain.Subscription{Product: "VISIOCLIENT", ServiceType: domain.ServiceLicence, Quantity: 3}
	kept := domain.ImportBatch{CustomerID: cid, Filename: "fabrikam.json", Source: "graph_directory_subscriptions", Rows: []domain.BatchRow{
		{Line: 1, Subscription: e3, Guesses: []domain.ImportGuess{
			domain.GuessOf(e3, domain.GuessChannel, "Another CSP partner", "ownerTenantId is another partner's tenant"),
			domain.GuessOf(e3, "notes", "trial", "isTrial is true")}},
		{Line: 2, Subscription: visio, Guesses: []domain.ImportGuess{
			domain.GuessOf(visio, domain.GuessProduct, "VISIOCLIENT", "skuPartNumber VISIOCLIENT is not in the catalogue")}},
	}}
	id, err := s.CreateImportBatch(ctx, actor, kept)
	if err != nil {
		t.Fatal(err)
	}
	b, err := s.ImportBatch(ctx, actor, cid, id)
	if err != nil {
		t.Fatal(err)
	}
	if b.Source != kept.Source || len(b.Rows) != 2 || b.Rows[0].Line != 1 || b.Rows[1].Line != 2 ||
		!reflect.DeepEqual(b.Rows[0].Guesses, kept.Rows[0].Guesses) || !reflect.DeepEqual(b.Rows[1].Guesses, kept.Rows[1].Guesses) {
		t.Fatalf("the batch as kept: %+v", b)
	}
	if b.Rows[0].Guesses[0].Original != string(domain.ChannelOtherCSP) {
		t.Errorf("the channel guess keeps %q as its original; want %q", b.Rows[0].Guesses[0].Original, domain.ChannelOtherCSP)
	}

	// A refused correction keeps none, not even the good one beside it.
	bad := []domain.GuessCorrection{{GuessKey: domain.GuessKey{Row: 1, Field: domain.GuessChannel}, Value: string(domain.ChannelEA)},
		{GuessKey: domain.GuessKey{Row: 2, Field: domain.GuessProduct}, Value: " "}}
	var refused domain.CorrectionErrors
	if err := s.CorrectImportBatch(ctx, actor, cid, id, bad); !errors.As(err, &refused) || len(refused) != 1 {
		t.Fatalf("CorrectImportBatch with an empty product: %v; want one refusal", err)
	}
	if b, _ := s.ImportBatch(ctx, actor, cid, id); b.Rows[0].Subscription.Channel != domain.ChannelOtherCSP {
		t.Fatalf("a refused correction kept the channel %q", b.Rows[0].Subscription.Channel)
	}
	if _, err := s.ConfirmImport(ctx, actor, cid, id, bad); !errors.As(err, &refused) {
		t.Fatalf("ConfirmImport with an empty product: %v; want the refusal", err)
	}
	if sum := ctSummary(t, s, ctx, cid); sum.Total != 0 {
		t.Fatalf("a refused confirmation imported %d subscriptions", sum.Total)
	}

	channel := bad[:1]
	if err := s.CorrectImportBatch(ctx, actor, cid, id, channel); err != nil {
		t.Fatal(err)
	}
	if err := s.CorrectImportBatch(ctx, actor, cid, id, channel); err != nil {
		t.Fatalf("the same correction sent again: %v", err)
	}
	b, _ = s.ImportBatch(ctx, actor, cid, id)
	if b.Rows[0].Subscription.Channel != domain.ChannelEA || !b.Rows[0].Changed(b.Rows[0].Guesses[0]) || b.Rows[1].Changed(b.Rows[1].Guesses[0]) {
		t.Fatalf("after the correction: %+v", b.Rows)
	}

	product := []domain.GuessCorrection{{GuessKey: domain.GuessKey{Row: 2, Field: domain.GuessProduct}, Value: "Visio Plan 2"}}
	n, err := s.ConfirmImport(ctx, actor, cid, id, product)
	if err != nil || n != 2 {
		t.Fatalf("ConfirmImport = %d, %v; want 2", n, err)
	}
	all, _ := s.AllSubscriptions(ctx, cid)
	if len(all) != 2 || all[0].Channel != domain.ChannelEA || all[1].Product != "Visio Plan 2" {
		t.Fatalf("the inventory after the import: %+v", all)
	}
	imported := ctFindAudit(ctAudit(t, s), domain.AuditSubscriptionsImported)
	if len(imported) != 1 || !strings.Contains(imported[0].Detail, "2 of 2 guessed values changed") {
		t.Fatalf("subscriptions_imported audit = %+v", imported)
	}
	if _, err := s.ConfirmImport(ctx, actor, cid, id, product); !errors.Is(err, domain.ErrBatchImported) {
		t.Fatalf("a second confirmation: %v; want ErrBatchImported", err)
	}
	if err := s.CorrectImportBatch(ctx, actor, cid, id, channel); !errors.Is(err, domain.ErrBatchImported) {
		t.Fatalf("a correction after the import: %v; want ErrBatchImported", err)
	}
	if all, _ := s.AllSubscriptions(ctx, cid); len(all) != 2 {
		t.Fatalf("the inventory after a second confirmation has %d subscriptions; want 2", len(all))
	}

	// A batch kept before the guesses holds its rows as a JSON array.
	res, err := s.write.ExecContext(ctx, `INSERT INTO import_batches (customer_id, user_id, filename, rows_json, row_count, status, created_at)
		VALUES (?, ?, 'old.csv', '[{"product":"Visio Plan 2","service_type":"licence","channel":"ea","quantity":4,"reference":"","notes":""}]', 1, ?, ?)`,
		cid, actor.UserID, domain.BatchPreview, formatTime(s.now()))
	if err != nil {
		t.Fatal(err)
	}
	oldID, _ := res.LastInsertId()
	old, err := s.ImportBatch(ctx, actor, cid, oldID)
	if err != nil || old.Source != "" || len(old.Rows) != 1 || old.Rows[0].Subscription.Quantity != 4 || old.Rows[0].Guesses != nil {
		t.Fatalf("a batch kept as an array: %+v, %v", old, err)
	}
	if n, err := s.ConfirmImport(ctx, actor, cid, oldID, nil); err != nil || n != 1 {
		t.Fatalf("confirming a batch kept as an array: %d, %v", n, err)
	}
	details := map[string]string{}
	for _, e := range ctFindAudit(ctAudit(t, s), domain.AuditSubscriptionsImported) {
		details[e.Target] = e.Detail
	}
	if d := details["import:"+strconv.FormatInt(oldID, 10)+" old.csv"]; d != "1 subscriptions" {
		t.Errorf("the audit detail of a batch without guesses: %q; want only the count", d)
	}
}
