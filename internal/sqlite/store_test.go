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
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/wingtip/multichannel/internal/clock"
	"github.com/wingtip/multichannel/internal/domain"
	"github.com/wingtip/multichannel/internal/testio"
)

func openTestStore(t *testing.T) (*Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "store.db")
	s, err := Open(context.Background(), path, clock.UTC)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, path
}

func TestMigrationsOnAFreshFile(t *testing.T) {
	s, path := openTestStore(t)
	ctx := context.Background()
	entries, _ := fs.ReadDir(migrationFiles, ".")
	newest, _ := strconv.ParseInt(strings.SplitN(entries[len(entries)-1].Name(), "_", 2)[0], 10, 64)
	var v int64
	err := s.read.QueryRowContext(ctx, `SELECT MAX(version_id) FROM goose_db_version WHERE is_applied = 1`).Scan(&v)
	if err != nil || v != newest || newest < 2 {
		t.Fatalf("schema version = %d, %v; want %d, the newest migration", v, err, newest)
	}
	for _, table := range []string{"partner", "users", "sessions", "audit_log", "customers", "customer_terms", "subscriptions", "import_batches"} {
		var n int
		if err := s.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?`, table).Scan(&n); err != nil || n != 1 {
			t.Errorf("table %s missing after migration", table)
		}
	}
	s.Close()
	again, err := Open(ctx, path, clock.UTC)
	if err != nil {
		t.Fatalf("reopening a migrated database: %v", err)
	}
	again.Close()
}

func TestRefusesANewerSchema(t *testing.T) {
	s, path := openTestStore(t)
	ctx := context.Background()
	if _, err := s.write.ExecContext(ctx, `INSERT INTO goose_db_version (version_id, is_applied) VALUES (9999, 1)`); err != nil {
		t.Fatal(err)
	}
	s.Close()
	_, err := Open(ctx, path, clock.UTC)
	if !errors.Is(err, domain.ErrSchemaTooNew) {
		t.Fatalf("Open on a newer schema = %v; want ErrSchemaTooNew", err)
	}
}

func TestConnectionSettings(t *testing.T) {
	stableBefore := stableConnections()
	s, _ := openTestStore(t)
	ctx := context.Background()
	for _, tc := range []struct {
		pragma string
		want   string
	}{
		{"journal_mode", "wal"},
		{"synchronous", "2"}, // FULL
		{"foreign_keys", "1"},
		{"busy_timeout", "5000"},
	} {
		var got string
		if err := s.write.QueryRowContext(ctx, "PRAGMA "+tc.pragma).Scan(&got); err != nil || got != tc.want {
			t.Errorf("writer PRAGMA %s = %q, %v; want %q", tc.pragma, got, err, tc.want)
		}
	}
	// Several read connections at once, each with the settings from the DSN.
	conns := make([]*sql.Conn, 3)
	for i := range conns {
		c, err := s.read.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		conns[i] = c
		var fk, sync string
		if err := c.QueryRowContext(ctx, "PRAGMA foreign_keys").Scan(&fk); err != nil || fk != "1" {
			t.Errorf("read connection %d: foreign_keys = %q, %v", i, fk, err)
		}
		if err := c.QueryRowContext(ctx, "PRAGMA synchronous").Scan(&sync); err != nil || sync != "2" {
			t.Errorf("read connection %d: synchronous = %q, %v", i, sync, err)
		}
	}
	if _, err := s.read.ExecContext(ctx, `INSERT INTO audit_log (at, action) VALUES ('x', 'y')`); err == nil {
		t.Error("the read pool accepted a write")
	}
	// The writer and the three readers opened with the planner's stability
	// guarantee (qpsg.go).
	if opened := stableConnections() - stableBefore; opened < 1+len(conns) {
		t.Errorf("%d connections opened with the query planner stability guarantee, want at least %d", opened, 1+len(conns))
	}
}

func TestUsers(t *testing.T) {
	s, _ := openTestStore(t)
	ctx := context.Background()
	id, err := s.CreateUser(ctx, domain.User{Email: "avery@wingtip.example", Name: "Avery Chen", Role: domain.RoleGlobalAdmin, Active: true, PasswordHash: "h"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateUser(ctx, domain.User{Email: "avery@wingtip.example", Name: "Other", Role: domain.RoleSalesAgent, Active: true, PasswordHash: "h"}); !errors.Is(err, domain.ErrEmailTaken) {
		t.Fatalf("duplicate e-mail: %v; want ErrEmailTaken", err)
	}
	u, err := s.UserByEmail(ctx, "avery@wingtip.example")
	if err != nil || u.ID != id || u.Role != domain.RoleGlobalAdmin || !u.Active || u.CreatedAt.IsZero() {
		t.Fatalf("UserByEmail = %+v, %v", u, err)
	}
	if _, err := s.UserByID(ctx, id+100); !errors.Is(err, domain.ErrNotFound) {
		t.Fatalf("unknown id: %v", err)
	}
	for i := range 60 {
		if _, err := s.CreateUser(ctx, domain.User{Email: fmt.Sprintf("u%02d@x.example", i), Name: fmt.Sprintf("User %02d", i), Role: domain.RoleSalesAgent, Active: true, PasswordHash: "h"}); err != nil {
			t.Fatal(err)
		}
	}
	page2, total, err := s.ListUsers(ctx, domain.Page{Number: 2, Size: 50})
	if err != nil || total != 61 || len(page2) != 11 {
		t.Fatalf("page 2: %d users of %d, %v; want 11 of 61", len(page2), total, err)
	}
	if page2[len(page2)-1].Name != "User 59" {
		t.Fatalf("not ordered by name: last is %q", page2[len(page2)-1].Name)
	}
}

func TestDisablingAndARoleChangeEndSessions(t *testing.T) {
	s, _ := openTestStore(t)
	ctx := context.Background()
	id, _ := s.CreateUser(ctx, domain.User{Email: "sam@x.example", Name: "Sam", Role: domain.RoleAdminAgent, Active: true, PasswordHash: "h"})
	for _, tc := range []struct {
		name   string
		change func() error
	}{
		{"disable", func() error { return s.SetUserActive(ctx, domain.Actor{}, id, false) }},
		{"role change", func() error { return s.SetUserRole(ctx, domain.Actor{}, id, domain.RoleSalesAgent) }},
	} {
		hash := []byte(strings.Repeat(tc.name[:1], 32))
		now := time.Now().UTC()
		if err := s.CreateSession(ctx, hash, domain.Session{UserID: id, CreatedAt: now, LastSeenAt: now, AuthenticatedAt: now}, "127.0.0.1", "test"); err != nil {
			t.Fatal(err)
		}
		if err := tc.change(); err != nil {
			t.Fatal(err)
		}
		sess, err := s.SessionByHash(ctx, hash)
		if err != nil || sess.RevokedAt == nil {
			t.Errorf("%s: session not revoked (%+v, %v)", tc.name, sess, err)
		}
	}
	if err := s.SetUserActive(ctx, domain.Actor{}, id+99, false); !errors.Is(err, domain.ErrNotFound) {
		t.Errorf("disabling an unknown user: %v", err)
	}
}

func TestSessionsAndFlash(t *testing.T) {
	s, _ := openTestStore(t)
	ctx := context.Background()
	id, _ := s.CreateUser(ctx, domain.User{Email: "j@x.example", Name: "J", Role: domain.RoleSalesAgent, Active: true, PasswordHash: "h"})
	hash := []byte(strings.Repeat("s", 32))
	t0 := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	if err := s.CreateSession(ctx, hash, domain.Session{UserID: id, CreatedAt: t0, LastSeenAt: t0, AuthenticatedAt: t0}, "10.0.0.1", "ua"); err != nil {
		t.Fatal(err)
	}
	if err := s.TouchSession(ctx, hash, t0.Add(5*time.Minute)); err != nil {
		t.Fatal(err)
	}
	sess, err := s.SessionByHash(ctx, hash)
	if err != nil || !sess.LastSeenAt.Equal(t0.Add(5*time.Minute)) || !sess.CreatedAt.Equal(t0) {
		t.Fatalf("after touch: %+v, %v", sess, err)
	}
	if err := s.SetFlash(ctx, hash, "Saved."); err != nil {
		t.Fatal(err)
	}
	if msg, err := s.TakeFlash(ctx, hash); err != nil || msg != "Saved." {
		t.Fatalf("TakeFlash = %q, %v", msg, err)
	}
	if msg, _ := s.TakeFlash(ctx, hash); msg != "" {
		t.Fatalf("flash shown twice: %q", msg)
	}
	if err := s.RevokeSession(ctx, hash); err != nil {
		t.Fatal(err)
	}
	if sess, _ := s.SessionByHash(ctx, hash); sess.RevokedAt == nil {
		t.Fatal("RevokeSession left the session open")
	}
	if _, err := s.SessionByHash(ctx, []byte("unknown")); !errors.Is(err, domain.ErrNotFound) {
		t.Fatalf("unknown session: %v", err)
	}
}

func TestPartnerAndAudit(t *testing.T) {
	s, _ := openTestStore(t)
	ctx := context.Background()
	if _, err := s.Partner(ctx); !errors.Is(err, domain.ErrNotFound) {
		t.Fatalf("partner before set: %v", err)
	}
	p := domain.Partner{Name: "Wingtip", PartnerID: "5139005", CSPModel: domain.CSPDirectBill, Cloud: domain.CloudCommercial}
	if err := s.SetPartner(ctx, p); err != nil {
		t.Fatal(err)
	}
	p.Cloud = domain.CloudUSGovernment
	if err := s.SetPartner(ctx, p); err != nil {
		t.Fatal(err)
	}
	got, err := s.Partner(ctx)
	if err != nil || got.Name != "Wingtip" || got.Cloud != domain.CloudUSGovernment {
		t.Fatalf("Partner = %+v, %v", got, err)
	}
	if err := s.AppendAudit(ctx, domain.AuditEntry{Action: "sign_in_failed", Target: "user:x", ClientIP: "192.0.2.1"}); err != nil {
		t.Fatal(err)
	}
	entries, err := s.RecentAudit(ctx, domain.Page{Number: 1, Size: 10})
	if err != nil || len(entries) != 1 || entries[0].Action != "sign_in_failed" || entries[0].ActorID != 0 {
		t.Fatalf("RecentAudit = %+v, %v", entries, err)
	}
}

// TestConcurrentReadThenWriteTransactions runs 16 goroutines that each read a
// value and write it back incremented inside one transaction, while others
// read from the pool. Half of them go through a second Store on the same file,
// as a second process would, so SQLite's own locking is exercised and not only
// the single writer connection. None may see "database is locked" and no
// increment may be lost.
func TestConcurrentReadThenWriteTransactions(t *testing.T) {
	s, path := openTestStore(t)
	ctx := context.Background()
	other, err := Open(ctx, path, clock.UTC)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if _, err := s.write.ExecContext(ctx, `CREATE TABLE counter (id INTEGER PRIMARY KEY, value INTEGER NOT NULL); INSERT INTO counter VALUES (1, 0)`); err != nil {
		t.Fatal(err)
	}
	const workers, rounds = 16, 40
	var wg sync.WaitGroup
	errs := make(chan error, workers*rounds*2)
	for w := range workers {
		store := s
		if w%2 == 1 {
			store = other
		}
		wg.Add(2)
		go func() {
			defer wg.Done()
			for range rounds {
				errs <- store.inTx(ctx, func(tx *sql.Tx) error {
					var v int
					if err := tx.QueryRowContext(ctx, `SELECT value FROM counter WHERE id = 1`).Scan(&v); err != nil {
						return err
					}
					_, err := tx.ExecContext(ctx, `UPDATE counter SET value = ? WHERE id = 1`, v+1)
					return err
				})
			}
		}()
		go func() {
			defer wg.Done()
			for range rounds {
				var v int
				errs <- store.read.QueryRowContext(ctx, `SELECT value FROM counter WHERE id = 1`).Scan(&v)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatalf("concurrent transaction failed: %v", err)
		}
	}
	var v int
	if err := s.read.QueryRowContext(ctx, `SELECT value FROM counter WHERE id = 1`).Scan(&v); err != nil || v != workers*rounds {
		t.Fatalf("counter = %d, %v; want %d (lost updates)", v, err, workers*rounds)
	}
}

// A clean close leaves the WAL empty even when a read connection is still
// checked out, idle, and so closes after the writer: SQLite's own clean-up
// at close is done only by the last connection, and a read-only one cannot
// do it, which would leave old pages (a scrubbed token) in the WAL file.
func TestCloseEmptiesTheWALWithAReaderStillOut(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "close.db")
	s, err := Open(ctx, path, clock.UTC)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SetPartner(ctx, domain.Partner{Name: "Wingtip", PartnerID: "5139005", CSPModel: domain.CSPDirectBill, Cloud: domain.CloudCommercial}); err != nil {
		t.Fatal(err)
	}
	reader, err := s.read.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var name string
	if err := reader.QueryRowContext(ctx, `SELECT name FROM partner`).Scan(&name); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	reader.Close()
	if fi, err := os.Stat(path + "-wal"); err == nil && fi.Size() > 0 {
		t.Errorf("the WAL holds %d bytes after a clean close", fi.Size())
	}
}

// A store capped at its current size refuses the write that would grow it as
// a full disk refuses it: domain.ErrStorageFull, with nothing of the change
// saved (no customer without its audit entry, no search terms of a customer
// that is not there), and it goes on reading.
func TestAWritePastTheSizeCapIsStorageFullAndSavesNothing(t *testing.T) {
	ctx := context.Background()
	s, path := openTestStore(t)
	actor := ctActor(t, s, "cap@wingtip.example")
	s.Close()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	capped, err := Open(ctx, path, clock.UTC, MaxSize(fi.Size()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { capped.Close() })
	var full error
	created := 0
	for i := range 2000 {
		c := ctCustomer(t, fmt.Sprintf("Customer %04d %s", i, strings.Repeat("x", 150)), fmt.Sprintf("customer%04d.example", i))
		if _, full = capped.CreateCustomer(ctx, actor, c); full != nil {
			break
		}
		created++
	}
	if !errors.Is(full, domain.ErrStorageFull) {
		t.Fatalf("after %d customers the write past the cap gave %v; want ErrStorageFull", created, full)
	}
	var customers, terms, entries int
	err = capped.read.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM customers),
		(SELECT COUNT(*) FROM customer_terms WHERE customer_id NOT IN (SELECT id FROM customers)),
		(SELECT COUNT(*) FROM audit_log WHERE action = ?)`, domain.AuditCustomerCreated).Scan(&customers, &terms, &entries)
	if err != nil || customers != created || entries != created || terms != 0 {
		t.Fatalf("after the refused write: %d customers, %d audit entries, %d orphan terms (%v); want %d, %d, 0",
			customers, entries, terms, err, created, created)
	}
	// A write outside a transaction says so too.
	if _, err := capped.write.ExecContext(ctx, `CREATE TABLE filler AS SELECT randomblob(100000) AS b`); !errors.Is(err, domain.ErrStorageFull) {
		t.Fatalf("a single statement past the cap gave %v; want ErrStorageFull", err)
	}
	if _, err := capped.UserByEmail(ctx, "cap@wingtip.example"); err != nil {
		t.Fatalf("reading from the full store: %v", err)
	}
}

