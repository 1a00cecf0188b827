package accounts

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/wingtip/multichannel/internal/domain"
	"github.com/wingtip/multichannel/internal/tokens"
	"github.com/wingtip/multichannel/internal/twofactor"
)

// Limits on two-factor codes: per user, whatever the session or address, so
// that guessing six digits from many browsers at once gets no further.
const (
	CodeFailureLimit = 5
	CodeWindow       = 15 * time.Minute
	// SecondFactorTimeout is how long after the password the code may come.
	SecondFactorTimeout = 10 * time.Minute
)

// ErrTwoFactorUnavailable means no data key is configured, so secrets could
// not be sealed.
var ErrTwoFactorUnavailable = errors.New("two-factor sign-in needs a data key in the configuration")

// codeMessage is the one message for a wrong, old or reused code.
const codeMessage = "That code is not right or was already used. Enter the current code from your app."

// BeginTwoFactor makes a new secret for user and keeps it sealed until a
// code confirms it; SetupState shows it. A user who has
// two-factor sign-in on already must give the current password, so that a
// session left open cannot replace the second factor; a wrong one gives
// domain.FieldErrors for "current" and counts against the sign-in limit.
func (s *Service) BeginTwoFactor(ctx context.Context, user domain.User, currentPassword string) error {
	if s.sealer == nil {
		return ErrTwoFactorUnavailable
	}
	if user.TwoFactor {
		if err := s.confirmPassword(ctx, user, currentPassword); err != nil {
			return err
		}
	}
	secret, err := twofactor.NewSecret()
	if err != nil {
		return err
	}
	sealed, err := s.sealer.Seal(user.ID, secret)
	if err != nil {
		return err
	}
	return s.store.StartTwoFactor(ctx, user.ID, sealed)
}

// pendingTwoFactor returns the set-up waiting for its first code (Pending
// false when there is none), so that a page shown again after a wrong code
// shows the same QR code.
func (s *Service) pendingTwoFactor(ctx context.Context, user domain.User, issuer string) (domain.TwoFactorSetup, error) {
	if s.sealer == nil {
		return domain.TwoFactorSetup{}, nil
	}
	secrets, err := s.store.TwoFactorSecrets(ctx, user.ID)
	if err != nil || secrets.Pending == nil {
		return domain.TwoFactorSetup{}, err
	}
	secret, err := s.sealer.Open(user.ID, secrets.Pending)
	if err != nil {
		return domain.TwoFactorSetup{}, err
	}
	key, err := twofactor.KeyFor(issuer, user.Email, secret)
	if err != nil {
		return domain.TwoFactorSetup{}, err
	}
	png, err := twofactor.QRCodePNG(key, 240)
	if err != nil {
		return domain.TwoFactorSetup{}, err
	}
	return domain.TwoFactorSetup{Pending: true, Secret: secret, QRCode: png}, nil
}

// defaultIssuer names the app in an authenticator before a partner is set.
const defaultIssuer = "Multichannel Support"

// SetupState is the two-factor set-up page of user: the pending secret, named
// in the user's authenticator after the partner, and whether the partner
// requires the user to set it up.
func (s *Service) SetupState(ctx context.Context, user domain.User) (domain.TwoFactorSetup, error) {
	issuer := defaultIssuer
	if p, err := s.store.Partner(ctx); err == nil && p.Name != "" {
		issuer = p.Name
	} else if err != nil && !errors.Is(err, domain.ErrNotFound) {
		return domain.TwoFactorSetup{}, err
	}
	setup, err := s.pendingTwoFactor(ctx, user, issuer)
	if err != nil {
		return setup, err
	}
	setup.Required, err = s.TwoFactorRequired(ctx, user)
	return setup, err
}

// TwoFactorRequired reports whether the partner requires user, who has no
// two-factor sign-in yet, to set it up before anything else.
func (s *Service) TwoFactorRequired(ctx context.Context, user domain.User) (bool, error) {
	if user.TwoFactor {
		return false, nil
	}
	ps, err := s.store.PartnerSettings(ctx)
	if errors.Is(err, domain.ErrNotFound) {
		return false, nil
	}
	return ps.TwoFactorRequiredOf(user.Role), err
}

// ConfirmTwoFactor turns two-factor sign-in on with the pending secret when
// code is one of its codes, and returns the recovery codes to show once. A
// wrong code gives domain.FieldErrors for the field "code".
func (s *Service) ConfirmTwoFactor(ctx context.Context, actor domain.Actor, user domain.User, code string) ([]string, error) {
	if s.sealer == nil {
		return nil, ErrTwoFactorUnavailable
	}
	if err := s.reserveCode(user.ID); err != nil {
		return nil, err
	}
	secrets, err := s.store.TwoFactorSecrets(ctx, user.ID)
	if err != nil {
		return nil, err
	}
	if secrets.Pending == nil {
		return nil, &domain.ConflictError{Reason: "There is no two-factor set-up waiting for a code; start it again."}
	}
	secret, err := s.sealer.Open(user.ID, secrets.Pending)
	if err != nil {
		return nil, err
	}
	step, ok := twofactor.MatchStep(secret, code, s.now(), secrets.LastStep)
	if !ok {
		return nil, domain.FieldErrors{"code": codeMessage}
	}
	codes, hashes, err := twofactor.NewRecoveryCodes()
	if err != nil {
		return nil, err
	}
	if err := s.store.EnableTwoFactor(ctx, actor, secrets.Pending, step, hashes); err != nil {
		return nil, err
	}
	s.codes.Reset(codeKey(user.ID))
	return codes, nil
}

