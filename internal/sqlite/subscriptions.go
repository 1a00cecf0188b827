package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/wingtip/multichannel/internal/domain"
)

const subscriptionColumns = `id, customer_id, product, service_type, channel, quantity, term_end, reference, notes, created_at, updated_at, version,
	commerce, term_length, billing_frequency, auto_renew, term_start, offer_id, offer_kind`

func scanSubscription(row scanner) (domain.Subscription, error) {
	var s domain.Subscription
	var termEnd, termStart sql.NullString
	err := row.Scan(&s.ID, &s.CustomerID, &s.Product, &s.ServiceType, &s.Channel, &s.Quantity, &termEnd, &s.Reference, &s.Notes,
		timeColumn{&s.CreatedAt}, timeColumn{&s.UpdatedAt}, &s.Version,
		&s.Commerce, &s.TermLength, &s.BillingFrequency, &s.AutoRenew, &termStart, &s.OfferID, &s.OfferKind)
	if errors.Is(err, sql.ErrNoRows) {
		return s, domain.ErrNotFound
	}
	if err != nil {
		return s, err
	}
	if s.TermEnd, err = parseDateColumn(termEnd); err != nil {
		return s, fmt.Errorf("subscription %d: term end: %w", s.ID, err)
	}
	if s.TermStart, err = parseDateColumn(termStart); err != nil {
		return s, fmt.Errorf("subscription %d: term start: %w", s.ID, err)
	}
	return s, nil
}

// parseDateColumn reads a nullable YYYY-MM-DD column.
func parseDateColumn(col sql.NullString) (*time.Time, error) {
	if !col.Valid {
		return nil, nil
	}
	t, err := time.Parse(domain.DateLayout, col.String)
	if err != nil {
		return nil, err
	}
	return &t, nil
}

func dateColumn(t *time.Time) sql.NullString {
	if t == nil {
		return sql.NullString{}
	}
	return sql.NullString{String: t.Format(domain.DateLayout), Valid: true}
}

// classDetail is the audit detail of what the rules read of s, the fields
// that decide its workflow.
func classDetail(s domain.Subscription) string {
	return fmt.Sprintf("channel=%s service_type=%s commerce=%s offer_id=%s", s.Channel, s.ServiceType, s.Commerce, s.OfferID)
}

func subscriptionTarget(s domain.Subscription) string {
	return fmt.Sprintf("subscription:%d %s", s.ID, s.Product)
}

