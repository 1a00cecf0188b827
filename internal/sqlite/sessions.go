package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/wingtip/multichannel/internal/domain"
)

// CreateSession stores a new session under the hash of its id.
func (s *Store) CreateSession(ctx context.Context, idHash []byte, sess domain.Session, clientIP, userAgent string) error {
	_, err := s.write.ExecContext(ctx,
		`INSERT INTO sessions (id_hash, user_id, created_at, last_seen_at, authenticated_at, client_ip, user_agent, flash)
		 VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		idHash, sess.UserID, formatTime(sess.CreatedAt), formatTime(sess.LastSeenAt), formatTime(sess.AuthenticatedAt),
		clientIP, truncate(userAgent, 300), sess.Flash)
	return err
}

// SessionByHash returns the session stored under idHash.
func (s *Store) SessionByHash(ctx context.Context, idHash []byte) (domain.Session, error) {
	var sess domain.Session
	var revoked nullTimeColumn
	err := s.read.QueryRowContext(ctx,
		`SELECT user_id, created_at, last_seen_at, authenticated_at, revoked_at, flash FROM sessions WHERE id_hash = ?`, idHash).
		Scan(&sess.UserID, timeColumn{&sess.CreatedAt}, timeColumn{&sess.LastSeenAt}, timeColumn{&sess.AuthenticatedAt}, &revoked, &sess.Flash)
	if errors.Is(err, sql.ErrNoRows) {
		return sess, domain.ErrNotFound
	}
	sess.RevokedAt = revoked.t
	return sess, err
}

// TouchSession records that the session was used at time at.
func (s *Store) TouchSession(ctx context.Context, idHash []byte, at time.Time) error {
	_, err := s.write.ExecContext(ctx,
		`UPDATE sessions SET last_seen_at = ? WHERE id_hash = ? AND revoked_at IS NULL`, formatTime(at), idHash)
	return err
}

// RevokeSession ends one session; ending an ended session is not an error.
func (s *Store) RevokeSession(ctx context.Context, idHash []byte) error {
	_, err := s.write.ExecContext(ctx,
		`UPDATE sessions SET revoked_at = ? WHERE id_hash = ? AND revoked_at IS NULL`, formatTime(s.now()), idHash)
	return err
}

// SetFlash stores a one-time message for the next page the session shows.
func (s *Store) SetFlash(ctx context.Context, idHash []byte, message string) error {
	_, err := s.write.ExecContext(ctx, `UPDATE sessions SET flash = ? WHERE id_hash = ?`, truncate(message, 500), idHash)
	return err
}

// TakeFlash returns the session's one-time message and clears it, atomically.
func (s *Store) TakeFlash(ctx context.Context, idHash []byte) (string, error) {
	var msg string
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `SELECT flash FROM sessions WHERE id_hash = ?`, idHash).Scan(&msg)
		if errors.Is(err, sql.ErrNoRows) || (err == nil && msg == "") {
			return nil
		}
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE sessions SET flash = '' WHERE id_hash = ?`, idHash)
		return err
	})
	return msg, err
}

// nullTimeColumn scans a stored time that may be NULL.
type nullTimeColumn struct{ t *time.Time }

func (c *nullTimeColumn) Scan(v any) error {
	if v == nil {
		c.t = nil
		return nil
	}
	var t time.Time
	if err := (timeColumn{&t}).Scan(v); err != nil {
		return err
	}
	c.t = &t
	return nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}
