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

const relationshipColumns = `r.id, r.customer_id, c.name, r.status, r.recipient_name, r.recipient_email, r.created_by, COALESCE(cu.name, ''), r.created_at, r.expires_at, r.sent_count, r.accepted_name, r.accepted_email,
	r.answered_at, COALESCE(ru.name, ''), r.reviewed_at, COALESCE(eu.name, ''), r.ended_at, r.reason, x.exported_on, ` + gdapColumns

// relationshipFrom joins each request to its GDAP request, when it has one.
const relationshipFrom = ` FROM relationship_requests r
	JOIN customers c ON c.id = r.customer_id
	LEFT JOIN users cu ON cu.id = r.created_by
	LEFT JOIN users ru ON ru.id = r.reviewed_by
	LEFT JOIN users eu ON eu.id = r.ended_by
	LEFT JOIN partner_center_exports x ON x.id = r.verified_by_export
	LEFT JOIN gdap_requests g ON g.relationship_id = r.id` + gdapUsers

func scanRelationship(row scanner) (domain.RelationshipRequest, error) {
	return newRelationshipScan().scan(row)
}

// relationshipScan holds the destinations of a request's row, made once
// for all the rows of a list: a row has some forty columns, and making
// their destinations afresh for each row was most of what a review queue
// page allocated.
type relationshipScan struct {
	r                                   domain.RelationshipRequest
	answered, reviewed, ended, exported nullTimeColumn
	g                                   gdapScan
	dest                                []any
}

func newRelationshipScan() *relationshipScan {
	s := &relationshipScan{}
	r := &s.r
	s.dest = append([]any{&r.ID, &r.CustomerID, &r.CustomerName, &r.Status, &r.RecipientName, &r.RecipientEmail,
		&r.CreatedBy, &r.CreatedByName, timeColumn{&r.CreatedAt}, timeColumn{&r.ExpiresAt}, &r.SentCount,
		&r.AcceptedName, &r.AcceptedEmail, &s.answered, &r.ReviewedByName, &s.reviewed, &r.EndedByName, &s.ended, &r.Reason, &s.exported},
		s.g.fields()...)
	return s
}

// scan reads a row into a request of its own.
func (s *relationshipScan) scan(row scanner) (domain.RelationshipRequest, error) {
	s.r, s.g.g = domain.RelationshipRequest{}, domain.GDAPRequest{}
	err := row.Scan(s.dest...)
	if errors.Is(err, sql.ErrNoRows) {
		return domain.RelationshipRequest{}, domain.ErrNotFound
	}
	if err != nil {
		return domain.RelationshipRequest{}, err
	}
	r := s.r
	r.AnsweredAt, r.ReviewedAt, r.EndedAt, r.VerifiedExportOn = s.answered.t, s.reviewed.t, s.ended.t, s.exported.t
	r.GDAP, err = s.g.finish()
	return r, err
}

// relationshipWhere reads through db the one request that cond selects, or
// domain.ErrNotFound.
func relationshipWhere(ctx context.Context, db querier, cond string, args ...any) (domain.RelationshipRequest, error) {
	return scanRelationship(db.QueryRowContext(ctx, `SELECT `+relationshipColumns+relationshipFrom+` WHERE `+cond, args...))
}

// MaxHistory bounds how many of a customer's requests its history shows.
const MaxHistory = 50

// CustomerRelationships returns the customer's requests, newest first, up
// to MaxHistory: its history on step 4. The relationship_requests_customer
// index gives them in order.
func (s *Store) CustomerRelationships(ctx context.Context, customerID int64) ([]domain.RelationshipRequest, error) {
	return queryAll(ctx, s.read, newRelationshipScan().scan, `SELECT `+relationshipColumns+relationshipFrom+`
		WHERE r.customer_id = ? ORDER BY r.id DESC LIMIT ?`, customerID, MaxHistory)
}

// LastRelationship returns the customer's newest request, open or not, or
// domain.ErrNotFound when it has none.
func (s *Store) LastRelationship(ctx context.Context, customerID int64) (domain.RelationshipRequest, error) {
	return relationshipWhere(ctx, s.read, `r.customer_id = ? ORDER BY r.id DESC LIMIT 1`, customerID)
}

// relationshipUpdate is what a change of a request writes besides its new
// state.
type relationshipUpdate struct {
	set  string // extra assignments, each with one placeholder
	args []any
	// token, when set, must still be the request's: an answer counts only
	// with the link it came through.
	token []byte
}

