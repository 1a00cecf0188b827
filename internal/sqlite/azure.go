package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/wingtip/multichannel/internal/domain"
)

const migrationColumns = `m.subscription_id, m.step, m.csp_subscription_id, m.display_name, m.created_on, m.created_by_role,
	m.moved_note, m.moved_on, m.cancel_scope, m.cancelled_services, m.cancelled_on, m.cancelled_by, m.cancel_reference, m.version`

// dateOnly scans a nullable YYYY-MM-DD column.
type dateOnly struct{ t **time.Time }

// Scan reads the column; NULL is no date.
func (d dateOnly) Scan(v any) error {
	var s sql.NullString
	if err := s.Scan(v); err != nil {
		return err
	}
	if !s.Valid {
		*d.t = nil
		return nil
	}
	t, err := time.Parse(domain.DateLayout, s.String)
	if err != nil {
		return err
	}
	*d.t = &t
	return nil
}

func scanMigration(row scanner) (domain.AzureMigration, error) {
	var m domain.AzureMigration
	var services string
	err := row.Scan(&m.SubscriptionID, &m.Step, &m.CSPSubscriptionID, &m.DisplayName, dateOnly{&m.CreatedOn}, &m.CreatedByRole,
		&m.MovedNote, dateOnly{&m.MovedOn}, &m.CancelScope, &services, dateOnly{&m.CancelledOn}, &m.CancelledBy, &m.CancelReference, &m.Version)
	if errors.Is(err, sql.ErrNoRows) {
		return m, domain.ErrNotFound
	}
	if services != "" {
		m.CancelledServices = strings.Split(services, "\n")
	}
	return m, err
}

// AzureMigrations returns the checklists of a customer's subscriptions, by
// subscription id; a subscription without one has not started.
func (s *Store) AzureMigrations(ctx context.Context, customerID int64) (map[int64]domain.AzureMigration, error) {
	list, err := queryAll(ctx, s.read, scanMigration, `SELECT `+migrationColumns+` FROM azure_migrations m
		JOIN subscriptions s ON s.id = m.subscription_id WHERE m.customer_id = ? AND s.removed_at IS NULL`, customerID)
	out := make(map[int64]domain.AzureMigration, len(list))
	for _, m := range list {
		out[m.SubscriptionID] = m
	}
	return out, err
}

// migrationStep is one step of the checklist to record: the step it is, the
// columns it sets and their values, and how to describe its values for the
// audit log.
type migrationStep struct {
	step     int
	set      string // "col = ?, col = ?"
	args     []any
	describe func(domain.AzureMigration) string
}

// RecordCSPSubscription records step 2, the new CSP Azure subscription.
// seen is where the checklist stood when the user filled the form.
func (s *Store) RecordCSPSubscription(ctx context.Context, actor domain.Actor, customerID int64, m domain.AzureMigration, seen domain.ChecklistSeen) error {
	return s.recordMigrationStep(ctx, actor, customerID, m, seen, migrationStep{step: domain.MigrationRecordCSP,
		set:  `csp_subscription_id = ?, display_name = ?, created_on = ?, created_by_role = ?`,
		args: []any{m.CSPSubscriptionID, m.DisplayName, dateColumn(m.CreatedOn), m.CreatedByRole},
		describe: func(m domain.AzureMigration) string {
			return fmt.Sprintf("%s %q created %s, in Partner Center's %s role", m.CSPSubscriptionID, m.DisplayName, domain.FormatDate(m.CreatedOn),
				m.CreatedByRole.Label())
		}})
}

// RecordWorkloadsMoved records step 3, the workloads moved.
func (s *Store) RecordWorkloadsMoved(ctx context.Context, actor domain.Actor, customerID int64, m domain.AzureMigration, seen domain.ChecklistSeen) error {
	return s.recordMigrationStep(ctx, actor, customerID, m, seen, migrationStep{step: domain.MigrationMoveWorkloads,
		set: `moved_note = ?, moved_on = ?`, args: []any{m.MovedNote, dateColumn(m.MovedOn)},
		describe: func(m domain.AzureMigration) string {
			return fmt.Sprintf("moved %s: %q", domain.FormatDate(m.MovedOn), m.MovedNote)
		}})
}

