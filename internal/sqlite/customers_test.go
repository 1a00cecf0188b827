package sqlite

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wingtip/multichannel/internal/demo"
	"github.com/wingtip/multichannel/internal/domain"
)

// ctClock is a settable clock for s.now, safe for concurrent use.
type ctClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *ctClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *ctClock) set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

// ctUseClock installs a clock at t on the store and returns it.
func ctUseClock(s *Store, t time.Time) *ctClock {
	c := &ctClock{t: t}
	s.now = c.now
	return c
}

// ctActor creates a user and returns it as an actor, so that audit entries
// can reference it.
func ctActor(t *testing.T, s *Store, email string) domain.Actor {
	t.Helper()
	id, err := s.CreateUser(context.Background(), domain.User{Email: email, Name: "Actor " + email, Role: domain.RoleAdminAgent, Active: true, PasswordHash: "x"})
	if err != nil {
		t.Fatal(err)
	}
	return domain.Actor{UserID: id, ClientIP: "192.0.2.7"}
}

// ctCustomer returns a normalised, valid customer.
func ctCustomer(t *testing.T, name, domainName string) domain.Customer {
	t.Helper()
	c := domain.Customer{Name: name, Domain: domainName, Country: "GB", AdminName: "Megan Bowen", AdminEmail: "it-admin@customer.example"}.Normalize()
	if errs := c.Validate(); errs.Any() {
		t.Fatalf("test customer %q is invalid: %v", name, errs)
	}
	return c
}

// ctSameCustomer compares every field, the times as instants.
func ctSameCustomer(a, b domain.Customer) bool {
	if !a.CreatedAt.Equal(b.CreatedAt) || !a.UpdatedAt.Equal(b.UpdatedAt) {
		return false
	}
	a.CreatedAt, a.UpdatedAt, b.CreatedAt, b.UpdatedAt = time.Time{}, time.Time{}, time.Time{}, time.Time{}
	return a == b
}

func ctCreate(t *testing.T, s *Store, actor domain.Actor, c domain.Customer) int64 {
	t.Helper()
	id, err := s.CreateCustomer(context.Background(), actor, c)
	if err != nil || id == 0 {
		t.Fatalf("CreateCustomer(%s) = %d, %v", c.Name, id, err)
	}
	return id
}

// ctAudit returns the audit log, newest first.
func ctAudit(t *testing.T, s *Store) []domain.AuditEntry {
	t.Helper()
	entries, err := s.RecentAudit(context.Background(), domain.Page{Number: 1, Size: 1000})
	if err != nil {
		t.Fatal(err)
	}
	return entries
}

// ctFindAudit returns the entries with this action, newest first.
func ctFindAudit(entries []domain.AuditEntry, action domain.AuditAction) []domain.AuditEntry {
	var found []domain.AuditEntry
	for _, e := range entries {
		if e.Action == action {
			found = append(found, e)
		}
	}
	return found
}

func ctDate(y int, m time.Month, d int) *time.Time {
	t := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	return &t
}

// ctSearch returns every customer the search finds (all pages, 50 a page)
// and the total the store reports.
func ctSearch(t *testing.T, s *Store, search string, sortBy domain.CustomerSort) ([]domain.CustomerListItem, int) {
	t.Helper()
	var all []domain.CustomerListItem
	total := -1
	for page := 1; page < 100; page++ {
		items, n, err := s.ListCustomers(context.Background(), domain.CustomerQuery{Search: search, Sort: sortBy, Page: domain.Page{Number: page, Size: 50}})
		if err != nil {
			t.Fatalf("ListCustomers(%q, page %d): %v", search, page, err)
		}
		if total >= 0 && n != total {
			t.Fatalf("ListCustomers(%q): total changed between pages: %d then %d", search, total, n)
		}
		total = n
		all = append(all, items...)
		if len(items) < 50 {
			break
		}
	}
	return all, total
}

