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
// the class keys come from the domain's rules, never from here.
func termEndFrom(q domain.TermEndQuery) (string, []any) {
	in, keyArgs := classKeysIn(q.Keys)
	args := append([]any{q.From.Format(domain.DateLayout), q.Until.Format(domain.DateLayout)}, keyArgs...)
	transferred := ""
	if q.Transferred != "" {
		// Not correlated: SQLite builds the list once and keeps walking
		// the term-end index in order.
		transferred = ` AND s.id NOT IN (SELECT ts.subscription_id FROM transfer_subscriptions ts
			JOIN transfers t ON t.id = ts.transfer_id WHERE t.status = ?)`
		args = append(args, q.Transferred)
	}
	return ` FROM subscriptions s JOIN customers c ON c.id = s.customer_id
		WHERE s.removed_at IS NULL AND s.term_end IS NOT NULL AND s.term_end >= ? AND s.term_end < ?
		AND ` + in + ` AND c.is_csp_partner = 0` + transferred, args
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
	from, args := termEndFrom(q)
	var total int
	if err := s.read.QueryRowContext(ctx, `SELECT COUNT(*)`+from, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
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

// termEndDaysSQL counts by term-end date and class key what from selects.
func termEndDaysSQL(from string) string {
	group := `s.term_end, ` + classKeyColumns
	return `SELECT ` + group + `, COUNT(*)` + from + ` GROUP BY ` + group + ` ORDER BY ` + group
}

// TermEndDays counts the subscriptions q selects by term-end date and
// class key, in that order, for the domain to sort into actions; q.Page is
// ignored. A year has at most 366 dates and the rules few keys, so the
// answer stays small however many subscriptions there are, and the grouping
// follows the index subscriptions_term_end_key without sorting.
func (s *Store) TermEndDays(ctx context.Context, q domain.TermEndQuery) ([]domain.DateCount, error) {
	if len(q.Keys) == 0 {
		return nil, nil
	}
	from, args := termEndFrom(q)
	return queryAll(ctx, s.read, func(row scanner) (domain.DateCount, error) {
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
	}, termEndDaysSQL(from), args...)
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
