package web

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/wingtip/multichannel/internal/domain"
	"github.com/wingtip/multichannel/internal/inventorycsv"
	"github.com/wingtip/multichannel/internal/planner"
	"github.com/wingtip/multichannel/views"
)

// soonDays is how close a term end is highlighted: a relationship not active
// by then is unlikely to be in time for the replacement.
const soonDays = 30

// plannerDays reads ?days=, the planner's window; anything not offered is the
// default window.
func plannerDays(c echo.Context) int {
	n, _ := strconv.Atoi(c.QueryParam("days"))
	return domain.PlannerWindow(n)
}

// plannerHref is the address of the planner or its export for a window.
func plannerHref(path string, days int) string {
	return path + "?" + url.Values{"days": {strconv.Itoa(days)}}.Encode()
}

func (s *Server) showPlanner(c echo.Context) error {
	ctx := c.Request().Context()
	days, page := plannerDays(c), pageParam(c)
	rows, total, err := s.svc.Planner.List(ctx, days, page)
	if err != nil {
		return err
	}
	months, err := s.svc.Planner.Chart(ctx)
	if err != nil {
		return err
	}
	view := views.Planner{Days: days, Total: total, CSVHref: plannerHref("/planner.csv", days),
		Pager: pager("/planner", url.Values{"days": {strconv.Itoa(days)}}, page, total)}
	for _, w := range domain.PlannerWindows {
		view.Windows = append(view.Windows, views.SortLink{Label: fmt.Sprintf("Next %d days", w), Href: plannerHref("/planner", w), Current: w == days})
	}
	for _, r := range rows {
		sub := r.Subscription
		view.Rows = append(view.Rows, views.PlannerRow{CustomerID: r.Customer.ID, Customer: r.Customer.Name, Product: sub.Product,
			Seats: domain.FormatQuantity(sub.Seats()), Channel: sub.Channel.Label(), TermEnd: domain.FormatDate(sub.Term()),
			DaysLeft: r.DaysLeft, Soon: r.DaysLeft <= soonDays, RelationshipActive: r.RelationshipActive})
	}
	view.Chart = views.NewTermEndChart(chartMonths(months))
	return s.render(c, http.StatusOK, views.PlannerPage(s.chrome(c, "Term-end planner"), view))
}

// chartMonths names the months of the chart; the year is written under the
// first month and under each January, where it changes.
func chartMonths(months []domain.MonthCount) []views.ChartMonth {
	out := make([]views.ChartMonth, len(months))
	for i, m := range months {
		out[i] = views.ChartMonth{Key: m.Key(), Label: m.Month.Format("Jan"), Name: m.Month.Format("January 2006"), Count: m.Count}
		if i == 0 || m.Month.Month() == 1 {
			out[i].Year = m.Month.Format("2006")
		}
	}
	return out
}

// plannerHeader names the columns of the planner export.
var plannerHeader = []string{"customer", "domain", "product", "channel", "quantity", "term_end", "days_left", "relationship_active"}

func (s *Server) plannerCSV(c echo.Context) error {
	days := plannerDays(c)
	rows, err := s.svc.Planner.Export(c.Request().Context(), days)
	if err != nil {
		return err
	}
	return sendCSV(c, fmt.Sprintf("term-ends-next-%d-days.csv", days), func(buf *bytes.Buffer) error { return writePlannerCSV(buf, rows) })
}

// writePlannerCSV writes the rows with CRLF line ends like the inventory
// export, so that both open the same way in a spreadsheet.
func writePlannerCSV(buf *bytes.Buffer, rows []planner.Row) error {
	cw := csv.NewWriter(buf)
	cw.UseCRLF = true
	if err := cw.Write(plannerHeader); err != nil {
		return err
	}
	for _, r := range rows {
		sub := r.Subscription
		record := []string{inventorycsv.Guard(r.Customer.Name), inventorycsv.Guard(r.Customer.Domain), inventorycsv.Guard(sub.Product), string(sub.Channel),
			domain.FormatQuantity(sub.Seats()), domain.FormatDate(sub.Term()), strconv.Itoa(r.DaysLeft), strconv.FormatBool(r.RelationshipActive)}
		if err := cw.Write(record); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
