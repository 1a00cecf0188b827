package sqlite

import (
	"context"
	"errors"
	"iter"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/wingtip/multichannel/internal/book"
	"github.com/wingtip/multichannel/internal/domain"
)

var (
	bookPartner = domain.Partner{Name: "Wingtip", PartnerID: "1234567", CSPModel: domain.CSPDirectBill, Cloud: domain.CloudCommercial}
	bookUsers   = []domain.User{
		{Email: "avery@wingtip.example", Name: "Avery", Role: domain.RoleGlobalAdmin, Active: true, PasswordHash: "hash"},
		{Email: "sam@wingtip.example", Name: "Sam", Role: domain.RoleAdminAgent, Active: true, PasswordHash: "hash"},
	}
	bookStaff = book.Staff{Admins: []string{"avery@wingtip.example"}, Agents: []string{"avery@wingtip.example", "sam@wingtip.example"}}
)

// tableCount counts the rows of a table the test names.
func tableCount(t *testing.T, s *Store, table string) int {
	t.Helper()
	var n int
	if err := s.read.QueryRowContext(context.Background(), `SELECT COUNT(*) FROM `+table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestSeedBookWritesTheBookWithItsCountersAndHistory(t *testing.T) {
	s, _ := openTestStore(t)
	ctx := context.Background()
	size := book.Size{Customers: 300, Subscriptions: 4000}
	var told []int
	err := s.SeedBook(ctx, bookPartner, bookUsers, book.Customers(size, bookStaff, time.Now()),
		func(customers, subscriptions int) { told = append(told, customers) })
	if err != nil {
		t.Fatal(err)
	}
	if got := tableCount(t, s, "customers"); got != size.Customers {
		t.Errorf("%d customers; want %d", got, size.Customers)
	}
	if got := tableCount(t, s, "customers WHERE (SELECT n FROM customer_count) = "+strconv.Itoa(size.Customers)); got != size.Customers {
		t.Errorf("customer_count disagrees with the %d customers", size.Customers)
	}
	if got := tableCount(t, s, "subscriptions"); got != size.Subscriptions {
		t.Errorf("%d subscriptions; want %d", got, size.Subscriptions)
	}
	if len(told) != size.Customers || told[len(told)-1] != size.Customers {
		t.Errorf("progress told %d times; want once a customer", len(told))
	}
	for _, table := range []string{"relationship_requests", "transfers", "transfer_subscriptions", "azure_migrations", "customer_terms"} {
		if tableCount(t, s, table) == 0 {
			t.Errorf("no %s", table)
		}
	}
	// Each customer's creation and import, and each request's story.
	if got, least := tableCount(t, s, "audit_log"), 2*size.Customers+tableCount(t, s, "relationship_requests"); got < least {
		t.Errorf("%d audit entries; want at least %d", got, least)
	}
	for _, pair := range counterPairs {
		if recount, kept := readCounts(t, s, pair[0]), readCounts(t, s, pair[1]); !slices.Equal(kept, recount) {
			t.Errorf("%d counters kept disagree with the %d of a recount:\n%s", len(kept), len(recount), pair[1])
		}
	}
	if p, err := s.Partner(ctx); err != nil || p.Name != bookPartner.Name {
		t.Errorf("partner = %+v, %v", p, err)
	}
	found, _, err := s.ListCustomers(ctx, domain.CustomerQuery{Search: "contoso", Page: domain.Page{Number: 1, Size: 10}})
	if err != nil || len(found) == 0 {
		t.Errorf("search for contoso: %d, %v; want the book's Contoso customers", len(found), err)
	}
}

func TestSeedBookRefusesADatabaseInUse(t *testing.T) {
	s, _ := openTestStore(t)
	ctx := context.Background()
	ctActor(t, s, "someone@wingtip.example")
	err := s.SeedBook(ctx, bookPartner, bookUsers, book.Customers(book.Size{Customers: 5, Subscriptions: 20}, bookStaff, time.Now()), nil)
	if !errors.Is(err, domain.ErrNotEmpty) {
		t.Fatalf("seed into a database with a user: %v; want ErrNotEmpty", err)
	}
	if n := tableCount(t, s, "customers"); n != 0 {
		t.Fatalf("%d customers written", n)
	}
}

func TestSeedBookWritesAllOrNothing(t *testing.T) {
	s, _ := openTestStore(t)
	good := slices.Collect(book.Customers(book.Size{Customers: 3, Subscriptions: 30}, bookStaff, time.Now()))
	twice := good[0]
	var broken iter.Seq[domain.SeedCustomer] = slices.Values(append(good, twice)) // its domain is taken
	if err := s.SeedBook(context.Background(), bookPartner, bookUsers, broken, nil); err == nil {
		t.Fatal("a book with a domain twice was seeded")
	}
	for _, table := range []string{"customers", "subscriptions", "users", "partner", "audit_log"} {
		if n := tableCount(t, s, table); n != 0 {
			t.Errorf("%d rows in %s after a failed seed; want none", n, table)
		}
	}
}
