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

const userColumns = `id, email, name, role, active, password_hash, created_at, totp_secret IS NOT NULL`

func scanUser(row scanner) (domain.User, error) {
	var u domain.User
	err := row.Scan(&u.ID, &u.Email, &u.Name, &u.Role, &u.Active, &u.PasswordHash, timeColumn{&u.CreatedAt}, &u.TwoFactor)
	if errors.Is(err, sql.ErrNoRows) {
		return u, domain.ErrNotFound
	}
	return u, err
}

// CreateUser stores a new user with an already hashed password and returns
// its id. The e-mail address must be normalised (see domain.NormalizeEmail).
func (s *Store) CreateUser(ctx context.Context, u domain.User) (int64, error) {
	id, err := insertUser(ctx, s.write, s.now(), u)
	if err != nil && strings.Contains(err.Error(), "UNIQUE constraint failed: users.email") {
		return 0, domain.ErrEmailTaken
	}
	return id, err
}

func insertUser(ctx context.Context, db execer, now time.Time, u domain.User) (int64, error) {
	res, err := db.ExecContext(ctx,
		`INSERT INTO users (email, name, role, active, password_hash, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		u.Email, u.Name, u.Role, u.Active, u.PasswordHash, formatTime(now), formatTime(now))
	if err != nil {
		return 0, fmt.Errorf("create user: %w", err)
	}
	return res.LastInsertId()
}

// UserByEmail finds a user by normalised e-mail address.
func (s *Store) UserByEmail(ctx context.Context, email string) (domain.User, error) {
	return scanUser(s.read.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE email = ?`, email))
}

// UserByID finds a user by id.
func (s *Store) UserByID(ctx context.Context, id int64) (domain.User, error) {
	return scanUser(s.read.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE id = ?`, id))
}

// ListUsers returns one page of users ordered by name, and the total count.
func (s *Store) ListUsers(ctx context.Context, page domain.Page) ([]domain.User, int, error) {
	return queryPage(ctx, s.read, scanUser, `SELECT COUNT(*) FROM users`,
		`SELECT `+userColumns+` FROM users ORDER BY name, id LIMIT ? OFFSET ?`, nil, page)
}

// ActiveGlobalAdmins counts the active Global admins.
func (s *Store) ActiveGlobalAdmins(ctx context.Context) (int, error) {
	var n int
	err := s.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM users WHERE role = ? AND active = 1`, domain.RoleGlobalAdmin).Scan(&n)
	return n, err
}

// SetUserActive enables or disables a user, as domain.CheckActiveChange
// allows. Disabling also ends the user's sessions in the same transaction,
// so it takes effect at once.
func (s *Store) SetUserActive(ctx context.Context, actor domain.Actor, id int64, active bool) error {
	action := domain.AuditUserReactivated
	if !active {
		action = domain.AuditUserDeactivated
	}
	return s.updateUser(ctx, actor, id, userChange{set: `active = ?`, value: active, endSessions: !active, action: action,
		check: func(u domain.User, others int) error { return domain.CheckActiveChange(u, active, others) }})
}

// SetUserRole changes a user's role, as domain.CheckRoleChange allows, and
// ends the user's sessions, so that the new role applies from the next
// request.
func (s *Store) SetUserRole(ctx context.Context, actor domain.Actor, id int64, role domain.Role) error {
	return s.updateUser(ctx, actor, id, userChange{set: `role = ?`, value: role, endSessions: true, action: domain.AuditUserRoleChanged,
		detail: role.Label(), check: func(u domain.User, others int) error { return domain.CheckRoleChange(u, role, others) }})
}

// userChange is one change of a partner user: the column it sets, the
// domain's check of it, and what it writes besides.
type userChange struct {
	set         string // "column = ?"
	value       any
	check       func(u domain.User, otherActiveGlobalAdmins int) error
	endSessions bool
	action      domain.AuditAction
	detail      string
}

// updateUser reads the user and the number of other active Global admins
// in one transaction, lets ch.check decide, then makes the change as a
// conditional update on the role and activity it read, revokes the user's
// sessions when ch says so, and writes the audit entry.
func (s *Store) updateUser(ctx context.Context, actor domain.Actor, id int64, ch userChange) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		now := formatTime(s.now())
		u, err := scanUser(tx.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE id = ?`, id))
		if err != nil {
			return err
		}
		var others int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM users WHERE role = ? AND active = 1 AND id <> ?`, domain.RoleGlobalAdmin, id).
			Scan(&others); err != nil {
			return err
		}
		if err := ch.check(u, others); err != nil {
			return err
		}
		if err := updateOne(ctx, tx, domain.ErrConflict, `UPDATE users SET `+ch.set+`, updated_at = ? WHERE id = ? AND role = ? AND active = ?`,
			ch.value, now, id, u.Role, u.Active); err != nil {
			return err
		}
		if ch.endSessions {
			if err := endUserSessions(ctx, tx, now, id); err != nil {
				return err
			}
		}
		return appendAudit(ctx, tx, s.now(), domain.AuditEntry{ActorID: actor.UserID, ClientIP: actor.ClientIP, Action: ch.action,
			Target: fmt.Sprintf("user:%d", id), Detail: ch.detail})
	})
}