// moveRelationship makes change c to request r, as read in tx: the domain
// decides, and one conditional update on the state read (and on the expiry,
// when c depends on it) writes the new state and u. A request that changed
// since it was read gets c's conflict, as a refusal does. A pending
// request's unsent messages carry a token that dies with any change, so they
// are withdrawn.
func moveRelationship(ctx context.Context, tx *sql.Tx, r domain.RelationshipRequest, c domain.RelationshipChange, now time.Time,
	u relationshipUpdate) error {
	to, err := r.Transition(c, now)
	if err != nil {
		return err
	}
	query := `UPDATE relationship_requests SET status = ?` + u.set + ` WHERE id = ? AND status = ?`
	args := append(append([]any{to}, u.args...), r.ID, r.Status)
	cond, condArgs := expiryCondition(c.Expiry(), now)
	query, args = query+cond, append(args, condArgs...)
	if u.token != nil {
		query += ` AND token_hash = ?`
		args = append(args, u.token)
	}
	if err := updateOne(ctx, tx, c.Refused(), query, args...); err != nil {
		return err
	}
	if r.Status == domain.StatusPending {
		return cancelMessages(ctx, tx, r.ID, c.MessagesEnded())
	}
	return nil
}

// joinCodes stores a list of codes (admin roles, transfer products) as one
// comma-separated column.
func joinCodes[T ~string](codes []T) string {
	parts := make([]string, len(codes))
	for i, c := range codes {
		parts[i] = string(c)
	}
	return strings.Join(parts, ",")
}

