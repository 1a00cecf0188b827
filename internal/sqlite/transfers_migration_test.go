package sqlite

import (
	"context"
	"database/sql"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pressly/goose/v3"

	"github.com/wingtip/multichannel/internal/domain"
)

// databaseAt creates a database file migrated up to version, for a test
// of the migrations after it to fill, and returns its path and a plain
// connection to it (without the store's settings).
func databaseAt(t *testing.T, version int64) (string, *sql.DB) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "old.db")
	db, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	provider, err := goose.NewProvider(goose.DialectSQLite3, db, migrationFiles)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := provider.UpTo(context.Background(), version); err != nil {
		t.Fatal(err)
	}
	return path, db
}

// TestMigrationRebuildsTransfersKeepingThem holds migration 00016: the
// transfers made at 00015, with their subscriptions, survive the rebuild
// of the table, which foreign keys (on, as Open sets them) still guard and
// whose state now accepts rejected.
func TestMigrationRebuildsTransfersKeepingThem(t *testing.T) {
	ctx := context.Background()
	path, db := databaseAt(t, 15)
	const at = "2026-04-01T00:00:00.000000000Z"
	for _, q := range []string{
		`INSERT INTO users (id, email, name, role, password_hash, created_at, updated_at) VALUES (1, 'a@w.example', 'Avery', 'global_admin', 'x', '` + at + `', '` + at + `')`,
		`INSERT INTO customers (id, name, name_key, domain, country, admin_name, admin_email, created_at, updated_at)
			VALUES (1, 'Coho Winery', 'coho winery', 'cohowinery.onmicrosoft.com', 'NZ', 'Lynne', 'lynne@coho.example', '` + at + `', '` + at + `')`,
		`INSERT INTO subscriptions (id, customer_id, product, service_type, channel, reference, created_at, updated_at)
			VALUES (1, 1, 'Azure plan', 'usage', 'other_csp', 'Trey Research CSP', '` + at + `', '` + at + `'),
			(2, 1, 'Azure subscription', 'usage', 'other_csp', 'Trey Research CSP', '` + at + `', '` + at + `')`,
		// One without a tenant id, as the app allowed then.
		`INSERT INTO transfers (id, customer_id, status, other_partner_name, other_partner_tenant, contact_email, product_types, line_items,
			reseller_partner_id, created_by, created_at, expires_at, accepted_on, completed_on, updated_at)
			VALUES (1, 1, 'complete', 'Trey Research CSP', '', 'lynne@coho.example', 'azure_subscription,azure_reservation', 'Plan 1', '1234567',
				1, '` + at + `', '2026-05-01T00:00:00.000000000Z', '2026-04-03', '2026-04-10', '` + at + `'),
			(2, 1, 'pending', 'Trey Research CSP', '72f988bf-86f1-41af-91ab-2d7cd011db47', 'lynne@coho.example', 'azure_subscription', '', '',
				1, '` + at + `', '2099-05-01T00:00:00.000000000Z', NULL, NULL, '` + at + `')`,
		`INSERT INTO transfer_subscriptions (transfer_id, subscription_id) VALUES (1, 1), (2, 2)`,
	} {
		if _, err := db.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()

	s, err := Open(ctx, path, func() time.Time { return time.Date(2026, 4, 20, 0, 0, 0, 0, time.UTC) })
	if err != nil {
		t.Fatalf("migrating a database with transfers: %v", err)
	}
	defer s.Close()
	old, err := s.Transfer(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	if old.Status != domain.TransferComplete || old.OtherPartnerTenant != "" || old.MicrosoftTransferID != "" || old.LineItems != "Plan 1" ||
		old.ResellerPartnerID != "1234567" || old.CompletedOn == nil || old.CompletedOn.Format(domain.DateLayout) != "2026-04-10" ||
		!slices.Equal(old.SubscriptionIDs, []int64{1}) || old.CreatedByName != "Avery" ||
		!slices.Equal(old.Products, []domain.TransferProduct{domain.ProductAzureSubscription, domain.ProductAzureReservation}) {
		t.Errorf("the complete transfer after the migration: %+v", old)
	}
	// The pending one can now be rejected: the state's CHECK accepts it.
	if err := s.RejectTransfer(ctx, domain.Actor{UserID: 1}, 2, "Unpaid invoices."); err != nil {
		t.Fatalf("rejecting a transfer made before the migration: %v", err)
	}
	if tr, _ := s.Transfer(ctx, 2); tr.Status != domain.TransferRejected || !slices.Equal(tr.SubscriptionIDs, []int64{2}) {
		t.Errorf("the rejected transfer: %+v", tr)
	}
	// transfer_subscriptions references the rebuilt table by its name, and
	// the foreign key still refuses a transfer that does not exist.
	var schema string
	if err := s.read.QueryRowContext(ctx, `SELECT sql FROM sqlite_master WHERE name = 'transfer_subscriptions'`).Scan(&schema); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(schema, `REFERENCES "transfers"`) && !strings.Contains(schema, "REFERENCES transfers ") {
		t.Errorf("transfer_subscriptions after the migration: %s", schema)
	}
	if _, err := s.write.ExecContext(ctx, `INSERT INTO transfer_subscriptions (transfer_id, subscription_id) VALUES (99, 1)`); err == nil ||
		!strings.Contains(err.Error(), "FOREIGN KEY") {
		t.Errorf("a subscription joined to no transfer: %v", err)
	}
	for _, index := range []string{"transfers_customer", "transfers_status", "transfer_subscriptions_subscription"} {
		var n int
		if err := s.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name = ?`, index).Scan(&n); err != nil || n != 1 {
			t.Errorf("index %s after the migration: %d, %v", index, n, err)
		}
	}
	rows, err := s.read.QueryContext(ctx, `PRAGMA foreign_key_check`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	if rows.Next() {
		t.Error("foreign_key_check finds rows after the migration")
	}
}
