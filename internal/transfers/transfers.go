// Package transfers is the transfer workflow: requests to the customer's
// current CSP partner to hand its Azure subscriptions, reservations and
// savings plans, or its new-commerce licences, over to us.
package transfers

import (
	"context"
	"errors"
	"slices"
	"strings"
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
	AcceptTransfer(ctx context.Context, actor domain.Actor, id int64, on time.Time, microsoftID string) error
	CompleteTransfer(ctx context.Context, actor domain.Actor, id int64, on time.Time) error
	CancelTransfer(ctx context.Context, actor domain.Actor, id int64) error
	RejectTransfer(ctx context.Context, actor domain.Actor, id int64, reason string) error
	RecordMicrosoftTransferID(ctx context.Context, actor domain.Actor, id int64, microsoftID string) error
	ListTransfers(ctx context.Context, f domain.TransferFilter, now time.Time) ([]domain.Transfer, int, error)
	TransferStates(ctx context.Context, customerID int64, now time.Time) (map[int64]domain.SubscriptionTransfer, error)
}

// Customers is what the service needs of the customers service: the
// overview at the head of a customer's pages.
type Customers interface {
	Overview(ctx context.Context, id int64) (domain.CustomerOverview, error)
}

// Service runs the transfer workflow.
type Service struct {
	store     Store
	customers Customers
	now       func() time.Time
}

// New returns a Service over store, reading customers' overviews from
// customers and telling the time by now.
func New(store Store, customers Customers, now func() time.Time) *Service {
	return &Service{store: store, customers: customers, now: now}
}

// Page returns a customer's transfers page as role sees it: one page of its
// transfers in their effective state with the changes the role may record,
// and, when the role may act on transfers, why none can be requested yet or
// what a request may ask for. An unknown customer is domain.ErrNotFound.
func (s *Service) Page(ctx context.Context, customerID int64, role domain.Role, page domain.Page) (domain.TransfersPage, error) {
	ov, err := s.customers.Overview(ctx, customerID)
	if err != nil {
		return domain.TransfersPage{}, err
	}
	p := domain.TransfersPage{Overview: ov, Now: s.now(), Page: page, MayAct: role.Allows(domain.PermTransfers)}
	list, total, err := s.store.TransfersOfCustomer(ctx, customerID, page)
	if err != nil {
		return p, err
	}
	p.Total = total
	for _, t := range list {
		p.Rows = append(p.Rows, domain.NewTransferRow(t, p.Now, p.MayAct))
	}
	subs, err := s.store.AllSubscriptions(ctx, customerID)
	if err != nil {
		return p, err
	}
	p.Products = productNames(subs)
	if !p.MayAct {
		return p, nil
	}
	if p.Blocked, err = s.prerequisite(ctx, customerID); err != nil {
		return p, err
	}
	states, err := s.store.TransferStates(ctx, customerID, p.Now)
	if err != nil {
		return p, err
	}
	p.Candidates = domain.Transferable(ov.Customer, ov.Rules, subs, states)
	if p.CanRequest() {
		partner, err := s.store.Partner(ctx)
		if err != nil {
			return p, err
		}
		p.ResellerRequired = partner.CSPModel == domain.CSPIndirectProvider
		p.ByProvider, p.Provider = partner.CSPModel == domain.CSPIndirectReseller, partner.ProviderName
	}
	return p, nil
}

// productNames names subscriptions by id, for the subscriptions of
// transfers.
func productNames(subs []domain.Subscription) map[int64]string {
	names := make(map[int64]string, len(subs))
	for _, sub := range subs {
		names[sub.ID] = sub.Product
	}
	return names
}

// TransferPage returns transfer id as role sees it now, for its own page,
// where the changes that need input (a date, a reason, Microsoft's
// transfer id) are recorded: its customer's overview, the transfer in its
// effective state with the changes role may record, and the names of the
// customer's subscriptions. An unknown transfer is domain.ErrNotFound.
func (s *Service) TransferPage(ctx context.Context, id int64, role domain.Role) (domain.TransferDetail, error) {
	t, err := s.store.Transfer(ctx, id)
	if err != nil {
		return domain.TransferDetail{}, err
	}
	ov, err := s.customers.Overview(ctx, t.CustomerID)
	if err != nil {
		return domain.TransferDetail{}, err
	}
	now := s.now()
	d := domain.TransferDetail{Overview: ov, Now: now, Row: domain.NewTransferRow(t, now, role.Allows(domain.PermTransfers))}
	subs, err := s.store.AllSubscriptions(ctx, t.CustomerID)
	d.Products = productNames(subs)
	return d, err
}

// prerequisite says why no transfer can be requested for a customer yet, or
// "" when it can (domain.TransferPrerequisite).
func (s *Service) prerequisite(ctx context.Context, customerID int64) (string, error) {
	rel, err := s.store.OpenRelationship(ctx, customerID)
	switch {
	case errors.Is(err, domain.ErrNotFound):
		return domain.TransferPrerequisite(""), nil
	case err != nil:
		return "", err
	}
	return domain.TransferPrerequisite(rel.Effective(s.now())), nil
}

