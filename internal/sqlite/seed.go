package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/wingtip/multichannel/internal/domain"
)

// SeedDemo writes a starting data set into an empty database, all of it in
// one transaction, and reports whether it did. A database that has a partner
// or a user already is left alone.
func (s *Store) SeedDemo(ctx context.Context, data domain.SeedData) (bool, error) {
	seeded := false
	defer s.forgetPartner()
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var existing int
		if err := tx.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM users) + (SELECT COUNT(*) FROM partner)`).Scan(&existing); err != nil {
			return err
		}
		if existing > 0 {
			return nil
		}
		now := s.now()
		if err := upsertPartner(ctx, tx, now, data.Partner); err != nil {
			return err
		}
		for _, u := range data.Users {
			if _, err := insertUser(ctx, tx, now, u); err != nil {
				return err
			}
		}
		for _, ci := range data.Customers {
			c := ci.Customer.Normalize()
			if errs := c.Validate(); errs.Any() {
				return errs
			}
			var err error
			if c.ID, err = insertCustomer(ctx, tx, now, c); err != nil {
				return err
			}
			for _, sub := range ci.Subscriptions {
				sub = sub.Normalize()
				if errs := sub.Validate(now); errs.Any() {
					return errs
				}
				sub.CustomerID = c.ID
				if _, err := insertSubscription(ctx, tx, now, sub); err != nil {
					return err
				}
			}
		}
		for _, t := range data.RoleTemplates {
			if _, err := saveRoleTemplate(ctx, tx, now, domain.Actor{}, t); err != nil {
				return err
			}
		}
		for _, sr := range data.Relationships {
			if err := seedRelationship(ctx, tx, now, sr); err != nil {
				return err
			}
		}
		for _, sm := range data.Migrations {
			if err := seedMigration(ctx, tx, now, sm); err != nil {
				return err
			}
		}
		for _, st := range data.Transfers {
			if err := seedTransfer(ctx, tx, now, st); err != nil {
				return err
			}
		}
		for _, sp := range data.Purchases {
			if err := seedPurchase(ctx, tx, sp); err != nil {
				return err
			}
		}
		for _, sb := range data.Billing {
			if err := seedBillingTransfer(ctx, tx, now, sb); err != nil {
				return err
			}
		}
		seeded = true
		return nil
	})
	return seeded, err
}

// seedRelationship writes one request of the starting data as it stands.
func seedRelationship(ctx context.Context, tx *sql.Tx, now time.Time, sr domain.SeedRelationship) error {
	var customer int64
	if err := tx.QueryRowContext(ctx, `SELECT id FROM customers WHERE domain = ?`, sr.CustomerDomain).Scan(&customer); err != nil {
		return fmt.Errorf("seed relationship for %s: %w", sr.CustomerDomain, err)
	}
	people, err := seedPeople(ctx, tx, sr.CreatedBy, sr.ReviewedBy, sr.EndedBy)
	if err != nil {
		return fmt.Errorf("seed relationship for %s: %w", sr.CustomerDomain, err)
	}
	return insertSeedRelationship(ctx, tx, now, customer, people, sr)
}

// seedPeople finds the users of the starting data by e-mail, in order; an
// empty e-mail is nobody (NULL).
func seedPeople(ctx context.Context, tx *sql.Tx, emails ...string) ([]sql.NullInt64, error) {
	people := make([]sql.NullInt64, len(emails))
	for i, email := range emails {
		if email == "" {
			continue
		}
		if err := tx.QueryRowContext(ctx, `SELECT id FROM users WHERE email = ?`, email).Scan(&people[i]); err != nil {
			return nil, fmt.Errorf("no user %s: %w", email, err)
		}
	}
	return people, nil
}

// insertSeedRelationship writes a request of customer as it stands, with
// its story in the audit log; people are its creator, reviewer and ender.
func insertSeedRelationship(ctx context.Context, tx *sql.Tx, now time.Time, customer int64, people []sql.NullInt64, sr domain.SeedRelationship) error {
	r := sr.Request
	res, err := tx.ExecContext(ctx, `INSERT INTO relationship_requests (customer_id, status, token_hash, recipient_name, recipient_email,
		created_by, created_at, expires_at, accepted_name, accepted_email, answered_at,
		reviewed_by, reviewed_at, ended_by, ended_at, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		customer, r.Status, sr.TokenHash, r.RecipientName, r.RecipientEmail,
		people[0], formatTime(r.CreatedAt), formatTime(r.ExpiresAt), r.AcceptedName, r.AcceptedEmail, optionalTime(r.AnsweredAt),
		people[1], optionalTime(r.ReviewedAt), people[2], optionalTime(r.EndedAt), r.Reason)
	if err != nil {
		return err
	}
	id, err := res.LastInsertId()
	if err != nil {
		return err
	}
	if err := seedRelationshipHistory(ctx, tx, id, customer, people, r); err != nil {
		return err
	}
	if sr.Attestation != nil {
		if err := insertAttestation(ctx, tx, id, *sr.Attestation); err != nil {
			return err
		}
	}
	if err := seedGDAP(ctx, tx, id, customer, people[0], sr); err != nil {
		return err
	}
	if sr.Draft == nil {
		return nil
	}
	return insertDraft(ctx, tx, now, id, *sr.Draft)
}

