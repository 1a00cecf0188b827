package relationships

import (
	"context"
	"errors"

	"github.com/wingtip/multichannel/internal/domain"
)

// This file assembles the read models of the workflow's pages: step 4 of a
// customer, the review queue and the outbox, each as one role sees it, and
// the lookups the invitation pages need.

// Step returns step 4 of the walk-through for the customer of customerID as
// role sees it: the customer's overview, whether it can be invited, its open
// request or active relationship with the actions role may take and its
// GDAP request, the unsent invitation when role may send it, and the first
// values of a new request's form when role may invite and nothing is open,
// its admin roles from the role template of templateID (0 for none). An
// unknown customer is domain.ErrNotFound.
func (s *Service) Step(ctx context.Context, customerID int64, role domain.Role, templateID int64) (domain.RelationshipStep, error) {
	ov, err := s.customers.Overview(ctx, customerID)
	if err != nil {
		return domain.RelationshipStep{}, err
	}
	step := domain.RelationshipStep{Overview: ov, MailEnabled: s.mailEnabled}
	settings, err := s.store.PartnerSettings(ctx)
	if err != nil {
		return step, err
	}
	step.USGovernment = settings.Partner.Cloud == domain.CloudUSGovernment
	if step.Eligible, step.Ineligible, err = s.eligibility(ctx, customerID); err != nil {
		return step, err
	}
	now := s.now()
	var open *domain.RelationshipRequest
	switch r, err := s.store.OpenRelationship(ctx, customerID); {
	case err == nil:
		open = &r
		row := r.Row(role, now)
		step.Current = &row
		if r.GDAP != nil {
			if step.GDAP, err = s.gdapPanel(ctx, *r.GDAP, role, settings.Partner.Cloud); err != nil {
				return step, err
			}
		}
	case !errors.Is(err, domain.ErrNotFound):
		return step, err
	}
	if open != nil {
		if step.Attestation, err = s.attestation(ctx, open.ID, settings.Partner); err != nil {
			return step, err
		}
	}
	if step.Current != nil && step.Current.Actions.Send {
		switch draft, err := s.store.InvitationDraft(ctx, open.ID); {
		case err == nil:
			step.Draft = &draft
		case !errors.Is(err, domain.ErrNotFound):
			return step, err
		}
	}
	history, err := s.store.CustomerRelationships(ctx, customerID)
	if err != nil {
		return step, err
	}
	for _, r := range history {
		step.History = append(step.History, r.Row(role, now))
	}
	if domain.CanRequestRelationship(open, now) == nil && role.Allows(domain.PermInvite) {
		step.NewRequest = &domain.InvitationDefaults{RecipientName: ov.Customer.AdminName, RecipientEmail: ov.Customer.AdminEmail,
			ExpiryDays: settings.DefaultInviteDays, MayRequestRoles: role.Allows(domain.PermRequestAdminRoles),
			MarketWarning: domain.MarketWarning(settings.Partner.Country, ov.Customer.Country)}
		if step.NewRequest.MayRequestRoles {
			if err := s.gdapDefaults(ctx, step.NewRequest, ov.Customer.Name, templateID); err != nil {
				return step, err
			}
		}
	}
	return step, nil
}

// Queue returns the page of the review queue that f selects, newest first,
// each request with the actions role may take, and the count of requests in
// each effective state for the queue's filters.
func (s *Service) Queue(ctx context.Context, f domain.RelationshipFilter, role domain.Role) (domain.RelationshipQueue, error) {
	now := s.now()
	var q domain.RelationshipQueue
	var err error
	if q.Counts, err = s.store.RelationshipCounts(ctx, now); err != nil {
		return q, err
	}
	q.All = domain.TotalOf(q.Counts, "")
	var ok bool
	if q.Total, ok = f.TotalIn(q.Counts); !ok {
		if q.Total, err = s.store.CountRelationships(ctx, f, now); err != nil {
			return q, err
		}
	}
	list, err := s.store.ListRelationships(ctx, f, now)
	if err != nil {
		return q, err
	}
	q.Rows = make([]domain.RelationshipRow, 0, len(list))
	for _, r := range list {
		q.Rows = append(q.Rows, r.Row(role, now))
	}
	return q, nil
}

// RequestPage returns request id as role sees it now, for the request's own
// page where the actions that need input are taken, with the attestation
// the customer gave with it (nil when none). An unknown request is
// domain.ErrNotFound.
func (s *Service) RequestPage(ctx context.Context, id int64, role domain.Role) (domain.RelationshipDetail, error) {
	r, err := s.store.RelationshipRequest(ctx, id)
	if err != nil {
		return domain.RelationshipDetail{}, err
	}
	d := domain.RelationshipDetail{Row: r.Row(role, s.now())}
	partner, err := s.store.Partner(ctx)
	if err != nil {
		return d, err
	}
	d.Attestation, err = s.attestation(ctx, id, partner)
	return d, err
}

// Outbox returns one page of the outgoing messages, newest first.
func (s *Service) Outbox(ctx context.Context, page domain.Page) (domain.OutboxPage, error) {
	msgs, total, err := s.store.ListOutbox(ctx, page)
	return domain.OutboxPage{Messages: msgs, Total: total, MailEnabled: s.mailEnabled}, err
}

// Request returns one request, or domain.ErrNotFound.
func (s *Service) Request(ctx context.Context, id int64) (domain.RelationshipRequest, error) {
	return s.store.RelationshipRequest(ctx, id)
}

// Partner returns the partner whose invitations these are, for the page
// that thanks the customer and the frame of every page, or
// domain.ErrNotFound before a partner is set.
func (s *Service) Partner(ctx context.Context) (domain.Partner, error) {
	return s.store.Partner(ctx)
}
