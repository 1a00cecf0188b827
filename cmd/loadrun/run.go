package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	_ "github.com/mattn/go-sqlite3" // to pick the customers the pages show
)

// config is what a run is asked for.
type config struct {
	customers, subscriptions int
	each                     time.Duration
	connections              int
	dir, bin                 string
}

// The demo account the run signs in as, the one `multichannel seed` writes.
const (
	email    = "avery@wingtip.example"
	password = "multichannel-demo"
)

// run is the whole load run, its report written to out.
func run(ctx context.Context, cfg config, out io.Writer) error {
	if err := os.MkdirAll(cfg.dir, 0o750); err != nil {
		return err
	}
	name := fmt.Sprintf("%d-%d", cfg.customers, cfg.subscriptions)
	book := filepath.Join(cfg.dir, name+".db")
	seeded, err := seedOnce(ctx, cfg, book, out)
	if err != nil {
		return err
	}
	// Every run starts from the same data: the server writes sessions and
	// audit entries, and the mixed run adds subscriptions.
	scratch := filepath.Join(cfg.dir, "run.db")
	for _, suffix := range []string{"", "-wal", "-shm"} {
		os.Remove(scratch + suffix)
	}
	if err := copyFile(book, scratch); err != nil {
		return err
	}
	big, ordinary, importer, err := pickCustomers(scratch)
	if err != nil {
		return err
	}
	srv, err := startServer(ctx, cfg.bin, scratch, filepath.Join(cfg.dir, "server.log"))
	if err != nil {
		return err
	}
	defer srv.stop()
	session, err := signIn(srv.base)
	if err != nil {
		return err
	}
	pages := bookPages(big, ordinary)
	fmt.Fprintf(out, "\nLoad run: %s customers, %s subscriptions; %d connections, %v a page; %s\n\n", formatCount(cfg.customers),
		formatCount(cfg.subscriptions), cfg.connections, cfg.each, time.Now().UTC().Format(time.RFC3339))
	d := driver{base: srv.base, session: session, client: newClient(cfg.connections + 8)}
	// The import is measured first, against the server idle; the peak of
	// its start-up is kept for the run's.
	startupPeak := srv.status("VmHWM:")
	imported, err := d.importInto(srv, importer)
	if err != nil {
		return fmt.Errorf("import: %w", err)
	}
	results, err := d.driveAll(ctx, pages, cfg)
	if err != nil {
		return err
	}
	mixed := d.mixed(ctx, pages, cfg.customers, cfg.each*2)
	report := newReport(cfg, results, mixed, max(startupPeak, srv.status("VmHWM:")), seeded)
	report.Import = imported
	srv.stop()
	// The same pages again with the page cache off: what each view costs
	// when it is read and rendered, as the first view of a page after a
	// change is.
	uncached, err := startServer(ctx, cfg.bin, scratch, filepath.Join(cfg.dir, "server-no-cache.log"), "--page-cache", "0")
	if err != nil {
		return err
	}
	defer uncached.stop()
	if d.session, err = signIn(uncached.base); err != nil {
		return err
	}
	d.base = uncached.base
	if report.Uncached, err = d.driveAll(ctx, pages, cfg); err != nil {
		return err
	}
	if previous, err := readReport(filepath.Join(cfg.dir, "1000-10000.json")); err == nil && name != "1000-10000" {
		report.Baseline = &previous
	}
	report.write(out)
	saved, err := json.MarshalIndent(report, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(cfg.dir, name+".json"), saved, 0o640); err != nil {
		return err
	}
	for _, r := range slices.Concat(results, report.Uncached) {
		if r.Errors > 0 {
			return fmt.Errorf("%s answered %d errors (first: %s)", r.Page, r.Errors, r.FirstError)
		}
	}
	return nil
}

// bookPages are the pages the run drives: the yardstick, the sign-in page
// and the signed-in pages of issue 15's table.
func bookPages(big bigCustomer, ordinary int64) []page {
	return []page{
		{"/healthz", "/healthz", false},
		{"/login (no session)", "/login", false},
		{"dashboard /", "/", true},
		{"planner /planner", "/planner", true},
		{fmt.Sprintf("plan of the largest customer (%s subscriptions)", formatCount(big.subscriptions)), fmt.Sprintf("/customers/%d/plan", big.id), true},
		{"inventory of the same customer", fmt.Sprintf("/customers/%d/subscriptions", big.id), true},
		{"audit log", "/audit", true},
		{"relationships", "/relationships", true},
		{`customers search "cont"`, "/customers?q=cont", true},
		{"customers list", "/customers", true},
		{"a customer's page", fmt.Sprintf("/customers/%d", ordinary), true},
	}
}

