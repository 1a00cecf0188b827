package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/wingtip/multichannel/internal/domain"
)

// purchaseColumns are the columns scanPurchase reads, from csp_purchases p
// with the replaced subscription r and the recording user u left-joined
// (purchaseFrom).
const purchaseColumns = `p.id, p.customer_id, p.product, p.quantity, p.purchased_at, p.term_length, p.billing_frequency,
	COALESCE(p.replaces_id, 0), COALESCE(r.product, ''), COALESCE(u.name, ''), p.recorded_at`

// purchaseFrom joins what purchaseColumns read.
const purchaseFrom = ` FROM csp_purchases p LEFT JOIN subscriptions r ON r.id = p.replaces_id LEFT JOIN users u ON u.id = p.recorded_by`

func scanPurchase(row scanner) (domain.CSPPurchase, error) {
	var p domain.CSPPurchase
	err := row.Scan(&p.ID, &p.CustomerID, &p.Product, &p.Quantity, timeColumn{&p.PurchasedAt}, &p.TermLength, &p.BillingFrequency,
		&p.Replaces, &p.ReplacesProduct, &p.RecordedBy, timeColumn{&p.RecordedAt})
	return p, err
}

// RecordCSPPurchase stores a purchase this partner made in CSP, with its
// audit entry, in one transaction that checks again that the customer's
// reseller relationship is active (domain.PurchaseNeedsRelationship
// otherwise) and that the subscription it replaces, if any, is one of the
// customer's (domain.PurchaseReplacesUnknown otherwise).
func (s *Store) RecordCSPPurchase(ctx context.Context, actor domain.Actor, p domain.CSPPurchase) (int64, error) {
	var id int64
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		now := s.now()
		if err := touchCustomer(ctx, tx, p.CustomerID, now); err != nil {
			return err
		}
		if err := requireActiveRelationship(ctx, tx, p.CustomerID, domain.PurchaseNeedsRelationship()); err != nil {
			return err
		}
		if p.Replaces != 0 {
			var one int
			err := tx.QueryRowContext(ctx, `SELECT 1 FROM subscriptions WHERE id = ? AND customer_id = ? AND removed_at IS NULL`,
				p.Replaces, p.CustomerID).Scan(&one)
			if errors.Is(err, sql.ErrNoRows) {
				return domain.PurchaseReplacesUnknown()
			}
			if err != nil {
				return err
			}
		}
		var err error
		if id, err = insertPurchase(ctx, tx, p, actor.UserID, now); err != nil {
			return err
		}
		return appendAudit(ctx, tx, now, purchaseAudit(actor, id, p))
	})
	return id, err
}

// insertPurchase writes p, recorded by the user recordedBy (0 for nobody)
// at recordedAt, and returns its id.
func insertPurchase(ctx context.Context, tx *sql.Tx, p domain.CSPPurchase, recordedBy int64, recordedAt time.Time) (int64, error) {
	res, err := tx.ExecContext(ctx, `INSERT INTO csp_purchases (customer_id, product, quantity, purchased_at, term_length,
		billing_frequency, replaces_id, recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		p.CustomerID, p.Product, p.Quantity, formatTime(p.PurchasedAt), p.TermLength, p.BillingFrequency, nullID(p.Replaces),
		nullID(recordedBy), formatTime(recordedAt))
	if err != nil {
		return 0, err
	}
	return res.LastInsertId()
}

// seedPurchase writes one purchase of the starting data, recorded when it
// was made, with the audit entry it would have written.
func seedPurchase(ctx context.Context, tx *sql.Tx, sp domain.SeedPurchase) error {
	p := sp.Purchase.Normalize()
	if err := tx.QueryRowContext(ctx, `SELECT id FROM customers WHERE domain = ?`, sp.CustomerDomain).Scan(&p.CustomerID); err != nil {
		return fmt.Errorf("seed purchase for %s: %w", sp.CustomerDomain, err)
	}
	if sp.ReplacesProduct != "" {
		var err error
		if p.Replaces, err = seedSubscriptionID(ctx, tx, sp.CustomerDomain, sp.ReplacesProduct); err != nil {
			return err
		}
	}
	var by int64
	if err := tx.QueryRowContext(ctx, `SELECT id FROM users WHERE email = ?`, sp.RecordedBy).Scan(&by); err != nil {
		return fmt.Errorf("seed purchase by %s: %w", sp.RecordedBy, err)
	}
	id, err := insertPurchase(ctx, tx, p, by, p.PurchasedAt)
	if err != nil {
		return err
	}
	return appendAudit(ctx, tx, p.PurchasedAt, purchaseAudit(domain.Actor{UserID: by}, id, p))
}

// purchaseAudit is the audit entry of recording purchase id.
func purchaseAudit(actor domain.Actor, id int64, p domain.CSPPurchase) domain.AuditEntry {
	return domain.AuditEntry{ActorID: actor.UserID, CustomerID: p.CustomerID, ClientIP: actor.ClientIP,
		Action: domain.AuditCSPPurchaseRecorded, Target: fmt.Sprintf("csp_purchase:%d", id),
		Detail: fmt.Sprintf("%s × %d bought %s UTC, %s billed %s, replaces subscription %d", p.Product, p.Quantity,
			p.PurchasedAt.Format(domain.TimestampLayout), p.TermLength, p.BillingFrequency, p.Replaces)}
}

// customerPurchasesSQL is CSPPurchases' page query: its arguments are the
// customer id, the page's limit and offset.
const customerPurchasesSQL = `SELECT ` + purchaseColumns + purchaseFrom + `
	WHERE p.customer_id = ? ORDER BY p.purchased_at DESC, p.id DESC LIMIT ? OFFSET ?`

// purchasesSinceSQL is PurchasesSince's list query: its arguments are the
// time after which and the limit.
const purchasesSinceSQL = `SELECT ` + purchaseColumns + `, c.name` + purchaseFrom + ` JOIN customers c ON c.id = p.customer_id
	WHERE p.purchased_at > ? ORDER BY p.purchased_at, p.id LIMIT ?`

// CSPPurchases returns one page of a customer's CSP purchases, newest
// first, and how many there are, by the index on customer and time.
func (s *Store) CSPPurchases(ctx context.Context, customerID int64, page domain.Page) ([]domain.CSPPurchase, int, error) {
	var total int
	if err := s.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM csp_purchases WHERE customer_id = ?`, customerID).Scan(&total); err != nil {
		return nil, 0, err
	}
	list, err := queryAll(ctx, s.read, scanPurchase, customerPurchasesSQL, customerID, page.Size, page.Offset())
	return list, total, err
}

// PurchasesSince returns the CSP purchases made after since, across
// customers, the oldest first (the first whose window closes), at most
// limit, each with its customer's name, and how many there are in all: by
// the index on purchased_at.
func (s *Store) PurchasesSince(ctx context.Context, since time.Time, limit int) ([]domain.RefundWindowItem, int, error) {
	after := formatTime(since)
	var total int
	if err := s.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM csp_purchases WHERE purchased_at > ?`, after).Scan(&total); err != nil {
		return nil, 0, err
	}
	list, err := queryAll(ctx, s.read, func(row scanner) (domain.RefundWindowItem, error) {
		var w domain.RefundWindowItem
		var err error
		w.Purchase, err = scanPurchase(rowFunc(func(dest ...any) error { return row.Scan(append(dest, &w.CustomerName)...) }))
		return w, err
	}, purchasesSinceSQL, after, limit)
	return list, total, err
}
