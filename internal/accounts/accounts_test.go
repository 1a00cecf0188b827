package accounts

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wingtip/multichannel/internal/argon2id"
	"github.com/wingtip/multichannel/internal/clock"
	"github.com/wingtip/multichannel/internal/domain"
	"github.com/wingtip/multichannel/internal/sqlite"
	"github.com/wingtip/multichannel/internal/twofactor"
)

const password = "a-good-long-password"

func newService(t *testing.T) (*Service, *sqlite.Store, string) {
	t.Helper()
	return newServiceAt(t, clock.UTC)
}

// newServiceAt is newService with the service and its store on the clock now.
func newServiceAt(t *testing.T, now func() time.Time) (*Service, *sqlite.Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "accounts.db")
	store, err := sqlite.Open(context.Background(), path, now)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	sealer, err := twofactor.NewSealer([]byte("accounts test data key of 32 bytes or more"))
	if err != nil {
		t.Fatal(err)
	}
	svc := New(store, argon2id.New(argon2id.Params{MemoryKiB: 1024, Time: 1, Threads: 1}, 2), sealer, now)
	if _, err := svc.AddUser(context.Background(), domain.NewUser{Email: "Kim@Contoso.Example", Name: "Kim", Role: domain.RoleAdminAgent, Password: password}); err != nil {
		t.Fatal(err)
	}
	return svc, store, path
}

func TestSessionLifetimes(t *testing.T) {
	ctx := context.Background()
	t0 := time.Date(2026, 11, 25, 8, 0, 0, 0, time.UTC)
	clock := t0
	svc, _, _ := newServiceAt(t, func() time.Time { return clock })
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
	if err := store.SetUserActive(ctx, domain.Actor{}, u.ID, false); err != nil {
		t.Fatal(err)
	}
	if _, _, err := svc.SignIn(ctx, SignInRequest{Email: "kim@contoso.example", Password: password, ClientIP: "192.0.2.1"}); !errors.Is(err, domain.ErrBadCredentials) {
		t.Fatalf("disabled user signed in: %v", err)
	}
}

// TestNoSecretReachesTheDatabase signs in, fails to, and signs out, then
// reads the database files byte by byte (WAL included): neither the password,
// nor what was typed as an e-mail, nor the session token may be there.
func TestNoSecretReachesTheDatabase(t *testing.T) {
	svc, store, path := newService(t)
	ctx := context.Background()
	token, _, err := svc.SignIn(ctx, SignInRequest{Email: "kim@contoso.example", Password: password, ClientIP: "192.0.2.1"})
	if err != nil {
		t.Fatal(err)
	}
	_, _, _ = svc.SignIn(ctx, SignInRequest{Email: "kim@contoso.example", Password: "wrong-" + password, ClientIP: "192.0.2.1"})
	_, _, _ = svc.SignIn(ctx, SignInRequest{Email: "typed-my-secret-here", Password: "x", ClientIP: "192.0.2.1"})
	if err := svc.SignOut(ctx, token, domain.User{}, "192.0.2.1"); err != nil {
		t.Fatal(err)
	}
	entries, err := store.RecentAudit(ctx, domain.Page{Number: 1, Size: 10})
	if err != nil {
		t.Fatal(err)
	}
	store.Close()
	var files []byte
	for _, suffix := range []string{"", "-wal"} {
		data, _ := os.ReadFile(path + suffix)
		files = append(files, data...)
	}
	if len(files) == 0 {
		t.Fatal("read nothing of the database")
	}
	raw, _ := base64.RawURLEncoding.DecodeString(token)
	for _, secret := range [][]byte{[]byte(password), []byte(token), raw, []byte("typed-my-secret-here")} {
		if bytes.Contains(files, secret) {
			t.Errorf("a secret is stored in clear: %q", secret[:6])
		}
	}
	actions := map[string]domain.AuditEntry{}
	for _, e := range entries {
		actions[string(e.Action)+" "+e.Target] = e
	}
	failed, ok := actions["sign_in_failed user:kim@contoso.example"]
	if !ok || failed.ActorID != 0 {
		t.Errorf("the failed sign-in of a known account is not audited right: %+v", entries)
	}
	if _, ok := actions["sign_in_failed unknown account"]; !ok {
		t.Errorf("the failed sign-in of an unknown account is not audited: %+v", entries)
	}
	if _, ok := actions["sign_out user:"]; !ok {
		t.Errorf("sign-out is not audited: %+v", entries)
	}
}

