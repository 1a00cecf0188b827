package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/wingtip/multichannel/internal/domain"
)

// countersRecount is what subscription_counts must hold: every live
// subscription counted by class key and customer kind, as the dashboard
// once counted them on each view.
const countersRecount = `SELECT ` + classKeyColumns + `, c.is_csp_partner, COUNT(*)
	FROM subscriptions s JOIN customers c ON c.id = s.customer_id WHERE s.removed_at IS NULL
	GROUP BY ` + classKeyColumns + `, c.is_csp_partner ORDER BY 1, 2, 3, 4, 5`

// countersKept reads subscription_counts in the recount's order, leaving
// out the counts that went back to zero.
const countersKept = `SELECT channel, service_type, commerce, offer_kind, is_csp_partner, n
	FROM subscription_counts WHERE n > 0 ORDER BY 1, 2, 3, 4, 5`

// termEndRecount and termEndKept are the same pair for term_end_counts:
// the licences with a term end of customers that are not CSP partners, by
// date and class key, but those a completed transfer brought to us (found
// from the transfers, not from the flag the triggers keep).
const (
	termEndRecount = `SELECT s.term_end, ` + classKeyColumns + `, COUNT(*)
	FROM subscriptions s JOIN customers c ON c.id = s.customer_id
	WHERE s.removed_at IS NULL AND s.term_end IS NOT NULL AND c.is_csp_partner = 0
	  AND s.id NOT IN (SELECT ts.subscription_id FROM transfer_subscriptions ts JOIN transfers t ON t.id = ts.transfer_id
	                   WHERE t.status = 'complete')
	GROUP BY s.term_end, ` + classKeyColumns + ` ORDER BY 1, 2, 3, 4, 5`
	termEndKept = `SELECT term_end, channel, service_type, commerce, offer_kind, n
	FROM term_end_counts WHERE n > 0 ORDER BY 1, 2, 3, 4, 5`
)

// coexistingRecount and coexistingKept are the pair for coexisting_counts:
// live subscriptions with a checklist at steps 3 and 4, by class key and
// customer kind.
const (
	coexistingRecount = `SELECT ` + classKeyColumns + `, c.is_csp_partner, COUNT(*)
	FROM azure_migrations m JOIN subscriptions s ON s.id = m.subscription_id JOIN customers c ON c.id = s.customer_id
	WHERE s.removed_at IS NULL AND m.step IN (3, 4)
	GROUP BY ` + classKeyColumns + `, c.is_csp_partner ORDER BY 1, 2, 3, 4, 5`
	coexistingKept = `SELECT channel, service_type, commerce, offer_kind, is_csp_partner, n
	FROM coexisting_counts WHERE n > 0 ORDER BY 1, 2, 3, 4, 5`
)

// customerCountsRecount and customerCountsKept are the pair for
// customer_class_counts: each customer's live subscriptions by class key.
const (
	customerCountsRecount = `SELECT customer_id, ` + classKeyColumns + `, COUNT(*) FROM subscriptions s WHERE s.removed_at IS NULL
	GROUP BY customer_id, ` + classKeyColumns + ` ORDER BY 1, 2, 3, 4, 5`
	customerCountsKept = `SELECT customer_id, channel, service_type, commerce, offer_kind, n
	FROM customer_class_counts WHERE n > 0 ORDER BY 1, 2, 3, 4, 5`
)

// monthRecount and monthKept are the pair for term_end_month_counts: the
// licences termEndRecount counts, by month.
const (
	monthRecount = `SELECT substr(s.term_end, 1, 8) || '01', ` + classKeyColumns + `, COUNT(*)
	FROM subscriptions s JOIN customers c ON c.id = s.customer_id
	WHERE s.removed_at IS NULL AND s.term_end IS NOT NULL AND c.is_csp_partner = 0
	  AND s.id NOT IN (SELECT ts.subscription_id FROM transfer_subscriptions ts JOIN transfers t ON t.id = ts.transfer_id
	                   WHERE t.status = 'complete')
	GROUP BY 1, ` + classKeyColumns + ` ORDER BY 1, 2, 3, 4, 5`
	monthKept = `SELECT month, channel, service_type, commerce, offer_kind, n
	FROM term_end_month_counts WHERE n > 0 ORDER BY 1, 2, 3, 4, 5`
)

// counterPairs are the recount and the counters of every counter table.
var counterPairs = [][2]string{{countersRecount, countersKept}, {termEndRecount, termEndKept}, {coexistingRecount, coexistingKept},
	{customerCountsRecount, customerCountsKept}, {monthRecount, monthKept}}

