package sqlite

import (
	"context"
	"strconv"
	"strings"

	"github.com/wingtip/multichannel/internal/domain"
)

// AuditLog returns one page of the entries that match f, newest first, and
// the number of matches up to domain.AuditCountCap + 1. The unfiltered list
// and the filters by actor, customer, action and time read the indexes
// audit_log_at, audit_log_actor, audit_log_customer and audit_log_action.
// Entries are only read here: nothing in
// the store edits or deletes one.
func (s *Store) AuditLog(ctx context.Context, f domain.AuditFilter, page domain.Page) ([]domain.AuditRow, int, error) {
	countSQL, listSQL, args, ok := auditQueries(f)
	if !ok {
		return nil, 0, nil
	}
	return queryPage(ctx, s.read, scanAuditRow, countSQL, listSQL, args, page)
}

// EachAuditRow hands fn each entry of AuditLog's page as it reads it,
// newest first: the entries of an export, which holds one at a time. It
// stops at fn's first error and returns it.
func (s *Store) EachAuditRow(ctx context.Context, f domain.AuditFilter, page domain.Page, fn func(domain.AuditRow) error) error {
	_, listSQL, args, ok := auditQueries(f)
	if !ok {
		return nil
	}
	return queryEach(ctx, s.read, scanAuditRow, fn, listSQL, append(args, page.Size, page.Offset())...)
}

// scanAuditRow reads an entry of the audit log's page query.
func scanAuditRow(row scanner) (domain.AuditRow, error) {
	var r domain.AuditRow
	e := &r.AuditEntry
	err := row.Scan(&e.ID, timeColumn{&e.At}, &e.ActorID, &e.ActorName, &e.CustomerID, &r.CustomerName,
		&e.Action, &e.Target, &e.ClientIP, &e.Detail)
	return r, err
}

// auditQueries builds the count and the page query of the audit log for f,
// and their arguments (the page query takes LIMIT and OFFSET after them). ok
// is false for a customer search that can match nothing. A test reads the
// query plans of exactly these queries.
func auditQueries(f domain.AuditFilter) (countSQL, listSQL string, args []any, ok bool) {
	var conds []string
	if f.ActorID != 0 {
		conds = append(conds, `a.actor_id = ?`)
		args = append(args, f.ActorID)
	}
	if f.Action != "" {
		conds = append(conds, `a.action = ?`)
		args = append(args, f.Action)
	}
	if f.CustomerID != 0 {
		conds = append(conds, `a.customer_id = ?`)
		args = append(args, f.CustomerID)
	}
	if search := strings.TrimSpace(f.Customer); search != "" {
		words := queryWords(search)
		if len(words) == 0 {
			// Only punctuation was typed: no customer's words start with it.
			return "", "", nil, false
		}
		if len(words) > maxSearchWords {
			words = words[:maxSearchWords]
		}
		for _, w := range words {
			// The prefix range of customerListQueries, on the same index.
			conds = append(conds, `a.customer_id IN (SELECT customer_id FROM customer_terms WHERE term >= ? AND term < ?)`)
			args = append(args, w, w+"\xff")
		}
	}
	if !f.From.IsZero() {
		conds = append(conds, `a.at >= ?`)
		args = append(args, formatTime(f.From))
	}
	if !f.To.IsZero() {
		conds = append(conds, `a.at < ?`)
		args = append(args, formatTime(f.To))
	}
	capped := strconv.Itoa(domain.AuditCountCap + 1)
	// The whole log's count is kept (audit_count, migration 00034).
	countSQL = `SELECT MIN(n, ` + capped + `) FROM audit_count`
	where := ""
	if len(conds) > 0 {
		where = ` WHERE ` + strings.Join(conds, ` AND `)
		// A filter's count stops past domain.AuditCountCap: it reads at most
		// that many index entries, however long the log has grown.
		countSQL = `SELECT COUNT(*) FROM (SELECT 1 FROM audit_log a` + where + ` LIMIT ` + capped + `)`
	}
	return countSQL,
		`SELECT a.id, a.at, COALESCE(a.actor_id, 0), COALESCE(u.name, ''), COALESCE(a.customer_id, 0), COALESCE(c.name, ''),
		   a.action, a.target, a.client_ip, a.detail
		 FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id LEFT JOIN customers c ON c.id = a.customer_id` + where +
			` ORDER BY a.at DESC, a.id DESC LIMIT ? OFFSET ?`, args, true
}