// The database, its -wal and its -shm are private to the program's user
// wherever the file is placed, whatever the umask: an unsent draft holds a
// live invitation link. (Not parallel: the umask is the process's.)
func TestTheDatabaseFilesAreCreatedPrivate(t *testing.T) {
	old := syscall.Umask(0)
	defer syscall.Umask(old)
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "anywhere", "private.db")
	s, err := Open(ctx, path, clock.UTC)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.SetPartner(ctx, domain.Partner{Name: "Wingtip", PartnerID: "5139005", CSPModel: domain.CSPDirectBill, Cloud: domain.CloudCommercial}); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{path, path + "-wal", path + "-shm"} {
		info, err := os.Stat(name)
		if err != nil || info.Mode().Perm() != 0o600 {
			t.Errorf("%s: %v, %v; want mode 0600", filepath.Base(name), info.Mode(), err)
		}
	}
}

// A database made before the app created its files private (or copied in
// with another mode) is made private at the next start, its -wal and -shm
// with it, and the log says so at WARN: the mode of a file SQLite already
// opened is not changed by creating new ones private.
func TestADatabaseOpenToOthersIsMadePrivateAtStartUp(t *testing.T) {
	ctx := context.Background()
	running, path := openTestStore(t)
	if err := running.SetPartner(ctx, domain.Partner{Name: "Wingtip", PartnerID: "5139005", CSPModel: domain.CSPDirectBill, Cloud: domain.CloudCommercial}); err != nil {
		t.Fatal(err)
	}
	files := []string{path, path + "-wal", path + "-shm"}
	for _, name := range files {
		if err := os.Chmod(name, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var logs testio.Buffer
	s, err := Open(ctx, path, clock.UTC, Logger(slog.New(slog.NewTextHandler(&logs, nil))))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, name := range files {
		info, err := os.Stat(name)
		if err != nil || info.Mode().Perm() != 0o600 {
			t.Errorf("%s: %v, %v; want mode 0600", filepath.Base(name), info.Mode(), err)
		}
		if want := "file=" + filepath.Base(name) + " was=-rw-r--r-- now=-rw-------"; !strings.Contains(logs.String(), want) {
			t.Errorf("the log does not say %q:\n%s", want, logs.String())
		}
	}
	if n := strings.Count(logs.String(), "level=WARN"); n != len(files) {
		t.Errorf("%d warnings, want one per file:\n%s", n, logs.String())
	}
}

// Ready passes on a store with room and says so when the room below the
// MaxSize cap is under the reserve, while the same store still answers Ping:
// a full store is alive, but not ready to take a change.
func TestReadyMeasuresTheRoomBelowTheCap(t *testing.T) {
	ctx := context.Background()
	s, path := openTestStore(t)
	if writes, room := s.Ready(ctx); writes != nil || room != nil {
		t.Fatalf("a fresh store is not ready: %v; %v", writes, room)
	}
	s.Close()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	capped, err := Open(ctx, path, clock.UTC, MaxSize(fi.Size()+4096))
	if err != nil {
		t.Fatal(err)
	}
	defer capped.Close()
	writes, room := capped.Ready(ctx)
	if writes != nil || room == nil || !strings.Contains(room.Error(), "left below its size limit") || strings.Contains(room.Error(), path) {
		t.Fatalf("a store one page below its cap: Ready = %v; %v; want it to say the room below the limit, without the path", writes, room)
	}
	if err := capped.Ping(ctx); err != nil {
		t.Fatalf("the full store does not answer Ping: %v", err)
	}
}
