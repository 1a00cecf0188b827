// Package relationships is the licence workflow: requests to become a
// customer's reseller, the invitation link its Global admin answers, the
// partner's review of accepted requests, and the draft e-mail that carries
// the link (DESIGN §4). It also keeps the partner settings that shape new
// invitations (the default expiry and the e-mail template) and sends the
// settings page's test message.
package relationships

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

// Store is what the service needs from persistence.
type Store interface {
	Partner(ctx context.Context) (domain.Partner, error)
	PartnerSettings(ctx context.Context) (domain.PartnerSettings, error)
	SavePartnerSettings(ctx context.Context, actor domain.Actor, ps domain.PartnerSettings) ([]string, error)
	QueueTestMessage(ctx context.Context, actor domain.Actor, m domain.EmailMessage) error
	Customer(ctx context.Context, id int64) (domain.Customer, error)
	CreateInvitation(ctx context.Context, actor domain.Actor, inv domain.NewInvitation) (int64, error)
	RelationshipRequest(ctx context.Context, id int64) (domain.RelationshipRequest, error)
	RelationshipByToken(ctx context.Context, tokenHash []byte) (domain.RelationshipRequest, error)
	AnswerInvitation(ctx context.Context, tokenHash []byte, a domain.InvitationAnswer) (domain.RelationshipRequest, error)
	ResendInvitation(ctx context.Context, actor domain.Actor, id int64, tokenHash []byte, expiresAt time.Time, draft domain.EmailMessage) error
	RevokeInvitation(ctx context.Context, actor domain.Actor, id int64) error
	ReviewRelationship(ctx context.Context, actor domain.Actor, id int64, approve bool, reason string) error
	RemoveRelationship(ctx context.Context, actor domain.Actor, id int64, reason string) error
	InvitationDraft(ctx context.Context, relationshipID int64) (domain.EmailMessage, error)
	UpdateDraft(ctx context.Context, id int64, subject, body string) error
	QueueDraft(ctx context.Context, id int64) error
	MarkDraftSentByHand(ctx context.Context, id int64, scrubbedBody string) error
}

// Planner gives a customer's plan, to tell whether it needs a relationship.
type Planner interface {
	Plan(ctx context.Context, customerID int64) (domain.Plan, error)
}

// Service runs the licence workflow.
type Service struct {
	store       Store
	planner     Planner
	baseURL     *url.URL
	mailEnabled bool
	now         func() time.Time
}

// New returns a Service telling the time by now. Links are built from
// baseURL, never from a request; mailEnabled says whether an SMTP server is
// configured to send drafts.
func New(store Store, planner Planner, baseURL *url.URL, mailEnabled bool, now func() time.Time) *Service {
	return &Service{store: store, planner: planner, baseURL: baseURL, mailEnabled: mailEnabled, now: now}
}

// MailEnabled reports whether drafts can be sent from the app.
func (s *Service) MailEnabled() bool { return s.mailEnabled }

// ErrNotEligible is returned when a customer cannot be invited; the error's
// text says why.
var ErrNotEligible = errors.New("not eligible for a reseller relationship")

type notEligible struct{ reason string }

func (e notEligible) Error() string        { return e.reason }
func (e notEligible) Is(target error) bool { return target == ErrNotEligible }

// Eligibility says whether a customer can be invited, and why not.
func (s *Service) Eligibility(ctx context.Context, customerID int64) (bool, string, error) {
	plan, err := s.planner.Plan(ctx, customerID)
	if err != nil {
		return false, "", err
	}
	ok, reason := domain.RelationshipEligibility(plan.Customer, plan)
	return ok, reason, nil
}

// Link is the invitation address for token, under the configured base URL.
func (s *Service) Link(token string) string { return Link(s.baseURL, token) }

// Link is the invitation address for token under base, the configured base
// URL, never the Host of a request.
func Link(base *url.URL, token string) string {
	return strings.TrimSuffix(base.String(), "/") + "/invite/" + token
}