// seedRelationshipHistory writes the audit entries the request's story
// would have written, at its own times, so that the demo's audit log shows
// what each demo user did. people are the creator, reviewer and ender.
func seedRelationshipHistory(ctx context.Context, tx *sql.Tx, id, customer int64, people []sql.NullInt64, r domain.RelationshipRequest) error {
	pick := func(cond bool, yes, no domain.AuditAction) domain.AuditAction {
		if cond {
			return yes
		}
		return no
	}
	// The customer's answer has no partner user behind it; the other
	// events are written only when the data names who made them.
	entries := []struct {
		at       *time.Time
		actor    sql.NullInt64
		customer bool
		action   domain.AuditAction
		detail   string
	}{
		{&r.CreatedAt, people[0], false, domain.AuditInvitationCreated, "to " + r.RecipientEmail},
		{r.AnsweredAt, sql.NullInt64{}, true, pick(r.Status == domain.StatusDeclined, domain.AuditInvitationDeclined, domain.AuditInvitationAccepted), ""},
		{r.ReviewedAt, people[1], false, pick(r.Status == domain.StatusRejected, domain.AuditRelationshipRejected, domain.AuditRelationshipVerified), r.Reason},
		{r.EndedAt, people[2], false, pick(r.Status == domain.StatusRemoved, domain.AuditRelationshipRemoved, domain.AuditInvitationRevoked), r.Reason},
	}
	for _, e := range entries {
		if e.at == nil || (!e.customer && !e.actor.Valid) {
			continue
		}
		if err := appendAudit(ctx, tx, *e.at, domain.AuditEntry{ActorID: e.actor.Int64, CustomerID: customer, Action: e.action,
			Target: fmt.Sprintf("relationship:%d", id), Detail: e.detail}); err != nil {
			return err
		}
	}
	return nil
}

// seedSubscriptionID finds a subscription of the starting data by its
// customer's domain and its product.
func seedSubscriptionID(ctx context.Context, tx *sql.Tx, domainName, product string) (int64, error) {
	var id int64
	err := tx.QueryRowContext(ctx, `SELECT s.id FROM subscriptions s JOIN customers c ON c.id = s.customer_id
		WHERE c.domain = ? AND s.product = ? AND s.removed_at IS NULL ORDER BY s.id LIMIT 1`, domainName, product).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("seed: no subscription %q of %s: %w", product, domainName, err)
	}
	return id, nil
}

// seedMigration writes one checklist of the starting data as it stands.
func seedMigration(ctx context.Context, tx *sql.Tx, now time.Time, sm domain.SeedMigration) error {
	id, err := seedSubscriptionID(ctx, tx, sm.CustomerDomain, sm.Product)
	if err != nil {
		return err
	}
	return insertSeedMigration(ctx, tx, now, id, sm.Migration)
}

