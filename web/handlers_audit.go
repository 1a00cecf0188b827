package web

import (
	"bytes"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/labstack/echo/v4"

	"github.com/wingtip/multichannel/internal/domain"
	"github.com/wingtip/multichannel/internal/export"
	"github.com/wingtip/multichannel/views"
)

// auditExportLimit bounds the entries of one CSV export, which is built in
// memory.
const auditExportLimit = 100_000

// auditActionPattern is what an action looks like; other values are ignored.
var auditActionPattern = regexp.MustCompile(`^[a-z][a-z_]{0,63}$`)

// auditDate is the form of the date filters, as an HTML date input sends.
const auditDate = "2006-01-02"

// auditQuery is the filter a request asks for, with what was ignored.
type auditQuery struct {
	filter  domain.AuditFilter
	form    views.AuditFilterForm
	keep    url.Values // the valid filters, for the pager, the CSV and links
	notices []string
}

// auditQueryOf reads the filters of the query string. Invalid values are
// left out, each with a notice that says why, so that a bad link still shows
// the log.
func (s *Server) auditQueryOf(c echo.Context) (auditQuery, error) {
	ctx := c.Request().Context()
	q := auditQuery{keep: url.Values{}}
	users, _, err := s.store.ListUsers(ctx, domain.Page{Number: 1, Size: 500})
	if err != nil {
		return q, err
	}
	for _, u := range users {
		q.form.Actors = append(q.form.Actors, views.Option{Value: strconv.FormatInt(u.ID, 10), Label: u.Name})
	}
	for _, a := range domain.AuditActions {
		q.form.Actions = append(q.form.Actions, views.Option{Value: string(a), Label: a.Label()})
	}

	if v := strings.TrimSpace(c.QueryParam("actor")); v != "" {
		id, _ := strconv.ParseInt(v, 10, 64)
		if slices.ContainsFunc(users, func(u domain.User) bool { return id != 0 && u.ID == id }) {
			q.filter.ActorID, q.form.Actor = id, strconv.FormatInt(id, 10)
			q.keep.Set("actor", q.form.Actor)
		} else {
			q.notices = append(q.notices, fmt.Sprintf("There is no partner user “%s”: the actor filter was ignored.", v))
		}
	}

	if v := strings.TrimSpace(c.QueryParam("action")); v != "" {
		if auditActionPattern.MatchString(v) {
			q.filter.Action, q.form.Action = domain.AuditAction(v), v
			q.keep.Set("action", v)
			if !slices.ContainsFunc(q.form.Actions, func(o views.Option) bool { return o.Value == v }) {
				q.form.Actions = append(q.form.Actions, views.Option{Value: v, Label: v})
			}
		} else {
			q.notices = append(q.notices, fmt.Sprintf("“%s” is not an action: the action filter was ignored.", v))
		}
	}

	if v := strings.TrimSpace(c.QueryParam("customer_id")); v != "" {
		var cu domain.Customer
		err := domain.ErrNotFound
		if id, perr := strconv.ParseInt(v, 10, 64); perr == nil && id > 0 {
			cu, err = s.store.Customer(ctx, id)
		}
		switch {
		case err == nil:
			q.filter.CustomerID, q.form.CustomerID, q.form.CustomerName = cu.ID, cu.ID, cu.Name
			q.keep.Set("customer_id", strconv.FormatInt(cu.ID, 10))
		case errors.Is(err, domain.ErrNotFound):
			q.notices = append(q.notices, fmt.Sprintf("There is no customer “%s”: the customer filter was ignored.", v))
		default:
			return q, err
		}
	}

	if v := strings.TrimSpace(c.QueryParam("customer")); v != "" {
		if strings.IndexFunc(v, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) >= 0 {
			q.filter.Customer, q.form.Customer = v, v
			q.keep.Set("customer", v)
		} else {
			q.notices = append(q.notices, fmt.Sprintf("The customer search “%s” has no letter or digit: it was ignored.", v))
		}
	}

	from, fromOK := q.date(c, "from", "start")
	to, toOK := q.date(c, "to", "end")
	if fromOK && toOK && to.Before(from) {
		q.notices = append(q.notices, fmt.Sprintf("The range ends (%s) before it starts (%s): the dates were ignored.",
			to.Format(auditDate), from.Format(auditDate)))
		fromOK, toOK = false, false
	}
	if fromOK {
		q.filter.From, q.form.From = from, from.Format(auditDate)
		q.keep.Set("from", q.form.From)
	}
	if toOK {
		q.form.To = to.Format(auditDate)
		q.keep.Set("to", q.form.To)
		// The last day is included: the range ends at the next midnight,
		// unless that is past year 9999, which the stored times cannot
		// reach (and whose five digits would not sort as text).
		if end := to.AddDate(0, 0, 1); end.Year() <= 9999 {
			q.filter.To = end
		}
	}

	if q.form.CustomerID != 0 {
		q.form.ClearCustomerHref = auditHref("/audit", withFilter(q.keep, "customer_id", ""))
	}
	return q, nil
}