// CompleteSignIn checks the second factor of a session waiting for it: a
// code from the user's app, accepted once, or one of the user's recovery
// codes, each usable once. A wrong code gives domain.FieldErrors for the
// field "code"; too many give a *RateLimitedError; a session that is not
// waiting, or waited too long, gives domain.ErrSessionExpired.
func (s *Service) CompleteSignIn(ctx context.Context, token, code, clientIP string) (domain.User, error) {
	idHash, ok := tokens.Hash(token)
	if !ok {
		return domain.User{}, domain.ErrSessionExpired
	}
	sess, err := s.store.SessionByHash(ctx, idHash)
	if errors.Is(err, domain.ErrNotFound) || (err == nil && (!sess.SecondFactorPending || sess.Expired(s.now()) ||
		s.now().Sub(sess.CreatedAt) >= SecondFactorTimeout)) {
		return domain.User{}, domain.ErrSessionExpired
	}
	if err != nil {
		return domain.User{}, err
	}
	user, err := s.store.UserByID(ctx, sess.UserID)
	if err != nil || !user.Active || s.sealer == nil {
		return domain.User{}, errors.Join(err, domain.ErrSessionExpired)
	}
	if err := s.reserveCode(user.ID); err != nil {
		return domain.User{}, err
	}
	how, err := s.checkSecondFactor(ctx, user.ID, code)
	if err != nil {
		return domain.User{}, err
	}
	if how == "" {
		s.audit(ctx, domain.AuditEntry{ActorID: user.ID, Action: domain.AuditTwoFactorFailed, Target: "user:" + user.Email, ClientIP: clientIP})
		return domain.User{}, domain.FieldErrors{"code": codeMessage}
	}
	s.codes.Reset(codeKey(user.ID))
	if err := s.store.CompleteSecondFactor(ctx, idHash); err != nil {
		return domain.User{}, err
	}
	s.audit(ctx, domain.AuditEntry{ActorID: user.ID, Action: domain.AuditSignIn, Target: "user:" + user.Email, ClientIP: clientIP, Detail: how})
	return user, nil
}

// checkSecondFactor returns how code signed the user in ("with a code" or
// "with a recovery code"), or "" when it does not.
func (s *Service) checkSecondFactor(ctx context.Context, userID int64, code string) (string, error) {
	secrets, err := s.store.TwoFactorSecrets(ctx, userID)
	if err != nil {
		return "", err
	}
	if secrets.Active == nil {
		return "", nil
	}
	secret, err := s.sealer.Open(userID, secrets.Active)
	if err != nil {
		return "", err
	}
	if step, ok := twofactor.MatchStep(secret, code, s.now(), secrets.LastStep); ok {
		// The step is stored only if it is still later than the last one
		// used, so of two sign-ins with one code only the first passes.
		advanced, err := s.store.AdvanceTwoFactorStep(ctx, userID, step)
		if err != nil || !advanced {
			return "", err
		}
		return "with a code", nil
	}
	used, err := s.store.UseRecoveryCode(ctx, userID, twofactor.HashRecoveryCode(code))
	if err != nil || !used {
		return "", err
	}
	left, err := s.store.RecoveryCodesLeft(ctx, userID)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("with a recovery code (%d left)", left), nil
}

func codeKey(userID int64) string { return fmt.Sprintf("user:%d", userID) }

// reserveCode counts one code attempt of the user against the limit.
func (s *Service) reserveCode(userID int64) error {
	if ok, until := s.codes.Reserve(codeKey(userID), s.now()); !ok {
		return &RateLimitedError{RetryAt: until, Limit: "wrong two-factor codes of this user"}
	}
	return nil
}

// RecoveryCodesLeft counts the user's unused recovery codes.
func (s *Service) RecoveryCodesLeft(ctx context.Context, userID int64) (int, error) {
	return s.store.RecoveryCodesLeft(ctx, userID)
}

// Account is what user's own account page shows: the sessions alive, which
// one token is, and the recovery codes left when two-factor sign-in is on.
func (s *Service) Account(ctx context.Context, user domain.User, token string) (domain.AccountOverview, error) {
	var a domain.AccountOverview
	var err error
	if a.Sessions, a.Current, err = s.Sessions(ctx, user.ID, token); err != nil {
		return a, err
	}
	if user.TwoFactor {
		a.RecoveryCodesLeft, err = s.RecoveryCodesLeft(ctx, user.ID)
	}
	return a, err
}
