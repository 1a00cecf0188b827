// Package azure is the usage workflow for Azure bought elsewhere: the
// checklist that puts a new CSP Azure subscription beside the old one, moves
// the workloads and cancels the old services.
package azure

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/wingtip/multichannel/internal/domain"
)

// Store is what the service needs from persistence.
type Store interface {
	Customer(ctx context.Context, id int64) (domain.Customer, error)
	Subscription(ctx context.Context, customerID, id int64) (domain.Subscription, error)
	OpenRelationship(ctx context.Context, customerID int64) (domain.RelationshipRequest, error)
	AzureMigrations(ctx context.Context, customerID int64) (map[int64]domain.AzureMigration, error)
	RecordCSPSubscription(ctx context.Context, actor domain.Actor, customerID int64, m domain.AzureMigration) error
	RecordWorkloadsMoved(ctx context.Context, actor domain.Actor, customerID int64, m domain.AzureMigration) error
	RecordOldCancelled(ctx context.Context, actor domain.Actor, customerID int64, m domain.AzureMigration) error
}

// Service runs the checklist.
type Service struct {
	store Store
	now   func() time.Time
}

// New returns a Service over store.
func New(store Store) *Service {
	return &Service{store: store, now: func() time.Time { return time.Now().UTC() }}
}

// Migrations returns the checklists of a customer's subscriptions.
func (s *Service) Migrations(ctx context.Context, customerID int64) (map[int64]domain.AzureMigration, error) {
	return s.store.AzureMigrations(ctx, customerID)
}

// RelationshipActive reports whether the customer's reseller relationship is
// active: step 1 of the checklist.
func (s *Service) RelationshipActive(ctx context.Context, customerID int64) (bool, error) {
	r, err := s.store.OpenRelationship(ctx, customerID)
	if errors.Is(err, domain.ErrNotFound) {
		return false, nil
	}
	return err == nil && r.Effective(s.now()) == domain.StatusActive, err
}

// ready checks what every step needs: an active relationship, and a
// subscription whose workflow is a new CSP Azure subscription.
func (s *Service) ready(ctx context.Context, customerID, subscriptionID int64) error {
	c, err := s.store.Customer(ctx, customerID)
	if err != nil {
		return err
	}
	sub, err := s.store.Subscription(ctx, customerID, subscriptionID)
	if err != nil {
		return err
	}
	if domain.Classify(sub.Channel, sub.ServiceType, c.IsCSPPartner).Workflow != domain.WorkflowAzureNewSubscription {
		return domain.Conflict("This subscription's workflow is not a new CSP Azure subscription.")
	}
	active, err := s.RelationshipActive(ctx, customerID)
	if err != nil {
		return err
	}
	if !active {
		return domain.Conflict("Step 1 comes first: the customer's reseller relationship must be active.")
	}
	return nil
}

// CSPSubscription is step 2 as typed.
type CSPSubscription struct {
	ID          string
	DisplayName string
	CreatedOn   *time.Time
	CreatedBy   domain.Role
}

// RecordCSPSubscription records, or corrects, the new CSP Azure subscription.
func (s *Service) RecordCSPSubscription(ctx context.Context, actor domain.Actor, customerID, subscriptionID int64, in CSPSubscription) error {
	if errs := domain.ValidCSPSubscription(in.ID, in.DisplayName, in.CreatedOn, in.CreatedBy, s.now()); errs.Any() {
		return errs
	}
	if err := s.ready(ctx, customerID, subscriptionID); err != nil {
		return err
	}
	return s.store.RecordCSPSubscription(ctx, actor, customerID, domain.AzureMigration{SubscriptionID: subscriptionID,
		CSPSubscriptionID: strings.ToLower(strings.TrimSpace(in.ID)), DisplayName: strings.TrimSpace(in.DisplayName),
		CreatedOn: in.CreatedOn, CreatedByRole: in.CreatedBy})
}

// pastDate checks a date that must be given and not in the future.
func (s *Service) pastDate(errs domain.FieldErrors, field string, d *time.Time) {
	if d == nil || d.After(s.now()) {
		errs[field] = "Enter the date, not in the future."
	}
}

// RecordWorkloadsMoved records, or corrects, that the workloads moved.
func (s *Service) RecordWorkloadsMoved(ctx context.Context, actor domain.Actor, customerID, subscriptionID int64, note string, on *time.Time) error {
	errs := domain.FieldErrors{}
	if note = strings.TrimSpace(note); note == "" || len(note) > 2000 {
		errs["moved_note"] = "Say briefly what was moved (at most 2,000 characters)."
	}
	s.pastDate(errs, "moved_on", on)
	if errs.Any() {
		return errs
	}
	if err := s.ready(ctx, customerID, subscriptionID); err != nil {
		return err
	}
	return s.store.RecordWorkloadsMoved(ctx, actor, customerID, domain.AzureMigration{SubscriptionID: subscriptionID, MovedNote: note, MovedOn: on})
}

// Cancellation is step 4 as typed.
type Cancellation struct {
	Scope     string // whole or services
	Services  string // one a line, when Scope is services
	On        *time.Time
	By        string // customer or partner
	Reference string
}

// RecordOldCancelled records, or corrects, the cancellation of the old
// subscription or of named services.
func (s *Service) RecordOldCancelled(ctx context.Context, actor domain.Actor, customerID, subscriptionID int64, in Cancellation) error {
	errs := domain.FieldErrors{}
	var services []string
	for _, line := range strings.Split(in.Services, "\n") {
		if line = strings.TrimSpace(line); line != "" {
			services = append(services, line)
		}
	}
	switch in.Scope {
	case "whole":
		services = nil
	case "services":
		if len(services) == 0 {
			errs["services"] = "Name the services that were cancelled, one a line."
		}
	default:
		errs["scope"] = "Choose the whole subscription or named services."
	}
	if in.By != "customer" && in.By != "partner" {
		errs["cancelled_by"] = "Choose who cancelled it: the customer or the partner."
	}
	if len(in.Reference) > 200 {
		errs["reference"] = "Use at most 200 characters."
	}
	s.pastDate(errs, "cancelled_on", in.On)
	if errs.Any() {
		return errs
	}
	if err := s.ready(ctx, customerID, subscriptionID); err != nil {
		return err
	}
	return s.store.RecordOldCancelled(ctx, actor, customerID, domain.AzureMigration{SubscriptionID: subscriptionID, CancelScope: in.Scope,
		CancelledServices: services, CancelledOn: in.On, CancelledBy: in.By, CancelReference: strings.TrimSpace(in.Reference)})
}