// InviteUser creates a user without a password and the link for them to
// set one, in one transaction.
func (s *Store) InviteUser(ctx context.Context, actor domain.Actor, u domain.User, link domain.PasswordLink) (int64, error) {
	var id int64
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		if id, err = insertUser(ctx, tx, s.now(), u); err != nil {
			if strings.Contains(err.Error(), "UNIQUE constraint failed: users.email") {
				return domain.ErrEmailTaken
			}
			return err
		}
		link.UserID = id
		if err := insertPasswordLink(ctx, tx, s.now(), actor, link); err != nil {
			return err
		}
		return appendAudit(ctx, tx, s.now(), domain.AuditEntry{ActorID: actor.UserID, ClientIP: actor.ClientIP, Action: domain.AuditUserInvited,
			Target: fmt.Sprintf("user:%d %s", id, u.Email), Detail: u.Role.Label()})
	})
	return id, err
}

// ResetPassword gives a user a new link to set a password; earlier unused
// links stop working.
func (s *Store) ResetPassword(ctx context.Context, actor domain.Actor, link domain.PasswordLink) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := scanUser(tx.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE id = ?`, link.UserID)); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE password_tokens SET used_at = ? WHERE user_id = ? AND used_at IS NULL`,
			formatTime(s.now()), link.UserID); err != nil {
			return err
		}
		if err := insertPasswordLink(ctx, tx, s.now(), actor, link); err != nil {
			return err
		}
		return appendAudit(ctx, tx, s.now(), domain.AuditEntry{ActorID: actor.UserID, ClientIP: actor.ClientIP, Action: domain.AuditPasswordResetSent,
			Target: fmt.Sprintf("user:%d", link.UserID)})
	})
}

func insertPasswordLink(ctx context.Context, tx *sql.Tx, now time.Time, actor domain.Actor, link domain.PasswordLink) error {
	if _, err := tx.ExecContext(ctx, `INSERT INTO password_tokens (user_id, token_hash, purpose, created_by, created_at, expires_at)
		VALUES (?, ?, ?, ?, ?, ?)`, link.UserID, link.TokenHash, link.Purpose, nullID(actor.UserID), formatTime(now), formatTime(link.ExpiresAt)); err != nil {
		return err
	}
	status := domain.MessageDraft
	if link.Queue {
		status = domain.MessageQueued
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO outbox (to_addr, subject, body, status, next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
		link.Message.To, link.Message.Subject, link.Message.Body, status, formatTime(now), formatTime(now))
	return err
}

// PasswordLinkUser returns the user a usable (unused, unexpired) link is
// for; any other link is domain.ErrNotFound.
func (s *Store) PasswordLinkUser(ctx context.Context, tokenHash []byte, now time.Time) (domain.User, error) {
	return scanUser(s.read.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE id = (SELECT user_id FROM password_tokens
		WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?)`, tokenHash, formatTime(now)))
}

// UsePasswordLink sets the password of the link's user and uses the link up,
// in one conditional update: of two simultaneous uses one wins. The user's
// other sessions end, and the message that carried the link loses it.
func (s *Store) UsePasswordLink(ctx context.Context, tokenHash []byte, passwordHash string, now time.Time, clientIP string) (domain.User, error) {
	var userID int64
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `UPDATE password_tokens SET used_at = ? WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?
			RETURNING user_id`, formatTime(now), tokenHash, formatTime(now)).Scan(&userID)
		if errors.Is(err, sql.ErrNoRows) {
			return domain.ErrNotFound
		}
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?`, passwordHash, formatTime(now), userID); err != nil {
			return err
		}
		if err := endUserSessions(ctx, tx, formatTime(now), userID); err != nil {
			return err
		}
		// The message that carried the link is no longer needed, nor is its token.
		if err := cancelMessagesWhere(ctx, tx, domain.PasswordMessageEnded, `to_addr = (SELECT email FROM users WHERE id = ?) AND relationship_id IS NULL`,
			userID); err != nil {
			return err
		}
		return appendAudit(ctx, tx, now, domain.AuditEntry{ActorID: userID, ClientIP: clientIP, Action: domain.AuditPasswordSet, Target: fmt.Sprintf("user:%d", userID)})
	})
	if err != nil {
		return domain.User{}, err
	}
	return s.UserByID(ctx, userID)
}
