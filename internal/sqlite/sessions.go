package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/wingtip/multichannel/internal/domain"
)

// CreateSession stores a new session under the hash of its id.
func (s *Store) CreateSession(ctx context.Context, idHash []byte, sess domain.Session, clientIP, userAgent string) error {
	_, err := s.write.ExecContext(ctx,
		`INSERT INTO sessions (id_hash, user_id, created_at, last_seen_at, authenticated_at, client_ip, user_agent, flash, second_factor_pending)
		 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		idHash, sess.UserID, formatTime(sess.CreatedAt), formatTime(sess.LastSeenAt), formatTime(sess.AuthenticatedAt),
		clientIP, truncate(userAgent, 300), sess.Flash, sess.SecondFactorPending)
	return err
}

// SessionByHash returns the session whose id hashes to idHash, or
// domain.ErrNotFound.
func (s *Store) SessionByHash(ctx context.Context, idHash []byte) (domain.Session, error) {
	sess, _, err := s.SessionWithUser(ctx, idHash)
	return sess, err
}

// sessionUserColumns are userColumns read from the alias u beside a
// session.
var sessionUserColumns = "u." + strings.ReplaceAll(userColumns, ", ", ", u.")

// SessionWithUser returns the session whose id hashes to idHash with its
// user, in one indexed read (every signed-in request makes it), or
// domain.ErrNotFound when there is no such session or user.
func (s *Store) SessionWithUser(ctx context.Context, idHash []byte) (domain.Session, domain.User, error) {
	var sess domain.Session
	var revoked nullTimeColumn
	row := s.read.QueryRowContext(ctx, `SELECT s.user_id, s.created_at, s.last_seen_at, s.authenticated_at, s.revoked_at, s.flash,
		s.second_factor_pending, `+sessionUserColumns+` FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id_hash = ?`, idHash)
	user, err := scanUser(rowFunc(func(userDest ...any) error {
		return row.Scan(append([]any{&sess.UserID, timeColumn{&sess.CreatedAt}, timeColumn{&sess.LastSeenAt}, timeColumn{&sess.AuthenticatedAt},
			&revoked, &sess.Flash, &sess.SecondFactorPending}, userDest...)...)
	}))
	sess.RevokedAt = revoked.t
	return sess, user, err
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

// UserSessions returns a user's sessions that are not revoked, newest
// first, with a number to end each by; expired ones are the caller's to
// leave out.
func (s *Store) UserSessions(ctx context.Context, userID int64) ([]domain.SessionInfo, error) {
	return queryAll(ctx, s.read, func(row scanner) (domain.SessionInfo, error) {
		var si domain.SessionInfo
		err := row.Scan(&si.Number, &si.IDHash, timeColumn{&si.CreatedAt}, timeColumn{&si.LastSeenAt}, &si.ClientIP, &si.UserAgent)
		return si, err
	}, `SELECT rowid, id_hash, created_at, last_seen_at, client_ip, user_agent FROM sessions
		WHERE user_id = ? AND revoked_at IS NULL ORDER BY created_at DESC LIMIT 100`, userID)
}

// EndUserSession revokes one of a user's sessions by its number.
func (s *Store) EndUserSession(ctx context.Context, userID, number int64) error {
	return updateOne(ctx, s.write, domain.ErrNotFound, `UPDATE sessions SET revoked_at = ? WHERE rowid = ? AND user_id = ? AND revoked_at IS NULL`,
		formatTime(s.now()), number, userID)
}

// endUserSessions revokes every open session of a user at now (stored
// form), inside the transaction of the change that requires it.
func endUserSessions(ctx context.Context, tx *sql.Tx, now string, userID int64) error {
	_, err := tx.ExecContext(ctx, `UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL`, now, userID)
	return err
}

// ChangePassword replaces a user's password hash and ends every other
// session of the user, keeping the one whose hash is keep.
func (s *Store) ChangePassword(ctx context.Context, actor domain.Actor, hash string, keep []byte) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		now := formatTime(s.now())
		if _, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?`, hash, now, actor.UserID); err != nil {
			return err
		}
		if _, err := endOtherSessions(ctx, tx, now, actor.UserID, keep); err != nil {
			return err
		}
		return appendAudit(ctx, tx, s.now(), domain.AuditEntry{ActorID: actor.UserID, ClientIP: actor.ClientIP, Action: domain.AuditPasswordChanged,
			Target: fmt.Sprintf("user:%d", actor.UserID)})
	})
}

// endOtherSessions revokes every open session of a user at now (stored
// form) but the one whose hash is keep, and says how many it ended.
func endOtherSessions(ctx context.Context, tx *sql.Tx, now string, userID int64, keep []byte) (int64, error) {
	res, err := tx.ExecContext(ctx, `UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL AND id_hash <> ?`,
		now, userID, keep)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// EndOtherSessions ends every session of the actor but the one whose hash
// is keep, with an audit entry that counts them, and says how many ended.
func (s *Store) EndOtherSessions(ctx context.Context, actor domain.Actor, keep []byte) (int, error) {
	var n int64
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		if n, err = endOtherSessions(ctx, tx, formatTime(s.now()), actor.UserID, keep); err != nil || n == 0 {
			return err
		}
		return appendAudit(ctx, tx, s.now(), domain.AuditEntry{ActorID: actor.UserID, ClientIP: actor.ClientIP, Action: domain.AuditSessionEnded,
			Target: fmt.Sprintf("user:%d", actor.UserID), Detail: fmt.Sprintf("%d other sessions ended", n)})
	})
	return int(n), err
}
