package sqlite

import (
	"context"
	"database/sql"
	"time"

	"github.com/wingtip/multichannel/internal/domain"
)

// AppendAudit writes one audit entry, stamped with the store's current time.
// Entries are only ever appended: the store has no way to edit or delete one.
func (s *Store) AppendAudit(ctx context.Context, e domain.AuditEntry) error {
	return appendAudit(ctx, s.write, s.now(), e)
}

// execer is what a write needs: the writer pool or a transaction.
type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// appendAudit writes an entry through db, so that a change and its audit
// entry commit together when db is the change's transaction.
func appendAudit(ctx context.Context, db execer, at time.Time, e domain.AuditEntry) error {
	_, err := db.ExecContext(ctx,
		`INSERT INTO audit_log (at, actor_id, customer_id, action, target, client_ip, detail) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		formatTime(at), nullID(e.ActorID), nullID(e.CustomerID), e.Action, truncate(e.Target, 300), e.ClientIP, truncate(e.Detail, 1000))
	return err
}

// nullID stores 0 as NULL, for optional references.
func nullID(id int64) sql.NullInt64 { return sql.NullInt64{Int64: id, Valid: id != 0} }

// RecentAudit returns the newest entries first, one page at a time.
func (s *Store) RecentAudit(ctx context.Context, page domain.Page) ([]domain.AuditEntry, error) {
	return queryAll(ctx, s.read, func(row scanner) (domain.AuditEntry, error) {
		var e domain.AuditEntry
		err := row.Scan(&e.ID, timeColumn{&e.At}, &e.ActorID, &e.ActorName, &e.CustomerID, &e.Action, &e.Target, &e.ClientIP, &e.Detail)
		return e, err
	}, `SELECT a.id, a.at, COALESCE(a.actor_id, 0), COALESCE(u.name, ''), COALESCE(a.customer_id, 0), a.action, a.target, a.client_ip, a.detail
		 FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id
		 ORDER BY a.at DESC, a.id DESC LIMIT ? OFFSET ?`, page.Size, page.Offset())
}