func TestCustomerCreateUpdateAndDomainUnique(t *testing.T) {
	s, _ := openTestStore(t)
	ctx := context.Background()
	actor := ctActor(t, s, "avery@wingtip.example")
	t0 := time.Date(2026, 3, 1, 9, 0, 0, 123456789, time.UTC)
	clock := ctUseClock(s, t0)

	c := domain.Customer{Name: "  Contoso Ltd ", Domain: " Contoso.OnMicrosoft.com. ", TenantID: "{72F988BF-86F1-41AF-91AB-2D7CD011DB47}",
		Country: "gb", AdminName: "Megan Bowen", AdminEmail: "Megan.Bowen@Contoso.example", IsCSPPartner: true}.Normalize()
	if errs := c.Validate(); errs.Any() {
		t.Fatalf("customer invalid: %v", errs)
	}
	id := ctCreate(t, s, actor, c)

	got, err := s.Customer(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	want := c
	want.ID, want.CreatedAt, want.UpdatedAt, want.Version = id, t0, t0, 1
	if !ctSameCustomer(got, want) {
		t.Fatalf("Customer after create =\n %+v\nwant\n %+v", got, want)
	}
	if got.Domain != "contoso.onmicrosoft.com" || got.TenantID != "72f988bf-86f1-41af-91ab-2d7cd011db47" || got.Country != "GB" ||
		got.AdminEmail != "megan.bowen@contoso.example" || !got.IsCSPPartner {
		t.Fatalf("stored fields not normalised: %+v", got)
	}
	if _, err := s.Customer(ctx, id+100); !errors.Is(err, domain.ErrNotFound) {
		t.Fatalf("Customer(unknown) = %v; want ErrNotFound", err)
	}

	// Update: a new name (and so new search terms), a new admin, no longer a CSP partner.
	t1 := t0.Add(time.Hour)
	clock.set(t1)
	upd := got
	upd.Name, upd.AdminName, upd.IsCSPPartner, upd.TenantID = "Fourth Coffee", "Alex Wilber", false, ""
	if err := s.UpdateCustomer(ctx, actor, upd); err != nil {
		t.Fatal(err)
	}
	got, err = s.Customer(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	want = upd
	want.CreatedAt, want.UpdatedAt, want.Version = t0, t1, 2
	if !ctSameCustomer(got, want) {
		t.Fatalf("Customer after update =\n %+v\nwant\n %+v", got, want)
	}
	// A save from the version before is refused with the customer as
	// stored, who saved it and when; nothing changes.
	var stale *domain.Stale[domain.Customer]
	old := upd
	old.Name = "Stale Coffee"
	if err := s.UpdateCustomer(ctx, actor, old); !errors.As(err, &stale) || stale.Version != 2 || stale.Current.Name != "Fourth Coffee" ||
		stale.ChangedBy != "Actor avery@wingtip.example" || !stale.ChangedAt.Equal(t1) {
		t.Fatalf("stale update: %v %+v", err, stale)
	}
	if got, _ := s.Customer(ctx, id); got.Name != "Fourth Coffee" || got.Version != 2 {
		t.Fatalf("a stale update changed the customer: %+v", got)
	}
	for _, tc := range []struct {
		search string
		want   int
	}{
		{"contoso", 1}, // the domain still starts with contoso
		{"ltd", 0},     // the old name's words are gone
		{"fourth", 1},
		{"coffee", 1},
		{"fourth contoso", 1},
		{"fourth ltd", 0},
	} {
		items, total := ctSearch(t, s, tc.search, domain.SortByName)
		if total != tc.want || len(items) != tc.want {
			t.Errorf("after rename, search %q: %d items, total %d; want %d", tc.search, len(items), total, tc.want)
		}
	}

	// A second customer may not take the domain, on create or on update.
	before := len(ctAudit(t, s))
	for _, dom := range []string{"contoso.onmicrosoft.com", "CONTOSO.onmicrosoft.com."} {
		dup := ctCustomer(t, "Contoso Copy", dom)
		if _, err := s.CreateCustomer(ctx, actor, dup); !errors.Is(err, domain.ErrDomainTaken) {
			t.Errorf("create with domain %q taken: %v; want ErrDomainTaken", dom, err)
		}
	}
	if n, _ := ctCountCustomers(s, ctx); n != 1 {
		t.Fatalf("%d customers after refused creates; want 1", n)
	}
	if items, _ := ctSearch(t, s, "copy", domain.SortByName); len(items) != 0 {
		t.Fatalf("a refused create left search terms: %+v", items)
	}
	other := ctCustomer(t, "Fabrikam", "fabrikam.onmicrosoft.com")
	other.ID = ctCreate(t, s, actor, other)
	other.Version = 1
	taken := other
	taken.Domain = "contoso.onmicrosoft.com"
	if err := s.UpdateCustomer(ctx, actor, taken); !errors.Is(err, domain.ErrDomainTaken) {
		t.Fatalf("update to a taken domain: %v; want ErrDomainTaken", err)
	}
	if got, _ := s.Customer(ctx, other.ID); got.Domain != "fabrikam.onmicrosoft.com" {
		t.Fatalf("refused update changed the domain to %q", got.Domain)
	}
	// Keeping its own domain is not a conflict.
	other.AdminName = "Alex Wilber"
	if err := s.UpdateCustomer(ctx, actor, other); err != nil {
		t.Fatalf("update keeping its own domain: %v", err)
	}

	unknown := other
	unknown.ID, unknown.Domain = other.ID+1000, "nobody.onmicrosoft.com"
	if err := s.UpdateCustomer(ctx, actor, unknown); !errors.Is(err, domain.ErrNotFound) {
		t.Fatalf("update of an unknown id: %v; want ErrNotFound", err)
	}
	if items, _ := ctSearch(t, s, "nobody", domain.SortByName); len(items) != 0 {
		t.Fatal("update of an unknown id left search terms")
	}

	// Audit: two creations, two changes (the refused ones left nothing).
	entries := ctAudit(t, s)
	if got := len(entries) - before; got != 2 {
		t.Errorf("%d audit entries since the refused writes; want 2 (create Fabrikam, update Fabrikam)", got)
	}
	created := ctFindAudit(entries, "customer_created")
	changed := ctFindAudit(entries, "customer_changed")
	if len(created) != 2 || len(changed) != 2 {
		t.Fatalf("audit has %d customer_created and %d customer_changed; want 2 and 2: %+v", len(created), len(changed), entries)
	}
	for _, tc := range []struct {
		entry      domain.AuditEntry
		customerID int64
		name       string
		at         time.Time
	}{
		{created[1], id, "Contoso Ltd", t0},
		{changed[1], id, "Fourth Coffee", t1},
		{created[0], other.ID, "Fabrikam", t1},
		{changed[0], other.ID, "Fabrikam", t1},
	} {
		e := tc.entry
		if e.CustomerID != tc.customerID || e.ActorID != actor.UserID || e.ActorName != "Actor avery@wingtip.example" ||
			e.ClientIP != actor.ClientIP || !strings.Contains(e.Target, tc.name) ||
			!strings.Contains(e.Target, fmt.Sprintf("customer:%d", tc.customerID)) || !e.At.Equal(tc.at) {
			t.Errorf("audit %s = %+v; want customer %d, actor %d, target naming %q, at %v", e.Action, e, tc.customerID, actor.UserID, tc.name, tc.at)
		}
	}
}

func TestListCustomersPaginationSearchAndSort(t *testing.T) {
	s, _ := openTestStore(t)
	ctx := context.Background()
	actor := ctActor(t, s, "sam@wingtip.example")
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	clock := ctUseClock(s, base)

	type fixture struct{ name, domain string }
	fixtures := []fixture{
		{"Contoso Ltd", "contoso.onmicrosoft.com"},
		{"Contoso Pharma", "contosopharma.onmicrosoft.com"},
		{"Northwind Traders", "northwindtraders.onmicrosoft.com"},
		{"Fabrikam", "fabrikam.onmicrosoft.com"},
		{"adatum", "adatum.onmicrosoft.com"}, // lower case: sorts by name_key, not by byte
		{"Alpine Ski House", "alpineskihouse.onmicrosoft.com"},
	}
	for i := 1; i <= 116; i++ {
		fixtures = append(fixtures, fixture{fmt.Sprintf("Company %03d", i), fmt.Sprintf("company%03d.onmicrosoft.com", i)})
	}
	n := len(fixtures)
	// Insert in a shuffled order, each at a time from another permutation, so
	// that id order, name order and change order all differ.
	rng := rand.New(rand.NewPCG(1, 2))
	order := rng.Perm(n)
	minutes := rng.Perm(n)
	ids := map[string]int64{}
	updated := map[int64]time.Time{}
	for i, fi := range order {
		f := fixtures[fi]
		at := base.Add(time.Duration(minutes[i]+1) * time.Minute)
		clock.set(at)
		id := ctCreate(t, s, actor, ctCustomer(t, f.name, f.domain))
		ids[f.name] = id
		updated[id] = at
	}

	t.Run("pages", func(t *testing.T) {
		for _, tc := range []struct {
			page, want int
		}{{1, 50}, {2, 50}, {3, n - 100}, {4, 0}} {
			items, total, err := s.ListCustomers(ctx, domain.CustomerQuery{Sort: domain.SortByName, Page: domain.Page{Number: tc.page, Size: 50}})
			if err != nil || len(items) != tc.want || total != n {
				t.Errorf("page %d: %d items, total %d, %v; want %d of %d", tc.page, len(items), total, err, tc.want, n)
			}
		}
	})

	t.Run("sort", func(t *testing.T) {
		var keys []string
		for _, f := range fixtures {
			keys = append(keys, strings.ToLower(f.name))
		}
		sort.Strings(keys)
		desc := slices.Clone(keys)
		slices.Reverse(desc)
		byChange := make([]int64, 0, n)
		for _, id := range ids {
			byChange = append(byChange, id)
		}
		slices.SortFunc(byChange, func(a, b int64) int { return updated[a].Compare(updated[b]) })
		newest := slices.Clone(byChange)
		slices.Reverse(newest)

		nameKeys := func(items []domain.CustomerListItem) []string {
			var out []string
			for _, it := range items {
				out = append(out, strings.ToLower(it.Customer.Name))
			}
			return out
		}
		itemIDs := func(items []domain.CustomerListItem) []int64 {
			var out []int64
			for _, it := range items {
				out = append(out, it.Customer.ID)
			}
			return out
		}
		for _, tc := range []struct {
			sort      domain.CustomerSort
			wantNames []string
			wantIDs   []int64
		}{
			{domain.SortByName, keys, nil},
			{"", keys, nil}, // the default order
			{domain.SortByNameDesc, desc, nil},
			{domain.SortByChanged, nil, newest},
			{domain.SortByChangedOldest, nil, byChange},
		} {
			items, total := ctSearch(t, s, "", tc.sort)
			if total != n || len(items) != n {
				t.Fatalf("sort %q: %d items, total %d; want %d", tc.sort, len(items), total, n)
			}
			if tc.wantNames != nil && !slices.Equal(nameKeys(items), tc.wantNames) {
				t.Errorf("sort %q: names\n %v\nwant\n %v", tc.sort, nameKeys(items), tc.wantNames)
			}
			if tc.wantIDs != nil && !slices.Equal(itemIDs(items), tc.wantIDs) {
				t.Errorf("sort %q: ids\n %v\nwant\n %v", tc.sort, itemIDs(items), tc.wantIDs)
			}
			for _, it := range items {
				if !it.Customer.UpdatedAt.Equal(updated[it.Customer.ID]) {
					t.Fatalf("customer %d updated_at = %v; want %v", it.Customer.ID, it.Customer.UpdatedAt, updated[it.Customer.ID])
				}
			}
		}
	})

	t.Run("search", func(t *testing.T) {
		companies := func(from, to int) []string {
			var out []string
			for i := from; i <= to; i++ {
				out = append(out, fmt.Sprintf("Company %03d", i))
			}
			return out
		}
		for _, tc := range []struct {
			search string
			want   []string // names, in name order
		}{
			{"cont", []string{"Contoso Ltd", "Contoso Pharma"}},
			{"CONT", []string{"Contoso Ltd", "Contoso Pharma"}},
			{"  Contoso  ", []string{"Contoso Ltd", "Contoso Pharma"}},
			{"pharma", []string{"Contoso Pharma"}},
			{"trad", []string{"Northwind Traders"}}, // a later word of the name
			{"northwind tra", []string{"Northwind Traders"}},
			{"TRA northwind", []string{"Northwind Traders"}},
			{"northwind fab", nil},
			{"fab", []string{"Fabrikam"}},
			{"ADATUM", []string{"adatum"}},
			{"ski", []string{"Alpine Ski House"}},
			{"company00", companies(1, 9)}, // a domain prefix
			{"company01", companies(10, 19)},
			{"company116.onmicrosoft.com", companies(116, 116)},
			{"contosopharma.onmicrosoft", []string{"Contoso Pharma"}},
			{"company", companies(1, 116)},
			{"company 001", companies(1, 1)},
			{"toso", nil}, // not the start of a word
			{"zzz", nil},
			// SQL wildcards are not wildcards: nothing contains them.
			{"%", nil},
			{"_", nil},
			{"%_%", nil},
			{"co_toso", nil},
			{"c%toso", nil},
			{"cont_so", nil},
		} {
			items, total := ctSearch(t, s, tc.search, domain.SortByName)
			var names []string
			for _, it := range items {
				names = append(names, it.Customer.Name)
			}
			if total != len(tc.want) || !slices.Equal(names, tc.want) {
				t.Errorf("search %q: total %d, %d names %v; want %d: %v", tc.search, total, len(names), ctAbbreviate(names), len(tc.want), ctAbbreviate(tc.want))
			}
		}
		// The total follows the search, not the page.
		items, total, err := s.ListCustomers(ctx, domain.CustomerQuery{Search: "company", Sort: domain.SortByName, Page: domain.Page{Number: 3, Size: 50}})
		if err != nil || total != 116 || len(items) != 16 || items[0].Customer.Name != "Company 101" {
			t.Errorf("search company page 3: %d items, total %d, %v; want 16 of 116 starting at Company 101", len(items), total, err)
		}
	})

	t.Run("counts", func(t *testing.T) {
		id := ids["Contoso Ltd"]
		touched := base.Add(24 * time.Hour)
		clock.set(touched)
		var removeID int64
		for _, sub := range []domain.Subscription{
			{Product: "Microsoft 365 E3", ServiceType: domain.ServiceLicence, Channel: domain.ChannelEA, Quantity: 250},
			{Product: "Azure plan", ServiceType: domain.ServiceUsage, Channel: domain.ChannelEA},
			{Product: "Office 365 E1", ServiceType: domain.ServiceLicence, Channel: domain.ChannelUnknown, Quantity: 10},
			{Product: "Visio Plan 2", ServiceType: domain.ServiceUnknown, Channel: domain.ChannelUnknown}, // removed below
		} {
			sub.CustomerID = id
			subID, err := s.AddSubscription(ctx, actor, sub.Normalize())
			if err != nil {
				t.Fatal(err)
			}
			removeID = subID
		}
		if err := s.RemoveSubscription(ctx, actor, id, removeID, 1); err != nil {
			t.Fatal(err)
		}
		// A second customer, changed later, whose one subscription has a
		// channel but no service type: unclassified too.
		pharma := ids["Contoso Pharma"]
		touchedLater := touched.Add(time.Hour)
		clock.set(touchedLater)
		if _, err := s.AddSubscription(ctx, actor, domain.Subscription{CustomerID: pharma, Product: "Visio Plan 2", Channel: domain.ChannelOpen}.Normalize()); err != nil {
			t.Fatal(err)
		}
		items, _ := ctSearch(t, s, "", domain.SortByChanged)
		if len(items) != n {
			t.Fatalf("%d customers listed; want %d", len(items), n)
		}
		if items[0].Customer.ID != pharma || !items[0].Customer.UpdatedAt.Equal(touchedLater) ||
			items[1].Customer.ID != id || !items[1].Customer.UpdatedAt.Equal(touched) {
			t.Fatalf("the customers whose inventory changed are not first by last change: %+v, %+v", items[0], items[1])
		}
		for _, it := range items {
			wantSubs, wantUnclassified := 0, 0
			switch it.Customer.ID {
			case id:
				wantSubs, wantUnclassified = 3, 1
			case pharma:
				wantSubs, wantUnclassified = 1, 1
			}
			if sum := domain.Summarize(it.Customer, domain.Rules{}, it.Counts); sum.Total != wantSubs || sum.Unclassified != wantUnclassified {
				t.Errorf("%s: %d subscriptions, %d unclassified; want %d and %d", it.Customer.Name, sum.Total, sum.Unclassified, wantSubs, wantUnclassified)
			}
		}
		// The counts are the same through a search.
		found, total := ctSearch(t, s, "contoso", domain.SortByName)
		first, second := domain.Summarize(found[0].Customer, domain.Rules{}, found[0].Counts), domain.Summarize(found[1].Customer, domain.Rules{}, found[1].Counts)
		if total != 2 || first.Total != 3 || first.Unclassified != 1 || second.Total != 1 || second.Unclassified != 1 {
			t.Errorf("counts through a search: %+v", found)
		}
	})
}

// ctAbbreviate shortens a long list of names for a failure message.
func ctAbbreviate(names []string) []string {
	if len(names) <= 12 {
		return names
	}
	return append(slices.Clone(names[:10]), "…", names[len(names)-1])
}

func TestSubscriptionsAddUpdateRemoveAndAudit(t *testing.T) {
	s, _ := openTestStore(t)
	ctx := context.Background()
	actor := ctActor(t, s, "jordan@wingtip.example")
	t0 := time.Date(2026, 5, 4, 8, 0, 0, 0, time.UTC)
	clock := ctUseClock(s, t0)
	cid := ctCreate(t, s, actor, ctCustomer(t, "Contoso Ltd", "contoso.onmicrosoft.com"))
	otherID := ctCreate(t, s, actor, ctCustomer(t, "Fabrikam", "fabrikam.onmicrosoft.com"))

	// Add: a licence with seats and a term end, and a usage-based one whose
	// seats and term are dropped by Normalize.
	t1 := t0.Add(time.Minute)
	clock.set(t1)
	lic := domain.Subscription{CustomerID: cid, Product: " Microsoft 365 E3 ", ServiceType: domain.ServiceLicence, Channel: domain.ChannelEA,
		Quantity: 250, TermEnd: ctDate(2027, 3, 31), Reference: "EA 87654321", Notes: "renews yearly"}.Normalize()
	licID, err := s.AddSubscription(ctx, actor, lic)
	if err != nil {
		t.Fatal(err)
	}
	usage := domain.Subscription{CustomerID: cid, Product: "Azure plan", ServiceType: domain.ServiceUsage, Channel: domain.ChannelEA,
		Quantity: 5, TermEnd: ctDate(2027, 1, 1), Reference: "EA 87654321"}.Normalize()
	usageID, err := s.AddSubscription(ctx, actor, usage)
	if err != nil {
		t.Fatal(err)
	}
	if c, _ := s.Customer(ctx, cid); !c.UpdatedAt.Equal(t1) {
		t.Fatalf("customer updated_at after add = %v; want %v", c.UpdatedAt, t1)
	}
	if c, _ := s.Customer(ctx, otherID); !c.UpdatedAt.Equal(t0) {
		t.Fatalf("another customer's updated_at moved to %v", c.UpdatedAt)
	}
	if _, err := s.AddSubscription(ctx, actor, domain.Subscription{CustomerID: otherID + 100, Product: "Azure plan"}); !errors.Is(err, domain.ErrNotFound) {
		t.Fatalf("add to an unknown customer: %v; want ErrNotFound", err)
	}

	got, err := s.Subscription(ctx, cid, licID)
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != licID || got.CustomerID != cid || got.Product != "Microsoft 365 E3" || got.ServiceType != domain.ServiceLicence ||
		got.Channel != domain.ChannelEA || got.Quantity != 250 || got.Reference != "EA 87654321" || got.Notes != "renews yearly" ||
		!got.CreatedAt.Equal(t1) || !got.UpdatedAt.Equal(t1) {
		t.Fatalf("Subscription = %+v", got)
	}
	if got.TermEnd == nil || !got.TermEnd.Equal(*ctDate(2027, 3, 31)) || got.TermEnd.Location() != time.UTC || got.TermEnd.Format(domain.DateLayout) != "2027-03-31" {
		t.Fatalf("term end = %v; want 2027-03-31 at midnight UTC", got.TermEnd)
	}
	gotUsage, err := s.Subscription(ctx, cid, usageID)
	// Seats and a term end do not apply to usage-based Azure, but what was
	// typed is kept, so switching the service type back loses nothing.
	if err != nil || gotUsage.Seats() != 0 || gotUsage.Term() != nil || gotUsage.ServiceType != domain.ServiceUsage ||
		gotUsage.Quantity != 5 || gotUsage.TermEnd == nil {
		t.Fatalf("usage-based subscription = %+v, %v; want seats and term kept but not applying", gotUsage, err)
	}
	if _, err := s.Subscription(ctx, otherID, licID); !errors.Is(err, domain.ErrNotFound) {
		t.Fatalf("a subscription read through another customer: %v; want ErrNotFound", err)
	}

	// Update.
	t2 := t1.Add(time.Minute)
	clock.set(t2)
	changed := got
	changed.Channel, changed.Quantity, changed.TermEnd, changed.Reference = domain.ChannelOpen, 300, ctDate(2028, 6, 30), "Open 4711"
	if err := s.UpdateSubscription(ctx, actor, changed); err != nil {
		t.Fatal(err)
	}
	got, err = s.Subscription(ctx, cid, licID)
	if err != nil || got.Channel != domain.ChannelOpen || got.Quantity != 300 || got.Reference != "Open 4711" ||
		got.TermEnd == nil || got.TermEnd.Format(domain.DateLayout) != "2028-06-30" || !got.CreatedAt.Equal(t1) || !got.UpdatedAt.Equal(t2) {
		t.Fatalf("after update: %+v, %v", got, err)
	}
	if c, _ := s.Customer(ctx, cid); !c.UpdatedAt.Equal(t2) {
		t.Fatalf("customer updated_at after a subscription change = %v; want %v", c.UpdatedAt, t2)
	}
	wrongCustomer := changed
	wrongCustomer.CustomerID = otherID
	if err := s.UpdateSubscription(ctx, actor, wrongCustomer); !errors.Is(err, domain.ErrNotFound) {
		t.Fatalf("update through another customer: %v; want ErrNotFound", err)
	}

	// More subscriptions for the pages: 7 in all, 2 of them unclassified.
	for i := range 5 {
		sub := domain.Subscription{CustomerID: cid, Product: fmt.Sprintf("Product %d", i), ServiceType: domain.ServiceLicence, Channel: domain.ChannelAdvisor, Quantity: i + 1}
		if i < 2 {
			sub.Channel = domain.ChannelUnknown
		}
		if _, err := s.AddSubscription(ctx, actor, sub.Normalize()); err != nil {
			t.Fatal(err)
		}
	}
	all, err := s.AllSubscriptions(ctx, cid)
	if err != nil || len(all) != 7 {
		t.Fatalf("AllSubscriptions: %d, %v; want 7", len(all), err)
	}
	if !slices.IsSortedFunc(all, func(a, b domain.Subscription) int { return int(a.ID - b.ID) }) || all[0].ID != licID || all[1].ID != usageID {
		t.Fatalf("AllSubscriptions not in id order: %+v", all)
	}
	var paged []domain.Subscription
	for _, tc := range []struct{ page, want int }{{1, 3}, {2, 3}, {3, 1}, {4, 0}} {
		subs, total, err := s.ListSubscriptions(ctx, cid, domain.Page{Number: tc.page, Size: 3})
		if err != nil || len(subs) != tc.want || total != 7 {
			t.Fatalf("ListSubscriptions page %d: %d of %d, %v; want %d of 7", tc.page, len(subs), total, err, tc.want)
		}
		paged = append(paged, subs...)
	}
	for i := range all {
		if paged[i].ID != all[i].ID {
			t.Fatalf("pages do not follow id order: %d at %d; want %d", paged[i].ID, i, all[i].ID)
		}
	}
	if sum := ctSummary(t, s, ctx, cid); sum.Total != 7 || sum.Unclassified != 2 {
		t.Fatalf("summary = %+v; want 7 with 2 unclassified", sum)
	}
	if subs, total, err := s.ListSubscriptions(ctx, otherID, domain.Page{Number: 1, Size: 3}); err != nil || len(subs) != 0 || total != 0 {
		t.Fatalf("another customer's inventory: %d of %d, %v", len(subs), total, err)
	}

	// Remove.
	if err := s.RemoveSubscription(ctx, actor, otherID, licID, 1); !errors.Is(err, domain.ErrNotFound) {
		t.Fatalf("remove through another customer: %v; want ErrNotFound", err)
	}
	t3 := t2.Add(time.Minute)
	clock.set(t3)
	// A removal from a page older than the subscription is refused.
	if err := s.RemoveSubscription(ctx, actor, cid, licID, 0); !errors.Is(err, domain.ErrStale) {
		t.Fatalf("remove from a stale page: %v; want domain.Stale", err)
	}
	if err := s.RemoveSubscription(ctx, actor, cid, licID, 2); err != nil { // it was edited once above
		t.Fatal(err)
	}
	if _, err := s.Subscription(ctx, cid, licID); !errors.Is(err, domain.ErrNotFound) {
		t.Fatalf("Subscription after removal: %v; want ErrNotFound", err)
	}
	all, _ = s.AllSubscriptions(ctx, cid)
	subs, total, _ := s.ListSubscriptions(ctx, cid, domain.Page{Number: 1, Size: 50})
	for _, list := range [][]domain.Subscription{all, subs} {
		if len(list) != 6 || slices.ContainsFunc(list, func(s domain.Subscription) bool { return s.ID == licID }) {
			t.Fatalf("removed subscription still listed, or others lost: %d listed", len(list))
		}
	}
	if total != 6 {
		t.Fatalf("ListSubscriptions total after removal = %d; want 6", total)
	}
	if sum := ctSummary(t, s, ctx, cid); sum.Total != 6 {
		t.Fatalf("InventorySummary after removal = %+v", sum)
	}
	if c, _ := s.Customer(ctx, cid); !c.UpdatedAt.Equal(t3) {
		t.Fatalf("customer updated_at after removal = %v; want %v", c.UpdatedAt, t3)
	}
	if err := s.RemoveSubscription(ctx, actor, cid, licID, 1); !errors.Is(err, domain.ErrNotFound) {
		t.Fatalf("second removal: %v; want ErrNotFound", err)
	}
	if err := s.UpdateSubscription(ctx, actor, changed); !errors.Is(err, domain.ErrNotFound) {
		t.Fatalf("update of a removed subscription: %v; want ErrNotFound", err)
	}

	// The row is kept, with who removed it and when.
	var removedAt string
	var removedBy int64
	var product string
	if err := s.read.QueryRowContext(ctx, `SELECT product, removed_at, removed_by FROM subscriptions WHERE id = ?`, licID).Scan(&product, &removedAt, &removedBy); err != nil {
		t.Fatalf("removed row: %v", err)
	}
	if product != "Microsoft 365 E3" || removedAt != formatTime(t3) || removedBy != actor.UserID {
		t.Fatalf("removed row: product %q, removed_at %q, removed_by %d; want %q, %q, %d", product, removedAt, removedBy, "Microsoft 365 E3", formatTime(t3), actor.UserID)
	}

	// The audit log.
	entries := ctAudit(t, s)
	for _, tc := range []struct {
		action domain.AuditAction
		count  int
	}{{"subscription_added", 7}, {"subscription_changed", 1}, {"subscription_removed", 1}} {
		if got := len(ctFindAudit(entries, tc.action)); got != tc.count {
			t.Errorf("%d %s entries; want %d", got, tc.action, tc.count)
		}
	}
	removed := ctFindAudit(entries, "subscription_removed")
	if len(removed) != 1 {
		t.Fatal("no subscription_removed entry")
	}
	e := removed[0]
	if e.ActorID != actor.UserID || e.CustomerID != cid || e.ClientIP != actor.ClientIP || !e.At.Equal(t3) ||
		!strings.Contains(e.Target, "Microsoft 365 E3") || !strings.Contains(e.Target, fmt.Sprintf("subscription:%d", licID)) {
		t.Errorf("subscription_removed entry = %+v", e)
	}
	for _, part := range []string{"channel=open", "service_type=licence", "quantity=300", "reference=Open 4711"} {
		if !strings.Contains(e.Detail, part) {
			t.Errorf("subscription_removed detail %q lacks %q", e.Detail, part)
		}
	}
	if ch := ctFindAudit(entries, "subscription_changed"); len(ch) == 1 && (ch[0].CustomerID != cid || ch[0].ActorID != actor.UserID || !strings.Contains(ch[0].Target, "Microsoft 365 E3")) {
		t.Errorf("subscription_changed entry = %+v", ch[0])
	}
}

func TestImportBatchIsConfirmedOnce(t *testing.T) {
	s, _ := openTestStore(t)
	ctx := context.Background()
	actor := ctActor(t, s, "avery@wingtip.example")
	t0 := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	ctUseClock(s, t0)
	cid := ctCreate(t, s, actor, ctCustomer(t, "Contoso Ltd", "contoso.onmicrosoft.com"))
	otherID := ctCreate(t, s, actor, ctCustomer(t, "Fabrikam", "fabrikam.onmicrosoft.com"))

	rows := []domain.Subscription{
		{Product: "Microsoft 365 E3", ServiceType: domain.ServiceLicence, Channel: domain.ChannelEA, Quantity: 250, TermEnd: ctDate(2027, 3, 31), Reference: "EA 1", Notes: "from CSV"},
		{Product: "Azure plan", ServiceType: domain.ServiceUsage, Channel: domain.ChannelOtherCSP, Reference: "Litware"},
		{Product: "Visio Plan 2", Quantity: 4},
	}
	batchID, err := s.CreateImportBatch(ctx, actor, batchOf(cid, "inventory.csv", rows))
	if err != nil {
		t.Fatal(err)
	}
	if sum := ctSummary(t, s, ctx, cid); sum.Total != 0 {
		t.Fatalf("a batch in preview added %d subscriptions", sum.Total)
	}
	b, err := s.ImportBatch(ctx, actor, cid, batchID)
	if err != nil {
		t.Fatal(err)
	}
	if b.ID != batchID || b.CustomerID != cid || b.Filename != "inventory.csv" || b.Imported || !b.CreatedAt.Equal(t0) || len(b.Rows) != 3 {
		t.Fatalf("ImportBatch = %+v", b)
	}
	for i, r := range b.Rows {
		got, want := r.Subscription, rows[i]
		want.CustomerID = cid
		if got.CustomerID != want.CustomerID || got.Product != want.Product || got.ServiceType != want.ServiceType || got.Channel != want.Channel ||
			got.Quantity != want.Quantity || got.Reference != want.Reference || got.Notes != want.Notes || (got.TermEnd == nil) != (want.TermEnd == nil) ||
			(got.TermEnd != nil && !got.TermEnd.Equal(*want.TermEnd)) {
			t.Errorf("batch row %d = %+v; want %+v", i, got, want)
		}
	}

	// Another customer cannot see or confirm the batch.
	if _, err := s.ImportBatch(ctx, actor, otherID, batchID); !errors.Is(err, domain.ErrNotFound) {
		t.Fatalf("ImportBatch through another customer: %v; want ErrNotFound", err)
	}
	if _, err := s.ConfirmImport(ctx, actor, otherID, batchID, nil); !errors.Is(err, domain.ErrNotFound) {
		t.Fatalf("ConfirmImport through another customer: %v; want ErrNotFound", err)
	}
	// Nor another user, even through the batch's customer.
	someoneElse := ctActor(t, s, "blake@wingtip.example")
	if _, err := s.ImportBatch(ctx, someoneElse, cid, batchID); !errors.Is(err, domain.ErrNotFound) {
		t.Fatalf("ImportBatch by another user: %v; want ErrNotFound", err)
	}
	if err := s.CorrectImportBatch(ctx, someoneElse, cid, batchID, nil); !errors.Is(err, domain.ErrNotFound) {
		t.Fatalf("CorrectImportBatch by another user: %v; want ErrNotFound", err)
	}
	if _, err := s.ConfirmImport(ctx, someoneElse, cid, batchID, nil); !errors.Is(err, domain.ErrNotFound) {
		t.Fatalf("ConfirmImport by another user: %v; want ErrNotFound", err)
	}
	if sum := ctSummary(t, s, ctx, otherID); sum.Total != 0 {
		t.Fatalf("another customer got %d subscriptions", sum.Total)
	}

	n, err := s.ConfirmImport(ctx, actor, cid, batchID, nil)
	if err != nil || n != 3 {
		t.Fatalf("ConfirmImport = %d, %v; want 3", n, err)
	}
	all, _ := s.AllSubscriptions(ctx, cid)
	if len(all) != 3 || all[0].Product != "Microsoft 365 E3" || all[0].TermEnd == nil || all[0].TermEnd.Format(domain.DateLayout) != "2027-03-31" || all[2].Quantity != 4 {
		t.Fatalf("inventory after import: %+v", all)
	}
	if b, _ := s.ImportBatch(ctx, actor, cid, batchID); !b.Imported {
		t.Fatal("batch not marked imported")
	}
	imported := ctFindAudit(ctAudit(t, s), "subscriptions_imported")
	if len(imported) != 1 || imported[0].CustomerID != cid || imported[0].ActorID != actor.UserID ||
		!strings.Contains(imported[0].Target, "inventory.csv") || !strings.Contains(imported[0].Detail, "3") {
		t.Fatalf("subscriptions_imported audit = %+v", imported)
	}

	if _, err := s.ConfirmImport(ctx, actor, cid, batchID, nil); !errors.Is(err, domain.ErrConflict) {
		t.Fatalf("second ConfirmImport: %v; want ErrConflict", err)
	}
	if sum := ctSummary(t, s, ctx, cid); sum.Total != 3 {
		t.Fatalf("after a second confirmation the inventory has %d; want 3", sum.Total)
	}
	if got := len(ctFindAudit(ctAudit(t, s), "subscriptions_imported")); got != 1 {
		t.Fatalf("%d subscriptions_imported entries after a refused confirmation; want 1", got)
	}

	// Many confirmations of a new batch at once: exactly one wins.
	second := []domain.Subscription{
		{Product: "Power BI Pro", ServiceType: domain.ServiceLicence, Channel: domain.ChannelAdvisor, Quantity: 20},
		{Product: "Azure subscription", ServiceType: domain.ServiceUsage, Channel: domain.ChannelMicrosoftDirect},
	}
	batch2, err := s.CreateImportBatch(ctx, actor, batchOf(cid, "more.csv", second))
	if err != nil {
		t.Fatal(err)
	}
	const workers = 10
	var wg sync.WaitGroup
	errs := make([]error, workers)
	start := make(chan struct{})
	for i := range workers {
		wg.Go(func() {
			<-start
			_, errs[i] = s.ConfirmImport(ctx, actor, cid, batch2, nil)
		})
	}
	close(start)
	wg.Wait()
	ok, conflicts := 0, 0
	for _, err := range errs {
		switch {
		case err == nil:
			ok++
		case errors.Is(err, domain.ErrConflict):
			conflicts++
		default:
			t.Errorf("concurrent ConfirmImport: %v", err)
		}
	}
	if ok != 1 || conflicts != workers-1 {
		t.Fatalf("concurrent confirmations: %d succeeded, %d conflicts; want 1 and %d", ok, conflicts, workers-1)
	}
	if sum := ctSummary(t, s, ctx, cid); sum.Total != 3+len(second) {
		t.Fatalf("inventory after concurrent confirmations = %d; want %d", sum.Total, 3+len(second))
	}

	if _, err := s.ConfirmImport(ctx, actor, cid, batch2+100, nil); !errors.Is(err, domain.ErrNotFound) {
		t.Fatalf("ConfirmImport of an unknown batch: %v; want ErrNotFound", err)
	}
}

func TestSeedDemoOnlyIntoAnEmptyDatabase(t *testing.T) {
	ctx := context.Background()
	build := func() domain.SeedData {
		data := demo.Build(time.Now())
		for i := range data.Users {
			data.Users[i].PasswordHash = "x"
		}
		return data
	}
	countSubs := func(t *testing.T, s *Store) int {
		t.Helper()
		var n int
		if err := s.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM subscriptions`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	type counts struct{ customers, users, subs int }
	count := func(t *testing.T, s *Store) counts {
		t.Helper()
		c, err := ctCountCustomers(s, ctx)
		if err != nil {
			t.Fatal(err)
		}
		_, u, err := s.ListUsers(ctx, domain.Page{Number: 1, Size: 1})
		if err != nil {
			t.Fatal(err)
		}
		return counts{c, u, countSubs(t, s)}
	}

	t.Run("empty database, then again", func(t *testing.T) {
		s, _ := openTestStore(t)
		data := build()
		wantSubs := 0
		for _, c := range data.Customers {
			wantSubs += len(c.Subscriptions)
		}
		seeded, err := s.SeedDemo(ctx, data)
		if err != nil || !seeded {
			t.Fatalf("SeedDemo = %v, %v; want true", seeded, err)
		}
		got := count(t, s)
		if got.customers < 8 || got != (counts{len(data.Customers), len(data.Users), wantSubs}) {
			t.Fatalf("after seeding: %+v; want %d customers, %d users, %d subscriptions", got, len(data.Customers), len(data.Users), wantSubs)
		}
		if p, err := s.Partner(ctx); err != nil || p.Name != demo.Partner.Name {
			t.Fatalf("partner after seeding: %+v, %v", p, err)
		}
		// The seeded customers are searchable like any other.
		if items, total := ctSearch(t, s, "northwind", domain.SortByName); total != 1 || items[0].Customer.Domain != "northwindtraders.onmicrosoft.com" {
			t.Fatalf("seeded customer not found by search: %+v", items)
		}

		seeded, err = s.SeedDemo(ctx, build())
		if err != nil || seeded {
			t.Fatalf("second SeedDemo = %v, %v; want false", seeded, err)
		}
		if again := count(t, s); again != got {
			t.Fatalf("second SeedDemo changed the data: %+v; was %+v", again, got)
		}
	})

	t.Run("a database with a user", func(t *testing.T) {
		s, _ := openTestStore(t)
		ctActor(t, s, "first@x.example")
		seeded, err := s.SeedDemo(ctx, build())
		if err != nil || seeded {
			t.Fatalf("SeedDemo on a database in use = %v, %v; want false", seeded, err)
		}
		if got := count(t, s); got != (counts{0, 1, 0}) {
			t.Fatalf("SeedDemo wrote into a database in use: %+v", got)
		}
		if _, err := s.Partner(ctx); !errors.Is(err, domain.ErrNotFound) {
			t.Fatalf("SeedDemo set the partner of a database in use: %v", err)
		}
	})

	for _, tc := range []struct {
		name  string
		spoil func(*domain.SeedData)
	}{
		{"second customer without a name", func(d *domain.SeedData) { d.Customers[1].Customer.Name = "  " }},
		{"third customer with a bad domain", func(d *domain.SeedData) { d.Customers[2].Customer.Domain = "not a domain" }},
		{"invalid subscription of the last customer", func(d *domain.SeedData) {
			last := &d.Customers[len(d.Customers)-1]
			last.Subscriptions[len(last.Subscriptions)-1].Product = ""
		}},
		{"two customers with one domain", func(d *domain.SeedData) { d.Customers[3].Customer.Domain = d.Customers[0].Customer.Domain }},
		{"two users with one e-mail", func(d *domain.SeedData) { d.Users[1].Email = d.Users[0].Email }},
	} {
		t.Run("all or nothing: "+tc.name, func(t *testing.T) {
			s, _ := openTestStore(t)
			data := build()
			tc.spoil(&data)
			seeded, err := s.SeedDemo(ctx, data)
			if err == nil || seeded {
				t.Fatalf("SeedDemo with bad data = %v, %v; want an error", seeded, err)
			}
			if got := count(t, s); got != (counts{}) {
				t.Fatalf("a failed SeedDemo left data behind: %+v", got)
			}
			if _, err := s.Partner(ctx); !errors.Is(err, domain.ErrNotFound) {
				t.Fatalf("a failed SeedDemo left the partner: %v", err)
			}
			var terms int
			if err := s.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM customer_terms`).Scan(&terms); err != nil || terms != 0 {
				t.Fatalf("a failed SeedDemo left %d search terms, %v", terms, err)
			}
			// The database is still empty, so good data seeds.
			if seeded, err := s.SeedDemo(ctx, build()); err != nil || !seeded {
				t.Fatalf("SeedDemo after a failed one = %v, %v; want true", seeded, err)
			}
		})
	}
}

