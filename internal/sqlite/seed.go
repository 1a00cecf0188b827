package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/wingtip/multichannel/internal/domain"
)

// SeedDemo writes a starting data set into an empty database, all of it in
// one transaction, and reports whether it did. A database that has a partner
// or a user already is left alone.
func (s *Store) SeedDemo(ctx context.Context, data domain.SeedData) (bool, error) {
	seeded := false
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var existing int
		if err := tx.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM users) + (SELECT COUNT(*) FROM partner)`).Scan(&existing); err != nil {
			return err
		}
		if existing > 0 {
			return nil
		}
		now := s.now()
		if err := upsertPartner(ctx, tx, now, data.Partner); err != nil {
			return err
		}
		for _, u := range data.Users {
			if _, err := insertUser(ctx, tx, now, u); err != nil {
				return err
			}
		}
		for _, ci := range data.Customers {
			c := ci.Customer.Normalize()
			if errs := c.Validate(); errs.Any() {
				return errs
			}
			var err error
			if c.ID, err = insertCustomer(ctx, tx, now, c); err != nil {
				return err
			}
			for _, sub := range ci.Subscriptions {
				sub = sub.Normalize()
				if errs := sub.Validate(); errs.Any() {
					return errs
				}
				sub.CustomerID = c.ID
				if _, err := insertSubscription(ctx, tx, now, sub); err != nil {
					return err
				}
			}
		}
		for _, sr := range data.Relationships {
			if err := seedRelationship(ctx, tx, now, sr); err != nil {
				return err
			}
		}
		seeded = true
		return nil
	})
	return seeded, err
}

// seedRelationship writes one request of the starting data as it stands.
func seedRelationship(ctx context.Context, tx *sql.Tx, now time.Time, sr domain.SeedRelationship) error {
	idOf := func(query, key string) (sql.NullInt64, error) {
		if key == "" {
			return sql.NullInt64{}, nil
		}
		var id sql.NullInt64
		err := tx.QueryRowContext(ctx, query, key).Scan(&id)
		return id, err
	}
	customer, err := idOf(`SELECT id FROM customers WHERE domain = ?`, sr.CustomerDomain)
	if err != nil {
		return fmt.Errorf("seed relationship for %s: %w", sr.CustomerDomain, err)
	}
	var people [3]sql.NullInt64
	for i, email := range []string{sr.CreatedBy, sr.ReviewedBy, sr.EndedBy} {
		if people[i], err = idOf(`SELECT id FROM users WHERE email = ?`, email); err != nil {
			return fmt.Errorf("seed relationship by %s: %w", email, err)
		}
	}
	r := sr.Request
	at := func(t *time.Time) sql.NullString {
		if t == nil {
			return sql.NullString{}
		}
		return sql.NullString{String: formatTime(*t), Valid: true}
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO relationship_requests (customer_id, status, token_hash, recipient_name, recipient_email,
		admin_roles, admin_days, auto_extend, created_by, created_at, expires_at, accepted_name, accepted_email, answered_at,
		reviewed_by, reviewed_at, ended_by, ended_at, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		customer, r.Status, sr.TokenHash, r.RecipientName, r.RecipientEmail, joinRoles(r.AdminRoles), r.AdminDays, r.AutoExtend,
		people[0], formatTime(r.CreatedAt), formatTime(r.ExpiresAt), r.AcceptedName, r.AcceptedEmail, at(r.AnsweredAt),
		people[1], at(r.ReviewedAt), people[2], at(r.EndedAt), r.Reason)
	if err != nil {
		return err
	}
	if sr.Draft == nil {
		return nil
	}
	id, err := res.LastInsertId()
	if err != nil {
		return err
	}
	return insertDraft(ctx, tx, now, id, *sr.Draft)
}