// date reads a date filter (UTC), noting a value that is not a date; label
// names the filter in the notice.
func (q *auditQuery) date(c echo.Context, name, label string) (time.Time, bool) {
	v := strings.TrimSpace(c.QueryParam(name))
	if v == "" {
		return time.Time{}, false
	}
	d, err := time.Parse(auditDate, v)
	if err != nil {
		q.notices = append(q.notices, fmt.Sprintf("The %s date “%s” is not a date in the form YYYY-MM-DD: it was ignored.", label, v))
		return time.Time{}, false
	}
	return d, true
}

// withFilter is a copy of the filters in keep with the filter name set to
// value, or dropped when value is empty.
func withFilter(keep url.Values, name, value string) url.Values {
	v := maps.Clone(keep)
	if value == "" {
		v.Del(name)
	} else {
		v.Set(name, value)
	}
	return v
}

// auditHref is path with the filters v.
func auditHref(path string, v url.Values) string {
	if len(v) == 0 {
		return path
	}
	return path + "?" + v.Encode()
}

func (s *Server) showAudit(c echo.Context) error {
	q, err := s.auditQueryOf(c)
	if err != nil {
		return err
	}
	page := pageParam(c)
	rows, total, err := s.store.AuditLog(c.Request().Context(), q.filter, page)
	if err != nil {
		return err
	}
	list := views.AuditLog{Filter: q.form, Notices: q.notices, Total: total, Pager: pager("/audit", q.keep, page, total),
		CSVHref: auditHref("/audit.csv", q.keep), ExportLimit: auditExportLimit}
	for _, r := range rows {
		actor := r.ActorName
		if r.ActorID == 0 {
			actor = "—"
		}
		list.Rows = append(list.Rows, views.AuditRow{At: r.At.UTC().Format("2006-01-02 15:04:05"), AtISO: r.At.UTC().Format(time.RFC3339),
			Actor: actor, Action: string(r.Action), ActionLabel: r.Action.Label(), ActionHref: auditHref("/audit", withFilter(q.keep, "action", string(r.Action))),
			CustomerID: r.CustomerID, Customer: r.CustomerName, Target: r.Target, ClientIP: r.ClientIP, Detail: r.Detail})
	}
	return s.render(c, http.StatusOK, views.AuditPage(s.chrome(c, "Audit log"), list))
}

// auditCSV exports the entries the filters of the page choose, newest first,
// up to auditExportLimit. Invalid filters are ignored, as on the page.
func (s *Server) auditCSV(c echo.Context) error {
	q, err := s.auditQueryOf(c)
	if err != nil {
		return err
	}
	rows, _, err := s.store.AuditLog(c.Request().Context(), q.filter, domain.Page{Number: 1, Size: auditExportLimit})
	if err != nil {
		return err
	}
	return sendCSV(c, "audit-log.csv", func(buf *bytes.Buffer) error { return export.AuditCSV(buf, rows) })
}
