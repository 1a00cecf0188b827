// Package sqlite is the store of Multichannel Support on an embedded SQLite
// database (mattn/go-sqlite3). It owns the connections, applies the embedded
// migrations and maps rows to domain types; nothing outside it writes SQL.
package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/mattn/go-sqlite3"
	"github.com/pressly/goose/v3"

	"github.com/wingtip/multichannel/db"
	"github.com/wingtip/multichannel/internal/domain"
)

// Store reads and writes the application's data. Writes go through a single
// connection so that SQLite never sees two writers; reads use a pool of
// read-only connections that run beside the writer thanks to WAL.
type Store struct {
	write writer
	read  *reader
	// partner is PartnerSettings' copy of the partner's row.
	partner partnerCache
	now     func() time.Time
	// dir is the database's folder, whose disk Ready measures; maxSize is the
	// MaxSize cap, or 0.
	dir     string
	maxSize int64
}

// writer is the single write connection. Its ExecContext, like inTx, reports
// a full disk as domain.ErrStorageFull, so that every write of the store does
// without each method saying so, and counts what it committed in changes.
type writer struct {
	*sql.DB
	changes *changeCounts
}

// ExecContext runs one write statement outside a transaction.
func (w writer) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	res, err := w.DB.ExecContext(ctx, query, args...)
	if err == nil {
		w.changes.committed(0)
	}
	return res, storageFull(err)
}

// changeCounts count the writes the store has committed, each once it is
// committed: all of them; those that may change what any page shows; and,
// in customerBuckets buckets by customer id, those that change only what
// the pages of one customer show (inCustomerTx). Writes by another process
// (the partner set command) are not counted.
type changeCounts struct {
	all, book atomic.Uint64
	customers [customerBuckets]atomic.Uint64
}

// customerBuckets is how many counters the customers' writes share: a
// customer's count also moves with the writes of the customers of its
// bucket, which only makes its pages read again sooner.
const customerBuckets = 4096

// committed counts a write that changed what the pages of customer show,
// or, for customer 0, what any page may show.
func (c *changeCounts) committed(customer int64) {
	c.all.Add(1)
	if customer == 0 {
		c.book.Add(1)
	} else {
		c.customers[uint64(customer)%customerBuckets].Add(1)
	}
}

// Changes counts every write committed so far: what was read while the
// count stood still holds as long as it stands. The web layer's page cache
// is keyed on it.
func (s *Store) Changes() uint64 { return s.write.changes.all.Load() }

// CustomerChanges is Changes for what shows the subscriptions of one
// customer at most (its own pages, with the partner's settings and the
// users): it leaves out the writes that change other customers'
// subscriptions alone (inCustomerTx). Customer 0 is for what shows no
// subscription at all.
func (s *Store) CustomerChanges(customerID int64) uint64 {
	c := s.write.changes
	if customerID == 0 {
		return c.book.Load()
	}
	// Both counts only grow, so their sum stands only while both do.
	return c.book.Load() + c.customers[uint64(customerID)%customerBuckets].Load()
}

// reader is the pool of read connections. Its queries run as prepared
// statements kept for the life of the store, one per query text: a page's
// queries are the same texts on every request, and SQLite's parsing and
// planning of a join cost more than running it on an index. Query texts
// past maxPreparedReads (built from a filter's many combinations) run
// unprepared, so the cache cannot grow without bound.
type reader struct {
	*sql.DB
	mu       sync.RWMutex
	prepared map[string]*sql.Stmt
	watch    readWatch
}

// maxPreparedReads bounds reader's statement cache; the app's pages have a
// few hundred query texts.
const maxPreparedReads = 1000

// QueryContext runs a read query through its prepared statement.
func (r *reader) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	run, err := r.runner(ctx, query, args)
	if err != nil {
		return nil, err
	}
	return run.QueryContext(ctx, args...)
}

// QueryRowContext runs a read query of one row through its prepared
// statement; a statement that does not prepare reports its error when the
// row is scanned, as the DB's does.
func (r *reader) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	run, err := r.runner(ctx, query, args)
	if err != nil {
		run = unprepared{r.DB, query}
	}
	return run.QueryRowContext(ctx, args...)
}

