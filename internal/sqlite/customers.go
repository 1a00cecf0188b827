package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/wingtip/multichannel/internal/domain"
)

const customerColumns = `c.id, c.name, c.domain, c.tenant_id, c.country, c.admin_name, c.admin_email, c.is_csp_partner, c.created_at, c.updated_at, c.version`

func scanCustomer(row scanner) (domain.Customer, error) {
	var c domain.Customer
	err := row.Scan(&c.ID, &c.Name, &c.Domain, &c.TenantID, &c.Country, &c.AdminName, &c.AdminEmail, &c.IsCSPPartner,
		timeColumn{&c.CreatedAt}, timeColumn{&c.UpdatedAt}, &c.Version)
	if errors.Is(err, sql.ErrNoRows) {
		return c, domain.ErrNotFound
	}
	return c, err
}

// searchTerms are what a customer can be found by, lower-cased: each word of
// its name, whole ("adventure-works") and in parts ("adventure", "works"),
// and its whole domain.
func searchTerms(c domain.Customer) []string {
	seen := map[string]bool{}
	var terms []string
	words := queryWords(c.Name)
	for _, w := range queryWords(c.Name) {
		words = append(words, strings.FieldsFunc(w, func(r rune) bool { return r == '.' || r == '-' })...)
	}
	for _, t := range append(words, strings.ToLower(c.Domain)) {
		if t != "" && !seen[t] {
			seen[t] = true
			terms = append(terms, t)
		}
	}
	return terms
}

// queryWords splits text into lower-cased words at anything but a letter, a
// digit, a dot or a hyphen, which stay so that a typed domain or hyphenated
// name is one word.
func queryWords(text string) []string {
	return strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '.' && r != '-'
	})
}

func writeTerms(ctx context.Context, tx execer, c domain.Customer) error {
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
			Action: domain.AuditCustomerCreated, Target: customerTarget(c)})
	})
	return c.ID, err
}

// insertCustomer adds a customer and its search terms.
func insertCustomer(ctx context.Context, tx execer, now time.Time, c domain.Customer) (int64, error) {
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

// UpdateCustomer replaces a customer's details, when c.Version is the
// version stored: otherwise someone saved the customer since the form was
// filled, and the refusal is a domain.Stale with the customer as stored.
func (s *Store) UpdateCustomer(ctx context.Context, actor domain.Actor, c domain.Customer) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		stored, err := scanCustomer(tx.QueryRowContext(ctx, `SELECT `+customerColumns+` FROM customers c WHERE c.id = ?`, c.ID))
		if err != nil {
			return err
		}
		if err := checkVersion(ctx, tx, customersVersioned, c.ID, stored, stored.Version, c.Version); err != nil {
			return err
		}
		now := s.now()
		if err := updateOne(ctx, tx, domain.ErrConflict,
			`UPDATE customers SET name = ?, name_key = ?, domain = ?, tenant_id = ?, country = ?, admin_name = ?, admin_email = ?,
			   is_csp_partner = ?, updated_at = ?, `+nextVersion+` WHERE id = ? AND version = ?`,
			append(append([]any{c.Name, strings.ToLower(c.Name), c.Domain, c.TenantID, c.Country, c.AdminName, c.AdminEmail, c.IsCSPPartner,
				formatTime(now)}, savedBy(actor, now)...), c.ID, stored.Version)...); err != nil {
			return domainTaken(err)
		}
		if err := writeTerms(ctx, tx, c); err != nil {
			return err
		}
		return appendAudit(ctx, tx, now, domain.AuditEntry{ActorID: actor.UserID, CustomerID: c.ID, ClientIP: actor.ClientIP,
			Action: domain.AuditCustomerChanged, Target: customerTarget(c)})
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
	countSQL, listSQL, args, ok := customerListQueries(q)
	if !ok {
		return nil, 0, nil
	}
	items, total, err := queryPage(ctx, s.read, func(row scanner) (domain.CustomerListItem, error) {
		c, err := scanCustomer(row)
		return domain.CustomerListItem{Customer: c}, err
	}, countSQL, listSQL, args, q.Page)
	if err != nil {
		return nil, 0, err
	}
	ids := make([]int64, len(items))
	for i, item := range items {
		ids[i] = item.Customer.ID
	}
	counts, err := s.classCounts(ctx, ids)
	if err != nil {
		return nil, 0, err
	}
	for i := range items {
		items[i].Counts = counts[items[i].Customer.ID]
	}
	return items, total, nil
}

// matchedTerms are the customers with a term in the range of a search's
// first word, read from the terms index in its order.
const matchedTerms = `(SELECT DISTINCT customer_id FROM customer_terms WHERE term >= ? AND term < ?) matched`

