package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"

	"github.com/wingtip/multichannel/internal/domain"
)

const customerColumns = `c.id, c.name, c.domain, c.tenant_id, c.country, c.admin_name, c.admin_email, c.is_csp_partner, c.created_at, c.updated_at`

func scanCustomer(row interface{ Scan(...any) error }, extra ...any) (domain.Customer, error) {
	var c domain.Customer
	dest := append([]any{&c.ID, &c.Name, &c.Domain, &c.TenantID, &c.Country, &c.AdminName, &c.AdminEmail, &c.IsCSPPartner,
		timeColumn{&c.CreatedAt}, timeColumn{&c.UpdatedAt}}, extra...)
	err := row.Scan(dest...)
	if errors.Is(err, sql.ErrNoRows) {
		return c, domain.ErrNotFound
	}
	return c, err
}

// searchTerms are what a customer can be found by: each word of its name and
// its whole domain, lower-cased.
func searchTerms(c domain.Customer) []string {
	seen := map[string]bool{}
	var terms []string
	for _, t := range append(queryWords(c.Name), strings.ToLower(c.Domain)) {
		if t != "" && !seen[t] {
			seen[t] = true
			terms = append(terms, t)
		}
	}
	return terms
}

// queryWords splits text into lower-cased words at anything that is not a
// letter, digit or dot, so "Northwind Traders" gives northwind and traders,
// and a typed domain stays whole.
func queryWords(text string) []string {
	return strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '.' && r != '-'
	})
}

func writeTerms(ctx context.Context, tx *sql.Tx, c domain.Customer) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM customer_terms WHERE customer_id = ?`, c.ID); err != nil {
		return err
	}
	for _, term := range searchTerms(c) {
		if _, err := tx.ExecContext(ctx, `INSERT INTO customer_terms (term, customer_id) VALUES (?, ?)`, term, c.ID); err != nil {
			return err
		}
	}
	return nil
}

func domainTaken(err error) error {
	if err != nil && strings.Contains(err.Error(), "UNIQUE constraint failed: customers.domain") {
		return domain.ErrDomainTaken
	}
	return err
}

// CreateCustomer stores a new, validated customer and returns its id.
func (s *Store) CreateCustomer(ctx context.Context, actor domain.Actor, c domain.Customer) (int64, error) {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		now := s.now()
		var err error
		if c.ID, err = insertCustomer(ctx, tx, now, c); err != nil {
			return domainTaken(err)
		}
		return appendAudit(ctx, tx, now, domain.AuditEntry{ActorID: actor.UserID, CustomerID: c.ID, ClientIP: actor.ClientIP,
			Action: "customer_created", Target: customerTarget(c)})
	})
	return c.ID, err
}

// insertCustomer adds a customer and its search terms.
func insertCustomer(ctx context.Context, tx *sql.Tx, now time.Time, c domain.Customer) (int64, error) {
	res, err := tx.ExecContext(ctx,
		`INSERT INTO customers (name, name_key, domain, tenant_id, country, admin_name, admin_email, is_csp_partner, created_at, updated_at)
		 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		c.Name, strings.ToLower(c.Name), c.Domain, c.TenantID, c.Country, c.AdminName, c.AdminEmail, c.IsCSPPartner,
		formatTime(now), formatTime(now))
	if err != nil {
		return 0, err
	}
	if c.ID, err = res.LastInsertId(); err != nil {
		return 0, err
	}
	return c.ID, writeTerms(ctx, tx, c)
}

