// Package staff manages the partner's users: inviting them, changing their
// role, disabling them, and the single-use links through which they set
// their own password (an admin never sees or sets one).
package staff

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/wingtip/multichannel/internal/domain"
	"github.com/wingtip/multichannel/internal/tokens"
)

// LinkLifetime is how long a password link works.
const LinkLifetime = 72 * time.Hour

// Store is what the service needs from persistence.
type Store interface {
	Partner(ctx context.Context) (domain.Partner, error)
	UserByID(ctx context.Context, id int64) (domain.User, error)
	ListUsers(ctx context.Context, page domain.Page) ([]domain.User, int, error)
	ActiveGlobalAdmins(ctx context.Context) (int, error)
	InviteUser(ctx context.Context, actor domain.Actor, u domain.User, link domain.PasswordLink) (int64, error)
	ResetPassword(ctx context.Context, actor domain.Actor, link domain.PasswordLink) error
	SetUserRole(ctx context.Context, actor domain.Actor, id int64, role domain.Role) error
	SetUserActive(ctx context.Context, actor domain.Actor, id int64, active bool) error
	ResetTwoFactor(ctx context.Context, actor domain.Actor, id int64) error
	PasswordLinkUser(ctx context.Context, tokenHash []byte, now time.Time) (domain.User, error)
	UsePasswordLink(ctx context.Context, tokenHash []byte, passwordHash string, now time.Time, clientIP string) (domain.User, error)
}

// PasswordHasher hashes new passwords.
type PasswordHasher interface {
	Hash(ctx context.Context, password string) (string, error)
}

// Service manages partner users.
type Service struct {
	store       Store
	hasher      PasswordHasher
	base        *url.URL
	mailEnabled bool
	now         func() time.Time
}

// New returns a Service telling the time by now; links are built on base,
// and messages are queued for sending when mailEnabled, else kept as drafts.
func New(store Store, hasher PasswordHasher, base *url.URL, mailEnabled bool, now func() time.Time) *Service {
	return &Service{store: store, hasher: hasher, base: base, mailEnabled: mailEnabled, now: now}
}

// List returns one page of the partner's users by name, how many there
// are, and how many are active Global admins.
func (s *Service) List(ctx context.Context, page domain.Page) (domain.StaffPage, error) {
	users, total, err := s.store.ListUsers(ctx, page)
	if err != nil {
		return domain.StaffPage{}, err
	}
	admins, err := s.store.ActiveGlobalAdmins(ctx)
	return domain.StaffPage{Users: users, Total: total, ActiveGlobalAdmins: admins}, err
}

// User returns the partner user with id, or domain.ErrNotFound.
func (s *Service) User(ctx context.Context, id int64) (domain.User, error) {
	return s.store.UserByID(ctx, id)
}

// ErrInvalidLink is the one answer for an unknown, used or expired link.
var ErrInvalidLink = errors.New("this link is not valid")

// newLink makes a password link for a user: the link to show or send, and
// what the store keeps.
func (s *Service) newLink(ctx context.Context, user domain.User, purpose string) (string, domain.PasswordLink, error) {
	token, hash, err := tokens.New()
	if err != nil {
		return "", domain.PasswordLink{}, err
	}
	link := strings.TrimSuffix(s.base.String(), "/") + "/password/" + token
	partner, err := s.store.Partner(ctx)
	if err != nil && !errors.Is(err, domain.ErrNotFound) {
		return "", domain.PasswordLink{}, err
	}
	expires := s.now().Add(LinkLifetime)
	subject, intro := "Your account at "+partner.Name, "An account was made for you"
	if purpose == "reset" {
		subject, intro = "Set a new password at "+partner.Name, "A new password was asked for your account"
	}
	body := fmt.Sprintf("Dear %s,\n\n%s in Multichannel Support at %s. Set your password with this link:\n\n%s\n\nThe link works once, until %s.\n",
		user.Name, intro, partner.Name, link, domain.FormatDateTimeZoned(expires))
	return link, domain.PasswordLink{UserID: user.ID, TokenHash: hash, Purpose: purpose, ExpiresAt: expires, Queue: s.mailEnabled,
		Message: domain.EmailMessage{To: user.Email, Subject: subject, Body: body}}, nil
}

