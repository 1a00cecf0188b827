package main

import (
	"bufio"
	"bytes"
	"fmt"
	"mime/multipart"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"
)

// importRows is the size of the import the run measures: the most a file
// may hold (inventorycsv.MaxRows).
const importRows = 10_000

// importResult is what the run measured of one import of importRows rows,
// from the upload to the import, on a server otherwise idle.
type importResult struct {
	Rows    int           `json:"rows"`
	Bytes   int           `json:"bytes"`
	Preview time.Duration `json:"preview"` // the upload, kept as a batch, and the first page of its preview
	Confirm time.Duration `json:"confirm"` // the import of every row
	IdleRSS int64         `json:"idle_rss"`
	PeakRSS int64         `json:"peak_rss"` // the server's peak resident set during the import
}

// importFile is a file of our own format with rows rows, every column
// filled, as a large customer's inventory would be.
func importFile(rows int) []byte {
	var b bytes.Buffer
	b.WriteString("product,service_type,channel,quantity,term_end,reference,notes,commerce,term_length,billing_frequency,auto_renew,term_start\r\n")
	channels := []string{"ea", "other_csp", "microsoft_direct", "third_party", "open"}
	for i := range rows {
		service, quantity := "licence", strconv.Itoa(1+i%300)
		if i%7 == 0 {
			service, quantity = "usage", ""
		}
		end := time.Date(2027, time.Month(1+i%12), 1+i%28, 0, 0, 0, 0, time.UTC)
		fmt.Fprintf(&b, "Microsoft 365 E3 (department %05d),%s,%s,%s,%s,AGR-%06d,imported by the load run,nce,annual,monthly,on,%s\r\n",
			i, service, channels[i%len(channels)], quantity, end.Format("2006-01-02"), i, end.AddDate(-1, 0, 1).Format("2006-01-02"))
	}
	return b.Bytes()
}

// importInto uploads a file of importRows rows for customer, opens its
// preview and imports it, as a person would, and measures the server's
// resident set against what it was idle before.
func (d *driver) importInto(srv *server, customer int64) (importResult, error) {
	data := importFile(importRows)
	r := importResult{Rows: importRows, Bytes: len(data), IdleRSS: srv.status("VmRSS:")}
	if err := srv.resetPeakRSS(); err != nil {
		return r, err
	}
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", "inventory.csv")
	fw.Write(data)
	mw.Close()
	start := time.Now()
	req, _ := http.NewRequest(http.MethodPost, fmt.Sprintf("%s/customers/%d/import", d.base, customer), &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Origin", d.base)
	req.AddCookie(d.session)
	res, err := d.client.Do(req)
	if err != nil {
		return r, err
	}
	res.Body.Close()
	batch := res.Header.Get("Location")
	if res.StatusCode != http.StatusSeeOther || batch == "" {
		return r, fmt.Errorf("upload of %d rows: %d, not a redirect to its preview", importRows, res.StatusCode)
	}
	if err := d.get(page{path: batch, signedIn: true}); err != nil {
		return r, err
	}
	r.Preview = time.Since(start)
	start = time.Now()
	confirm, _ := http.NewRequest(http.MethodPost, d.base+batch, strings.NewReader("page=1"))
	confirm.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	confirm.Header.Set("Origin", d.base)
	if err := d.do(confirm, true); err != nil {
		return r, err
	}
	r.Confirm = time.Since(start)
	r.PeakRSS = srv.status("VmHWM:")
	return r, nil
}

// status is a size the kernel gives of the server in /proc/PID/status
// (VmRSS: now, VmHWM: its peak), in bytes; 0 where /proc does not say.
func (s *server) status(field string) int64 {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", s.cmd.Process.Pid))
	if err != nil {
		return 0
	}
	defer f.Close()
	lines := bufio.NewScanner(f)
	for lines.Scan() {
		if rest, ok := strings.CutPrefix(lines.Text(), field); ok {
			kb, _ := strconv.ParseInt(strings.Fields(rest)[0], 10, 64)
			return kb * 1024
		}
	}
	return 0
}

// resetPeakRSS sets the server's peak resident set to what it holds now,
// so that the peak read next is of what came after; Linux does so when "5"
// is written to clear_refs
// (https://man7.org/linux/man-pages/man5/proc_pid_clear_refs.5.html).
func (s *server) resetPeakRSS() error {
	return os.WriteFile(fmt.Sprintf("/proc/%d/clear_refs", s.cmd.Process.Pid), []byte("5"), 0)
}
