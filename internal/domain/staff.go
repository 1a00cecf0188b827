package domain

import "time"

// PasswordLink is a single-use link for a partner user to set a password:
// the hash of its token, when it expires, and the message that carries it.
type PasswordLink struct {
	UserID    int64
	TokenHash []byte
	Purpose   string // welcome or reset
	ExpiresAt time.Time
	Message   EmailMessage
	Queue     bool // hand the message to the SMTP sender; otherwise it waits as a draft
}

// SessionInfo is one of a user's sessions as the account page lists it.
type SessionInfo struct {
	Number     int64 // what ending it refers to; the id itself is never shown
	IDHash     []byte
	CreatedAt  time.Time
	LastSeenAt time.Time
	ClientIP   string
	UserAgent  string
}

// lastGlobalAdmin is why a change to the last active Global admin is refused.
const lastGlobalAdmin = "This is the last active Global admin: make someone else Global admin first."

// activeGlobalAdmin reports whether a user with role and active counts
// towards the partner's active Global admins.
func activeGlobalAdmin(role Role, active bool) bool { return role == RoleGlobalAdmin && active }

// keepsAGlobalAdmin refuses a change that would take u, with
// otherActiveGlobalAdmins others beside, from an active Global admin to
// something else when nobody else is one: the partner always keeps one who
// can manage users and settings.
func keepsAGlobalAdmin(u User, role Role, active bool, otherActiveGlobalAdmins int) error {
	if activeGlobalAdmin(u.Role, u.Active) && !activeGlobalAdmin(role, active) && otherActiveGlobalAdmins == 0 {
		return Conflict(lastGlobalAdmin)
	}
	return nil
}

// StaffPage is one page of the partner's users, how many there are in all,
// and how many of them are active Global admins, so that the list can leave
// out the changes the last one would be refused.
type StaffPage struct {
	Users              []User
	Total              int
	ActiveGlobalAdmins int
}

// LastGlobalAdmin says why u can be neither deactivated nor given another
// role: u is the one active Global admin left. It is empty for everyone
// else.
func (p StaffPage) LastGlobalAdmin(u User) string {
	if activeGlobalAdmin(u.Role, u.Active) && p.ActiveGlobalAdmins <= 1 {
		return lastGlobalAdmin
	}
	return ""
}

// CheckRoleChange decides whether u may be given role, with
// otherActiveGlobalAdmins other active Global admins: the last one keeps
// the role. Whatever the role, the change ends u's sessions, so that it
// applies from the next request.
func CheckRoleChange(u User, role Role, otherActiveGlobalAdmins int) error {
	if !role.Valid() {
		return RoleChoiceError()
	}
	return keepsAGlobalAdmin(u, role, u.Active, otherActiveGlobalAdmins)
}

// CheckActiveChange decides whether u may be deactivated (active false) or
// reactivated, with otherActiveGlobalAdmins other active Global admins: the
// last one stays active. Deactivating ends u's sessions at once.
func CheckActiveChange(u User, active bool, otherActiveGlobalAdmins int) error {
	return keepsAGlobalAdmin(u, u.Role, active, otherActiveGlobalAdmins)
}

// AwaitingPassword reports whether the user was invited and has not set a
// password through the link yet.
func (u User) AwaitingPassword() bool { return u.PasswordHash == "" }

// AccountOverview is what a user's own account page shows beside the user:
// the sessions still alive, which of them is the one asking, and how many
// recovery codes are left when two-factor sign-in is on.
type AccountOverview struct {
	Sessions          []SessionInfo
	Current           int64 // the number of the asking session; 0 when it is not among them
	RecoveryCodesLeft int
}

// TwoFactorSetup is where a user's two-factor set-up stands: a secret waiting
// for its first code (to type into an authenticator app, and its otpauth URL
// as a PNG QR code), and whether the partner requires the user to have it.
type TwoFactorSetup struct {
	Pending  bool // a secret waits for its first code
	Secret   string
	QRCode   []byte
	Required bool // the partner requires it of the user's role, and the user has none yet
}

// ErrTwoFactorRestarted refuses a code for a set-up that was replaced by a
// newer one meanwhile, in another window: only the newest QR code counts.
var ErrTwoFactorRestarted = Conflict("Two-factor set-up was started again elsewhere; use the newest QR code.")