// requireActiveRelationship refuses, with the domain's refused, a change to a
// customer whose reseller relationship is not active, as the transaction
// sees it.
func requireActiveRelationship(ctx context.Context, tx *sql.Tx, customerID int64, refused error) error {
	var active bool
	if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM relationship_requests WHERE customer_id = ? AND status = ?)`,
		customerID, domain.StatusActive).Scan(&active); err != nil {
		return err
	}
	if !active {
		return refused
	}
	return nil
}

// expireStale writes down the expiry of a customer's pending requests past
// their time, so that they no longer block a new one, and withdraws their
// unsent messages, whose links are dead.
func expireStale(ctx context.Context, tx *sql.Tx, customerID int64, now time.Time) error {
	waiting, err := queryAll(ctx, tx, scanRelationship, `SELECT `+relationshipColumns+relationshipFrom+`
		WHERE r.customer_id = ? AND r.status = ?`, customerID, domain.RelationshipExpire.From())
	if err != nil {
		return err
	}
	for _, r := range waiting {
		if _, err := r.Transition(domain.RelationshipExpire, now); err != nil {
			continue // still current
		}
		if err := moveRelationship(ctx, tx, r, domain.RelationshipExpire, now, relationshipUpdate{set: `, token_hash = NULL`}); err != nil {
			return err
		}
	}
	return nil
}

// CreateInvitation stores a new request and the draft of its message. A
// customer with an open request or an active relationship gets
// domain.ErrRelationshipOpen, decided on the request read in the transaction
// and guarded by the unique index of open requests.
func (s *Store) CreateInvitation(ctx context.Context, actor domain.Actor, inv domain.NewInvitation) (int64, error) {
	var id int64
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		now := s.now()
		req := inv.Request
		if err := expireStale(ctx, tx, req.CustomerID, now); err != nil {
			return err
		}
		var open *domain.RelationshipRequest
		switch r, err := openRelationship(ctx, tx, req.CustomerID); {
		case err == nil:
			open = &r
		case !errors.Is(err, domain.ErrNotFound):
			return err
		}
		if err := domain.CanRequestRelationship(open, now); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO relationship_requests (customer_id, status, token_hash, recipient_name, recipient_email,
			created_by, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			req.CustomerID, domain.StatusPending, inv.TokenHash, req.RecipientName, req.RecipientEmail,
			actor.UserID, formatTime(now), formatTime(inv.ExpiresAt))
		if err != nil && strings.Contains(err.Error(), "UNIQUE constraint failed: relationship_requests.customer_id") {
			return domain.ErrRelationshipOpen
		}
		if err != nil {
			return err
		}
		if id, err = res.LastInsertId(); err != nil {
			return err
		}
		if req.GDAP != nil {
			if err := insertGDAP(ctx, tx, actor, now, id, req.CustomerID, *req.GDAP); err != nil {
				return err
			}
		}
		if err := insertDraft(ctx, tx, now, id, inv.Draft); err != nil {
			return err
		}
		return appendAudit(ctx, tx, now, domain.AuditEntry{ActorID: actor.UserID, CustomerID: req.CustomerID, ClientIP: actor.ClientIP,
			Action: domain.AuditInvitationCreated, Target: fmt.Sprintf("relationship:%d", id), Detail: "to " + req.RecipientEmail})
	})
	return id, err
}

func insertDraft(ctx context.Context, tx *sql.Tx, now time.Time, relationshipID int64, m domain.EmailMessage) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO outbox (relationship_id, to_addr, subject, body, status, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
		relationshipID, m.To, m.Subject, m.Body, domain.MessageDraft, formatTime(now))
	return err
}

// cancelMessages withdraws a request's unsent messages, for reason, and
// removes the link from them: the token they carry is dead.
func cancelMessages(ctx context.Context, tx *sql.Tx, relationshipID int64, reason string) error {
	return cancelMessagesWhere(ctx, tx, reason, `relationship_id = ?`, relationshipID)
}

// cancelMessagesWhere withdraws the unsent messages that cond selects, for
// reason, and removes the links from them.
func cancelMessagesWhere(ctx context.Context, tx *sql.Tx, reason, cond string, args ...any) error {
	type msg struct {
		id   int64
		body string
	}
	msgs, err := queryAll(ctx, tx, func(row scanner) (msg, error) {
		var m msg
		err := row.Scan(&m.id, &m.body)
		return m, err
	}, `SELECT id, body FROM outbox WHERE `+cond+` AND status IN (?, ?, ?)`, append(args, domain.MessageDraft, domain.MessageQueued, domain.MessageFailed)...)
	if err != nil {
		return err
	}
	for _, m := range msgs {
		if _, err := tx.ExecContext(ctx, `UPDATE outbox SET status = ?, status_reason = ?, body = ? WHERE id = ?`, domain.MessageCancelled,
			reason, domain.ScrubInvitationLinks(m.body), m.id); err != nil {
			return err
		}
	}
	return nil
}

// RelationshipRequest returns one request.
func (s *Store) RelationshipRequest(ctx context.Context, id int64) (domain.RelationshipRequest, error) {
	return relationshipWhere(ctx, s.read, `r.id = ?`, id)
}

// OpenRelationship returns a customer's pending, accepted or active request,
// or domain.ErrNotFound when it has none.
func (s *Store) OpenRelationship(ctx context.Context, customerID int64) (domain.RelationshipRequest, error) {
	return openRelationship(ctx, s.read, customerID)
}

// openRelationship is OpenRelationship through db.
func openRelationship(ctx context.Context, db querier, customerID int64) (domain.RelationshipRequest, error) {
	return relationshipWhere(ctx, db, `r.customer_id = ? AND r.status IN (?, ?, ?)`, customerID,
		domain.StatusPending, domain.StatusAccepted, domain.StatusActive)
}

// RelationshipByToken returns the request whose token hashes to tokenHash,
// whatever its state; it changes nothing.
func (s *Store) RelationshipByToken(ctx context.Context, tokenHash []byte) (domain.RelationshipRequest, error) {
	return relationshipWhere(ctx, s.read, `r.token_hash = ?`, tokenHash)
}

// AnswerInvitation records the customer's acceptance or refusal and uses up
// the token: the domain decides on the request read in the transaction, and
// one conditional update on its state, expiry and token writes the answer,
// so of simultaneous answers exactly one wins. Any other case is
// domain.ErrNotFound, the same for unknown, used, revoked and expired links.
func (s *Store) AnswerInvitation(ctx context.Context, tokenHash []byte, a domain.InvitationAnswer) (domain.RelationshipRequest, error) {
	var id int64
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		now := s.now()
		change, action := domain.RelationshipDecline, domain.AuditInvitationDeclined
		if a.Accept {
			change, action = domain.RelationshipAccept, domain.AuditInvitationAccepted
		}
		r, err := relationshipWhere(ctx, tx, `r.token_hash = ?`, tokenHash)
		if err != nil {
			return err
		}
		err = moveRelationship(ctx, tx, r, change, now, relationshipUpdate{set: `, token_hash = NULL, accepted_name = ?, accepted_email = ?, answered_at = ?`,
			args: []any{a.Name, a.Email, formatTime(now)}, token: tokenHash})
		if errors.Is(err, domain.ErrConflict) {
			return domain.ErrNotFound // a dead link tells nothing about why
		}
		if err != nil {
			return err
		}
		id = r.ID
		if a.Accept && a.Attestation != nil {
			at := *a.Attestation
			at.AcceptedAt = now
			if err := insertAttestation(ctx, tx, id, at); err != nil {
				return err
			}
		}
		return appendAudit(ctx, tx, now, domain.AuditEntry{CustomerID: r.CustomerID, ClientIP: a.ClientIP, Action: action,
			Target: fmt.Sprintf("relationship:%d", id), Detail: "by " + a.Name + " <" + a.Email + ">"})
	})
	if err != nil {
		return domain.RelationshipRequest{}, err
	}
	return s.RelationshipRequest(ctx, id)
}

// staffChange is one change of a request's state by partner staff.
type staffChange struct {
	change domain.RelationshipChange
	action domain.AuditAction
	update relationshipUpdate
	// then runs in the same transaction after the change, when set.
	then func(ctx context.Context, tx *sql.Tx, now time.Time) error
}

// changeRelationship makes ch to request id, read in the transaction, with
// its audit entry. An unknown request is domain.ErrNotFound; one in another
// state gets the domain.ConflictError of ch saying why.
func (s *Store) changeRelationship(ctx context.Context, actor domain.Actor, id int64, ch staffChange, detail string) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		now := s.now()
		r, err := relationshipWhere(ctx, tx, `r.id = ?`, id)
		if err != nil {
			return err
		}
		if err := moveRelationship(ctx, tx, r, ch.change, now, ch.update); err != nil {
			return err
		}
		if ch.then != nil {
			if err := ch.then(ctx, tx, now); err != nil {
				return err
			}
		}
		return appendAudit(ctx, tx, now, domain.AuditEntry{ActorID: actor.UserID, CustomerID: r.CustomerID, ClientIP: actor.ClientIP,
			Action: ch.action, Target: fmt.Sprintf("relationship:%d", id), Detail: detail})
	})
}

// ResendInvitation gives a pending request a new token, expiry and draft
// message; the old link stops working at once.
func (s *Store) ResendInvitation(ctx context.Context, actor domain.Actor, id int64, tokenHash []byte, expiresAt time.Time, draft domain.EmailMessage) error {
	return s.changeRelationship(ctx, actor, id, staffChange{change: domain.RelationshipResend, action: domain.AuditInvitationResent,
		update: relationshipUpdate{set: `, token_hash = ?, expires_at = ?, sent_count = sent_count + 1`, args: []any{tokenHash, formatTime(expiresAt)}},
		then: func(ctx context.Context, tx *sql.Tx, now time.Time) error {
			return insertDraft(ctx, tx, now, id, draft)
		}}, "to "+draft.To)
}

// RevokeInvitation withdraws a pending request; its link stops working.
func (s *Store) RevokeInvitation(ctx context.Context, actor domain.Actor, id int64) error {
	return s.changeRelationship(ctx, actor, id, staffChange{change: domain.RelationshipRevoke, action: domain.AuditInvitationRevoked,
		update: relationshipUpdate{set: `, token_hash = NULL, ended_by = ?, ended_at = ?`, args: []any{actor.UserID, formatTime(s.now())}}}, "")
}

// ReviewRelationship verifies by hand (making the relationship active) or
// rejects a request the customer accepted.
func (s *Store) ReviewRelationship(ctx context.Context, actor domain.Actor, id int64, verify bool, reason string) error {
	change, action, detail := domain.RelationshipReject, domain.AuditRelationshipRejected, reason
	if verify {
		change, action, detail = domain.RelationshipVerify, domain.AuditRelationshipVerified, domain.VerifiedByHand
	}
	return s.changeRelationship(ctx, actor, id, staffChange{change: change, action: action,
		update: relationshipUpdate{set: `, reviewed_by = ?, reviewed_at = ?, reason = ?`, args: []any{actor.UserID, formatTime(s.now()), reason}}}, detail)
}

// RemoveRelationship ends an active relationship.
func (s *Store) RemoveRelationship(ctx context.Context, actor domain.Actor, id int64, reason string) error {
	return s.changeRelationship(ctx, actor, id, staffChange{change: domain.RelationshipRemove, action: domain.AuditRelationshipRemoved,
		update: relationshipUpdate{set: `, ended_by = ?, ended_at = ?, reason = ?`, args: []any{actor.UserID, formatTime(s.now()), reason}}}, reason)
}

// ListRelationships returns one page of requests, newest first, in the
// effective state asked for (all when empty). How many there are is the
// counters' (RelationshipCounts), or CountRelationships' for those expiring
// soon: counting them here cost a read of every request of the state, and
// of the whole table for all of them, on each view.
func (s *Store) ListRelationships(ctx context.Context, f domain.RelationshipFilter, now time.Time) ([]domain.RelationshipRequest, error) {
	where, args := effectiveWhere("r", f, domain.StatusPending, domain.StatusExpired, now)
	return queryAll(ctx, s.read, newRelationshipScan().scan, `SELECT `+relationshipColumns+relationshipFrom+where+` ORDER BY r.id DESC LIMIT ? OFFSET ?`,
		append(args, f.Page.Size, f.Page.Offset())...)
}

// CountRelationships counts the requests f selects, on the index of states
// and expiries: for the pending requests expiring within a time, which the
// counters by state do not say.
func (s *Store) CountRelationships(ctx context.Context, f domain.RelationshipFilter, now time.Time) (int, error) {
	where, args := effectiveWhere("r", f, domain.StatusPending, domain.StatusExpired, now)
	var n int
	err := s.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM relationship_requests r`+where, args...).Scan(&n)
	return n, err
}

