package domain

import (
	"fmt"
	"regexp"
	"strings"
)

// PartnerSettings is what a Global admin edits on the settings page: the
// partner's details and the choices that shape new invitations.
type PartnerSettings struct {
	Partner Partner
	// DefaultInviteDays is how long a new invitation link stays valid when
	// the person creating it does not say.
	DefaultInviteDays int
	// Invitation is the wording of the invitation e-mail; its zero value
	// means the built-in wording.
	Invitation InvitationTemplate
	// RequireTwoFactor sends Global admins and Admin agents without
	// two-factor sign-in to set it up before anything else.
	RequireTwoFactor bool
	// Version counts the saves of the partner and its settings; see Version.
	Version Version
}

// TwoFactorRequiredOf reports whether the settings require role to sign in
// with two factors: only the roles that administer customers' tenants.
func (s PartnerSettings) TwoFactorRequiredOf(role Role) bool {
	return s.RequireTwoFactor && (role == RoleGlobalAdmin || role == RoleAdminAgent)
}

// Normalize trims what people type around the values.
func (s PartnerSettings) Normalize() PartnerSettings {
	s.Partner.Name = strings.TrimSpace(s.Partner.Name)
	s.Partner.PartnerID = strings.TrimSpace(s.Partner.PartnerID)
	s.Partner.TenantID = NormalizeTenantID(s.Partner.TenantID)
	s.Partner.Country = strings.ToUpper(strings.TrimSpace(s.Partner.Country))
	s.Partner.ResellerLink = strings.TrimSpace(s.Partner.ResellerLink)
	if s.Partner.CSPModel == CSPIndirectReseller {
		s.Partner.ProviderName = strings.TrimSpace(s.Partner.ProviderName)
		s.Partner.ProviderTenantID = NormalizeTenantID(s.Partner.ProviderTenantID)
	} else {
		// Only an indirect reseller has an indirect provider.
		s.Partner.ProviderName, s.Partner.ProviderTenantID = "", ""
	}
	s.Invitation = s.Invitation.Normalize()
	return s
}

// Validate checks every field and returns the problems by form field name:
// those of Partner.Validate, azure_expert_msp, default_invite_days,
// invite_subject and invite_body.
func (s PartnerSettings) Validate() FieldErrors {
	errs := s.Partner.Validate()
	if s.DefaultInviteDays < 1 || s.DefaultInviteDays > MaxInviteDays {
		errs["default_invite_days"] = "Enter a number of days from 1 to 90."
	}
	for field, msg := range s.Invitation.Validate() {
		errs[field] = msg
	}
	// Microsoft offers the billing transfer "only for CSP Direct Bill
	// Partners certified as Azure Expert MSP"
	// (https://learn.microsoft.com/en-us/azure/cost-management-billing/manage/mpa-request-ownership).
	if s.Partner.AzureExpertMSP && s.Partner.CSPModel.Valid() && s.Partner.CSPModel != CSPDirectBill {
		errs["azure_expert_msp"] = "Only a direct-bill partner can take over Azure billing as an Azure Expert MSP: choose direct bill, or leave this unticked."
	}
	return errs
}