// driveAll drives each page in turn.
func (d *driver) driveAll(ctx context.Context, pages []page, cfg config) ([]result, error) {
	var results []result
	for _, p := range pages {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		results = append(results, d.drive(ctx, p, cfg.connections, cfg.each))
	}
	return results, nil
}

// seedOnce seeds the book into path unless a complete one is there, and
// returns how long the seed took (0 when it was reused). It seeds into a
// temporary name and renames it at the end, so that a database under the
// path is always whole.
func seedOnce(ctx context.Context, cfg config, path string, out io.Writer) (time.Duration, error) {
	if _, err := os.Stat(path); err == nil {
		fmt.Fprintf(out, "Reusing %s\n", path)
		return 0, nil
	}
	partial := path + ".partial"
	for _, suffix := range []string{"", "-wal", "-shm"} {
		os.Remove(partial + suffix)
	}
	start := time.Now()
	cmd := exec.CommandContext(ctx, cfg.bin, "seed", "--db", partial, "--customers", strconv.Itoa(cfg.customers),
		"--subscriptions", strconv.Itoa(cfg.subscriptions))
	cmd.Stdout, cmd.Stderr = out, os.Stderr
	if err := cmd.Run(); err != nil {
		return 0, fmt.Errorf("seed: %w", err)
	}
	took := time.Since(start)
	for _, suffix := range []string{"-wal", "-shm"} {
		os.Remove(partial + suffix) // emptied by the seed's checkpoint at close
	}
	return took, os.Rename(partial, path)
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// bigCustomer is the customer with the most subscriptions.
type bigCustomer struct {
	id            int64
	subscriptions int
}

// pickCustomers finds the customer with the most subscriptions, an
// ordinary one (ten subscriptions) whose page the run opens, and another
// ordinary one, which the run's import fills, reading the database before
// the server opens it.
func pickCustomers(path string) (big bigCustomer, ordinary, importer int64, err error) {
	db, err := sql.Open("sqlite3", "file:"+path+"?mode=ro")
	if err != nil {
		return big, 0, 0, err
	}
	defer db.Close()
	if err := db.QueryRow(`SELECT customer_id, SUM(n) FROM customer_class_counts GROUP BY customer_id ORDER BY 2 DESC LIMIT 1`).
		Scan(&big.id, &big.subscriptions); err != nil {
		return big, 0, 0, fmt.Errorf("find the largest customer: %w", err)
	}
	rows, err := db.Query(`SELECT customer_id FROM customer_class_counts GROUP BY customer_id HAVING SUM(n) = 10 LIMIT 2`)
	if err != nil {
		return big, 0, 0, err
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return big, 0, 0, err
		}
		ids = append(ids, id)
	}
	for len(ids) < 2 {
		ids = append(ids, big.id)
	}
	return big, ids[0], ids[1], rows.Err()
}

// server is the app started as a child process.
type server struct {
	cmd     *exec.Cmd
	base    string
	stopped sync.Once
}

func freePort() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

// startServer starts the app on db, with the extra flags, and waits until
// /readyz answers 200.
func startServer(ctx context.Context, bin, db, logPath string, extra ...string) (*server, error) {
	addr, err := freePort()
	if err != nil {
		return nil, err
	}
	logFile, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(bin, append([]string{"--db", db, "--addr", addr, "--base-url", "http://" + addr}, extra...)...)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	s := &server{cmd: cmd, base: "http://" + addr}
	for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if ctx.Err() != nil {
			s.stop()
			return nil, ctx.Err()
		}
		if res, err := http.Get(s.base + "/readyz"); err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return s, nil
			}
		}
	}
	s.stop()
	return nil, fmt.Errorf("the server did not get ready in 60 s; see %s", logPath)
}

// stop ends the server as an operator would, with SIGTERM; stopping it
// again does nothing.
func (s *server) stop() {
	s.stopped.Do(func() {
		_ = s.cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan struct{})
		go func() { _ = s.cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(20 * time.Second):
			_ = s.cmd.Process.Kill()
		}
	})
}

// signIn signs in as the demo Global admin and returns the session cookie.
func signIn(base string) (*http.Cookie, error) {
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar}
	res, err := client.PostForm(base+"/login", url.Values{"email": {email}, "password": {password}})
	if err != nil {
		return nil, err
	}
	res.Body.Close()
	u, _ := url.Parse(base)
	cookies := jar.Cookies(u)
	if res.StatusCode != http.StatusOK || res.Request.URL.Path == "/login" || len(cookies) == 0 {
		return nil, fmt.Errorf("sign-in as %s: %d at %s", email, res.StatusCode, res.Request.URL.Path)
	}
	return cookies[0], nil
}

