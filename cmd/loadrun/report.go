package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"time"

	"github.com/wingtip/multichannel/internal/domain"
)

// formatCount writes n with thousands separators.
var formatCount = domain.FormatCount

// result is what one page, or one side of the mixed run, measured.
type result struct {
	Page       string        `json:"page"`
	Requests   int           `json:"requests"`
	PerSecond  float64       `json:"per_second"`
	P50        time.Duration `json:"p50"`
	P99        time.Duration `json:"p99"`
	Errors     int           `json:"errors"`
	FirstError string        `json:"first_error,omitempty"`
}

// newResult sums up the latencies of requests over took.
func newResult(name string, lat []time.Duration, took time.Duration, errs int, first string) result {
	r := result{Page: name, Requests: len(lat), Errors: errs, FirstError: first}
	if took > 0 {
		r.PerSecond = float64(len(lat)) / took.Seconds()
	}
	slices.Sort(lat)
	r.P50, r.P99 = percentile(lat, 50), percentile(lat, 99)
	return r
}

// percentile is the p-th percentile of sorted latencies, by the nearest
// rank; 0 for none.
func percentile(sorted []time.Duration, p int) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	rank := (p*len(sorted) + 99) / 100 // ceil(p/100 × n)
	return sorted[min(max(rank, 1), len(sorted))-1]
}

// mixedResult is the run of readers beside writers.
type mixedResult struct {
	Readers result `json:"readers"`
	Writers result `json:"writers"`
}

// The targets of issue 15.
const (
	minHealthzRatio = 0.25
	maxPageP99      = 50 * time.Millisecond
	minFlatRatio    = 0.7
	maxWriterP99    = 100 * time.Millisecond
	maxReaderP99    = 50 * time.Millisecond
	maxPeakRSS      = 200 << 20
	maxImportRSS    = 100 << 20 // over the server's resident set idle
	maxSeed         = 60 * time.Second
)

// report is a whole run, as printed and as saved for the next run to
// compare with.
type report struct {
	Customers     int      `json:"customers"`
	Subscriptions int      `json:"subscriptions"`
	Pages         []result `json:"pages"` // /healthz first
	// Uncached are the same pages driven again with the page cache off.
	Uncached []result      `json:"uncached,omitempty"`
	Mixed    mixedResult   `json:"mixed"`
	PeakRSS  int64         `json:"peak_rss"`
	Seed     time.Duration `json:"seed,omitempty"` // 0 when the database was reused
	Import   importResult  `json:"import"`
	// Baseline is the run on 1,000 customers that "flat" compares with.
	Baseline *report `json:"-"`
}

func newReport(cfg config, pages []result, mixed mixedResult, rss int64, seed time.Duration) report {
	return report{Customers: cfg.customers, Subscriptions: cfg.subscriptions, Pages: pages, Mixed: mixed, PeakRSS: rss, Seed: seed}
}

func readReport(path string) (report, error) {
	var r report
	data, err := os.ReadFile(path)
	if err != nil {
		return r, err
	}
	return r, json.Unmarshal(data, &r)
}

// baselineRate is the rate of page name in the baseline run; 0 when there
// is none.
func (r report) baselineRate(name string) float64 {
	if r.Baseline == nil {
		return 0
	}
	return rateOf(r.Baseline.Pages, name)
}

// baselineUncached is baselineRate with the page cache off.
func (r report) baselineUncached(name string) float64 {
	if r.Baseline == nil {
		return 0
	}
	return rateOf(r.Baseline.Uncached, name)
}

// rateOf is the rate of page name among pages; 0 when it is not there.
func rateOf(pages []result, name string) float64 {
	for _, p := range pages {
		if p.Page == name || samePage(p.Page, name) {
			return p.PerSecond
		}
	}
	return 0
}

// samePage matches the pages whose names carry the size of their data,
// such as the largest customer's plan.
func samePage(a, b string) bool {
	cut := func(s string) string {
		for i, r := range s {
			if r == '(' {
				return s[:i]
			}
		}
		return s
	}
	return cut(a) == cut(b)
}

// verdict is a target's line.
type verdict struct {
	pass bool
	what string
}

