package main

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

func TestPercentileIsTheNearestRank(t *testing.T) {
	ms := func(ns ...int) []time.Duration {
		var out []time.Duration
		for _, n := range ns {
			out = append(out, time.Duration(n)*time.Millisecond)
		}
		return out
	}
	hundred := make([]time.Duration, 100)
	for i := range hundred {
		hundred[i] = time.Duration(i+1) * time.Millisecond
	}
	for _, tc := range []struct {
		sorted []time.Duration
		p      int
		want   time.Duration
	}{
		{nil, 50, 0},
		{ms(7), 99, 7 * time.Millisecond},
		{ms(1, 2, 3, 4), 50, 2 * time.Millisecond},
		{ms(1, 2, 3, 4), 99, 4 * time.Millisecond},
		{hundred, 50, 50 * time.Millisecond},
		{hundred, 99, 99 * time.Millisecond},
		{append(hundred, 1000*time.Millisecond), 99, 100 * time.Millisecond},
	} {
		if got := percentile(tc.sorted, tc.p); got != tc.want {
			t.Errorf("p%d of %d latencies = %v, want %v", tc.p, len(tc.sorted), got, tc.want)
		}
	}
}

func TestReportSaysWhichTargetsHold(t *testing.T) {
	page := func(name string, rps float64, p99 time.Duration) result {
		return result{Page: name, PerSecond: rps, P50: p99 / 2, P99: p99}
	}
	base := report{Customers: 1000, Pages: []result{page("/healthz", 10000, time.Millisecond), page("dashboard /", 3000, 20*time.Millisecond),
		page("plan of the largest customer (1,000 subscriptions)", 3000, 10*time.Millisecond)},
		Uncached: []result{page("/healthz", 10000, time.Millisecond), page("dashboard /", 1000, 20*time.Millisecond)}}
	r := report{Customers: 50000, Seed: 70 * time.Second, PeakRSS: 150 << 20, Baseline: &base,
		Pages: []result{page("/healthz", 10000, time.Millisecond), page("dashboard /", 2600, 60*time.Millisecond),
			page("plan of the largest customer (7,000 subscriptions)", 1000, 10*time.Millisecond)},
		Uncached: []result{page("/healthz", 10000, time.Millisecond), page("dashboard /", 500, 20*time.Millisecond)},
		Mixed:    mixedResult{Readers: page("readers", 500, 40*time.Millisecond), Writers: page("writers", 50, 150*time.Millisecond)},
		Import:   importResult{Rows: 10000, Bytes: 1 << 20, Preview: 2 * time.Second, Confirm: time.Second, IdleRSS: 40 << 20, PeakRSS: 150 << 20}}
	var out bytes.Buffer
	r.write(&out)
	text := out.String()
	for _, want := range []string{
		"| dashboard / | 2,600 | 30.0 ms | 60.0 ms | 0.26× | 0.87 | 0 |",
		"| dashboard / | 500 | 10.0 ms | 20.0 ms | 0.05× | 0.50 | 0 |", // with the cache off, against the same at 1,000
		"| plan of the largest customer (7,000 subscriptions) | 1,000 | 5.0 ms | 10.0 ms | 0.1× | 0.33 | 0 |",
		"The same pages with the page cache off",
		"FAIL  dashboard /: 0.26× /healthz (target ≥ 0.25×), p99 60.0 ms",       // fast enough, but slow at p99
		"PASS  dashboard /: flat, 0.87× its rate at 1,000 customers",            // 2,600 of 3,000
		"FAIL  plan of the largest customer (7,000 subscriptions): flat, 0.33×", // matched across sizes
		"PASS  mixed run: reader p99 40.0 ms", "FAIL  mixed run: writer p99 150 ms",
		"PASS  peak RSS 150 MB", "FAIL  seed 70.0 s",
		"FAIL  import of 10,000 rows: peak RSS 110 MB over idle (target < 100 MB)", // 150 MB at its peak against 40 MB idle
		"Import of 10,000 rows (1 MB): upload and first page of the preview 2000 ms, import 1000 ms; RSS 40 MB idle, 150 MB at the peak",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the report lacks %q:\n%s", want, text)
		}
	}
	r.Baseline = nil
	out.Reset()
	r.write(&out)
	if strings.Contains(out.String(), "flat,") || !strings.Contains(out.String(), "make load CUSTOMERS=1000") {
		t.Errorf("without a run at 1,000 customers the report should say how to make one:\n%s", out.String())
	}
}
