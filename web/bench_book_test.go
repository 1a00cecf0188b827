package web

import (
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/wingtip/multichannel/internal/argon2id"
	"github.com/wingtip/multichannel/internal/book"
	"github.com/wingtip/multichannel/internal/demo"
	"github.com/wingtip/multichannel/internal/sqlite"
)

// benchBook is the seeded book the page benchmarks share: a generated book
// of BENCH_CUSTOMERS customers (50,000 unless set) with ten subscriptions
// each on average, seeded once per run into a file that each benchmark
// opens afresh. BENCH_BOOK names a database seeded before (make load's
// tmp/load/50000-500000.db), copied so that it stays as it was.
var benchBook struct {
	once sync.Once
	path string
	err  error
}

func benchBookPath(b *testing.B) string {
	b.Helper()
	benchBook.once.Do(func() {
		dir, err := os.MkdirTemp("", "bench-book-")
		if err != nil {
			benchBook.err = err
			return
		}
		benchBook.path = filepath.Join(dir, "book.db")
		if from := os.Getenv("BENCH_BOOK"); from != "" {
			data, err := os.ReadFile(from)
			if err == nil {
				err = os.WriteFile(benchBook.path, data, 0o600)
			}
			benchBook.err = err
			return
		}
		customers := 50_000
		if n, err := strconv.Atoi(os.Getenv("BENCH_CUSTOMERS")); err == nil && n > 0 {
			customers = n
		}
		ctx := context.Background()
		store, err := sqlite.Open(ctx, benchBook.path, time.Now)
		if err != nil {
			benchBook.err = err
			return
		}
		defer store.Close()
		benchBook.err = demo.SeedBook(ctx, store, argon2id.New(argon2id.DefaultParams, 2), time.Now(),
			book.Size{Customers: customers, Subscriptions: 10 * customers}, nil)
	})
	if benchBook.err != nil {
		b.Fatal(benchBook.err)
	}
	return benchBook.path
}

// BenchmarkBookPages opens each page of issue 15's list through the real
// server on the seeded book, as the Global admin: the figures of make
// load, one request at a time.
func BenchmarkBookPages(b *testing.B) {
	path := benchBookPath(b)
	db, err := sql.Open("sqlite3", "file:"+path+"?mode=ro")
	if err != nil {
		b.Fatal(err)
	}
	var largest, ordinary int64
	err = db.QueryRow(`SELECT customer_id FROM customer_class_counts GROUP BY customer_id ORDER BY SUM(n) DESC LIMIT 1`).Scan(&largest)
	if err == nil {
		err = db.QueryRow(`SELECT customer_id FROM customer_class_counts GROUP BY customer_id HAVING SUM(n) = 10 LIMIT 1`).Scan(&ordinary)
	}
	db.Close()
	if err != nil {
		b.Fatal(err)
	}
	pages := []struct{ name, path string }{
		{"dashboard", "/"},
		{"planner", "/planner"},
		{"plan of the largest customer", fmt.Sprintf("/customers/%d/plan", largest)},
		{"inventory of the largest customer", fmt.Sprintf("/customers/%d/subscriptions", largest)},
		{"audit log", "/audit"},
		{"relationships", "/relationships"},
		{"customers search", "/customers?q=cont"},
		{"customers list", "/customers"},
		{"a customer's page", fmt.Sprintf("/customers/%d", ordinary)},
	}
	// A first view reads and renders its page (the page cache off); a
	// repeat view, the same page again with nothing changed, is answered
	// from the page cache.
	for _, view := range []struct {
		name        string
		noPageCache bool
	}{{"first view", true}, {"repeat view", false}} {
		b.Run(view.name, func(b *testing.B) {
			app := startTestApp(b, testOptions{db: path, noPageCache: view.noPageCache,
				seed: func(context.Context, *sqlite.Store, *argon2id.Hasher, *url.URL) error { return nil }})
			app.clock.set(time.Now())
			admin := app.signIn(globalAdmin)
			for _, p := range pages {
				b.Run(p.name, func(b *testing.B) {
					for b.Loop() {
						if res := app.get(admin, p.path); res.status != http.StatusOK {
							b.Fatalf("%s: %d", p.path, res.status)
						}
					}
				})
			}
		})
	}
}
