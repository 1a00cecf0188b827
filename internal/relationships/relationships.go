// Package relationships is the licence workflow (DESIGN §4): requests to
// become a customer's reseller, the invitation link its Global admin
// answers, the verification in Partner Center (or rejection) of accepted
// requests, their GDAP requests and role templates, the draft e-mail that
// carries the link, and the read models of the workflow's pages. It also
// keeps the partner settings that shape new invitations (the default expiry
// and the e-mail template) and sends the settings page's test message.
package relationships

import (
	"context"
	"errors"
	"maps"
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
	OpenRelationship(ctx context.Context, customerID int64) (domain.RelationshipRequest, error)
	CustomerRelationships(ctx context.Context, customerID int64) ([]domain.RelationshipRequest, error)
	ListRelationships(ctx context.Context, f domain.RelationshipFilter, now time.Time) ([]domain.RelationshipRequest, error)
	CountRelationships(ctx context.Context, f domain.RelationshipFilter, now time.Time) (int, error)
	RelationshipCounts(ctx context.Context, now time.Time) (map[domain.RelationshipStatus]int, error)
	ListOutbox(ctx context.Context, page domain.Page) ([]domain.EmailMessage, int, error)
	RelationshipByToken(ctx context.Context, tokenHash []byte) (domain.RelationshipRequest, error)
	AnswerInvitation(ctx context.Context, tokenHash []byte, a domain.InvitationAnswer) (domain.RelationshipRequest, error)
	Attestation(ctx context.Context, relationshipID int64) (domain.Attestation, error)
	ResendInvitation(ctx context.Context, actor domain.Actor, id int64, tokenHash []byte, expiresAt time.Time, draft domain.EmailMessage) error
	RevokeInvitation(ctx context.Context, actor domain.Actor, id int64) error
	ReviewRelationship(ctx context.Context, actor domain.Actor, id int64, verify bool, reason string) error
	VerificationState(ctx context.Context) ([]domain.Customer, map[int64]domain.RelationshipRequest, error)
	ApplyExport(ctx context.Context, actor domain.Actor, a domain.ExportApplication) (domain.ExportResult, error)
	RemoveRelationship(ctx context.Context, actor domain.Actor, id int64, reason string) error
	InvitationDraft(ctx context.Context, relationshipID int64) (domain.EmailMessage, error)
	UpdateDraft(ctx context.Context, actor domain.Actor, d domain.EmailMessage) error
	QueueDraft(ctx context.Context, id int64) error
	MarkDraftSentByHand(ctx context.Context, id int64, scrubbedBody string) error
	SendMessageAgain(ctx context.Context, actor domain.Actor, id int64) error
	GDAPStore
	GDAPListStore
}

// Customers is what the service needs of the customers service: a
// customer's plan, to tell whether it needs a relationship, and its
// overview, for the heading of step 4.
type Customers interface {
	PlanOutline(ctx context.Context, customerID int64) (domain.Plan, error)
	Overview(ctx context.Context, id int64) (domain.CustomerOverview, error)
}

// Service runs the licence workflow.
type Service struct {
	store       Store
	customers   Customers
	baseURL     *url.URL
	mailEnabled bool
	now         func() time.Time
}

// New returns a Service telling the time by now. Links are built from
// baseURL, never from a request; mailEnabled says whether an SMTP server is
// configured to send drafts.
func New(store Store, customers Customers, baseURL *url.URL, mailEnabled bool, now func() time.Time) *Service {
	return &Service{store: store, customers: customers, baseURL: baseURL, mailEnabled: mailEnabled, now: now}
}

// MailEnabled reports whether drafts can be sent from the app.
func (s *Service) MailEnabled() bool { return s.mailEnabled }

// ErrNotEligible is returned when a customer cannot be invited; the error's
// text says why.
var ErrNotEligible = errors.New("not eligible for a reseller relationship")

type notEligible struct{ reason string }

func (e notEligible) Error() string        { return e.reason }
func (e notEligible) Is(target error) bool { return target == ErrNotEligible }

// eligibility says whether a customer can be invited, and why not.
func (s *Service) eligibility(ctx context.Context, customerID int64) (bool, string, error) {
	partner, err := s.store.Partner(ctx)
	if err != nil {
		return false, "", err
	}
	if missing := partner.MissingForInvitations(); missing != "" {
		return false, missing, nil
	}
	plan, err := s.customers.PlanOutline(ctx, customerID)
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

// Create validates and stores a request for a customer, made by a user of
// role, with its GDAP request when admin roles are asked, and the draft of
// its invitation e-mail, in the partner's template when it has one. An
// ExpiryDays of 0 takes the partner's default expiry. Invalid input is
// domain.FieldErrors (a GDAP display name already used among them); an
// ineligible customer is ErrNotEligible; an open request is a
// domain.ConflictError.
func (s *Service) Create(ctx context.Context, actor domain.Actor, role domain.Role, req domain.NewRelationshipRequest) (int64, error) {
	ok, reason, err := s.eligibility(ctx, req.CustomerID)
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
	customer, err := s.store.Customer(ctx, req.CustomerID)
	if err != nil {
		return 0, err
	}
	errs := req.Validate(settings.Partner.Cloud, role)
	maps.Copy(errs, domain.CheckMarket(settings.Partner.Country, customer.Country, req.OutsideMarketOK))
	if errs.Any() {
		return 0, errs
	}
	token, hash, err := tokens.New()
	if err != nil {
		return 0, err
	}
	expires := s.now().Add(time.Duration(req.ExpiryDays) * 24 * time.Hour)
	var terms domain.GDAPTerms
	if req.GDAP != nil {
		terms = req.GDAP.GDAPTerms
	}
	draft := invitationMessage(settings, customer, req.RecipientName, req.RecipientEmail, terms, s.Link(token), expires)
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
	var terms domain.GDAPTerms
	if r.GDAP != nil {
		terms = r.GDAP.GDAPTerms
	}
	draft := invitationMessage(settings, customer, r.RecipientName, r.RecipientEmail, terms, s.Link(token), expires)
	return s.store.ResendInvitation(ctx, actor, id, hash, expires, draft)
}

// Revoke withdraws a pending request.
func (s *Service) Revoke(ctx context.Context, actor domain.Actor, id int64) error {
	return s.store.RevokeInvitation(ctx, actor, id)
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