// countingHasher counts the password checks and can fail the next hash.
type countingHasher struct {
	PasswordHasher
	verifies atomic.Int32
	failNext atomic.Bool
}

func (h *countingHasher) Verify(ctx context.Context, pw, encoded string) (bool, error) {
	h.verifies.Add(1)
	return h.PasswordHasher.Verify(ctx, pw, encoded)
}

func (h *countingHasher) Hash(ctx context.Context, pw string) (string, error) {
	if h.failNext.CompareAndSwap(true, false) {
		return "", errors.New("no slot")
	}
	return h.PasswordHasher.Hash(ctx, pw)
}

// TestConcurrentGuessesAreLimited fires sixty wrong passwords at one account
// at once: only the five the limit allows may reach the password check.
func TestConcurrentGuessesAreLimited(t *testing.T) {
	_, store, _ := newService(t)
	hasher := &countingHasher{PasswordHasher: argon2id.New(argon2id.Params{MemoryKiB: 1024, Time: 1, Threads: 1}, 2)}
	svc := New(store, hasher, nil, clock.UTC)
	var wg sync.WaitGroup
	var limited atomic.Int32
	for i := range 60 {
		wg.Go(func() {
			_, _, err := svc.SignIn(context.Background(), SignInRequest{Email: "kim@contoso.example", Password: fmt.Sprint("guess", i), ClientIP: "192.0.2.9"})
			var rl *RateLimitedError
			if errors.As(err, &rl) {
				limited.Add(1)
			}
		})
	}
	wg.Wait()
	if n := hasher.verifies.Load(); n != AccountFailureLimit {
		t.Fatalf("%d passwords were checked, want %d", n, AccountFailureLimit)
	}
	if n := limited.Load(); n != 60-AccountFailureLimit {
		t.Fatalf("%d attempts were refused, want %d", n, 60-AccountFailureLimit)
	}
}

// TestAFailedDummyHashIsNotKept makes the hash used for unknown accounts fail
// once: the next unknown e-mail must again get the ordinary answer.
func TestAFailedDummyHashIsNotKept(t *testing.T) {
	_, store, _ := newService(t)
	hasher := &countingHasher{PasswordHasher: argon2id.New(argon2id.Params{MemoryKiB: 1024, Time: 1, Threads: 1}, 2)}
	svc := New(store, hasher, nil, clock.UTC)
	hasher.failNext.Store(true)
	req := SignInRequest{Email: "nobody@contoso.example", Password: "whatever1", ClientIP: "192.0.2.1"}
	if _, _, err := svc.SignIn(context.Background(), req); err == nil || errors.Is(err, domain.ErrBadCredentials) {
		t.Fatalf("the failing hash was not reported: %v", err)
	}
	if _, _, err := svc.SignIn(context.Background(), req); !errors.Is(err, domain.ErrBadCredentials) {
		t.Fatalf("after one failure, unknown e-mails get %v, want ErrBadCredentials", err)
	}
}