// Invite creates a user and the link to set a password. Without SMTP the
// link is returned so that the admin can pass it on; with SMTP it is only
// sent.
func (s *Service) Invite(ctx context.Context, actor domain.Actor, name, email string, role domain.Role) (string, error) {
	nu := domain.NewUser{Name: name, Email: email, Role: role}
	if errs := nu.ValidateProfile(); errs.Any() {
		return "", errs
	}
	normalized, _ := domain.NormalizeEmail(email)
	user := domain.User{Email: normalized, Name: strings.TrimSpace(name), Role: role, Active: true}
	link, stored, err := s.newLink(ctx, user, "welcome")
	if err != nil {
		return "", err
	}
	if _, err := s.store.InviteUser(ctx, actor, user, stored); errors.Is(err, domain.ErrEmailTaken) {
		return "", domain.FieldErrors{"email": "A user with this e-mail address already exists."}
	} else if err != nil {
		return "", err
	}
	return s.shown(link), nil
}

// ResetPassword sends a user a new link to set a password.
func (s *Service) ResetPassword(ctx context.Context, actor domain.Actor, id int64) (string, error) {
	user, err := s.store.UserByID(ctx, id)
	if err != nil {
		return "", err
	}
	link, stored, err := s.newLink(ctx, user, "reset")
	if err != nil {
		return "", err
	}
	if err := s.store.ResetPassword(ctx, actor, stored); err != nil {
		return "", err
	}
	return s.shown(link), nil
}

// shown is the link an admin may see: none when it is mailed.
func (s *Service) shown(link string) string {
	if s.mailEnabled {
		return ""
	}
	return link
}

// ChangeRole gives a user another role, as domain.CheckRoleChange allows:
// the last Global admin keeps theirs.
func (s *Service) ChangeRole(ctx context.Context, actor domain.Actor, id int64, role domain.Role) error {
	if !role.Valid() {
		return domain.RoleChoiceError()
	}
	return s.store.SetUserRole(ctx, actor, id, role)
}

// SetActive disables or enables a user, as domain.CheckActiveChange allows:
// the last Global admin stays active.
func (s *Service) SetActive(ctx context.Context, actor domain.Actor, id int64, active bool) error {
	return s.store.SetUserActive(ctx, actor, id, active)
}

// ResetTwoFactor turns off a user's two-factor sign-in, for one who lost
// both the phone and the recovery codes, and ends their sessions.
func (s *Service) ResetTwoFactor(ctx context.Context, actor domain.Actor, id int64) error {
	return s.store.ResetTwoFactor(ctx, actor, id)
}

// LinkUser returns the user a usable link is for, changing nothing.
func (s *Service) LinkUser(ctx context.Context, token string) (domain.User, error) {
	hash, ok := tokens.Hash(token)
	if !ok {
		return domain.User{}, ErrInvalidLink
	}
	u, err := s.store.PasswordLinkUser(ctx, hash, s.now())
	if errors.Is(err, domain.ErrNotFound) {
		return u, ErrInvalidLink
	}
	return u, err
}

// SetPassword sets the password of the link's user and uses the link up.
func (s *Service) SetPassword(ctx context.Context, token, password, confirm, clientIP string) (domain.User, error) {
	hash, ok := tokens.Hash(token)
	if !ok {
		return domain.User{}, ErrInvalidLink
	}
	if errs := domain.ValidateNewPassword(password, confirm); errs.Any() {
		return domain.User{}, errs
	}
	encoded, err := s.hasher.Hash(ctx, password)
	if err != nil {
		return domain.User{}, err
	}
	u, err := s.store.UsePasswordLink(ctx, hash, encoded, s.now(), clientIP)
	if errors.Is(err, domain.ErrNotFound) {
		return u, ErrInvalidLink
	}
	return u, err
}