// RecordOldCancelled records step 4, the old subscription or services
// cancelled.
func (s *Store) RecordOldCancelled(ctx context.Context, actor domain.Actor, customerID int64, m domain.AzureMigration, seen domain.ChecklistSeen) error {
	return s.recordMigrationStep(ctx, actor, customerID, m, seen, migrationStep{step: domain.MigrationCancelOld,
		set:  `cancel_scope = ?, cancelled_services = ?, cancelled_on = ?, cancelled_by = ?, cancel_reference = ?`,
		args: []any{m.CancelScope, strings.Join(m.CancelledServices, "\n"), dateColumn(m.CancelledOn), m.CancelledBy, m.CancelReference},
		describe: func(m domain.AzureMigration) string {
			return fmt.Sprintf("cancelled %s %s on %s, by %s, reference %q", strings.ToLower(m.CancelScope.Label()), strings.Join(m.CancelledServices, "; "),
				domain.FormatDate(m.CancelledOn), strings.ToLower(m.CancelledBy.Label()), m.CancelReference)
		}})
}

// recordMigrationStep records a step of the checklist: it reads the
// checklist in the transaction and lets domain decide
// (AzureMigration.RecordStep: in order, a step already done is a correction,
// audited with the values before and after). seen is where the checklist
// stood when the user filled the form: a checklist saved since is refused
// with a domain.Stale holding it as stored. The relationship is checked in
// the same transaction. Every change is a conditional update on the step and
// version read, the guard against a writer in between.
func (s *Store) recordMigrationStep(ctx context.Context, actor domain.Actor, customerID int64, m domain.AzureMigration, seen domain.ChecklistSeen, st migrationStep) error {
	subscriptionID := m.SubscriptionID
	return s.inTx(ctx, func(tx *sql.Tx) error {
		now := s.now()
		var owner int64
		err := tx.QueryRowContext(ctx, `SELECT customer_id FROM subscriptions WHERE id = ? AND removed_at IS NULL`, subscriptionID).Scan(&owner)
		if errors.Is(err, sql.ErrNoRows) || (err == nil && owner != customerID) {
			return domain.ErrNotFound
		}
		if err != nil {
			return err
		}
		if err := requireActiveRelationship(ctx, tx, customerID, domain.ErrChecklistNeedsRelationship); err != nil {
			return err
		}
		old, err := scanMigration(tx.QueryRowContext(ctx, `SELECT `+migrationColumns+` FROM azure_migrations m WHERE m.subscription_id = ?`, subscriptionID))
		exists := err == nil
		if err != nil && !errors.Is(err, domain.ErrNotFound) {
			return err
		}
		if exists {
			if err := checkVersion(ctx, tx, checklistVersioned, subscriptionID, old, old.Version, seen.Version); err != nil {
				return err
			}
		}
		rec, err := old.RecordStep(st.step, seen.Step)
		if err != nil {
			return err
		}
		saved := append(savedBy(actor, now), subscriptionID)
		action, detail := domain.AuditAzureStepRecorded, st.describe(m)
		changed := domain.ChecklistChanged()
		switch {
		case rec.Correction:
			action, detail = domain.AuditAzureStepCorrected, "from "+st.describe(old)+" to "+detail
			err = updateOne(ctx, tx, changed, `UPDATE azure_migrations SET `+st.set+`, updated_at = ?, `+nextVersion+`
				WHERE subscription_id = ? AND step = ? AND version = ?`,
				append(append(st.args, formatTime(now)), append(saved, rec.From, old.Version)...)...)
		case !exists:
			_, err = tx.ExecContext(ctx, `INSERT INTO azure_migrations (subscription_id, step, updated_at, changed_by, changed_at)
				VALUES (?, ?, ?, ?, ?)`, subscriptionID, rec.To, formatTime(now), nullID(actor.UserID), formatTime(now))
			if err == nil {
				err = updateOne(ctx, tx, changed, `UPDATE azure_migrations SET `+st.set+` WHERE subscription_id = ?`, append(st.args, subscriptionID)...)
			}
		default:
			err = updateOne(ctx, tx, changed, `UPDATE azure_migrations SET `+st.set+`, step = ?, updated_at = ?, `+nextVersion+`
				WHERE subscription_id = ? AND step = ? AND version = ?`,
				append(append(st.args, rec.To, formatTime(now)), append(saved, rec.From, old.Version)...)...)
		}
		if err != nil {
			return err
		}
		return appendAudit(ctx, tx, now, domain.AuditEntry{ActorID: actor.UserID, CustomerID: customerID, ClientIP: actor.ClientIP,
			Action: action, Target: fmt.Sprintf("subscription:%d step %d", subscriptionID, st.step), Detail: detail})
	})
}

