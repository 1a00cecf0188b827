package book

import (
	"fmt"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/wingtip/multichannel/internal/domain"
)

var (
	testStaff = Staff{Admins: []string{"avery@wingtip.example", "sam@wingtip.example"},
		Agents: []string{"avery@wingtip.example", "sam@wingtip.example", "jordan@wingtip.example"}}
	testToday = time.Date(2026, 12, 3, 0, 0, 0, 0, time.UTC)
)

func collect(size Size) []domain.SeedCustomer {
	return slices.Collect(Customers(size, testStaff, testToday))
}

func TestTheBookHasTheSizeAsked(t *testing.T) {
	for _, size := range []Size{{1, 0}, {1, 7}, {10, 5}, {20, 200}, {1000, 10000}, {3000, 100000}, {2500, 2000}} {
		t.Run(fmt.Sprintf("%d/%d", size.Customers, size.Subscriptions), func(t *testing.T) {
			book := collect(size)
			subs := 0
			domains := map[string]bool{}
			for _, c := range book {
				subs += len(c.Subscriptions)
				if domains[c.Customer.Domain] {
					t.Fatalf("domain %s twice", c.Customer.Domain)
				}
				domains[c.Customer.Domain] = true
			}
			if len(book) != size.Customers || subs != size.Subscriptions {
				t.Fatalf("%d customers, %d subscriptions; want %d, %d", len(book), subs, size.Customers, size.Subscriptions)
			}
		})
	}
}

// TestTheBookHasARealisticShape checks the proportions a partner's book has
// and that everything in it is what the app would have stored.
func TestTheBookHasARealisticShape(t *testing.T) {
	book := collect(Size{Customers: 5000, Subscriptions: 50000})
	var (
		usual, largest, relationships, terms, transfers int
		channels                                        = map[domain.Channel]int{}
		services                                        = map[domain.ServiceType]int{}
		commerces                                       = map[domain.Commerce]int{}
		offers                                          = map[domain.OfferKind]int{}
		states                                          = map[domain.RelationshipStatus]int{}
		transferStates                                  = map[domain.TransferStatus]int{}
		steps                                           = map[int]int{}
	)
	threeYears := testToday.AddDate(3, 0, 0)
	for _, c := range book {
		if errs := c.Customer.Validate(); errs.Any() {
			t.Fatalf("customer %+v: %v", c.Customer, errs)
		}
		if n := len(c.Subscriptions); n >= fewest && n <= most {
			usual++
		}
		largest = max(largest, len(c.Subscriptions))
		for _, s := range c.Subscriptions {
			if errs := s.Validate(testToday); errs.Any() {
				t.Fatalf("subscription %+v: %v", s, errs)
			}
			channels[s.Channel]++
			services[s.ServiceType]++
			commerces[s.Commerce]++
			offers[s.OfferKind]++
			if s.TermEnd != nil {
				terms++
				if s.TermEnd.After(threeYears) || s.TermEnd.Before(testToday.AddDate(0, -1, 0)) {
					t.Fatalf("term end %s is not within three years of today", s.TermEnd)
				}
			}
		}
		open := 0
		if len(c.Relationships) > 0 {
			relationships++
		}
		for _, r := range c.Relationships {
			states[r.Request.Status]++
			if r.Request.Status.Open() {
				open++
			}
			if r.Request.CreatedAt.After(testToday.Add(24 * time.Hour)) {
				t.Fatalf("a request sent in the future: %+v", r.Request)
			}
		}
		if open > 1 {
			t.Fatalf("%s has %d open requests", c.Customer.Domain, open)
		}
		for _, m := range c.Migrations {
			steps[m.Migration.Step]++
			if c.Subscriptions[m.Subscription].ServiceType != domain.ServiceUsage {
				t.Fatalf("a checklist for a licence: %+v", m)
			}
		}
		for _, tr := range c.Transfers {
			transfers++
			transferStates[tr.Transfer.Effective(testToday)]++
			for _, i := range tr.Subscriptions {
				if c.Subscriptions[i].Channel != domain.ChannelOtherCSP {
					t.Fatalf("a transfer of a subscription not from another CSP partner: %+v", c.Subscriptions[i])
				}
			}
		}
	}
	if usual < len(book)*8/10 {
		t.Errorf("%d of %d customers have %d to %d subscriptions; want most", usual, len(book), fewest, most)
	}
	if largest < 1000 {
		t.Errorf("the largest customer has %d subscriptions; want a long tail in the thousands", largest)
	}
	if third := len(book) / 3; relationships < third*9/10 || relationships > third*11/10 {
		t.Errorf("%d customers with requests; want about a third of %d", relationships, len(book))
	}
	if terms < 30000 {
		t.Errorf("%d term ends; want most licences to have one", terms)
	}
	if transfers < 100 {
		t.Errorf("%d transfers; want some", transfers)
	}
	for _, want := range []struct {
		name string
		got  int
		of   int
	}{
		{"channels", len(channels), len(domain.Channels) + 1},
		{"service types", len(services), len(domain.ServiceTypes) + 1},
		{"commerce kinds", len(commerces), len(domain.Commerces) + 1},
		{"offer kinds", len(offers), len(domain.OfferKinds)},
		{"relationship states", len(states), 8},
		{"transfer states", len(transferStates), 6},
		{"checklist steps", len(steps), 3},
	} {
		if want.got != want.of {
			t.Errorf("%d %s; want all %d", want.got, want.name, want.of)
		}
	}
}

func TestTheSameSizeGivesTheSameBook(t *testing.T) {
	size := Size{Customers: 300, Subscriptions: 4000}
	if a, b := collect(size), collect(size); !reflect.DeepEqual(a, b) {
		t.Fatal("two books of the same size differ")
	}
	if a, b := collect(size), collect(Size{Customers: 300, Subscriptions: 4001}); reflect.DeepEqual(a[:10], b[:10]) {
		t.Fatal("books of different sizes start the same")
	}
}

func TestTheBookStopsWhenAskedTo(t *testing.T) {
	n := 0
	for range Customers(Size{Customers: 1000, Subscriptions: 10000}, testStaff, testToday) {
		if n++; n == 5 {
			break
		}
	}
	if n != 5 {
		t.Fatalf("read %d customers; want 5", n)
	}
}