// UpdateCustomer replaces a customer's details.
func (s *Store) UpdateCustomer(ctx context.Context, actor domain.Actor, c domain.Customer) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		now := s.now()
		res, err := tx.ExecContext(ctx,
			`UPDATE customers SET name = ?, name_key = ?, domain = ?, tenant_id = ?, country = ?, admin_name = ?, admin_email = ?,
			   is_csp_partner = ?, updated_at = ? WHERE id = ?`,
			c.Name, strings.ToLower(c.Name), c.Domain, c.TenantID, c.Country, c.AdminName, c.AdminEmail, c.IsCSPPartner, formatTime(now), c.ID)
		if err != nil {
			return domainTaken(err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return domain.ErrNotFound
		}
		if err := writeTerms(ctx, tx, c); err != nil {
			return err
		}
		return appendAudit(ctx, tx, now, domain.AuditEntry{ActorID: actor.UserID, CustomerID: c.ID, ClientIP: actor.ClientIP,
			Action: "customer_changed", Target: customerTarget(c)})
	})
}

func customerTarget(c domain.Customer) string { return fmt.Sprintf("customer:%d %s", c.ID, c.Name) }

// Customer returns the customer with this id.
func (s *Store) Customer(ctx context.Context, id int64) (domain.Customer, error) {
	return scanCustomer(s.read.QueryRowContext(ctx, `SELECT `+customerColumns+` FROM customers c WHERE c.id = ?`, id))
}

// maxSearchWords bounds the work one search can ask for.
const maxSearchWords = 5

// ListCustomers returns one page of customers matching the query and the
// number of all matches. Every search word must be the start of a word of
// the name or of the domain; both the search and the orders use indexes.
func (s *Store) ListCustomers(ctx context.Context, q domain.CustomerQuery) ([]domain.CustomerListItem, int, error) {
	where, args := "", []any{}
	words := queryWords(q.Search)
	if len(words) == 0 && strings.TrimSpace(q.Search) != "" {
		// Only punctuation was typed: nothing can start with it.
		return nil, 0, nil
	}
	if len(words) > maxSearchWords {
		words = words[:maxSearchWords]
	}
	for i, w := range words {
		if i == 0 {
			where = " WHERE "
		} else {
			where += " AND "
		}
		// A prefix as a range, term >= w AND term < w+0xFF: an index range
		// scan in SQLite and PostgreSQL alike, where LIKE 'w%' depends on
		// collation settings.
		where += `c.id IN (SELECT customer_id FROM customer_terms WHERE term >= ? AND term < ?)`
		args = append(args, w, w+"\xff")
	}
	var total int
	if err := s.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM customers c`+where, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	order := map[domain.CustomerSort]string{
		domain.SortByName:          "c.name_key, c.id",
		domain.SortByNameDesc:      "c.name_key DESC, c.id DESC",
		domain.SortByChanged:       "c.updated_at DESC, c.id DESC",
		domain.SortByChangedOldest: "c.updated_at, c.id",
	}[q.Sort]
	if order == "" {
		order = "c.name_key, c.id"
	}
	rows, err := s.read.QueryContext(ctx,
		`SELECT `+customerColumns+`,
		   (SELECT COUNT(*) FROM subscriptions s WHERE s.customer_id = c.id AND s.removed_at IS NULL),
		   (SELECT COUNT(*) FROM subscriptions s WHERE s.customer_id = c.id AND s.removed_at IS NULL AND (s.channel = '' OR s.service_type = ''))
		 FROM customers c`+where+` ORDER BY `+order+` LIMIT ? OFFSET ?`,
		append(args, q.Page.Size, q.Page.Offset())...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var items []domain.CustomerListItem
	for rows.Next() {
		var item domain.CustomerListItem
		if item.Customer, err = scanCustomer(rows, &item.Subscriptions, &item.Unclassified); err != nil {
			return nil, 0, err
		}
		items = append(items, item)
	}
	return items, total, rows.Err()
}

// CountCustomers returns how many customers exist.
func (s *Store) CountCustomers(ctx context.Context) (int, error) {
	var n int
	err := s.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM customers`).Scan(&n)
	return n, err
}

// touchCustomer records that the customer's inventory changed at now.
func touchCustomer(ctx context.Context, tx *sql.Tx, customerID int64, now time.Time) error {
	res, err := tx.ExecContext(ctx, `UPDATE customers SET updated_at = ? WHERE id = ?`, formatTime(now), customerID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return domain.ErrNotFound
	}
	return nil
}
