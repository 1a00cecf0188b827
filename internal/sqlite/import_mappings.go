package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/wingtip/multichannel/internal/domain"
)

// CreatePendingUpload keeps an uploaded file for its mapping step, for the
// customer and the user who sent it. Uploads nobody mapped within a day are
// dropped, as unconfirmed import batches are.
func (s *Store) CreatePendingUpload(ctx context.Context, actor domain.Actor, customerID int64, filename string, data []byte) (int64, error) {
	if _, err := s.write.ExecContext(ctx, `DELETE FROM pending_uploads WHERE created_at < ?`,
		formatTime(s.now().Add(-24*time.Hour))); err != nil {
		return 0, err
	}
	res, err := s.write.ExecContext(ctx,
		`INSERT INTO pending_uploads (customer_id, user_id, filename, content, created_at) VALUES (?, ?, ?, ?, ?)`,
		customerID, actor.UserID, truncate(filename, 200), data, formatTime(s.now()))
	if err != nil {
		return 0, err
	}
	return res.LastInsertId()
}

// PendingUpload returns an upload kept for its mapping step: only to the
// user who sent it, through its customer; anything else, or an upload
// already used, is domain.ErrNotFound.
func (s *Store) PendingUpload(ctx context.Context, actor domain.Actor, customerID, id int64) (domain.PendingUpload, error) {
	u := domain.PendingUpload{ID: id, CustomerID: customerID}
	err := s.read.QueryRowContext(ctx,
		`SELECT filename, content, created_at FROM pending_uploads WHERE id = ? AND customer_id = ? AND user_id = ?`,
		id, customerID, actor.UserID).Scan(&u.Filename, &u.Data, timeColumn{&u.CreatedAt})
	if errors.Is(err, sql.ErrNoRows) {
		return u, domain.ErrNotFound
	}
	return u, err
}

// UsePendingUpload drops a kept upload once its mapping is confirmed and
// remembers the mapping for its header set, in one transaction: an upload
// serves one confirmation, and a second one is domain.ErrNotFound.
func (s *Store) UsePendingUpload(ctx context.Context, actor domain.Actor, customerID, id int64, m domain.ImportMapping) error {
	data, err := json.Marshal(m)
	if err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		now := s.now()
		if err := updateOne(ctx, tx, domain.ErrNotFound, `DELETE FROM pending_uploads WHERE id = ? AND customer_id = ? AND user_id = ?`,
			id, customerID, actor.UserID); err != nil {
			return err
		}
		return rememberMapping(ctx, tx, actor, now, customerID, fmt.Sprintf("upload:%d", id), m, data)
	})
}

// rememberMapping keeps m, marshalled as data, as the mapping of its header
// set, and audits it against the upload named target (and its customer,
// when the upload has one).
func rememberMapping(ctx context.Context, tx *sql.Tx, actor domain.Actor, now time.Time, customerID int64, target string,
	m domain.ImportMapping, data []byte) error {
	if _, err := tx.ExecContext(ctx, `INSERT INTO import_mappings (header_key, mapping_json, saved_by, saved_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (header_key) DO UPDATE SET mapping_json = excluded.mapping_json, saved_by = excluded.saved_by, saved_at = excluded.saved_at`,
		m.Key, string(data), actor.UserID, formatTime(now)); err != nil {
		return err
	}
	return appendAudit(ctx, tx, now, domain.AuditEntry{ActorID: actor.UserID, CustomerID: customerID, ClientIP: actor.ClientIP,
		Action: domain.AuditImportMappingSaved, Target: target, Detail: truncate(m.Key, 500)})
}

// ImportMapping returns the mapping remembered for a header set, or
// domain.ErrNotFound.
func (s *Store) ImportMapping(ctx context.Context, key string) (domain.ImportMapping, error) {
	var data string
	var m domain.ImportMapping
	err := s.read.QueryRowContext(ctx, `SELECT mapping_json, saved_at FROM import_mappings WHERE header_key = ?`, key).
		Scan(&data, timeColumn{&m.SavedAt})
	if errors.Is(err, sql.ErrNoRows) {
		return m, domain.ErrNotFound
	}
	if err != nil {
		return m, err
	}
	if err := json.Unmarshal([]byte(data), &m); err != nil {
		return m, fmt.Errorf("import mapping: %w", err)
	}
	m.Key = key
	return m, nil
}
