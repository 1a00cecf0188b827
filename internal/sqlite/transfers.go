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

// transferColumns reads a transfer with its names and, through the primary
// key of transfer_subscriptions, the ids of its subscriptions.
const transferColumns = `t.id, t.customer_id, c.name, t.status, t.other_partner_name, t.other_partner_tenant, t.microsoft_transfer_id, t.contact_email,
	t.product_types, t.line_items, t.reseller_partner_id, t.submitted_by, t.rejection_reason, COALESCE(cu.name, ''), t.created_at, t.expires_at, t.accepted_on,
	t.completed_on, COALESCE(eu.name, ''), t.ended_at,
	(SELECT COALESCE(GROUP_CONCAT(ts.subscription_id), '') FROM transfer_subscriptions ts WHERE ts.transfer_id = t.id)`

const transferFrom = ` FROM transfers t
	JOIN customers c ON c.id = t.customer_id
	LEFT JOIN users cu ON cu.id = t.created_by
	LEFT JOIN users eu ON eu.id = t.ended_by`

func scanTransfer(row scanner) (domain.Transfer, error) {
	var t domain.Transfer
	var products, subs string
	var ended nullTimeColumn
	err := row.Scan(&t.ID, &t.CustomerID, &t.CustomerName, &t.Status, &t.OtherPartnerName, &t.OtherPartnerTenant, &t.MicrosoftTransferID, &t.ContactEmail,
		&products, &t.LineItems, &t.ResellerPartnerID, &t.SubmittedBy, &t.RejectionReason, &t.CreatedByName, timeColumn{&t.CreatedAt}, timeColumn{&t.ExpiresAt}, dateOnly{&t.AcceptedOn},
		dateOnly{&t.CompletedOn}, &t.EndedByName, &ended, &subs)
	if errors.Is(err, sql.ErrNoRows) {
		return t, domain.ErrNotFound
	}
	if err != nil {
		return t, err
	}
	t.EndedAt = ended.t
	for _, p := range strings.Split(products, ",") {
		if p != "" {
			t.Products = append(t.Products, domain.TransferProduct(p))
		}
	}
	for _, s := range strings.Split(subs, ",") {
		if s == "" {
			continue
		}
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return t, fmt.Errorf("transfer %d: subscription id %q: %w", t.ID, s, err)
		}
		t.SubscriptionIDs = append(t.SubscriptionIDs, id)
	}
	slices.Sort(t.SubscriptionIDs)
	return t, nil
}

func transferTarget(id int64) string { return fmt.Sprintf("transfer:%d", id) }

// Transfer returns one transfer request.
func (s *Store) Transfer(ctx context.Context, id int64) (domain.Transfer, error) {
	return scanTransfer(s.read.QueryRowContext(ctx, `SELECT `+transferColumns+transferFrom+` WHERE t.id = ?`, id))
}

// transfersQuery reads one page of the transfers matching where, newest
// first; a test reads its query plan.
func transfersQuery(where string) string {
	return `SELECT ` + transferColumns + transferFrom + where + ` ORDER BY t.id DESC LIMIT ? OFFSET ?`
}

// TransfersOfCustomer returns one page of a customer's transfer requests,
// newest first, and how many there are.
func (s *Store) TransfersOfCustomer(ctx context.Context, customerID int64, page domain.Page) ([]domain.Transfer, int, error) {
	return s.queryTransfers(ctx, ` WHERE t.customer_id = ?`, []any{customerID}, page)
}

