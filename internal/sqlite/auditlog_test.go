package sqlite

import (
	"context"
	"database/sql"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/wingtip/multichannel/internal/domain"
)

// alFixture is a store with two users, two customers and a few audit
// entries at known times.
type alFixture struct {
	s                 *Store
	avery, sam        int64
	contoso, fabrikam int64
}

// alAt is a time on 2025-03-day, UTC.
func alAt(day, hour, minute, second int) time.Time {
	return time.Date(2025, time.March, day, hour, minute, second, 0, time.UTC)
}

func alSetup(t *testing.T) alFixture {
	t.Helper()
	s, _ := openTestStore(t)
	ctx := context.Background()
	clock := alAt(1, 10, 0, 0)
	s.now = func() time.Time { return clock }
	f := alFixture{s: s}
	for _, u := range []struct {
		id          *int64
		email, name string
	}{{&f.avery, "avery@wingtip.example", "Avery Chen"}, {&f.sam, "sam@wingtip.example", "Sam Patel"}} {
		id, err := s.CreateUser(ctx, domain.User{Email: u.email, Name: u.name, Role: domain.RoleGlobalAdmin, Active: true, PasswordHash: "x"})
		if err != nil {
			t.Fatal(err)
		}
		*u.id = id
	}
	avery := domain.Actor{UserID: f.avery, ClientIP: "192.0.2.1"}
	for _, c := range []struct {
		id           *int64
		name, domain string
	}{{&f.contoso, "Contoso Ltd", "contoso.onmicrosoft.com"}, {&f.fabrikam, "Fabrikam, Inc.", "fabrikam.onmicrosoft.com"}} {
		cu := domain.Customer{Name: c.name, Domain: c.domain, Country: "GB", AdminName: "Megan Bowen", AdminEmail: "admin@customer.example"}.Normalize()
		id, err := s.CreateCustomer(ctx, avery, cu) // writes customer_created at 1 March 10:00
		if err != nil {
			t.Fatal(err)
		}
		*c.id = id
	}
	for _, e := range []struct {
		at time.Time
		domain.AuditEntry
	}{
		{alAt(2, 9, 0, 0), domain.AuditEntry{ActorID: f.avery, Action: "sign_in", Target: "user:avery@wingtip.example", ClientIP: "192.0.2.1"}},
		{alAt(2, 23, 59, 59), domain.AuditEntry{ActorID: f.sam, CustomerID: f.contoso, Action: "subscription_added", Target: "subscription:1 Azure plan", ClientIP: "192.0.2.2"}},
		{alAt(3, 0, 0, 0), domain.AuditEntry{Action: "sign_in_failed", Target: "user:nobody@wingtip.example", ClientIP: "198.51.100.9"}},
		{alAt(4, 12, 0, 0), domain.AuditEntry{ActorID: f.sam, CustomerID: f.fabrikam, Action: "invitation_created", Target: "relationship:1", ClientIP: "192.0.2.2"}},
		{alAt(5, 8, 30, 0), domain.AuditEntry{ActorID: f.sam, Action: "forbidden", Target: "GET /audit", ClientIP: "192.0.2.2"}},
	} {
		clock = e.at
		if err := s.AppendAudit(ctx, e.AuditEntry); err != nil {
			t.Fatal(err)
		}
	}
	return f
}

// alActions lists the actions of rows, in their order.
func alActions(rows []domain.AuditRow) []string {
	var out []string
	for _, r := range rows {
		out = append(out, string(r.Action))
	}
	return out
}