// TransferStates returns the newest transfer of each of a customer's
// subscriptions that has one, in its effective state with the other
// partner's reason when it rejected it; a completed transfer wins over any
// later request, since the subscription is ours from then on.
func (s *Store) TransferStates(ctx context.Context, customerID int64, now time.Time) (map[int64]domain.SubscriptionTransfer, error) {
	type state struct {
		subscriptionID int64
		transfer       domain.SubscriptionTransfer
	}
	list, err := queryAll(ctx, s.read, func(row scanner) (state, error) {
		var st state
		err := row.Scan(&st.subscriptionID, &st.transfer.Status, &st.transfer.RejectionReason)
		return st, err
	}, `SELECT ts.subscription_id, `+effectiveStatusSQL("t")+`, t.rejection_reason
		FROM transfers t JOIN transfer_subscriptions ts ON ts.transfer_id = t.id
		WHERE t.customer_id = ? ORDER BY t.status = ?, t.id`,
		append(effectiveStatusArgs(domain.TransferPending, domain.TransferExpired, now), customerID, domain.TransferComplete)...)
	out := make(map[int64]domain.SubscriptionTransfer, len(list))
	for _, st := range list {
		out[st.subscriptionID] = st.transfer // newest last, so it wins
	}
	return out, err
}

// UsageDoneCounts counts, by channel and service type, a customer's
// subscriptions whose checklist is done, those a completed transfer
// brought and those a completed billing transfer moved; the domain keeps
// those whose workflow still matches.
func (s *Store) UsageDoneCounts(ctx context.Context, customerID int64) (migrated, transferred, billed []domain.ClassCount, err error) {
	// The customer's finished checklists, by the index of checklists by
	// customer and step (migration 00032), not by its subscriptions.
	if migrated, err = queryAll(ctx, s.read, scanClassCount, `SELECT `+classKeyColumns+`, COUNT(*) FROM azure_migrations m
		JOIN subscriptions s ON s.id = m.subscription_id
		WHERE m.customer_id = ? AND m.step = ? AND s.removed_at IS NULL GROUP BY `+classKeyColumns,
		customerID, domain.MigrationDone); err != nil {
		return nil, nil, nil, err
	}
	if transferred, err = queryAll(ctx, s.read, scanClassCount, `SELECT `+classKeyColumns+`, COUNT(DISTINCT s.id) FROM transfers t
		JOIN transfer_subscriptions ts ON ts.transfer_id = t.id JOIN subscriptions s ON s.id = ts.subscription_id
		WHERE t.customer_id = ? AND t.status = ? AND s.removed_at IS NULL GROUP BY `+classKeyColumns, customerID, domain.TransferComplete); err != nil {
		return nil, nil, nil, err
	}
	billed, err = billedCounts(ctx, s.read, customerID)
	return migrated, transferred, billed, err
}
