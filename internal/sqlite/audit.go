package sqlite

import (
	"context"
	"database/sql"

	"github.com/wingtip/multichannel/internal/domain"
)

// AppendAudit writes one audit entry, stamped with the store's current time.
// Entries are only ever appended: the store has no way to edit or delete one.
func (s *Store) AppendAudit(ctx context.Context, e domain.AuditEntry) error {
	var actor sql.NullInt64
	if e.ActorID != 0 {
		actor = sql.NullInt64{Int64: e.ActorID, Valid: true}
	}
	_, err := s.write.ExecContext(ctx,
		`INSERT INTO audit_log (at, actor_id, action, target, client_ip, detail) VALUES (?, ?, ?, ?, ?, ?)`,
		formatTime(s.now()), actor, e.Action, truncate(e.Target, 300), e.ClientIP, truncate(e.Detail, 1000))
	return err
}

// RecentAudit returns the newest entries first, one page at a time.
func (s *Store) RecentAudit(ctx context.Context, page domain.Page) ([]domain.AuditEntry, error) {
	rows, err := s.read.QueryContext(ctx,
		`SELECT a.id, a.at, COALESCE(a.actor_id, 0), COALESCE(u.name, ''), a.action, a.target, a.client_ip, a.detail
		 FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id
		 ORDER BY a.at DESC, a.id DESC LIMIT ? OFFSET ?`, page.Size, page.Offset())
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var entries []domain.AuditEntry
	for rows.Next() {
		var e domain.AuditEntry
		if err := rows.Scan(&e.ID, timeColumn{&e.At}, &e.ActorID, &e.ActorName, &e.Action, &e.Target, &e.ClientIP, &e.Detail); err != nil {
			return nil, err
		}
		entries = append(entries, e)
	}
	return entries, rows.Err()
}