func TestAuditLogFilters(t *testing.T) {
	f := alSetup(t)
	ctx := context.Background()
	all := domain.Page{Number: 1, Size: 50}
	for _, tc := range []struct {
		name   string
		filter domain.AuditFilter
		want   []string
	}{
		{"none", domain.AuditFilter{}, []string{"forbidden", "invitation_created", "sign_in_failed", "subscription_added", "sign_in", "customer_created", "customer_created"}},
		{"actor", domain.AuditFilter{ActorID: f.sam}, []string{"forbidden", "invitation_created", "subscription_added"}},
		{"action", domain.AuditFilter{Action: "sign_in"}, []string{"sign_in"}},
		{"unknown action", domain.AuditFilter{Action: "no_such_action"}, nil},
		{"customer id", domain.AuditFilter{CustomerID: f.contoso}, []string{"subscription_added", "customer_created"}},
		{"customer name", domain.AuditFilter{Customer: "FABRI"}, []string{"invitation_created", "customer_created"}},
		{"customer domain", domain.AuditFilter{Customer: "contoso.onmicrosoft.com"}, []string{"subscription_added", "customer_created"}},
		{"customer words", domain.AuditFilter{Customer: "fabrikam inc"}, []string{"invitation_created", "customer_created"}},
		{"customer no match", domain.AuditFilter{Customer: "litware"}, nil},
		{"customer punctuation", domain.AuditFilter{Customer: "!!!"}, nil},
		// From is inclusive, To exclusive: one whole day, to the last second.
		{"one day", domain.AuditFilter{From: alAt(2, 0, 0, 0), To: alAt(3, 0, 0, 0)}, []string{"subscription_added", "sign_in"}},
		{"from", domain.AuditFilter{From: alAt(3, 0, 0, 0)}, []string{"forbidden", "invitation_created", "sign_in_failed"}},
		{"to", domain.AuditFilter{To: alAt(2, 0, 0, 0)}, []string{"customer_created", "customer_created"}},
		{"actor and dates", domain.AuditFilter{ActorID: f.sam, From: alAt(3, 0, 0, 0), To: alAt(5, 0, 0, 0)}, []string{"invitation_created"}},
		{"actor and action", domain.AuditFilter{ActorID: f.avery, Action: "customer_created"}, []string{"customer_created", "customer_created"}},
		{"customer and action", domain.AuditFilter{CustomerID: f.fabrikam, Action: "invitation_created"}, []string{"invitation_created"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rows, total, err := f.s.AuditLog(ctx, tc.filter, all)
			if err != nil {
				t.Fatal(err)
			}
			if got := alActions(rows); !slices.Equal(got, tc.want) || total != len(tc.want) {
				t.Errorf("AuditLog(%+v) = %v (total %d); want %v", tc.filter, got, total, tc.want)
			}
		})
	}

	rows, _, err := f.s.AuditLog(ctx, domain.AuditFilter{}, all)
	if err != nil {
		t.Fatal(err)
	}
	byAction := map[string]domain.AuditRow{}
	for _, r := range rows {
		byAction[string(r.Action)] = r
	}
	if r := byAction["subscription_added"]; r.ActorID != f.sam || r.ActorName != "Sam Patel" || r.CustomerID != f.contoso ||
		r.CustomerName != "Contoso Ltd" || r.ClientIP != "192.0.2.2" || r.Target != "subscription:1 Azure plan" || !r.At.Equal(alAt(2, 23, 59, 59)) {
		t.Errorf("subscription_added row = %+v", r)
	}
	if r := byAction["sign_in_failed"]; r.ActorID != 0 || r.ActorName != "" || r.CustomerID != 0 || r.CustomerName != "" {
		t.Errorf("an entry without actor or customer = %+v", r)
	}
}

func TestAuditLogPagesNewestFirst(t *testing.T) {
	f := alSetup(t)
	ctx := context.Background()
	var ids []int64
	var last time.Time
	for n := 1; n <= 3; n++ {
		rows, total, err := f.s.AuditLog(ctx, domain.AuditFilter{}, domain.Page{Number: n, Size: 3})
		if err != nil {
			t.Fatal(err)
		}
		if total != 7 || len(rows) != []int{3, 3, 1}[n-1] {
			t.Fatalf("page %d: %d rows of %d", n, len(rows), total)
		}
		for _, r := range rows {
			if !last.IsZero() && r.At.After(last) {
				t.Errorf("page %d: %s comes after %s", n, r.At, last)
			}
			last = r.At
			ids = append(ids, r.ID)
		}
	}
	// The two customers were created at the same instant: the later entry,
	// with the higher id, comes first, and no entry is on two pages.
	if !slices.IsSortedFunc(ids, func(a, b int64) int { return int(b - a) }) || len(slices.Compact(slices.Clone(ids))) != 7 {
		t.Errorf("ids across pages = %v; want 7 distinct, descending", ids)
	}
	if rows, _, _ := f.s.AuditLog(ctx, domain.AuditFilter{}, domain.Page{Number: 4, Size: 3}); len(rows) != 0 {
		t.Errorf("a page past the end has %d rows", len(rows))
	}
}

