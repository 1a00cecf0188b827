package sqlite

import (
	"context"
	"database/sql"
	"time"

	"github.com/wingtip/multichannel/internal/domain"
)

// versioned names a table whose rows people edit in forms, and the column
// that keys a row: each has version, changed_by and changed_at columns
// (migration 00007).
type versioned struct{ table, key string }

var (
	customersVersioned     = versioned{"customers", "id"}
	subscriptionsVersioned = versioned{"subscriptions", "id"}
	partnerVersioned       = versioned{"partner", "id"}
	outboxVersioned        = versioned{"outbox", "id"}
	checklistVersioned     = versioned{"azure_migrations", "subscription_id"}
)

// checkVersion lets a save made from a form filled at version sent go on
// when the row, as the transaction reads it (current, at version stored),
// has not been saved since; otherwise it refuses with a domain.Stale that
// carries current and who saved its version when.
func checkVersion[T any](ctx context.Context, tx *sql.Tx, v versioned, key int64, current T, stored, sent domain.Version) error {
	if domain.CheckVersion(stored, sent) {
		return nil
	}
	stale := &domain.Stale[T]{Current: current, Version: stored}
	err := tx.QueryRowContext(ctx, `SELECT r.changed_at, COALESCE(u.name, '') FROM `+v.table+` r
		LEFT JOIN users u ON u.id = r.changed_by WHERE r.`+v.key+` = ?`, key).Scan(timeColumn{&stale.ChangedAt}, &stale.ChangedBy)
	if err != nil {
		return err
	}
	return stale
}

// nextVersion is what a versioned save puts in its UPDATE's SET clause;
// savedBy gives the arguments it binds. The UPDATE's WHERE repeats the
// version read (AND version = ?) as the guard.
const nextVersion = `version = version + 1, changed_by = ?, changed_at = ?`

// savedBy is who saved a version and when, as nextVersion binds them.
func savedBy(actor domain.Actor, now time.Time) []any {
	return []any{nullID(actor.UserID), formatTime(now)}
}
