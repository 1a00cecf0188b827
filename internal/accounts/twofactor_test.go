package accounts

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wingtip/multichannel/internal/domain"
	"github.com/wingtip/multichannel/internal/twofactor"
)

// enrolled returns a service whose user kim has two-factor sign-in on, the
// user, the secret, the recovery codes, and a clock the test moves.
func enrolled(t *testing.T) (*Service, domain.User, string, []string, *time.Time) {
	t.Helper()
	ctx := context.Background()
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	svc, store, _ := newServiceAt(t, func() time.Time { return now })
	user, err := store.UserByEmail(ctx, "kim@contoso.example")
	if err != nil {
		t.Fatal(err)
	}
	if err := svc.BeginTwoFactor(ctx, user, ""); err != nil {
		t.Fatal(err)
	}
	setup, err := svc.pendingTwoFactor(ctx, user, "Wingtip")
	pending := setup.Pending
	if err != nil || !pending {
		t.Fatalf("no set-up waiting after BeginTwoFactor: %v", err)
	}
	actor := domain.Actor{UserID: user.ID, ClientIP: "192.0.2.1"}
	if _, err := svc.ConfirmTwoFactor(ctx, actor, user, "000000x"); !hasFieldError(err, "code") {
		t.Fatalf("a wrong code confirmed the set-up: %v", err)
	}
	codes, err := svc.ConfirmTwoFactor(ctx, actor, user, codeAt(t, setup.Secret, now))
	if err != nil {
		t.Fatal(err)
	}
	if len(codes) != twofactor.RecoveryCodeCount {
		t.Fatalf("got %d recovery codes", len(codes))
	}
	if user, err = store.UserByID(ctx, user.ID); err != nil || !user.TwoFactor {
		t.Fatalf("two-factor is not on after the set-up: %v", err)
	}
	// The confirming code's step is used up: sign-ins start a step later.
	now = now.Add(twofactor.Period * time.Second)
	return svc, user, setup.Secret, codes, &now
}

func codeAt(t *testing.T, secret string, at time.Time) string {
	t.Helper()
	code, err := twofactor.Code(secret, twofactor.Step(at))
	if err != nil {
		t.Fatal(err)
	}
	return code
}

func hasFieldError(err error, field string) bool {
	var fe domain.FieldErrors
	return errors.As(err, &fe) && fe[field] != ""
}

// signInPending signs kim in with the password and checks that the session
// waits for the second factor.
func signInPending(t *testing.T, svc *Service) string {
	t.Helper()
	token, _, err := svc.SignIn(context.Background(), SignInRequest{Email: "kim@contoso.example", Password: password, ClientIP: "192.0.2.1"})
	if err != nil {
		t.Fatal(err)
	}
	_, sess, err := svc.Authenticate(context.Background(), token)
	if err != nil || !sess.SecondFactorPending {
		t.Fatalf("after the password, the session is pending=%v (%v); want waiting for the code", sess.SecondFactorPending, err)
	}
	return token
}

func TestACodeSignsInOnceAndOnlyOnce(t *testing.T) {
	svc, _, secret, _, now := enrolled(t)
	ctx := context.Background()
	code := codeAt(t, secret, *now)

	first := signInPending(t, svc)
	if _, err := svc.CompleteSignIn(ctx, first, code, "192.0.2.1"); err != nil {
		t.Fatalf("the current code was refused: %v", err)
	}
	if _, sess, err := svc.Authenticate(ctx, first); err != nil || sess.SecondFactorPending {
		t.Fatalf("after the code the session is pending=%v (%v)", sess.SecondFactorPending, err)
	}
	if _, err := svc.CompleteSignIn(ctx, first, code, "192.0.2.1"); !errors.Is(err, domain.ErrSessionExpired) {
		t.Fatalf("a signed-in session took a code again: %v", err)
	}

	second := signInPending(t, svc)
	if _, err := svc.CompleteSignIn(ctx, second, code, "192.0.2.1"); !hasFieldError(err, "code") {
		t.Fatalf("the same code was accepted a second time: %v", err)
	}
	// Within the allowed skew, the code of the next step still works.
	if _, err := svc.CompleteSignIn(ctx, second, codeAt(t, secret, now.Add(twofactor.Period*time.Second)), "192.0.2.1"); err != nil {
		t.Fatalf("the next step's code was refused: %v", err)
	}
}