// Create validates and stores a request for a customer and the draft of its
// invitation e-mail, in the partner's template when it has one. An
// ExpiryDays of 0 takes the partner's default expiry. Invalid input is
// domain.FieldErrors; an ineligible customer is ErrNotEligible; an open
// request is a domain.ConflictError.
func (s *Service) Create(ctx context.Context, actor domain.Actor, req domain.NewRelationshipRequest) (int64, error) {
	ok, reason, err := s.Eligibility(ctx, req.CustomerID)
	if err != nil {
		return 0, err
	}
	if !ok {
		return 0, notEligible{reason}
	}
	settings, err := s.store.PartnerSettings(ctx)
	if err != nil {
		return 0, err
	}
	req = req.Normalize()
	if req.ExpiryDays == 0 {
		req.ExpiryDays = settings.DefaultInviteDays
	}
	if errs := req.Validate(settings.Partner.Cloud); errs.Any() {
		return 0, errs
	}
	customer, err := s.store.Customer(ctx, req.CustomerID)
	if err != nil {
		return 0, err
	}
	token, hash, err := tokens.New()
	if err != nil {
		return 0, err
	}
	expires := s.now().Add(time.Duration(req.ExpiryDays) * 24 * time.Hour)
	draft := invitationMessage(settings, customer, req.RecipientName, req.RecipientEmail, req.AdminRoles, req.AdminDays, s.Link(token), expires)
	return s.store.CreateInvitation(ctx, actor, domain.NewInvitation{Request: req, TokenHash: hash, ExpiresAt: expires, Draft: draft})
}

// Resend gives a pending request a new link, expiring after the partner's
// default expiry, and a new draft in the partner's current template; the old
// link stops working.
func (s *Service) Resend(ctx context.Context, actor domain.Actor, id int64) error {
	r, err := s.store.RelationshipRequest(ctx, id)
	if err != nil {
		return err
	}
	settings, err := s.store.PartnerSettings(ctx)
	if err != nil {
		return err
	}
	customer, err := s.store.Customer(ctx, r.CustomerID)
	if err != nil {
		return err
	}
	token, hash, err := tokens.New()
	if err != nil {
		return err
	}
	expires := s.now().Add(time.Duration(settings.DefaultInviteDays) * 24 * time.Hour)
	draft := invitationMessage(settings, customer, r.RecipientName, r.RecipientEmail, r.AdminRoles, r.AdminDays, s.Link(token), expires)
	return s.store.ResendInvitation(ctx, actor, id, hash, expires, draft)
}

// Revoke withdraws a pending request.
func (s *Service) Revoke(ctx context.Context, actor domain.Actor, id int64) error {
	return s.store.RevokeInvitation(ctx, actor, id)
}

// Approve makes an accepted request the customer's active relationship.
func (s *Service) Approve(ctx context.Context, actor domain.Actor, id int64) error {
	return s.store.ReviewRelationship(ctx, actor, id, true, "")
}

// Reject refuses an accepted request; a reason is required.
func (s *Service) Reject(ctx context.Context, actor domain.Actor, id int64, reason string) error {
	if reason = strings.TrimSpace(reason); reason == "" {
		return domain.FieldErrors{"reason": "Say why the request is rejected."}
	}
	return s.store.ReviewRelationship(ctx, actor, id, false, reason)
}

// Remove ends an active relationship; a reason is required.
func (s *Service) Remove(ctx context.Context, actor domain.Actor, id int64, reason string) error {
	if reason = strings.TrimSpace(reason); reason == "" {
		return domain.FieldErrors{"reason": "Say why the relationship is removed."}
	}
	return s.store.RemoveRelationship(ctx, actor, id, reason)
}

// Invitation is what the customer's page shows for a valid link.
type Invitation struct {
	Partner  domain.Partner
	Customer domain.Customer
	Request  domain.RelationshipRequest
}

// ErrInvalidLink is the one answer for an unknown, used, revoked or expired
// link, so the page tells nothing about which it was.
var ErrInvalidLink = errors.New("this invitation link is not valid")