// readCounts reads rows of five key columns and a count as lines.
func readCounts(t *testing.T, s *Store, query string) []string {
	t.Helper()
	lines, err := queryAll(context.Background(), s.read, func(row scanner) (string, error) {
		var k [5]string
		var n int
		err := row.Scan(&k[0], &k[1], &k[2], &k[3], &k[4], &n)
		return fmt.Sprintf("%v: %d", k, n), err
	}, query)
	if err != nil {
		t.Fatal(err)
	}
	return lines
}

// TestSubscriptionCountersAgreeWithARecount applies random sequences of
// every change that moves a subscription between the dashboard's and the
// planner's counts
// (added one by one or by an import, edited, classified, removed, its
// customer marked a CSP partner or not) and compares both counters the
// triggers keep (subscription_counts, term_end_counts) with a full recount
// after each change, and the same for the licences transfers bring in and
// the checklists under way.
func TestSubscriptionCountersAgreeWithARecount(t *testing.T) {
	for seed := range uint64(6) {
		t.Run(fmt.Sprintf("seed %d", seed), func(t *testing.T) {
			s, _ := openTestStore(t)
			ctx := context.Background()
			actor := ctActor(t, s, "avery@wingtip.example")
			rng := rand.New(rand.NewPCG(seed, 15))
			var customers []int64
			for i := range 3 {
				customers = append(customers, ctCreate(t, s, actor, ctCustomer(t, fmt.Sprintf("Customer %d", i), fmt.Sprintf("c%d.onmicrosoft.com", i))))
			}
			randomSub := func(customer int64) domain.Subscription {
				sub := domain.Subscription{CustomerID: customer, Product: fmt.Sprintf("Product %d", rng.IntN(1000)),
					Channel:     append([]domain.Channel{domain.ChannelUnknown}, domain.Channels...)[rng.IntN(len(domain.Channels)+1)],
					ServiceType: append([]domain.ServiceType{domain.ServiceUnknown}, domain.ServiceTypes...)[rng.IntN(len(domain.ServiceTypes)+1)],
					Commerce:    append([]domain.Commerce{domain.CommerceUnknown}, domain.Commerces...)[rng.IntN(len(domain.Commerces)+1)],
					OfferKind:   domain.OfferKinds[rng.IntN(len(domain.OfferKinds))]}
				if day := rng.IntN(4); day > 0 { // a few dates, so that licences share them
					sub.TermEnd = ctDate(2027, 1, day)
				}
				return sub
			}
			live := func(customer int64) []domain.Subscription {
				subs, err := s.AllSubscriptions(ctx, customer)
				if err != nil {
					t.Fatal(err)
				}
				return subs
			}
			kinds := map[string]int{}
			for step := range 120 {
				customer := customers[rng.IntN(len(customers))]
				subs := live(customer)
				op := rng.IntN(8)
				if len(subs) == 0 && op >= 2 && op != 5 {
					op = 0
				}
				var err error
				switch op {
				case 0:
					_, err = s.AddSubscription(ctx, actor, randomSub(customer))
					kinds["add"]++
				case 1:
					var rows []domain.Subscription
					for range 1 + rng.IntN(4) {
						rows = append(rows, randomSub(customer))
					}
					var batch int64
					if batch, err = s.CreateImportBatch(ctx, actor, batchOf(customer, "inventory.csv", rows)); err == nil {
						_, err = s.ConfirmImport(ctx, actor, customer, batch, nil)
					}
					kinds["import"]++
				case 2:
					old := subs[rng.IntN(len(subs))]
					changed := randomSub(customer)
					changed.ID, changed.Version = old.ID, old.Version
					err = s.UpdateSubscription(ctx, actor, changed)
					kinds["edit"]++
				case 3:
					old, to := subs[rng.IntN(len(subs))], randomSub(customer)
					err = s.ClassifySubscription(ctx, actor, customer, old.ID, old.Version, to.Channel, to.ServiceType)
					kinds["classify"]++
				case 4:
					old := subs[rng.IntN(len(subs))]
					err = s.RemoveSubscription(ctx, actor, customer, old.ID, old.Version)
					kinds["remove"]++
				case 5:
					c, cerr := s.Customer(ctx, customer)
					if cerr != nil {
						t.Fatal(cerr)
					}
					c.IsCSPPartner = !c.IsCSPPartner
					err = s.UpdateCustomer(ctx, actor, c)
					kinds["customer kind"]++
				case 6:
					// A transfer carrying one or two subscriptions, in a
					// state that may bring them to us, or an earlier one
					// moving to another state.
					err = ctTransferStep(ctx, s, rng, customer, subs)
					kinds["transfer"]++
				case 7:
					// A checklist started, moved to another step or
					// dropped.
					err = ctChecklistStep(ctx, s, rng, subs)
					kinds["checklist"]++
				}
				if err != nil {
					t.Fatalf("step %d (op %d): %v", step, op, err)
				}
				for _, single := range []struct{ counter, table string }{{"customer_count", "customers"}, {"audit_count", "audit_log"}} {
					var kept, counted int
					if err := s.read.QueryRowContext(ctx, `SELECT (SELECT n FROM `+single.counter+`), (SELECT COUNT(*) FROM `+single.table+`)`).Scan(&kept, &counted); err != nil || kept != counted {
						t.Fatalf("after step %d %s = %d, %v; there are %d rows in %s", step, single.counter, kept, err, counted, single.table)
					}
				}
				for _, pair := range counterPairs {
					if want, got := readCounts(t, s, pair[0]), readCounts(t, s, pair[1]); !slices.Equal(want, got) {
						t.Fatalf("after step %d (op %d) the counters are\n%v\nwant the recount\n%v", step, op, got, want)
					}
				}
			}
			if len(kinds) != 8 {
				t.Errorf("the sequence tried only %v", kinds)
			}
		})
	}
}

