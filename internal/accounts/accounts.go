// Package accounts is the sign-in service: it checks credentials with rate
// limits per account and per client IP, opens and checks database-backed
// sessions, adds partner users, and records these events in the audit log.
package accounts

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"maps"
	"strings"
	"sync"
	"time"

	"github.com/wingtip/multichannel/internal/domain"
	"github.com/wingtip/multichannel/internal/ratelimit"
	"github.com/wingtip/multichannel/internal/tokens"
	"github.com/wingtip/multichannel/internal/twofactor"
)

// Store is what the service needs from persistence.
type Store interface {
	CreateUser(ctx context.Context, u domain.User) (int64, error)
	UserByEmail(ctx context.Context, email string) (domain.User, error)
	UserByID(ctx context.Context, id int64) (domain.User, error)
	CreateSession(ctx context.Context, idHash []byte, s domain.Session, clientIP, userAgent string) error
	SessionByHash(ctx context.Context, idHash []byte) (domain.Session, error)
	SessionWithUser(ctx context.Context, idHash []byte) (domain.Session, domain.User, error)
	TouchSession(ctx context.Context, idHash []byte, at time.Time) error
	RevokeSession(ctx context.Context, idHash []byte) error
	SetFlash(ctx context.Context, idHash []byte, message string) error
	TakeFlash(ctx context.Context, idHash []byte) (string, error)
	AppendAudit(ctx context.Context, e domain.AuditEntry) error
	UserSessions(ctx context.Context, userID int64) ([]domain.SessionInfo, error)
	EndUserSession(ctx context.Context, userID, number int64) error
	EndOtherSessions(ctx context.Context, actor domain.Actor, keep []byte) (int, error)
	ChangePassword(ctx context.Context, actor domain.Actor, hash string, keep []byte) error
	TwoFactorSecrets(ctx context.Context, userID int64) (domain.TwoFactorSecrets, error)
	StartTwoFactor(ctx context.Context, userID int64, sealed []byte) error
	EnableTwoFactor(ctx context.Context, actor domain.Actor, pending []byte, step int64, hashes [][]byte) error
	AdvanceTwoFactorStep(ctx context.Context, userID, step int64) (bool, error)
	UseRecoveryCode(ctx context.Context, userID int64, hash []byte) (bool, error)
	RecoveryCodesLeft(ctx context.Context, userID int64) (int, error)
	CompleteSecondFactor(ctx context.Context, idHash []byte) error
	Partner(ctx context.Context) (domain.Partner, error)
	PartnerSettings(ctx context.Context) (domain.PartnerSettings, error)
}

// PasswordHasher hashes and verifies passwords.
type PasswordHasher interface {
	Hash(ctx context.Context, password string) (string, error)
	Verify(ctx context.Context, password, encoded string) (bool, error)
}

// Limits on sign-in attempts that fail. An account's failures are counted
// per client address, so that someone guessing from one address locks only
// that address out and the real user still signs in from another, and over
// every address at a slower rate, which still stops a guess spread over many
// addresses. That overall limit does not stop an address the account signed
// in from within KnownAddressWindow: a guess spread over other addresses
// cannot lock the real user out where they usually sign in. The limit per
// address across accounts is higher than per account because several people
// may share an office address.
const (
	AccountFailureLimit        = 5  // per account and client address, in FailureWindow
	AccountOverallFailureLimit = 50 // per account from every address, in AccountOverallWindow
	AccountOverallWindow       = time.Hour
	IPFailureLimit             = 20 // per client address across accounts, in FailureWindow
	FailureWindow              = 15 * time.Minute
	// KnownAddressWindow is how long a right password from a client address
	// (IPv6 per /64) keeps that address out of the account's overall limit;
	// the last knownAddressesPerAccount such addresses are kept per account.
	KnownAddressWindow       = 30 * 24 * time.Hour
	knownAddressesPerAccount = 10
	// maxEmailLength is the longest e-mail address there is (RFC 5321), and
	// the longest domain.NormalizeEmail accepts: anything longer names no
	// account and is answered before it is counted or kept.
	maxEmailLength = 254
	// touchInterval spares a write on every request: last-seen moves at most
	// once a minute, so idle expiry is exact to within a minute.
	touchInterval = time.Minute
)