func TestTwoSimultaneousSignInsWithOneCodeLetOneIn(t *testing.T) {
	svc, _, secret, _, now := enrolled(t)
	code := codeAt(t, secret, *now)
	const racers = 4
	tokens := make([]string, racers)
	for i := range tokens {
		tokens[i] = signInPending(t, svc)
	}
	var wg sync.WaitGroup
	var passed, refused atomic.Int32
	for _, token := range tokens {
		wg.Go(func() {
			_, err := svc.CompleteSignIn(context.Background(), token, code, "192.0.2.1")
			switch {
			case err == nil:
				passed.Add(1)
			case hasFieldError(err, "code"):
				refused.Add(1)
			default:
				t.Errorf("unexpected error: %v", err)
			}
		})
	}
	wg.Wait()
	if passed.Load() != 1 || refused.Load() != racers-1 {
		t.Fatalf("%d sign-ins passed and %d were refused; want 1 and %d", passed.Load(), refused.Load(), racers-1)
	}
}

func TestARecoveryCodeWorksOnce(t *testing.T) {
	svc, user, _, codes, _ := enrolled(t)
	ctx := context.Background()
	token := signInPending(t, svc)
	if _, err := svc.CompleteSignIn(ctx, token, codes[3], "192.0.2.1"); err != nil {
		t.Fatalf("a recovery code was refused: %v", err)
	}
	if left, err := svc.RecoveryCodesLeft(ctx, user.ID); err != nil || left != twofactor.RecoveryCodeCount-1 {
		t.Fatalf("%d recovery codes left (%v), want %d", left, err, twofactor.RecoveryCodeCount-1)
	}
	again := signInPending(t, svc)
	if _, err := svc.CompleteSignIn(ctx, again, codes[3], "192.0.2.1"); !hasFieldError(err, "code") {
		t.Fatalf("a used recovery code worked again: %v", err)
	}
}

func TestCodeAttemptsAreLimitedPerUserAcrossSessions(t *testing.T) {
	svc, _, secret, _, now := enrolled(t)
	ctx := context.Background()
	for i := range CodeFailureLimit {
		// Each guess from a new session: the limit is the user's.
		token := signInPending(t, svc)
		if _, err := svc.CompleteSignIn(ctx, token, "000000", "192.0.2.1"); !hasFieldError(err, "code") {
			t.Fatalf("guess %d: %v", i+1, err)
		}
	}
	token := signInPending(t, svc)
	var rl *RateLimitedError
	if _, err := svc.CompleteSignIn(ctx, token, codeAt(t, secret, *now), "192.0.2.1"); !errors.As(err, &rl) {
		t.Fatalf("after %d wrong codes even the right one should wait; got %v", CodeFailureLimit, err)
	}
}

func TestTheCodeMustComeSoonAfterThePassword(t *testing.T) {
	svc, _, secret, _, now := enrolled(t)
	token := signInPending(t, svc)
	*now = now.Add(SecondFactorTimeout)
	if _, err := svc.CompleteSignIn(context.Background(), token, codeAt(t, secret, *now), "192.0.2.1"); !errors.Is(err, domain.ErrSessionExpired) {
		t.Fatalf("a code %v after the password was taken: %v", SecondFactorTimeout, err)
	}
}

func TestANewKeyReplacesTheOldOnlyWithTheCurrentPassword(t *testing.T) {
	svc, user, _, _, _ := enrolled(t)
	ctx := context.Background()
	if err := svc.BeginTwoFactor(ctx, user, "not-the-password"); !hasFieldError(err, "current") {
		t.Fatalf("a new key was made without the current password: %v", err)
	}
	if err := svc.BeginTwoFactor(ctx, user, password); err != nil {
		t.Fatalf("with the current password: %v", err)
	}
}