// ctPlan returns the EXPLAIN QUERY PLAN lines of query on the read pool.
func ctPlan(t *testing.T, s *Store, query string, args ...any) []string {
	t.Helper()
	lines, err := s.QueryPlan(context.Background(), query, args...)
	if err != nil {
		t.Fatalf("EXPLAIN QUERY PLAN %s: %v", query, err)
	}
	return lines
}

// ctListCustomersSQL is the page query ListCustomers runs for an order and
// a number of search words, with its arguments.
func ctListCustomersSQL(order string, words int) (string, []any) {
	sort := map[string]domain.CustomerSort{"c.name_key, c.id": domain.SortByName, "c.name_key DESC, c.id DESC": domain.SortByNameDesc,
		"c.updated_at DESC, c.id DESC": domain.SortByChanged, "c.updated_at, c.id": domain.SortByChangedOldest}[order]
	_, list, args, _ := customerListQueries(domain.CustomerQuery{Search: strings.TrimSpace(strings.Repeat("contoso ", words)), Sort: sort})
	return list, append(args, 50, 0)
}

// ctCountCustomers counts every customer.
func ctCountCustomers(s *Store, ctx context.Context) (int, error) {
	_, total, err := s.ListCustomers(ctx, domain.CustomerQuery{Page: domain.Page{Number: 1, Size: 1}})
	return total, err
}