// customerListQueries builds the count and the page query of a customer
// list, and their arguments (the page query takes LIMIT and OFFSET after
// them). ok is false for a search that can match nothing. A test reads the
// query plans of exactly these queries.
func customerListQueries(q domain.CustomerQuery) (countSQL, listSQL string, args []any, ok bool) {
	words := queryWords(q.Search)
	if len(words) == 0 && strings.TrimSpace(q.Search) != "" {
		// Only punctuation was typed: nothing can start with it.
		return "", "", nil, false
	}
	if len(words) > maxSearchWords {
		words = words[:maxSearchWords]
	}
	// A prefix as a range, term >= w AND term < w+0xFF (a byte that UTF-8
	// never uses, so above every continuation): an index range scan with
	// SQLite's binary collation, where LIKE 'w%' would depend on
	// case_sensitive_like. A PostgreSQL store would use text_pattern_ops.
	from := ` FROM customers c`
	var conds []string
	for i, w := range words {
		if i == 0 {
			// The first word's customers stream from its range of the terms
			// index, so that the LIMIT below stops the reading: an IN list
			// would be built from the whole range first (1,654 customers
			// for "cont" at 50,000).
			from = ` FROM ` + matchedTerms + ` JOIN customers c ON c.id = matched.customer_id`
		} else {
			// Every other word is looked up among the customer's own terms.
			conds = append(conds, `EXISTS (SELECT 1 FROM customer_terms w WHERE w.customer_id = matched.customer_id AND w.term >= ? AND w.term < ?)`)
		}
		args = append(args, w, w+"\xff")
	}
	// A search's count needs the customers' rows only for the conditions
	// on them: the words alone are counted on the terms index.
	wordsOnly := len(words) > 0 && len(q.Having) == 0 && !q.UsageInProgress
	if len(q.Having) > 0 {
		in, keyArgs := classKeysIn(q.Having)
		conds = append(conds, `c.is_csp_partner = 0 AND EXISTS (SELECT 1 FROM subscriptions s WHERE s.customer_id = c.id
			AND s.removed_at IS NULL AND `+in+`)`)
		args = append(args, keyArgs...)
	}
	if q.UsageInProgress {
		conds = append(conds, `(EXISTS (SELECT 1 FROM azure_migrations m JOIN subscriptions s ON s.id = m.subscription_id
			WHERE s.customer_id = c.id AND s.removed_at IS NULL AND m.step IN (?, ?))
			OR EXISTS (SELECT 1 FROM transfers t WHERE t.customer_id = c.id AND t.status = ?)
			OR EXISTS (SELECT 1 FROM billing_transfers b WHERE b.customer_id = c.id AND b.status IN (`+paramMarks(len(domain.BillingInProgress))+`)))`)
		args = append(append(args, domain.MigrationMoveWorkloads, domain.MigrationCancelOld, domain.TransferInProgress),
			anySlice(domain.BillingInProgress)...)
	}
	where := ""
	if len(conds) > 0 {
		where = ` WHERE ` + strings.Join(conds, ` AND `)
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
	switch {
	case len(words) == 0 && where == "":
		// The whole list: the count kept by triggers (migration 00033).
		return `SELECT n FROM customer_count`, `SELECT ` + customerColumns + ` FROM customers c ORDER BY ` + order + ` LIMIT ? OFFSET ?`,
			args, true
	case len(words) > 0:
		// A search reads at most SearchMatchCap+1 matches, then sorts those:
		// a short prefix in a large book costs what it costs in a small one.
		// The matches read are sorted as "found", a few hundred rows at most.
		limit := ` LIMIT ` + strconv.Itoa(domain.SearchMatchCap+1)
		found := func(cols string) string { return strings.ReplaceAll(cols, "c.", "found.") }
		count := `SELECT COUNT(*) FROM (SELECT 1` + from + where + limit + `)`
		if wordsOnly {
			count = `SELECT COUNT(*) FROM (SELECT 1 FROM ` + matchedTerms + where + limit + `)`
		}
		// Only the sort's columns of the matches are sorted; the page's
		// customers are read whole after.
		page := `SELECT found.id, found.name_key, found.updated_at FROM (SELECT c.id, c.name_key, c.updated_at` + from + where + limit +
			`) found ORDER BY ` + found(order) + ` LIMIT ? OFFSET ?`
		return count, `SELECT ` + customerColumns + ` FROM (` + page + `) found JOIN customers c ON c.id = found.id ORDER BY ` + found(order),
			args, true
	}
	return `SELECT COUNT(*) FROM customers c` + where,
		`SELECT ` + customerColumns + ` FROM customers c` + where + ` ORDER BY ` + order + ` LIMIT ? OFFSET ?`, args, true
}

// touchCustomer records that the customer's inventory changed at now.
func touchCustomer(ctx context.Context, tx *sql.Tx, customerID int64, now time.Time) error {
	return updateOne(ctx, tx, domain.ErrNotFound, `UPDATE customers SET updated_at = ? WHERE id = ?`, formatTime(now), customerID)
}
