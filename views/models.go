// Package views holds the templ components of the web pages. Components take
// the view models defined here and never reach the store or the domain
// services: handlers build the models and views only render them.
package views

import "github.com/a-h/templ"

// Chrome is what every full page shows around its content.
type Chrome struct {
	Title        string
	PartnerName  string
	PartnerID    string
	User         *SignedInUser // nil when nobody is signed in
	Nav          []NavItem
	Flash        string
	StaticPrefix string // versioned path of the embedded static files, e.g. /static/1a2b3c
}

// Asset returns the URL of a static file under the versioned prefix.
func (c Chrome) Asset(path string) string { return c.StaticPrefix + "/" + path }

// SignedInUser is the user shown in the header.
type SignedInUser struct {
	Name      string
	RoleLabel string
}

// NavItem is one link of the main navigation.
type NavItem struct {
	Label   string
	Href    string
	Current bool
}

// LoginForm is the sign-in form and what went wrong with the last attempt.
type LoginForm struct {
	Email       string
	Next        string
	Error       string
	SignedOut   bool
	PasswordSet bool
}

// Home is the dashboard of a signed-in user.
type Home struct {
	Name         string
	RoleLabel    string
	Capabilities []string
	Cards        []DashboardCard // what the role may act on first
}

// DashboardCard is one count of what needs doing, with the list behind it.
type DashboardCard struct {
	ID         string
	Label      string
	Count      int
	Href       string // empty when there is no list to open
	Hint       string
	Actionable bool   // the signed-in role may act on these
	NotYours   string // who acts on these, when the signed-in role may not
	Urgent     bool
	Lines      []CardLine // what the card counts, listed; empty for most cards
}

// CardLine is one thing a card counts, linked to where it is dealt with.
type CardLine struct {
	Text string
	Href string
}

// UserRow is one partner user in the users list.
type UserRow struct {
	ID        int64
	Name      string
	Email     string
	Role      string
	RoleLabel string
	Roles     []Choice // the roles to change to, the user's own chosen
	Active    bool
	Pending   bool // invited, no password set yet
	TwoFactor bool // signs in with a code from an app too
	// Kept says why the user's role and activity cannot be changed now (the
	// last active Global admin): neither control is offered, this is shown.
	Kept string
	// Problem is why the last change of this user was refused, shown beside
	// its controls (in place of Kept, which says the same).
	Problem string
}

// UsersList is one page of partner users, with the form to invite one.
type UsersList struct {
	Rows   []UserRow
	Total  int
	Pager  Pager
	Invite InviteUserForm
	// Link is a password link to pass on by hand, shown once when no SMTP
	// server is configured.
	Link string
}

// InviteUserForm invites a partner user.
type InviteUserForm struct {
	Name   string
	Email  string
	Roles  []Choice // the role chosen among all
	Errors map[string]string
}

// PasswordPage sets a partner user's password from a link.
type PasswordPage struct {
	Action string
	Name   string
	Email  string
	Errors map[string]string
}

// Pager links the pages of a list.
type Pager struct {
	Page     int
	Pages    int
	PrevHref string // empty on the first page
	NextHref string // empty on the last page
	// InForm makes the pages buttons of the form the pager is in, which send
	// it to the page's address, so that what was typed on this page goes
	// along.
	InForm bool
}

// ErrorView describes an error page.
type ErrorView struct {
	Status    int
	Title     string
	Message   string
	RequestID string
	// Back is the page of this site the user came from, to go back to;
	// empty when it is not known.
	Back string
}

// AccountPage is the signed-in user's own account: password and sessions.
type AccountPage struct {
	Name      string
	Email     string
	RoleLabel string
	Errors    map[string]string
	Sessions  []SessionRow
	// TwoFactor is whether the user signs in with a code too, and
	// RecoveryCodesLeft how many unused recovery codes they hold.
	TwoFactor         bool
	RecoveryCodesLeft int
}

// SecondFactorForm is the code form after the password.
type SecondFactorForm struct {
	Next  string
	Error string
}

// TwoFactorSetupView is the two-factor set-up page. Without a QR code it
// offers to start; with one it shows the key and asks for a code.
type TwoFactorSetupView struct {
	Required bool          // the partner requires two-factor sign-in of this user
	QRCode   templ.SafeURL // a data: URL of the PNG image
	Secret   string
	Error    string // about the code
	// ReplacesKey is set when two-factor sign-in is on already: starting
	// again asks for the current password, and CurrentError says what is
	// wrong with the one given.
	ReplacesKey  bool
	CurrentError string
}

// SessionRow is one of the user's sessions.
type SessionRow struct {
	Number    int64
	Started   string
	LastSeen  string
	ClientIP  string
	Browser   string // the browser and system, in words
	UserAgent string // the header as sent, for whoever needs it whole
	Current   bool
}

// Choice is one checkbox, radio button or option of a form, and whether it
// is chosen.
type Choice struct {
	Value    string
	Label    string
	Selected bool
}

// FormProblem is why a form came back unsaved, shown above its fields:
// fields to correct (Errors, whose "" entry speaks of the whole form, such
// as a server out of disk space), or a newer version someone else saved
// (Stale).
type FormProblem struct {
	Errors map[string]string
	Stale  *StaleNotice
	// Prompt is the line above fields to correct; empty for the usual
	// "Please correct the fields marked below. Nothing was saved."
	Prompt string
	// IDPrefix starts the id of every input of the form, on pages that show
	// one form several times: the summary links the error of field name to
	// the input with the id IDPrefix+name, as textField and prefixedField
	// name them.
	IDPrefix string
	// Order is the form's field names as the form shows them, so that the
	// summary lists its errors in reading order; fields it does not name
	// follow, in alphabetical order.
	Order []string
}

// StaleNotice says that someone saved the record after the form was filled:
// who and when, and what is stored now where it differs from what the user
// typed. The form keeps what was typed and names the new version, so saving
// again applies it on top.
type StaleNotice struct {
	ChangedBy   string // empty when not known
	ChangedAt   string // empty when not known
	Differences []Difference
}

// Who says who saved the newer version and when, as far as it is known.
func (n StaleNotice) Who() string {
	who := n.ChangedBy
	if who == "" && n.ChangedAt == "" {
		return ""
	}
	if who == "" {
		who = "Someone"
	}
	if n.ChangedAt == "" {
		return who + " saved it."
	}
	return who + " saved it at " + n.ChangedAt + "."
}

// Difference is a field whose stored value is not the one typed.
type Difference struct {
	Label, Stored, Typed string
}
