package web

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/wingtip/multichannel/internal/demo"
	"github.com/wingtip/multichannel/internal/domain"
)

// TestEveryPageQueryUsesAnIndex opens every page of the route table as the
// Global admin for every demo customer, with the lists' filters, records
// every read query the store runs for them, and reads SQLite's plan of
// each: no query may scan a table that grows with the book of business.
func TestEveryPageQueryUsesAnIndex(t *testing.T) {
	app := newTestApp(t)
	admin := app.signIn(globalAdmin)
	var mu sync.Mutex
	type read struct {
		query string
		args  []any
	}
	seen := map[string]read{}
	app.store.WatchReads(func(query string, args []any) {
		mu.Lock()
		defer mu.Unlock()
		if _, ok := seen[query]; !ok {
			seen[query] = read{query, slices.Clone(args)}
		}
	})
	t.Cleanup(func() { app.store.WatchReads(nil) })

	var names []string
	for _, c := range demo.Build(app.clock.now()).Customers {
		names = append(names, c.Customer.Name)
	}
	pages := axePages(app, domain.RoleGlobalAdmin, names, false)
	pages = append(pages, "/customers?q=cont", "/customers?sort=-changed&page=2", "/audit?action=sign_in", "/audit?customer=contoso",
		"/relationships?state=active", "/planner?days=90", "/planner?channel=ea")
	pages = append(pages, downloads(app, names)...)
	for _, p := range pages {
		if res := app.get(admin, p); res.status != http.StatusOK && res.status != http.StatusSeeOther {
			t.Errorf("GET %s: %d", p, res.status)
		}
	}
	app.store.WatchReads(nil)
	if len(seen) < 50 {
		t.Fatalf("only %d read queries were seen over %d pages", len(seen), len(pages))
	}
	for _, r := range seen {
		plan, err := app.store.QueryPlan(context.Background(), r.query, r.args...)
		if err != nil {
			t.Errorf("EXPLAIN %s: %v", r.query, err)
			continue
		}
		if why := scanOf(r.query, plan); why != "" {
			t.Errorf("%s in the plan of\n  %s", why, strings.Join(strings.Fields(r.query), " "))
		}
	}
}

// downloads are the paths of every download of the route table (the CSV
// and JSON exports), for each of customers where the path names one.
func downloads(app *testApp, customers []string) []string {
	var out []string
	for _, r := range app.server.routeTable() {
		if r.method != http.MethodGet || r.access.public || !isDownload(r.path) {
			continue
		}
		switch strings.Count(r.path, ":") {
		case 0:
			out = append(out, r.path)
		case 1:
			for _, name := range customers {
				out = append(out, strings.Replace(r.path, ":id", strconv.FormatInt(app.customerID(name), 10), 1))
			}
		}
	}
	return out
}

// smallTables are read whole by design: the partner's users and settings,
// and the counters kept for the dashboard, the planner and the lists,
// whose size does not grow with the book of business.
var smallTables = []string{"users", "partner", "partner_settings", "role_templates", "subscription_counts", "term_end_counts",
	"coexisting_counts", "relationship_counts", "term_end_month_counts", "customer_count", "audit_count", "gdap_counts"}

// boundedSubqueries are the names of subqueries whose rows a query reads
// whole because a LIMIT bounds them: a search's matches ("found", at most
// domain.SearchMatchCap+1), which stream from the first word's range of the
// terms index ("matched", read until the LIMIT stops it).
var boundedSubqueries = []string{"found", "matched"}

// scanOf says what in plan reads a growing table whole, or "" when nothing
// does. A step reading a table in its key's order for a LIMIT, with no
// sort, reads only the page (newest first by id); steps over a VALUES list,
// a subquery's rows or a small table read what the query built.
func scanOf(query string, plan []string) string {
	sorted := slices.ContainsFunc(plan, func(l string) bool { return strings.Contains(l, "TEMP B-TREE FOR ORDER BY") })
	for _, line := range plan {
		rest, ok := strings.CutPrefix(line, "SCAN ")
		if !ok || strings.Contains(rest, "INDEX") || strings.HasPrefix(rest, "(subquery-") || strings.Contains(rest, "VALUES CLAUSE") ||
			rest == "CONSTANT ROW" || slices.Contains(smallTables, rest) || slices.Contains(boundedSubqueries, rest) {
			continue
		}
		if !sorted && strings.Contains(query, "LIMIT ?") {
			continue
		}
		return line
	}
	return ""
}
