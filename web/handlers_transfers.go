package web

import (
	"cmp"
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/wingtip/multichannel/internal/domain"
	"github.com/wingtip/multichannel/views"
)

// transferBadges colour a transfer's state like the relationship state it
// resembles: waiting, under way, done, or ended without result.
var transferBadges = map[domain.TransferStatus]string{domain.TransferPending: "rs-pending", domain.TransferInProgress: "rs-accepted",
	domain.TransferComplete: "rs-active", domain.TransferCancelled: "rs-revoked", domain.TransferExpired: "rs-expired"}

// transferRow builds the view of a transfer row, in its effective state with
// the changes it offers. products names the customer's subscriptions by id;
// date is what the date fields offer.
func transferRow(r domain.TransferRow, products map[int64]string, date string) views.TransferRow {
	t := r.Transfer
	row := views.TransferRow{ID: t.ID, Status: string(r.Status), StatusLabel: r.Status.Label(), Badge: transferBadges[r.Status],
		Pending:      r.Status == domain.TransferPending,
		OtherPartner: t.OtherPartnerName, OtherTenant: t.OtherPartnerTenant, Contact: t.ContactEmail, LineItems: t.LineItems,
		ResellerPartnerID: t.ResellerPartnerID, CreatedBy: t.CreatedByName, CreatedAt: t.CreatedAt.Format(dateTimeShown),
		ExpiresAt: t.ExpiresAt.Format(dateTimeShown), AcceptedOn: domain.FormatDate(t.AcceptedOn), CompletedOn: domain.FormatDate(t.CompletedOn),
		EndedBy: t.EndedByName, Date: date, CanAccept: r.CanAccept, CanCancel: r.CanCancel, CanComplete: r.CanComplete}
	labels := make([]string, len(t.Products))
	for i, p := range t.Products {
		labels[i] = p.Label()
	}
	row.Products = strings.Join(labels, ", ")
	for _, id := range t.SubscriptionIDs {
		name, ok := products[id]
		if !ok {
			name = "Subscription " + strconv.FormatInt(id, 10) + " (removed from the inventory)"
		}
		row.Subscriptions = append(row.Subscriptions, name)
	}
	if t.EndedAt != nil {
		row.EndedAt = t.EndedAt.Format(dateTimeShown)
	}
	if row.Pending {
		row.DaysLeft, row.ExpiresSoon = strconv.Itoa(r.DaysLeft), r.ExpiresSoon
	}
	return row
}

// rowRefusal is a date a change of one transfer was refused for, to show
// next to that transfer's date field with what was typed.
type rowRefusal struct {
	id      int64
	date    string
	message string
}

// transferInput is the transfer form as typed: the form's values, and what
// the service is given.
type transferInput struct {
	subscriptions []string
	products      []string
	values        views.TransferForm
}

func (s *Server) showTransfers(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	return s.renderTransfers(c, http.StatusOK, id, nil, nil)
}

// renderTransfers shows a customer's transfers page. in carries what was
// typed in the form and refused holds a date that was refused, when the page
// is shown again after an error.
func (s *Server) renderTransfers(c echo.Context, status int, customerID int64, in *transferInput, refused *rowRefusal) error {
	user, _ := currentUser(c)
	tp, err := s.svc.Transfers.Page(c.Request().Context(), customerID, user.Role, pageParam(c))
	if err != nil {
		return err
	}
	cu := tp.Overview.Customer
	p := views.TransfersPage{Header: headerView(tp.Overview, stepUsage), Total: tp.Total,
		Pager:  pager(views.CustomerPath(cu.ID, "transfers"), nil, tp.Page, tp.Total),
		CanAct: tp.MayAct, RelationshipHref: views.CustomerPath(cu.ID, "relationship"), Blocked: tp.Blocked, NoCandidates: len(tp.Candidates) == 0}
	today := tp.Now.Format(domain.DateLayout)
	for _, r := range tp.Rows {
		row := transferRow(r, tp.Products, today)
		if refused != nil && refused.id == r.Transfer.ID {
			row.Date, row.DateError = refused.date, refused.message
		}
		p.Rows = append(p.Rows, row)
	}
	if tp.CanRequest() {
		if in == nil {
			in = proposedInput(tp.Proposal())
		}
		form := in.values
		form.Action, form.ResellerRequired = views.CustomerPath(cu.ID, "transfers"), tp.ResellerRequired
		ids, names := make([]string, len(tp.Candidates)), map[string]string{}
		for i, sub := range tp.Candidates {
			ids[i] = strconv.FormatInt(sub.ID, 10)
			names[ids[i]] = sub.Product
			if sub.Reference != "" {
				names[ids[i]] += " (" + sub.Reference + ")"
			}
		}
		form.Subscriptions = choices(ids, func(id string) string { return names[id] }, in.subscriptions)
		form.Products = choices(domain.TransferProducts, domain.TransferProduct.Label, in.products)
		p.Form = &form
	}
	return s.render(c, status, views.TransfersListPage(s.chrome(c, cu.Name+": transfers"), p))
}

// proposedInput is the form as it starts, from the request the page
// proposes.
func proposedInput(n domain.NewTransfer) *transferInput {
	in := &transferInput{values: views.TransferForm{OtherPartnerName: n.OtherPartnerName, ContactEmail: n.ContactEmail}}
	for _, id := range n.SubscriptionIDs {
		in.subscriptions = append(in.subscriptions, strconv.FormatInt(id, 10))
	}
	for _, p := range n.Products {
		in.products = append(in.products, string(p))
	}
	return in
}