func insertSubscription(ctx context.Context, tx execer, now time.Time, s domain.Subscription) (int64, error) {
	res, err := tx.ExecContext(ctx,
		`INSERT INTO subscriptions (customer_id, product, service_type, channel, quantity, term_end, reference, notes, created_at, updated_at,
		   commerce, term_length, billing_frequency, auto_renew, term_start, offer_id, offer_kind)
		 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		s.CustomerID, s.Product, s.ServiceType, s.Channel, s.Quantity, dateColumn(s.TermEnd), s.Reference, s.Notes,
		formatTime(now), formatTime(now), s.Commerce, s.TermLength, s.BillingFrequency, s.AutoRenew, dateColumn(s.TermStart), s.OfferID, s.OfferKind)
	if err != nil {
		return 0, err
	}
	return res.LastInsertId()
}

// AddSubscription stores a validated subscription for its customer.
func (s *Store) AddSubscription(ctx context.Context, actor domain.Actor, sub domain.Subscription) (int64, error) {
	err := s.inCustomerTx(ctx, sub.CustomerID, func(tx *sql.Tx) error {
		now := s.now()
		if err := touchCustomer(ctx, tx, sub.CustomerID, now); err != nil {
			return err
		}
		var err error
		if sub.ID, err = insertSubscription(ctx, tx, now, sub); err != nil {
			return err
		}
		return appendAudit(ctx, tx, now, domain.AuditEntry{ActorID: actor.UserID, CustomerID: sub.CustomerID, ClientIP: actor.ClientIP,
			Action: domain.AuditSubscriptionAdded, Target: subscriptionTarget(sub)})
	})
	return sub.ID, err
}

// UpdateSubscription replaces a subscription's fields, when sub.Version is
// the version stored: otherwise someone saved it since the form was filled,
// and the refusal is a domain.Stale with the subscription as stored. A
// removed subscription cannot be changed: that is domain.ErrNotFound.
func (s *Store) UpdateSubscription(ctx context.Context, actor domain.Actor, sub domain.Subscription) error {
	return s.changeSubscription(ctx, actor, sub.CustomerID, sub.ID, sub.Version, func(tx *sql.Tx, now time.Time, stored domain.Subscription) error {
		return updateOne(ctx, tx, domain.ErrConflict,
			`UPDATE subscriptions SET product = ?, service_type = ?, channel = ?, quantity = ?, term_end = ?, reference = ?, notes = ?,
			   commerce = ?, term_length = ?, billing_frequency = ?, auto_renew = ?, term_start = ?, offer_id = ?, offer_kind = ?,
			   updated_at = ?, `+nextVersion+` WHERE id = ? AND version = ?`,
			append(append([]any{sub.Product, sub.ServiceType, sub.Channel, sub.Quantity, dateColumn(sub.TermEnd), sub.Reference, sub.Notes,
				sub.Commerce, sub.TermLength, sub.BillingFrequency, sub.AutoRenew, dateColumn(sub.TermStart), sub.OfferID, sub.OfferKind,
				formatTime(now)}, savedBy(actor, now)...), sub.ID, stored.Version)...)
	}, func(domain.Subscription) domain.Subscription { return sub })
}

// ClassifySubscription sets a subscription's channel and service type and
// nothing else, when version is the version stored (see UpdateSubscription).
func (s *Store) ClassifySubscription(ctx context.Context, actor domain.Actor, customerID, id int64, version domain.Version,
	channel domain.Channel, service domain.ServiceType) error {
	return s.changeSubscription(ctx, actor, customerID, id, version, func(tx *sql.Tx, now time.Time, stored domain.Subscription) error {
		return updateOne(ctx, tx, domain.ErrConflict,
			`UPDATE subscriptions SET channel = ?, service_type = ?, updated_at = ?, `+nextVersion+` WHERE id = ? AND version = ?`,
			append(append([]any{channel, service, formatTime(now)}, savedBy(actor, now)...), id, stored.Version)...)
	}, func(stored domain.Subscription) domain.Subscription {
		stored.Channel, stored.ServiceType = channel, service
		return stored
	})
}

// changeSubscription runs a versioned change of a subscription still in its
// customer's inventory: it reads the row in the transaction, refuses a
// stale version, runs update, marks the customer's inventory changed and
// audits the subscription as the change leaves it (after).
func (s *Store) changeSubscription(ctx context.Context, actor domain.Actor, customerID, id int64, version domain.Version,
	update func(tx *sql.Tx, now time.Time, stored domain.Subscription) error, after func(stored domain.Subscription) domain.Subscription) error {
	return s.inCustomerTx(ctx, customerID, func(tx *sql.Tx) error {
		stored, err := scanSubscription(tx.QueryRowContext(ctx,
			`SELECT `+subscriptionColumns+` FROM subscriptions WHERE id = ? AND customer_id = ? AND removed_at IS NULL`, id, customerID))
		if err != nil {
			return err
		}
		if err := checkVersion(ctx, tx, subscriptionsVersioned, id, stored, stored.Version, version); err != nil {
			return err
		}
		now := s.now()
		if err := update(tx, now, stored); err != nil {
			return err
		}
		if err := touchCustomer(ctx, tx, customerID, now); err != nil {
			return err
		}
		sub := after(stored)
		return appendAudit(ctx, tx, now, domain.AuditEntry{ActorID: actor.UserID, CustomerID: customerID, ClientIP: actor.ClientIP,
			Action: domain.AuditSubscriptionChanged, Target: subscriptionTarget(sub),
			Detail: classDetail(sub)})
	})
}

// RemoveSubscription takes a subscription out of the inventory, when
// version is the version stored (a domain.Stale otherwise: nobody removes
// what someone else changed a moment ago unseen). The row is kept with who
// removed it and when, and the removal is audited.
func (s *Store) RemoveSubscription(ctx context.Context, actor domain.Actor, customerID, id int64, version domain.Version) error {
	return s.inCustomerTx(ctx, customerID, func(tx *sql.Tx) error {
		sub, err := scanSubscription(tx.QueryRowContext(ctx,
			`SELECT `+subscriptionColumns+` FROM subscriptions WHERE id = ? AND customer_id = ? AND removed_at IS NULL`, id, customerID))
		if err != nil {
			return err
		}
		if err := checkVersion(ctx, tx, subscriptionsVersioned, id, sub, sub.Version, version); err != nil {
			return err
		}
		now := s.now()
		if err := updateOne(ctx, tx, domain.ErrConflict, `UPDATE subscriptions SET removed_at = ?, removed_by = ? WHERE id = ? AND removed_at IS NULL AND version = ?`,
			formatTime(now), nullID(actor.UserID), id, sub.Version); err != nil {
			return err
		}
		if err := touchCustomer(ctx, tx, customerID, now); err != nil {
			return err
		}
		return appendAudit(ctx, tx, now, domain.AuditEntry{ActorID: actor.UserID, CustomerID: customerID, ClientIP: actor.ClientIP,
			Action: domain.AuditSubscriptionRemoved, Target: subscriptionTarget(sub),
			Detail: fmt.Sprintf("%s quantity=%d reference=%s", classDetail(sub), sub.Quantity, sub.Reference)})
	})
}

// Subscription returns one subscription of a customer still in its inventory.
func (s *Store) Subscription(ctx context.Context, customerID, id int64) (domain.Subscription, error) {
	return scanSubscription(s.read.QueryRowContext(ctx,
		`SELECT `+subscriptionColumns+` FROM subscriptions WHERE id = ? AND customer_id = ? AND removed_at IS NULL`, id, customerID))
}

// ListSubscriptions returns one page of a customer's inventory in the order
// the subscriptions were added, and the total, which the customer's class
// counters (customer_class_counts) keep: counting the rows cost 0.14 ms for
// a customer of 7,000 subscriptions.
func (s *Store) ListSubscriptions(ctx context.Context, customerID int64, page domain.Page) ([]domain.Subscription, int, error) {
	return queryPage(ctx, s.read, scanSubscription, `SELECT COALESCE(SUM(n), 0) FROM customer_class_counts WHERE customer_id = ?`,
		`SELECT `+subscriptionColumns+` FROM subscriptions WHERE customer_id = ? AND removed_at IS NULL ORDER BY id LIMIT ? OFFSET ?`,
		[]any{customerID}, page)
}

// MaxInventory bounds how many subscriptions AllSubscriptions holds at
// once; the exports, which read as they write, are not bounded.
const MaxInventory = 100_000

// inventorySQL reads a customer's live subscriptions in the order they were
// added, on subscriptions_customer, up to LIMIT ? (none when negative).
const inventorySQL = `SELECT ` + subscriptionColumns + ` FROM subscriptions WHERE customer_id = ? AND removed_at IS NULL ORDER BY id LIMIT ?`

// AllSubscriptions returns a customer's whole inventory, up to MaxInventory
// subscriptions, for what must hold it: the onboarding record, and the
// services that look among a customer's subscriptions.
func (s *Store) AllSubscriptions(ctx context.Context, customerID int64) ([]domain.Subscription, error) {
	return queryAll(ctx, s.read, scanSubscription, inventorySQL, customerID, MaxInventory)
}

// EachSubscription hands each of a customer's subscriptions to fn as it
// reads them, in the order they were added: the whole inventory for its
// file, which holds one row at a time. It stops at fn's first error and
// returns it.
func (s *Store) EachSubscription(ctx context.Context, customerID int64, fn func(domain.Subscription) error) error {
	return queryEach(ctx, s.read, scanSubscription, fn, inventorySQL, customerID, -1)
}

// SubscriptionsWithKeys returns one page of a customer's subscriptions with
// one of keys, in the order they were added: the rows of a workflow group of
// its plan. A group dense among the customer's subscriptions is read by
// walking them in id order (subscriptions_customer), which meets the page's
// rows early; a sparse one (domain.PlanShownGroup.Sparse) key by key, each a
// range of subscriptions_customer_key in id order (migration 00037) read at
// most as far as the page ends, and SQLite merges them: a group of a few
// among 7,000 costs its rows, not the 7,000 walked before them.
func (s *Store) SubscriptionsWithKeys(ctx context.Context, customerID int64, keys []domain.ClassKey, sparse bool, page domain.Page) ([]domain.Subscription, error) {
	if len(keys) == 0 {
		return nil, nil
	}
	query, args := subscriptionsWithKeysSQL(customerID, keys, sparse, page.Size, page.Offset())
	return queryAll(ctx, s.read, scanSubscription, query, args...)
}

// EachSubscriptionWithKeys hands each of a customer's subscriptions with one
// of keys to fn as it reads them, in the order they were added, read the
// way SubscriptionsWithKeys reads a page: the whole of a workflow group for
// an export, which holds one row at a time. It stops at fn's first error
// and returns it.
func (s *Store) EachSubscriptionWithKeys(ctx context.Context, customerID int64, keys []domain.ClassKey, sparse bool, fn func(domain.Subscription) error) error {
	if len(keys) == 0 {
		return nil
	}
	// A negative LIMIT is SQLite's "no limit".
	query, args := subscriptionsWithKeysSQL(customerID, keys, sparse, -1, 0)
	return queryEach(ctx, s.read, scanSubscription, fn, query, args...)
}

// subscriptionsWithKeysSQL is the query of SubscriptionsWithKeys for limit
// rows (all when negative) after offset, with its arguments.
func subscriptionsWithKeysSQL(customerID int64, keys []domain.ClassKey, sparse bool, limit, offset int) (string, []any) {
	if !sparse {
		in, args := classKeysIn(keys)
		return `SELECT ` + subscriptionColumns + ` FROM subscriptions s
			WHERE s.customer_id = ? AND s.removed_at IS NULL AND ` + in + ` ORDER BY s.id LIMIT ? OFFSET ?`,
			append(append([]any{customerID}, args...), limit, offset)
	}
	arms := make([]string, len(keys))
	args := make([]any, 0, 6*len(keys)+2)
	armLimit := limit
	if limit >= 0 {
		armLimit = offset + limit
	}
	for i, k := range keys {
		arms[i] = `SELECT * FROM (SELECT ` + subscriptionColumns + ` FROM subscriptions s
			WHERE s.customer_id = ? AND s.removed_at IS NULL AND (` + classKeyColumns + `) = (?, ?, ?, ?) ORDER BY s.id LIMIT ?)`
		args = append(args, customerID, k.Channel, k.ServiceType, k.Commerce, k.Offer, armLimit)
	}
	return `SELECT ` + subscriptionColumns + ` FROM (` + strings.Join(arms, ` UNION ALL `) + `)
		ORDER BY id LIMIT ? OFFSET ?`, append(args, limit, offset)
}

// SubscriptionsByID returns those of ids that are a customer's live
// subscriptions, in id order. The ids go in as one JSON array, so that
// however many there are they stay one parameter.
func (s *Store) SubscriptionsByID(ctx context.Context, customerID int64, ids []int64) ([]domain.Subscription, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	list, err := json.Marshal(ids)
	if err != nil {
		return nil, err
	}
	return queryAll(ctx, s.read, scanSubscription, `SELECT `+subscriptionColumns+` FROM subscriptions
		WHERE id IN (SELECT value FROM json_each(?)) AND customer_id = ? AND removed_at IS NULL ORDER BY id`, string(list), customerID)
}

// ReplaceableLicences returns up to limit of a customer's licences (not
// usage-based) whose terms end soonest, then those without a term end, and
// the one of id chosen wherever it stands: what the purchase form offers as
// the licence a purchase replaces.
func (s *Store) ReplaceableLicences(ctx context.Context, customerID, chosen int64, limit int) ([]domain.Subscription, error) {
	list, err := queryAll(ctx, s.read, scanSubscription, `SELECT `+subscriptionColumns+` FROM subscriptions
		WHERE customer_id = ? AND removed_at IS NULL AND term_end IS NOT NULL AND service_type <> ? ORDER BY term_end, id LIMIT ?`,
		customerID, domain.ServiceUsage, limit)
	if err != nil {
		return nil, err
	}
	if len(list) < limit {
		more, err := queryAll(ctx, s.read, scanSubscription, `SELECT `+subscriptionColumns+` FROM subscriptions
			WHERE customer_id = ? AND removed_at IS NULL AND term_end IS NULL AND service_type <> ? ORDER BY id LIMIT ?`,
			customerID, domain.ServiceUsage, limit-len(list))
		if err != nil {
			return nil, err
		}
		list = append(list, more...)
	}
	if chosen == 0 || slices.ContainsFunc(list, func(s domain.Subscription) bool { return s.ID == chosen }) {
		return list, nil
	}
	extra, err := s.SubscriptionsByID(ctx, customerID, []int64{chosen})
	if err != nil {
		return nil, err
	}
	for _, sub := range extra {
		if sub.ServiceType != domain.ServiceUsage {
			list = append(list, sub)
		}
	}
	return list, nil
}

// SubscriptionCounts counts a customer's subscriptions by class key; domain.Summarize turns them into what the pages show.
func (s *Store) SubscriptionCounts(ctx context.Context, customerID int64) ([]domain.ClassCount, error) {
	counts, err := s.classCounts(ctx, []int64{customerID})
	return counts[customerID], err
}

// classCountsQuery reads the counters of n customers' subscriptions by
// class key (customer_class_counts, migration 00029): a few rows a
// customer, however many subscriptions it has. A test reads its query plan.
func classCountsQuery(n int) string {
	return `SELECT s.customer_id, ` + classKeyColumns + `, s.n FROM customer_class_counts s
		WHERE s.customer_id IN (` + paramMarks(n) + `) AND s.n > 0`
}

// classCounts counts the subscriptions of several customers by class key,
// in one query.
func (s *Store) classCounts(ctx context.Context, customerIDs []int64) (map[int64][]domain.ClassCount, error) {
	out := map[int64][]domain.ClassCount{}
	if len(customerIDs) == 0 {
		return out, nil
	}
	args := anySlice(customerIDs)
	type customerCount struct {
		customerID int64
		domain.ClassCount
	}
	list, err := queryAll(ctx, s.read, func(row scanner) (customerCount, error) {
		var cc customerCount
		err := row.Scan(&cc.customerID, &cc.Channel, &cc.ServiceType, &cc.Commerce, &cc.Offer, &cc.Count)
		return cc, err
	}, classCountsQuery(len(customerIDs)), args...)
	for _, cc := range list {
		out[cc.customerID] = append(out[cc.customerID], cc.ClassCount)
	}
	return out, err
}

// batchRow is how a subscription of a batch is kept as JSON until confirmed.
type batchRow struct {
	Product     string             `json:"product"`
	ServiceType domain.ServiceType `json:"service_type"`
	Channel     domain.Channel     `json:"channel"`
	Quantity    int                `json:"quantity"`
	TermEnd     string             `json:"term_end,omitempty"`
	Reference   string             `json:"reference"`
	Notes       string             `json:"notes"`
	// The terms and the offer id, absent from batches kept before them.
	Commerce         domain.Commerce         `json:"commerce,omitempty"`
	TermLength       domain.TermLength       `json:"term_length,omitempty"`
	BillingFrequency domain.BillingFrequency `json:"billing_frequency,omitempty"`
	AutoRenew        domain.AutoRenew        `json:"auto_renew,omitempty"`
	TermStart        string                  `json:"term_start,omitempty"`
	OfferID          string                  `json:"offer_id,omitempty"`
	// The row's line and guesses, absent from batches kept before them.
	Line    int          `json:"line,omitempty"`
	Guesses []batchGuess `json:"guesses,omitempty"`
}

// batchGuess is how a guess of a batch row is kept.
type batchGuess struct {
	Field    string `json:"field"`
	Value    string `json:"value"`
	Basis    string `json:"basis"`
	Original string `json:"original,omitempty"`
}

// batchJSON is what rows_json holds. Batches kept before the source and
// the guesses were kept hold the rows alone, as a JSON array.
type batchJSON struct {
	Source  string               `json:"source,omitempty"`
	Reading domain.ImportReading `json:"reading"`
	Rows    []batchRow           `json:"rows"`
}

// encodeBatch is the rows_json of b.
func encodeBatch(b domain.ImportBatch) (string, error) {
	rows := make([]batchRow, len(b.Rows))
	for i, r := range b.Rows {
		sub := r.Subscription
		rows[i] = batchRow{sub.Product, sub.ServiceType, sub.Channel, sub.Quantity, domain.FormatDate(sub.TermEnd), sub.Reference, sub.Notes,
			sub.Commerce, sub.TermLength, sub.BillingFrequency, sub.AutoRenew, domain.FormatDate(sub.TermStart), sub.OfferID, r.Line, nil}
		for _, g := range r.Guesses {
			rows[i].Guesses = append(rows[i].Guesses, batchGuess(g))
		}
	}
	data, err := json.Marshal(batchJSON{Source: b.Source, Reading: b.Reading, Rows: rows})
	return string(data), err
}

// decodeBatch reads the rows_json of b into it.
func decodeBatch(b *domain.ImportBatch, data string) error {
	var kept batchJSON
	var err error
	if strings.HasPrefix(data, "[") {
		err = json.Unmarshal([]byte(data), &kept.Rows)
	} else {
		err = json.Unmarshal([]byte(data), &kept)
	}
	if err != nil {
		return err
	}
	b.Source, b.Reading = kept.Source, kept.Reading
	b.Rows = make([]domain.BatchRow, 0, len(kept.Rows))
	for _, r := range kept.Rows {
		sub := domain.Subscription{CustomerID: b.CustomerID, Product: r.Product, ServiceType: r.ServiceType, Channel: r.Channel,
			Quantity: r.Quantity, Reference: r.Reference, Notes: r.Notes, Commerce: r.Commerce, TermLength: r.TermLength,
			BillingFrequency: r.BillingFrequency, AutoRenew: r.AutoRenew, OfferID: r.OfferID}
		if sub.TermEnd, err = parseDateColumn(sql.NullString{String: r.TermEnd, Valid: r.TermEnd != ""}); err != nil {
			return fmt.Errorf("term end: %w", err)
		}
		if sub.TermStart, err = parseDateColumn(sql.NullString{String: r.TermStart, Valid: r.TermStart != ""}); err != nil {
			return fmt.Errorf("term start: %w", err)
		}
		row := domain.BatchRow{Line: r.Line, Subscription: sub.Normalize()}
		for _, g := range r.Guesses {
			row.Guesses = append(row.Guesses, domain.ImportGuess(g))
		}
		b.Rows = append(b.Rows, row)
	}
	return nil
}

// CreateImportBatch keeps the validated rows of a file, with what the
// import guessed of them, until the user confirms the import; nothing is
// added to the inventory yet.
func (s *Store) CreateImportBatch(ctx context.Context, actor domain.Actor, b domain.ImportBatch) (int64, error) {
	data, err := encodeBatch(b)
	if err != nil {
		return 0, err
	}
	// Previews nobody confirmed within a day are dropped, so abandoned
	// uploads do not pile up.
	if _, err := s.write.ExecContext(ctx, `DELETE FROM import_batches WHERE status = ? AND created_at < ?`,
		domain.BatchPreview, formatTime(s.now().Add(-24*time.Hour))); err != nil {
		return 0, err
	}
	res, err := s.write.ExecContext(ctx,
		`INSERT INTO import_batches (customer_id, user_id, filename, rows_json, row_count, status, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		b.CustomerID, actor.UserID, truncate(b.Filename, 200), data, len(b.Rows), domain.BatchPreview, formatTime(s.now()))
	if err != nil {
		return 0, err
	}
	return res.LastInsertId()
}

// ImportBatch returns a batch of a customer, only to the user who
// uploaded it: anything else is domain.ErrNotFound.
func (s *Store) ImportBatch(ctx context.Context, actor domain.Actor, customerID, id int64) (domain.ImportBatch, error) {
	return readImportBatch(ctx, s.read, actor, customerID, id)
}

// readImportBatch reads a batch of a customer uploaded by actor through
// db, the read pool or a transaction.
func readImportBatch(ctx context.Context, db rowQueryer, actor domain.Actor, customerID, id int64) (domain.ImportBatch, error) {
	b := domain.ImportBatch{ID: id, CustomerID: customerID}
	var data string
	var status domain.BatchStatus
	err := db.QueryRowContext(ctx, `SELECT filename, rows_json, status, created_at FROM import_batches WHERE id = ? AND customer_id = ? AND user_id = ?`,
		id, customerID, actor.UserID).Scan(&b.Filename, &data, &status, timeColumn{&b.CreatedAt})
	if errors.Is(err, sql.ErrNoRows) {
		return b, domain.ErrNotFound
	}
	if err != nil {
		return b, err
	}
	b.Imported = status == domain.BatchImported
	if err := decodeBatch(&b, data); err != nil {
		return b, fmt.Errorf("import batch %d: %w", id, err)
	}
	return b, nil
}

// correctBatch reads a batch still in preview in tx and applies the
// uploader's corrections to it as domain.CorrectGuesses decides, keeping
// them: a refusal is the domain.CorrectionErrors, with nothing written, and
// a batch imported already is domain.ErrBatchImported. The status is the
// guard of the update against a confirmation in between.
func (s *Store) correctBatch(ctx context.Context, tx *sql.Tx, actor domain.Actor, customerID, id int64,
	corrections []domain.GuessCorrection) (domain.ImportBatch, error) {
	b, err := readImportBatch(ctx, tx, actor, customerID, id)
	if err != nil {
		return b, err
	}
	if b.Imported {
		return b, domain.ErrBatchImported
	}
	if len(corrections) == 0 {
		return b, nil
	}
	rows, refused := domain.CorrectGuesses(b.Rows, corrections, s.now())
	if refused != nil {
		return b, refused
	}
	b.Rows = rows
	data, err := encodeBatch(b)
	if err != nil {
		return b, err
	}
	return b, updateOne(ctx, tx, domain.ErrBatchImported, `UPDATE import_batches SET rows_json = ? WHERE id = ? AND customer_id = ? AND status = ?`,
		data, id, customerID, domain.BatchPreview)
}

// CorrectImportBatch keeps the uploader's corrections of the guessed values
// of a batch still in preview (see correctBatch); a batch another user
// uploaded is domain.ErrNotFound.
func (s *Store) CorrectImportBatch(ctx context.Context, actor domain.Actor, customerID, id int64, corrections []domain.GuessCorrection) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		_, err := s.correctBatch(ctx, tx, actor, customerID, id, corrections)
		return err
	})
}