// insertSeedMigration writes the checklist m of a subscription as it stands.
func insertSeedMigration(ctx context.Context, tx *sql.Tx, now time.Time, id int64, m domain.AzureMigration) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO azure_migrations (subscription_id, step, csp_subscription_id, display_name, created_on,
		created_by_role, moved_note, moved_on, cancel_scope, cancelled_services, cancelled_on, cancelled_by, cancel_reference, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		id, m.Step, m.CSPSubscriptionID, m.DisplayName, dateColumn(m.CreatedOn), m.CreatedByRole, m.MovedNote, dateColumn(m.MovedOn),
		m.CancelScope, strings.Join(m.CancelledServices, "\n"), dateColumn(m.CancelledOn), m.CancelledBy, m.CancelReference, formatTime(now))
	return err
}

// seedTransfer writes one transfer of the starting data as it stands.
func seedTransfer(ctx context.Context, tx *sql.Tx, now time.Time, st domain.SeedTransfer) error {
	var customer int64
	if err := tx.QueryRowContext(ctx, `SELECT id FROM customers WHERE domain = ?`, st.CustomerDomain).Scan(&customer); err != nil {
		return fmt.Errorf("seed transfer for %s: %w", st.CustomerDomain, err)
	}
	ids := make([]int64, len(st.Products))
	for i, product := range st.Products {
		var err error
		if ids[i], err = seedSubscriptionID(ctx, tx, st.CustomerDomain, product); err != nil {
			return err
		}
	}
	people, err := seedPeople(ctx, tx, st.CreatedBy, st.EndedBy)
	if err != nil {
		return fmt.Errorf("seed transfer for %s: %w", st.CustomerDomain, err)
	}
	return insertSeedTransfer(ctx, tx, now, customer, people, st.Transfer, ids)
}

// insertSeedTransfer writes transfer t of customer as it stands, carrying
// the subscriptions ids, with its story in the audit log; people are its
// creator and whoever ended it.
func insertSeedTransfer(ctx context.Context, tx *sql.Tx, now time.Time, customer int64, people []sql.NullInt64, t domain.Transfer, ids []int64) error {
	by, ended := people[0].Int64, people[1]
	var endedAt sql.NullString
	if t.EndedAt != nil {
		endedAt = sql.NullString{String: formatTime(*t.EndedAt), Valid: true}
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO transfers (customer_id, status, other_partner_name, other_partner_tenant, microsoft_transfer_id,
		contact_email, product_types, line_items, reseller_partner_id, submitted_by, rejection_reason, created_by, created_at, expires_at,
		accepted_on, completed_on, ended_by, ended_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		customer, t.Status, t.OtherPartnerName, t.OtherPartnerTenant, t.MicrosoftTransferID, t.ContactEmail, joinCodes(t.Products), t.LineItems,
		t.ResellerPartnerID, t.SubmittedBy, t.RejectionReason, by, formatTime(t.CreatedAt), formatTime(t.ExpiresAt), dateColumn(t.AcceptedOn),
		dateColumn(t.CompletedOn), ended, endedAt, formatTime(now))
	if err != nil {
		return err
	}
	transferID, err := res.LastInsertId()
	if err != nil {
		return err
	}
	// The audit entries the transfer's story would have written.
	if err := appendAudit(ctx, tx, t.CreatedAt, domain.AuditEntry{ActorID: by, CustomerID: customer, Action: domain.AuditTransferCreated,
		Target: transferTarget(transferID), Detail: "from " + t.OtherPartnerName}); err != nil {
		return err
	}
	if t.EndedAt != nil && ended.Valid {
		action, detail := domain.AuditTransferCancelled, ""
		if t.Status == domain.TransferRejected {
			action, detail = domain.AuditTransferRejected, t.RejectionReason
		}
		if err := appendAudit(ctx, tx, *t.EndedAt, domain.AuditEntry{ActorID: ended.Int64, CustomerID: customer, Action: action,
			Target: transferTarget(transferID), Detail: detail}); err != nil {
			return err
		}
	}
	for _, id := range ids {
		if _, err := tx.ExecContext(ctx, `INSERT INTO transfer_subscriptions (transfer_id, subscription_id) VALUES (?, ?)`, transferID, id); err != nil {
			return err
		}
	}
	return nil
}