// RateLimitedError says a request is refused until RetryAt.
type RateLimitedError struct {
	RetryAt time.Time
	// Limit names the allowance that is used up, in words for the audit
	// log; it holds no e-mail address or other input.
	Limit string
}

// Error says which allowance is used up and until when.
func (e *RateLimitedError) Error() string {
	return fmt.Sprintf("too many %s; retry at %s", e.Limit, e.RetryAt.Format(time.RFC3339))
}

// Service signs partner staff in and out.
type Service struct {
	store    Store
	hasher   PasswordHasher
	accounts *ratelimit.Limiter // per account and client address
	overall  *ratelimit.Limiter // per account, from every address
	ips      *ratelimit.Limiter
	codes    *ratelimit.Limiter // two-factor codes, per user
	// refusals and allRefusals keep refused requests from flooding the
	// audit log: see RecordRefusal.
	refusals    *ratelimit.Limiter
	allRefusals *ratelimit.Limiter
	// known are the addresses each account signed in from lately.
	known        knownAddresses
	notAuditedMu sync.Mutex
	notAudited   RefusalsNotAudited // refusals left out since notAudited.Since
	sealer       *twofactor.Sealer  // nil: two-factor sign-in cannot be set up
	now          func() time.Time

	dummyMu   sync.Mutex
	dummyHash string
}

// New returns a Service over store and hasher, telling the time by now;
// sealer keeps two-factor secrets sealed at rest.
func New(store Store, hasher PasswordHasher, sealer *twofactor.Sealer, now func() time.Time) *Service {
	return &Service{
		store:       store,
		hasher:      hasher,
		accounts:    ratelimit.New(AccountFailureLimit, FailureWindow),
		overall:     ratelimit.New(AccountOverallFailureLimit, AccountOverallWindow),
		ips:         ratelimit.New(IPFailureLimit, FailureWindow),
		codes:       ratelimit.New(CodeFailureLimit, CodeWindow),
		refusals:    ratelimit.New(1, RefusalAuditWindow),
		allRefusals: ratelimit.New(RefusalAuditLimit, RefusalAuditWindow),
		known:       knownAddresses{seen: map[string]map[string]time.Time{}},
		sealer:      sealer,
		now:         now,
	}
}

// AddUser validates and creates a partner user, hashing the password.
func (s *Service) AddUser(ctx context.Context, nu domain.NewUser) (int64, error) {
	if errs := nu.Validate(); errs.Any() {
		return 0, errs
	}
	email, _ := domain.NormalizeEmail(nu.Email)
	hash, err := s.hasher.Hash(ctx, nu.Password)
	if err != nil {
		return 0, err
	}
	return s.store.CreateUser(ctx, domain.User{
		Email: email, Name: strings.TrimSpace(nu.Name), Role: nu.Role, Active: true, PasswordHash: hash,
	})
}

// SignInRequest is one attempt to sign in.
type SignInRequest struct {
	Email     string
	Password  string
	ClientIP  string
	UserAgent string
}