func newClient(conns int) *http.Client {
	transport := &http.Transport{MaxIdleConns: conns, MaxIdleConnsPerHost: conns, IdleConnTimeout: time.Minute}
	return &http.Client{Transport: transport, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// page is one page the run drives.
type page struct {
	name, path string
	signedIn   bool
}

// driver sends the requests of a run.
type driver struct {
	base    string
	session *http.Cookie
	client  *http.Client
}

// do sends one request and reads its answer whole; an answer other than
// 2xx or 3xx is an error.
func (d *driver) do(req *http.Request, signedIn bool) error {
	if signedIn {
		req.AddCookie(d.session)
	}
	res, err := d.client.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	if _, err := io.Copy(io.Discard, res.Body); err != nil {
		return err
	}
	if res.StatusCode >= 400 {
		return fmt.Errorf("%s %s: %d", req.Method, req.URL.Path, res.StatusCode)
	}
	return nil
}

func (d *driver) get(p page) error {
	req, _ := http.NewRequest(http.MethodGet, d.base+p.path, nil)
	return d.do(req, p.signedIn)
}

// addSubscription adds a subscription to a random customer through the
// inventory's form, as a person would.
func (d *driver) addSubscription(rng *rand.Rand, customers int) error {
	form := url.Values{"product": {"Microsoft 365 E3"}, "service_type": {"licence"}, "channel": {"other_csp"},
		"quantity": {strconv.Itoa(1 + rng.IntN(100))}, "term_end": {time.Now().AddDate(0, 1+rng.IntN(30), 0).Format("2006-01-02")},
		"reference": {"load run"}}
	req, _ := http.NewRequest(http.MethodPost, fmt.Sprintf("%s/customers/%d/subscriptions", d.base, 1+rng.IntN(customers)),
		strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", d.base)
	return d.do(req, true)
}

// loop runs send on conns connections for warm-up then for the run's
// length, and returns the latencies of the measured requests.
func loop(ctx context.Context, conns int, length time.Duration, send func(worker int) error) (lat []time.Duration, errs int, first string, took time.Duration) {
	warmUp := min(length/5, time.Second)
	start := time.Now()
	measureFrom, end := start.Add(warmUp), start.Add(warmUp+length)
	var mu sync.Mutex
	var wg sync.WaitGroup
	for w := range conns {
		wg.Go(func() {
			var mine []time.Duration
			var myErrs int
			var myFirst string
			for ctx.Err() == nil {
				t := time.Now()
				if t.After(end) {
					break
				}
				err := send(w)
				if t.Before(measureFrom) {
					continue
				}
				mine = append(mine, time.Since(t))
				if err != nil {
					if myErrs++; myFirst == "" {
						myFirst = err.Error()
					}
				}
			}
			mu.Lock()
			lat, errs = append(lat, mine...), errs+myErrs
			if first == "" {
				first = myFirst
			}
			mu.Unlock()
		})
	}
	wg.Wait()
	return lat, errs, first, min(time.Since(measureFrom), length)
}

// drive drives one page at conns connections.
func (d *driver) drive(ctx context.Context, p page, conns int, length time.Duration) result {
	lat, errs, first, took := loop(ctx, conns, length, func(int) error { return d.get(p) })
	return newResult(p.name, lat, took, errs, first)
}

// mixed runs 16 readers through the signed-in pages beside 4 writers adding
// subscriptions, for length.
func (d *driver) mixed(ctx context.Context, pages []page, customers int, length time.Duration) mixedResult {
	var reads []page
	for _, p := range pages {
		if p.signedIn {
			reads = append(reads, p)
		}
	}
	var wg sync.WaitGroup
	var readers, writers result
	wg.Go(func() {
		lat, errs, first, took := loop(ctx, 16, length, func(w int) error { return d.get(reads[rand.IntN(len(reads))]) })
		readers = newResult("16 readers (every signed-in page)", lat, took, errs, first)
	})
	const writerCount = 4
	rngs := make([]*rand.Rand, writerCount) // one a writer: loop's workers run at once
	for w := range rngs {
		rngs[w] = rand.New(rand.NewPCG(uint64(w), uint64(time.Now().UnixNano())))
	}
	wg.Go(func() {
		lat, errs, first, took := loop(ctx, writerCount, length, func(w int) error { return d.addSubscription(rngs[w], customers) })
		writers = newResult("4 writers (adding a subscription)", lat, took, errs, first)
	})
	wg.Wait()
	return mixedResult{Readers: readers, Writers: writers}
}