// Browse returns one page of transfers across customers, as the dashboard's
// links ask, in their effective state on the service's clock; the list
// offers no changes, which are made on each customer's page.
func (s *Service) Browse(ctx context.Context, f domain.TransferFilter) (domain.TransferList, error) {
	now := s.now()
	list, total, err := s.store.ListTransfers(ctx, f, now)
	out := domain.TransferList{Total: total}
	for _, t := range list {
		out.Rows = append(out.Rows, domain.NewTransferRow(t, now, false))
	}
	return out, err
}

// Transfer returns one transfer request.
func (s *Service) Transfer(ctx context.Context, id int64) (domain.Transfer, error) {
	return s.store.Transfer(ctx, id)
}

// Create validates and stores a transfer request. Without an active
// relationship it is a domain.ConflictError with the reason; invalid input,
// subscriptions that are not the customer's Azure or new-commerce licences
// from another partner, or ones bought from another partner than the one
// named (NewTransfer.CheckChosen), is domain.FieldErrors. A subscription a
// transfer already holds is the store's to refuse, in its transaction. The
// partner's CSP model decides whether the indirect reseller's PartnerID, or
// who at the indirect provider submitted it, is required.
func (s *Service) Create(ctx context.Context, actor domain.Actor, n domain.NewTransfer) (int64, error) {
	c, err := s.store.Customer(ctx, n.CustomerID)
	if err != nil {
		return 0, err
	}
	reason, err := s.prerequisite(ctx, c.ID)
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
	// What a transfer already holds is not excluded here: the store refuses
	// it by name in the transaction that writes.
	allowed := map[int64]domain.Subscription{}
	for _, sub := range domain.Transferable(c, partner.Rules(), subs, nil) {
		allowed[sub.ID] = sub
	}
	var chosen []domain.Subscription
	for _, id := range n.SubscriptionIDs {
		sub, ok := allowed[id]
		if !ok {
			if _, said := errs["subscriptions"]; !said {
				errs["subscriptions"] = "Choose among this customer's Azure subscriptions and new-commerce licences bought from another CSP partner."
			}
			continue
		}
		chosen = append(chosen, sub)
	}
	for field, msg := range n.CheckChosen(chosen) {
		if _, ok := errs[field]; !ok {
			errs[field] = msg
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
// date: it is in progress from then on. Microsoft's transfer id, optional,
// is recorded with it when given; one that is not a GUID is
// domain.FieldErrors.
func (s *Service) Accept(ctx context.Context, actor domain.Actor, id int64, on time.Time, microsoftID string) error {
	t, err := s.live(ctx, id, domain.TransferAcceptance)
	if err != nil {
		return err
	}
	microsoftID, errs := domain.NormalizeMicrosoftTransferID(microsoftID, false)
	if err := s.checkDate(on, t.CreatedAt, "the transfer was requested"); err != nil {
		return mergeFieldErrors(errs, err)
	}
	if errs.Any() {
		return errs
	}
	return s.store.AcceptTransfer(ctx, actor, id, on, microsoftID)
}

// mergeFieldErrors adds errs to err when err is domain.FieldErrors, so that
// a form shows every field's message at once; any other err stands alone.
func mergeFieldErrors(errs domain.FieldErrors, err error) error {
	var fe domain.FieldErrors
	if !errors.As(err, &fe) {
		return err
	}
	for field, msg := range errs {
		fe[field] = msg
	}
	return fe
}

// Reject records that the other partner rejected a pending transfer, with
// the reason it gave (required: domain.ValidRejection).
func (s *Service) Reject(ctx context.Context, actor domain.Actor, id int64, reason string) error {
	if _, err := s.live(ctx, id, domain.TransferRejection); err != nil {
		return err
	}
	if errs := domain.ValidRejection(reason); errs.Any() {
		return errs
	}
	return s.store.RejectTransfer(ctx, actor, id, strings.TrimSpace(reason))
}

// RecordMicrosoftID records Partner Center's id of an open transfer, a
// GUID; the transfer's state stays.
func (s *Service) RecordMicrosoftID(ctx context.Context, actor domain.Actor, id int64, microsoftID string) error {
	if _, err := s.live(ctx, id, domain.TransferIDRecording); err != nil {
		return err
	}
	microsoftID, errs := domain.NormalizeMicrosoftTransferID(microsoftID, true)
	if errs.Any() {
		return errs
	}
	return s.store.RecordMicrosoftTransferID(ctx, actor, id, microsoftID)
}

// Complete records the date a transfer in progress was completed: the
// subscriptions are ours.
func (s *Service) Complete(ctx context.Context, actor domain.Actor, id int64, on time.Time) error {
	t, err := s.live(ctx, id, domain.TransferCompletion)
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
	if _, err := s.live(ctx, id, domain.TransferCancellation); err != nil {
		return err
	}
	return s.store.CancelTransfer(ctx, actor, id)
}

// live loads the transfer change c is about to be made to and refuses it
// when the transfer has lapsed (domain.Transfer.Lapsed), before its date is
// checked. Every other state is the store's to refuse, in the same
// transaction as the change.
func (s *Service) live(ctx context.Context, id int64, c domain.TransferChange) (domain.Transfer, error) {
	t, err := s.store.Transfer(ctx, id)
	if err != nil {
		return t, err
	}
	return t, t.Lapsed(c, s.now())
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
