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

const relationshipColumns = `r.id, r.customer_id, c.name, r.status, r.recipient_name, r.recipient_email, r.admin_roles, r.admin_days,
	r.auto_extend, r.created_by, COALESCE(cu.name, ''), r.created_at, r.expires_at, r.sent_count, r.accepted_name, r.accepted_email,
	r.answered_at, COALESCE(ru.name, ''), r.reviewed_at, COALESCE(eu.name, ''), r.ended_at, r.reason`

const relationshipFrom = ` FROM relationship_requests r
	JOIN customers c ON c.id = r.customer_id
	LEFT JOIN users cu ON cu.id = r.created_by
	LEFT JOIN users ru ON ru.id = r.reviewed_by
	LEFT JOIN users eu ON eu.id = r.ended_by`

func scanRelationship(row scanner) (domain.RelationshipRequest, error) {
	var r domain.RelationshipRequest
	var roles string
	var answered, reviewed, ended nullTimeColumn
	err := row.Scan(&r.ID, &r.CustomerID, &r.CustomerName, &r.Status, &r.RecipientName, &r.RecipientEmail, &roles, &r.AdminDays,
		&r.AutoExtend, &r.CreatedBy, &r.CreatedByName, timeColumn{&r.CreatedAt}, timeColumn{&r.ExpiresAt}, &r.SentCount,
		&r.AcceptedName, &r.AcceptedEmail, &answered, &r.ReviewedByName, &reviewed, &r.EndedByName, &ended, &r.Reason)
	if errors.Is(err, sql.ErrNoRows) {
		return r, domain.ErrNotFound
	}
	for _, role := range strings.Split(roles, ",") {
		if role != "" {
			r.AdminRoles = append(r.AdminRoles, domain.AdminRole(role))
		}
	}
	r.AnsweredAt, r.ReviewedAt, r.EndedAt = answered.t, reviewed.t, ended.t
	return r, err
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

// requireActiveRelationship refuses, with reason, a change to a customer
// whose reseller relationship is not active, as the transaction sees it.
func requireActiveRelationship(ctx context.Context, tx *sql.Tx, customerID int64, reason string) error {
	var active bool
	if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM relationship_requests WHERE customer_id = ? AND status = ?)`,
		customerID, domain.StatusActive).Scan(&active); err != nil {
		return err
	}
	if !active {
		return domain.Conflict(reason)
	}
	return nil
}

// expireStale writes down the expiry of a customer's pending requests past
// their time, so that they no longer block a new one, and withdraws their
// unsent messages, whose links are dead.
func expireStale(ctx context.Context, tx *sql.Tx, customerID int64, now time.Time) error {
	expired, err := queryAll(ctx, tx, scanID, `UPDATE relationship_requests SET status = ?, token_hash = NULL
		WHERE customer_id = ? AND status = ? AND expires_at <= ? RETURNING id`, domain.StatusExpired, customerID, domain.StatusPending, formatTime(now))
	if err != nil {
		return err
	}
	for _, id := range expired {
		if err := cancelMessages(ctx, tx, id); err != nil {
			return err
		}
	}
	return nil
}

// CreateInvitation stores a new request and the draft of its message. A
// customer with an open request or an active relationship gets a
// domain.ConflictError.
func (s *Store) CreateInvitation(ctx context.Context, actor domain.Actor, inv domain.NewInvitation) (int64, error) {
	var id int64
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		now := s.now()
		req := inv.Request
		if err := expireStale(ctx, tx, req.CustomerID, now); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO relationship_requests (customer_id, status, token_hash, recipient_name, recipient_email,
			admin_roles, admin_days, auto_extend, created_by, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			req.CustomerID, domain.StatusPending, inv.TokenHash, req.RecipientName, req.RecipientEmail, joinCodes(req.AdminRoles), req.AdminDays, req.AutoExtend,
			actor.UserID, formatTime(now), formatTime(inv.ExpiresAt))
		if err != nil && strings.Contains(err.Error(), "UNIQUE constraint failed: relationship_requests.customer_id") {
			return domain.Conflict("This customer already has an open request or an active relationship: revoke or end it before sending a new one.")
		}
		if err != nil {
			return err
		}
		if id, err = res.LastInsertId(); err != nil {
			return err
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

// cancelMessages withdraws a request's unsent messages and removes the link
// from them: the token they carry is dead.
func cancelMessages(ctx context.Context, tx *sql.Tx, relationshipID int64) error {
	return cancelMessagesWhere(ctx, tx, `relationship_id = ?`, relationshipID)
}

// cancelMessagesWhere withdraws the unsent messages that cond selects and
// removes the links from them.
func cancelMessagesWhere(ctx context.Context, tx *sql.Tx, cond string, args ...any) error {
	type msg struct {
		id   int64
		body string
	}
	msgs, err := queryAll(ctx, tx, func(row scanner) (msg, error) {
		var m msg
		err := row.Scan(&m.id, &m.body)
		return m, err
	}, `SELECT id, body FROM outbox WHERE `+cond+` AND status IN (?, ?)`, append(args, domain.MessageDraft, domain.MessageQueued)...)
	if err != nil {
		return err
	}
	for _, m := range msgs {
		if _, err := tx.ExecContext(ctx, `UPDATE outbox SET status = ?, body = ? WHERE id = ?`, domain.MessageCancelled,
			domain.ScrubInvitationLinks(m.body), m.id); err != nil {
			return err
		}
	}
	return nil
}

// RelationshipRequest returns one request.
func (s *Store) RelationshipRequest(ctx context.Context, id int64) (domain.RelationshipRequest, error) {
	return scanRelationship(s.read.QueryRowContext(ctx, `SELECT `+relationshipColumns+relationshipFrom+` WHERE r.id = ?`, id))
}

// OpenRelationship returns a customer's pending, accepted or active request,
// or domain.ErrNotFound when it has none.
func (s *Store) OpenRelationship(ctx context.Context, customerID int64) (domain.RelationshipRequest, error) {
	return scanRelationship(s.read.QueryRowContext(ctx, `SELECT `+relationshipColumns+relationshipFrom+`
		WHERE r.customer_id = ? AND r.status IN (?, ?, ?)`, customerID, domain.StatusPending, domain.StatusAccepted, domain.StatusActive))
}

// RelationshipByToken returns the request whose token hashes to tokenHash,
// whatever its state; it changes nothing.
func (s *Store) RelationshipByToken(ctx context.Context, tokenHash []byte) (domain.RelationshipRequest, error) {
	return scanRelationship(s.read.QueryRowContext(ctx, `SELECT `+relationshipColumns+relationshipFrom+` WHERE r.token_hash = ?`, tokenHash))
}

// AnswerInvitation records the customer's acceptance or refusal and uses up
// the token, in one conditional update: only a pending, unexpired request
// with this token changes, so of simultaneous answers exactly one wins. Any
// other case is domain.ErrNotFound, the same for unknown, used, revoked and
// expired links.
func (s *Store) AnswerInvitation(ctx context.Context, tokenHash []byte, a domain.InvitationAnswer) (domain.RelationshipRequest, error) {
	var id, customerID int64
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		now := s.now()
		status, action := domain.StatusDeclined, domain.AuditInvitationDeclined
		if a.Accept {
			status, action = domain.StatusAccepted, domain.AuditInvitationAccepted
		}
		err := tx.QueryRowContext(ctx, `UPDATE relationship_requests SET status = ?, token_hash = NULL, accepted_name = ?, accepted_email = ?,
			answered_at = ? WHERE token_hash = ? AND status = ? AND expires_at > ? RETURNING id, customer_id`,
			status, a.Name, a.Email, formatTime(now), tokenHash, domain.StatusPending, formatTime(now)).Scan(&id, &customerID)
		if errors.Is(err, sql.ErrNoRows) {
			return domain.ErrNotFound
		}
		if err != nil {
			return err
		}
		if err := cancelMessages(ctx, tx, id); err != nil {
			return err
		}
		return appendAudit(ctx, tx, now, domain.AuditEntry{CustomerID: customerID, ClientIP: a.ClientIP, Action: action,
			Target: fmt.Sprintf("relationship:%d", id), Detail: "by " + a.Name + " <" + a.Email + ">"})
	})
	if err != nil {
		return domain.RelationshipRequest{}, err
	}
	return s.RelationshipRequest(ctx, id)
}

// transition is one change of a request's state by partner staff.
type transition struct {
	from    domain.RelationshipStatus
	to      domain.RelationshipStatus
	action  domain.AuditAction
	set     string // extra assignments, each with one placeholder
	args    []any
	current bool // the request must not have expired
	refused string
	// then runs in the same transaction after the change, when set.
	then func(ctx context.Context, tx *sql.Tx, now time.Time) error
}

// changeRelationship applies t to request id as one conditional update on
// the expected state, with its audit entry. A request in another state gets a
// domain.ConflictError saying why.
func (s *Store) changeRelationship(ctx context.Context, actor domain.Actor, id int64, t transition, detail string) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		now := s.now()
		query := `UPDATE relationship_requests SET status = ?` + t.set + ` WHERE id = ? AND status = ?`
		args := append(append([]any{t.to}, t.args...), id, t.from)
		if t.current {
			query += ` AND expires_at > ?`
			args = append(args, formatTime(now))
		}
		var customerID int64
		err := tx.QueryRowContext(ctx, query+` RETURNING customer_id`, args...).Scan(&customerID)
		if errors.Is(err, sql.ErrNoRows) {
			if _, err := scanRelationship(tx.QueryRowContext(ctx, `SELECT `+relationshipColumns+relationshipFrom+` WHERE r.id = ?`, id)); err != nil {
				return err
			}
			return domain.Conflict(t.refused)
		}
		if err != nil {
			return err
		}
		// A pending request's messages carry a token that dies with this change.
		if t.from == domain.StatusPending {
			if err := cancelMessages(ctx, tx, id); err != nil {
				return err
			}
		}
		if t.then != nil {
			if err := t.then(ctx, tx, now); err != nil {
				return err
			}
		}
		return appendAudit(ctx, tx, now, domain.AuditEntry{ActorID: actor.UserID, CustomerID: customerID, ClientIP: actor.ClientIP,
			Action: t.action, Target: fmt.Sprintf("relationship:%d", id), Detail: detail})
	})
}

// ResendInvitation gives a pending request a new token, expiry and draft
// message; the old link stops working at once.
func (s *Store) ResendInvitation(ctx context.Context, actor domain.Actor, id int64, tokenHash []byte, expiresAt time.Time, draft domain.EmailMessage) error {
	return s.changeRelationship(ctx, actor, id, transition{from: domain.StatusPending, to: domain.StatusPending, action: domain.AuditInvitationResent,
		set: `, token_hash = ?, expires_at = ?, sent_count = sent_count + 1`, args: []any{tokenHash, formatTime(expiresAt)}, current: true,
		refused: "Only an invitation still waiting for the customer can be sent again.",
		then: func(ctx context.Context, tx *sql.Tx, now time.Time) error {
			return insertDraft(ctx, tx, now, id, draft)
		}}, "to "+draft.To)
}

// RevokeInvitation withdraws a pending request; its link stops working.
func (s *Store) RevokeInvitation(ctx context.Context, actor domain.Actor, id int64) error {
	return s.changeRelationship(ctx, actor, id, transition{from: domain.StatusPending, to: domain.StatusRevoked, action: domain.AuditInvitationRevoked,
		set: `, token_hash = NULL, ended_by = ?, ended_at = ?`, args: []any{actor.UserID, formatTime(s.now())}, current: true,
		refused: "Only an invitation still waiting for the customer can be revoked."}, "")
}

// ReviewRelationship approves (making the relationship active) or rejects a
// request the customer accepted.
func (s *Store) ReviewRelationship(ctx context.Context, actor domain.Actor, id int64, approve bool, reason string) error {
	to, action := domain.StatusRejected, domain.AuditRelationshipRejected
	if approve {
		to, action = domain.StatusActive, domain.AuditRelationshipApproved
	}
	return s.changeRelationship(ctx, actor, id, transition{from: domain.StatusAccepted, to: to, action: action,
		set: `, reviewed_by = ?, reviewed_at = ?, reason = ?`, args: []any{actor.UserID, formatTime(s.now()), reason},
		refused: "Only a request the customer has accepted can be approved or rejected."}, reason)
}

// RemoveRelationship ends an active relationship.
func (s *Store) RemoveRelationship(ctx context.Context, actor domain.Actor, id int64, reason string) error {
	return s.changeRelationship(ctx, actor, id, transition{from: domain.StatusActive, to: domain.StatusRemoved, action: domain.AuditRelationshipRemoved,
		set: `, ended_by = ?, ended_at = ?, reason = ?`, args: []any{actor.UserID, formatTime(s.now()), reason},
		refused: "Only an active relationship can be removed."}, reason)
}

// ListRelationships returns one page of requests, newest first, in the
// effective state asked for (all when empty), and how many there are.
func (s *Store) ListRelationships(ctx context.Context, f domain.RelationshipFilter, now time.Time) ([]domain.RelationshipRequest, int, error) {
	where, args := effectiveWhere("r", f, domain.StatusPending, domain.StatusExpired, now)
	return queryPage(ctx, s.read, scanRelationship, `SELECT COUNT(*) FROM relationship_requests r`+where,
		`SELECT `+relationshipColumns+relationshipFrom+where+` ORDER BY r.id DESC LIMIT ? OFFSET ?`, args, f.Page)
}

// RelationshipCounts counts the requests in each effective state.
func (s *Store) RelationshipCounts(ctx context.Context, now time.Time) (map[domain.RelationshipStatus]int, error) {
	type stateCount struct {
		status domain.RelationshipStatus
		n      int
	}
	list, err := queryAll(ctx, s.read, func(row scanner) (stateCount, error) {
		var sc stateCount
		err := row.Scan(&sc.status, &sc.n)
		return sc, err
	}, `SELECT `+effectiveStatusSQL("r")+`, COUNT(*) FROM relationship_requests r GROUP BY 1`,
		effectiveStatusArgs(domain.StatusPending, domain.StatusExpired, now)...)
	counts := make(map[domain.RelationshipStatus]int, len(list))
	for _, sc := range list {
		counts[sc.status] = sc.n
	}
	return counts, err
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

// UpdateDraft replaces the subject and body of a draft that is not sent yet.
func (s *Store) UpdateDraft(ctx context.Context, id int64, subject, body string) error {
	return s.changeDraft(ctx, id, `subject = ?, body = ?`, subject, body)
}

// QueueDraft hands a draft to the sender.
func (s *Store) QueueDraft(ctx context.Context, id int64) error {
	return s.changeDraft(ctx, id, `status = ?, next_attempt_at = ?`, domain.MessageQueued, formatTime(s.now()))
}

// MarkDraftSentByHand records that partner staff sent the message
// themselves, and removes the link from it.
func (s *Store) MarkDraftSentByHand(ctx context.Context, id int64, scrubbedBody string) error {
	err := s.changeDraft(ctx, id, `status = ?, sent_at = ?, body = ?`, domain.MessageSent, formatTime(s.now()), scrubbedBody)
	if err == nil {
		s.forgetOldPages(ctx)
	}
	return err
}

func (s *Store) changeDraft(ctx context.Context, id int64, set string, args ...any) error {
	res, err := s.write.ExecContext(ctx, `UPDATE outbox SET `+set+` WHERE id = ? AND status = ?`, append(args, id, domain.MessageDraft)...)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return domain.Conflict("This message has already been sent or withdrawn.")
	}
	return nil
}