// TestConcurrentSignIns signs in from several goroutines at once (as many as
// the account's allowance of attempts); each gets its own working session.
func TestConcurrentSignIns(t *testing.T) {
	svc, _, _ := newService(t)
	ctx := context.Background()
	var wg sync.WaitGroup
	tokens := make([]string, AccountFailureLimit)
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

// signInAt returns a sign-in to Kim's account from ip with password pw, on
// a service whose clock reads *now.
func signInAt(t *testing.T, now *time.Time) func(ip, pw string) error {
	t.Helper()
	svc, _, _ := newServiceAt(t, func() time.Time { return *now })
	return func(ip, pw string) error {
		_, _, err := svc.SignIn(context.Background(), SignInRequest{Email: "kim@contoso.example", Password: pw, ClientIP: ip})
		return err
	}
}

// TestOneAddressCannotLockAnotherOut guesses from one address, and from
// addresses rotated inside one IPv6 /64, until refused: the real user still
// signs in from elsewhere.
func TestOneAddressCannotLockAnotherOut(t *testing.T) {
	now := time.Date(2026, 11, 25, 8, 0, 0, 0, time.UTC)
	guess := signInAt(t, &now)
	for _, attacker := range [][]string{{"203.0.113.5"}, {"2001:db8:1:2::1", "2001:db8:1:2::2", "2001:db8:1:2:ffff::3"}} {
		for i := range AccountFailureLimit {
			if err := guess(attacker[i%len(attacker)], "wrong-guess"); !errors.Is(err, domain.ErrBadCredentials) {
				t.Fatalf("guess %d from %v: %v", i+1, attacker, err)
			}
		}
		var limited *RateLimitedError
		if err := guess(attacker[0], password); !errors.As(err, &limited) || !strings.Contains(limited.Limit, "from this address") {
			t.Fatalf("the guessing address %v past the limit: %v", attacker, err)
		}
	}
	if err := guess("198.51.100.7", password); err != nil {
		t.Fatalf("the real user from another address is locked out: %v", err)
	}
}

// TestTheOverallLimitStopsADistributedGuess spreads guesses over many
// addresses, each below its own limit: the account's overall limit stops
// them, from a new address too, until its window has passed.
func TestTheOverallLimitStopsADistributedGuess(t *testing.T) {
	now := time.Date(2026, 11, 25, 8, 0, 0, 0, time.UTC)
	guess := signInAt(t, &now)
	for i := range AccountOverallFailureLimit {
		ip := fmt.Sprintf("203.0.113.%d", i/(AccountFailureLimit-1))
		if err := guess(ip, "wrong-guess"); !errors.Is(err, domain.ErrBadCredentials) {
			t.Fatalf("guess %d from %s: %v", i+1, ip, err)
		}
	}
	var limited *RateLimitedError
	if err := guess("198.51.100.99", "wrong-guess"); !errors.As(err, &limited) || !strings.Contains(limited.Limit, "every address") {
		t.Fatalf("guess %d from a new address: %v, want the overall limit", AccountOverallFailureLimit+1, err)
	}
	if want := now.Add(AccountOverallWindow); !limited.RetryAt.Equal(want) {
		t.Errorf("retry at %v, want %v", limited.RetryAt, want)
	}
	now = now.Add(AccountOverallWindow)
	if err := guess("198.51.100.99", password); err != nil {
		t.Fatalf("after the window: %v", err)
	}
}

// TestRefusalsCannotFloodTheAuditLog records refusals as a flood would send
// them: one entry per kind, target and address (IPv6 per /64) in a window,
// and no more than RefusalAuditLimit in all; how many were left out is told
// once, with the first refusal after the window.
func TestRefusalsCannotFloodTheAuditLog(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 11, 25, 8, 0, 0, 0, time.UTC)
	flooded := now.Add(time.Minute)
	svc, store, _ := newServiceAt(t, func() time.Time { return now })
	count := func() int {
		entries, err := store.RecentAudit(ctx, domain.Page{Number: 1, Size: 1000})
		if err != nil {
			t.Fatal(err)
		}
		return len(entries)
	}
	var left RefusalsNotAudited
	refuse := func(ip, target string) {
		var err error
		if left, err = svc.RecordRefusal(ctx, domain.AuditEntry{Action: domain.AuditCrossOriginRefused, Target: target, ClientIP: ip}); err != nil {
			t.Fatal(err)
		}
		if left.Count != 0 && !now.Equal(flooded.Add(RefusalAuditWindow)) {
			t.Fatalf("%d refusals reported as not audited at %v", left.Count, now)
		}
	}
	for i := range 20 {
		refuse(fmt.Sprintf("2001:db8:1:2::%x", i+1), "POST /login")
		refuse("192.0.2.1", "POST /login")
	}
	refuse("192.0.2.1", "POST /logout")
	if n := count(); n != 3 {
		t.Fatalf("%d entries, want 3: one per address and target", n)
	}
	for i := range 2 * RefusalAuditLimit {
		if i == RefusalAuditLimit-3 {
			now = flooded // the first left out
		}
		refuse(fmt.Sprintf("10.0.%d.%d", i/256, i%256), "POST /login")
	}
	if n := count(); n != RefusalAuditLimit {
		t.Fatalf("a flood from many addresses wrote %d entries in one window, want at most %d", n, RefusalAuditLimit)
	}
	now = flooded.Add(RefusalAuditWindow)
	refuse("192.0.2.1", "POST /login")
	if n := count(); n != RefusalAuditLimit+1 {
		t.Fatalf("the next window wrote %d entries, want 1", n-RefusalAuditLimit)
	}
	if want := (RefusalsNotAudited{Count: RefusalAuditLimit + 3, Since: flooded, Until: now}); left != want {
		t.Fatalf("the refusals left out were told as %+v, want %+v", left, want)
	}
	refuse("192.0.2.2", "POST /login")
	if left.Count != 0 {
		t.Fatalf("the refusals left out were told twice")
	}
}