// Changes lists, for the audit log, what differs from before: the old and
// new values of the short fields, and only the length of a new message text,
// never the text itself. It is empty when nothing changed.
func (s PartnerSettings) Changes(before PartnerSettings) []string {
	var out []string
	short := func(field, old, now string) {
		if old != now {
			out = append(out, fmt.Sprintf("%s %q → %q", field, old, now))
		}
	}
	short("name", before.Partner.Name, s.Partner.Name)
	short("partner_id", before.Partner.PartnerID, s.Partner.PartnerID)
	short("csp_model", string(before.Partner.CSPModel), string(s.Partner.CSPModel))
	short("cloud", string(before.Partner.Cloud), string(s.Partner.Cloud))
	short("tenant_id", before.Partner.TenantID, s.Partner.TenantID)
	short("country", before.Partner.Country, s.Partner.Country)
	short("reseller_link", before.Partner.ResellerLink, s.Partner.ResellerLink)
	short("provider_name", before.Partner.ProviderName, s.Partner.ProviderName)
	short("provider_tenant_id", before.Partner.ProviderTenantID, s.Partner.ProviderTenantID)
	if before.Partner.AzureExpertMSP != s.Partner.AzureExpertMSP {
		out = append(out, fmt.Sprintf("azure_expert_msp %t → %t", before.Partner.AzureExpertMSP, s.Partner.AzureExpertMSP))
	}
	if before.RequireTwoFactor != s.RequireTwoFactor {
		out = append(out, fmt.Sprintf("require_two_factor %t → %t", before.RequireTwoFactor, s.RequireTwoFactor))
	}
	if before.DefaultInviteDays != s.DefaultInviteDays {
		out = append(out, fmt.Sprintf("default_invite_days %d → %d", before.DefaultInviteDays, s.DefaultInviteDays))
	}
	switch {
	case before.Invitation == s.Invitation:
	case s.Invitation.BuiltIn():
		out = append(out, "invitation template reset to the built-in wording")
	default:
		if before.Invitation.Subject != s.Invitation.Subject {
			out = append(out, "invite_subject changed")
		}
		if before.Invitation.Body != s.Invitation.Body {
			out = append(out, fmt.Sprintf("invite_body changed (now %d characters)", len([]rune(s.Invitation.Body))))
		}
	}
	return out
}

// Limits on the invitation template, as on an edited draft.
const (
	MaxInviteSubject = 200
	MaxInviteBody    = 20000
)

// Placeholder is one value the invitation template can name, written
// {{name}} in the subject or body.
type Placeholder struct {
	Name        string
	Description string
}

// Text is the placeholder as it is written in a template.
func (p Placeholder) Text() string { return "{{" + p.Name + "}}" }

// InvitationPlaceholders lists every placeholder an invitation template may
// use, in the order they are explained.
var InvitationPlaceholders = []Placeholder{
	{"customer", "the customer's name"},
	{"partner", "your organisation's name"},
	{"partner_id", "your PartnerID"},
	{"recipient", "the name of the customer's Global admin"},
	{"link", "the invitation link (required in the message, not allowed in the subject)"},
	{"expires", "the date the link stops working"},
}

// placeholderPattern finds everything written as a placeholder, known or not.
var placeholderPattern = regexp.MustCompile(`\{\{([^{}]*)\}\}`)

// linkBreaker matches a link placeholder glued to characters a token may
// contain, which would corrupt the link once it is filled in.
var linkBreaker = regexp.MustCompile(`\{\{link\}\}[A-Za-z0-9_-]`)

// InvitationTemplate is the partner's own wording of the invitation e-mail,
// with placeholders. Both fields empty means the built-in wording.
type InvitationTemplate struct {
	Subject string
	Body    string
}

// BuiltIn reports whether the template is empty, so that the built-in
// wording is used.
func (t InvitationTemplate) BuiltIn() bool { return t.Subject == "" && t.Body == "" }

// Normalize trims the subject, and gives the body Unix line ends (browsers
// send CRLF from a text area) without trailing blank space.
func (t InvitationTemplate) Normalize() InvitationTemplate {
	t.Subject = strings.TrimSpace(t.Subject)
	t.Body = strings.TrimRight(strings.ReplaceAll(t.Body, "\r\n", "\n"), " \t\r\n")
	if strings.TrimSpace(t.Body) == "" {
		t.Body = ""
	}
	return t
}

