// Package transfers is the Azure transfer workflow: requests to the
// customer's current CSP partner to hand its Azure subscriptions over.
package transfers

import (
	"context"
	"errors"
	"slices"
	"time"

	"github.com/wingtip/multichannel/internal/domain"
)

// Store is what the service needs from persistence.
type Store interface {
	Partner(ctx context.Context) (domain.Partner, error)
	Customer(ctx context.Context, id int64) (domain.Customer, error)
	AllSubscriptions(ctx context.Context, customerID int64) ([]domain.Subscription, error)
	OpenRelationship(ctx context.Context, customerID int64) (domain.RelationshipRequest, error)
	Transfer(ctx context.Context, id int64) (domain.Transfer, error)
	TransfersOfCustomer(ctx context.Context, customerID int64, page domain.Page) ([]domain.Transfer, int, error)
	CreateTransfer(ctx context.Context, actor domain.Actor, n domain.NewTransfer) (int64, error)
	AcceptTransfer(ctx context.Context, actor domain.Actor, id int64, on time.Time) error
	CompleteTransfer(ctx context.Context, actor domain.Actor, id int64, on time.Time) error
	CancelTransfer(ctx context.Context, actor domain.Actor, id int64) error
	TransferCounts(ctx context.Context, now time.Time) (pending, expiringSoon int, err error)
	ListTransfers(ctx context.Context, f domain.TransferFilter, now time.Time) ([]domain.Transfer, int, error)
	TransferStates(ctx context.Context, customerID int64, now time.Time) (map[int64]domain.TransferStatus, error)
}

// Service runs the transfer workflow.
type Service struct {
	store Store
	now   func() time.Time
}

// New returns a Service over store, telling the time by now.
func New(store Store, now func() time.Time) *Service {
	return &Service{store: store, now: now}
}

// Transferable returns the subscriptions of c, among subs, that can be
// transferred from another partner: those the rules put in workflow
// azure_transfer, less those a transfer already brought to us (states gives
// each subscription's newest transfer). Classify decides, so the list
// follows the rules wherever they change.
func Transferable(c domain.Customer, subs []domain.Subscription, states map[int64]domain.TransferStatus) []domain.Subscription {
	var out []domain.Subscription
	for _, sub := range subs {
		if domain.Classify(sub.Channel, sub.ServiceType, c.IsCSPPartner).Workflow == domain.WorkflowAzureTransfer &&
			states[sub.ID] != domain.TransferComplete {
			out = append(out, sub)
		}
	}
	return out
}

// States returns the effective state of the newest transfer of each of a
// customer's subscriptions that has one.
func (s *Service) States(ctx context.Context, customerID int64) (map[int64]domain.TransferStatus, error) {
	return s.store.TransferStates(ctx, customerID, s.now())
}

// Prerequisite says why no transfer can be requested for a customer yet, or
// "" when it can: a transfer needs the reseller relationship to be active.
func (s *Service) Prerequisite(ctx context.Context, customerID int64) (string, error) {
	rel, err := s.store.OpenRelationship(ctx, customerID)
	if errors.Is(err, domain.ErrNotFound) {
		return "A transfer needs an active reseller relationship with the customer, and none has been requested yet: request it first.", nil
	}
	if err != nil {
		return "", err
	}
	switch rel.Effective(s.now()) {
	case domain.StatusActive:
		return "", nil
	case domain.StatusPending:
		return "A transfer needs an active reseller relationship with the customer: the invitation is still waiting for the customer's Global admin to accept it.", nil
	case domain.StatusAccepted:
		return "A transfer needs an active reseller relationship with the customer: the customer accepted, and a Global admin or Admin agent must approve it first.", nil
	}
	return "A transfer needs an active reseller relationship with the customer: request a new one, the last request has lapsed.", nil
}

// List returns one page of a customer's transfers, newest first, and how
// many there are.
func (s *Service) List(ctx context.Context, customerID int64, page domain.Page) ([]domain.Transfer, int, error) {
	return s.store.TransfersOfCustomer(ctx, customerID, page)
}

// Browse returns one page of transfers across customers, as the dashboard's
// links ask, in their effective state on the service's clock.
func (s *Service) Browse(ctx context.Context, f domain.TransferFilter) ([]domain.Transfer, int, error) {
	return s.store.ListTransfers(ctx, f, s.now())
}

// Transfer returns one transfer request.
func (s *Service) Transfer(ctx context.Context, id int64) (domain.Transfer, error) {
	return s.store.Transfer(ctx, id)
}

