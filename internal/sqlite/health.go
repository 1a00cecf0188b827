package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/mattn/go-sqlite3"
)

// DiskReserve is the free room Ready asks of the database's disk: room for
// the WAL to grow past its checkpoint size (1,000 pages, about 4 MiB) while
// a reader holds it, and for several of the largest changes, a 5 MiB
// inventory import, on top. Below it the app still works but says it is not
// ready, before writes start failing.
const DiskReserve = 64 << 20

// prepareFolder checks that the program may create files in the database's
// folder: SQLite creates the -wal and -shm files beside the database at
// every start, so a database in a folder it cannot write does not open even
// when the file itself is writable.
func prepareFolder(dir string) error {
	probe, err := os.CreateTemp(dir, ".write-check-*")
	if err != nil {
		return fmt.Errorf("the folder %s does not let this program create files, and the database needs its -wal and -shm files there: %w", dir, err)
	}
	probe.Close()
	return os.Remove(probe.Name())
}

// prepareFile creates the database file before SQLite does, readable and
// writable by this program's user only: SQLite would create it 0644 less the
// umask, and it gives the -wal and -shm files the database's own mode, so
// all three are private, wherever the file is placed. An existing file must
// open for writing; when it, or its -wal or -shm, is open to others (a file
// made before the app created it private, or copied in), it is made private
// and the log says so at WARN.
func prepareFile(path string, log *slog.Logger) error {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if err == nil {
		// The umask may have taken away bits that are needed.
		return errors.Join(f.Chmod(0o600), f.Close())
	}
	if !errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("create the database file: %w", err)
	}
	if f, err = os.OpenFile(path, os.O_RDWR, 0); err != nil {
		return fmt.Errorf("the database file is read-only to this program: %w", err)
	}
	if err := f.Close(); err != nil {
		return err
	}
	for _, name := range []string{path, path + "-wal", path + "-shm"} {
		if err := makePrivate(name, log); err != nil {
			return err
		}
	}
	return nil
}

// makePrivate sets a file that others may read or write to 0600; a file
// that does not exist is left alone. Windows keeps no such bits: there the
// folder's access list decides.
func makePrivate(name string, log *slog.Logger) error {
	info, err := os.Stat(name)
	if errors.Is(err, fs.ErrNotExist) || runtime.GOOS == "windows" {
		return nil
	}
	if err != nil {
		return err
	}
	mode := info.Mode().Perm()
	if mode&0o077 == 0 {
		return nil
	}
	if err := os.Chmod(name, 0o600); err != nil {
		return fmt.Errorf("%s is open to other users (mode %v) and could not be made private: %w", name, mode, err)
	}
	log.Warn("the database file was open to other users; it is now readable and writable by this program's user only",
		"file", filepath.Base(name), "was", mode.String(), "now", fs.FileMode(0o600).String())
	return nil
}

// checkIntact runs PRAGMA quick_check, which reads every page but does not
// compare indexes with their tables (integrity_check does, much slower), so
// that a damaged file is refused before anything is written into it.
func checkIntact(ctx context.Context, db *sql.DB) error {
	rows, err := db.QueryContext(ctx, `PRAGMA quick_check`)
	if err != nil {
		return damaged(err)
	}
	defer rows.Close()
	var problems []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			return damaged(err)
		}
		if line != "ok" {
			problems = append(problems, line)
		}
	}
	if err := rows.Err(); err != nil {
		return damaged(err)
	}
	if len(problems) > 0 {
		return fmt.Errorf("the database file is damaged (quick_check: %s): restore it from a backup", strings.Join(problems, "; "))
	}
	return nil
}

// damaged names a file SQLite cannot read as a database as damaged; other
// errors pass unchanged.
func damaged(err error) error {
	var sqlErr sqlite3.Error
	if errors.As(err, &sqlErr) && (sqlErr.Code == sqlite3.ErrCorrupt || sqlErr.Code == sqlite3.ErrNotADB) {
		return fmt.Errorf("the database file is damaged (%w): restore it from a backup", err)
	}
	return err
}

// checkWrites writes in a transaction that it rolls back: it takes the
// write lock and rewrites the header's user_version with its own value, a
// change to page 1 only, so that it needs no new page and passes on a
// database at its size cap. Nothing reaches the file.
func checkWrites(ctx context.Context, db *sql.DB) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("the database refuses writes: %w", err)
	}
	defer tx.Rollback()
	var version int64
	if err := tx.QueryRowContext(ctx, `PRAGMA user_version`).Scan(&version); err != nil {
		return fmt.Errorf("the database refuses writes: %w", err)
	}
	// PRAGMA takes no bound parameters; the version is an integer.
	if _, err := tx.ExecContext(ctx, fmt.Sprintf(`PRAGMA user_version = %d`, version)); err != nil {
		return fmt.Errorf("the database refuses writes: %w", err)
	}
	return nil
}

// Ready says whether the store can take a change now. writes says what
// refuses one: the database (a write, rolled back, fails) or its file system
// (mounted read-only). room says what has too little room: the disk, with
// less than DiskReserve free, or under MaxSize the file, with less left
// below its cap than the smaller of DiskReserve and an eighth of the cap.
// The errors name no path, but they carry SQLite's words: they are for the
// log, not for the public.
func (s *Store) Ready(ctx context.Context) (writes, room error) {
	var refused, low []error
	if err := checkWrites(ctx, s.write.DB); err != nil {
		refused = append(refused, err)
	}
	free, readOnly, err := diskRoom(s.dir)
	switch {
	case errors.Is(err, errors.ErrUnsupported):
		// RoomMeasured says so.
	case err != nil:
		low = append(low, fmt.Errorf("the room on the database's disk is unknown: %w", err))
	case readOnly:
		refused = append(refused, errors.New("the database's file system is read-only"))
	case free < DiskReserve:
		low = append(low, fmt.Errorf("the database's disk has %s free, less than the %s the app keeps in reserve", sizeText(free), sizeText(DiskReserve)))
	}
	if s.maxSize > 0 {
		if err := s.checkCap(ctx); err != nil {
			low = append(low, err)
		}
	}
	return errors.Join(refused...), errors.Join(low...)
}

// RoomMeasured says whether Ready measures the free room of the disk on
// this system (Linux, macOS, FreeBSD); elsewhere it checks the size cap only.
func (s *Store) RoomMeasured() bool { return roomMeasured }

// checkCap compares the room left below the MaxSize cap, free pages
// included, with the smaller of DiskReserve and an eighth of the cap.
func (s *Store) checkCap(ctx context.Context) error {
	var pageSize, pages, freePages int64
	err := s.read.QueryRowContext(ctx, `SELECT page_size, page_count, freelist_count FROM pragma_page_size(), pragma_page_count(), pragma_freelist_count()`).
		Scan(&pageSize, &pages, &freePages)
	if err != nil {
		return fmt.Errorf("the room below the database's size limit is unknown: %w", err)
	}
	capBytes := max(s.maxSize/pageSize, 1) * pageSize
	left := capBytes - (pages-freePages)*pageSize
	if need := min(DiskReserve, s.maxSize/8); left < need {
		return fmt.Errorf("the database has %s left below its size limit of %s, less than the %s the app keeps in reserve", sizeText(left), sizeText(capBytes), sizeText(need))
	}
	return nil
}

// sizeText writes a size for people: 12.5 MiB, or 24.0 KiB below a MiB.
func sizeText(n int64) string {
	if n < 1<<20 {
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
}
