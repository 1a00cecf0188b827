package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/wingtip/multichannel/internal/domain"
)

// Partner returns the installation's partner organisation, or
// domain.ErrNotFound before one is set.
func (s *Store) Partner(ctx context.Context) (domain.Partner, error) {
	var p domain.Partner
	err := s.read.QueryRowContext(ctx, `SELECT name, partner_id, csp_model, cloud, updated_at FROM partner WHERE id = 1`).
		Scan(&p.Name, &p.PartnerID, &p.CSPModel, &p.Cloud, timeColumn{&p.UpdatedAt})
	if errors.Is(err, sql.ErrNoRows) {
		return p, domain.ErrNotFound
	}
	return p, err
}

// SetPartner creates or replaces the partner organisation.
func (s *Store) SetPartner(ctx context.Context, p domain.Partner) error {
	return upsertPartner(ctx, s.write, s.now(), p)
}

func upsertPartner(ctx context.Context, db execer, now time.Time, p domain.Partner) error {
	_, err := db.ExecContext(ctx,
		`INSERT INTO partner (id, name, partner_id, csp_model, cloud, updated_at) VALUES (1, ?, ?, ?, ?, ?)
		 ON CONFLICT (id) DO UPDATE SET name = excluded.name, partner_id = excluded.partner_id,
		   csp_model = excluded.csp_model, cloud = excluded.cloud, updated_at = excluded.updated_at,
		   version = partner.version + 1, changed_by = NULL, changed_at = excluded.updated_at`,
		p.Name, p.PartnerID, p.CSPModel, p.Cloud, formatTime(now))
	return err
}
