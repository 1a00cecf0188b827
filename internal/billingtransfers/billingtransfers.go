// Package billingtransfers is the Azure billing transfer of an Azure Expert
// MSP: per customer, the checklist of Microsoft's prerequisites, the one
// request sent to the customer's billing approver in the Azure portal, and
// what came of it. The state changes are domain's to decide
// (domain.BillingTransfer.Next); this service checks the input and the
// dates, and lists what a request covers.
package billingtransfers

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/wingtip/multichannel/internal/domain"
)

// Store is what the service needs from persistence.
type Store interface {
	Partner(ctx context.Context) (domain.Partner, error)
	Customer(ctx context.Context, id int64) (domain.Customer, error)
	AllSubscriptions(ctx context.Context, customerID int64) ([]domain.Subscription, error)
	BillingTransfer(ctx context.Context, id int64) (domain.BillingTransfer, error)
	BillingTransfersOfCustomer(ctx context.Context, customerID int64) ([]domain.BillingTransfer, error)
	BillingPlan(ctx context.Context, customerID int64) (domain.BillingPlan, error)
	StartBillingTransfer(ctx context.Context, actor domain.Actor, customerID int64) (int64, error)
	SaveBillingPrerequisites(ctx context.Context, actor domain.Actor, id int64, p domain.BillingPrerequisites, version domain.Version) error
	SendBillingTransfer(ctx context.Context, actor domain.Actor, id int64, r domain.BillingRequest, subscriptions []int64, version domain.Version) error
	RecordBillingTransfer(ctx context.Context, actor domain.Actor, id int64, c domain.BillingChange, on time.Time) error
}

// Customers is what the service needs of the customers service: the
// overview at the head of a customer's pages.
type Customers interface {
	Overview(ctx context.Context, id int64) (domain.CustomerOverview, error)
}

// Service runs the billing transfer workflow.
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

// Page returns a customer's billing transfer page as role sees it: the open
// checklist with the changes the role may record, the earlier ones, and
// the subscriptions a request would cover. An unknown customer is
// domain.ErrNotFound.
func (s *Service) Page(ctx context.Context, customerID int64, role domain.Role) (domain.BillingTransferPage, error) {
	ov, err := s.customers.Overview(ctx, customerID)
	if err != nil {
		return domain.BillingTransferPage{}, err
	}
	p := domain.BillingTransferPage{Overview: ov, Now: s.now(), MayAct: role.Allows(domain.PermTransfers),
		RelationshipActive: ov.Relationship == domain.StatusActive, AzureExpertMSP: ov.Rules.AzureExpertMSP}
	list, err := s.store.BillingTransfersOfCustomer(ctx, customerID)
	if err != nil {
		return p, err
	}
	for _, b := range list {
		row := domain.NewBillingTransferRow(b, p.MayAct)
		if b.Status.Open() {
			p.Current = &row
		} else {
			p.History = append(p.History, row)
		}
	}
	subs, err := s.store.AllSubscriptions(ctx, customerID)
	if err != nil {
		return p, err
	}
	p.Products = make(map[int64]string, len(subs))
	for _, sub := range subs {
		p.Products[sub.ID] = sub.Product
	}
	p.Candidates, err = s.candidates(ctx, ov.Customer, ov.Rules, subs)
	return p, err
}