// ctSummary is what the pages show of a customer's inventory.
func ctSummary(t *testing.T, s *Store, ctx context.Context, customerID int64) domain.InventorySummary {
	t.Helper()
	c, err := s.Customer(ctx, customerID)
	if err != nil && !errors.Is(err, domain.ErrNotFound) {
		t.Fatal(err)
	}
	counts, err := s.SubscriptionCounts(ctx, customerID)
	if err != nil {
		t.Fatal(err)
	}
	return domain.Summarize(c, domain.Rules{}, counts)
}

func TestListQueriesUseIndexes(t *testing.T) {
	s, _ := openTestStore(t)
	ctx := context.Background()
	// A few rows, so the plans are not those of empty tables only.
	actor := ctActor(t, s, "avery@wingtip.example")
	for i := range 5 {
		id := ctCreate(t, s, actor, ctCustomer(t, fmt.Sprintf("Company %d", i), fmt.Sprintf("company%d.onmicrosoft.com", i)))
		if _, err := s.AddSubscription(ctx, actor, domain.Subscription{CustomerID: id, Product: "Azure plan"}.Normalize()); err != nil {
			t.Fatal(err)
		}
	}

	// containsAny reports whether some line contains one of the parts.
	containsAny := func(lines []string, parts ...string) bool {
		for _, l := range lines {
			for _, p := range parts {
				if strings.Contains(l, p) {
					return true
				}
			}
		}
		return false
	}
	// bareScan reports a line that scans table (by its name or alias) without an index.
	bareScan := func(lines []string, table string) string {
		for _, l := range lines {
			if (l == "SCAN "+table || strings.HasPrefix(l, "SCAN "+table+" ")) && !strings.Contains(l, "USING") {
				return l
			}
		}
		return ""
	}
	subscriptionsByIndex := []string{"USING INDEX subscriptions_customer", "USING COVERING INDEX subscriptions_customer"}

	for _, tc := range []struct {
		name  string
		order string
		index string
	}{
		{"by name", "c.name_key, c.id", "customers_name"},
		{"by name descending", "c.name_key DESC, c.id DESC", "customers_name"},
		{"by last change", "c.updated_at DESC, c.id DESC", "customers_updated"},
		{"by oldest change", "c.updated_at, c.id", "customers_updated"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			query, args := ctListCustomersSQL(tc.order, 0)
			plan := ctPlan(t, s, query, args...)
			t.Logf("ORDER BY %s:\n  %s", tc.order, strings.Join(plan, "\n  "))
			if !containsAny(plan, "USING INDEX "+tc.index, "USING COVERING INDEX "+tc.index) {
				t.Errorf("the list ordered by %s does not use index %s", tc.order, tc.index)
			}
			if l := bareScan(plan, "c"); l != "" {
				t.Errorf("the list ordered by %s scans customers without an index: %q", tc.order, l)
			}
			if containsAny(plan, "TEMP B-TREE") {
				t.Errorf("the list ordered by %s sorts in a temporary b-tree", tc.order)
			}
		})
	}

	t.Run("search", func(t *testing.T) {
		sub := `SELECT customer_id FROM customer_terms WHERE term >= ? AND term < ?`
		plan := ctPlan(t, s, sub, "cont", "cont\xff")
		t.Logf("search term:\n  %s", strings.Join(plan, "\n  "))
		if !containsAny(plan, "SEARCH customer_terms USING PRIMARY KEY", "SEARCH customer_terms USING INDEX", "SEARCH customer_terms USING COVERING INDEX") {
			t.Errorf("the term search is not a range search on customer_terms' key")
		}
		if l := bareScan(plan, "customer_terms"); l != "" {
			t.Errorf("the term search scans customer_terms: %q", l)
		}
		for _, words := range []int{1, 2} {
			query, args := ctListCustomersSQL("c.name_key, c.id", words)
			plan := ctPlan(t, s, query, args...)
			t.Logf("list with %d search words:\n  %s", words, strings.Join(plan, "\n  "))
			if !containsAny(plan, "SEARCH customer_terms USING PRIMARY KEY", "SEARCH customer_terms USING INDEX", "SEARCH customer_terms USING COVERING INDEX") {
				t.Errorf("%d words: the term subquery is not a range search", words)
			}
			if l := bareScan(plan, "customer_terms"); l != "" {
				t.Errorf("%d words: customer_terms scanned: %q", words, l)
			}
			if l := bareScan(plan, "c"); l != "" {
				t.Errorf("%d words: customers scanned without an index: %q", words, l)
			}
		}
	})

	t.Run("gdap", func(t *testing.T) {
		// GDAPEndingCandidates, ListGDAP and the join of every relationship
		// list to its GDAP request are the code's own SQL; Assignments' is a
		// copy. The candidates are found by two index range searches, or
		// three when the window spans the cycle's start (at2).
		at := time.Date(2026, 12, 2, 4, 0, 0, 0, time.UTC)
		at2 := time.Unix(gdapCycle*((at.Unix()/gdapCycle)+1)-10*24*3600, 0).UTC()
		ending, endingArgs := gdapEndingQuery(at, at.AddDate(0, 0, 30))
		wrapping, wrappingArgs := gdapEndingQuery(at2, at2.AddDate(0, 0, 30))
		if len(wrappingArgs) != len(endingArgs)+3 {
			t.Fatalf("%s is not a window spanning the cycle's start", at2)
		}
		type planCase struct {
			name, query, index string
			args               []any
		}
		cases := []planCase{
			{"GDAPEndingCandidates, first ends", ending, "gdap_requests_ending", endingArgs},
			{"GDAPEndingCandidates, phase", ending, "gdap_requests_phase", endingArgs},
			{"GDAPEndingCandidates across the cycle's start", wrapping, "gdap_requests_phase", wrappingArgs},
		}
		for _, st := range domain.GDAPStatuses {
			list, args := gdapListQuery(st, at)
			cases = append(cases, planCase{"ListGDAP " + string(st), list, "gdap_requests_status", append(args, 50, 0)})
		}
		// Newest first without a sort, but for the two states of two stored
		// ones (expired, lapsed), which sort what they select.
		for _, st := range []domain.GDAPStatus{"", domain.GDAPCreated, domain.GDAPApprovalPending, domain.GDAPActive, domain.GDAPTerminated} {
			list, args := gdapListQuery(st, at)
			if plan := ctPlan(t, s, list, append(args, 50, 0)...); containsAny(plan, "TEMP B-TREE") {
				t.Errorf("ListGDAP %q sorts in a temporary b-tree:\n  %s", st, strings.Join(plan, "\n  "))
			}
		}
		for _, tc := range append(cases, []planCase{
			{"Assignments", `SELECT a.id, a.gdap_id, a.group_name, a.roles, COALESCE(u.name, ''), a.recorded_at FROM gdap_assignments a
		LEFT JOIN users u ON u.id = a.recorded_by WHERE a.gdap_id = ? ORDER BY a.id`, "gdap_assignments_gdap", []any{1}},
			{"CustomerRelationships", `SELECT ` + relationshipColumns + relationshipFrom + ` WHERE r.customer_id = ? ORDER BY r.id DESC LIMIT ?`,
				"sqlite_autoindex_gdap_requests_1", []any{1, MaxHistory}},
		}...) {
			plan := ctPlan(t, s, tc.query, tc.args...)
			t.Logf("%s:\n  %s", tc.name, strings.Join(plan, "\n  "))
			if !containsAny(plan, "USING INDEX "+tc.index, "USING COVERING INDEX "+tc.index) {
				t.Errorf("%s does not use index %s", tc.name, tc.index)
			}
			for _, table := range []string{"g", "a", "x", "r"} {
				if l := bareScan(plan, table); l != "" {
					t.Errorf("%s scans %s without an index: %q", tc.name, table, l)
				}
			}
		}
	})

	t.Run("export", func(t *testing.T) {
		// Applying a Partner Center export looks customers up by domain
		// and by tenant id once per row: neither may scan the customers.
		for name, query := range map[string]string{"customerTaken": customerTakenQuery,
			"recordTenantID": strings.Replace(recordTenantIDQuery, nextVersion, "version = version + 1", 1)} {
			args := []any{"contoso.onmicrosoft.com", "6f1a2b3c-4d5e-4f60-8a71-b2c3d4e5f607"}
			if name == "recordTenantID" {
				args = []any{"6f1a2b3c-4d5e-4f60-8a71-b2c3d4e5f607", "2026-12-02T00:00:00Z", 1, "6f1a2b3c-4d5e-4f60-8a71-b2c3d4e5f607"}
			}
			plan := ctPlan(t, s, query, args...)
			t.Logf("%s:\n  %s", name, strings.Join(plan, "\n  "))
			if !containsAny(plan, "INDEX customers_tenant") {
				t.Errorf("%s does not look customers up by tenant id on its index: %q", name, plan)
			}
			if l := bareScan(plan, "customers"); l != "" {
				t.Errorf("%s scans the customers: %q", name, l)
			}
		}
	})

	t.Run("inventory", func(t *testing.T) {
		// Copies of the SQL of ListSubscriptions and AllSubscriptions in subscriptions.go, and the counts query itself.
		for _, tc := range []struct {
			name  string
			query string
			args  []any
		}{
			{"ListSubscriptions", `SELECT ` + subscriptionColumns + ` FROM subscriptions
		WHERE customer_id = ? AND removed_at IS NULL ORDER BY id LIMIT ? OFFSET ?`, []any{1, 50, 0}},
			{"AllSubscriptions", `SELECT ` + subscriptionColumns + ` FROM subscriptions
		WHERE customer_id = ? AND removed_at IS NULL ORDER BY id LIMIT ?`, []any{1, MaxInventory}},
		} {
			plan := ctPlan(t, s, tc.query, tc.args...)
			t.Logf("%s:\n  %s", tc.name, strings.Join(plan, "\n  "))
			if !containsAny(plan, subscriptionsByIndex...) {
				t.Errorf("%s does not use index subscriptions_customer", tc.name)
			}
			if l := bareScan(plan, "subscriptions"); l != "" {
				t.Errorf("%s scans subscriptions: %q", tc.name, l)
			}
			if containsAny(plan, "TEMP B-TREE") {
				t.Errorf("%s sorts in a temporary b-tree", tc.name)
			}
		}
		// The counts read the counters' key, a few rows a customer.
		if plan := ctPlan(t, s, classCountsQuery(3), 1, 2, 3); !containsAny(plan, "SEARCH s USING PRIMARY KEY (customer_id=?)") ||
			containsAny(plan, "TEMP B-TREE") {
			t.Errorf("SubscriptionCounts does not read customer_class_counts by its key: %q", plan)
		}
	})
}

