package web

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"

	"github.com/wingtip/multichannel/internal/domain"
	"github.com/wingtip/multichannel/internal/testio"
)

// TestExportsLargerThanTheirBufferHoldEveryRow gives Contoso 600 more
// subscriptions in three workflow groups, one of them a few among many,
// with term ends over the coming year, so that each export is larger than
// downloadBuffer: the plan's CSV and JSON and the inventory file
// carry every subscription once, in the order of the plan, with the counts
// the plan page shows; the planner's file every licence its page counts,
// and the audit log's every entry; all go out chunked as they are read
// rather than as one answer of known length.
func TestExportsLargerThanTheirBufferHoldEveryRow(t *testing.T) {
	app := newTestApp(t)
	c := app.signIn(adminAgent)
	contoso := app.customerID("Contoso")
	ctx := context.Background()
	for i := range 600 {
		end := app.clock.now().AddDate(0, 0, 10+i%300)
		sub := domain.Subscription{CustomerID: contoso, Product: fmt.Sprintf("Microsoft 365 E5 for the team of department %03d", i),
			ServiceType: domain.ServiceLicence, Channel: domain.ChannelEA, Quantity: 5, Notes: strings.Repeat("kept ", 10), TermEnd: &end}
		switch {
		case i%100 == 42:
			sub.Channel = domain.ChannelMicrosoftDirect
		case i%3 == 0:
			sub.Channel, sub.ServiceType = domain.ChannelOtherCSP, domain.ServiceUsage
		}
		if _, err := app.store.AddSubscription(ctx, domain.Actor{}, sub.Normalize()); err != nil {
			t.Fatal(err)
		}
	}
	var inventory []int64
	for _, s := range app.subscriptionsOf(contoso) {
		inventory = append(inventory, s.ID)
	}
	outline, err := app.customers.PlanOutline(ctx, contoso)
	if err != nil {
		t.Fatal(err)
	}
	get := func(path string) (*http.Response, string) {
		t.Helper()
		res, err := c.Get(app.url + path)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		body, err := io.ReadAll(res.Body)
		if err != nil || res.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d, %v", path, res.StatusCode, err)
		}
		if len(body) <= downloadBuffer || res.ContentLength != -1 || !slices.Equal(res.TransferEncoding, []string{"chunked"}) {
			t.Errorf("%s: %d bytes, length %d, %v; want more than a buffer, sent chunked", path, len(body), res.ContentLength, res.TransferEncoding)
		}
		return res, string(body)
	}
	base := fmt.Sprintf("/customers/%d/", contoso)

	_, body := get(base + "plan.csv")
	var fromCSV []int64
	var workflows []string
	for _, record := range testio.CSV(t, body)[1:] {
		id, _ := strconv.ParseInt(record[0], 10, 64)
		fromCSV = append(fromCSV, id)
		if w := record[5]; len(workflows) == 0 || workflows[len(workflows)-1] != w {
			workflows = append(workflows, w)
		}
	}
	var want []string
	for _, g := range outline.Groups {
		want = append(want, string(g.Workflow))
	}
	if !slices.Equal(workflows, want) {
		t.Errorf("plan.csv runs through the workflows %v, want each once in the plan's order %v", workflows, want)
	}
	if !slices.Equal(slices.Sorted(slices.Values(fromCSV)), inventory) {
		t.Errorf("plan.csv holds %d subscriptions; want every one of the %d, once", len(fromCSV), len(inventory))
	}

	_, body = get(base + "plan.json")
	var plan struct {
		Total  int
		Groups []struct {
			Workflow      string
			Count         int
			Subscriptions []struct {
				SubscriptionID int64 `json:"subscription_id"`
			}
		}
	}
	if err := json.Unmarshal([]byte(body), &plan); err != nil {
		t.Fatalf("plan.json is not one JSON document: %v", err)
	}
	var fromJSON []int64
	for i, g := range plan.Groups {
		if g.Workflow != want[i] || g.Count != outline.Groups[i].Count || len(g.Subscriptions) != g.Count {
			t.Errorf("plan.json group %s counts %d with %d subscriptions; the plan page counts %s %d", g.Workflow, g.Count,
				len(g.Subscriptions), want[i], outline.Groups[i].Count)
		}
		for _, s := range g.Subscriptions {
			fromJSON = append(fromJSON, s.SubscriptionID)
		}
	}
	if plan.Total != len(inventory) || !slices.Equal(fromJSON, fromCSV) {
		t.Errorf("plan.json: total %d, %d subscriptions; want %d, in the CSV's order", plan.Total, len(fromJSON), len(inventory))
	}

	res, body := get(base + "subscriptions.csv")
	if lines := len(testio.CSV(t, body)) - 1; lines != len(inventory) ||
		!strings.Contains(res.Header.Get("Content-Disposition"), "contoso") || res.Header.Get("Content-Type") != "text/csv; charset=utf-8" {
		t.Errorf("the inventory file: %d lines, %q, %q; want %d", lines, res.Header.Get("Content-Disposition"), res.Header.Get("Content-Type"), len(inventory))
	}

	planner, err := app.svc.TermEnds.Page(ctx, domain.NewTermEndFilter(365, "", ""), domain.Page{Number: 1, Size: 1})
	if err != nil {
		t.Fatal(err)
	}
	_, body = get("/planner.csv?days=365")
	if lines := len(testio.CSV(t, body)) - 1; planner.Total < 400 || lines != planner.Total {
		t.Errorf("the planner's file: %d lines; want the %d licences its page counts", lines, planner.Total)
	}
	c = app.signIn(globalAdmin) // who may read the audit log
	_, audited, err := app.store.AuditLog(ctx, domain.AuditFilter{}, domain.Page{Number: 1, Size: 1})
	if err != nil {
		t.Fatal(err)
	}
	_, body = get("/audit.csv")
	if lines := len(testio.CSV(t, body)) - 1; audited < 600 || lines != audited {
		t.Errorf("the audit file: %d lines; want the %d entries the log counts", lines, audited)
	}
}