// Invitation looks up the invitation of a link without changing anything.
func (s *Service) Invitation(ctx context.Context, token string) (Invitation, error) {
	hash, ok := tokens.Hash(token)
	if !ok {
		return Invitation{}, ErrInvalidLink
	}
	r, err := s.store.RelationshipByToken(ctx, hash)
	if errors.Is(err, domain.ErrNotFound) || (err == nil && r.Effective(s.now()) != domain.StatusPending) {
		return Invitation{}, ErrInvalidLink
	}
	if err != nil {
		return Invitation{}, err
	}
	partner, err := s.store.Partner(ctx)
	if err != nil {
		return Invitation{}, err
	}
	customer, err := s.store.Customer(ctx, r.CustomerID)
	if err != nil {
		return Invitation{}, err
	}
	return Invitation{Partner: partner, Customer: customer, Request: r}, nil
}

// CustomerAnswer is what the customer's admin submits.
type CustomerAnswer struct {
	Accept        bool
	Name          string
	Email         string
	IsGlobalAdmin bool
	AcceptsMCA    bool
	ClientIP      string
}

// Answer records the customer's acceptance or refusal and uses up the link.
// Accepting needs the name, e-mail and both confirmations.
func (s *Service) Answer(ctx context.Context, token string, a CustomerAnswer) (domain.RelationshipRequest, error) {
	hash, ok := tokens.Hash(token)
	if !ok {
		return domain.RelationshipRequest{}, ErrInvalidLink
	}
	a.Name = strings.TrimSpace(a.Name)
	email, emailErr := domain.NormalizeEmail(a.Email)
	errs := domain.FieldErrors{}
	if a.Accept {
		if a.Name == "" || len(a.Name) > 200 {
			errs["name"] = "Enter your name."
		}
		if emailErr != nil {
			errs["email"] = "Enter your e-mail address."
		}
		if !a.IsGlobalAdmin {
			errs["global_admin"] = "Only a Global admin of your organisation can accept."
		}
		if !a.AcceptsMCA {
			errs["mca"] = "Acknowledge the Microsoft Customer Agreement to accept."
		}
	}
	// The link must be usable now, on the service's clock, before the answer
	// is checked: an expired link gets the same page as any other dead one.
	if r, err := s.store.RelationshipByToken(ctx, hash); err != nil || r.Effective(s.now()) != domain.StatusPending {
		if err != nil && !errors.Is(err, domain.ErrNotFound) {
			return domain.RelationshipRequest{}, err
		}
		return domain.RelationshipRequest{}, ErrInvalidLink
	}
	if errs.Any() {
		return domain.RelationshipRequest{}, errs
	}
	if emailErr != nil {
		email = ""
	}
	r, err := s.store.AnswerInvitation(ctx, hash, domain.InvitationAnswer{Accept: a.Accept, Name: a.Name, Email: email, ClientIP: a.ClientIP})
	if errors.Is(err, domain.ErrNotFound) {
		return r, ErrInvalidLink
	}
	return r, err
}

// Draft returns the unsent invitation e-mail of a request.
func (s *Service) Draft(ctx context.Context, relationshipID int64) (domain.EmailMessage, error) {
	return s.store.InvitationDraft(ctx, relationshipID)
}

// EditDraft replaces the draft's subject and body; the link must stay in it.
func (s *Service) EditDraft(ctx context.Context, relationshipID int64, subject, body string) error {
	draft, err := s.store.InvitationDraft(ctx, relationshipID)
	if err != nil {
		return err
	}
	link := domain.FindInvitationLink(draft.Body)
	errs := domain.FieldErrors{}
	if subject = strings.TrimSpace(subject); subject == "" || len(subject) > 200 {
		errs["subject"] = "Enter a subject of at most 200 characters."
	}
	if link == "" || !strings.Contains(body, link) {
		errs["body"] = "Keep the invitation link in the message: " + link
	} else if len(body) > 20000 {
		errs["body"] = "Use at most 20,000 characters."
	}
	if errs.Any() {
		return errs
	}
	return s.store.UpdateDraft(ctx, draft.ID, subject, body)
}

// Send queues the draft for the SMTP sender.
func (s *Service) Send(ctx context.Context, relationshipID int64) error {
	if !s.mailEnabled {
		return domain.Conflict("No SMTP server is configured: copy the message, or open it in your mail program.")
	}
	draft, err := s.store.InvitationDraft(ctx, relationshipID)
	if err != nil {
		return err
	}
	return s.store.QueueDraft(ctx, draft.ID)
}

