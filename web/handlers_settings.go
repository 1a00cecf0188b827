package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/wingtip/multichannel/internal/domain"
	"github.com/wingtip/multichannel/views"
)

// The choices of the settings form, in the order they are offered.
var (
	cspModelOptions = optionsOf(domain.CSPModels)
	cloudOptions    = optionsOf(domain.Clouds)
)

// settingsForm shows stored settings in the form.
func settingsForm(ps domain.PartnerSettings) views.SettingsForm {
	return views.SettingsForm{Name: ps.Partner.Name, PartnerID: ps.Partner.PartnerID, CSPModel: string(ps.Partner.CSPModel),
		Cloud: string(ps.Partner.Cloud), DefaultInviteDays: strconv.Itoa(ps.DefaultInviteDays),
		InviteSubject: ps.Invitation.Subject, InviteBody: ps.Invitation.Body, RequireTwoFactor: ps.RequireTwoFactor, Version: int64(ps.Version),
		TenantID: ps.Partner.TenantID, Country: ps.Partner.Country, ResellerLink: ps.Partner.ResellerLink,
		ProviderName: ps.Partner.ProviderName, ProviderTenantID: ps.Partner.ProviderTenantID, AzureExpertMSP: ps.Partner.AzureExpertMSP}
}

// settingsFields labels the values of the settings form, for the notice of
// a stale save.
func settingsFields(f views.SettingsForm) []field {
	yes := func(b bool) string {
		if b {
			return "yes"
		}
		return "no"
	}
	return []field{{"Partner name", f.Name}, {"PartnerID", f.PartnerID}, {"CSP model", optionLabel(cspModelOptions, f.CSPModel)},
		{"Microsoft cloud", optionLabel(cloudOptions, f.Cloud)}, {"Microsoft ID", f.TenantID}, {"Country or region", optionLabel(countryOptions, f.Country)},
		{"Reseller relationship link", f.ResellerLink}, {"Indirect provider", f.ProviderName}, {"Indirect provider's Microsoft ID", f.ProviderTenantID},
		{"Azure Expert MSP designation", yes(f.AzureExpertMSP)}, {"Require two-factor sign-in", yes(f.RequireTwoFactor)},
		{"Default invitation expiry (days)", f.DefaultInviteDays}, {"Invitation subject", f.InviteSubject}, {"Invitation message", f.InviteBody}}
}

// storedSettingsFields labels stored settings as settingsFields labels the
// form.
func storedSettingsFields(ps domain.PartnerSettings) []field { return settingsFields(settingsForm(ps)) }

// postedSettings reads the settings form as typed, and the settings it
// asks for. Ticking "built-in wording" empties the template.
func postedSettings(c echo.Context) (views.SettingsForm, domain.PartnerSettings) {
	f := views.SettingsForm{Name: postValue(c, "name"), PartnerID: postValue(c, "partner_id"), CSPModel: postValue(c, "csp_model"),
		Cloud: postValue(c, "cloud"), DefaultInviteDays: postValue(c, "default_invite_days"),
		InviteSubject: postValue(c, "invite_subject"), InviteBody: postValue(c, "invite_body"),
		RequireTwoFactor: postValue(c, "require_two_factor") == "1", TenantID: postValue(c, "tenant_id"), Country: postValue(c, "country"),
		ResellerLink: postValue(c, "reseller_link"), ProviderName: postValue(c, "provider_name"), ProviderTenantID: postValue(c, "provider_tenant_id"),
		AzureExpertMSP: postValue(c, "azure_expert_msp") == "1"}
	if postValue(c, "builtin_wording") == "1" {
		f.InviteSubject, f.InviteBody = "", ""
	}
	// A number that does not parse stays 0, which validation refuses with
	// the field's message.
	days, _ := strconv.Atoi(strings.TrimSpace(f.DefaultInviteDays))
	ps := domain.PartnerSettings{
		Partner: domain.Partner{Name: f.Name, PartnerID: f.PartnerID, CSPModel: domain.CSPModel(f.CSPModel), Cloud: domain.Cloud(f.Cloud),
			TenantID: f.TenantID, Country: f.Country, ResellerLink: f.ResellerLink, ProviderName: f.ProviderName, ProviderTenantID: f.ProviderTenantID,
			AzureExpertMSP: f.AzureExpertMSP},
		DefaultInviteDays: days,
		Invitation:        domain.InvitationTemplate{Subject: f.InviteSubject, Body: f.InviteBody},
		RequireTwoFactor:  f.RequireTwoFactor,
		Version:           versionValue(c),
	}
	f.Version = int64(ps.Version)
	return f, ps
}

