package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/wingtip/multichannel/internal/domain"
	"github.com/wingtip/multichannel/views"
)

// gdapListPath is the GDAP list across customers; gdapEnding is its filter
// of the relationships ending soon, which the dashboard's card opens.
const (
	gdapListPath = "/gdap"
	gdapEnding   = "ending"
)

// gdapList lists the GDAP requests of every customer by effective state,
// newest first, or those ending within domain.GDAPEndingSoonDays, soonest
// first. Without a filter, or with one it does not know (as the review
// queue), it lists them all.
func (s *Server) gdapList(c echo.Context) error {
	f := domain.GDAPFilter{Page: pageParam(c)}
	keep := url.Values{}
	switch st := c.QueryParam("status"); {
	case st == gdapEnding:
		f.Ending = true
		keep.Set("status", st)
	case slices.Contains(domain.GDAPStatuses, domain.GDAPStatus(st)):
		f.Status = domain.GDAPStatus(st)
		keep.Set("status", st)
	}
	l, err := s.svc.Relationships.GDAPList(c.Request().Context(), f)
	if err != nil {
		return err
	}
	v := views.GDAPList{Total: l.Total, Pager: pager(gdapListPath, keep, f.Page, l.Total), ExtendDays: domain.GDAPAutoExtendDays}
	chip := func(label, status string, count int, current bool) {
		href := gdapListPath
		if status != "" {
			href += "?status=" + status
		}
		v.Chips = append(v.Chips, views.StatusChip{Label: label, Href: href, Count: count, Current: current})
	}
	chip("All", "", l.All, f.Status == "" && !f.Ending)
	for _, st := range domain.GDAPStatuses {
		chip(st.Label(), string(st), l.Counts[st], st == f.Status)
	}
	chip("Ending within "+strconv.Itoa(domain.GDAPEndingSoonDays)+" days", gdapEnding, l.Ending, f.Ending)
	for _, r := range l.Rows {
		v.Rows = append(v.Rows, gdapListRow(r))
	}
	return s.render(c, http.StatusOK, views.GDAPListPage(s.chrome(c, "GDAP relationships"), v))
}

// gdapListRow is one row of the list as the domain gave it.
func gdapListRow(r domain.GDAPRow) views.GDAPListRow {
	g := r.Request
	return views.GDAPListRow{ID: g.ID, CustomerID: g.CustomerID, CustomerName: g.CustomerName, DisplayName: g.DisplayName,
		Roles: domain.RoleLabels(g.Roles), Status: string(r.Status), StatusLabel: r.Status.Label(),
		ActivatedAt: domain.FormatDate(g.ActivatedAt), EndsAt: domain.FormatDate(r.EndsAt),
		Active: r.Status == domain.GDAPActive, AutoExtend: g.AutoExtend, DaysLeft: r.DaysLeft, EndsSoon: r.EndsSoon}
}
