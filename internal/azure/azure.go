// Package azure is the usage workflow for Azure bought elsewhere: the
// checklist that puts a new CSP Azure subscription beside the old one, moves
// the workloads and cancels the old services.
package azure

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/wingtip/multichannel/internal/domain"
)

// Store is what the service needs from persistence.
type Store interface {
	Customer(ctx context.Context, id int64) (domain.Customer, error)
	Partner(ctx context.Context) (domain.Partner, error)
	Subscription(ctx context.Context, customerID, id int64) (domain.Subscription, error)
	AllSubscriptions(ctx context.Context, customerID int64) ([]domain.Subscription, error)
	OpenRelationship(ctx context.Context, customerID int64) (domain.RelationshipRequest, error)
	AzureMigrations(ctx context.Context, customerID int64) (map[int64]domain.AzureMigration, error)
	RecordCSPSubscription(ctx context.Context, actor domain.Actor, customerID int64, m domain.AzureMigration, seen domain.ChecklistSeen) error
	RecordWorkloadsMoved(ctx context.Context, actor domain.Actor, customerID int64, m domain.AzureMigration, seen domain.ChecklistSeen) error
	RecordOldCancelled(ctx context.Context, actor domain.Actor, customerID int64, m domain.AzureMigration, seen domain.ChecklistSeen) error
}

// Customers is what the service needs of the customers service: the
// overview at the head of a customer's pages.
type Customers interface {
	Overview(ctx context.Context, id int64) (domain.CustomerOverview, error)
}

// Service runs the checklist.
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

// Checklists returns a customer's Azure page as role sees it: the checklist
// of every subscription the rules replace with a new CSP one, with the steps
// done and the one to do next, and how many are transferred instead. An
// unknown customer is domain.ErrNotFound.
func (s *Service) Checklists(ctx context.Context, customerID int64, role domain.Role) (domain.AzureChecklists, error) {
	ov, err := s.customers.Overview(ctx, customerID)
	if err != nil {
		return domain.AzureChecklists{}, err
	}
	migrations, err := s.store.AzureMigrations(ctx, customerID)
	if err != nil {
		return domain.AzureChecklists{}, err
	}
	subs, err := s.store.AllSubscriptions(ctx, customerID)
	if err != nil {
		return domain.AzureChecklists{}, err
	}
	p := domain.BuildAzureChecklists(ov, subs, migrations)
	p.MayAct = role.Allows(domain.PermUsageWorkflow)
	return p, nil
}

// relationshipActive reports whether the customer's reseller relationship
// is active: step 1 of the checklist.
func (s *Service) relationshipActive(ctx context.Context, customerID int64) (bool, error) {
	r, err := s.store.OpenRelationship(ctx, customerID)
	if errors.Is(err, domain.ErrNotFound) {
		return false, nil
	}
	return err == nil && r.Effective(s.now()) == domain.StatusActive, err
}

// ready checks what every step needs, an active relationship and a
// subscription whose workflow is a new CSP Azure subscription, and returns
// the checklist as it stands (the store checks the relationship again in the
// transaction that writes).
func (s *Service) ready(ctx context.Context, customerID, subscriptionID int64) (domain.AzureMigration, error) {
	c, err := s.store.Customer(ctx, customerID)
	if err != nil {
		return domain.AzureMigration{}, err
	}
	sub, err := s.store.Subscription(ctx, customerID, subscriptionID)
	if err != nil {
		return domain.AzureMigration{}, err
	}
	rules, err := domain.RulesOf(s.store.Partner(ctx))
	if err != nil {
		return domain.AzureMigration{}, err
	}
	if err := domain.ChecklistApplies(c, rules, sub); err != nil {
		return domain.AzureMigration{}, err
	}
	active, err := s.relationshipActive(ctx, customerID)
	if err != nil {
		return domain.AzureMigration{}, err
	}
	if !active {
		return domain.AzureMigration{}, domain.ErrChecklistNeedsRelationship
	}
	migrations, err := s.store.AzureMigrations(ctx, customerID)
	return migrations[subscriptionID], err
}

func (s *Service) latestToday() time.Time { return domain.LatestToday(s.now()) }

// CSPSubscription is step 2 as typed.
type CSPSubscription struct {
	ID          string
	DisplayName string
	CreatedOn   *time.Time
	CreatedBy   domain.Role
}

