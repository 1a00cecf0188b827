package sqlite

import (
	"context"
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
	COALESCE((SELECT r.customer_id FROM relationship_requests r WHERE r.id = outbox.relationship_id), 0), to_addr, subject, body, status, attempts, last_error, next_attempt_at, created_at, sent_at`

func scanOutbox(row scanner) (domain.EmailMessage, error) {
	var m domain.EmailMessage
	var next, sent nullTimeColumn
	err := row.Scan(&m.ID, &m.RelationshipID, &m.CustomerID, &m.To, &m.Subject, &m.Body, &m.Status, &m.Attempts, &m.LastError,
		&next, timeColumn{&m.CreatedAt}, &sent)
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
// domain.ErrConflict, so two senders cannot both record one delivery.
func (s *Store) MarkOutboxSent(ctx context.Context, id int64, at time.Time, scrubbedBody string) error {
	err := updateQueued(ctx, s.write,
		`UPDATE outbox SET status = ?, sent_at = ?, body = ?, last_error = '' WHERE id = ? AND status = ?`,
		domain.MessageSent, formatTime(at), scrubbedBody, id, domain.MessageQueued)
	if err == nil {
		s.forgetOldPages(ctx)
	}
	return err
}

// MarkOutboxFailed records a failed delivery of a queued message: how many
// attempts were made, the last error and when to try again. A message that
// is no longer queued is domain.ErrConflict, so a failure reported late
// cannot undo a cancellation or a delivery.
func (s *Store) MarkOutboxFailed(ctx context.Context, id int64, attempts int, lastErr string, next time.Time) error {
	// Cutting at a byte count can split a UTF-8 sequence; ToValidUTF8 drops
	// the broken tail so the page that shows the error gets valid text.
	lastErr = strings.ToValidUTF8(truncate(lastErr, maxOutboxError), "")
	return updateQueued(ctx, s.write,
		`UPDATE outbox SET attempts = ?, last_error = ?, next_attempt_at = ? WHERE id = ? AND status = ?`,
		attempts, lastErr, formatTime(next), id, domain.MessageQueued)
}

// updateQueued runs a conditional update that must change exactly one row.
func updateQueued(ctx context.Context, db execer, query string, args ...any) error {
	return updateOne(ctx, db, domain.ErrConflict, query, args...)
}

// ListOutbox returns one page of the outbox, newest first, and how many
// messages it holds in all. Ids grow with time, so ordering by the primary
// key gives the newest first without another index.
func (s *Store) ListOutbox(ctx context.Context, page domain.Page) ([]domain.EmailMessage, int, error) {
	return queryPage(ctx, s.read, scanOutbox, `SELECT COUNT(*) FROM outbox`,
		`SELECT `+outboxColumns+` FROM outbox ORDER BY id DESC LIMIT ? OFFSET ?`, nil, page)
}
