package sqlite

import (
	"context"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/wingtip/multichannel/internal/domain"
)

// This file applies a Partner Center customer export the user confirmed
// (DESIGN §4): everything in one transaction, each request moved by a
// conditional update on the state the preview read, so that a request that
// changed since is skipped and reported, never forced.

// VerificationState returns what planning an export needs: every customer
// and, by customer id, its open request or active relationship as stored.
func (s *Store) VerificationState(ctx context.Context) ([]domain.Customer, map[int64]domain.RelationshipRequest, error) {
	customers, err := queryAll(ctx, s.read, scanCustomer, `SELECT `+customerColumns+` FROM customers c ORDER BY c.id`)
	if err != nil {
		return nil, nil, err
	}
	open, err := queryAll(ctx, s.read, scanRelationship, `SELECT `+relationshipColumns+relationshipFrom+` WHERE r.status IN (?, ?, ?)`,
		domain.StatusPending, domain.StatusAccepted, domain.StatusActive)
	byCustomer := make(map[int64]domain.RelationshipRequest, len(open))
	for _, r := range open {
		byCustomer[r.CustomerID] = r
	}
	return customers, byCustomer, err
}

// ApplyExport applies a confirmed export in one transaction: the export is
// recorded, each request of the plan still in the state the preview read
// becomes active, verified from it (a pending one's link dies and its unsent
// message is withdrawn, as a revoke does), and each customer chosen is
// created with an active relationship verified from it, unless a customer
// with its domain or Microsoft ID appeared since the preview. The audit log
// gets an entry for each change and one for the export.
func (s *Store) ApplyExport(ctx context.Context, actor domain.Actor, a domain.ExportApplication) (domain.ExportResult, error) {
	var res domain.ExportResult
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		res = domain.ExportResult{}
		now := s.now()
		ins, err := tx.ExecContext(ctx, `INSERT INTO partner_center_exports (exported_on, file_name, file_sha256, customers, verified, created,
			skipped, applied_by, applied_at) VALUES (?, ?, ?, ?, 0, 0, 0, ?, ?)`,
			formatTime(a.ExportedOn), a.FileName, a.Export.SHA256[:], len(a.Export.Customers), actor.UserID, formatTime(now))
		if err != nil {
			return err
		}
		if res.ID, err = ins.LastInsertId(); err != nil {
			return err
		}
		verified := relationshipUpdate{set: `, token_hash = NULL, reviewed_by = ?, reviewed_at = ?, verified_by_export = ?`,
			args: []any{actor.UserID, formatTime(now), res.ID}}
		for _, v := range a.Plan.Verify {
			// The change the preview chose starts from the state it read:
			// a request in another state now is refused, and skipped.
			r, err := relationshipWhere(ctx, tx, `r.id = ?`, v.Request.ID)
			if err == nil {
				err = moveRelationship(ctx, tx, r, v.Change, now, verified)
			}
			if errors.Is(err, domain.ErrConflict) || errors.Is(err, domain.ErrNotFound) {
				res.Skipped = append(res.Skipped, v)
				continue
			}
			if err != nil {
				return err
			}
			if v.By == domain.MatchedByDomain {
				if err := recordTenantID(ctx, tx, actor, now, v.Customer.ID, v.Export.TenantID); err != nil {
					return err
				}
			}
			res.Verified = append(res.Verified, v)
			if err := appendAudit(ctx, tx, now, domain.AuditEntry{ActorID: actor.UserID, CustomerID: r.CustomerID, ClientIP: actor.ClientIP,
				Action: domain.AuditRelationshipVerified, Target: fmt.Sprintf("relationship:%d", r.ID),
				Detail: a.Detail() + " (matched by " + string(v.By) + ")"}); err != nil {
				return err
			}
		}
		for _, row := range a.Create {
			c := a.Plan.NewCustomer(row)
			var taken bool
			if err := tx.QueryRowContext(ctx, customerTakenQuery, c.Domain, c.TenantID).
				Scan(&taken); err != nil {
				return err
			}
			if taken {
				res.NotCreated = append(res.NotCreated, row)
				continue
			}
			if c.ID, err = insertCustomer(ctx, tx, now, c); err != nil {
				return err
			}
			rel, err := tx.ExecContext(ctx, `INSERT INTO relationship_requests (customer_id, status, recipient_name, recipient_email, created_by,
				created_at, expires_at, sent_count, reviewed_by, reviewed_at, verified_by_export) VALUES (?, ?, '', '', ?, ?, ?, 0, ?, ?, ?)`,
				c.ID, domain.StatusActive, actor.UserID, formatTime(now), formatTime(now), actor.UserID, formatTime(now), res.ID)
			if err != nil {
				return err
			}
			relID, err := rel.LastInsertId()
			if err != nil {
				return err
			}
			res.Created = append(res.Created, c)
			for _, e := range []domain.AuditEntry{
				{Action: domain.AuditCustomerCreated, Target: customerTarget(c), Detail: a.Detail()},
				{Action: domain.AuditRelationshipVerified, Target: fmt.Sprintf("relationship:%d", relID), Detail: a.Detail()},
			} {
				e.ActorID, e.CustomerID, e.ClientIP = actor.UserID, c.ID, actor.ClientIP
				if err := appendAudit(ctx, tx, now, e); err != nil {
					return err
				}
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE partner_center_exports SET verified = ?, created = ?, skipped = ? WHERE id = ?`,
			len(res.Verified), len(res.Created), len(res.Skipped), res.ID); err != nil {
			return err
		}
		sum := hex.EncodeToString(a.Export.SHA256[:])
		return appendAudit(ctx, tx, now, domain.AuditEntry{ActorID: actor.UserID, ClientIP: actor.ClientIP, Action: domain.AuditPartnerCenterExport,
			Target: fmt.Sprintf("partner_center_export:%d", res.ID),
			Detail: strings.Join([]string{a.Detail(), a.FileName, "SHA-256 " + sum[:16],
				fmt.Sprintf("%d verified, %d created, %d skipped", len(res.Verified), len(res.Created), len(res.Skipped))}, "; ")})
	})
	return res, err
}

// The lookups of customers by domain and tenant id an export makes for each
// of its rows, on the customers' indexes (customers_domain, and
// customers_tenant of migration 00013).
const (
	customerTakenQuery  = `SELECT EXISTS (SELECT 1 FROM customers WHERE domain = ? OR tenant_id = ?)`
	recordTenantIDQuery = `UPDATE customers SET tenant_id = ?, updated_at = ?, ` + nextVersion + `
		WHERE id = ? AND tenant_id = '' AND NOT EXISTS (SELECT 1 FROM customers WHERE tenant_id = ?)`
)

// recordTenantID writes the Microsoft ID an export gave a customer matched
// by its domain, so that the next export matches it by tenant id. It never
// replaces a tenant id, nor takes one another customer holds.
func recordTenantID(ctx context.Context, tx *sql.Tx, actor domain.Actor, now time.Time, customerID int64, tenantID string) error {
	_, err := tx.ExecContext(ctx, recordTenantIDQuery,
		append(append([]any{tenantID, formatTime(now)}, savedBy(actor, now)...), customerID, tenantID)...)
	return err
}
