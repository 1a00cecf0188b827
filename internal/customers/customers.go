// Package customers is the service behind steps 1 to 3 of the walk-through:
// customers, the inventory of their subscriptions bought elsewhere, the CSV
// import, the plan and the onboarding record, and the overview at the head of
// every customer's pages. It validates every change before it reaches the
// store, leaves each write whole or not at all, and assembles the read model
// of each of its pages.
package customers

import (
	"context"
	"errors"
	"time"

	"github.com/wingtip/multichannel/internal/domain"
)

// Store is what the service needs from persistence.
type Store interface {
	CreateCustomer(ctx context.Context, actor domain.Actor, c domain.Customer) (int64, error)
	UpdateCustomer(ctx context.Context, actor domain.Actor, c domain.Customer) error
	Customer(ctx context.Context, id int64) (domain.Customer, error)
	ListCustomers(ctx context.Context, q domain.CustomerQuery) ([]domain.CustomerListItem, int, error)
	ListSubscriptions(ctx context.Context, customerID int64, page domain.Page) ([]domain.Subscription, int, error)
	AddSubscription(ctx context.Context, actor domain.Actor, s domain.Subscription) (int64, error)
	UpdateSubscription(ctx context.Context, actor domain.Actor, s domain.Subscription) error
	ClassifySubscription(ctx context.Context, actor domain.Actor, customerID, id int64, version domain.Version,
		channel domain.Channel, service domain.ServiceType) error
	RemoveSubscription(ctx context.Context, actor domain.Actor, customerID, id int64, version domain.Version) error
	Subscription(ctx context.Context, customerID, id int64) (domain.Subscription, error)
	AllSubscriptions(ctx context.Context, customerID int64) ([]domain.Subscription, error)
	SubscriptionsWithKeys(ctx context.Context, customerID int64, keys []domain.ClassKey, sparse bool, page domain.Page) ([]domain.Subscription, error)
	// For the exports, which read as they write (plan.go, import.go).
	Snapshot(ctx context.Context, read func(ctx context.Context) error) error
	EachSubscriptionWithKeys(ctx context.Context, customerID int64, keys []domain.ClassKey, sparse bool, fn func(domain.Subscription) error) error
	EachSubscription(ctx context.Context, customerID int64, fn func(domain.Subscription) error) error
	SubscriptionsByID(ctx context.Context, customerID int64, ids []int64) ([]domain.Subscription, error)
	ReplaceableLicences(ctx context.Context, customerID, chosen int64, limit int) ([]domain.Subscription, error)
	CreateImportBatch(ctx context.Context, actor domain.Actor, b domain.ImportBatch) (int64, error)
	ImportBatch(ctx context.Context, actor domain.Actor, customerID, id int64) (domain.ImportBatch, error)
	CorrectImportBatch(ctx context.Context, actor domain.Actor, customerID, id int64, corrections []domain.GuessCorrection) error
	ConfirmImport(ctx context.Context, actor domain.Actor, customerID, id int64, corrections []domain.GuessCorrection) (int, error)
	CreatePendingUpload(ctx context.Context, actor domain.Actor, customerID int64, filename string, data []byte) (int64, error)
	PendingUpload(ctx context.Context, actor domain.Actor, customerID, id int64) (domain.PendingUpload, error)
	UsePendingUpload(ctx context.Context, actor domain.Actor, customerID, id int64, m domain.ImportMapping) error
	ImportMapping(ctx context.Context, key string) (domain.ImportMapping, error)
	OpenRelationship(ctx context.Context, customerID int64) (domain.RelationshipRequest, error)
	LastRelationship(ctx context.Context, customerID int64) (domain.RelationshipRequest, error)
	SubscriptionCounts(ctx context.Context, customerID int64) ([]domain.ClassCount, error)
	UsageDoneCounts(ctx context.Context, customerID int64) (migrated, transferred, billed []domain.ClassCount, err error)
	BillingPlan(ctx context.Context, customerID int64) (domain.BillingPlan, error)
	AzureMigrations(ctx context.Context, customerID int64) (map[int64]domain.AzureMigration, error)
	TransferStates(ctx context.Context, customerID int64, now time.Time) (map[int64]domain.SubscriptionTransfer, error)
	// For the onboarding record (record.go).
	Partner(ctx context.Context) (domain.Partner, error)
	TransfersOfCustomer(ctx context.Context, customerID int64, page domain.Page) ([]domain.Transfer, int, error)
	// For our CSP purchases (purchases.go).
	CSPPurchases(ctx context.Context, customerID int64, page domain.Page) ([]domain.CSPPurchase, int, error)
	RecordCSPPurchase(ctx context.Context, actor domain.Actor, p domain.CSPPurchase) (int64, error)
	// For customers in bulk (customer_list.go).
	CreateCustomerUpload(ctx context.Context, actor domain.Actor, u domain.CustomerUpload) (int64, error)
	CustomerUpload(ctx context.Context, actor domain.Actor, id int64) (domain.CustomerUpload, error)
	SetCustomerUploadMapping(ctx context.Context, actor domain.Actor, id int64, m domain.ImportMapping) error
	CustomersMatching(ctx context.Context, tenantIDs, domains []string) ([]domain.Customer, error)
	ApplyCustomerList(ctx context.Context, actor domain.Actor, u domain.CustomerUpload, plan domain.CustomerListPlan) (domain.CustomerListResult, error)
}

