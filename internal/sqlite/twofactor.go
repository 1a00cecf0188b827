package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/wingtip/multichannel/internal/domain"
)

// TwoFactorSecrets returns the sealed secrets of a user.
func (s *Store) TwoFactorSecrets(ctx context.Context, userID int64) (domain.TwoFactorSecrets, error) {
	var t domain.TwoFactorSecrets
	err := s.read.QueryRowContext(ctx, `SELECT totp_secret, totp_pending_secret, totp_last_step FROM users WHERE id = ?`, userID).
		Scan(&t.Active, &t.Pending, &t.LastStep)
	if errors.Is(err, sql.ErrNoRows) {
		return t, domain.ErrNotFound
	}
	return t, err
}

// StartTwoFactor stores a sealed secret waiting for its first code. It
// replaces any earlier set-up not confirmed, and leaves a secret in use as
// it is until the new one is confirmed.
func (s *Store) StartTwoFactor(ctx context.Context, userID int64, sealed []byte) error {
	_, err := s.write.ExecContext(ctx, `UPDATE users SET totp_pending_secret = ? WHERE id = ?`, sealed, userID)
	return err
}

// EnableTwoFactor makes the pending secret the one in use, with step the
// time step of the code that confirmed it, and replaces the recovery codes
// with those of hashes. It fails with a ConflictError when the pending
// secret changed since it was read (another tab started over).
func (s *Store) EnableTwoFactor(ctx context.Context, actor domain.Actor, pending []byte, step int64, hashes [][]byte) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if err := updateOne(ctx, tx, domain.ErrTwoFactorRestarted, `UPDATE users SET totp_secret = totp_pending_secret, totp_pending_secret = NULL,
			totp_last_step = ?, updated_at = ? WHERE id = ? AND totp_pending_secret = ?`, step, formatTime(s.now()), actor.UserID, pending); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM recovery_codes WHERE user_id = ?`, actor.UserID); err != nil {
			return err
		}
		for _, h := range hashes {
			if _, err := tx.ExecContext(ctx, `INSERT INTO recovery_codes (user_id, code_hash) VALUES (?, ?)`, actor.UserID, h); err != nil {
				return err
			}
		}
		return appendAudit(ctx, tx, s.now(), domain.AuditEntry{ActorID: actor.UserID, ClientIP: actor.ClientIP,
			Action: domain.AuditTwoFactorEnabled, Target: fmt.Sprintf("user:%d", actor.UserID)})
	})
}

// ResetTwoFactor removes a user's TOTP secrets and recovery codes and ends
// the user's sessions, in one transaction with its audit entry. The last
// step used is kept: it only ever moves forward. A user without two-factor
// sign-in is domain.ErrNotFound.
func (s *Store) ResetTwoFactor(ctx context.Context, actor domain.Actor, id int64) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		now := formatTime(s.now())
		if err := updateOne(ctx, tx, domain.ErrNotFound, `UPDATE users SET totp_secret = NULL, totp_pending_secret = NULL, updated_at = ?
			WHERE id = ? AND totp_secret IS NOT NULL`, now, id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM recovery_codes WHERE user_id = ?`, id); err != nil {
			return err
		}
		if err := endUserSessions(ctx, tx, now, id); err != nil {
			return err
		}
		return appendAudit(ctx, tx, s.now(), domain.AuditEntry{ActorID: actor.UserID, ClientIP: actor.ClientIP,
			Action: domain.AuditTwoFactorReset, Target: fmt.Sprintf("user:%d", id)})
	})
}

// AdvanceTwoFactorStep records step as the last one used if it is later
// than the one stored, in one statement, and says whether it was: of two
// sign-ins racing with the same code, exactly one sees true.
func (s *Store) AdvanceTwoFactorStep(ctx context.Context, userID, step int64) (bool, error) {
	res, err := s.write.ExecContext(ctx, `UPDATE users SET totp_last_step = ? WHERE id = ? AND totp_last_step < ?`, step, userID, step)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// UseRecoveryCode marks the user's unused recovery code with hash as used
// and says whether there was one.
func (s *Store) UseRecoveryCode(ctx context.Context, userID int64, hash []byte) (bool, error) {
	res, err := s.write.ExecContext(ctx, `UPDATE recovery_codes SET used_at = ? WHERE user_id = ? AND code_hash = ? AND used_at IS NULL`,
		formatTime(s.now()), userID, hash)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// RecoveryCodesLeft counts the user's unused recovery codes.
func (s *Store) RecoveryCodesLeft(ctx context.Context, userID int64) (int, error) {
	var n int
	err := s.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM recovery_codes WHERE user_id = ? AND used_at IS NULL`, userID).Scan(&n)
	return n, err
}

// CompleteSecondFactor marks the session of idHash as signed in.
func (s *Store) CompleteSecondFactor(ctx context.Context, idHash []byte) error {
	_, err := s.write.ExecContext(ctx, `UPDATE sessions SET second_factor_pending = 0 WHERE id_hash = ? AND revoked_at IS NULL`, idHash)
	return err
}
