// Package auditlog is the audit log's service for the Global admins who read
// it: it checks a page's filters against the store and reads the entries
// they select. Entries are written by the store with each change, never here.
package auditlog

import (
	"context"
	"errors"

	"github.com/wingtip/multichannel/internal/domain"
)

// Store is what reading the log needs.
type Store interface {
	AuditLog(ctx context.Context, f domain.AuditFilter, page domain.Page) ([]domain.AuditRow, int, error)
	EachAuditRow(ctx context.Context, f domain.AuditFilter, page domain.Page, fn func(domain.AuditRow) error) error
	ListUsers(ctx context.Context, page domain.Page) ([]domain.User, int, error)
	Customer(ctx context.Context, id int64) (domain.Customer, error)
}

// ExportLimit bounds the entries of one CSV export.
const ExportLimit = 100_000

// maxActors bounds the partner users the actor filter offers.
const maxActors = 500

// Service reads the audit log.
type Service struct {
	store Store
}

// New returns a Service over store.
func New(store Store) *Service { return &Service{store: store} }

// Log checks r (domain.CheckAuditRequest, with the partner's users and the
// customer its id names) and returns one page of the entries it selects,
// newest first.
func (s *Service) Log(ctx context.Context, r domain.AuditRequest, page domain.Page) (domain.AuditLog, error) {
	log, err := s.query(ctx, r)
	if err != nil {
		return log, err
	}
	log.Rows, log.Total, err = s.store.AuditLog(ctx, log.Query.Filter, page)
	return log, err
}

// query checks r against the partner's users and the customer its id
// names: the query of the page and of the export.
func (s *Service) query(ctx context.Context, r domain.AuditRequest) (domain.AuditLog, error) {
	var log domain.AuditLog
	var err error
	if log.Actors, _, err = s.store.ListUsers(ctx, domain.Page{Number: 1, Size: maxActors}); err != nil {
		return log, err
	}
	if id, ok := domain.AuditCustomerID(r.CustomerID); ok {
		switch c, err := s.store.Customer(ctx, id); {
		case err == nil:
			log.Customer = &c
		case !errors.Is(err, domain.ErrNotFound):
			return log, err
		}
	}
	log.Query = domain.CheckAuditRequest(r, log.Actors, log.Customer)
	if log.Query.Filter.CustomerID == 0 {
		log.Customer = nil
	}
	return log, nil
}

// Export hands write every entry r selects, newest first, up to
// ExportLimit, for the CSV file: read as write writes them, one at a time,
// by one query, which sees the log as it was when the reading began.
func (s *Service) Export(ctx context.Context, r domain.AuditRequest, write func(domain.Rows[domain.AuditRow]) error) error {
	log, err := s.query(ctx, r)
	if err != nil {
		return err
	}
	return write(func(fn func(domain.AuditRow) error) error {
		return s.store.EachAuditRow(ctx, log.Query.Filter, domain.Page{Number: 1, Size: ExportLimit}, fn)
	})
}