// candidates are the subscriptions of c, among subs, a request covers now
// (domain.BillingTransferable).
func (s *Service) candidates(ctx context.Context, c domain.Customer, rules domain.Rules, subs []domain.Subscription) ([]domain.Subscription, error) {
	plan, err := s.store.BillingPlan(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	done := map[int64]bool{}
	for id, st := range plan.BySubscription {
		done[id] = st == domain.BillingCompleted
	}
	return domain.BillingTransferable(c, rules, subs, done), nil
}

// candidatesOf reads what candidates needs for customer id.
func (s *Service) candidatesOf(ctx context.Context, customerID int64) ([]domain.Subscription, error) {
	c, err := s.store.Customer(ctx, customerID)
	if err != nil {
		return nil, err
	}
	rules, err := domain.RulesOf(s.store.Partner(ctx))
	if err != nil {
		return nil, err
	}
	subs, err := s.store.AllSubscriptions(ctx, customerID)
	if err != nil {
		return nil, err
	}
	return s.candidates(ctx, c, rules, subs)
}

// Transfer returns one billing transfer.
func (s *Service) Transfer(ctx context.Context, id int64) (domain.BillingTransfer, error) {
	return s.store.BillingTransfer(ctx, id)
}

// Start opens a customer's billing transfer checklist. It is
// domain.ErrNothingToBill when none of its subscriptions is in workflow
// azure_billing_transfer (the partner is no direct-bill Azure Expert MSP,
// or there is no EA or MCA-enterprise Azure left to move), and
// domain.ErrBillingTransferOpen when one is open already.
func (s *Service) Start(ctx context.Context, actor domain.Actor, customerID int64) (int64, error) {
	subs, err := s.candidatesOf(ctx, customerID)
	if err != nil {
		return 0, err
	}
	if len(subs) == 0 {
		return 0, domain.ErrNothingToBill
	}
	return s.store.StartBillingTransfer(ctx, actor, customerID)
}

// SavePrerequisites records what the partner checked, from a form filled
// at version; an agreement not offered is a domain.FieldErrors.
func (s *Service) SavePrerequisites(ctx context.Context, actor domain.Actor, id int64, p domain.BillingPrerequisites, version domain.Version) error {
	if p.Agreement != domain.AgreementUnknown && !slices.Contains(domain.BillingAgreements, p.Agreement) {
		return domain.FieldErrors{"agreement": "Choose among the agreements offered."}
	}
	return s.store.SaveBillingPrerequisites(ctx, actor, id, p, version)
}

// Send records the request sent to the customer's approver, from a form
// filled at version: it covers the subscriptions the rules put in
// azure_billing_transfer now. Invalid input is domain.FieldErrors; a
// prerequisite not met is the domain.ConflictError of Next, from the store.
func (s *Service) Send(ctx context.Context, actor domain.Actor, id int64, r domain.BillingRequest, version domain.Version) error {
	b, err := s.store.BillingTransfer(ctx, id)
	if err != nil {
		return err
	}
	if email, err := domain.NormalizeEmail(r.ApproverEmail); err == nil {
		r.ApproverEmail = email
	}
	if errs := r.Validate(b.Prerequisites.Agreement, b.CreatedAt, s.now()); errs.Any() {
		return errs
	}
	subs, err := s.candidatesOf(ctx, b.CustomerID)
	if err != nil {
		return err
	}
	if len(subs) == 0 {
		return domain.ErrNothingToBill
	}
	ids := make([]int64, len(subs))
	for i, sub := range subs {
		ids[i] = sub.ID
	}
	return s.store.SendBillingTransfer(ctx, actor, id, r, ids, version)
}

// Cancel withdraws a billing transfer not yet approved or declined, dated
// today on the service's clock.
func (s *Service) Cancel(ctx context.Context, actor domain.Actor, id int64) error {
	return s.store.RecordBillingTransfer(ctx, actor, id, domain.BillingCancellation, domain.Day(s.now()))
}

// Record records dated change c after the request on day on: the
// customer's approval, the completion, a decline or an expiry, each not in
// the future nor before what came before it.
func (s *Service) Record(ctx context.Context, actor domain.Actor, id int64, c domain.BillingChange, on time.Time) error {
	if !c.Dated() || c == domain.BillingRequestSent {
		return fmt.Errorf("billing transfer change %d is not recorded by date", c)
	}
	b, err := s.store.BillingTransfer(ctx, id)
	if err != nil {
		return err
	}
	if _, err := b.Next(c, true); err != nil {
		// Refused for its state: say so before judging the date.
		return err
	}
	earliest, since := b.Earliest(c)
	if msg := domain.CheckEventDate(on, earliest, since, s.now()); msg != "" {
		return domain.FieldErrors{"date": msg}
	}
	return s.store.RecordBillingTransfer(ctx, actor, id, c, on)
}
