package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/wingtip/multichannel/internal/domain"
)

// billingTransfersVersioned names the table for stale saves of a checklist.
var billingTransfersVersioned = versioned{"billing_transfers", "id"}

// billingColumns reads a billing transfer with the ids of the subscriptions
// its request covers.
const billingColumns = `b.id, b.customer_id, b.status, b.mca_accepted, b.azure_plan, b.agreement, b.same_tenant, b.marketplace_eligible,
	b.none_disabled, b.approver_email, b.approver_role, b.sent_on, b.approved_on, b.completed_on, b.ended_on,
	COALESCE(u.name, ''), b.created_at, b.version,
	(SELECT COALESCE(GROUP_CONCAT(bs.subscription_id), '') FROM billing_transfer_subscriptions bs WHERE bs.billing_transfer_id = b.id)
	FROM billing_transfers b LEFT JOIN users u ON u.id = b.created_by`

func scanBillingTransfer(row scanner) (domain.BillingTransfer, error) {
	var b domain.BillingTransfer
	p := &b.Prerequisites
	var subs string
	err := row.Scan(&b.ID, &b.CustomerID, &b.Status, &p.MCAAccepted, &p.AzurePlan, &p.Agreement, &p.SameTenant, &p.MarketplaceEligible,
		&p.NoneDisabled, &b.ApproverEmail, &b.ApproverRole, dateOnly{&b.SentOn}, dateOnly{&b.ApprovedOn}, dateOnly{&b.CompletedOn},
		dateOnly{&b.EndedOn}, &b.CreatedByName, timeColumn{&b.CreatedAt}, &b.Version, &subs)
	if errors.Is(err, sql.ErrNoRows) {
		return b, domain.ErrNotFound
	}
	if err != nil {
		return b, err
	}
	if b.SubscriptionIDs, err = idList(subs); err != nil {
		return b, fmt.Errorf("billing transfer %d: %w", b.ID, err)
	}
	return b, nil
}

// idList reads the ids GROUP_CONCAT joined with commas, in order.
func idList(joined string) ([]int64, error) {
	var ids []int64
	for _, s := range strings.Split(joined, ",") {
		if s == "" {
			continue
		}
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("id %q: %w", s, err)
		}
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids, nil
}

func billingTarget(id int64) string { return fmt.Sprintf("billing_transfer:%d", id) }

// BillingTransfer returns one billing transfer.
func (s *Store) BillingTransfer(ctx context.Context, id int64) (domain.BillingTransfer, error) {
	return scanBillingTransfer(s.read.QueryRowContext(ctx, `SELECT `+billingColumns+` WHERE b.id = ?`, id))
}

// BillingTransfersOfCustomer returns a customer's billing transfers, newest
// first.
func (s *Store) BillingTransfersOfCustomer(ctx context.Context, customerID int64) ([]domain.BillingTransfer, error) {
	return queryAll(ctx, s.read, scanBillingTransfer, `SELECT `+billingColumns+` WHERE b.customer_id = ? ORDER BY b.id DESC`, customerID)
}

