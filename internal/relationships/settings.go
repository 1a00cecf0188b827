package relationships

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/wingtip/multichannel/internal/domain"
)

// This file keeps the partner settings that shape new invitations (the
// default expiry and the e-mail template), previews them and sends the
// settings page's test message.

// SettingsPage returns the stored settings, or the defaults before a partner
// is set, with the invitation they give a sample customer when they are
// valid.
func (s *Service) SettingsPage(ctx context.Context) (domain.SettingsPage, error) {
	ps, err := s.store.PartnerSettings(ctx)
	if errors.Is(err, domain.ErrNotFound) {
		ps, err = domain.DefaultSettings(), nil
	}
	if err != nil {
		return domain.SettingsPage{}, err
	}
	page := domain.SettingsPage{Settings: ps, MailEnabled: s.mailEnabled}
	if !ps.Validate().Any() {
		m := s.previewInvitation(ps)
		page.Preview = &m
	}
	return page, nil
}

// PreviewSettings shows settings as typed, not saved: normalised, with the
// invitation they would give. Invalid ones are domain.FieldErrors.
func (s *Service) PreviewSettings(ps domain.PartnerSettings) (domain.SettingsPage, error) {
	ps = ps.Normalize()
	if errs := ps.Validate(); errs.Any() {
		return domain.SettingsPage{}, errs
	}
	m := s.previewInvitation(ps)
	return domain.SettingsPage{Settings: ps, Preview: &m, MailEnabled: s.mailEnabled}, nil
}

// SaveSettings validates and stores the partner's details and settings with
// an audit entry, and returns what changed. Invalid input is
// domain.FieldErrors.
func (s *Service) SaveSettings(ctx context.Context, actor domain.Actor, ps domain.PartnerSettings) ([]string, error) {
	return s.store.SavePartnerSettings(ctx, actor, ps)
}

// The sample invitation the settings page previews: nobody real, and a link
// that cannot work.
var (
	sampleCustomer  = domain.Customer{Name: "Contoso Pharmaceuticals", Domain: "contosopharma.onmicrosoft.com"}
	sampleRecipient = "Megan Bowen"
	sampleEmail     = "megan.bowen@contosopharma.example"
	sampleToken     = "SAMPLE-LINK-FOR-THE-PREVIEW-ONLY"
)

// previewInvitation writes the invitation a sample customer would receive
// under ps, expiring after ps's default expiry. It stores nothing; ps must
// be valid.
func (s *Service) previewInvitation(ps domain.PartnerSettings) domain.EmailMessage {
	expires := s.now().Add(time.Duration(ps.DefaultInviteDays) * 24 * time.Hour)
	return invitationMessage(ps, sampleCustomer, sampleRecipient, sampleEmail, domain.GDAPTerms{}, s.Link(sampleToken), expires)
}

// SendTestMessage queues a short message to an address, to check that mail
// from the app arrives; it carries no link. Without an SMTP server nothing
// is queued and it returns false.
func (s *Service) SendTestMessage(ctx context.Context, actor domain.Actor, name, email string) (bool, error) {
	if !s.mailEnabled {
		return false, nil
	}
	partner, err := s.store.Partner(ctx)
	if err != nil {
		return false, err
	}
	body := fmt.Sprintf("Hello %s,\n\nThis is a test message from Multichannel Support for %s, sent from the settings page on %s UTC.\n"+
		"If you can read it, the app can send e-mail: invitations sent from the app will reach customers the same way.\n",
		name, partner.Name, domain.FormatDateTimeZoned(s.now()))
	msg := domain.EmailMessage{To: email, Subject: "Test message from Multichannel Support", Body: body}
	return true, s.store.QueueTestMessage(ctx, actor, msg)
}
