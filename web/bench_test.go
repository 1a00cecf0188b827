package web

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/wingtip/multichannel/internal/argon2id"
	"github.com/wingtip/multichannel/internal/demo"
	"github.com/wingtip/multichannel/internal/domain"
	"github.com/wingtip/multichannel/internal/sqlite"
)

var (
	benchFirst  = []string{"Contoso", "Fabrikam", "Northwind", "Adatum", "Tailspin", "Woodgrove", "Litware", "Proseware", "Alpine", "Coho", "Fourth", "Humongous", "Lucerne", "Margie", "Trey", "Wide", "Wingtip", "Blue", "City", "Graphic"}
	benchSecond = []string{"Traders", "Toys", "Bank", "Winery", "Travel", "Insurance", "Publishing", "Research", "Systems", "Consulting", "Pharma", "Logistics", "Foods", "Energy", "Design", "Health", "Motors", "Labs", "Media", "Partners"}
)

// benchApp starts the real server on a database holding the given seed data
// and the demo users, and signs in a Sales agent.
func benchApp(b *testing.B, data domain.SeedData) (*testApp, *http.Client) {
	b.Helper()
	app := startTestApp(b, testOptions{seed: func(ctx context.Context, store *sqlite.Store, hasher *argon2id.Hasher, _ *url.URL) error {
		users := demo.Build(time.Now()).Users
		for i := range users {
			hash, err := hasher.Hash(ctx, demo.Password)
			if err != nil {
				return err
			}
			users[i].PasswordHash = hash
		}
		data.Partner, data.Users = demo.Partner, users
		_, err := store.SeedDemo(ctx, data)
		return err
	}})
	return app, app.signIn(salesAgent)
}

// BenchmarkCustomerSearch searches 50,000 customers as the search box does:
// an htmx request through the real handler, store and HTTP, with a different
// prefix each time.
func BenchmarkCustomerSearch(b *testing.B) {
	const n = 50_000
	rng := rand.New(rand.NewPCG(1, 2))
	data := domain.SeedData{}
	for i := range n {
		name := fmt.Sprintf("%s %s %05d", benchFirst[rng.IntN(len(benchFirst))], benchSecond[rng.IntN(len(benchSecond))], i)
		data.Customers = append(data.Customers, domain.CustomerInventory{Customer: domain.Customer{Name: name,
			Domain: fmt.Sprintf("tenant%05d.onmicrosoft.com", i), Country: "GB", AdminName: "Admin", AdminEmail: "admin@example.com"}})
	}
	app, c := benchApp(b, data)
	var queries []string
	for _, w := range append(benchFirst, benchSecond...) {
		queries = append(queries, strings.ToLower(w[:3]), strings.ToLower(w[:4])+" "+strings.ToLower(benchSecond[len(w)%len(benchSecond)][:2]))
	}
	queries = append(queries, "tenant123", "tenant0", "zzz")
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		res := app.htmx(c, http.MethodGet, "/customers?q="+strings.ReplaceAll(queries[i%len(queries)], " ", "+"), nil)
		if res.status != http.StatusOK {
			b.Fatalf("search: %d", res.status)
		}
	}
}

// benchCustomers is n customers without subscriptions, named
// "Customer 00000" onwards.
func benchCustomers(n int) domain.SeedData {
	data := domain.SeedData{}
	for i := range n {
		data.Customers = append(data.Customers, domain.CustomerInventory{Customer: domain.Customer{Name: fmt.Sprintf("Customer %05d", i),
			Domain: fmt.Sprintf("tenant%05d.onmicrosoft.com", i), Country: "GB", AdminName: "Admin", AdminEmail: "admin@example.com"}})
	}
	return data
}

// BenchmarkCustomerList pages through 50,000 customers sorted by last change,
// the list without a search.
func BenchmarkCustomerList(b *testing.B) {
	app, c := benchApp(b, benchCustomers(50_000))
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		if res := app.get(c, fmt.Sprintf("/customers?sort=-changed&page=%d", 1+i%1000)); res.status != http.StatusOK {
			b.Fatalf("list: %d", res.status)
		}
	}
}

// BenchmarkPlan renders the plan of a customer with 1,000 subscriptions
// across every channel and service type.
func BenchmarkPlan(b *testing.B) {
	ci := domain.CustomerInventory{Customer: domain.Customer{Name: "Big Customer", Domain: "big.onmicrosoft.com", Country: "US",
		AdminName: "Admin", AdminEmail: "admin@big.example"}}
	for i := range 1000 {
		end := time.Now().UTC().AddDate(0, i%12, 0).Truncate(24 * time.Hour)
		sub := domain.Subscription{Product: fmt.Sprintf("Product %04d", i), Channel: domain.Channels[i%len(domain.Channels)],
			ServiceType: domain.ServiceTypes[i%2], Reference: "ref"}
		if sub.ServiceType == domain.ServiceLicence {
			sub.Quantity, sub.TermEnd = 10+i, &end
		}
		ci.Subscriptions = append(ci.Subscriptions, sub)
	}
	app, c := benchApp(b, domain.SeedData{Customers: []domain.CustomerInventory{ci}})
	id := app.customerID("Big")
	path := fmt.Sprintf("/customers/%d/plan", id)
	if res := app.get(c, path); strings.Count(res.body, "<tr>") < 1000 {
		b.Fatalf("the plan shows %d rows", strings.Count(res.body, "<tr>"))
	}
	b.ResetTimer()
	for b.Loop() {
		if res := app.get(c, path); res.status != http.StatusOK {
			b.Fatalf("plan: %d", res.status)
		}
	}
}

// BenchmarkDashboard renders the dashboard over 20,000 customers with
// 100,000 subscriptions across every channel and service type.
func BenchmarkDashboard(b *testing.B) {
	data := domain.SeedData{}
	for i := range 20_000 {
		ci := domain.CustomerInventory{Customer: domain.Customer{Name: fmt.Sprintf("Customer %05d", i),
			Domain: fmt.Sprintf("tenant%05d.onmicrosoft.com", i), Country: "GB", AdminName: "Admin", AdminEmail: "admin@example.com"}}
		for j := range 5 {
			k := i*5 + j
			sub := domain.Subscription{Product: "Product", Channel: domain.Channels[k%len(domain.Channels)], ServiceType: domain.ServiceTypes[k%2]}
			if sub.ServiceType == domain.ServiceLicence {
				end := time.Now().UTC().AddDate(0, k%12, 0).Truncate(24 * time.Hour)
				sub.TermEnd = &end
			}
			ci.Subscriptions = append(ci.Subscriptions, sub)
		}
		data.Customers = append(data.Customers, ci)
	}
	app, c := benchApp(b, data)
	b.ResetTimer()
	for b.Loop() {
		if res := app.get(c, "/"); res.status != http.StatusOK {
			b.Fatalf("dashboard: %d", res.status)
		}
	}
}

// BenchmarkCustomerPage opens one customer's page among 1,000, the lightest
// signed-in page: what it costs is mostly what every signed-in request
// reads and renders around the page (session, user, partner, settings).
func BenchmarkCustomerPage(b *testing.B) {
	app, c := benchApp(b, benchCustomers(1000))
	path := fmt.Sprintf("/customers/%d", app.customerID("Customer 00500"))
	b.ResetTimer()
	for b.Loop() {
		if res := app.get(c, path); res.status != http.StatusOK {
			b.Fatalf("customer page: %d", res.status)
		}
	}
}
