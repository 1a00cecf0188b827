package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/wingtip/multichannel/internal/domain"
)

// obT0 is the fixed "now" of the outbox tests.
var obT0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// obInsert stores a message the way the code that writes the outbox does,
// with no relationship, and returns its id. next may be nil.
func obInsert(t *testing.T, s *Store, to, status string, next *time.Time, created time.Time) int64 {
	t.Helper()
	var nextCol any
	if next != nil {
		nextCol = formatTime(*next)
	}
	res, err := s.write.ExecContext(context.Background(),
		`INSERT INTO outbox (to_addr, subject, body, status, next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
		to, "Subject for "+to, "Open https://partner.example/invite/TOKEN-"+to, status, nextCol, formatTime(created))
	if err != nil {
		t.Fatal(err)
	}
	id, err := res.LastInsertId()
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func obIDs(msgs []domain.EmailMessage) []int64 {
	ids := make([]int64, len(msgs))
	for i, m := range msgs {
		ids[i] = m.ID
	}
	return ids
}

func TestDueOutboxHonoursStatusAndNextAttempt(t *testing.T) {
	s, _ := openTestStore(t)
	ctx := context.Background()
	past, future := obT0.Add(-time.Minute), obT0.Add(time.Minute)
	exactly := obT0
	retryDue := obInsert(t, s, "retry@a.example", "queued", &past, obT0.Add(-time.Hour))
	fresh := obInsert(t, s, "fresh@a.example", "queued", nil, obT0.Add(-time.Second))
	dueNow := obInsert(t, s, "now@a.example", "queued", &exactly, obT0.Add(-2*time.Hour))
	obInsert(t, s, "later@a.example", "queued", &future, obT0.Add(-3*time.Hour))
	obInsert(t, s, "draft@a.example", "draft", nil, obT0)
	obInsert(t, s, "sent@a.example", "sent", nil, obT0)
	obInsert(t, s, "cancelled@a.example", "cancelled", &past, obT0)

	due, err := s.DueOutbox(ctx, obT0, 20)
	if err != nil {
		t.Fatal(err)
	}
	// Never tried first, then in the order they fell due; not the draft, the
	// sent, the cancelled or the one due a minute from now.
	if got, want := fmt.Sprint(obIDs(due)), fmt.Sprint([]int64{fresh, retryDue, dueNow}); got != want {
		t.Fatalf("DueOutbox ids = %s; want %s", got, want)
	}
	m := due[0]
	if m.To != "fresh@a.example" || m.Subject != "Subject for fresh@a.example" || m.Status != "queued" ||
		m.RelationshipID != 0 || m.NextAttemptAt != nil || m.SentAt != nil || !m.CreatedAt.Equal(obT0.Add(-time.Second)) {
		t.Errorf("DueOutbox message = %+v", m)
	}
	if due[1].NextAttemptAt == nil || !due[1].NextAttemptAt.Equal(past) {
		t.Errorf("NextAttemptAt = %v; want %v", due[1].NextAttemptAt, past)
	}

	if due, err := s.DueOutbox(ctx, obT0, 2); err != nil || len(due) != 2 {
		t.Errorf("DueOutbox with limit 2 = %d messages, %v", len(due), err)
	}
	if due, err := s.DueOutbox(ctx, future, 20); err != nil || len(due) != 4 {
		t.Errorf("DueOutbox a minute later = %d messages, %v; want 4", len(due), err)
	}

	plan := strings.Join(ctPlan(t, s, dueOutboxQuery, domain.MessageQueued, formatTime(obT0), 20), "\n")
	if !strings.Contains(plan, "outbox_due") || strings.Contains(plan, "TEMP B-TREE") {
		t.Errorf("DueOutbox plan does not walk outbox_due in order:\n%s", plan)
	}
}

func TestMarkOutboxSentScrubsAndIsConditional(t *testing.T) {
	s, _ := openTestStore(t)
	ctx := context.Background()
	id := obInsert(t, s, "ga@b.example", "queued", nil, obT0)
	if err := s.MarkOutboxFailed(ctx, id, 1, "connection refused", obT0.Add(30*time.Second)); err != nil {
		t.Fatal(err)
	}
	at := obT0.Add(time.Minute)
	if err := s.MarkOutboxSent(ctx, id, at, "Open [link removed]"); err != nil {
		t.Fatal(err)
	}
	msgs, _, err := s.ListOutbox(ctx, domain.Page{Number: 1, Size: 10})
	if err != nil || len(msgs) != 1 {
		t.Fatalf("ListOutbox = %v, %v", msgs, err)
	}
	m := msgs[0]
	if m.Status != "sent" || m.Body != "Open [link removed]" || m.LastError != "" || m.SentAt == nil || !m.SentAt.Equal(at) {
		t.Errorf("after MarkOutboxSent: %+v", m)
	}
	var withToken int
	if err := s.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM outbox WHERE body LIKE '%TOKEN%'`).Scan(&withToken); err != nil || withToken != 0 {
		t.Errorf("%d delivered bodies still hold the token (%v)", withToken, err)
	}

	if err := s.MarkOutboxSent(ctx, id, at.Add(time.Second), "again"); !errors.Is(err, domain.ErrConflict) {
		t.Errorf("second MarkOutboxSent = %v; want ErrConflict", err)
	}
	if err := s.MarkOutboxFailed(ctx, id, 2, "late failure", at); !errors.Is(err, domain.ErrConflict) {
		t.Errorf("MarkOutboxFailed on a sent message = %v; want ErrConflict", err)
	}
	draft := obInsert(t, s, "draft@b.example", "draft", nil, obT0)
	if err := s.MarkOutboxSent(ctx, draft, at, "x"); !errors.Is(err, domain.ErrConflict) {
		t.Errorf("MarkOutboxSent on a draft = %v; want ErrConflict", err)
	}
	if err := s.MarkOutboxSent(ctx, 9999, at, "x"); !errors.Is(err, domain.ErrConflict) {
		t.Errorf("MarkOutboxSent on an unknown id = %v; want ErrConflict", err)
	}
	msgs, _, _ = s.ListOutbox(ctx, domain.Page{Number: 1, Size: 10})
	if len(msgs) != 2 || msgs[1].Body != "Open [link removed]" || !msgs[1].SentAt.Equal(at) || msgs[0].Status != "draft" {
		t.Errorf("a refused mark changed a message: %+v", msgs)
	}
}

