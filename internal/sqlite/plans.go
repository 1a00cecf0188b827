package sqlite

import (
	"context"
	"sync"
)

// readWatch is the function WatchReads set, called with every read query.
type readWatch struct {
	mu sync.RWMutex
	fn func(query string, args []any)
}

// seen hands a read query to the watcher, if there is one.
func (w *readWatch) seen(query string, args []any) {
	w.mu.RLock()
	fn := w.fn
	w.mu.RUnlock()
	if fn != nil {
		fn(query, args)
	}
}

// WatchReads calls fn with the text and arguments of every read query the
// store runs from now on (nil stops it). It is for the tests that read the
// query plan of every query the pages run (QueryPlan): the plans are
// SQLite's, so they are read from the store that runs them.
func (s *Store) WatchReads(fn func(query string, args []any)) {
	s.read.watch.mu.Lock()
	s.read.watch.fn = fn
	s.read.watch.mu.Unlock()
}

// QueryPlan returns SQLite's plan of a read query with its arguments, one
// line per step as EXPLAIN QUERY PLAN writes them ("SEARCH s USING INDEX
// ...", "SCAN c", "USE TEMP B-TREE FOR ORDER BY").
func (s *Store) QueryPlan(ctx context.Context, query string, args ...any) ([]string, error) {
	return queryAll(ctx, s.read.DB, func(row scanner) (string, error) {
		var id, parent, notUsed int
		var detail string
		err := row.Scan(&id, &parent, &notUsed, &detail)
		return detail, err
	}, "EXPLAIN QUERY PLAN "+query, args...)
}
