package views

// SettingsPage is the partner settings page: the form, a preview of the
// invitation e-mail, and whether the app can send mail.
type SettingsPage struct {
	Countries []Option
	Form      SettingsForm
	CSPModels []Option
	Clouds    []Option
	// Placeholders lists what an invitation template may use: Value is the
	// placeholder as written, Label what it stands for.
	Placeholders []Option
	Preview      *MessagePreview // nil when what was typed cannot be previewed
	MailEnabled  bool
	OwnEmail     string // where a test message goes
}

// SettingsForm is the settings form's values as typed, and what is wrong
// with them by field name.
type SettingsForm struct {
	Name              string
	PartnerID         string
	CSPModel          string
	Cloud             string
	DefaultInviteDays string
	InviteSubject     string
	InviteBody        string
	RequireTwoFactor  bool
	TenantID          string
	Country           string
	ResellerLink      string
	ProviderName      string
	ProviderTenantID  string
	AzureExpertMSP    bool
	Errors            map[string]string
	Stale             *StaleNotice // someone saved the settings after the form was filled
	Version           int64        // of the settings the form was filled from; 0 before the partner is set
}

// HasTemplate reports whether the form holds a template of the partner's
// own, so that going back to the built-in wording is offered.
func (f SettingsForm) HasTemplate() bool { return f.InviteSubject != "" || f.InviteBody != "" }

// MessagePreview is an invitation e-mail as a sample customer would get it.
type MessagePreview struct {
	To      string
	Subject string
	Body    string
	BuiltIn bool // in the built-in wording
	Unsaved bool // of what was typed, not of what is saved
}