func TestMarkOutboxFailedRecordsTheAttempt(t *testing.T) {
	s, _ := openTestStore(t)
	ctx := context.Background()
	id := obInsert(t, s, "ga@c.example", "queued", nil, obT0)
	next := obT0.Add(30 * time.Second)
	if err := s.MarkOutboxFailed(ctx, id, 1, "dial failed: connection refused", next); err != nil {
		t.Fatal(err)
	}
	if due, err := s.DueOutbox(ctx, obT0, 20); err != nil || len(due) != 0 {
		t.Errorf("a failed message is due before its next attempt: %d, %v", len(due), err)
	}
	due, err := s.DueOutbox(ctx, next, 20)
	if err != nil || len(due) != 1 {
		t.Fatalf("DueOutbox at the next attempt = %d, %v; want 1", len(due), err)
	}
	m := due[0]
	if m.Status != "queued" || m.Attempts != 1 || m.LastError != "dial failed: connection refused" ||
		m.NextAttemptAt == nil || !m.NextAttemptAt.Equal(next) || m.SentAt != nil {
		t.Errorf("after MarkOutboxFailed: %+v", m)
	}

	// A long reply is cut to 500 bytes without leaving half a UTF-8 character.
	long := "550 " + strings.Repeat("é", 400)
	if err := s.MarkOutboxFailed(ctx, id, 2, long, next.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	due, _ = s.DueOutbox(ctx, next.Add(time.Minute), 20)
	if len(due) != 1 || due[0].Attempts != 2 || len(due[0].LastError) > 500 || len(due[0].LastError) < 490 ||
		!utf8.ValidString(due[0].LastError) || !strings.HasPrefix(due[0].LastError, "550 éé") {
		t.Errorf("long error stored as %d bytes (valid UTF-8: %v)", len(due[0].LastError), utf8.ValidString(due[0].LastError))
	}

	cancelled := obInsert(t, s, "x@c.example", "cancelled", nil, obT0)
	if err := s.MarkOutboxFailed(ctx, cancelled, 1, "late", next); !errors.Is(err, domain.ErrConflict) {
		t.Errorf("MarkOutboxFailed on a cancelled message = %v; want ErrConflict", err)
	}
}

func TestListOutboxPaginatesNewestFirst(t *testing.T) {
	s, _ := openTestStore(t)
	ctx := context.Background()
	if msgs, total, err := s.ListOutbox(ctx, domain.Page{Number: 1, Size: 2}); err != nil || total != 0 || len(msgs) != 0 {
		t.Fatalf("empty outbox: %v, %d, %v", msgs, total, err)
	}
	var ids []int64
	for i, status := range []string{"queued", "sent", "draft", "cancelled", "queued"} {
		ids = append(ids, obInsert(t, s, fmt.Sprintf("m%d@d.example", i), status, nil, obT0.Add(time.Duration(i)*time.Minute)))
	}
	for _, tc := range []struct {
		page int
		want []int64
	}{
		{1, []int64{ids[4], ids[3]}},
		{2, []int64{ids[2], ids[1]}},
		{3, []int64{ids[0]}},
		{4, nil},
	} {
		msgs, total, err := s.ListOutbox(ctx, domain.Page{Number: tc.page, Size: 2})
		if err != nil || total != 5 || fmt.Sprint(obIDs(msgs)) != fmt.Sprint(tc.want) {
			t.Errorf("page %d = %v, total %d, %v; want %v, total 5", tc.page, obIDs(msgs), total, err, tc.want)
		}
	}
	msgs, _, _ := s.ListOutbox(ctx, domain.Page{Number: 1, Size: 1})
	if len(msgs) != 1 || msgs[0].To != "m4@d.example" || msgs[0].Status != "queued" || !msgs[0].CreatedAt.Equal(obT0.Add(4*time.Minute)) {
		t.Errorf("newest message = %+v", msgs)
	}
}

func TestUndeliverableMessageFailsUntilSentAgain(t *testing.T) {
	s, actor, _ := stSettings(t)
	ctx := context.Background()
	id := obInsert(t, s, "ga@e.example", "queued", nil, obT0)
	reason := "send failed: 550 5.1.1 mailbox unavailable"
	if err := s.MarkOutboxUndeliverable(ctx, id, 1, reason); err != nil {
		t.Fatal(err)
	}
	if due, err := s.DueOutbox(ctx, obT0.Add(24*time.Hour), 20); err != nil || len(due) != 0 {
		t.Errorf("a failed message is due: %d, %v", len(due), err)
	}
	msgs, _, _ := s.ListOutbox(ctx, domain.Page{Number: 1, Size: 10})
	if m := msgs[0]; m.Status != domain.MessageFailed || m.LastError != reason || m.Attempts != 1 || m.NextAttemptAt != nil ||
		!strings.Contains(m.Body, "TOKEN-") {
		t.Errorf("after MarkOutboxUndeliverable: %+v; want failed with the reason, its link kept", m)
	}
	// The sender's reports apply only to queued messages.
	if err := s.MarkOutboxUndeliverable(ctx, id, 2, "again"); !errors.Is(err, domain.ErrMessageNotQueued) {
		t.Errorf("MarkOutboxUndeliverable on a failed message = %v; want ErrMessageNotQueued", err)
	}
	if err := s.MarkOutboxSent(ctx, id, obT0, "x"); !errors.Is(err, domain.ErrMessageNotQueued) {
		t.Errorf("MarkOutboxSent on a failed message = %v; want ErrMessageNotQueued", err)
	}

	if err := s.SendMessageAgain(ctx, actor, id); err != nil {
		t.Fatal(err)
	}
	due, err := s.DueOutbox(ctx, rlT0, 20)
	if err != nil || len(due) != 1 || due[0].ID != id || due[0].Attempts != 0 || due[0].LastError != "" {
		t.Fatalf("after SendMessageAgain, due = %+v, %v; want the message, due now, attempts from zero", due, err)
	}
	entries := ctFindAudit(ctAudit(t, s), domain.AuditMessageSentAgain)
	if len(entries) != 1 || entries[0].ActorID != actor.UserID || entries[0].Target != fmt.Sprintf("outbox:%d", id) ||
		!strings.Contains(entries[0].Detail, "ga@e.example") || !strings.Contains(entries[0].Detail, reason) {
		t.Errorf("audit = %+v; want one message_sent_again entry naming the recipient and the reason", entries)
	}
	for _, other := range []int64{id, obInsert(t, s, "sent@e.example", "sent", nil, obT0), 9999} {
		if err := s.SendMessageAgain(ctx, actor, other); !errors.Is(err, domain.ErrMessageNotFailed) {
			t.Errorf("SendMessageAgain(%d) = %v; want ErrMessageNotFailed", other, err)
		}
	}
	if n := len(ctFindAudit(ctAudit(t, s), domain.AuditMessageSentAgain)); n != 1 {
		t.Errorf("%d message_sent_again entries; a refused one must write none", n)
	}

	// A failed message still holds its link: withdrawing the messages of its
	// request removes the link from it too.
	failed := obInsert(t, s, "ga2@e.example", "queued", nil, obT0)
	const token = "abcdefghijklmnopqrstuvwxyz0123456789-_ABCDE"
	if _, err := s.write.ExecContext(ctx, `UPDATE outbox SET body = ? WHERE id = ?`, "Open https://partner.example/invite/"+token, failed); err != nil {
		t.Fatal(err)
	}
	if err := s.MarkOutboxUndeliverable(ctx, failed, 1, reason); err != nil {
		t.Fatal(err)
	}
	if err := s.inTx(ctx, func(tx *sql.Tx) error { return cancelMessagesWhere(ctx, tx, "a test", `id = ?`, failed) }); err != nil {
		t.Fatal(err)
	}
	msgs, _, _ = s.ListOutbox(ctx, domain.Page{Number: 1, Size: 10})
	if m := msgs[0]; m.ID != failed || m.Status != domain.MessageCancelled || strings.Contains(m.Body, token) {
		t.Errorf("a withdrawn failed message: %+v; want cancelled without its link", m)
	}
}