// MarkSentByHand records that staff sent the draft themselves; the link is
// removed from the stored copy.
func (s *Service) MarkSentByHand(ctx context.Context, relationshipID int64) error {
	draft, err := s.store.InvitationDraft(ctx, relationshipID)
	if err != nil {
		return err
	}
	return s.store.MarkDraftSentByHand(ctx, draft.ID, domain.ScrubInvitationLinks(draft.Body))
}

// InvitationMessage writes the invitation e-mail to a customer's Global
// admin, with the link and when it expires.
func InvitationMessage(p domain.Partner, c domain.Customer, recipientName, recipientEmail string, roles []domain.AdminRole, adminDays int,
	link string, expires time.Time) domain.EmailMessage {
	var b strings.Builder
	fmt.Fprintf(&b, "Dear %s,\n\n", recipientName)
	fmt.Fprintf(&b, "%s (Microsoft PartnerID %s) asks to become a Microsoft reseller for %s (%s).\n\n", p.Name, p.PartnerID, c.Name, c.Domain)
	b.WriteString("Accepting lets us buy and support Microsoft subscriptions for your organisation. The subscriptions you already have stay where they are.\n")
	if len(roles) > 0 {
		names := make([]string, len(roles))
		for i, r := range roles {
			names[i] = r.Label()
		}
		fmt.Fprintf(&b, "We also ask for these admin roles for %d days: %s.\n", adminDays, strings.Join(names, ", "))
	}
	if p.Cloud == domain.CloudUSGovernment {
		b.WriteString("This request is for Microsoft Cloud for US Government.\n")
	}
	fmt.Fprintf(&b, "\nOnly a Global admin of your organisation can accept. Open this link to read the details and answer:\n\n%s\n\n", link)
	fmt.Fprintf(&b, "The link works until %s.\n\nKind regards,\n%s\n", expires.Format(expiryDate), p.Name)
	return domain.EmailMessage{To: recipientEmail, Subject: fmt.Sprintf("%s asks to become your Microsoft reseller", p.Name), Body: b.String()}
}

// expiryDate is how an invitation e-mail writes the day its link expires.
const expiryDate = "2 January 2006"

// invitationMessage writes the invitation e-mail in the partner's template,
// or in the built-in wording of InvitationMessage when there is none.
func invitationMessage(ps domain.PartnerSettings, c domain.Customer, recipientName, recipientEmail string, roles []domain.AdminRole, adminDays int,
	link string, expires time.Time) domain.EmailMessage {
	if ps.Invitation.BuiltIn() {
		return InvitationMessage(ps.Partner, c, recipientName, recipientEmail, roles, adminDays, link, expires)
	}
	subject, body := ps.Invitation.Render(domain.InvitationValues{Customer: c.Name, Partner: ps.Partner.Name, PartnerID: ps.Partner.PartnerID,
		Recipient: recipientName, Link: link, Expires: expires.Format(expiryDate)})
	return domain.EmailMessage{To: recipientEmail, Subject: subject, Body: body}
}

// Settings returns the partner's details and settings, or domain.ErrNotFound
// before a partner is set.
func (s *Service) Settings(ctx context.Context) (domain.PartnerSettings, error) {
	return s.store.PartnerSettings(ctx)
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

// PreviewInvitation writes the invitation a sample customer would receive
// under ps, expiring after ps's default expiry. It stores nothing; ps must
// be valid.
func (s *Service) PreviewInvitation(ps domain.PartnerSettings) domain.EmailMessage {
	expires := s.now().Add(time.Duration(ps.DefaultInviteDays) * 24 * time.Hour)
	return invitationMessage(ps, sampleCustomer, sampleRecipient, sampleEmail, nil, 0, s.Link(sampleToken), expires)
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
		name, partner.Name, s.now().Format("2 January 2006 15:04"))
	msg := domain.EmailMessage{To: email, Subject: "Test message from Multichannel Support", Body: body}
	return true, s.store.QueueTestMessage(ctx, actor, msg)
}
