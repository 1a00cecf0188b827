package views

import (
	"strconv"
	"strings"
)

// TermEnds is the term-end planner: a page of licences waiting for their
// term end within the chosen window, and the chart of the months ahead.
type TermEnds struct {
	Days    int // the window shown, in days
	Windows []SortLink
	Rows    []TermEndRow
	Total   int
	Pager   Pager
	CSVHref string
	Chart   TermEndChart
}

// TermEndRow is one licence waiting for its term end.
type TermEndRow struct {
	CustomerID         int64
	Customer           string
	Product            string
	Seats              string
	Channel            string
	TermEnd            string
	DaysLeft           int
	Soon               bool // ends within 30 days: the relationship is urgent
	RelationshipActive bool
	// RelationshipWaiting says where an open request stands when the
	// relationship is not active yet; empty when there is none to wait for.
	RelationshipWaiting string
}

// ChartMonth is one month of the term-end chart.
type ChartMonth struct {
	Key   string // YYYY-MM
	Label string // the month's short name, such as Mar
	Name  string // the month in full, such as March 2026
	Year  string // under the first month and each January; empty elsewhere
	Count int
}

// The chart's geometry in SVG user units: one slot per month, the bars
// scaled so that the busiest month fills the plot height.
const (
	chartSlot      = 50
	chartBarWidth  = 34
	chartTop       = 20 // room for the count above the tallest bar
	chartPlot      = 140
	chartMonthLine = chartTop + chartPlot + 18
	chartYearLine  = chartMonthLine + 16
	chartHeight    = chartYearLine + 6
)

// TermEndChart is the bar chart of term ends per month, laid out for SVG so
// that it draws without JavaScript.
type TermEndChart struct {
	Bars   []ChartBar
	Width  string
	Height string
	Base   string // the y of the baseline
	// Summary reads the chart out for screen readers, which do not see
	// inside an SVG image.
	Summary string
}

// ChartBar is one month's bar with its labels' positions.
type ChartBar struct {
	ChartMonth
	X, Y, BarWidth, BarHeight string // the rect
	Middle                    string // the x of the labels
	CountY                    string // the y of the count above the bar
	MonthY, YearY             string
}

// NewTermEndChart lays out a bar per month, its height proportional to its
// count.
func NewTermEndChart(months []ChartMonth) TermEndChart {
	most := 1
	var summary []string
	chart := TermEndChart{Width: strconv.Itoa(chartSlot * len(months)), Height: strconv.Itoa(chartHeight),
		Base: strconv.Itoa(chartTop + chartPlot)}
	for _, m := range months {
		most = max(most, m.Count)
		summary = append(summary, m.Name+": "+strconv.Itoa(m.Count))
	}
	chart.Summary = "Term ends per month. " + strings.Join(summary, ", ") + "."
	for i, m := range months {
		h := m.Count * chartPlot / most
		x := i*chartSlot + (chartSlot-chartBarWidth)/2
		y := chartTop + chartPlot - h
		chart.Bars = append(chart.Bars, ChartBar{ChartMonth: m, X: strconv.Itoa(x), Y: strconv.Itoa(y),
			BarWidth: strconv.Itoa(chartBarWidth), BarHeight: strconv.Itoa(h), Middle: strconv.Itoa(i*chartSlot + chartSlot/2),
			CountY: strconv.Itoa(y - 5), MonthY: strconv.Itoa(chartMonthLine), YearY: strconv.Itoa(chartYearLine)})
	}
	return chart
}
