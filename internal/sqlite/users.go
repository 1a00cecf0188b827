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

const userColumns = `id, email, name, role, active, password_hash, created_at`

func scanUser(row interface{ Scan(...any) error }) (domain.User, error) {
	var u domain.User
	err := row.Scan(&u.ID, &u.Email, &u.Name, &u.Role, &u.Active, &u.PasswordHash, timeColumn{&u.CreatedAt})
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

// CountUsers returns how many users exist.
func (s *Store) CountUsers(ctx context.Context) (int, error) {
	var n int
	err := s.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM users`).Scan(&n)
	return n, err
}

// ListUsers returns one page of users ordered by name, and the total count.
func (s *Store) ListUsers(ctx context.Context, page domain.Page) ([]domain.User, int, error) {
	total, err := s.CountUsers(ctx)
	if err != nil {
		return nil, 0, err
	}
	rows, err := s.read.QueryContext(ctx,
		`SELECT `+userColumns+` FROM users ORDER BY name, id LIMIT ? OFFSET ?`, page.Size, page.Offset())
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var users []domain.User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, 0, err
		}
		users = append(users, u)
	}
	return users, total, rows.Err()
}

// SetUserActive enables or disables a user. Disabling also ends the user's
// sessions in the same transaction, so it takes effect at once.
func (s *Store) SetUserActive(ctx context.Context, id int64, active bool) error {
	return s.updateUser(ctx, id, `active = ?`, active, !active)
}

// SetUserRole changes a user's role and ends the user's sessions, so that the
// new role applies from the next request.
func (s *Store) SetUserRole(ctx context.Context, id int64, role domain.Role) error {
	return s.updateUser(ctx, id, `role = ?`, role, true)
}

// updateUser sets one column of a user and, when endSessions is set, revokes
// the user's sessions in the same transaction.
func (s *Store) updateUser(ctx context.Context, id int64, set string, value any, endSessions bool) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		now := formatTime(s.now())
		res, err := tx.ExecContext(ctx, `UPDATE users SET `+set+`, updated_at = ? WHERE id = ?`, value, now, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return domain.ErrNotFound
		}
		if !endSessions {
			return nil
		}
		_, err = tx.ExecContext(ctx, `UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL`, now, id)
		return err
	})
}
