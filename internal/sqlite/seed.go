package sqlite

import (
	"context"
	"database/sql"

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
		seeded = true
		return nil
	})
	return seeded, err
}