// Service changes customers and their inventories.
type Service struct {
	store Store
	now   func() time.Time
}

// New returns a Service over store, telling the time by now.
func New(store Store, now func() time.Time) *Service {
	return &Service{store: store, now: now}
}

// CreateCustomer validates and stores a new customer. Invalid input is
// returned as domain.FieldErrors.
func (s *Service) CreateCustomer(ctx context.Context, actor domain.Actor, c domain.Customer) (int64, error) {
	c = c.Normalize()
	if errs := c.Validate(); errs.Any() {
		return 0, errs
	}
	id, err := s.store.CreateCustomer(ctx, actor, c)
	return id, domainTakenAsFieldError(err)
}

// UpdateCustomer validates and stores a customer's new details.
func (s *Service) UpdateCustomer(ctx context.Context, actor domain.Actor, c domain.Customer) error {
	c = c.Normalize()
	if errs := c.Validate(); errs.Any() {
		return errs
	}
	return domainTakenAsFieldError(s.store.UpdateCustomer(ctx, actor, c))
}

func domainTakenAsFieldError(err error) error {
	if errors.Is(err, domain.ErrDomainTaken) {
		return domain.FieldErrors{"domain": "Another customer already has this domain."}
	}
	return err
}

// List returns one page of the customers q selects, narrowed by filter, each
// with the summary of its inventory, and how many match in all.
func (s *Service) List(ctx context.Context, q domain.CustomerQuery, filter domain.CustomerFilter) (domain.CustomerList, error) {
	items, total, err := s.store.ListCustomers(ctx, filter.Apply(q))
	if err != nil {
		return domain.CustomerList{}, err
	}
	rules, err := s.rules(ctx)
	if err != nil {
		return domain.CustomerList{}, err
	}
	list := domain.CustomerList{Total: total, Rows: make([]domain.CustomerSummary, len(items))}
	for i, item := range items {
		list.Rows[i] = domain.CustomerSummary{Customer: item.Customer, Summary: domain.Summarize(item.Customer, rules, item.Counts)}
	}
	return list, nil
}

// Inventory returns one page of a customer's subscriptions, in the order
// they were added and each classified, with the customer's overview.
func (s *Service) Inventory(ctx context.Context, customerID int64, page domain.Page) (domain.Inventory, error) {
	ov, err := s.Overview(ctx, customerID)
	if err != nil {
		return domain.Inventory{}, err
	}
	subs, total, err := s.store.ListSubscriptions(ctx, customerID, page)
	if err != nil {
		return domain.Inventory{}, err
	}
	inv := domain.Inventory{Overview: ov, Total: total, Items: make([]domain.ClassifiedSubscription, len(subs))}
	for i, sub := range subs {
		inv.Items[i] = domain.Classified(ov, sub)
	}
	return inv, nil
}