// renderSettings shows the settings page with form as it stands or as
// typed, and, when page has one, the invitation preview of valid settings
// (unsaved: not stored yet).
func (s *Server) renderSettings(c echo.Context, status int, form views.SettingsForm, page domain.SettingsPage, unsaved bool) error {
	user, _ := currentUser(c)
	v := views.SettingsPage{Form: form, CSPModels: cspModelOptions, Clouds: cloudOptions, Countries: countryOptions, MailEnabled: page.MailEnabled, OwnEmail: user.Email}
	for _, ph := range domain.InvitationPlaceholders {
		v.Placeholders = append(v.Placeholders, views.Option{Value: ph.Text(), Label: ph.Description})
	}
	if m := page.Preview; m != nil {
		v.Preview = &views.MessagePreview{To: m.To, Subject: m.Subject, Body: m.Body, BuiltIn: page.Settings.Invitation.BuiltIn(), Unsaved: unsaved}
	}
	return s.render(c, status, views.PartnerSettingsPage(s.chrome(c, "Partner settings"), v))
}

func (s *Server) showSettings(c echo.Context) error {
	page, err := s.svc.Relationships.SettingsPage(c.Request().Context())
	if err != nil {
		return err
	}
	return s.renderSettings(c, http.StatusOK, settingsForm(page.Settings), page, false)
}

// saveSettings saves the form, or with action=preview only shows the
// invitation it would give. Invalid input is shown again as typed, with 422.
func (s *Server) saveSettings(c echo.Context) error {
	form, ps := postedSettings(c)
	noPreview := domain.SettingsPage{MailEnabled: s.svc.Relationships.MailEnabled()}
	if postValue(c, "action") == "preview" {
		page, err := s.svc.Relationships.PreviewSettings(ps)
		if errs, ok := fieldErrors(err); ok {
			form.Errors = errs
			return s.renderSettings(c, http.StatusUnprocessableEntity, form, noPreview, false)
		}
		if err != nil {
			return err
		}
		return s.renderSettings(c, http.StatusOK, form, page, true)
	}
	changes, err := s.svc.Relationships.SaveSettings(c.Request().Context(), actor(c), ps)
	refused, err := refusalOf(err, storedSettingsFields, settingsFields(form))
	if err != nil {
		return err
	}
	if refused != nil {
		if form.Errors, form.Stale = refused.errs, refused.stale; refused.stale != nil {
			form.Version = refused.version
		}
		return s.renderSettings(c, refused.status, form, noPreview, false)
	}
	if len(changes) == 0 {
		s.flash(c, "Nothing was changed.")
	} else {
		s.flash(c, "Settings saved. New invitations use them from now on; invitations already made keep their wording.")
	}
	return c.Redirect(http.StatusSeeOther, "/settings")
}

// sendTestMail queues a test message to the signed-in admin. Without SMTP it
// queues nothing and says so: that is the answer the admin asked for, not
// an error.
func (s *Server) sendTestMail(c echo.Context) error {
	user, _ := currentUser(c)
	queued, err := s.svc.Relationships.SendTestMessage(c.Request().Context(), actor(c), user.Name, user.Email)
	if err != nil {
		return err
	}
	if queued {
		s.flash(c, "A test message to "+user.Email+" is queued. The outbox shows when it is sent, or why it could not be.")
	} else {
		s.flash(c, "No SMTP server is configured, so nothing was queued: start the app with --smtp-url to send e-mail from it.")
	}
	return c.Redirect(http.StatusSeeOther, "/settings")
}