// SignIn checks the credentials and opens a new session. It returns the
// session token for the cookie (never stored or logged) and the user. A wrong
// password and an unknown e-mail give the same domain.ErrBadCredentials; too
// many attempts give a *RateLimitedError.
func (s *Service) SignIn(ctx context.Context, req SignInRequest) (string, domain.User, error) {
	now := s.now()
	typed := strings.TrimSpace(req.Email)
	if len(typed) > maxEmailLength {
		// A form field may hold a megabyte: it is not kept as a limiter's
		// key, and no hash is spent on what cannot be an account.
		return "", domain.User{}, domain.ErrBadCredentials
	}
	email, emailErr := domain.NormalizeEmail(typed)
	accountKey := "account:" + strings.ToLower(typed)
	if emailErr == nil {
		accountKey = "account:" + email
	}
	ipKey := ratelimit.ClientKey(req.ClientIP)
	// Each attempt is counted before the password is checked, so a burst of
	// concurrent guesses cannot all pass the limit while the hashes run.
	ok, until := s.ips.Reserve(ipKey, now)
	if !ok {
		return "", domain.User{}, &RateLimitedError{RetryAt: until, Limit: "failed sign-ins from this address"}
	}
	known := s.known.has(accountKey, ipKey, now)
	r, err := s.reserveAccount(accountKey, ipKey, "from this address", known, now)
	if err != nil {
		s.ips.Release(ipKey, now)
		return "", domain.User{}, err
	}

	user, err := s.checkPassword(ctx, email, emailErr == nil, req.Password)
	if errors.Is(err, domain.ErrBadCredentials) {
		// The typed e-mail is recorded only when it names an account: what
		// people type there is sometimes their password.
		target := "unknown account"
		if user.ID != 0 {
			target = "user:" + email
		}
		s.audit(ctx, domain.AuditEntry{Action: domain.AuditSignInFailed, Target: target, ClientIP: req.ClientIP})
	}
	if err != nil {
		return "", domain.User{}, err
	}
	s.releaseAccount(r)
	s.ips.Release(ipKey, now)
	s.known.add(accountKey, ipKey, now)

	token, idHash, err := tokens.New()
	if err != nil {
		return "", domain.User{}, err
	}
	// With two-factor sign-in on, the session signs nobody in until
	// CompleteSignIn accepts a code.
	sess := domain.Session{UserID: user.ID, CreatedAt: now, LastSeenAt: now, AuthenticatedAt: now, SecondFactorPending: user.TwoFactor}
	if err := s.store.CreateSession(ctx, idHash, sess, req.ClientIP, req.UserAgent); err != nil {
		return "", domain.User{}, err
	}
	action := domain.AuditSignIn
	if user.TwoFactor {
		action = domain.AuditSignInCodeAsked
	}
	s.audit(ctx, domain.AuditEntry{ActorID: user.ID, Action: action, Target: "user:" + user.Email, ClientIP: req.ClientIP})
	return token, user, nil
}

// reservation is one password check counted against an account's limits,
// to give back when the password is right.
type reservation struct {
	pair    string // the account's key and where the check came from
	overall string // the account's key, or "" when the overall limit was not asked
	at      time.Time
}

// reserveAccount counts one password check of the account of accountKey,
// made from where (a client key, or the signed-in session), against the
// account's limit there (described by there, such as "from this address")
// and, unless from is an address the account signed in from lately (known),
// its overall limit. A refused check counts against neither.
func (s *Service) reserveAccount(accountKey, from, there string, known bool, now time.Time) (reservation, error) {
	r := reservation{pair: accountKey + "|" + from, at: now}
	if ok, until := s.accounts.Reserve(r.pair, now); !ok {
		return r, &RateLimitedError{RetryAt: until, Limit: "failed password checks of this account " + there}
	}
	if known {
		return r, nil
	}
	if ok, until := s.overall.Reserve(accountKey, now); !ok {
		s.accounts.Release(r.pair, now)
		return r, &RateLimitedError{RetryAt: until, Limit: "failed password checks of this account from every address"}
	}
	r.overall = accountKey
	return r, nil
}

// releaseAccount forgets the failures of the account from where r came
// from after a right password, and gives back r's check from the overall
// count, whose earlier failures stay: a distributed guess is not reset by
// the real user signing in.
func (s *Service) releaseAccount(r reservation) {
	s.accounts.Reset(r.pair)
	if r.overall != "" {
		s.overall.Release(r.overall, r.at)
	}
}