// ConfirmImport applies the uploader's last corrections to a batch (none
// for the batch as kept; see correctBatch), adds every subscription of it to
// the inventory and marks it imported, all in one transaction. A batch is
// imported at most once: a second confirmation is domain.ErrConflict; it is
// the uploader's to confirm, and anyone else's confirmation is
// domain.ErrNotFound. The
// audit entry counts the guessed values the uploader changed.
func (s *Store) ConfirmImport(ctx context.Context, actor domain.Actor, customerID, id int64, corrections []domain.GuessCorrection) (int, error) {
	var n int
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		b, err := s.correctBatch(ctx, tx, actor, customerID, id, corrections)
		if err != nil {
			return err
		}
		now := s.now()
		if err := updateOne(ctx, tx, domain.ErrBatchImported,
			`UPDATE import_batches SET status = ?, imported_at = ? WHERE id = ? AND customer_id = ? AND status = ?`,
			domain.BatchImported, formatTime(now), id, customerID, domain.BatchPreview); err != nil {
			return err
		}
		for _, r := range b.Rows {
			if _, err := insertSubscription(ctx, tx, now, r.Subscription); err != nil {
				return err
			}
		}
		if err := touchCustomer(ctx, tx, customerID, now); err != nil {
			return err
		}
		n = len(b.Rows)
		detail := fmt.Sprintf("%d subscriptions", n)
		if guessed, changed := domain.GuessCounts(b.Rows); guessed > 0 {
			detail += fmt.Sprintf(", %d of %d guessed values changed by the uploader", changed, guessed)
		}
		return appendAudit(ctx, tx, now, domain.AuditEntry{ActorID: actor.UserID, CustomerID: customerID, ClientIP: actor.ClientIP,
			Action: domain.AuditSubscriptionsImported, Target: fmt.Sprintf("import:%d %s", id, b.Filename), Detail: detail})
	})
	if err != nil {
		return 0, err
	}
	return n, nil
}