// StartBillingTransfer opens a customer's billing transfer checklist, with
// nothing ticked, and its audit entry. It is domain.ErrBillingTransferOpen
// when the customer has one open already, as the transaction sees it (the
// unique index on open ones is the guard against a writer in between).
func (s *Store) StartBillingTransfer(ctx context.Context, actor domain.Actor, customerID int64) (int64, error) {
	var id int64
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		now := s.now()
		open, err := openBillingTransfer(ctx, tx, customerID)
		if err != nil {
			return err
		}
		if open != 0 {
			return domain.ErrBillingTransferOpen
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO billing_transfers (customer_id, status, created_by, created_at, changed_by, changed_at)
			VALUES (?, ?, ?, ?, ?, ?) RETURNING id`, customerID, domain.BillingPreparing, nullID(actor.UserID), formatTime(now),
			nullID(actor.UserID), formatTime(now)).Scan(&id); err != nil {
			return err
		}
		return appendAudit(ctx, tx, now, domain.AuditEntry{ActorID: actor.UserID, CustomerID: customerID, ClientIP: actor.ClientIP,
			Action: domain.AuditBillingTransferStarted, Target: billingTarget(id)})
	})
	return id, err
}

// openBillingTransfer is the id of the customer's open billing transfer, 0
// when it has none.
func openBillingTransfer(ctx context.Context, tx *sql.Tx, customerID int64) (int64, error) {
	var id int64
	err := tx.QueryRowContext(ctx, `SELECT id FROM billing_transfers WHERE customer_id = ? AND status IN (?, ?, ?)`,
		customerID, domain.BillingPreparing, domain.BillingSent, domain.BillingApproved).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return id, err
}

// errInactive marks a customer whose reseller relationship is not active.
var errInactive = errors.New("relationship not active")

// billingChange is one change of a billing transfer as the store writes it.
type billingChange struct {
	change domain.BillingChange
	set    string // extra assignments, each with one placeholder
	args   []any
	detail string
	// version, when not 0, is the version the form was filled at: a
	// checklist saved since is refused with a domain.Stale.
	version domain.Version
	// subscriptions join the transfer with the change: those of the
	// request, still in the customer's inventory.
	subscriptions []int64
}

// changeBillingTransfer applies ch to billing transfer id in one
// transaction: it reads the transfer and whether the customer's
// relationship is active, lets domain decide (BillingTransfer.Next), and
// writes the change with its audit entry as one conditional update on the
// state and version read, the guard against a writer in between.
func (s *Store) changeBillingTransfer(ctx context.Context, actor domain.Actor, id int64, ch billingChange) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		now := s.now()
		b, err := scanBillingTransfer(tx.QueryRowContext(ctx, `SELECT `+billingColumns+` WHERE b.id = ?`, id))
		if err != nil {
			return err
		}
		if ch.version != 0 {
			if err := checkVersion(ctx, tx, billingTransfersVersioned, id, b, b.Version, ch.version); err != nil {
				return err
			}
		}
		err = requireActiveRelationship(ctx, tx, b.CustomerID, errInactive)
		if err != nil && !errors.Is(err, errInactive) {
			return err
		}
		to, err := b.Next(ch.change, err == nil)
		if err != nil {
			return err
		}
		args := append(append([]any{to}, ch.args...), savedBy(actor, now)...)
		if err := updateOne(ctx, tx, domain.ErrConflict, `UPDATE billing_transfers SET status = ?`+ch.set+`, `+nextVersion+`
			WHERE id = ? AND status = ? AND version = ?`, append(args, id, b.Status, b.Version)...); err != nil {
			return err
		}
		for _, sub := range ch.subscriptions {
			if err := updateOne(ctx, tx, domain.SubscriptionGone(), `INSERT INTO billing_transfer_subscriptions (billing_transfer_id, subscription_id)
				SELECT ?, id FROM subscriptions WHERE id = ? AND customer_id = ? AND removed_at IS NULL`, id, sub, b.CustomerID); err != nil {
				return err
			}
		}
		return appendAudit(ctx, tx, now, domain.AuditEntry{ActorID: actor.UserID, CustomerID: b.CustomerID, ClientIP: actor.ClientIP,
			Action: ch.change.Audit(), Target: billingTarget(id), Detail: ch.detail})
	})
}

// SaveBillingPrerequisites records what the partner ticked on a checklist
// still being prepared, filled at version.
func (s *Store) SaveBillingPrerequisites(ctx context.Context, actor domain.Actor, id int64, p domain.BillingPrerequisites, version domain.Version) error {
	return s.changeBillingTransfer(ctx, actor, id, billingChange{change: domain.BillingPrerequisitesSaved,
		set:  `, mca_accepted = ?, azure_plan = ?, agreement = ?, same_tenant = ?, marketplace_eligible = ?, none_disabled = ?`,
		args: []any{p.MCAAccepted, p.AzurePlan, p.Agreement, p.SameTenant, p.MarketplaceEligible, p.NoneDisabled}, detail: p.Describe(), version: version})
}

// SendBillingTransfer records the request sent to the customer's approver,
// covering subscriptions, on a checklist whose prerequisites are all met,
// filled at version.
func (s *Store) SendBillingTransfer(ctx context.Context, actor domain.Actor, id int64, r domain.BillingRequest, subscriptions []int64, version domain.Version) error {
	ids := make([]string, len(subscriptions))
	for i, sub := range subscriptions {
		ids[i] = strconv.FormatInt(sub, 10)
	}
	return s.changeBillingTransfer(ctx, actor, id, billingChange{change: domain.BillingRequestSent,
		set: `, approver_email = ?, approver_role = ?, sent_on = ?`, args: []any{r.ApproverEmail, r.ApproverRole, dateColumn(r.SentOn)},
		detail:  fmt.Sprintf("sent %s to %s (%s); subscriptions %s", domain.FormatDate(r.SentOn), r.ApproverEmail, r.ApproverRole, strings.Join(ids, ", ")),
		version: version, subscriptions: subscriptions})
}

// RecordBillingTransfer records change c of a billing transfer after the
// request (approval, completion, decline, expiry, or our cancellation) on
// day on: the column of that day is the change's.
func (s *Store) RecordBillingTransfer(ctx context.Context, actor domain.Actor, id int64, c domain.BillingChange, on time.Time) error {
	column := `ended_on`
	switch c {
	case domain.BillingApproval:
		column = `approved_on`
	case domain.BillingCompletion:
		column = `completed_on`
	case domain.BillingPrerequisitesSaved, domain.BillingRequestSent:
		return fmt.Errorf("billing transfer change %d has a method of its own", c)
	}
	return s.changeBillingTransfer(ctx, actor, id, billingChange{change: c, set: `, ` + column + ` = ?`, args: []any{dateColumn(&on)},
		detail: "on " + on.Format(domain.DateLayout)})
}

// BillingPlan returns what the plan reads of a customer's billing
// transfers: the state of the newest covering each subscription still in
// the inventory (a completed one wins, since the billing is ours from then
// on), and the state of the open one.
func (s *Store) BillingPlan(ctx context.Context, customerID int64) (domain.BillingPlan, error) {
	type state struct {
		subscriptionID int64
		status         domain.BillingTransferStatus
	}
	list, err := queryAll(ctx, s.read, func(row scanner) (state, error) {
		var st state
		err := row.Scan(&st.subscriptionID, &st.status)
		return st, err
	}, `SELECT bs.subscription_id, b.status FROM billing_transfers b
		JOIN billing_transfer_subscriptions bs ON bs.billing_transfer_id = b.id
		WHERE b.customer_id = ? ORDER BY b.status = ?, b.id`, customerID, domain.BillingCompleted)
	if err != nil {
		return domain.BillingPlan{}, err
	}
	plan := domain.BillingPlan{BySubscription: make(map[int64]domain.BillingTransferStatus, len(list))}
	for _, st := range list {
		plan.BySubscription[st.subscriptionID] = st.status // newest last, so it wins
	}
	err = s.read.QueryRowContext(ctx, `SELECT status FROM billing_transfers WHERE customer_id = ? AND status IN (?, ?, ?)`,
		customerID, domain.BillingPreparing, domain.BillingSent, domain.BillingApproved).Scan(&plan.Open)
	if errors.Is(err, sql.ErrNoRows) {
		err = nil
	}
	return plan, err
}

// billedCounts counts, by class key, a customer's subscriptions still in
// the inventory that a completed billing transfer moved.
func billedCounts(ctx context.Context, db querier, customerID int64) ([]domain.ClassCount, error) {
	return queryAll(ctx, db, scanClassCount, `SELECT `+classKeyColumns+`, COUNT(DISTINCT s.id) FROM billing_transfers b
		JOIN billing_transfer_subscriptions bs ON bs.billing_transfer_id = b.id JOIN subscriptions s ON s.id = bs.subscription_id
		WHERE b.customer_id = ? AND b.status = ? AND s.removed_at IS NULL GROUP BY `+classKeyColumns, customerID, domain.BillingCompleted)
}

// seedBillingTransfer writes one billing transfer of the starting data as
// it stands, with the audit entries its story would have written.
func seedBillingTransfer(ctx context.Context, tx *sql.Tx, now time.Time, sb domain.SeedBillingTransfer) error {
	var customer, by int64
	if err := tx.QueryRowContext(ctx, `SELECT id FROM customers WHERE domain = ?`, sb.CustomerDomain).Scan(&customer); err != nil {
		return fmt.Errorf("seed billing transfer for %s: %w", sb.CustomerDomain, err)
	}
	if err := tx.QueryRowContext(ctx, `SELECT id FROM users WHERE email = ?`, sb.CreatedBy).Scan(&by); err != nil {
		return fmt.Errorf("seed billing transfer by %s: %w", sb.CreatedBy, err)
	}
	b, p := sb.Transfer, sb.Transfer.Prerequisites
	var id int64
	if err := tx.QueryRowContext(ctx, `INSERT INTO billing_transfers (customer_id, status, mca_accepted, azure_plan, agreement, same_tenant,
		marketplace_eligible, none_disabled, approver_email, approver_role, sent_on, approved_on, completed_on, ended_on, created_by, created_at,
		changed_by, changed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		customer, b.Status, p.MCAAccepted, p.AzurePlan, p.Agreement, p.SameTenant, p.MarketplaceEligible, p.NoneDisabled, b.ApproverEmail,
		b.ApproverRole, dateColumn(b.SentOn), dateColumn(b.ApprovedOn), dateColumn(b.CompletedOn), dateColumn(b.EndedOn), by,
		formatTime(b.CreatedAt), by, formatTime(now)).Scan(&id); err != nil {
		return err
	}
	if err := appendAudit(ctx, tx, b.CreatedAt, domain.AuditEntry{ActorID: by, CustomerID: customer, Action: domain.AuditBillingTransferStarted,
		Target: billingTarget(id)}); err != nil {
		return err
	}
	for _, product := range sb.Products {
		sub, err := seedSubscriptionID(ctx, tx, sb.CustomerDomain, product)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO billing_transfer_subscriptions (billing_transfer_id, subscription_id) VALUES (?, ?)`, id, sub); err != nil {
			return err
		}
	}
	if b.SentOn == nil {
		return nil
	}
	return appendAudit(ctx, tx, *b.SentOn, domain.AuditEntry{ActorID: by, CustomerID: customer, Action: domain.AuditBillingTransferSent,
		Target: billingTarget(id), Detail: "sent to " + b.ApproverEmail + " (" + b.ApproverRole.Label() + ")"})
}