// ctTransferStep writes a change of transfers as the store's transfer
// methods would leave it: a new transfer of one or two of subs in a random
// state, or a random state for one of the customer's transfers.
func ctTransferStep(ctx context.Context, s *Store, rng *rand.Rand, customer int64, subs []domain.Subscription) error {
	states := []domain.TransferStatus{domain.TransferPending, domain.TransferInProgress, domain.TransferComplete,
		domain.TransferRejected, domain.TransferCancelled}
	status := states[rng.IntN(len(states))]
	var existing []int64
	if err := func() error {
		rows, err := s.write.QueryContext(ctx, `SELECT id FROM transfers WHERE customer_id = ?`, customer)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				return err
			}
			existing = append(existing, id)
		}
		return rows.Err()
	}(); err != nil {
		return err
	}
	if len(existing) > 0 && rng.IntN(2) == 0 {
		_, err := s.write.ExecContext(ctx, `UPDATE transfers SET status = ? WHERE id = ?`, status, existing[rng.IntN(len(existing))])
		return err
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO transfers (customer_id, status, other_partner_name, contact_email, product_types,
			created_by, created_at, expires_at, updated_at) VALUES (?, ?, 'Other CSP', 'a@b.example', 'azure_subscription',
			(SELECT MIN(id) FROM users), '2026-01-01', '2026-02-01', '2026-01-01')`, customer, status)
		if err != nil {
			return err
		}
		id, err := res.LastInsertId()
		if err != nil {
			return err
		}
		for _, i := range rng.Perm(len(subs))[:min(len(subs), 1+rng.IntN(2))] {
			if _, err := tx.ExecContext(ctx, `INSERT INTO transfer_subscriptions (transfer_id, subscription_id) VALUES (?, ?)`, id, subs[i].ID); err != nil {
				return err
			}
		}
		return nil
	})
}

// ctChecklistStep starts a checklist for one of subs at a random step, or
// moves it to another, or drops it.
func ctChecklistStep(ctx context.Context, s *Store, rng *rand.Rand, subs []domain.Subscription) error {
	sub := subs[rng.IntN(len(subs))]
	step := domain.MigrationRecordCSP + rng.IntN(4)
	if rng.IntN(5) == 0 {
		_, err := s.write.ExecContext(ctx, `DELETE FROM azure_migrations WHERE subscription_id = ?`, sub.ID)
		return err
	}
	_, err := s.write.ExecContext(ctx, `INSERT INTO azure_migrations (subscription_id, step, updated_at) VALUES (?, ?, '2026-01-01')
		ON CONFLICT (subscription_id) DO UPDATE SET step = excluded.step`, sub.ID, step)
	return err
}

// TestRelationshipCountsAgreeWithARecount writes requests in random states
// and expiries, and changes their states, and compares RelationshipCounts,
// which reads counters, with the effective states counted one by one.
func TestRelationshipCountsAgreeWithARecount(t *testing.T) {
	s, _ := openTestStore(t)
	ctx := context.Background()
	actor := ctActor(t, s, "avery@wingtip.example")
	rng := rand.New(rand.NewPCG(28, 15))
	var customers []int64
	for i := range 12 {
		customers = append(customers, ctCreate(t, s, actor, ctCustomer(t, fmt.Sprintf("Customer %d", i), fmt.Sprintf("c%d.onmicrosoft.com", i))))
	}
	now := time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)
	states := []domain.RelationshipStatus{domain.StatusPending, domain.StatusAccepted, domain.StatusActive, domain.StatusDeclined,
		domain.StatusRejected, domain.StatusRevoked, domain.StatusExpired, domain.StatusRemoved}
	for step := range 200 {
		status := states[rng.IntN(len(states))]
		if status.Open() {
			status = domain.StatusPending // one open request per customer: the others come by update
		}
		expires := formatTime(now.Add(time.Duration(rng.IntN(96)-48) * time.Hour))
		var err error
		if rng.IntN(3) == 0 {
			_, err = s.write.ExecContext(ctx, `UPDATE relationship_requests SET status = ? WHERE id = (SELECT id FROM relationship_requests
				ORDER BY random() LIMIT 1) AND NOT (? IN ('pending', 'accepted', 'active') AND status NOT IN ('pending', 'accepted', 'active'))`,
				states[rng.IntN(len(states))], states[rng.IntN(len(states))])
		} else {
			_, err = s.write.ExecContext(ctx, `INSERT INTO relationship_requests (customer_id, status, recipient_name, recipient_email,
				created_by, created_at, expires_at) SELECT ?, ?, 'A', 'a@b.example', ?, ?, ?
				WHERE NOT EXISTS (SELECT 1 FROM relationship_requests WHERE customer_id = ? AND status IN ('pending', 'accepted', 'active'))`,
				customers[rng.IntN(len(customers))], status, actor.UserID, formatTime(now), expires, customers[rng.IntN(len(customers))])
		}
		if err != nil && !strings.Contains(err.Error(), "UNIQUE") {
			t.Fatal(err)
		}
		want, err := countByState[domain.RelationshipStatus](ctx, s.read, `SELECT `+effectiveStatusSQL("r")+`, COUNT(*)
			FROM relationship_requests r GROUP BY 1`, effectiveStatusArgs(domain.StatusPending, domain.StatusExpired, now)...)
		if err != nil {
			t.Fatal(err)
		}
		got, err := s.RelationshipCounts(ctx, now)
		if err != nil || !maps.Equal(got, want) {
			t.Fatalf("step %d: RelationshipCounts = %v, %v; a recount gives %v", step, got, err, want)
		}
	}
}

// TestGDAPCountsAgreeWithARecount adds GDAP requests in every state, with
// ends and pasted links either side of now, changes random ones, and after
// each step compares GDAPCounts with a count of every request's effective
// state.
func TestGDAPCountsAgreeWithARecount(t *testing.T) {
	s, _ := openTestStore(t)
	ctx := context.Background()
	actor := ctActor(t, s, "avery@wingtip.example")
	rng := rand.New(rand.NewPCG(36, 15))
	customer := ctCreate(t, s, actor, ctCustomer(t, "Customer", "c.onmicrosoft.com"))
	now := time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)
	states := []domain.GDAPStatus{domain.GDAPCreated, domain.GDAPApprovalPending, domain.GDAPActive, domain.GDAPExpired,
		domain.GDAPLapsed, domain.GDAPTerminated}
	// A time within a few days of the moment that decides each case.
	around := func(moment time.Time) string {
		return formatTime(moment.Add(time.Duration(rng.IntN(96)-48) * time.Hour))
	}
	lapseMoment := now.AddDate(0, 0, -domain.GDAPPendingLapseDays)
	for step := range 200 {
		status, autoExtend := states[rng.IntN(len(states))], rng.IntN(2)
		var err error
		if step > 0 && rng.IntN(3) == 0 {
			_, err = s.write.ExecContext(ctx, `UPDATE gdap_requests SET status = ?, auto_extend = ?, ends_at = ?, link_pasted_at = ?
				WHERE id = (SELECT id FROM gdap_requests ORDER BY random() LIMIT 1)`, status, autoExtend, around(now), around(lapseMoment))
		} else {
			var relationship sql.Result
			relationship, err = s.write.ExecContext(ctx, `INSERT INTO relationship_requests (customer_id, status, recipient_name, recipient_email,
				created_by, created_at, expires_at) VALUES (?, ?, 'A', 'a@b.example', ?, ?, ?)`,
				customer, domain.StatusDeclined, actor.UserID, formatTime(now), formatTime(now))
			if err == nil {
				id, _ := relationship.LastInsertId()
				_, err = s.write.ExecContext(ctx, `INSERT INTO gdap_requests (relationship_id, customer_id, display_name, roles, days,
					auto_extend, status, created_at, link_pasted_at, ends_at) VALUES (?, ?, ?, 'r', 730, ?, ?, ?, ?, ?)`,
					id, customer, fmt.Sprintf("GDAP %d", step), autoExtend, status, formatTime(now), around(lapseMoment), around(now))
			}
		}
		if err != nil {
			t.Fatal(err)
		}
		want, err := countByState[domain.GDAPStatus](ctx, s.read, `SELECT `+gdapEffectiveSQL+`, COUNT(*) FROM gdap_requests g GROUP BY 1`,
			gdapEffectiveArgs(now)...)
		if err != nil {
			t.Fatal(err)
		}
		got, err := s.GDAPCounts(ctx, now)
		if err != nil || !maps.Equal(got, want) {
			t.Fatalf("step %d: GDAPCounts = %v, %v; a recount gives %v", step, got, err, want)
		}
	}
}