// CreateTransfer stores a validated transfer request as pending, expiring
// domain.TransferExpiryDays after now, with its subscriptions and audit
// entry, in one transaction. It is a domain.ConflictError when the
// customer's relationship is not active, when a subscription is no longer
// the customer's, or when one is already in a pending or in-progress
// transfer: a subscription can be asked for by one transfer at a time.
func (s *Store) CreateTransfer(ctx context.Context, actor domain.Actor, n domain.NewTransfer) (int64, error) {
	var id int64
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		now := s.now()
		if err := requireActiveRelationship(ctx, tx, n.CustomerID, domain.ErrTransferNeedsRelationship); err != nil {
			return err
		}
		if err := refuseOpenTransfers(ctx, tx, n.SubscriptionIDs, now); err != nil {
			return err
		}
		err := tx.QueryRowContext(ctx, `INSERT INTO transfers (customer_id, status, other_partner_name, other_partner_tenant, microsoft_transfer_id,
			contact_email, product_types, line_items, reseller_partner_id, submitted_by, created_by, created_at, expires_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			n.CustomerID, domain.TransferPending, n.OtherPartnerName, n.OtherPartnerTenant, n.MicrosoftTransferID, n.ContactEmail, joinCodes(n.Products),
			n.LineItems, n.ResellerPartnerID, n.SubmittedBy, actor.UserID, formatTime(now), formatTime(now.Add(domain.TransferExpiryDays*24*time.Hour)),
			formatTime(now)).Scan(&id)
		if err != nil {
			return err
		}
		ids := make([]string, len(n.SubscriptionIDs))
		for i, sub := range n.SubscriptionIDs {
			// Only a subscription still in this customer's inventory joins.
			if err := updateOne(ctx, tx, domain.SubscriptionGone(), `INSERT INTO transfer_subscriptions (transfer_id, subscription_id)
				SELECT ?, id FROM subscriptions WHERE id = ? AND customer_id = ? AND removed_at IS NULL`, id, sub, n.CustomerID); err != nil {
				return err
			}
			ids[i] = strconv.FormatInt(sub, 10)
		}
		return appendAudit(ctx, tx, now, domain.AuditEntry{ActorID: actor.UserID, CustomerID: n.CustomerID, ClientIP: actor.ClientIP,
			Action: domain.AuditTransferCreated, Target: transferTarget(id),
			Detail: "from " + n.OtherPartnerName + " (" + n.OtherPartnerTenant + "); subscriptions " + strings.Join(ids, ", ") + microsoftIDDetail(n.MicrosoftTransferID)})
	})
	if err != nil {
		return 0, err
	}
	return id, nil
}

// refuseOpenTransfers refuses, with domain.SubscriptionHeld, the first of
// subs that a transfer already holds at now: one in an effective state of
// domain.TransferHoldingStates.
func refuseOpenTransfers(ctx context.Context, tx *sql.Tx, subs []int64, now time.Time) error {
	query := `SELECT id, status, product FROM (SELECT t.id, ` + effectiveStatusSQL("t") + ` AS status, s.product
			FROM transfer_subscriptions ts
			JOIN transfers t ON t.id = ts.transfer_id
			JOIN subscriptions s ON s.id = ts.subscription_id
			WHERE ts.subscription_id = ?)
		WHERE status IN (` + paramMarks(len(domain.TransferHoldingStates)) + `) LIMIT 1`
	for _, sub := range subs {
		args := append(effectiveStatusArgs(domain.TransferPending, domain.TransferExpired, now), sub)
		for _, st := range domain.TransferHoldingStates {
			args = append(args, st)
		}
		var transferID int64
		var product string
		var status domain.TransferStatus
		err := tx.QueryRowContext(ctx, query, args...).Scan(&transferID, &status, &product)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		}
		if err != nil {
			return err
		}
		return domain.SubscriptionHeld(product, transferID, status)
	}
	return nil
}

// errLostRace marks a conditional update that found its row moved on.
var errLostRace = errors.New("the row changed since it was read")

// transferChange is one change of a transfer's state as the store writes
// it.
type transferChange struct {
	change domain.TransferChange
	action domain.AuditAction
	set    string // extra assignments, each with one placeholder
	args   []any
}

// changeTransfer applies ch to transfer id: it reads the transfer in the
// transaction, lets domain decide (Transfer.Next, on the store's clock), and
// writes the change with its audit entry as one conditional update on the
// state it was allowed from (and, from pending, on the expiry not yet
// reached), the guard against a writer in between. A transfer in another
// state, found at first or after losing such a race, is left as it is and
// gets Next's domain.ConflictError saying why.
func (s *Store) changeTransfer(ctx context.Context, actor domain.Actor, id int64, ch transferChange, detail string) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		now := s.now()
		t, err := readTransfer(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := moveTransfer(ctx, tx, t, ch, now); err != nil {
			return err
		}
		return appendAudit(ctx, tx, now, domain.AuditEntry{ActorID: actor.UserID, CustomerID: t.CustomerID, ClientIP: actor.ClientIP,
			Action: ch.action, Target: transferTarget(id), Detail: detail})
	})
}

// readTransfer reads transfer id inside tx.
func readTransfer(ctx context.Context, tx *sql.Tx, id int64) (domain.Transfer, error) {
	return scanTransfer(tx.QueryRowContext(ctx, `SELECT `+transferColumns+transferFrom+` WHERE t.id = ?`, id))
}

// moveTransfer makes change ch of t, the transfer as tx read it, if
// Transfer.Next allows it at now, as one conditional update on the state it
// was read in (and, from pending, on the expiry not yet reached). When the
// row moved on since t was read, the change gets the refusal its new state
// gives.
func moveTransfer(ctx context.Context, tx *sql.Tx, t domain.Transfer, ch transferChange, now time.Time) error {
	to, err := t.Next(ch.change, now)
	if err != nil {
		return err
	}
	cond, condArgs := expiryCondition(domain.TransferExpiryFrom(t.Status), now)
	query := `UPDATE transfers SET status = ?, updated_at = ?` + ch.set + ` WHERE id = ? AND status = ?` + cond
	args := append(append(append([]any{to, formatTime(now)}, ch.args...), t.ID, t.Status), condArgs...)
	err = updateOne(ctx, tx, errLostRace, query, args...)
	if !errors.Is(err, errLostRace) {
		return err
	}
	moved, err := readTransfer(ctx, tx, t.ID)
	if err != nil {
		return err
	}
	if _, err := moved.Next(ch.change, now); err != nil {
		return err
	}
	return domain.ErrConflict
}

// AcceptTransfer records that the other partner accepted a pending,
// unexpired transfer on the given date: it is in progress from then on.
// A Microsoft transfer id, when given, is recorded with it; an empty one
// keeps what was recorded.
func (s *Store) AcceptTransfer(ctx context.Context, actor domain.Actor, id int64, on time.Time, microsoftID string) error {
	return s.changeTransfer(ctx, actor, id, transferChange{change: domain.TransferAcceptance, action: domain.AuditTransferAccepted,
		set: `, accepted_on = ?, microsoft_transfer_id = COALESCE(NULLIF(?, ''), microsoft_transfer_id)`, args: []any{dateColumn(&on), microsoftID}},
		"accepted on "+on.Format(domain.DateLayout)+microsoftIDDetail(microsoftID))
}

// microsoftIDDetail is the part of an audit entry's detail that names a
// Microsoft transfer id, "" when none is given.
func microsoftIDDetail(id string) string {
	if id == "" {
		return ""
	}
	return "; Microsoft transfer id " + id
}

// RejectTransfer records that the other partner rejected a pending,
// unexpired transfer, and why; who recorded it and when are kept.
func (s *Store) RejectTransfer(ctx context.Context, actor domain.Actor, id int64, reason string) error {
	now := s.now()
	return s.changeTransfer(ctx, actor, id, transferChange{change: domain.TransferRejection, action: domain.AuditTransferRejected,
		set: `, rejection_reason = ?, ended_by = ?, ended_at = ?`, args: []any{reason, actor.UserID, formatTime(now)}}, reason)
}

// RecordMicrosoftTransferID records Partner Center's id of a transfer that
// is still open (pending and unexpired, or in progress); its state stays.
func (s *Store) RecordMicrosoftTransferID(ctx context.Context, actor domain.Actor, id int64, microsoftID string) error {
	return s.changeTransfer(ctx, actor, id, transferChange{change: domain.TransferIDRecording, action: domain.AuditTransferIDRecorded,
		set: `, microsoft_transfer_id = ?`, args: []any{microsoftID}}, "Microsoft transfer id "+microsoftID)
}

// CompleteTransfer records that a transfer in progress was completed on the
// given date: the subscriptions are ours.
func (s *Store) CompleteTransfer(ctx context.Context, actor domain.Actor, id int64, on time.Time) error {
	return s.changeTransfer(ctx, actor, id, transferChange{change: domain.TransferCompletion, action: domain.AuditTransferCompleted,
		set: `, completed_on = ?`, args: []any{dateColumn(&on)}}, "completed on "+on.Format(domain.DateLayout))
}

// CancelTransfer withdraws a pending, unexpired transfer. Once the other
// partner has accepted, the new partner can no longer cancel it.
func (s *Store) CancelTransfer(ctx context.Context, actor domain.Actor, id int64) error {
	now := s.now()
	return s.changeTransfer(ctx, actor, id, transferChange{change: domain.TransferCancellation, action: domain.AuditTransferCancelled,
		set: `, ended_by = ?, ended_at = ?`, args: []any{actor.UserID, formatTime(now)}}, "")
}

// TransferCounts counts the transfers pending at now (not expired) and,
// among them, those that expire within soon.
func (s *Store) TransferCounts(ctx context.Context, now time.Time, soon time.Duration) (pending, expiringSoon int, err error) {
	err = s.read.QueryRowContext(ctx, `SELECT COUNT(*), COALESCE(SUM(CASE WHEN expires_at <= ? THEN 1 ELSE 0 END), 0)
		FROM transfers WHERE status = ? AND expires_at > ?`,
		formatTime(now.Add(soon)), domain.TransferPending, formatTime(now)).Scan(&pending, &expiringSoon)
	return pending, expiringSoon, err
}

// ListTransfers returns one page of transfers across customers, newest
// first, in the effective state asked for, and how many there are.
func (s *Store) ListTransfers(ctx context.Context, f domain.TransferFilter, now time.Time) ([]domain.Transfer, int, error) {
	where, args := effectiveWhere("t", f, domain.TransferPending, domain.TransferExpired, now)
	return s.queryTransfers(ctx, where, args, f.Page)
}

// queryTransfers returns one page of the transfers matching where, newest
// first, and how many match.
func (s *Store) queryTransfers(ctx context.Context, where string, args []any, page domain.Page) ([]domain.Transfer, int, error) {
	return queryPage(ctx, s.read, scanTransfer, `SELECT COUNT(*) FROM transfers t`+where, transfersQuery(where), args, page)
}