// statementRunner runs one query text with its arguments: a prepared
// statement, or unprepared's query on a pool or a transaction.
type statementRunner interface {
	QueryContext(ctx context.Context, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, args ...any) *sql.Row
}

// unprepared runs query on db as it is, parsed again each time.
type unprepared struct {
	db    querier
	query string
}

func (u unprepared) QueryContext(ctx context.Context, args ...any) (*sql.Rows, error) {
	return u.db.QueryContext(ctx, u.query, args...)
}

func (u unprepared) QueryRowContext(ctx context.Context, args ...any) *sql.Row {
	return u.db.QueryRowContext(ctx, u.query, args...)
}

// runner is what runs query: its prepared statement (or, past the cache's
// bound, the text itself), within the snapshot ctx carries (Store.Snapshot)
// if it carries one, on the pool otherwise. The read watcher sees query
// with its args.
func (r *reader) runner(ctx context.Context, query string, args []any) (statementRunner, error) {
	r.watch.seen(query, args)
	stmt, err := r.statement(ctx, query)
	if err != nil {
		return nil, err
	}
	tx, _ := ctx.Value(snapshotKey{}).(*sql.Tx)
	switch {
	case stmt != nil && tx != nil:
		return tx.StmtContext(ctx, stmt), nil
	case stmt != nil:
		return stmt, nil
	case tx != nil:
		return unprepared{tx, query}, nil
	}
	return unprepared{r.DB, query}, nil
}

// snapshotKey is the context key of the read transaction of Store.Snapshot.
type snapshotKey struct{}

// Snapshot runs read with a context whose reads of the store all see the
// database as it was at the first of them: one read transaction on one
// connection of the pool, ended when read returns. It is for what reads a
// whole in several queries and must agree with itself, such as an export
// that writes its counts before its rows; the writer goes on meanwhile
// (WAL), and the transaction keeps the WAL from being emptied past it, so
// read should not last longer than a download (the server's write
// timeout). A snapshot inside a snapshot is the outer one.
func (s *Store) Snapshot(ctx context.Context, read func(ctx context.Context) error) error {
	if _, ok := ctx.Value(snapshotKey{}).(*sql.Tx); ok {
		return read(ctx)
	}
	tx, err := s.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return err
	}
	defer tx.Rollback()
	return read(context.WithValue(ctx, snapshotKey{}, tx))
}

// statement returns the prepared statement of query, preparing it the first
// time, or nil when the cache is full.
func (r *reader) statement(ctx context.Context, query string) (*sql.Stmt, error) {
	r.mu.RLock()
	stmt, ok := r.prepared[query]
	full := len(r.prepared) >= maxPreparedReads
	r.mu.RUnlock()
	if ok || full {
		return stmt, nil
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if stmt, ok := r.prepared[query]; ok {
		return stmt, nil
	}
	stmt, err := r.DB.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	if r.prepared == nil {
		r.prepared = map[string]*sql.Stmt{}
	}
	r.prepared[query] = stmt
	return stmt, nil
}

// Close closes the prepared statements, then the pool.
func (r *reader) Close() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, stmt := range r.prepared {
		stmt.Close()
	}
	r.prepared = nil
	return r.DB.Close()
}

// storageFull marks err as domain.ErrStorageFull when SQLite ran out of room:
// SQLITE_FULL is both a full disk (SQLite's answer to ENOSPC on a write) and
// the cap of MaxSize; an ENOSPC on a sync or truncate comes as an I/O error
// that carries the system's errno.
func storageFull(err error) error {
	var sqlErr sqlite3.Error
	if errors.As(err, &sqlErr) && (sqlErr.Code == sqlite3.ErrFull || sqlErr.SystemErrno == syscall.ENOSPC) || errors.Is(err, syscall.ENOSPC) {
		return fmt.Errorf("%w: %w", domain.ErrStorageFull, err)
	}
	return err
}

