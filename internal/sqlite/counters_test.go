package sqlite

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

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
// date and class key.
const (
	termEndRecount = `SELECT s.term_end, ` + classKeyColumns + `, COUNT(*)
	FROM subscriptions s JOIN customers c ON c.id = s.customer_id
	WHERE s.removed_at IS NULL AND s.term_end IS NOT NULL AND c.is_csp_partner = 0
	GROUP BY s.term_end, ` + classKeyColumns + ` ORDER BY 1, 2, 3, 4, 5`
	termEndKept = `SELECT term_end, channel, service_type, commerce, offer_kind, n
	FROM term_end_counts WHERE n > 0 ORDER BY 1, 2, 3, 4, 5`
)

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
// after each change. Transfers and
// checklists do not write subscriptions, so they cannot move the counts.
func TestSubscriptionCountersAgreeWithARecount(t *testing.T) {
	for seed := range uint64(4) {
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
				op := rng.IntN(6)
				if len(subs) == 0 && op >= 2 && op <= 4 {
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
				}
				if err != nil {
					t.Fatalf("step %d (op %d): %v", step, op, err)
				}
				for _, pair := range [][2]string{{countersRecount, countersKept}, {termEndRecount, termEndKept}} {
					if want, got := readCounts(t, s, pair[0]), readCounts(t, s, pair[1]); !slices.Equal(want, got) {
						t.Fatalf("after step %d (op %d) the counters are\n%v\nwant the recount\n%v", step, op, got, want)
					}
				}
			}
			if len(kinds) != 6 {
				t.Errorf("the sequence tried only %v", kinds)
			}
		})
	}
}
