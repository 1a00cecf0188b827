package web

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/wingtip/multichannel/internal/domain"
	"github.com/wingtip/multichannel/internal/export"
	"github.com/wingtip/multichannel/views"
)

// termEndFilter reads ?days=, ?channel= and ?action=, the term-end
// planner's filter; anything not offered is no narrowing (the default
// window for days).
func termEndFilter(c echo.Context) domain.TermEndFilter {
	n, _ := strconv.Atoi(c.QueryParam("days"))
	return domain.NewTermEndFilter(n, c.QueryParam("channel"), c.QueryParam("action"))
}

// termEndValues are the query values of a filter, leaving out what does not
// narrow.
func termEndValues(f domain.TermEndFilter) url.Values {
	v := url.Values{"days": {strconv.Itoa(f.Days)}}
	if ch := f.ChannelParam(); ch != "" {
		v.Set("channel", ch)
	}
	if f.Action != "" {
		v.Set("action", string(f.Action))
	}
	return v
}

// termEndsHref is the address of the term-end planner or its export for a
// filter.
func termEndsHref(path string, f domain.TermEndFilter) string {
	return path + "?" + termEndValues(f).Encode()
}

// termEndChips are the filter links of the planner: for each window,
// channel and action, the current filter with that one changed.
func termEndChips(f domain.TermEndFilter) (windows, channels, actions []views.SortLink) {
	link := func(label string, g domain.TermEndFilter) views.SortLink {
		return views.SortLink{Label: label, Href: termEndsHref("/planner", g), Current: g == f}
	}
	for _, w := range domain.TermEndWindows {
		g := f
		g.Days = w
		windows = append(windows, link(fmt.Sprintf("Next %d days", w), g))
	}
	every := f
	every.ByChannel, every.Channel = false, domain.ChannelUnknown
	channels = append(channels, link("Every channel", every))
	for _, ch := range append(append([]domain.Channel{}, domain.Channels...), domain.ChannelUnknown) {
		if ch == domain.ChannelSyndication {
			continue // never listed: see the page's note
		}
		g := f
		g.ByChannel, g.Channel = true, ch
		channels = append(channels, link(ch.Label(), g))
	}
	all := f
	all.Action = ""
	actions = append(actions, link("Every action", all))
	for _, a := range domain.TermActions {
		g := f
		g.Action = a
		actions = append(actions, link(a.Label(), g))
	}
	return windows, channels, actions
}

func (s *Server) showTermEnds(c echo.Context) error {
	page, f := pageParam(c), termEndFilter(c)
	p, err := s.svc.TermEnds.Page(c.Request().Context(), f, page)
	if err != nil {
		return err
	}
	view := views.TermEnds{Days: f.Days, Total: p.Total, CSVHref: termEndsHref("/planner.csv", f),
		Pager: pager("/planner", termEndValues(f), page, p.Total)}
	view.Windows, view.Channels, view.Actions = termEndChips(f)
	for _, r := range p.Rows {
		sub := r.Subscription
		row := views.TermEndRow{CustomerID: r.Customer.ID, Customer: r.Customer.Name, Product: sub.Product,
			Seats: domain.FormatQuantity(sub.Seats()), Channel: sub.Channel.Label(), TermEnd: domain.FormatDate(sub.Term()),
			DaysLeft: r.DaysLeft, Soon: r.Soon(), Action: string(r.Step.Action), ActionLabel: r.Step.Action.Label(),
			Instruction: r.Step.Instruction(), ByWhen: r.Step.ByWhen(),
			RelationshipActive: r.RelationshipActive(), RelationshipWaiting: r.RelationshipWaiting()}
		if r.Step.ProvisionBy != nil && r.RelationshipActive() {
			row.PurchaseHref = purchaseFormHref(r.Customer.ID, sub.ID)
		}
		view.Rows = append(view.Rows, row)
	}
	view.Chart = views.NewTermEndChart(chartMonths(p.Months))
	return s.render(c, http.StatusOK, views.TermEndsPage(s.chrome(c, "Term-end planner"), view))
}

// chartMonths names the months of the chart, with their counts in the
// order of domain.TermActions; the year is written under the first month
// and under each January, where it changes.
func chartMonths(months []domain.MonthCount) []views.ChartMonth {
	out := make([]views.ChartMonth, len(months))
	for i, m := range months {
		out[i] = views.ChartMonth{Key: m.Key(), Label: m.Month.Format("Jan"), Name: m.Month.Format("January 2006")}
		for _, a := range domain.TermActions {
			out[i].Counts = append(out[i].Counts, views.ActionCount{Action: string(a), Label: a.Label(), Count: m.ByAction[a]})
		}
		if i == 0 || m.Month.Month() == 1 {
			out[i].Year = m.Month.Format("2006")
		}
	}
	return out
}

func (s *Server) termEndsCSV(c echo.Context) error {
	f := termEndFilter(c)
	return s.svc.TermEnds.Export(c.Request().Context(), f, func(rows domain.Rows[domain.TermEndRow]) error {
		return s.sendCSV(c, fmt.Sprintf("term-ends-next-%d-days.csv", f.Days), func(w io.Writer) error { return export.TermEndsCSV(w, rows) })
	})
}