// knownAddresses remembers, per account, the client addresses it signed in
// from with the right password, and when it last did. It holds at most
// knownAddressesPerAccount addresses for each account that signed in, so
// guessing adds nothing to it.
type knownAddresses struct {
	mu   sync.Mutex
	seen map[string]map[string]time.Time // account key → client key → last sign-in
}

// has reports whether the account signed in from client within
// KnownAddressWindow before now.
func (k *knownAddresses) has(account, client string, now time.Time) bool {
	k.mu.Lock()
	defer k.mu.Unlock()
	at, ok := k.seen[account][client]
	return ok && now.Sub(at) < KnownAddressWindow
}

// add records a sign-in of the account from client at now, forgetting the
// account's addresses older than KnownAddressWindow and, past
// knownAddressesPerAccount, the least recent.
func (k *knownAddresses) add(account, client string, now time.Time) {
	k.mu.Lock()
	defer k.mu.Unlock()
	seen := k.seen[account]
	if seen == nil {
		seen = map[string]time.Time{}
		k.seen[account] = seen
	}
	seen[client] = now
	for c, at := range seen {
		if now.Sub(at) >= KnownAddressWindow {
			delete(seen, c)
		}
	}
	for len(seen) > knownAddressesPerAccount {
		oldest := client
		for c, at := range seen {
			if at.Before(seen[oldest]) {
				oldest = c
			}
		}
		delete(seen, oldest)
	}
}

// checkPassword returns the active user whose password matches, or
// domain.ErrBadCredentials with the id of the account when one was named.
// An unknown or disabled account still costs one hash, so response time does
// not tell which accounts exist.
func (s *Service) checkPassword(ctx context.Context, email string, emailValid bool, password string) (domain.User, error) {
	var user domain.User
	err := domain.ErrNotFound
	if emailValid {
		user, err = s.store.UserByEmail(ctx, email)
	}
	if err != nil && !errors.Is(err, domain.ErrNotFound) {
		return domain.User{}, err
	}
	hash := user.PasswordHash
	// A user invited but without a password yet cannot sign in; the hash
	// still runs, so that nothing tells such accounts apart.
	if err != nil || hash == "" || len(password) > domain.MaxPasswordLength*4 {
		if hash, err = s.dummy(ctx); err != nil {
			return domain.User{}, err
		}
	}
	ok, err := s.hasher.Verify(ctx, password, hash)
	if err != nil {
		return domain.User{}, err
	}
	if !ok || !user.Active || hash != user.PasswordHash {
		return domain.User{ID: user.ID}, domain.ErrBadCredentials
	}
	return user, nil
}

// dummy returns a hash to verify against when there is no account, made on
// first use. A failure is returned and not kept, so the next call tries again.
func (s *Service) dummy(ctx context.Context) (string, error) {
	s.dummyMu.Lock()
	defer s.dummyMu.Unlock()
	if s.dummyHash == "" {
		hash, err := s.hasher.Hash(ctx, "not a real password, only spends time")
		if err != nil {
			return "", err
		}
		s.dummyHash = hash
	}
	return s.dummyHash, nil
}

// Authenticate returns the user and session for a session token, or
// domain.ErrSessionExpired when the session is unknown, revoked, idle or too
// old, or its user is disabled. It records the use of the session.
func (s *Service) Authenticate(ctx context.Context, token string) (domain.User, domain.Session, error) {
	idHash, ok := tokens.Hash(token)
	if !ok {
		return domain.User{}, domain.Session{}, domain.ErrSessionExpired
	}
	// One read gives the session and its user: every signed-in request
	// makes it.
	sess, user, err := s.store.SessionWithUser(ctx, idHash)
	if errors.Is(err, domain.ErrNotFound) {
		return domain.User{}, domain.Session{}, domain.ErrSessionExpired
	}
	if err != nil {
		return domain.User{}, domain.Session{}, err
	}
	now := s.now()
	if sess.Expired(now) || !user.Active {
		return domain.User{}, domain.Session{}, domain.ErrSessionExpired
	}
	if now.Sub(sess.LastSeenAt) >= touchInterval {
		// On a full disk the session still signs its user in: the last-seen
		// time only lags, while a refusal here would turn every page, and
		// every form typed for more than a minute, into an error page.
		if err := s.store.TouchSession(ctx, idHash, now); err != nil && !errors.Is(err, domain.ErrStorageFull) {
			return domain.User{}, domain.Session{}, err
		}
	}
	return user, sess, nil
}

