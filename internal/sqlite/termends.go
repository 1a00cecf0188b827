package sqlite

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
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
// relationship is active, and the number of all of them, summed from the
// counters. Without keys nothing is selected, rather than everything.
func (s *Store) TermEnds(ctx context.Context, q domain.TermEndQuery) ([]domain.TermEndItem, int, error) {
	if len(q.Keys) == 0 {
		return nil, 0, nil
	}
	counted := termEndCountSQL(q, `SUM(s.n)`, "")
	var total sql.NullInt64
	if err := s.read.QueryRowContext(ctx, counted.query, counted.args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	var items []domain.TermEndItem
	err := s.EachTermEnd(ctx, q, func(item domain.TermEndItem) error {
		items = append(items, item)
		return nil
	})
	return items, int(total.Int64), err
}

// EachTermEnd hands fn each licence of TermEnds' page q as it reads it, in
// the order of their term ends: the whole window for an export, which holds
// one at a time. It stops at fn's first error and returns it.
func (s *Store) EachTermEnd(ctx context.Context, q domain.TermEndQuery, fn func(domain.TermEndItem) error) error {
	if len(q.Keys) == 0 {
		return nil
	}
	from, args := termEndFrom(q)
	return queryEach(ctx, s.read, scanTermEnd, fn, termEndListSQL(from),
		append(append(termEndStateArgs(s.now()), args...), q.Page.Size, q.Page.Offset())...)
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

// TermEndMonths counts the subscriptions q selects by the month of their
// term end (the first day of it) and class key, or group of keys when
// q.Groups numbers them, for the domain to sort into actions; q.Page is
// ignored. The whole months of the range are read from
// term_end_month_counts (migration 00031), a row per month and key; a month
// the range cuts (today's, which starts today) from the daily counters of
// term_end_counts, either its days in the range or, when fewer, its
// month's counter less its days outside the range
// (domain.MonthCounterPlan): a chart from the 4th reads 3 days of
// counters, not 27. Neither grows with the book.
func (s *Store) TermEndMonths(ctx context.Context, q domain.TermEndQuery) ([]domain.DateCount, error) {
	if len(q.Keys) == 0 || !q.From.Before(q.Until) {
		return nil, nil
	}
	if q.Groups != nil && len(q.Groups) != len(q.Keys) {
		return nil, fmt.Errorf("term-end months: %d groups for %d keys", len(q.Groups), len(q.Keys))
	}
	scan := dateCountScanner(q.Keys)
	sums := newMonthSums(q)
	plan := domain.MonthCounterPlan(q.From, q.Until)
	// Days taken off a month must be the month's own: the reads share a
	// snapshot.
	err := s.Snapshot(ctx, func(ctx context.Context) error {
		for _, d := range plan.Days {
			part := q
			part.From, part.Until = d.From, d.Until
			c := termEndCountSQL(part, `substr(s.term_end, 1, 8) || '01', MIN(k.column1), SUM(s.n)`, ` GROUP BY 1, k.column6`)
			if err := queryEach(ctx, s.read, scan, sums.add(d.Sign), c.query, c.args...); err != nil {
				return err
			}
		}
		if !plan.Months.From.Before(plan.Months.Until) {
			return nil
		}
		months := q
		months.From, months.Until = plan.Months.From, plan.Months.Until
		c := countersSQL("term_end_month_counts", "month", months, `s.month, MIN(k.column1), SUM(s.n)`, ` GROUP BY 1, k.column6`)
		return queryEach(ctx, s.read, scan, sums.add(1), c.query, c.args...)
	})
	if err != nil {
		return nil, err
	}
	return sums.counts(), nil
}

// monthSums adds up counts by month and group of keys, each group counted
// under the first of its keys that came.
type monthSums struct {
	group map[domain.ClassKey]int
	key   map[int]domain.ClassKey
	n     map[monthGroup]int
}

type monthGroup struct {
	month time.Time
	group int
}

func newMonthSums(q domain.TermEndQuery) *monthSums {
	m := &monthSums{group: map[domain.ClassKey]int{}, key: map[int]domain.ClassKey{}, n: map[monthGroup]int{}}
	for i, k := range q.Keys {
		m.group[k] = q.GroupOf(i)
	}
	return m
}

// add adds each count it is handed, times sign, to its month and group.
func (m *monthSums) add(sign int) func(domain.DateCount) error {
	return func(d domain.DateCount) error {
		g := m.group[d.Key]
		if _, ok := m.key[g]; !ok {
			m.key[g] = d.Key
		}
		m.n[monthGroup{d.Date, g}] += sign * d.Count
		return nil
	}
}

// counts are the sums above zero, by month then group.
func (m *monthSums) counts() []domain.DateCount {
	out := make([]domain.DateCount, 0, len(m.n))
	for mg, n := range m.n {
		if n > 0 {
			out = append(out, domain.DateCount{Date: mg.month, Key: m.key[mg.group], Count: n})
		}
	}
	slices.SortFunc(out, func(a, b domain.DateCount) int {
		return cmp.Or(a.Date.Compare(b.Date), cmp.Compare(m.group[a.Key], m.group[b.Key]))
	})
	return out
}

// sqlQuery is a query with its arguments.
type sqlQuery struct {
	query string
	args  []any
}

// termEndCountSQL reads columns of the daily counters of the term ends q
// selects, with the rest of the query after the conditions.
func termEndCountSQL(q domain.TermEndQuery, columns, rest string) sqlQuery {
	return countersSQL("term_end_counts", "term_end", q, columns, rest)
}

// countersSQL reads columns of the rows of a counter table (its alias s)
// with a date column from q.From up to q.Until and one of q.Keys, with the
// rest of the query after the conditions. The keys are a table k of their
// own, each with its place in the keys as k.column1, so that a row can
// name its key by that number instead of its four words, and the number
// of its group (q.GroupOf) as k.column6; each key is a range of the
// counters' index by key and date (migration 00035). table and date are
// this package's names, never input.
func countersSQL(table, date string, q domain.TermEndQuery, columns, rest string) sqlQuery {
	var values strings.Builder
	args := make([]any, 0, 4*len(q.Keys)+2)
	for i, k := range q.Keys {
		if i > 0 {
			values.WriteString(", ")
		}
		// The place and the group are numbers, never input.
		fmt.Fprintf(&values, "(%d, ?, ?, ?, ?, %d)", i, q.GroupOf(i))
		args = append(args, k.Channel, k.ServiceType, k.Commerce, k.Offer)
	}
	args = append(args, q.From.Format(domain.DateLayout), q.Until.Format(domain.DateLayout))
	return sqlQuery{`SELECT ` + columns + ` FROM (VALUES ` + values.String() + `) k JOIN ` + table + ` s
		ON (` + classKeyColumns + `) = (k.column2, k.column3, k.column4, k.column5)
		WHERE s.` + date + ` >= ? AND s.` + date + ` < ? AND s.n > 0` + rest, args}
}

// dateCountScanner reads rows of a term-end date, the place of a key in
// keys and a count (countersSQL's k.column1). The dates of a chart are a
// few dozen, each parsed once.
func dateCountScanner(keys []domain.ClassKey) func(scanner) (domain.DateCount, error) {
	dates := map[string]time.Time{}
	return func(row scanner) (domain.DateCount, error) {
		var date string
		var place int
		var d domain.DateCount
		if err := row.Scan(&date, &place, &d.Count); err != nil {
			return d, err
		}
		if place < 0 || place >= len(keys) {
			return d, fmt.Errorf("term-end counter of key %d among %d", place, len(keys))
		}
		d.Key = keys[place]
		var ok bool
		if d.Date, ok = dates[date]; !ok {
			var err error
			if d.Date, err = time.Parse(domain.DateLayout, date); err != nil {
				return d, fmt.Errorf("term end %q: %w", date, err)
			}
			dates[date] = d.Date
		}
		return d, nil
	}
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