// Create validates and stores a transfer request. Without an active
// relationship it is a domain.ConflictError with the reason; invalid input,
// or subscriptions that are not the customer's Azure from another partner,
// is domain.FieldErrors. The partner's CSP model decides whether the
// indirect reseller's PartnerID is required.
func (s *Service) Create(ctx context.Context, actor domain.Actor, n domain.NewTransfer) (int64, error) {
	c, err := s.store.Customer(ctx, n.CustomerID)
	if err != nil {
		return 0, err
	}
	reason, err := s.Prerequisite(ctx, c.ID)
	if err != nil {
		return 0, err
	}
	if reason != "" {
		return 0, domain.Conflict(reason)
	}
	partner, err := s.store.Partner(ctx)
	if err != nil {
		return 0, err
	}
	subs, err := s.store.AllSubscriptions(ctx, c.ID)
	if err != nil {
		return 0, err
	}
	n = n.Normalize()
	errs := n.Validate(partner.CSPModel)
	states, err := s.store.TransferStates(ctx, c.ID, s.now())
	if err != nil {
		return 0, err
	}
	allowed := map[int64]bool{}
	for _, sub := range Transferable(c, subs, states) {
		allowed[sub.ID] = true
	}
	for _, id := range n.SubscriptionIDs {
		if !allowed[id] {
			errs["subscriptions"] = "Choose among this customer's Azure subscriptions bought from another CSP partner."
		}
	}
	if errs.Any() {
		return 0, errs
	}
	n.SubscriptionIDs = slices.Compact(slices.Sorted(slices.Values(n.SubscriptionIDs)))
	var products []domain.TransferProduct
	for _, p := range domain.TransferProducts {
		if slices.Contains(n.Products, p) {
			products = append(products, p)
		}
	}
	n.Products = products
	return s.store.CreateTransfer(ctx, actor, n)
}

// Accept records that the other partner accepted a pending transfer on a
// date: it is in progress from then on.
func (s *Service) Accept(ctx context.Context, actor domain.Actor, id int64, on time.Time) error {
	t, err := s.live(ctx, id, domain.TransferPending)
	if err != nil {
		return err
	}
	if err := s.checkDate(on, t.CreatedAt, "the transfer was requested"); err != nil {
		return err
	}
	return s.store.AcceptTransfer(ctx, actor, id, on)
}

// Complete records the date a transfer in progress was completed: the
// subscriptions are ours.
func (s *Service) Complete(ctx context.Context, actor domain.Actor, id int64, on time.Time) error {
	t, err := s.live(ctx, id, domain.TransferInProgress)
	if err != nil {
		return err
	}
	earliest, since := t.CreatedAt, "the transfer was requested"
	if t.AcceptedOn != nil {
		earliest, since = *t.AcceptedOn, "the other partner accepted it"
	}
	if err := s.checkDate(on, earliest, since); err != nil {
		return err
	}
	return s.store.CompleteTransfer(ctx, actor, id, on)
}

// Cancel withdraws a pending transfer; once the other partner has accepted
// it cannot be cancelled.
func (s *Service) Cancel(ctx context.Context, actor domain.Actor, id int64) error {
	if _, err := s.live(ctx, id, domain.TransferPending); err != nil {
		return err
	}
	return s.store.CancelTransfer(ctx, actor, id)
}

// Counts returns how many transfers are pending at now and how many of them
// expire within a week, for the dashboard.
func (s *Service) Counts(ctx context.Context, now time.Time) (pending, expiringSoon int, err error) {
	return s.store.TransferCounts(ctx, now)
}

// live loads a transfer a change from state from is about to be made to,
// and refuses it when it has expired on the service's clock, which the
// store cannot know. Every other state is the store's to refuse, in the
// same transaction as the change.
func (s *Service) live(ctx context.Context, id int64, from domain.TransferStatus) (domain.Transfer, error) {
	t, err := s.store.Transfer(ctx, id)
	if err != nil {
		return t, err
	}
	if from == domain.TransferPending && t.Effective(s.now()) == domain.TransferExpired {
		return t, domain.Conflict("This transfer request expired on " + t.ExpiresAt.Format("2 January 2006") +
			": the other partner did not accept it within 30 days. Create a new request if the customer still wants the transfer.")
	}
	return t, nil
}

// checkDate refuses a date in the future, on the service's clock, or before
// the day of earliest, the event that came before (since says which).
func (s *Service) checkDate(on, earliest time.Time, since string) error {
	day := domain.Day
	switch {
	case day(on).After(day(domain.LatestToday(s.now()))):
		return domain.FieldErrors{"date": "The date cannot be in the future."}
	case day(on).Before(day(earliest)):
		return domain.FieldErrors{"date": "The date cannot be before " + since + " (" + day(earliest).Format(domain.DateLayout) + ")."}
	}
	return nil
}