// TestSearchReadsAtMostTheCap: a search that matches more customers than
// domain.SearchMatchCap counts one more than the cap and lists those it
// read, sorted by name, so that its cost is bounded.
func TestSearchReadsAtMostTheCap(t *testing.T) {
	s, _ := openTestStore(t)
	ctx := context.Background()
	actor := ctActor(t, s, "avery@wingtip.example")
	for i := range domain.SearchMatchCap + 5 {
		ctCreate(t, s, actor, ctCustomer(t, fmt.Sprintf("Acme %03d", (i*37)%(domain.SearchMatchCap+5)), fmt.Sprintf("acme%d.onmicrosoft.com", i)))
	}
	ctCreate(t, s, actor, ctCustomer(t, "Zenith", "zenith.onmicrosoft.com"))
	items, total, err := s.ListCustomers(ctx, domain.CustomerQuery{Search: "acme", Page: domain.Page{Number: 1, Size: 50}})
	if err != nil || total != domain.SearchMatchCap+1 || len(items) != 50 {
		t.Fatalf("search: %d items of %d, %v; want 50 of %d", len(items), total, err, domain.SearchMatchCap+1)
	}
	if !slices.IsSortedFunc(items, func(a, b domain.CustomerListItem) int { return strings.Compare(a.Customer.Name, b.Customer.Name) }) {
		t.Error("the matches read are not sorted by name")
	}
	if list := (domain.CustomerList{Total: total}); !list.MoreThan() || list.Pageable() != domain.SearchMatchCap {
		t.Errorf("MoreThan %v, Pageable %d; want true, %d", list.MoreThan(), list.Pageable(), domain.SearchMatchCap)
	}
	if _, total, err := s.ListCustomers(ctx, domain.CustomerQuery{Search: "zen", Page: domain.Page{Number: 1, Size: 50}}); err != nil || total != 1 {
		t.Errorf("a search with one match counts %d, %v", total, err)
	}
	if _, total, err := s.ListCustomers(ctx, domain.CustomerQuery{Page: domain.Page{Number: 1, Size: 50}}); err != nil || total != domain.SearchMatchCap+6 {
		t.Errorf("the whole list counts %d, %v; want every customer", total, err)
	}
}