// RelationshipCounts counts the requests in each effective state: the
// counters of relationship_counts (migration 00028), a row per stored state,
// with the pending requests past their expiry, found on the index of states
// and expiries, moved to expired.
func (s *Store) RelationshipCounts(ctx context.Context, now time.Time) (map[domain.RelationshipStatus]int, error) {
	counts, err := countByState[domain.RelationshipStatus](ctx, s.read, `SELECT status, n FROM relationship_counts WHERE n > 0`)
	if err != nil {
		return nil, err
	}
	var lapsed int
	if err := s.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM relationship_requests WHERE status = ? AND expires_at <= ?`,
		domain.StatusPending, formatTime(now)).Scan(&lapsed); err != nil {
		return nil, err
	}
	moveCount(counts, domain.StatusPending, domain.StatusExpired, lapsed)
	return counts, nil
}

// InvitationDraft returns the unsent message of a request, or
// domain.ErrNotFound when it has been sent or withdrawn.
func (s *Store) InvitationDraft(ctx context.Context, relationshipID int64) (domain.EmailMessage, error) {
	m, err := scanOutbox(s.read.QueryRowContext(ctx, `SELECT `+outboxColumns+`
		FROM outbox WHERE relationship_id = ? AND status IN (?, ?) ORDER BY id DESC LIMIT 1`, relationshipID, domain.MessageDraft, domain.MessageQueued))
	if errors.Is(err, sql.ErrNoRows) {
		return m, domain.ErrNotFound
	}
	return m, err
}

// UpdateDraft replaces the subject and body of draft d (d.ID), not sent
// yet, when d.Version is the version stored: otherwise someone saved the
// draft since the form was filled, and the refusal is a domain.Stale with
// the draft as stored.
func (s *Store) UpdateDraft(ctx context.Context, actor domain.Actor, d domain.EmailMessage) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		m, err := scanOutbox(tx.QueryRowContext(ctx, `SELECT `+outboxColumns+` FROM outbox WHERE id = ?`, d.ID))
		if errors.Is(err, sql.ErrNoRows) {
			return domain.ErrMessageNotDraft
		}
		if err != nil {
			return err
		}
		to, err := m.Status.DraftTransition(domain.DraftEdit)
		if err != nil {
			return err
		}
		if err := checkVersion(ctx, tx, outboxVersioned, d.ID, m, m.Version, d.Version); err != nil {
			return err
		}
		now := s.now()
		return updateOne(ctx, tx, domain.ErrMessageNotDraft,
			`UPDATE outbox SET status = ?, subject = ?, body = ?, `+nextVersion+` WHERE id = ? AND status = ? AND version = ?`,
			append(append([]any{to, d.Subject, d.Body}, savedBy(actor, now)...), d.ID, m.Status, m.Version)...)
	})
}

// QueueDraft hands a draft to the sender.
func (s *Store) QueueDraft(ctx context.Context, id int64) error {
	return s.changeDraft(ctx, id, domain.DraftQueue, `, next_attempt_at = ?`, formatTime(s.now()))
}

// MarkDraftSentByHand records that partner staff sent the message
// themselves, and removes the link from it.
func (s *Store) MarkDraftSentByHand(ctx context.Context, id int64, scrubbedBody string) error {
	err := s.changeDraft(ctx, id, domain.DraftSentByHand, `, sent_at = ?, body = ?`, formatTime(s.now()), scrubbedBody)
	if err == nil {
		s.forgetOldPages(ctx)
	}
	return err
}

// changeDraft makes change c to draft id through changeMessage; a message
// that is gone, or changed since it was read, is refused as one sent or
// withdrawn.
func (s *Store) changeDraft(ctx context.Context, id int64, c domain.DraftChange, set string, args ...any) error {
	decide := func(from domain.MessageStatus) (domain.MessageStatus, error) { return from.DraftTransition(c) }
	return s.changeMessage(ctx, id, decide, domain.ErrMessageNotDraft, nil, set, args...)
}
