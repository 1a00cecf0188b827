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
	weekAgo := formatTime(now.AddDate(0, 0, -domain.DeclinedRecentlyDays))
	err = s.read.QueryRowContext(ctx, `SELECT
		(SELECT COUNT(*) FROM relationship_requests WHERE status = ? AND expires_at > ? AND expires_at <= ?),
		(SELECT COUNT(*) FROM relationship_requests WHERE status = ? AND answered_at > ?),
		(SELECT COUNT(*) FROM transfers WHERE status = ?),
		(SELECT COUNT(*) FROM billing_transfers WHERE status IN (`+paramMarks(len(domain.BillingInProgress))+`))`,
		append([]any{domain.StatusPending, n, later, domain.StatusDeclined, weekAgo, domain.TransferInProgress}, anySlice(domain.BillingInProgress)...)...).
		Scan(&d.RelationshipsExpiringSoon, &d.DeclinedRecently, &d.TransfersInProgress, &d.BillingInProgress)
	if err != nil {
		return d, err
	}
	// Counters kept by triggers (migration 00022): a few dozen rows,
	// however many subscriptions there are.
	if d.Subscriptions, err = s.splitByCSPPartner(ctx, `SELECT channel, service_type, commerce, offer_kind, is_csp_partner, n
		FROM subscription_counts WHERE n > 0`); err != nil {
		return d, err
	}
	d.Coexisting, err = s.splitByCSPPartner(ctx, `SELECT channel, service_type, commerce, offer_kind, is_csp_partner, n
		FROM coexisting_counts WHERE n > 0`)
	return d, err
}

// splitByCSPPartner reads rows of the classKeyColumns, whether the customer
// is a CSP partner, and count.
func (s *Store) splitByCSPPartner(ctx context.Context, query string, args ...any) (domain.CountsByCustomerKind, error) {
	type kindCount struct {
		domain.ClassCount
		cspPartner bool
	}
	list, err := queryAll(ctx, s.read, func(row scanner) (kindCount, error) {
		var kc kindCount
		err := row.Scan(&kc.Channel, &kc.ServiceType, &kc.Commerce, &kc.Offer, &kc.cspPartner, &kc.Count)
		return kc, err
	}, query, args...)
	var out domain.CountsByCustomerKind
	for _, kc := range list {
		if kc.cspPartner {
			out.CSPPartners = append(out.CSPPartners, kc.ClassCount)
		} else {
			out.Others = append(out.Others, kc.ClassCount)
		}
	}
	return out, err
}
