package main

import (
	"context"
	"time"

	"github.com/wingtip/multichannel/internal/smtpmail"
	"github.com/wingtip/multichannel/internal/sqlite"
)

// outboxQueue lets the SMTP worker read and update the outbox in the SQLite
// store; the two adapters meet only here, through plain values.
type outboxQueue struct{ store *sqlite.Store }

func (q outboxQueue) Due(ctx context.Context, now time.Time, limit int) ([]smtpmail.Message, error) {
	msgs, err := q.store.DueOutbox(ctx, now, limit)
	if err != nil {
		return nil, err
	}
	out := make([]smtpmail.Message, len(msgs))
	for i, m := range msgs {
		out[i] = smtpmail.Message{ID: m.ID, To: m.To, Subject: m.Subject, Body: m.Body, Attempts: m.Attempts}
	}
	return out, nil
}

func (q outboxQueue) Sent(ctx context.Context, id int64, at time.Time, scrubbedBody string) error {
	return q.store.MarkOutboxSent(ctx, id, at, scrubbedBody)
}

func (q outboxQueue) Failed(ctx context.Context, id int64, attempts int, lastErr string, next time.Time) error {
	return q.store.MarkOutboxFailed(ctx, id, attempts, lastErr, next)
}