func TestAuditLogQueriesUseIndexes(t *testing.T) {
	f := alSetup(t)
	// Each page query reads its index in order, with no sort; each count of
	// a filter reads an index only, and the whole log's count reads the
	// one row of its counter.
	const counter = "SCAN audit_count"
	for _, tc := range []struct {
		name      string
		filter    domain.AuditFilter
		index     string
		countUses string
	}{
		{"unfiltered", domain.AuditFilter{}, "audit_log_at", counter},
		{"customer", domain.AuditFilter{CustomerID: f.contoso}, "audit_log_customer", "COVERING INDEX audit_log_customer"},
		{"customer and dates", domain.AuditFilter{CustomerID: f.contoso, From: alAt(2, 0, 0, 0), To: alAt(4, 0, 0, 0)}, "audit_log_customer", "COVERING INDEX audit_log_customer"},
		{"actor", domain.AuditFilter{ActorID: f.sam}, "audit_log_actor", "COVERING INDEX audit_log_actor"},
		{"dates", domain.AuditFilter{From: alAt(2, 0, 0, 0), To: alAt(4, 0, 0, 0)}, "audit_log_at", "COVERING INDEX audit_log_at"},
		{"action", domain.AuditFilter{Action: domain.AuditCustomerCreated}, "audit_log_action", "COVERING INDEX audit_log_action"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			countSQL, listSQL, args, ok := auditQueries(tc.filter)
			if !ok {
				t.Fatal("the filter matches nothing")
			}
			for _, q := range []struct {
				what  string
				query string
				args  []any
				uses  string
			}{
				{"count", countSQL, args, tc.countUses},
				{"page", listSQL, append(slices.Clone(args), 50, 0), "INDEX " + tc.index},
			} {
				lines := ctPlan(t, f.s, q.query, q.args...)
				t.Logf("%s %s:\n  %s", tc.name, q.what, strings.Join(lines, "\n  "))
				text := strings.Join(lines, "\n")
				if !strings.Contains(text, q.uses) {
					t.Errorf("the %s query does not use %s", q.what, q.uses)
				}
				if strings.Contains(text, "TEMP B-TREE") {
					t.Errorf("the %s query sorts in a temporary b-tree", q.what)
				}
				for _, l := range lines {
					// The capped count reads its subquery's rows, at most
					// domain.AuditCountCap + 1 of them.
					if strings.HasPrefix(l, "SCAN ") && !strings.Contains(l, "INDEX") && !strings.HasPrefix(l, "SCAN (subquery-") && l != counter {
						t.Errorf("the %s query reads a whole table: %q", q.what, l)
					}
				}
			}
		})
	}
}

// TestAuditLogCountStopsPastTheCap: a filter that matches more entries than
// domain.AuditCountCap is counted as AuditCountCap + 1, which the log reads
// as "more than", and its pages are still read in full.
func TestAuditLogCountStopsPastTheCap(t *testing.T) {
	s, _ := openTestStore(t)
	ctx := context.Background()
	if err := s.inTx(ctx, func(tx *sql.Tx) error {
		for i := range domain.AuditCountCap + 5 {
			if err := appendAudit(ctx, tx, alAt(1, 0, 0, i), domain.AuditEntry{Action: domain.AuditSignInFailed, Detail: "probe"}); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	rows, total, err := s.AuditLog(ctx, domain.AuditFilter{Action: domain.AuditSignInFailed}, domain.Page{Number: 2, Size: 50})
	if err != nil {
		t.Fatal(err)
	}
	if log := (domain.AuditLog{Total: total}); total != domain.AuditCountCap+1 || !log.MoreThan() || len(rows) != 50 {
		t.Errorf("past the cap: total %d (more than: %v), %d rows; want %d, true, 50", total, log.MoreThan(), len(rows), domain.AuditCountCap+1)
	}
	if _, total, _ := s.AuditLog(ctx, domain.AuditFilter{Action: domain.AuditCustomerCreated}, domain.Page{Number: 1, Size: 50}); total != 0 {
		t.Errorf("another action counts %d", total)
	}
}