// EndSession revokes the session of token, if there is one; signing in again
// from the same browser ends its previous session this way.
func (s *Service) EndSession(ctx context.Context, token string) error {
	idHash, ok := tokens.Hash(token)
	if !ok {
		return nil
	}
	return s.store.RevokeSession(ctx, idHash)
}

// SignOut ends the session of token and records it.
func (s *Service) SignOut(ctx context.Context, token string, user domain.User, clientIP string) error {
	if err := s.EndSession(ctx, token); err != nil {
		return err
	}
	s.audit(ctx, domain.AuditEntry{ActorID: user.ID, Action: domain.AuditSignOut, Target: "user:" + user.Email, ClientIP: clientIP})
	return nil
}

// SetFlash leaves a one-time message for the session's next page.
func (s *Service) SetFlash(ctx context.Context, token, message string) error {
	idHash, ok := tokens.Hash(token)
	if !ok {
		return nil
	}
	return s.store.SetFlash(ctx, idHash, message)
}

// TakeFlash returns and clears the session's one-time message.
func (s *Service) TakeFlash(ctx context.Context, token string) (string, error) {
	idHash, ok := tokens.Hash(token)
	if !ok {
		return "", nil
	}
	return s.store.TakeFlash(ctx, idHash)
}

// Sessions lists a user's live sessions, newest first, and says which is the
// one of token.
func (s *Service) Sessions(ctx context.Context, userID int64, token string) ([]domain.SessionInfo, int64, error) {
	all, err := s.store.UserSessions(ctx, userID)
	if err != nil {
		return nil, 0, err
	}
	current, _ := tokens.Hash(token)
	now := s.now()
	var live []domain.SessionInfo
	var currentNumber int64
	for _, si := range all {
		if (domain.Session{CreatedAt: si.CreatedAt, LastSeenAt: si.LastSeenAt}).Expired(now) {
			continue
		}
		if string(si.IDHash) == string(current) {
			currentNumber = si.Number
		}
		live = append(live, si)
	}
	return live, currentNumber, nil
}

// EndSessionNumber ends one of the user's own sessions.
func (s *Service) EndSessionNumber(ctx context.Context, actor domain.Actor, number int64) error {
	if err := s.store.EndUserSession(ctx, actor.UserID, number); err != nil {
		return err
	}
	s.audit(ctx, domain.AuditEntry{ActorID: actor.UserID, Action: domain.AuditSessionEnded, Target: fmt.Sprintf("user:%d", actor.UserID), ClientIP: actor.ClientIP})
	return nil
}

// EndOtherSessions ends every session of the signed-in user but the one of
// token, and says how many ended.
func (s *Service) EndOtherSessions(ctx context.Context, actor domain.Actor, token string) (int, error) {
	keep, ok := tokens.Hash(token)
	if !ok {
		return 0, domain.ErrNotFound
	}
	return s.store.EndOtherSessions(ctx, actor, keep)
}

// ChangePassword replaces the signed-in user's password after checking the
// current one, and ends the user's other sessions. Wrong current passwords
// count against the account's sign-in limit.
func (s *Service) ChangePassword(ctx context.Context, actor domain.Actor, user domain.User, token, current, next, confirm string) error {
	errs := domain.FieldErrors{}
	if err := s.confirmPassword(ctx, user, current); err != nil {
		if !errors.As(err, &errs) {
			return err
		}
	}
	maps.Copy(errs, domain.ValidateNewPassword(next, confirm))
	if errs.Any() {
		return errs
	}
	hash, err := s.hasher.Hash(ctx, next)
	if err != nil {
		return err
	}
	keep, _ := tokens.Hash(token)
	return s.store.ChangePassword(ctx, actor, hash, keep)
}

