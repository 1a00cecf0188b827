package views

import (
	"strconv"
	"strings"
)

// TermEnds is the term-end planner: a page of licences with their term end
// within the chosen window, narrowed by channel and action, each with what to
// do and by when, and the chart of the months ahead by action.
type TermEnds struct {
	Days     int // the window shown, in days
	Windows  []SortLink
	Channels []SortLink // every channel first, then each channel
	Actions  []SortLink // every action first, then each action
	Rows     []TermEndRow
	Total    int
	Pager    Pager
	CSVHref  string
	Chart    TermEndChart
}

// TermEndRow is one licence with a term end.
type TermEndRow struct {
	CustomerID         int64
	Customer           string
	Product            string
	Seats              string
	Channel            string
	TermEnd            string
	DaysLeft           int
	Soon               bool   // ends within 30 days: the relationship is urgent
	Action             string // the action's code, for its badge's colour
	ActionLabel        string
	Instruction        string
	ByWhen             string
	RelationshipActive bool
	// RelationshipWaiting says where an open request stands when the
	// relationship is not active yet; empty when there is none to wait for.
	RelationshipWaiting string
	// PurchaseHref opens the form recording our CSP purchase that replaces
	// this licence; empty where there is nothing to buy yet.
	PurchaseHref string
}

// ChartMonth is one month of the term-end chart.
type ChartMonth struct {
	Key    string // YYYY-MM
	Label  string // the month's short name, such as Mar
	Name   string // the month in full, such as March 2026
	Year   string // under the first month and each January; empty elsewhere
	Counts []ActionCount
}

// ActionCount is how many term ends of one action fall in a month.
type ActionCount struct {
	Action string // the code
	Label  string
	Count  int
}

// Total is how many term ends fall in the month.
func (m ChartMonth) Total() int {
	n := 0
	for _, c := range m.Counts {
		n += c.Count
	}
	return n
}

// actionColours are the fills of the chart's segments and legend by action
// code; an action without one is drawn grey.
var actionColours = map[string]string{
	"classify_first":    "#718096",
	"request_transfer":  "#2f855a",
	"buy_before_expiry": "#2b6cb0",
	"wait_and_buy":      "#dd6b20",
}

func actionColour(code string) string {
	if c, ok := actionColours[code]; ok {
		return c
	}
	return "#a0aec0"
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

// TermEndChart is the bar chart of term ends per month, each bar stacked by
// action, laid out for SVG so that it draws without JavaScript.
type TermEndChart struct {
	Bars   []ChartBar
	Legend []LegendItem
	Width  string
	Height string
	Base   string // the y of the baseline
	// Summary reads the chart out for screen readers, which do not see
	// inside an SVG image.
	Summary string
}

// LegendItem names the colour of one action.
type LegendItem struct {
	Action string
	Label  string
	Fill   string
}

// ChartBar is one month's bar with its labels' positions.
type ChartBar struct {
	ChartMonth
	Count         int
	Segments      []ChartSegment // bottom first; none for an empty month
	Middle        string         // the x of the labels
	CountY        string         // the y of the count above the bar
	MonthY, YearY string
	Height        string // of the whole bar
}

// ChartSegment is the part of a bar for one action.
type ChartSegment struct {
	ActionCount
	X, Y, Width, Height string
	Fill                string
}

// NewTermEndChart lays out a bar per month, its height proportional to its
// count, stacked by action in the order of the months' counts, with a
// legend of those actions.
func NewTermEndChart(months []ChartMonth) TermEndChart {
	most := 1
	var summary []string
	chart := TermEndChart{Width: strconv.Itoa(chartSlot * len(months)), Height: strconv.Itoa(chartHeight),
		Base: strconv.Itoa(chartTop + chartPlot)}
	for _, m := range months {
		most = max(most, m.Total())
		var parts []string
		for _, c := range m.Counts {
			if c.Count > 0 {
				parts = append(parts, strconv.Itoa(c.Count)+" "+strings.ToLower(c.Label))
			}
		}
		line := m.Name + ": " + strconv.Itoa(m.Total())
		if len(parts) > 0 {
			line += " (" + strings.Join(parts, ", ") + ")"
		}
		summary = append(summary, line)
	}
	if len(months) > 0 {
		for _, c := range months[0].Counts {
			chart.Legend = append(chart.Legend, LegendItem{Action: c.Action, Label: c.Label, Fill: actionColour(c.Action)})
		}
	}
	chart.Summary = "Term ends per month by action. " + strings.Join(summary, "; ") + "."
	base := chartTop + chartPlot
	for i, m := range months {
		x := i*chartSlot + (chartSlot-chartBarWidth)/2
		bar := ChartBar{ChartMonth: m, Count: m.Total(), Middle: strconv.Itoa(i*chartSlot + chartSlot/2),
			MonthY: strconv.Itoa(chartMonthLine), YearY: strconv.Itoa(chartYearLine)}
		// Each segment ends where the running total does, scaled, so that
		// the segments add up to the bar without rounding gaps.
		below, top := 0, base
		for _, c := range m.Counts {
			if c.Count == 0 {
				continue
			}
			upTo := (below + c.Count) * chartPlot / most
			h := upTo - below*chartPlot/most
			top = base - upTo
			bar.Segments = append(bar.Segments, ChartSegment{ActionCount: c, X: strconv.Itoa(x), Y: strconv.Itoa(top),
				Width: strconv.Itoa(chartBarWidth), Height: strconv.Itoa(h), Fill: actionColour(c.Action)})
			below += c.Count
		}
		bar.Height, bar.CountY = strconv.Itoa(base-top), strconv.Itoa(top-5)
		chart.Bars = append(chart.Bars, bar)
	}
	return chart
}