func (s *Server) createTransfer(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	if err := c.Request().ParseForm(); err != nil {
		return echo.NewHTTPError(http.StatusBadRequest, "The form could not be read.")
	}
	form := c.Request().PostForm
	in := transferInput{subscriptions: form["subscriptions"], products: form["products"], values: views.TransferForm{
		OtherPartnerName: postValue(c, "other_partner_name"), OtherPartnerTenant: postValue(c, "other_partner_tenant"),
		ContactEmail: postValue(c, "contact_email"), LineItems: postValue(c, "line_items"), ResellerPartnerID: postValue(c, "reseller_partner_id")}}
	n := domain.NewTransfer{CustomerID: id, OtherPartnerName: in.values.OtherPartnerName, OtherPartnerTenant: in.values.OtherPartnerTenant,
		ContactEmail: in.values.ContactEmail, LineItems: in.values.LineItems, ResellerPartnerID: in.values.ResellerPartnerID}
	parsed := domain.FieldErrors{}
	for _, v := range in.subscriptions {
		sub, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			parsed["subscriptions"] = "Choose among the subscriptions offered."
			continue
		}
		n.SubscriptionIDs = append(n.SubscriptionIDs, sub)
	}
	for _, v := range in.products {
		n.Products = append(n.Products, domain.TransferProduct(v))
	}
	if !parsed.Any() {
		_, err = s.svc.Transfers.Create(c.Request().Context(), actor(c), n)
	}
	status := formStatus(err)
	errs, err := mergeErrors(parsed, err)
	if err != nil {
		return err
	}
	if errs.Any() {
		in.values.Errors = errs
		return s.renderTransfers(c, status, id, &in, nil)
	}
	s.flash(c, fmt.Sprintf("Transfer requested. Ask the other partner to accept it in Partner Center within %d days.", domain.TransferExpiryDays))
	return c.Redirect(http.StatusSeeOther, views.CustomerPath(id, "transfers"))
}

// transferChange makes one change of the transfer of the path and goes back
// to its customer's transfers. A refused date shows that page again with
// the message next to the transfer's date field.
func (s *Server) transferChange(c echo.Context, apply func(ctx context.Context, id int64) error, done string) error {
	customerOf := func(ctx context.Context, id int64) (int64, error) {
		t, err := s.svc.Transfers.Transfer(ctx, id)
		return t.CustomerID, err
	}
	return s.customerChange(c, "tid", "transfers", customerOf, apply, done,
		func(ctx context.Context, customerID, id int64, errs domain.FieldErrors, status int) error {
			return s.renderTransfers(c, status, customerID, nil, &rowRefusal{id: id, date: postValue(c, "date"), message: cmp.Or(errs["date"], errs[""])})
		})
}

// datedChange reads the date field and makes a dated change with it.
func datedChange(c echo.Context, change func(ctx context.Context, actor domain.Actor, id int64, on time.Time) error) func(ctx context.Context, id int64) error {
	return func(ctx context.Context, id int64) error {
		on, ok := domain.ParseDate(postValue(c, "date"))
		if !ok || on == nil {
			return domain.FieldErrors{"date": "Enter the date as YYYY-MM-DD."}
		}
		return change(ctx, actor(c), id, *on)
	}
}

func (s *Server) markTransferAccepted(c echo.Context) error {
	return s.transferChange(c, datedChange(c, s.svc.Transfers.Accept), "Recorded: the other partner accepted; the transfer is in progress.")
}

func (s *Server) completeTransfer(c echo.Context) error {
	return s.transferChange(c, datedChange(c, s.svc.Transfers.Complete), "Recorded: the transfer is complete and the subscriptions are ours.")
}

func (s *Server) cancelTransfer(c echo.Context) error {
	return s.transferChange(c, func(ctx context.Context, id int64) error { return s.svc.Transfers.Cancel(ctx, actor(c), id) },
		"The transfer request was cancelled.")
}

// transfersOverview lists transfers across customers, as the dashboard's
// cards link to them: by state, or pending and expiring within some days.
func (s *Server) transfersOverview(c echo.Context) error {
	filter, keep := listFilter(c, domain.TransferStatuses, domain.TransferExpiryDays)
	status := filter.Status
	list, err := s.svc.Transfers.Browse(c.Request().Context(), filter)
	if err != nil {
		return err
	}
	o := views.TransfersOverview{Total: list.Total, Pager: pager("/transfers", keep, filter.Page, list.Total)}
	o.Chips = append(o.Chips, views.StatusChip{Label: "All", Href: "/transfers", Current: len(keep) == 0})
	for _, st := range domain.TransferStatuses {
		o.Chips = append(o.Chips, views.StatusChip{Label: st.Label(), Href: "/transfers?status=" + string(st), Current: st == status && filter.ExpiringWithin == 0})
	}
	for _, r := range list.Rows {
		o.Rows = append(o.Rows, views.TransferOverviewRow{Customer: r.Transfer.CustomerName, Href: views.CustomerPath(r.Transfer.CustomerID, "transfers"),
			Row: transferRow(r, nil, "")})
	}
	return s.render(c, http.StatusOK, views.TransfersOverviewPage(s.chrome(c, "Transfers"), o))
}