// Option changes how Open sets up the store.
type Option func(*options)

type options struct {
	maxSize int64
	log     *slog.Logger
}

// Logger is where Open says what it repaired at start-up (a database file
// open to other users, made private); without it Open repairs silently.
func Logger(log *slog.Logger) Option {
	return func(o *options) { o.log = log }
}

// MaxSize caps the database file at about bytes (whole pages; the WAL beside
// it is not counted): a write that would grow the file further fails with
// domain.ErrStorageFull and saves nothing, as on a full disk. It keeps the
// database from filling a disk it shares with others. SQLite never shrinks a
// file to a cap, so a cap at or below the current size lets it take no new
// pages; what fits in the free room of its pages is still written. Zero or
// less means no cap.
func MaxSize(bytes int64) Option {
	return func(o *options) { o.maxSize = bytes }
}

// dsn builds the connection string. Every setting is a DSN parameter, not a
// PRAGMA run once, so each connection the pool opens gets it.
func dsn(path string, readOnly bool) string {
	q := url.Values{}
	// Wait up to 5 s for a lock instead of failing at once with "database is locked".
	q.Set("_busy_timeout", "5000")
	// Enforce REFERENCES clauses; SQLite leaves them off by default.
	q.Set("_foreign_keys", "1")
	// WAL lets readers run while the writer commits.
	q.Set("_journal_mode", "WAL")
	// FULL syncs the WAL at every commit: an accepted relationship must survive a power cut.
	q.Set("_synchronous", "FULL")
	// Freed pages are overwritten, so a scrubbed invitation token does not
	// linger in the file after its message was delivered or withdrawn.
	q.Set("_secure_delete", "on")
	if readOnly {
		// The read pool cannot write by mistake.
		q.Set("mode", "ro")
		q.Set("_query_only", "1")
	} else {
		// BEGIN IMMEDIATE takes the write lock at the start of a transaction, so a
		// read-then-write transaction never fails upgrading its lock half-way.
		q.Set("_txlock", "immediate")
	}
	return "file:" + url.PathEscape(path) + "?" + q.Encode()
}

// Open opens (creating when needed) the database at path, applies pending
// migrations and refuses a schema newer than this program knows. Before it
// writes anything it refuses, naming the cause, a folder it cannot create
// files in, a file it cannot write and a damaged file; a file open to other
// users it makes private (see Logger). The store stamps what it writes with
// the time now tells.
func Open(ctx context.Context, path string, now func() time.Time, opts ...Option) (*Store, error) {
	if err := registerStablePlans(); err != nil {
		return nil, err
	}
	o := options{log: slog.New(slog.DiscardHandler)}
	for _, opt := range opts {
		opt(&o)
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("create database folder: %w", err)
	}
	if err := prepareFolder(dir); err != nil {
		return nil, err
	}
	if err := prepareFile(path, o.log); err != nil {
		return nil, err
	}
	write := sql.OpenDB(connector{dsn: dsn(path, false), driver: &sqlite3.SQLiteDriver{ConnectHook: capPages(o.maxSize)}})
	write.SetMaxOpenConns(1)
	write.SetConnMaxIdleTime(0)
	for _, check := range []func(context.Context, *sql.DB) error{checkIntact, checkWrites, migrate} {
		if err := check(ctx, write); err != nil {
			write.Close()
			return nil, err
		}
	}
	read, err := sql.Open("sqlite3", dsn(path, true))
	if err != nil {
		write.Close()
		return nil, err
	}
	read.SetMaxOpenConns(8)
	read.SetMaxIdleConns(8)
	s := &Store{write: writer{DB: write, changes: new(changeCounts)}, read: &reader{DB: read}, now: now, dir: dir, maxSize: o.maxSize}
	if err := s.Ping(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// Close closes every connection. Between the read pool and the writer it
// empties the WAL: SQLite cleans it up at close only in the last connection
// to go, and a read connection still checked out (database/sql closes those
// when they come back, after the writer) is read-only and cannot, which
// would leave old pages, a scrubbed token among them, in the WAL file. A
// reader still inside a query would keep the WAL anyway: the checkpoint
// waits for it only briefly, so shutdown never hangs on it.
func (s *Store) Close() error {
	readErr := s.read.Close()
	ctx := context.Background()
	if _, err := s.write.ExecContext(ctx, `PRAGMA busy_timeout = 200`); err == nil {
		s.forgetOldPages(ctx)
	}
	return errors.Join(readErr, s.write.Close())
}

// Ping checks that both the writer and the read pool answer.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.write.PingContext(ctx); err != nil {
		return err
	}
	return s.read.PingContext(ctx)
}

