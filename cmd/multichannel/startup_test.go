package main

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/wingtip/multichannel/internal/clock"
	"github.com/wingtip/multichannel/internal/domain"
	"github.com/wingtip/multichannel/internal/sqlite"
)

// refuseWrites takes away the write permission of path, which a program
// not running as root then cannot write.
func refuseWrites(t *testing.T, path string) {
	t.Helper()
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, info.Mode().Perm()&^0o222); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.Chmod(path, info.Mode().Perm()) })
}

// rerunUnprivileged runs the test t again, in a copy of the test binary
// running as the user nobody: root writes through file modes, so a
// read-only file cannot be set up for it. The test is skipped, saying so,
// where the process may not change its user.
func rerunUnprivileged(t *testing.T) {
	t.Helper()
	const nobody = 65534
	dir, err := os.MkdirTemp("", "unprivileged-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	binary, err := os.ReadFile(self)
	if err != nil {
		t.Fatal(err)
	}
	copied := filepath.Join(dir, "test")
	if err := os.WriteFile(copied, binary, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(copied, "-test.run=^"+t.Name()+"$", "-test.count=1", "-test.v")
	cmd.Dir = dir
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: nobody, Gid: nobody}}
	out, err := cmd.CombinedOutput()
	if errors.Is(err, syscall.EPERM) {
		t.Skipf("the tests run as root, whom file modes do not stop, and cannot run this test as the user nobody (%v): no read-only file or folder can be set up here", err)
	}
	if err != nil || !bytes.Contains(out, []byte("--- PASS: "+t.Name())) {
		t.Fatalf("as the user nobody: %v\n%s", err, out)
	}
	t.Logf("as the user nobody:\n%s", out)
}

// newDatabase creates a database at path with a little data, closed.
func newDatabase(t *testing.T, path string) {
	t.Helper()
	ctx := context.Background()
	store, err := sqlite.Open(ctx, path, clock.UTC)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	if err := store.SetPartner(ctx, domain.Partner{Name: "Wingtip", PartnerID: "5139005", CSPModel: domain.CSPDirectBill, Cloud: domain.CloudCommercial}); err != nil {
		t.Fatal(err)
	}
}

// rootPage is the number of the first page of table in the database at path.
func rootPage(t *testing.T, path, table string) int64 {
	t.Helper()
	conn, err := sql.Open("sqlite3", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var page int64
	if err := conn.QueryRow(`SELECT rootpage FROM sqlite_master WHERE type = 'table' AND name = ?`, table).Scan(&page); err != nil {
		t.Fatal(err)
	}
	return page
}

// The server refuses to start on a database it cannot use, names the cause,
// and leaves the file as it was: a read-only file (which used to start and
// pass /healthz), a folder it cannot create files in (which used to say "no
// such file or directory") and a damaged file (which used to start and be
// written into).
func TestStartUpRefusesADatabaseItCannotUse(t *testing.T) {
	if os.Geteuid() == 0 {
		rerunUnprivileged(t)
		return
	}
	const (
		readOnly   = "the database file is read-only to this program"
		unwritable = "does not let this program create files, and the database needs its -wal and -shm files there"
		isDamaged  = "the database file is damaged"
	)
	for _, tc := range []struct {
		name string
		// existing says whether a database is there before spoil runs.
		existing bool
		spoil    func(t *testing.T, dir, db string)
		want     string
	}{
		{"read-only file", true, func(t *testing.T, _, db string) { refuseWrites(t, db) }, readOnly},
		{"unwritable folder", false, func(t *testing.T, dir, _ string) { refuseWrites(t, dir) }, unwritable},
		{"unwritable folder holding a database", true, func(t *testing.T, dir, _ string) { refuseWrites(t, dir) }, unwritable},
		{"damaged page", true, func(t *testing.T, _, db string) {
			data, err := os.ReadFile(db)
			if err != nil || len(data) < 3*4096 {
				t.Fatalf("database of %d bytes: %v", len(data), err)
			}
			// The users table's root page, overwritten with noise.
			page := int(rootPage(t, db, "users"))
			copy(data[(page-1)*4096:page*4096], bytes.Repeat([]byte{0x5a, 0xa5}, 2048))
			if err := os.WriteFile(db, data, 0o600); err != nil {
				t.Fatal(err)
			}
		}, isDamaged},
		{"not a database", false, func(t *testing.T, _, db string) {
			if err := os.WriteFile(db, bytes.Repeat([]byte("not a database "), 1000), 0o600); err != nil {
				t.Fatal(err)
			}
		}, isDamaged},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "data")
			if err := os.Mkdir(dir, 0o750); err != nil {
				t.Fatal(err)
			}
			db := filepath.Join(dir, "app.db")
			if tc.existing {
				newDatabase(t, db)
			}
			tc.spoil(t, dir, db)
			before, _ := os.ReadFile(db)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			// A server that starts after all is stopped at once, to fail the test.
			out := &stopOnStart{stop: cancel}
			err := run(ctx, []string{"--db", db, "--addr", "127.0.0.1:0"}, env(nil), nil, out, io.Discard)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("start-up gave %v; want an error saying %q", err, tc.want)
			}
			t.Logf("refused: %v", err)
			if out.started {
				t.Errorf("the server started: %s", out.String())
			}
			if after, _ := os.ReadFile(db); !bytes.Equal(before, after) {
				t.Errorf("the refused database changed (%d bytes before, %d after)", len(before), len(after))
			}
		})
	}
}

// stopOnStart is the server's output; it calls stop when the server says it
// is running.
type stopOnStart struct {
	bytes.Buffer
	stop    func()
	started bool
}

func (w *stopOnStart) Write(p []byte) (int, error) {
	if bytes.Contains(p, []byte("is running")) {
		w.started = true
		w.stop()
	}
	return w.Buffer.Write(p)
}