// TestSubscriptionsWithKeysReadsAGroupEitherWay adds subscriptions of four
// class keys interleaved, one key rare, and reads pages of groups of them
// walking the customer's subscriptions and key by key: both give the
// group's subscriptions in id order, a page at a time.
func TestSubscriptionsWithKeysReadsAGroupEitherWay(t *testing.T) {
	s, _ := openTestStore(t)
	ctx := context.Background()
	actor := ctActor(t, s, "avery@wingtip.example")
	customer := ctCreate(t, s, actor, ctCustomer(t, "Contoso", "contoso.onmicrosoft.com"))
	channels := []domain.Channel{domain.ChannelEA, domain.ChannelOtherCSP, domain.ChannelThirdParty, domain.ChannelMicrosoftDirect}
	byKey := map[domain.ClassKey][]int64{}
	for i := range 60 {
		channel := channels[i%3]
		if i%20 == 7 {
			channel = domain.ChannelMicrosoftDirect // the rare key: 3 of 60
		}
		sub := domain.Subscription{CustomerID: customer, Product: fmt.Sprintf("Licence %d", i), ServiceType: domain.ServiceLicence, Channel: channel}
		id, err := s.AddSubscription(ctx, actor, sub.Normalize())
		if err != nil {
			t.Fatal(err)
		}
		byKey[sub.Normalize().Key()] = append(byKey[sub.Normalize().Key()], id)
	}
	keyOf := func(c domain.Channel) domain.ClassKey {
		return domain.Subscription{Channel: c, ServiceType: domain.ServiceLicence}.Normalize().Key()
	}
	for _, group := range [][]domain.Channel{{domain.ChannelMicrosoftDirect}, {domain.ChannelEA, domain.ChannelMicrosoftDirect}, channels} {
		var keys []domain.ClassKey
		var want []int64
		for _, c := range group {
			keys = append(keys, keyOf(c))
			want = append(want, byKey[keyOf(c)]...)
		}
		slices.Sort(want)
		for _, sparse := range []bool{false, true} {
			var got []int64
			for n := 1; n <= 12; n++ {
				page, err := s.SubscriptionsWithKeys(ctx, customer, keys, sparse, domain.Page{Number: n, Size: 7})
				if err != nil {
					t.Fatal(err)
				}
				if len(page) > 7 {
					t.Fatalf("page %d holds %d rows", n, len(page))
				}
				for _, sub := range page {
					got = append(got, sub.ID)
				}
			}
			if !slices.Equal(got, want) {
				t.Errorf("group %v, sparse %v: %v, want %v", group, sparse, got, want)
			}
			var each []int64
			if err := s.EachSubscriptionWithKeys(ctx, customer, keys, sparse, func(sub domain.Subscription) error {
				each = append(each, sub.ID)
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(each, want) {
				t.Errorf("group %v, sparse %v, all at once: %v, want %v", group, sparse, each, want)
			}
		}
	}
	stop := errors.New("enough")
	n := 0
	if err := s.EachSubscriptionWithKeys(ctx, customer, []domain.ClassKey{keyOf(domain.ChannelEA)}, false, func(domain.Subscription) error {
		n++
		return stop
	}); !errors.Is(err, stop) || n != 1 {
		t.Errorf("a read told to stop: %v after %d rows, want %v after 1", err, n, stop)
	}
}

// TestSnapshotReadsOneStateOfTheDatabase checks that every read inside a
// snapshot sees the database as at its first read, whatever is written
// meanwhile, and that reads outside it see the write.
func TestSnapshotReadsOneStateOfTheDatabase(t *testing.T) {
	s, _ := openTestStore(t)
	ctx := context.Background()
	actor := ctActor(t, s, "avery@wingtip.example")
	customer := ctCreate(t, s, actor, ctCustomer(t, "Contoso", "contoso.onmicrosoft.com"))
	add := func(product string) {
		t.Helper()
		if _, err := s.AddSubscription(ctx, actor, domain.Subscription{CustomerID: customer, Product: product, ServiceType: domain.ServiceLicence,
			Channel: domain.ChannelEA}.Normalize()); err != nil {
			t.Fatal(err)
		}
	}
	count := func(ctx context.Context) int {
		t.Helper()
		n := 0
		if err := s.EachSubscription(ctx, customer, func(domain.Subscription) error { n++; return nil }); err != nil {
			t.Fatal(err)
		}
		return n
	}
	add("Office 365 E3")
	err := s.Snapshot(ctx, func(ctx context.Context) error {
		before := count(ctx)
		add("Visio")
		counts, err := s.SubscriptionCounts(ctx, customer)
		if err != nil {
			return err
		}
		if after := count(ctx); before != 1 || after != 1 || len(counts) != 1 || counts[0].Count != 1 {
			t.Errorf("inside the snapshot: %d subscriptions, then %d, counted %v; want 1 each time", before, after, counts)
		}
		return s.Snapshot(ctx, func(inner context.Context) error {
			if n := count(inner); n != 1 {
				t.Errorf("a snapshot inside it read %d subscriptions, want the outer one's 1", n)
			}
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	if n := count(ctx); n != 2 {
		t.Errorf("after the snapshot: %d subscriptions, want 2", n)
	}
}

// TestChangesCountsWhatIsCommitted: a committed transaction and a single
// write statement each count one change; a transaction rolled back counts
// none, so that what the page cache keeps at a count is what the database
// held.
func TestChangesCountsWhatIsCommitted(t *testing.T) {
	s, _ := openTestStore(t)
	ctx := context.Background()
	actor := ctActor(t, s, "avery@wingtip.example")
	start := s.Changes()
	ctCreate(t, s, actor, ctCustomer(t, "Contoso", "contoso.onmicrosoft.com"))
	if got := s.Changes() - start; got != 1 {
		t.Fatalf("a created customer counted %d changes, want 1", got)
	}
	if _, err := s.CreateCustomer(ctx, actor, ctCustomer(t, "Copy", "contoso.onmicrosoft.com")); !errors.Is(err, domain.ErrDomainTaken) {
		t.Fatalf("create with a taken domain: %v", err)
	}
	if got := s.Changes() - start; got != 1 {
		t.Fatalf("a refused create counted: %d changes, want 1", got)
	}
	if err := s.TouchSession(ctx, []byte("no such session"), time.Now()); err != nil {
		t.Fatal(err)
	}
	if got := s.Changes() - start; got != 2 {
		t.Errorf("a write statement counted %d changes, want 1", got-1)
	}

	// A subscription added to one customer counts for the book and for that
	// customer, not for another; a customer created counts for every one.
	contoso := ctCreate(t, s, actor, ctCustomer(t, "Contoso Two", "contoso2.onmicrosoft.com"))
	fabrikam := ctCreate(t, s, actor, ctCustomer(t, "Fabrikam", "fabrikam.onmicrosoft.com"))
	all, ofContoso, ofFabrikam, ofNone := s.Changes(), s.CustomerChanges(contoso), s.CustomerChanges(fabrikam), s.CustomerChanges(0)
	if _, err := s.AddSubscription(ctx, actor, domain.Subscription{CustomerID: contoso, Product: "Visio Plan 2", Channel: domain.ChannelOpen}.Normalize()); err != nil {
		t.Fatal(err)
	}
	if s.Changes() != all+1 || s.CustomerChanges(contoso) != ofContoso+1 || s.CustomerChanges(fabrikam) != ofFabrikam {
		t.Errorf("a subscription of Contoso's: changes %d, Contoso's %d, Fabrikam's %d; want %d, %d, %d",
			s.Changes(), s.CustomerChanges(contoso), s.CustomerChanges(fabrikam), all+1, ofContoso+1, ofFabrikam)
	}
	if s.CustomerChanges(0) != ofNone {
		t.Errorf("a subscription counted for the pages that show none")
	}
	ctCreate(t, s, actor, ctCustomer(t, "Northwind", "northwind.onmicrosoft.com"))
	if s.CustomerChanges(fabrikam) != ofFabrikam+1 || s.CustomerChanges(0) != ofNone+1 {
		t.Errorf("a customer created did not count for Fabrikam's pages and those without subscriptions")
	}
}
