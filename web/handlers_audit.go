package web

import (
	"io"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/wingtip/multichannel/internal/auditlog"
	"github.com/wingtip/multichannel/internal/domain"
	"github.com/wingtip/multichannel/internal/export"
	"github.com/wingtip/multichannel/views"
)

// auditFilters reads the audit log's filters from the query string, as
// typed: the service checks them.
func auditFilters(c echo.Context) domain.AuditRequest {
	return domain.AuditRequest{Actor: c.QueryParam("actor"), Action: c.QueryParam("action"), CustomerID: c.QueryParam("customer_id"),
		Customer: c.QueryParam("customer"), From: c.QueryParam("from"), To: c.QueryParam("to")}
}

// auditKeep is the query string of the filters q kept, for the pager, the
// CSV and the links of the rows.
func auditKeep(q domain.AuditQuery) url.Values {
	keep := url.Values{}
	f := q.Filter
	if f.ActorID != 0 {
		keep.Set("actor", strconv.FormatInt(f.ActorID, 10))
	}
	if f.Action != "" {
		keep.Set("action", string(f.Action))
	}
	if f.CustomerID != 0 {
		keep.Set("customer_id", strconv.FormatInt(f.CustomerID, 10))
	}
	if f.Customer != "" {
		keep.Set("customer", f.Customer)
	}
	if !q.FromDay.IsZero() {
		keep.Set("from", q.FromDay.Format(domain.DateLayout))
	}
	if !q.ToDay.IsZero() {
		keep.Set("to", q.ToDay.Format(domain.DateLayout))
	}
	return keep
}

// auditFilterForm is the filter form as the log was asked for, with the
// values that were left out left out.
func auditFilterForm(log domain.AuditLog, keep url.Values) views.AuditFilterForm {
	f := log.Query.Filter
	form := views.AuditFilterForm{Actor: keep.Get("actor"), Action: string(f.Action), Customer: f.Customer, From: keep.Get("from"), To: keep.Get("to")}
	for _, u := range log.Actors {
		form.Actors = append(form.Actors, views.Option{Value: strconv.FormatInt(u.ID, 10), Label: u.Name})
	}
	for _, a := range domain.AuditActions {
		form.Actions = append(form.Actions, views.Option{Value: string(a), Label: a.Label()})
	}
	// An action the app does not write (yet) can still be filtered by, from
	// a link: it is offered by its code.
	if f.Action != "" && !slices.Contains(domain.AuditActions, f.Action) {
		form.Actions = append(form.Actions, views.Option{Value: string(f.Action), Label: string(f.Action)})
	}
	if cu := log.Customer; cu != nil {
		form.CustomerID, form.CustomerName = cu.ID, cu.Name
		form.ClearCustomerHref = auditHref("/audit", withFilter(keep, "customer_id", ""))
	}
	return form
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
	page := pageParam(c)
	log, err := s.svc.Audit.Log(c.Request().Context(), auditFilters(c), page)
	if err != nil {
		return err
	}
	keep := auditKeep(log.Query)
	list := views.AuditLog{Filter: auditFilterForm(log, keep), Notices: log.Query.Notices, Total: min(log.Total, domain.AuditCountCap),
		MoreThan: log.MoreThan(), Pager: pager("/audit", keep, page, log.Total), CSVHref: auditHref("/audit.csv", keep), ExportLimit: auditlog.ExportLimit}
	for _, r := range log.Rows {
		actor := r.ActorName
		if r.ActorID == 0 {
			actor = "—"
		}
		list.Rows = append(list.Rows, views.AuditRow{At: domain.FormatDateTime(r.At), AtISO: r.At.UTC().Format(time.RFC3339),
			Actor: actor, Action: string(r.Action), ActionLabel: r.Action.Label(), ActionHref: auditHref("/audit", withFilter(keep, "action", string(r.Action))),
			CustomerID: r.CustomerID, Customer: r.CustomerName, ClientIP: r.ClientIP, Detail: r.Detail})
		target, row := domain.ParseAuditTarget(r.Target), &list.Rows[len(list.Rows)-1]
		row.Target, row.TargetHref, row.TargetCode = target.Label(log.Actors), auditTargetPath(target, r.CustomerID), r.Target
	}
	return s.render(c, http.StatusOK, views.AuditPage(s.chrome(c, "Audit log"), list))
}

// auditTargetPath is where the record an audit entry is about is shown, ""
// for one without a page of its own: a customer's records are on its
// pages, the customer by the entry's customer.
func auditTargetPath(t domain.AuditTarget, customerID int64) string {
	onCustomer := map[string]string{"relationship": "relationship", "transfer": "transfers", "billing_transfer": "billing-transfer",
		"csp_purchase": "plan", "subscription": "subscriptions", "import": "subscriptions", "upload": "subscriptions", "gdap": "relationship"}
	switch {
	case t.Kind == "customer" && t.ID != 0:
		return views.CustomerPath(t.ID)
	case t.Kind == "user":
		return "/users"
	case t.Kind == "role_template" && t.ID != 0:
		return templatesPath + "/" + strconv.FormatInt(t.ID, 10)
	case t.Kind == "outbox":
		return "/outbox"
	case t.Kind == "partner_center_export":
		return "/relationships/verify"
	case onCustomer[t.Kind] != "" && customerID != 0:
		return views.CustomerPath(customerID, onCustomer[t.Kind])
	}
	return ""
}

// auditCSV exports the entries the filters of the page choose, newest first,
// up to auditlog.ExportLimit. Invalid filters are ignored, as on the page.
func (s *Server) auditCSV(c echo.Context) error {
	return s.svc.Audit.Export(c.Request().Context(), auditFilters(c), func(rows domain.Rows[domain.AuditRow]) error {
		return s.sendCSV(c, "audit-log.csv", func(w io.Writer) error { return export.AuditCSV(w, rows) })
	})
}