// Subscription returns one subscription still in a customer's inventory,
// classified, with the customer's overview.
func (s *Service) Subscription(ctx context.Context, customerID, id int64) (domain.CustomerSubscription, error) {
	sub, err := s.store.Subscription(ctx, customerID, id)
	if err != nil {
		return domain.CustomerSubscription{}, err
	}
	return s.withOverview(ctx, sub)
}

// withOverview classifies sub for its customer and adds the customer's
// overview as it stands now.
func (s *Service) withOverview(ctx context.Context, sub domain.Subscription) (domain.CustomerSubscription, error) {
	ov, err := s.Overview(ctx, sub.CustomerID)
	if err != nil {
		return domain.CustomerSubscription{}, err
	}
	return domain.CustomerSubscription{Overview: ov, Item: domain.Classified(ov, sub)}, nil
}

// AddSubscription validates and adds a subscription to its customer's
// inventory, and returns it as stored with the customer's overview.
func (s *Service) AddSubscription(ctx context.Context, actor domain.Actor, sub domain.Subscription) (domain.CustomerSubscription, error) {
	sub = sub.Normalize()
	if errs := sub.Validate(s.now()); errs.Any() {
		return domain.CustomerSubscription{}, errs
	}
	id, err := s.store.AddSubscription(ctx, actor, sub)
	if err != nil {
		return domain.CustomerSubscription{}, err
	}
	return s.Subscription(ctx, sub.CustomerID, id)
}

// UpdateSubscription validates and stores a subscription's new fields, and
// returns it as stored with the customer's overview.
func (s *Service) UpdateSubscription(ctx context.Context, actor domain.Actor, sub domain.Subscription) (domain.CustomerSubscription, error) {
	sub = sub.Normalize()
	if errs := sub.Validate(s.now()); errs.Any() {
		return domain.CustomerSubscription{}, errs
	}
	if err := s.store.UpdateSubscription(ctx, actor, sub); err != nil {
		return domain.CustomerSubscription{}, err
	}
	return s.Subscription(ctx, sub.CustomerID, sub.ID)
}

// Classify sets a subscription's channel and service type and nothing else,
// when version is the version stored (a domain.Stale otherwise), and
// returns it as stored with the customer's overview.
func (s *Service) Classify(ctx context.Context, actor domain.Actor, customerID, id int64, version domain.Version,
	channel domain.Channel, service domain.ServiceType) (domain.CustomerSubscription, error) {
	if err := s.store.ClassifySubscription(ctx, actor, customerID, id, version, channel, service); err != nil {
		return domain.CustomerSubscription{}, err
	}
	return s.Subscription(ctx, customerID, id)
}

// RemoveSubscription takes a subscription out of the inventory, recorded in
// the audit log, and returns it as it was with the customer's overview
// after the removal.
func (s *Service) RemoveSubscription(ctx context.Context, actor domain.Actor, customerID, id int64, version domain.Version) (domain.CustomerSubscription, error) {
	sub, err := s.store.Subscription(ctx, customerID, id)
	if err != nil {
		return domain.CustomerSubscription{}, err
	}
	if err := s.store.RemoveSubscription(ctx, actor, customerID, id, version); err != nil {
		return domain.CustomerSubscription{}, err
	}
	return s.withOverview(ctx, sub)
}

// Plan classifies a customer's whole inventory and groups it by workflow.
func (s *Service) Plan(ctx context.Context, customerID int64) (domain.Plan, error) {
	c, rules, st, err := s.planState(ctx, customerID)
	if err != nil {
		return domain.Plan{}, err
	}
	subs, err := s.store.AllSubscriptions(ctx, customerID)
	if err != nil {
		return domain.Plan{}, err
	}
	return domain.BuildPlan(c, rules, subs, st, s.now()), nil
}

