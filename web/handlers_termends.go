package web

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/wingtip/multichannel/internal/domain"
	"github.com/wingtip/multichannel/internal/export"
	"github.com/wingtip/multichannel/views"
)

// termEndWindow reads ?days=, the term-end planner's window; anything not
// offered is the default window.
func termEndWindow(c echo.Context) int {
	n, _ := strconv.Atoi(c.QueryParam("days"))
	return domain.TermEndWindow(n)
}

// termEndsHref is the address of the term-end planner or its export for a
// window.
func termEndsHref(path string, days int) string {
	return path + "?" + url.Values{"days": {strconv.Itoa(days)}}.Encode()
}

func (s *Server) showTermEnds(c echo.Context) error {
	page := pageParam(c)
	p, err := s.svc.TermEnds.Page(c.Request().Context(), termEndWindow(c), page)
	if err != nil {
		return err
	}
	view := views.TermEnds{Days: p.Days, Total: p.Total, CSVHref: termEndsHref("/planner.csv", p.Days),
		Pager: pager("/planner", url.Values{"days": {strconv.Itoa(p.Days)}}, page, p.Total)}
	for _, w := range domain.TermEndWindows {
		view.Windows = append(view.Windows, views.SortLink{Label: fmt.Sprintf("Next %d days", w), Href: termEndsHref("/planner", w), Current: w == p.Days})
	}
	for _, r := range p.Rows {
		sub := r.Subscription
		view.Rows = append(view.Rows, views.TermEndRow{CustomerID: r.Customer.ID, Customer: r.Customer.Name, Product: sub.Product,
			Seats: domain.FormatQuantity(sub.Seats()), Channel: sub.Channel.Label(), TermEnd: domain.FormatDate(sub.Term()),
			DaysLeft: r.DaysLeft, Soon: r.Soon(), RelationshipActive: r.RelationshipActive(), RelationshipWaiting: r.RelationshipWaiting()})
	}
	view.Chart = views.NewTermEndChart(chartMonths(p.Months))
	return s.render(c, http.StatusOK, views.TermEndsPage(s.chrome(c, "Term-end planner"), view))
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

func (s *Server) termEndsCSV(c echo.Context) error {
	days := termEndWindow(c)
	rows, err := s.svc.TermEnds.Export(c.Request().Context(), days)
	if err != nil {
		return err
	}
	return sendCSV(c, fmt.Sprintf("term-ends-next-%d-days.csv", days), func(buf *bytes.Buffer) error { return export.TermEndsCSV(buf, rows) })
}