// TestDownloadFailingLateIsCutOff checks what a client sees of a download
// whose making fails: before the first buffer goes out, the error page;
// after it, a connection cut short, never a file that looks whole.
func TestDownloadFailingLateIsCutOff(t *testing.T) {
	broken := errors.New("the disk went away")
	srv := &Server{log: slog.New(slog.DiscardHandler)}
	e := echo.New()
	e.HTTPErrorHandler = func(err error, c echo.Context) {
		if !c.Response().Committed {
			c.String(http.StatusInternalServerError, "error page: "+err.Error())
		}
	}
	e.GET("/:size", func(c echo.Context) error {
		size, _ := strconv.Atoi(c.Param("size"))
		return srv.sendCSV(c, "file.csv", func(w io.Writer) error {
			if _, err := w.Write([]byte(strings.Repeat("a,b\r\n", size/5))); err != nil {
				return err
			}
			return broken
		})
	})
	ts := httptest.NewServer(e)
	defer ts.Close()

	res, err := http.Get(ts.URL + "/1000")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusInternalServerError || res.Header.Get("Content-Disposition") != "" || !strings.Contains(string(body), broken.Error()) {
		t.Errorf("an early failure: %d %q %q; want the error page, not an attachment", res.StatusCode, res.Header.Get("Content-Disposition"), body)
	}

	res, err = http.Get(ts.URL + "/" + strconv.Itoa(4*downloadBuffer))
	if err != nil {
		t.Fatal(err)
	}
	body, err = io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK || err == nil || len(body) >= 4*downloadBuffer {
		t.Errorf("a late failure: %d, %d bytes, read error %v; want the download to fail part-way", res.StatusCode, len(body), err)
	}
}