// planState reads what a customer's plan needs besides its inventory: the
// customer, the partner's rules, and where its relationship, checklists,
// transfers and billing transfer stand.
func (s *Service) planState(ctx context.Context, customerID int64) (domain.Customer, domain.Rules, domain.PlanState, error) {
	var st domain.PlanState
	c, err := s.store.Customer(ctx, customerID)
	if err != nil {
		return c, domain.Rules{}, st, err
	}
	rules, err := s.rules(ctx)
	if err != nil {
		return c, rules, st, err
	}
	if st.Relationship, err = s.RelationshipStatus(ctx, customerID); err != nil {
		return c, rules, st, err
	}
	if st.LastRequest, err = s.lastRequest(ctx, customerID); err != nil {
		return c, rules, st, err
	}
	if st.Migrations, err = s.store.AzureMigrations(ctx, customerID); err != nil {
		return c, rules, st, err
	}
	if st.Transfers, err = s.store.TransferStates(ctx, customerID, s.now()); err != nil {
		return c, rules, st, err
	}
	st.Billing, err = s.store.BillingPlan(ctx, customerID)
	return c, rules, st, err
}

// Overview returns the customer of id with its inventory counts and the
// state of its relationship, for the heading of its pages; an unknown
// customer is domain.ErrNotFound.
func (s *Service) Overview(ctx context.Context, id int64) (domain.CustomerOverview, error) {
	c, err := s.store.Customer(ctx, id)
	if err != nil {
		return domain.CustomerOverview{}, err
	}
	return s.overviewOf(ctx, c)
}

// overviewOf is Overview for a customer already read.
func (s *Service) overviewOf(ctx context.Context, c domain.Customer) (domain.CustomerOverview, error) {
	ov := domain.CustomerOverview{Customer: c}
	var err error
	if ov.Rules, err = s.rules(ctx); err != nil {
		return ov, err
	}
	if ov.Summary, err = s.summary(ctx, c, ov.Rules); err != nil {
		return ov, err
	}
	ov.Relationship, err = s.RelationshipStatus(ctx, c.ID)
	return ov, err
}

// rules are the partner's rules of classification.
func (s *Service) rules(ctx context.Context) (domain.Rules, error) {
	return domain.RulesOf(s.store.Partner(ctx))
}

// summary counts a customer's subscriptions and those still to classify,
// under the partner's rules.
func (s *Service) summary(ctx context.Context, c domain.Customer, rules domain.Rules) (domain.InventorySummary, error) {
	counts, err := s.store.SubscriptionCounts(ctx, c.ID)
	if err != nil {
		return domain.InventorySummary{}, err
	}
	sum := domain.Summarize(c, rules, counts)
	migrated, transferred, billed, err := s.store.UsageDoneCounts(ctx, c.ID)
	if err != nil {
		return sum, err
	}
	// Only what the rules still put in these workflows counts as done: a
	// subscription reclassified since keeps its history but not its credit.
	sum.NewAzureDone = domain.CountIn(domain.WorkflowAzureNewSubscription, c.IsCSPPartner, rules, migrated)
	sum.TransfersDone = domain.CountIn(domain.WorkflowAzureTransfer, c.IsCSPPartner, rules, transferred) +
		domain.CountIn(domain.WorkflowLicenceTransfer, c.IsCSPPartner, rules, transferred) +
		domain.CountIn(domain.WorkflowAzureBillingTransfer, c.IsCSPPartner, rules, billed)
	return sum, nil
}

// RelationshipStatus is the effective state of the customer's open request
// or active relationship, or empty when there is none.
func (s *Service) RelationshipStatus(ctx context.Context, customerID int64) (domain.RelationshipStatus, error) {
	rel, err := s.store.OpenRelationship(ctx, customerID)
	if errors.Is(err, domain.ErrNotFound) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	if st := rel.Effective(s.now()); st.Open() {
		return st, nil
	}
	return "", nil
}