// RecordCSPSubscription records, or corrects, the new CSP Azure
// subscription. seen is where the checklist stood when the user filled the
// form.
func (s *Service) RecordCSPSubscription(ctx context.Context, actor domain.Actor, customerID, subscriptionID int64, in CSPSubscription, seen domain.ChecklistSeen) error {
	if errs := domain.ValidCSPSubscription(in.ID, in.DisplayName, in.CreatedOn, in.CreatedBy, s.latestToday()); errs.Any() {
		return errs
	}
	m, err := s.ready(ctx, customerID, subscriptionID)
	if err != nil {
		return err
	}
	if m.MovedOn != nil && in.CreatedOn.After(*m.MovedOn) {
		return domain.FieldErrors{"created_on": "The CSP subscription was created before the workloads moved, on " + domain.FormatDate(m.MovedOn) + "."}
	}
	return s.store.RecordCSPSubscription(ctx, actor, customerID, domain.AzureMigration{SubscriptionID: subscriptionID,
		CSPSubscriptionID: strings.ToLower(strings.TrimSpace(in.ID)), DisplayName: strings.TrimSpace(in.DisplayName),
		CreatedOn: in.CreatedOn, CreatedByRole: in.CreatedBy}, seen)
}

// checkDate checks a date that must be given, not in the future, and not
// before after (the date of the step before), when there is one.
func (s *Service) checkDate(errs domain.FieldErrors, field string, d, after *time.Time, afterWhat string) {
	switch {
	case d == nil || d.After(s.latestToday()):
		errs[field] = "Enter the date, not in the future."
	case after != nil && d.Before(*after):
		errs[field] = "This cannot be before " + afterWhat + ", on " + domain.FormatDate(after) + "."
	}
}

// RecordWorkloadsMoved records, or corrects, that the workloads moved.
func (s *Service) RecordWorkloadsMoved(ctx context.Context, actor domain.Actor, customerID, subscriptionID int64, note string, on *time.Time, seen domain.ChecklistSeen) error {
	m, err := s.ready(ctx, customerID, subscriptionID)
	if err != nil {
		return err
	}
	errs := domain.FieldErrors{}
	if note = strings.TrimSpace(note); note == "" || utf8.RuneCountInString(note) > 2000 {
		errs["moved_note"] = "Say briefly what was moved (at most 2,000 characters)."
	}
	s.checkDate(errs, "moved_on", on, m.CreatedOn, "the CSP subscription was created")
	if errs.Any() {
		return errs
	}
	return s.store.RecordWorkloadsMoved(ctx, actor, customerID, domain.AzureMigration{SubscriptionID: subscriptionID, MovedNote: note, MovedOn: on}, seen)
}

// Cancellation is step 4 as typed.
type Cancellation struct {
	Scope     domain.CancelScope
	Services  string // one a line, when Scope is domain.CancelServices
	On        *time.Time
	By        domain.Canceller
	Reference string
}

// RecordOldCancelled records, or corrects, the cancellation of the old
// subscription or of named services.
func (s *Service) RecordOldCancelled(ctx context.Context, actor domain.Actor, customerID, subscriptionID int64, in Cancellation, seen domain.ChecklistSeen) error {
	m, err := s.ready(ctx, customerID, subscriptionID)
	if err != nil {
		return err
	}
	errs := domain.FieldErrors{}
	var services []string
	for _, line := range strings.Split(in.Services, "\n") {
		if line = strings.TrimSpace(line); line != "" {
			services = append(services, line)
		}
	}
	switch in.Scope {
	case domain.CancelWhole:
		services = nil
	case domain.CancelServices:
		if len(services) == 0 {
			errs["services"] = "Name the services that were cancelled, one a line."
		}
	default:
		errs["scope"] = "Choose the whole subscription or named services."
	}
	if !slices.Contains(domain.Cancellers, in.By) {
		errs["cancelled_by"] = "Choose who cancelled it: the customer or the partner."
	}
	if len(services) > 100 || utf8.RuneCountInString(strings.Join(services, "\n")) > 4000 {
		errs["services"] = "Name at most 100 services, in at most 4,000 characters."
	}
	if in.Reference = strings.TrimSpace(in.Reference); utf8.RuneCountInString(in.Reference) > 200 {
		errs["reference"] = "Use at most 200 characters."
	}
	s.checkDate(errs, "cancelled_on", in.On, m.MovedOn, "the workloads moved")
	if errs.Any() {
		return errs
	}
	return s.store.RecordOldCancelled(ctx, actor, customerID, domain.AzureMigration{SubscriptionID: subscriptionID, CancelScope: in.Scope,
		CancelledServices: services, CancelledOn: in.On, CancelledBy: in.By, CancelReference: in.Reference}, seen)
}