// verdicts checks the report against the targets.
func (r report) verdicts() []verdict {
	var out []verdict
	healthz := r.Pages[0].PerSecond
	for _, p := range r.Pages[1:] {
		ratio := p.PerSecond / healthz
		out = append(out, verdict{ratio >= minHealthzRatio && p.P99 < maxPageP99,
			fmt.Sprintf("%s: %.3g× /healthz (target ≥ %.2g×), p99 %s (target < %s)", p.Page, ratio, minHealthzRatio, ms(p.P99), ms(maxPageP99))})
		if base := r.baselineRate(p.Page); base > 0 {
			out = append(out, verdict{p.PerSecond >= minFlatRatio*base,
				fmt.Sprintf("%s: flat, %.2g× its rate at 1,000 customers (target ≥ %.1f×)", p.Page, p.PerSecond/base, minFlatRatio)})
		}
	}
	out = append(out,
		verdict{r.Mixed.Writers.P99 < maxWriterP99, fmt.Sprintf("mixed run: writer p99 %s (target < %s)", ms(r.Mixed.Writers.P99), ms(maxWriterP99))},
		verdict{r.Mixed.Readers.P99 < maxReaderP99, fmt.Sprintf("mixed run: reader p99 %s (target < %s)", ms(r.Mixed.Readers.P99), ms(maxReaderP99))},
		verdict{r.PeakRSS > 0 && r.PeakRSS < maxPeakRSS, fmt.Sprintf("peak RSS %s (target < %s)", mib(r.PeakRSS), mib(maxPeakRSS))})
	if i := r.Import; i.Rows > 0 {
		over := i.PeakRSS - i.IdleRSS
		out = append(out, verdict{i.PeakRSS > 0 && over < maxImportRSS,
			fmt.Sprintf("import of %s rows: peak RSS %s over idle (target < %s)", formatCount(i.Rows), mib(over), mib(maxImportRSS))})
	}
	if r.Seed > 0 {
		out = append(out, verdict{r.Seed < maxSeed, fmt.Sprintf("seed %.1f s (target < %.0f s)", r.Seed.Seconds(), maxSeed.Seconds())})
	}
	return out
}

// write prints the report as Markdown tables and a line per target.
func (r report) write(w io.Writer) {
	fmt.Fprintln(w, "Pages as served, the same page asked again and again (from the page cache while nothing changes):")
	fmt.Fprintln(w)
	writePages(w, r.Pages, r.baselineRate)
	if len(r.Uncached) > 0 {
		fmt.Fprintln(w, "The same pages with the page cache off (--page-cache 0), every view read and rendered:")
		fmt.Fprintln(w)
		writePages(w, r.Uncached, r.baselineUncached)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| mixed run | requests/s | p50 | p99 | errors |")
	fmt.Fprintln(w, "|---|---|---|---|---|")
	for _, p := range []result{r.Mixed.Readers, r.Mixed.Writers} {
		fmt.Fprintf(w, "| %s | %s | %s | %s | %d |\n", p.Page, rate(p.PerSecond), ms(p.P50), ms(p.P99), p.Errors)
	}
	fmt.Fprintf(w, "\nPeak RSS of the server: %s\n", mib(r.PeakRSS))
	if i := r.Import; i.Rows > 0 {
		fmt.Fprintf(w, "Import of %s rows (%s): upload and first page of the preview %s, import %s; RSS %s idle, %s at the peak\n",
			formatCount(i.Rows), mib(int64(i.Bytes)), ms(i.Preview), ms(i.Confirm), mib(i.IdleRSS), mib(i.PeakRSS))
	}
	if r.Seed > 0 {
		fmt.Fprintf(w, "Seed: %.1f s\n", r.Seed.Seconds())
	}
	fmt.Fprintln(w)
	for _, v := range r.verdicts() {
		word := "FAIL"
		if v.pass {
			word = "PASS"
		}
		fmt.Fprintf(w, "%s  %s\n", word, v.what)
	}
	if r.Baseline == nil && r.Customers != 1000 {
		fmt.Fprintln(w, "(run `make load CUSTOMERS=1000 SUBSCRIPTIONS=10000` once to compare each page with its rate at 1,000 customers)")
	}
}

// writePages prints a table of pages, /healthz first, with each page's
// rate over its rate at 1,000 customers where baseline knows it.
func writePages(w io.Writer, pages []result, baseline func(name string) float64) {
	healthz := pages[0].PerSecond
	fmt.Fprintln(w, "| page | requests/s | p50 | p99 | × /healthz | ÷ 1k | errors |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|---|")
	for _, p := range pages {
		flat := "–"
		if base := baseline(p.Page); base > 0 {
			flat = fmt.Sprintf("%.2f", p.PerSecond/base)
		}
		fmt.Fprintf(w, "| %s | %s | %s | %s | %.3g× | %s | %d |\n", p.Page, rate(p.PerSecond), ms(p.P50), ms(p.P99), p.PerSecond/healthz, flat, p.Errors)
	}
	fmt.Fprintln(w)
}

func ms(d time.Duration) string {
	switch {
	case d >= 100*time.Millisecond:
		return strconv.FormatInt(d.Milliseconds(), 10) + " ms"
	case d >= time.Millisecond:
		return strconv.FormatFloat(float64(d.Microseconds())/1000, 'f', 1, 64) + " ms"
	}
	return strconv.FormatFloat(float64(d.Microseconds())/1000, 'f', 2, 64) + " ms"
}

func mib(b int64) string { return fmt.Sprintf("%.0f MB", float64(b)/(1<<20)) }

func rate(r float64) string {
	if r >= 100 {
		return formatCount(int(r + 0.5))
	}
	return strconv.FormatFloat(r, 'f', 1, 64)
}
