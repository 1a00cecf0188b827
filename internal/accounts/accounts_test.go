package accounts

import (
	"context"
	"database/sql"
	"encoding/base64"
	"errors"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wingtip/multichannel/internal/argon2id"
	"github.com/wingtip/multichannel/internal/domain"
	"github.com/wingtip/multichannel/internal/sqlite"
)

const password = "a-good-long-password"

func newService(t *testing.T) (*Service, *sqlite.Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "accounts.db")
	store, err := sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	svc := New(store, argon2id.New(argon2id.Params{MemoryKiB: 1024, Time: 1, Threads: 1}, 2))
	if _, err := svc.AddUser(context.Background(), domain.NewUser{Email: "Kim@Contoso.Example", Name: "Kim", Role: domain.RoleAdminAgent, Password: password}); err != nil {
		t.Fatal(err)
	}
	return svc, store, path
}

func TestSessionLifetimes(t *testing.T) {
	svc, _, _ := newService(t)
	ctx := context.Background()
	t0 := time.Date(2026, 11, 25, 8, 0, 0, 0, time.UTC)
	clock := t0
	svc.SetClock(func() time.Time { return clock })
	token, _, err := svc.SignIn(ctx, SignInRequest{Email: "kim@contoso.example", Password: password, ClientIP: "192.0.2.1"})
	if err != nil {
		t.Fatal(err)
	}
	// Active every 20 minutes: the idle timeout never strikes, but the 12-hour
	// limit does.
	for clock = t0.Add(20 * time.Minute); clock.Before(t0.Add(12 * time.Hour)); clock = clock.Add(20 * time.Minute) {
		if _, _, err := svc.Authenticate(ctx, token); err != nil {
			t.Fatalf("session ended at %v although active: %v", clock.Sub(t0), err)
		}
	}
	clock = t0.Add(12 * time.Hour)
	if _, _, err := svc.Authenticate(ctx, token); !errors.Is(err, domain.ErrSessionExpired) {
		t.Fatalf("session alive after 12 h: %v", err)
	}

	clock = t0
	idle, _, _ := svc.SignIn(ctx, SignInRequest{Email: "kim@contoso.example", Password: password, ClientIP: "192.0.2.1"})
	clock = t0.Add(29 * time.Minute)
	if _, _, err := svc.Authenticate(ctx, idle); err != nil {
		t.Fatalf("session ended before 30 idle minutes: %v", err)
	}
	clock = clock.Add(30 * time.Minute)
	if _, _, err := svc.Authenticate(ctx, idle); !errors.Is(err, domain.ErrSessionExpired) {
		t.Fatalf("session alive after 30 idle minutes: %v", err)
	}
}

func TestMalformedAndUnknownTokensAreSignedOut(t *testing.T) {
	svc, _, _ := newService(t)
	for _, token := range []string{"", "x", strings.Repeat("A", 43), base64.RawURLEncoding.EncodeToString(make([]byte, 16))} {
		if _, _, err := svc.Authenticate(context.Background(), token); !errors.Is(err, domain.ErrSessionExpired) {
			t.Errorf("token %q: %v", token, err)
		}
	}
}

func TestDisabledUserCannotSignIn(t *testing.T) {
	svc, store, _ := newService(t)
	ctx := context.Background()
	u, _ := store.UserByEmail(ctx, "kim@contoso.example")
	if err := store.SetUserActive(ctx, u.ID, false); err != nil {
		t.Fatal(err)
	}
	if _, _, err := svc.SignIn(ctx, SignInRequest{Email: "kim@contoso.example", Password: password, ClientIP: "192.0.2.1"}); !errors.Is(err, domain.ErrBadCredentials) {
		t.Fatalf("disabled user signed in: %v", err)
	}
}

// TestNoSecretReachesTheDatabase signs in and fails to, then reads every text
// column of every table: neither the password nor the session token may be
// there, only the token's hash.
func TestNoSecretReachesTheDatabase(t *testing.T) {
	svc, store, path := newService(t)
	ctx := context.Background()
	token, _, err := svc.SignIn(ctx, SignInRequest{Email: "kim@contoso.example", Password: password, ClientIP: "192.0.2.1"})
	if err != nil {
		t.Fatal(err)
	}
	_, _, _ = svc.SignIn(ctx, SignInRequest{Email: "kim@contoso.example", Password: "wrong-" + password, ClientIP: "192.0.2.1"})
	if err := svc.SignOut(ctx, token, domain.User{}, "192.0.2.1"); err != nil {
		t.Fatal(err)
	}
	store.Close()
	db, err := sql.Open("sqlite3", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var dump strings.Builder
	for _, table := range []string{"users", "sessions", "audit_log", "partner"} {
		rows, err := db.Query("SELECT * FROM " + table)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			_ = rows.Scan(ptrs...)
			for _, v := range vals {
				switch v := v.(type) {
				case string:
					dump.WriteString(v + "\n")
				case []byte:
					dump.WriteString(string(v) + "\n")
				}
			}
		}
		rows.Close()
	}
	for _, secret := range []string{password, token} {
		if strings.Contains(dump.String(), secret) {
			t.Errorf("a secret is stored in clear: %q", secret[:6])
		}
	}
	if !strings.Contains(dump.String(), "sign_in_failed") || !strings.Contains(dump.String(), "sign_out") {
		t.Error("sign-in events are missing from the audit log")
	}
}

// TestConcurrentSignIns signs in from many goroutines at once; each gets its
// own working session.
func TestConcurrentSignIns(t *testing.T) {
	svc, _, _ := newService(t)
	ctx := context.Background()
	var wg sync.WaitGroup
	tokens := make([]string, 12)
	errs := make([]error, len(tokens))
	for i := range tokens {
		wg.Go(func() {
			tokens[i], _, errs[i] = svc.SignIn(ctx, SignInRequest{Email: "kim@contoso.example", Password: password, ClientIP: "192.0.2.1"})
		})
	}
	wg.Wait()
	seen := map[string]bool{}
	for i, token := range tokens {
		if errs[i] != nil {
			t.Fatal(errs[i])
		}
		if seen[token] {
			t.Fatal("two sign-ins got the same token")
		}
		seen[token] = true
		if _, _, err := svc.Authenticate(ctx, token); err != nil {
			t.Fatal(err)
		}
	}
}