// migrationFiles is the embedded migrations folder, settable by tests.
var migrationFiles fs.FS = mustSub(db.Migrations, "migrations")

func mustSub(fsys fs.FS, dir string) fs.FS {
	sub, err := fs.Sub(fsys, dir)
	if err != nil {
		panic(err)
	}
	return sub
}

func migrate(ctx context.Context, conn *sql.DB) error {
	provider, err := goose.NewProvider(goose.DialectSQLite3, conn, migrationFiles)
	if err != nil {
		return fmt.Errorf("load migrations: %w", err)
	}
	current, err := provider.GetDBVersion(ctx)
	if err != nil {
		return fmt.Errorf("read schema version: %w", err)
	}
	sources := provider.ListSources()
	known := int64(0)
	if len(sources) > 0 {
		known = sources[len(sources)-1].Version
	}
	if current > known {
		return fmt.Errorf("%w: database at version %d, program knows up to %d", domain.ErrSchemaTooNew, current, known)
	}
	if _, err := provider.Up(ctx); err != nil {
		return fmt.Errorf("apply migrations: %w", err)
	}
	return nil
}

// forgetOldPages copies the WAL into the database and empties it, so that
// the old copy of a page a scrub rewrote (a live invitation token, once its
// message is delivered) does not stay in the WAL file. It is best effort:
// readers may hold the WAL, and the next checkpoint will do it then.
func (s *Store) forgetOldPages(ctx context.Context) {
	_, _ = s.write.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`)
}

// inTx runs fn in a write transaction, committing when fn returns nil. On a
// full disk, whether fn's statement or the commit ran out of room, the whole
// transaction is rolled back and the error is domain.ErrStorageFull.
func (s *Store) inTx(ctx context.Context, fn func(*sql.Tx) error) error {
	return s.inCustomerTx(ctx, 0, fn)
}

// inCustomerTx is inTx for a transaction that changes only what the pages
// of customer customerID show, besides the book-wide pages (lists, counts,
// the audit log): its subscriptions, say, but not its name, which the
// pages of transfers and relationships show beside others'. It is counted
// in CustomerChanges of that customer alone; customer 0 is inTx.
func (s *Store) inCustomerTx(ctx context.Context, customerID int64, fn func(*sql.Tx) error) error {
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return storageFull(err)
	}
	if err := fn(tx); err != nil {
		return storageFull(errors.Join(err, tx.Rollback()))
	}
	if err := tx.Commit(); err != nil {
		return storageFull(err)
	}
	s.write.changes.committed(customerID)
	return nil
}

// timeLayout has a fixed width so that stored times sort correctly as text.
const timeLayout = "2006-01-02T15:04:05.000000000Z"

func formatTime(t time.Time) string { return t.UTC().Format(timeLayout) }

func parseTime(s string) (time.Time, error) { return time.Parse(timeLayout, s) }

// timeColumn scans a stored time into *t; a NULL leaves the zero time.
type timeColumn struct{ t *time.Time }

func (c timeColumn) Scan(v any) error {
	var s string
	switch v := v.(type) {
	case nil:
		*c.t = time.Time{}
		return nil
	case string:
		s = v
	case []byte:
		s = string(v)
	default:
		return fmt.Errorf("time column holds %T", v)
	}
	t, err := parseTime(s)
	if err != nil {
		return err
	}
	*c.t = t
	return nil
}
