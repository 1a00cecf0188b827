package inventorycsv

import (
	"encoding/csv"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// BenchmarkParse10000Rows times the reading of a 10,000-row inventory, the
// most an upload may hold, with every column filled and dates written day
// first, as the import's preview reads it (Open, then InspectTable for its
// shape and ParseTable), and reports the highest heap in use while it runs ("peak-MB"),
// sampled every millisecond, and the process's resident set high-water
// mark over the parses alone ("process-peak-RSS-MB"), beside -benchmem's
// allocations.
func BenchmarkParse10000Rows(b *testing.B) {
	benchmarkParse(b, []byte(tenThousandRows()))
}

// BenchmarkParse10000RowsXLSX is BenchmarkParse10000Rows for the same rows
// in an Excel workbook.
func BenchmarkParse10000RowsXLSX(b *testing.B) {
	records, err := csv.NewReader(strings.NewReader(tenThousandRows())).ReadAll()
	if err != nil {
		b.Fatal(err)
	}
	rows := make([][]any, len(records))
	for i, rec := range records {
		for _, cell := range rec {
			rows[i] = append(rows[i], cell)
		}
	}
	benchmarkParse(b, workbookBytes(b, map[string][][]any{"Inventory": rows}, []string{"Inventory"}, nil))
}

// tenThousandRows is an inventory of MaxRows rows with every column filled.
func tenThousandRows() string {
	var file strings.Builder
	file.WriteString("product,service_type,channel,quantity,term_end,reference,notes,commerce,term_length,billing_frequency,auto_renew,term_start,offer_id\r\n")
	for i := range MaxRows {
		fmt.Fprintf(&file, "Microsoft 365 E3 %d,licence,other_csp,%d,%02d/%02d/2027,Trey Research CSP,row %d,nce,P1Y,monthly,on,%02d/%02d/2026,\r\n",
			i, i%500+1, i%28+1, i%12+1, i, i%28+1, i%12+1)
	}
	return file.String()
}

// benchmarkParse inspects and parses data in a loop and reports the peak heap and the
// peak resident set. The memory left from building data is handed back to
// the system and the high-water mark reset first, so that the figure is
// the parses' own; where the mark cannot be reset it covers the whole test
// binary, which the benchmark's log says.
func benchmarkParse(b *testing.B, data []byte) {
	today := time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)
	runtime.GC()
	debug.FreeOSMemory()
	if err := resetPeakRSS(); err != nil {
		b.Logf("process-peak-RSS-MB covers the whole test binary since it started: %v", err)
	}
	var peak uint64
	var mu sync.Mutex
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		var m runtime.MemStats
		for {
			select {
			case <-stop:
				return
			case <-time.After(time.Millisecond):
				runtime.ReadMemStats(&m)
				mu.Lock()
				peak = max(peak, m.HeapInuse)
				mu.Unlock()
			}
		}
	})
	b.ResetTimer()
	for b.Loop() {
		table, err := Open(data, "")
		if err != nil {
			b.Fatal(err)
		}
		if shape, err := InspectTable(table); err != nil || !shape.Own {
			b.Fatalf("Inspect: own %v, %v", shape.Own, err)
		}
		res, err := ParseTable(table, today, Options{Country: "GB"})
		if err != nil || !res.OK() || len(res.Rows) != MaxRows {
			b.Fatalf("%v, %d rows, errors %v", err, len(res.Rows), res.Errors[:min(3, len(res.Errors))])
		}
	}
	b.StopTimer()
	close(stop)
	wg.Wait()
	b.ReportMetric(float64(peak)/(1<<20), "peak-MB")
	if hwm, ok := peakRSS(); ok {
		b.ReportMetric(hwm/(1<<20), "process-peak-RSS-MB")
	}
}

// resetPeakRSS sets the process's resident set high-water mark (VmHWM) to
// its resident set now; Linux does so when "5" is written to clear_refs
// (https://man7.org/linux/man-pages/man5/proc_pid_clear_refs.5.html).
func resetPeakRSS() error {
	return os.WriteFile("/proc/self/clear_refs", []byte("5"), 0)
}

// peakRSS is the process's resident set high-water mark (VmHWM), on Linux:
// of the whole test binary since it started or since resetPeakRSS, so it
// speaks for one benchmark only when that benchmark runs alone (-bench
// with its name) or resets it.
func peakRSS() (float64, bool) {
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, false
	}
	for line := range strings.Lines(string(status)) {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 64)
			return kb * 1024, err == nil
		}
	}
	return 0, false
}
