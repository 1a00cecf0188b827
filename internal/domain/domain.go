// Package domain holds the types and rules of Multichannel Support that do not
// depend on HTTP, SQL or the views: partner staff and their roles, the partner
// organisation, sign-in sessions, customers and their subscriptions, the
// classification rules, and the errors the adapters report. Every change of
// state is decided here by a pure function (relationship requests and their
// drafts, transfers, the Azure checklist, partner users) that the store runs
// in its transaction; the read models of the pages (the dashboard, a
// customer's overview, step 4, the transfers page, the onboarding record,
// ...) are types of this package, with what a role may do on each decided
// here too. Names that are stored or exported (audit actions, states, roles,
// workflows) are typed constants with their labels.
package domain

import (
	"errors"
	"net/mail"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Role is what a partner user may do; each user has exactly one.
type Role string

// The three partner roles of DESIGN §3, from most to least powerful.
const (
	RoleGlobalAdmin Role = "global_admin"
	RoleAdminAgent  Role = "admin_agent"
	RoleSalesAgent  Role = "sales_agent"
)

// Roles lists every role in the order they are shown to people.
var Roles = []Role{RoleGlobalAdmin, RoleAdminAgent, RoleSalesAgent}

// Valid reports whether r is one of the known roles.
func (r Role) Valid() bool {
	switch r {
	case RoleGlobalAdmin, RoleAdminAgent, RoleSalesAgent:
		return true
	}
	return false
}

// Label is the role's name as partner staff know it from Partner Center.
func (r Role) Label() string {
	switch r {
	case RoleGlobalAdmin:
		return "Global admin"
	case RoleAdminAgent:
		return "Admin agent"
	case RoleSalesAgent:
		return "Sales agent"
	}
	return string(r)
}

// CSPModel is how the partner takes part in the CSP programme.
type CSPModel string

// The CSP models a partner organisation can have.
const (
	CSPDirectBill       CSPModel = "direct_bill"
	CSPIndirectProvider CSPModel = "indirect_provider"
	CSPIndirectReseller CSPModel = "indirect_reseller"
)

// CSPModels lists the CSP models in the order they are offered.
var CSPModels = []CSPModel{CSPDirectBill, CSPIndirectProvider, CSPIndirectReseller}

// Valid reports whether m is a known CSP model.
func (m CSPModel) Valid() bool {
	return m == CSPDirectBill || m == CSPIndirectProvider || m == CSPIndirectReseller
}

// Label is the model's name in Partner Center.
func (m CSPModel) Label() string {
	switch m {
	case CSPDirectBill:
		return "Direct bill"
	case CSPIndirectProvider:
		return "Indirect provider"
	case CSPIndirectReseller:
		return "Indirect reseller"
	}
	return string(m)
}

// Cloud is the Microsoft cloud the partner sells in.
type Cloud string

// The clouds a partner can sell in; US Government has its own Partner Center.
const (
	CloudCommercial   Cloud = "commercial"
	CloudUSGovernment Cloud = "us_government"
)

// Clouds lists the clouds in the order they are offered.
var Clouds = []Cloud{CloudCommercial, CloudUSGovernment}

// Valid reports whether c is a known cloud.
func (c Cloud) Valid() bool { return c == CloudCommercial || c == CloudUSGovernment }

// Label is the cloud's name for people.
func (c Cloud) Label() string {
	switch c {
	case CloudCommercial:
		return "Commercial"
	case CloudUSGovernment:
		return "US Government"
	}
	return string(c)
}

// Partner is the one partner organisation an installation serves.
type Partner struct {
	Name      string
	PartnerID string // Microsoft PartnerID (formerly MPN ID) of the partner location
	CSPModel  CSPModel
	Cloud     Cloud
	UpdatedAt time.Time
	// TenantID is the partner's Microsoft ID: its Entra tenant id, a GUID,
	// which its reseller link carries as partnerId.
	TenantID string
	// Country is where the partner is located (ISO 3166-1 alpha-2), which
	// decides the market it may sell in.
	Country string
	// ResellerLink is the reseller relationship link from Partner Center,
	// exactly as pasted; empty until a Global admin sets it. See
	// CheckResellerLink.
	ResellerLink string
	// ProviderName and ProviderTenantID name an indirect reseller's
	// indirect provider, whose tenant id its link carries.
	ProviderName     string
	ProviderTenantID string
	// AzureExpertMSP is whether the partner holds Microsoft's Azure Expert
	// MSP designation, which lets a direct-bill partner take over the
	// billing of Azure bought through a direct EA or MCA-enterprise (see
	// Rules).
	AzureExpertMSP bool
}

// Validate checks a partner's fields and returns the problems by field name.
func (p Partner) Validate() FieldErrors {
	errs := FieldErrors{}
	if strings.TrimSpace(p.Name) == "" {
		errs["name"] = "Enter the partner's name."
	} else if utf8.RuneCountInString(p.Name) > 200 {
		errs["name"] = "Use at most 200 characters."
	}
	if !isPartnerID(p.PartnerID) {
		errs["partner_id"] = "A PartnerID is 6 to 10 digits."
	}
	if !p.CSPModel.Valid() {
		errs["csp_model"] = "Choose direct bill, indirect provider or indirect reseller."
	}
	if !p.Cloud.Valid() {
		errs["cloud"] = "Choose commercial or US Government."
	}
	if p.TenantID != "" && !guidPattern.MatchString(p.TenantID) {
		errs["tenant_id"] = "Your Microsoft ID is a GUID, such as 3b33e682-00c3-41ee-9dd2-a548adf56438."
	}
	if p.Country != "" && !IsCountryCode(p.Country) {
		errs["country"] = "Choose the country or region where you are located."
	}
	if p.CSPModel == CSPIndirectReseller {
		if p.ProviderTenantID != "" && !guidPattern.MatchString(p.ProviderTenantID) {
			errs["provider_tenant_id"] = "The indirect provider's Microsoft ID is a GUID."
		}
		if utf8.RuneCountInString(p.ProviderName) > 200 {
			errs["provider_name"] = "Use at most 200 characters."
		}
	}
	if p.ResellerLink != "" {
		if msg := CheckResellerLink(p.ResellerLink, p); msg != "" {
			errs["reseller_link"] = msg
		}
	}
	return errs
}

func isPartnerID(s string) bool {
	if len(s) < 6 || len(s) > 10 {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// User is a member of the partner's staff who signs in to the app.
type User struct {
	ID           int64
	Email        string
	Name         string
	Role         Role
	Active       bool
	PasswordHash string // encoded hash with its parameters; never shown or logged
	CreatedAt    time.Time
	// TwoFactor is whether the user signs in with a code from an
	// authenticator app after the password.
	TwoFactor bool
}

// NewUser is what is needed to create a partner user.
type NewUser struct {
	Email    string
	Name     string
	Role     Role
	Password string
}

// Password length limits of DESIGN §6; longer input is refused, never truncated.
const (
	MinPasswordLength = 8
	MaxPasswordLength = 128
)

// Validate checks a new user's fields and returns the problems by field name.
func (u NewUser) Validate() FieldErrors {
	errs := u.ValidateProfile()
	if !passwordLengthOK(u.Password) {
		errs["password"] = passwordLengthMessage
	}
	return errs
}

// ValidateProfile checks the name, e-mail and role of a new user, for an
// invited user who will choose a password later.
func (u NewUser) ValidateProfile() FieldErrors {
	errs := FieldErrors{}
	if strings.TrimSpace(u.Name) == "" {
		errs["name"] = "Enter the user's name."
	} else if utf8.RuneCountInString(u.Name) > 200 {
		errs["name"] = "Use at most 200 characters."
	}
	if _, err := NormalizeEmail(u.Email); err != nil {
		errs["email"] = "Enter an e-mail address such as name@example.com."
	}
	if !u.Role.Valid() {
		errs["role"] = RoleChoiceError()["role"]
	}
	return errs
}

const passwordLengthMessage = "Use 8 to 128 characters."

// RoleChoiceError is the answer to a role that is not one of the three.
func RoleChoiceError() FieldErrors {
	return FieldErrors{"role": "Choose Global admin, Admin agent or Sales agent."}
}

func passwordLengthOK(password string) bool {
	n := len([]rune(password))
	return n >= MinPasswordLength && n <= MaxPasswordLength
}

// ValidateNewPassword checks a password being chosen and the same typed
// again, for the fields "password" and "confirm".
func ValidateNewPassword(password, confirm string) FieldErrors {
	errs := FieldErrors{}
	if !passwordLengthOK(password) {
		errs["password"] = passwordLengthMessage
	} else if password != confirm {
		errs["confirm"] = "The two passwords differ."
	}
	return errs
}

// NormalizeEmail trims and lower-cases an address so that e-mail addresses
// compare case-insensitively, and rejects anything that is not one bare address.
func NormalizeEmail(s string) (string, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	addr, err := mail.ParseAddress(s)
	if err != nil || addr.Address != s || len(s) > 254 {
		return "", ErrInvalidEmail
	}
	return s, nil
}

// Session is one signed-in browser. The id in the cookie is random; the store
// keeps only its hash.
type Session struct {
	UserID          int64
	CreatedAt       time.Time
	LastSeenAt      time.Time
	AuthenticatedAt time.Time
	RevokedAt       *time.Time
	Flash           string
	// SecondFactorPending is true from a correct password until a correct
	// code: the session signs nobody in yet.
	SecondFactorPending bool
}

// Session lifetimes of DESIGN §6.
const (
	SessionIdleTimeout     = 30 * time.Minute
	SessionAbsoluteTimeout = 12 * time.Hour
)

// Expired reports whether the session can no longer be used at time now.
func (s Session) Expired(now time.Time) bool {
	return s.RevokedAt != nil ||
		now.Sub(s.LastSeenAt) >= SessionIdleTimeout ||
		now.Sub(s.CreatedAt) >= SessionAbsoluteTimeout
}

// TwoFactorSecrets are a user's TOTP secrets as stored, sealed, and the
// last time step whose code was accepted.
type TwoFactorSecrets struct {
	Active   []byte // nil when two-factor sign-in is off
	Pending  []byte // a set-up not yet confirmed with a code; nil for none
	LastStep int64
}

// Actor is who makes a change and from where, for the audit log.
type Actor struct {
	UserID   int64
	ClientIP string
}

// FieldErrors maps a form field's name to what is wrong with it.
type FieldErrors map[string]string

// Any reports whether there is at least one error.
func (e FieldErrors) Any() bool { return len(e) > 0 }

// Error lists the fields in error, so FieldErrors can travel as an error.
func (e FieldErrors) Error() string {
	keys := make([]string, 0, len(e))
	for k := range e {
		keys = append(keys, k)
	}
	return "invalid fields: " + strings.Join(keys, ", ")
}

// Errors the adapters and services report; the web layer maps them to statuses.
var (
	ErrNotFound       = errors.New("not found")
	ErrConflict       = errors.New("conflict with the current state")
	ErrEmailTaken     = errors.New("a user with this e-mail address already exists")
	ErrInvalidEmail   = errors.New("not a valid e-mail address")
	ErrSchemaTooNew   = errors.New("the database schema is newer than this program")
	ErrBadCredentials = errors.New("the e-mail address or password is not right")
	ErrSessionExpired = errors.New("the session has ended")
	ErrDomainTaken    = errors.New("a customer with this domain already exists")
	// ErrStorageFull says the server is out of disk space (or at the size its
	// operator allowed the database): nothing of the change was saved, and
	// the same request can succeed once room is made.
	ErrStorageFull = errors.New("the server is out of disk space, nothing was saved")
	// ErrNotEmpty refuses to seed a generated book into a database that
	// holds a partner, a user or a customer already.
	ErrNotEmpty = errors.New("the database is not empty")
)

// Page selects one page of a list; Number starts at 1.
type Page struct {
	Number int
	Size   int
}

// Offset is the number of items before this page.
func (p Page) Offset() int {
	if p.Number < 1 {
		return 0
	}
	return (p.Number - 1) * p.Size
}

// PageCount is how many pages of this size total items fill (at least one).
func (p Page) PageCount(total int) int {
	if p.Size < 1 || total <= p.Size {
		return 1
	}
	return (total + p.Size - 1) / p.Size
}

// FormatCount writes a count for people, its thousands grouped with commas
// ("10,000"), as the app's English pages write numbers.
func FormatCount(n int) string {
	s := strconv.Itoa(n)
	sign := ""
	if n < 0 {
		sign, s = "-", s[1:]
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return sign + s
}
