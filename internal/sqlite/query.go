package sqlite

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"github.com/wingtip/multichannel/internal/domain"
)

// scanner is a row being read: a *sql.Row or the current row of *sql.Rows.
type scanner interface{ Scan(dest ...any) error }

// querier runs queries: the read pool, the writer or a transaction.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// queryAll runs query with args through db and reads every row with scan.
// The rows are closed when it returns, so a transaction can go on writing.
func queryAll[T any](ctx context.Context, db querier, scan func(scanner) (T, error), query string, args ...any) ([]T, error) {
	var out []T
	err := queryEach(ctx, db, scan, func(v T) error {
		out = append(out, v)
		return nil
	}, query, args...)
	if err != nil {
		return nil, err
	}
	return out, nil
}

// queryEach runs query with args through db and hands each row, read with
// scan, to fn as it comes, stopping at fn's first error.
func queryEach[T any](ctx context.Context, db querier, scan func(scanner) (T, error), fn func(T) error, query string, args ...any) error {
	rows, err := db.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return err
		}
		if err := fn(v); err != nil {
			return err
		}
	}
	return rows.Err()
}

// queryPage reads one page of a list: countSQL counts every match and
// listSQL, which ends with LIMIT ? OFFSET ?, selects the page. Both take
// args; the page's size and offset follow them in the list.
func queryPage[T any](ctx context.Context, db querier, scan func(scanner) (T, error), countSQL, listSQL string, args []any, page domain.Page) ([]T, int, error) {
	var total int
	if err := db.QueryRowContext(ctx, countSQL, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	items, err := queryAll(ctx, db, scan, listSQL, append(args[:len(args):len(args)], page.Size, page.Offset())...)
	return items, total, err
}

// moveCount moves n of the counts of stored state from to effective state
// to, dropping a state left at none: what counts kept by stored state read
// once the requests whose effective state differs are counted.
func moveCount[S ~string](counts map[S]int, from, to S, n int) {
	if n == 0 {
		return
	}
	counts[from] -= n
	counts[to] += n
	if counts[from] == 0 {
		delete(counts, from)
	}
}

// countByState runs query, which selects a state and a count per row
// (GROUP BY the state), and returns the counts by state.
func countByState[S ~string](ctx context.Context, db querier, query string, args ...any) (map[S]int, error) {
	type stateCount struct {
		status S
		n      int
	}
	list, err := queryAll(ctx, db, func(row scanner) (stateCount, error) {
		var sc stateCount
		return sc, row.Scan(&sc.status, &sc.n)
	}, query, args...)
	counts := make(map[S]int, len(list))
	for _, sc := range list {
		counts[sc.status] = sc.n
	}
	return counts, err
}

// classKeyColumns are the columns of a domain.ClassKey in table alias s,
// in the order scanClassCount reads them.
const classKeyColumns = `s.channel, s.service_type, s.commerce, s.offer_kind`

// classKeysIn is the condition that the classKeyColumns are one of keys,
// with its arguments; keys must not be empty.
func classKeysIn(keys []domain.ClassKey) (string, []any) {
	args := make([]any, 0, 4*len(keys))
	for _, k := range keys {
		args = append(args, k.Channel, k.ServiceType, k.Commerce, k.Offer)
	}
	return `(` + classKeyColumns + `) IN (VALUES ` + strings.TrimSuffix(strings.Repeat("(?, ?, ?, ?), ", len(keys)), ", ") + `)`, args
}

// scanClassCount reads a row of the classKeyColumns and a count.
func scanClassCount(row scanner) (domain.ClassCount, error) {
	var cc domain.ClassCount
	err := row.Scan(&cc.Channel, &cc.ServiceType, &cc.Commerce, &cc.Offer, &cc.Count)
	return cc, err
}

// effectiveStatusSQL is the SQL of the Effective method of requests and
// transfers, for table alias a: a pending row past its expiry counts as
// expired. Its arguments are effectiveStatusArgs.
func effectiveStatusSQL(a string) string {
	return `CASE WHEN ` + a + `.status = ? AND ` + a + `.expires_at <= ? THEN ? ELSE ` + a + `.status END`
}

// effectiveStatusArgs are the arguments of effectiveStatusSQL at now.
func effectiveStatusArgs[S ~string](pending, expired S, now time.Time) []any {
	return []any{pending, formatTime(now), expired}
}

// effectiveWhere is the WHERE clause, and its arguments, that selects in
// table alias a the rows f asks for at now, in their effective state:
// pending and expired are the states of a's kind, where a pending row past
// its expiry counts as expired. Requests and transfers share the rule and
// the (status, expires_at, id) index it runs on.
func effectiveWhere[S ~string](a string, f domain.ListFilter[S], pending, expired S, now time.Time) (string, []any) {
	n := formatTime(now)
	switch {
	case f.ExpiringWithin > 0:
		return ` WHERE ` + a + `.status = ? AND ` + a + `.expires_at > ? AND ` + a + `.expires_at <= ?`,
			[]any{pending, n, formatTime(now.Add(f.ExpiringWithin))}
	case f.Status == "":
		return "", nil
	case f.Status == pending:
		return ` WHERE ` + a + `.status = ? AND ` + a + `.expires_at > ?`, []any{pending, n}
	case f.Status == expired:
		return ` WHERE ` + a + `.status = ? OR (` + a + `.status = ? AND ` + a + `.expires_at <= ?)`, []any{expired, pending, n}
	}
	return ` WHERE ` + a + `.status = ?`, []any{f.Status}
}

// updateOne runs an update that must change exactly one row: a conditional
// update on the state a transaction read, or an update of a row by its id.
// One that changes none returns refused: the row moved on since it was read
// (a lost race gets the conflict a refusal would have given), or there is no
// such row (domain.ErrNotFound).
func updateOne(ctx context.Context, db execer, refused error, query string, args ...any) error {
	res, err := db.ExecContext(ctx, query, args...)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n != 1 {
		return refused
	}
	return nil
}

// expiryCondition is the condition, and its argument, that repeats in a
// conditional update what a change needs of the row's expiry (a request's
// or a transfer's expires_at); empty when it needs nothing.
func expiryCondition(e domain.Expiry, now time.Time) (string, []any) {
	switch e {
	case domain.BeforeExpiry:
		return ` AND expires_at > ?`, []any{formatTime(now)}
	case domain.AfterExpiry:
		return ` AND expires_at <= ?`, []any{formatTime(now)}
	}
	return "", nil
}
