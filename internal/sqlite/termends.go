package sqlite

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/wingtip/multichannel/internal/domain"
)

// termEndSubscriptionColumns are subscriptionColumns read from the alias s,
// so that they stay in step with scanSubscription beside a join.
var termEndSubscriptionColumns = "s." + strings.ReplaceAll(subscriptionColumns, ", ", ", s.")

// termEndFrom selects what q asks for. The range on term_end, with the
// conditions of the partial index subscriptions_term_end spelled out, lets
// SQLite walk that index in term-end order instead of scanning subscriptions;
// the class keys come from the domain's rules, never from here. Licences a
// completed transfer brought to us are flagged (migration 00026) and left
// out row by row.
func termEndFrom(q domain.TermEndQuery) (string, []any) {
	in, keyArgs := classKeysIn(q.Keys)
	args := append([]any{q.From.Format(domain.DateLayout), q.Until.Format(domain.DateLayout)}, keyArgs...)
	return ` FROM subscriptions s JOIN customers c ON c.id = s.customer_id
		WHERE s.removed_at IS NULL AND s.term_end IS NOT NULL AND s.term_end >= ? AND s.term_end < ?
		AND ` + in + ` AND c.is_csp_partner = 0 AND s.transferred_in = 0`, args
}

// termEndListSQL is the page query of TermEnds for what from selects. Its
// arguments are termEndStateArgs, from's, then the page's limit and offset.
func termEndListSQL(from string) string {
	// The state of the customer's open request, and of the newest transfer
	// carrying the subscription, are subqueries per row: index lookups,
	// where a list of the page's customers as parameters would overflow
	// SQLite's limit on a large export.
	return `SELECT ` + termEndSubscriptionColumns + `, ` + customerColumns + `,
		COALESCE((SELECT ` + effectiveStatusSQL("r") + ` FROM relationship_requests r
			WHERE r.customer_id = c.id AND r.status IN (?, ?, ?) ORDER BY r.id DESC LIMIT 1), ''),
		COALESCE((SELECT ` + effectiveStatusSQL("t") + ` FROM transfers t
			WHERE t.id = (SELECT MAX(ts.transfer_id) FROM transfer_subscriptions ts WHERE ts.subscription_id = s.id)), '')` + from +
		` ORDER BY s.term_end, s.id LIMIT ? OFFSET ?`
}

// termEndStateArgs are the arguments of the subqueries of termEndListSQL
// at now: the relationship's effective state and its open states, then
// the transfer's effective state.
func termEndStateArgs(now time.Time) []any {
	args := append(effectiveStatusArgs(domain.StatusPending, domain.StatusExpired, now),
		domain.StatusPending, domain.StatusAccepted, domain.StatusActive)
	return append(args, effectiveStatusArgs(domain.TransferPending, domain.TransferExpired, now)...)
}

// TermEnds returns one page of the licences q selects, by term end and then
// by id, each with its customer and whether the customer's reseller
// relationship is active, and the number of all of them. Without keys
// nothing is selected, rather than everything.
func (s *Store) TermEnds(ctx context.Context, q domain.TermEndQuery) ([]domain.TermEndItem, int, error) {
	if len(q.Keys) == 0 {
		return nil, 0, nil
	}
	days, err := s.TermEndDays(ctx, q)
	if err != nil {
		return nil, 0, err
	}
	total := 0
	for _, d := range days {
		total += d.Count
	}
	from, args := termEndFrom(q)
	items, err := queryAll(ctx, s.read, scanTermEnd, termEndListSQL(from),
		append(append(termEndStateArgs(s.now()), args...), q.Page.Size, q.Page.Offset())...)
	return items, total, err
}

// rowFunc lets a function stand in for a row.
type rowFunc func(dest ...any) error

// Scan hands the destinations to the function.
func (f rowFunc) Scan(dest ...any) error { return f(dest...) }

// scanTermEnd reads a row of subscription columns then customer columns. It
// nests scanSubscription and scanCustomer so that each row is scanned once
// into both sets of targets, and the two stay the only readers of their
// columns.
func scanTermEnd(row scanner) (domain.TermEndItem, error) {
	var item domain.TermEndItem
	sub, err := scanSubscription(rowFunc(func(subDest ...any) error {
		var err error
		item.Customer, err = scanCustomer(rowFunc(func(custDest ...any) error {
			return row.Scan(append(append(subDest, custDest...), &item.Relationship, &item.Transfer)...)
		}))
		return err
	}))
	item.Subscription = sub
	return item, err
}

// TermEndDays counts the subscriptions q selects by term-end date and
// class key, in that order, for the domain to sort into actions; q.Page is
// ignored. It reads the counters of term_end_counts (migrations 00023 and
// 00026), at most a row per date and key, however many subscriptions there
// are.
func (s *Store) TermEndDays(ctx context.Context, q domain.TermEndQuery) ([]domain.DateCount, error) {
	if len(q.Keys) == 0 {
		return nil, nil
	}
	counted := termEndCountSQL(q)
	return queryAll(ctx, s.read, scanDateCount, counted.query, counted.args...)
}

// sqlQuery is a query with its arguments.
type sqlQuery struct {
	query string
	args  []any
}

// termEndCountSQL is what TermEndDays runs for q: the counters by date and
// key in order.
func termEndCountSQL(q domain.TermEndQuery) sqlQuery {
	in, keyArgs := classKeysIn(q.Keys)
	args := append([]any{q.From.Format(domain.DateLayout), q.Until.Format(domain.DateLayout)}, keyArgs...)
	group := `s.term_end, ` + classKeyColumns
	return sqlQuery{`SELECT ` + group + `, s.n FROM term_end_counts s
		WHERE s.term_end >= ? AND s.term_end < ? AND ` + in + ` AND s.n > 0 ORDER BY ` + group, args}
}

// scanDateCount reads a row of a term-end date, the classKeyColumns and a
// count.
func scanDateCount(row scanner) (domain.DateCount, error) {
	var date string
	var d domain.DateCount
	if err := row.Scan(&date, &d.Key.Channel, &d.Key.ServiceType, &d.Key.Commerce, &d.Key.Offer, &d.Count); err != nil {
		return d, err
	}
	var err error
	if d.Date, err = time.Parse(domain.DateLayout, date); err != nil {
		return d, fmt.Errorf("term end %q: %w", date, err)
	}
	return d, nil
}

// paramMarks is n comma-separated parameter marks.
func paramMarks(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

// anySlice is values as query arguments, for an IN list of paramMarks.
func anySlice[T any](values []T) []any {
	out := make([]any, len(values))
	for i, v := range values {
		out[i] = v
	}
	return out
}
