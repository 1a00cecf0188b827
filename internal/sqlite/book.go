package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"iter"
	"time"

	"github.com/wingtip/multichannel/internal/domain"
)

// SeedBook writes the partner, its users and a generated book of business
// into an empty database, all in one transaction: a seed stopped half-way
// (an error, a full disk, ^C through ctx) leaves the database empty. A
// database holding a partner, a user or a customer is refused with
// domain.ErrNotEmpty. The counters the dashboard and the planner read are
// kept by the same triggers as for any other write. progress, when not nil,
// is told after each customer.
func (s *Store) SeedBook(ctx context.Context, partner domain.Partner, users []domain.User, book iter.Seq[domain.SeedCustomer],
	progress func(customers, subscriptions int)) error {
	defer s.forgetPartner()
	// A book's rows land all over the indexes: a page cache of 256 MB for
	// the seed, instead of SQLite's 2 MB, keeps them in memory (with the
	// first two counters, 50,000 customers seeded in 37 s instead of 55 s;
	// 1 GB gains nothing more), and is given back after.
	var cache int
	if err := s.write.QueryRowContext(ctx, `PRAGMA cache_size`).Scan(&cache); err != nil {
		return err
	}
	defer s.write.ExecContext(context.WithoutCancel(ctx), fmt.Sprintf(`PRAGMA cache_size = %d`, cache))
	// Each statement of a transaction keeps the pages it changes, as they
	// were, in a statement journal, so that a failing statement undoes
	// itself alone; past 64 KiB SQLite writes that journal to a temporary
	// file, and in one long transaction nearly every page a statement
	// touches is one the transaction changed before. With temp_store =
	// MEMORY it stays in memory (pager.c, openSubJournal: subjInMemory),
	// taken at BEGIN, so set before the transaction: 12 million writes
	// of 4 KB and 4 bytes fewer for 50,000 customers.
	if _, err := s.write.ExecContext(ctx, `PRAGMA temp_store = MEMORY`); err != nil {
		return err
	}
	defer s.write.ExecContext(context.WithoutCancel(ctx), `PRAGMA temp_store = DEFAULT`)
	return s.inTx(ctx, func(tx *sql.Tx) error {
		var existing int
		if err := tx.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM users) + (SELECT COUNT(*) FROM partner)
			+ (SELECT COUNT(*) FROM (SELECT 1 FROM customers LIMIT 1))`).Scan(&existing); err != nil {
			return err
		}
		if existing > 0 {
			return domain.ErrNotEmpty
		}
		if _, err := tx.ExecContext(ctx, `PRAGMA cache_size = -262144`); err != nil { // in KiB
			return err
		}
		now := s.now()
		if err := upsertPartner(ctx, tx, now, partner); err != nil {
			return err
		}
		userIDs := map[string]int64{}
		for _, u := range users {
			id, err := insertUser(ctx, tx, now, u)
			if err != nil {
				return err
			}
			userIDs[u.Email] = id
		}
		w := bookWriter{tx: tx, prepared: preparedTx{tx: tx, stmts: map[string]*sql.Stmt{}}, now: now, users: userIDs}
		// The book's statements run without ctx's cancellation, and ctx is
		// asked between customers instead: go-sqlite3 runs a statement
		// given a context that can end in a goroutine of its own, to
		// interrupt it, and the millions of a book's statements spent a
		// fifth of the seed's time handing over to those goroutines.
		statements := context.WithoutCancel(ctx)
		for c := range book {
			if err := ctx.Err(); err != nil {
				return err
			}
			if err := w.write(statements, c); err != nil {
				return err // stops the book
			}
			if progress != nil {
				progress(w.customers, w.subscriptions)
			}
		}
		return nil
	})
}

// bookWriter writes the customers of a book one by one in its transaction.
type bookWriter struct {
	tx       *sql.Tx
	prepared preparedTx
	now      time.Time
	users    map[string]int64 // id by e-mail
	// customers and subscriptions count what was written.
	customers, subscriptions int
}

// write stores one customer with its subscriptions, requests, checklists and
// transfers, and the audit entries that history would have written.
func (w *bookWriter) write(ctx context.Context, sc domain.SeedCustomer) error {
	c := sc.Customer
	created := c.CreatedAt
	if created.IsZero() {
		created = w.now
	}
	var err error
	if c.ID, err = insertCustomer(ctx, &w.prepared, created, c); err != nil {
		return fmt.Errorf("seed customer %s: %w", c.Domain, err)
	}
	by := w.users[sc.CreatedBy]
	if err := appendAudit(ctx, &w.prepared, created, domain.AuditEntry{ActorID: by, CustomerID: c.ID,
		Action: domain.AuditCustomerCreated, Target: customerTarget(c)}); err != nil {
		return err
	}
	ids := make([]int64, len(sc.Subscriptions))
	for i, sub := range sc.Subscriptions {
		sub.CustomerID = c.ID
		if ids[i], err = insertSubscription(ctx, &w.prepared, created, sub); err != nil {
			return fmt.Errorf("seed subscription %q of %s: %w", sub.Product, c.Domain, err)
		}
	}
	if len(ids) > 0 {
		if err := appendAudit(ctx, &w.prepared, created, domain.AuditEntry{ActorID: by, CustomerID: c.ID,
			Action: domain.AuditSubscriptionsImported, Target: customerTarget(c), Detail: fmt.Sprintf("%d subscriptions", len(ids))}); err != nil {
			return err
		}
	}
	for _, sr := range sc.Relationships {
		people := []sql.NullInt64{w.user(sr.CreatedBy), w.user(sr.ReviewedBy), w.user(sr.EndedBy)}
		if err := insertSeedRelationship(ctx, w.tx, w.now, c.ID, people, sr); err != nil {
			return fmt.Errorf("seed relationship of %s: %w", c.Domain, err)
		}
	}
	for _, m := range sc.Migrations {
		if err := insertSeedMigration(ctx, w.tx, w.now, ids[m.Subscription], m.Migration); err != nil {
			return fmt.Errorf("seed checklist of %s: %w", c.Domain, err)
		}
	}
	for _, t := range sc.Transfers {
		carried := make([]int64, len(t.Subscriptions))
		for i, index := range t.Subscriptions {
			carried[i] = ids[index]
		}
		people := []sql.NullInt64{w.user(t.CreatedBy), w.user(t.EndedBy)}
		if err := insertSeedTransfer(ctx, w.tx, w.now, c.ID, people, t.Transfer, carried); err != nil {
			return fmt.Errorf("seed transfer of %s: %w", c.Domain, err)
		}
	}
	w.customers++
	w.subscriptions += len(ids)
	return nil
}

// user is the id of the user with this e-mail; none (NULL) for "".
func (w *bookWriter) user(email string) sql.NullInt64 {
	id, ok := w.users[email]
	return sql.NullInt64{Int64: id, Valid: ok}
}

// preparedTx runs each statement text through one statement prepared for
// the transaction, so that a bulk write of many rows parses each text once.
// The transaction closes the statements when it ends.
type preparedTx struct {
	tx    *sql.Tx
	stmts map[string]*sql.Stmt
}

// ExecContext runs query with args through its prepared statement.
func (p *preparedTx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	stmt, ok := p.stmts[query]
	if !ok {
		var err error
		if stmt, err = p.tx.PrepareContext(ctx, query); err != nil {
			return nil, err
		}
		p.stmts[query] = stmt
	}
	return stmt.ExecContext(ctx, args...)
}
