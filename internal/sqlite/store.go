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
	"net/url"
	"os"
	"path/filepath"
	"time"

	"github.com/pressly/goose/v3"

	// The cgo SQLite driver, registered as "sqlite3".
	_ "github.com/mattn/go-sqlite3"

	"github.com/wingtip/multichannel/db"
	"github.com/wingtip/multichannel/internal/domain"
)

// Store reads and writes the application's data. Writes go through a single
// connection so that SQLite never sees two writers; reads use a pool of
// read-only connections that run beside the writer thanks to WAL.
type Store struct {
	write *sql.DB
	read  *sql.DB
	now   func() time.Time
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
// migrations and refuses a schema newer than this program knows. The store
// stamps what it writes with the time now tells.
func Open(ctx context.Context, path string, now func() time.Time) (*Store, error) {
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return nil, fmt.Errorf("create database folder: %w", err)
		}
	}
	write, err := sql.Open("sqlite3", dsn(path, false))
	if err != nil {
		return nil, err
	}
	write.SetMaxOpenConns(1)
	write.SetConnMaxIdleTime(0)
	if err := migrate(ctx, write); err != nil {
		write.Close()
		return nil, err
	}
	read, err := sql.Open("sqlite3", dsn(path, true))
	if err != nil {
		write.Close()
		return nil, err
	}
	read.SetMaxOpenConns(8)
	read.SetMaxIdleConns(8)
	s := &Store{write: write, read: read, now: now}
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

// inTx runs fn in a write transaction, committing when fn returns nil.
func (s *Store) inTx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		return errors.Join(err, tx.Rollback())
	}
	return tx.Commit()
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