// Validate checks a normalised template: empty, or a one-line subject and a
// body that holds {{link}}, both using only the known placeholders.
func (t InvitationTemplate) Validate() FieldErrors {
	errs := FieldErrors{}
	if t.BuiltIn() {
		return errs
	}
	switch {
	case t.Subject == "":
		errs["invite_subject"] = "Enter a subject, or leave both subject and message empty for the built-in wording."
	case len([]rune(t.Subject)) > MaxInviteSubject || strings.ContainsAny(t.Subject, "\r\n"):
		errs["invite_subject"] = "Use one line of at most 200 characters."
	case strings.Contains(t.Subject, "{{link}}"):
		errs["invite_subject"] = "Put {{link}} in the message, not the subject: a subject is kept after the message is sent."
	default:
		if unknown := unknownPlaceholders(t.Subject); unknown != "" {
			errs["invite_subject"] = unknown
		}
	}
	unknown := unknownPlaceholders(t.Body)
	switch {
	case t.Body == "":
		errs["invite_body"] = "Enter the message, or leave both subject and message empty for the built-in wording."
	case len([]rune(t.Body)) > MaxInviteBody:
		errs["invite_body"] = "Use at most 20,000 characters."
	case unknown != "":
		errs["invite_body"] = unknown
	case !strings.Contains(t.Body, "{{link}}"):
		errs["invite_body"] = "Put {{link}} in the message: the customer's Global admin needs the link to answer."
	case linkBreaker.MatchString(t.Body):
		errs["invite_body"] = "Leave a space or punctuation after {{link}}, or the link will not work."
	}
	return errs
}

// unknownPlaceholders says which placeholders in text are not known, with
// the list of known ones, or returns "" when all are known.
func unknownPlaceholders(text string) string {
	var unknown []string
	for _, m := range placeholderPattern.FindAllStringSubmatch(text, -1) {
		if _, ok := (InvitationValues{}).value(m[1]); !ok {
			unknown = append(unknown, m[0])
		}
	}
	if len(unknown) == 0 {
		return ""
	}
	known := make([]string, len(InvitationPlaceholders))
	for i, p := range InvitationPlaceholders {
		known[i] = p.Text()
	}
	return fmt.Sprintf("Unknown placeholder %s. Use only %s.", strings.Join(unknown, ", "), strings.Join(known, ", "))
}

// InvitationValues are what the placeholders of one invitation stand for.
type InvitationValues struct {
	Customer  string
	Partner   string
	PartnerID string
	Recipient string
	Link      string
	Expires   string
}

// value is what the placeholder called name stands for; false for a name
// that is not a placeholder. InvitationPlaceholders lists the same names.
func (v InvitationValues) value(name string) (string, bool) {
	switch name {
	case "customer":
		return v.Customer, true
	case "partner":
		return v.Partner, true
	case "partner_id":
		return v.PartnerID, true
	case "recipient":
		return v.Recipient, true
	case "link":
		return v.Link, true
	case "expires":
		return v.Expires, true
	}
	return "", false
}

// Render fills the placeholders of a valid template in one pass, so a value
// that itself looks like a placeholder is left as it is. The subject stays
// on one line whatever the values hold.
func (t InvitationTemplate) Render(v InvitationValues) (subject, body string) {
	fill := func(text string) string {
		return placeholderPattern.ReplaceAllStringFunc(text, func(m string) string {
			if s, ok := v.value(m[2 : len(m)-2]); ok {
				return s
			}
			return m
		})
	}
	subject = strings.Join(strings.Fields(fill(t.Subject)), " ")
	return subject, fill(t.Body)
}

// FindInvitationLink returns the first invitation link in text, without the
// punctuation a message may put around it, or "" when there is none.
func FindInvitationLink(text string) string {
	return invitationLink.FindString(text)
}

// DefaultSettings are the settings the settings page starts from before a
// partner is set (the command line sets one): direct bill in the commercial
// cloud, the default expiry, the built-in wording.
func DefaultSettings() PartnerSettings {
	return PartnerSettings{DefaultInviteDays: DefaultInviteDays, Partner: Partner{CSPModel: CSPDirectBill, Cloud: CloudCommercial}}
}

// SettingsPage is what the settings page shows: the settings (as stored, or
// as typed when they are shown again), and the invitation they would give a
// sample customer, when they are valid.
type SettingsPage struct {
	Settings    PartnerSettings
	Preview     *EmailMessage // nil when the settings are not valid
	MailEnabled bool          // an SMTP server sends the outbox
}
