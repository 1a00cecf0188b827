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

// maxOutboxError bounds the stored delivery error: an SMTP server's reply can
// be long, and only its gist is useful on the outbox page.
const maxOutboxError = 500

// outboxColumns include the customer of a message's request, looked up by
// primary key, so that lists can link to it without a query per row.
const outboxColumns = `id, COALESCE(relationship_id, 0),
	COALESCE((SELECT r.customer_id FROM relationship_requests r WHERE r.id = outbox.relationship_id), 0), to_addr, subject, body, status, attempts, last_error, next_attempt_at, created_at, sent_at, version,
	status_reason`

func scanOutbox(row scanner) (domain.EmailMessage, error) {
	var m domain.EmailMessage
	var next, sent nullTimeColumn
	err := row.Scan(&m.ID, &m.RelationshipID, &m.CustomerID, &m.To, &m.Subject, &m.Body, &m.Status, &m.Attempts, &m.LastError,
		&next, timeColumn{&m.CreatedAt}, &sent, &m.Version, &m.StatusReason)
	m.NextAttemptAt, m.SentAt = next.t, sent.t
	return m, err
}

// dueOutboxQuery selects the due messages; its arguments are the queued
// state, the time and the limit. A test checks its query plan.
const dueOutboxQuery = `SELECT ` + outboxColumns + ` FROM outbox
	WHERE status = ? AND (next_attempt_at IS NULL OR next_attempt_at <= ?)
	ORDER BY next_attempt_at, id LIMIT ?`

// DueOutbox returns up to limit queued messages whose next attempt is due at
// now, those never tried first, then in the order they fell due. That order
// is the outbox_due index's (status, next_attempt_at, id; NULL sorts first),
// so the query walks the queued part of the index and sorts nothing.
func (s *Store) DueOutbox(ctx context.Context, now time.Time, limit int) ([]domain.EmailMessage, error) {
	return queryAll(ctx, s.read, scanOutbox, dueOutboxQuery, domain.MessageQueued, formatTime(now), limit)
}

// MarkOutboxSent records that a queued message was delivered at at. The body
// is replaced by scrubbedBody so that a delivered invitation keeps no usable
// token. A message that is not queued (already sent, cancelled, unknown) is
// domain.ErrMessageNotQueued, so two senders cannot both record one delivery.
func (s *Store) MarkOutboxSent(ctx context.Context, id int64, at time.Time, scrubbedBody string) error {
	err := s.deliveryChange(ctx, id, domain.DeliveryDone, nil, `, sent_at = ?, body = ?, last_error = ''`, formatTime(at), scrubbedBody)
	if err == nil {
		s.forgetOldPages(ctx)
	}
	return err
}

// MarkOutboxFailed records a failed delivery of a queued message that will
// be tried again: how many attempts were made, the last error and when to
// try again. A message that is no longer queued is
// domain.ErrMessageNotQueued, so a failure reported late cannot undo a
// cancellation or a delivery.
func (s *Store) MarkOutboxFailed(ctx context.Context, id int64, attempts int, lastErr string, next time.Time) error {
	return s.deliveryChange(ctx, id, domain.DeliveryRetry, nil, `, attempts = ?, last_error = ?, next_attempt_at = ?`,
		attempts, outboxError(lastErr), formatTime(next))
}

// MarkOutboxUndeliverable records that the sender gave up on a queued
// message after attempts attempts: it is failed, with reason (the server's
// reply) shown on the outbox, until staff send it again. The body keeps its
// link, so that sending it again still works.
func (s *Store) MarkOutboxUndeliverable(ctx context.Context, id int64, attempts int, reason string) error {
	return s.deliveryChange(ctx, id, domain.DeliveryGiveUp, nil, `, attempts = ?, last_error = ?, next_attempt_at = NULL`,
		attempts, outboxError(reason))
}

// SendMessageAgain hands a failed message back to the sender, due at once,
// with its attempts counted from zero again, and writes the
// message_sent_again audit entry (with the reason it had failed) in the same
// transaction. A message that has not failed is domain.ErrMessageNotFailed.
func (s *Store) SendMessageAgain(ctx context.Context, actor domain.Actor, id int64) error {
	now := s.now()
	audit := func(tx *sql.Tx, m domain.EmailMessage) error {
		return appendAudit(ctx, tx, now, domain.AuditEntry{ActorID: actor.UserID, CustomerID: m.CustomerID, ClientIP: actor.ClientIP,
			Action: domain.AuditMessageSentAgain, Target: fmt.Sprintf("outbox:%d", id), Detail: "to " + m.To + "; it had failed: " + m.LastError})
	}
	return s.deliveryChange(ctx, id, domain.DeliverySendAgain, audit, `, attempts = 0, last_error = '', next_attempt_at = ?`, formatTime(now))
}

// outboxError is a delivery error as stored: at most maxOutboxError bytes.
// Cutting at a byte count can split a UTF-8 sequence; ToValidUTF8 drops the
// broken tail so the page that shows the error gets valid text.
func outboxError(text string) string {
	return strings.ToValidUTF8(truncate(text, maxOutboxError), "")
}

// deliveryChange makes change c to message id through changeMessage,
// refusing with the conflict the domain names for c.
func (s *Store) deliveryChange(ctx context.Context, id int64, c domain.DeliveryChange, also func(*sql.Tx, domain.EmailMessage) error,
	set string, args ...any) error {
	decide := func(from domain.MessageStatus) (domain.MessageStatus, error) { return from.DeliveryTransition(c) }
	return s.changeMessage(ctx, id, decide, c.Refused(), also, set, args...)
}

// changeMessage changes the state of message id: decide, the domain's rule,
// says on the message read in the transaction what it moves to, and a
// conditional update on the state it read writes the new one with the extra
// assignments of set; also, when given, writes what goes with the change
// (its audit entry) in the same transaction. A message that is gone, or
// changed since it was read, is refused.
func (s *Store) changeMessage(ctx context.Context, id int64, decide func(domain.MessageStatus) (domain.MessageStatus, error), refused error,
	also func(*sql.Tx, domain.EmailMessage) error, set string, args ...any) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		m, err := scanOutbox(tx.QueryRowContext(ctx, `SELECT `+outboxColumns+` FROM outbox WHERE id = ?`, id))
		if errors.Is(err, sql.ErrNoRows) {
			return refused
		}
		if err != nil {
			return err
		}
		to, err := decide(m.Status)
		if err != nil {
			return err
		}
		if err := updateOne(ctx, tx, refused, `UPDATE outbox SET status = ?`+set+` WHERE id = ? AND status = ?`,
			append(append([]any{to}, args...), id, m.Status)...); err != nil {
			return err
		}
		if also != nil {
			return also(tx, m)
		}
		return nil
	})
}

// ListOutbox returns one page of the outbox, newest first, and how many
// messages it holds in all. Ids grow with time, so ordering by the primary
// key gives the newest first without another index.
func (s *Store) ListOutbox(ctx context.Context, page domain.Page) ([]domain.EmailMessage, int, error) {
	return queryPage(ctx, s.read, scanOutbox, `SELECT COUNT(*) FROM outbox`,
		`SELECT `+outboxColumns+` FROM outbox ORDER BY id DESC LIMIT ? OFFSET ?`, nil, page)
}