// TestAnOverlongEmailIsNotCounted signs in with e-mail fields longer than
// any address, as a flood of megabyte fields would: each is the ordinary
// answer, costs no hash, and is neither kept nor counted against the
// address, from which the user then signs in.
func TestAnOverlongEmailIsNotCounted(t *testing.T) {
	_, store, _ := newService(t)
	hasher := &countingHasher{PasswordHasher: argon2id.New(argon2id.Params{MemoryKiB: 1024, Time: 1, Threads: 1}, 2)}
	svc := New(store, hasher, nil, clock.UTC)
	for i := range IPFailureLimit + 5 {
		long := fmt.Sprintf("%d%s@contoso.example", i, strings.Repeat("x", 1<<20))
		if _, _, err := svc.SignIn(context.Background(), SignInRequest{Email: long, Password: "wrong", ClientIP: "192.0.2.9"}); !errors.Is(err, domain.ErrBadCredentials) {
			t.Fatalf("an e-mail field of a megabyte: %v, want the ordinary answer", err)
		}
	}
	if n := hasher.verifies.Load(); n != 0 {
		t.Fatalf("%d hashes were spent on e-mail fields longer than any address", n)
	}
	if _, _, err := svc.SignIn(context.Background(), SignInRequest{Email: "kim@contoso.example", Password: password, ClientIP: "192.0.2.9"}); err != nil {
		t.Fatalf("the user from the same address: %v", err)
	}
}

// TestAKnownAddressPassesTheOverallLimit lets a guess spread over many
// addresses use up the account's overall limit: the real user still signs
// in from an address they signed in from before, and a guess from there is
// held to that address's own limit; a new address is stopped, and so is the
// known one once KnownAddressWindow has passed since its sign-in.
func TestAKnownAddressPassesTheOverallLimit(t *testing.T) {
	now := time.Date(2026, 11, 25, 8, 0, 0, 0, time.UTC)
	signIn := signInAt(t, &now)
	for _, ip := range []string{"198.51.100.7", "2001:db8:5:6::1"} {
		if err := signIn(ip, password); err != nil {
			t.Fatal(err)
		}
	}
	distributedGuess := func() {
		t.Helper()
		for i := range AccountOverallFailureLimit {
			ip := fmt.Sprintf("203.0.113.%d", i/(AccountFailureLimit-1))
			if err := signIn(ip, "wrong-guess"); !errors.Is(err, domain.ErrBadCredentials) {
				t.Fatalf("guess %d from %s: %v", i+1, ip, err)
			}
		}
	}
	now = now.Add(24 * time.Hour)
	distributedGuess()
	var limited *RateLimitedError
	if err := signIn("198.51.100.99", password); !errors.As(err, &limited) || !strings.Contains(limited.Limit, "every address") {
		t.Fatalf("a new address past the overall limit: %v, want the overall limit", err)
	}
	if err := signIn("198.51.100.7", password); err != nil {
		t.Fatalf("the real user from an address they signed in from: %v", err)
	}
	if err := signIn("2001:db8:5:6:ffff::2", password); err != nil {
		t.Fatalf("the real user from another address of a /64 they signed in from: %v", err)
	}
	for i := range AccountFailureLimit {
		if err := signIn("198.51.100.7", "wrong-guess"); !errors.Is(err, domain.ErrBadCredentials) {
			t.Fatalf("guess %d from the known address: %v", i+1, err)
		}
	}
	if err := signIn("198.51.100.7", password); !errors.As(err, &limited) || !strings.Contains(limited.Limit, "from this address") {
		t.Fatalf("the known address past its own limit: %v, want that limit", err)
	}

	now = now.Add(KnownAddressWindow)
	distributedGuess()
	if err := signIn("2001:db8:5:6::1", password); !errors.As(err, &limited) || !strings.Contains(limited.Limit, "every address") {
		t.Fatalf("an address last signed in from %v ago: %v, want the overall limit", KnownAddressWindow, err)
	}
}