// confirmPassword checks the signed-in user's current password before a
// change that needs it. A wrong one gives domain.FieldErrors for "current"
// and counts against the account's sign-in limit; too many give a
// *RateLimitedError.
func (s *Service) confirmPassword(ctx context.Context, user domain.User, current string) error {
	// Counted apart from the sign-in form's addresses: a signed-in session
	// guessing the password must not lock the user out of signing in.
	r, err := s.reserveAccount("account:"+user.Email, "session", "from a signed-in session", false, s.now())
	if err != nil {
		return err
	}
	ok, err := s.hasher.Verify(ctx, current, user.PasswordHash)
	if err != nil {
		return err
	}
	if !ok {
		return domain.FieldErrors{"current": "This is not your current password."}
	}
	s.releaseAccount(r)
	return nil
}

// Refused requests are audited at most once per RefusalAuditWindow for each
// action, actor, target and client address (IPv6 per /64), and at most
// RefusalAuditLimit times in all per window: a flood of refused requests
// writes one entry per source, and even a flood from many sources cannot
// grow the audit log faster than this.
const (
	RefusalAuditWindow = 10 * time.Minute
	RefusalAuditLimit  = 100
)

// RefusalsNotAudited counts the refused requests left out of the audit log
// because RefusalAuditLimit refusals had been written within
// RefusalAuditWindow: Count of them from Since until Until.
type RefusalsNotAudited struct {
	Count        int
	Since, Until time.Time
}

// RecordRefusal writes the audit entry of a refused request, unless the same
// refusal from the same address was written within RefusalAuditWindow or
// RefusalAuditLimit refusals were written within it already; a failure to
// write it is returned. The entry must hold no secret: its target names a
// route or an account, never a token.
//
// The refusals left out for the limit are counted from the first one for a
// RefusalAuditWindow; the first call after that window returns their count,
// once, for the caller to report, since the audit log cannot.
func (s *Service) RecordRefusal(ctx context.Context, e domain.AuditEntry) (RefusalsNotAudited, error) {
	now := s.now()
	left := s.takeNotAudited(now)
	// Hashed, so that what a client put into the target or its address
	// costs the limiter 32 bytes whatever its length.
	key := sha256.Sum256(fmt.Appendf(nil, "%s|%d|%s|%s", e.Action, e.ActorID, e.Target, ratelimit.ClientKey(e.ClientIP)))
	if ok, _ := s.refusals.Reserve(string(key[:]), now); !ok {
		return left, nil
	}
	if ok, _ := s.allRefusals.Reserve("all", now); !ok {
		s.notAuditedMu.Lock()
		if s.notAudited.Count == 0 {
			s.notAudited.Since = now
		}
		s.notAudited.Count++
		s.notAuditedMu.Unlock()
		return left, nil
	}
	return left, s.store.AppendAudit(ctx, e)
}

// takeNotAudited returns the count of refusals left out of the audit log
// once RefusalAuditWindow has passed since the first of them, and starts
// counting afresh; before then it returns none.
func (s *Service) takeNotAudited(now time.Time) RefusalsNotAudited {
	s.notAuditedMu.Lock()
	defer s.notAuditedMu.Unlock()
	until := s.notAudited.Since.Add(RefusalAuditWindow)
	if s.notAudited.Count == 0 || now.Before(until) {
		return RefusalsNotAudited{}
	}
	left := s.notAudited
	left.Until = until
	s.notAudited = RefusalsNotAudited{}
	return left
}

// audit writes an entry for an event whose outcome must not depend on the
// audit write; the request's own error path reports store failures.
func (s *Service) audit(ctx context.Context, e domain.AuditEntry) {
	_ = s.store.AppendAudit(context.WithoutCancel(ctx), e)
}
