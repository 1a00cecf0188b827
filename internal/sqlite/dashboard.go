package sqlite

import (
	"context"
	"time"

	"github.com/wingtip/multichannel/internal/domain"
)

// DashboardCounts counts what needs doing across all customers: requests by
// effective state and those expiring within soon, checklists where CSP and
// the old subscription coexist, transfers in progress, and every
// subscription by channel, service type and whether its customer is a CSP
// partner, for domain.Summarize. Pending transfers are TransferCounts'.
func (s *Store) DashboardCounts(ctx context.Context, now time.Time, soon time.Duration) (domain.DashboardCounts, error) {
	var d domain.DashboardCounts
	var err error
	if d.Relationships, err = s.RelationshipCounts(ctx, now); err != nil {
		return d, err
	}
	n, later := formatTime(now), formatTime(now.Add(soon))
	err = s.read.QueryRowContext(ctx, `SELECT
		(SELECT COUNT(*) FROM relationship_requests WHERE status = 'pending' AND expires_at > ? AND expires_at <= ?),
		(SELECT COUNT(*) FROM azure_migrations m JOIN subscriptions s ON s.id = m.subscription_id
			WHERE s.removed_at IS NULL AND m.step IN (?, ?)),
		(SELECT COUNT(*) FROM transfers WHERE status = 'in_progress')`,
		n, later, domain.MigrationMoveWorkloads, domain.MigrationCancelOld).
		Scan(&d.RelationshipsExpiringSoon, &d.Coexisting, &d.TransfersInProgress)
	if err != nil {
		return d, err
	}
	rows, err := s.read.QueryContext(ctx, `SELECT s.channel, s.service_type, c.is_csp_partner, COUNT(*)
		FROM subscriptions s JOIN customers c ON c.id = s.customer_id WHERE s.removed_at IS NULL
		GROUP BY s.channel, s.service_type, c.is_csp_partner`)
	if err != nil {
		return d, err
	}
	defer rows.Close()
	for rows.Next() {
		var cc domain.ClassCount
		var csp bool
		if err := rows.Scan(&cc.Channel, &cc.ServiceType, &csp, &cc.Count); err != nil {
			return d, err
		}
		if csp {
			d.CSPPartnerCounts = append(d.CSPPartnerCounts, cc)
		} else {
			d.Counts = append(d.Counts, cc)
		}
	}
	return d, rows.Err()
}
