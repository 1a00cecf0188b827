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
	domain.TransferComplete: "rs-active", domain.TransferRejected: "rs-rejected", domain.TransferCancelled: "rs-revoked", domain.TransferExpired: "rs-expired"}

// transferRow builds the view of a transfer row, in its effective state with
// the changes it offers. products names the customer's subscriptions by id;
// date is what the date fields offer.
func transferRow(r domain.TransferRow, products map[int64]string, date string) views.TransferRow {
	t := r.Transfer
	row := views.TransferRow{ID: t.ID, Status: string(r.Status), StatusLabel: r.Status.Label(), Badge: transferBadges[r.Status],
		Pending:      r.Status == domain.TransferPending,
		OtherPartner: t.OtherPartnerName, OtherTenant: t.OtherPartnerTenant, MicrosoftID: t.MicrosoftTransferID, Contact: t.ContactEmail,
		LineItems: t.LineItems, ResellerPartnerID: t.ResellerPartnerID, SubmittedBy: t.SubmittedBy, CreatedBy: t.CreatedByName,
		CreatedAt: domain.FormatDateTime(t.CreatedAt), ExpiresAt: domain.FormatDateTime(t.ExpiresAt), AcceptedOn: domain.FormatDate(t.AcceptedOn),
		CompletedOn: domain.FormatDate(t.CompletedOn), EndedBy: t.EndedByName, Rejected: r.Status == domain.TransferRejected,
		RejectionReason: t.RejectionReason, Date: date, IDInput: t.MicrosoftTransferID, CanAccept: r.CanAccept, CanCancel: r.CanCancel,
		CanComplete: r.CanComplete, CanReject: r.CanReject, CanRecordID: r.CanRecordID}
	if b := r.Billing; b != nil {
		row.Billing = "Billing: " + t.OtherPartnerName + " bills up to and including " + b.SourceUntil.Format(domain.DateLayout) +
			"; we bill from " + b.OursFrom.Format(domain.DateLayout) + "."
	}
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
		row.EndedAt = domain.FormatDateTime(*t.EndedAt)
	}
	if row.Pending {
		row.DaysLeft, row.ExpiresSoon = strconv.Itoa(r.DaysLeft), r.ExpiresSoon
	}
	return row
}

// rowRefusal is a change of one transfer that was refused for what was
// typed: the form's action, what it held and the messages, to show in
// that form on the transfer's page.
type rowRefusal struct {
	action string
	values func(name string) string
	errs   domain.FieldErrors
	// byState says the transfer's state refused the change (errs[""] says
	// why): the page says so above its forms, since that state may offer
	// the form no more.
	byState bool
}

// apply puts what was typed and why it was refused into the row it was for.
func (r rowRefusal) apply(row *views.TransferRow) {
	row.RefusedAction = r.action
	row.Date = cmp.Or(r.values("date"), row.Date)
	row.DateError = cmp.Or(r.errs["date"], r.errs[""])
	if r.action != "rejected" {
		row.IDInput, row.IDError = r.values("microsoft_transfer_id"), r.errs["microsoft_transfer_id"]
	}
	row.Reason, row.ReasonError = r.values("reason"), r.errs["reason"]
}

// transferInput is the transfer form as typed: the form's values, and what
// the service is given.
type transferInput struct {
	subscriptions []string
	products      []string
	values        views.TransferForm
	refused       string // why the service refused the request, when it did
}

func (s *Server) showTransfers(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	return s.renderTransfers(c, http.StatusOK, id, nil)
}

// renderTransfers shows a customer's transfers page. in carries what was
// typed in the form, when the page is shown again after an error.
func (s *Server) renderTransfers(c echo.Context, status int, customerID int64, in *transferInput) error {
	user, _ := currentUser(c)
	tp, err := s.svc.Transfers.Page(c.Request().Context(), customerID, user.Role, pageParam(c))
	if err != nil {
		return err
	}
	cu := tp.Overview.Customer
	p := views.TransfersPage{Header: headerView(tp.Overview, stepTransfers), Total: tp.Total,
		Pager:  pager(views.CustomerPath(cu.ID, "transfers"), nil, tp.Page, tp.Total),
		CanAct: tp.MayAct, RoleNote: roleNote(c, domain.PermTransfers), RelationshipHref: views.CustomerPath(cu.ID, "relationship"), Blocked: tp.Blocked, NoCandidates: len(tp.Candidates) == 0,
		Limit: domain.TransferLineItemLimit}
	if in != nil {
		p.Refused = in.refused
	}
	for _, r := range tp.Rows {
		p.Rows = append(p.Rows, transferRow(r, tp.Products, ""))
	}
	if tp.CanRequest() {
		if in == nil {
			in = proposedInput(tp.Proposal())
		}
		form := in.values
		form.Action, form.ResellerRequired = views.CustomerPath(cu.ID, "transfers"), tp.ResellerRequired
		form.ByProvider, form.Provider = tp.ByProvider, tp.Provider
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
		MicrosoftTransferID: postValue(c, "microsoft_transfer_id"), ContactEmail: postValue(c, "contact_email"), LineItems: postValue(c, "line_items"),
		ResellerPartnerID: postValue(c, "reseller_partner_id"), SubmittedBy: postValue(c, "submitted_by")}}
	n := domain.NewTransfer{CustomerID: id, OtherPartnerName: in.values.OtherPartnerName, OtherPartnerTenant: in.values.OtherPartnerTenant,
		MicrosoftTransferID: in.values.MicrosoftTransferID, ContactEmail: in.values.ContactEmail, LineItems: in.values.LineItems,
		ResellerPartnerID: in.values.ResellerPartnerID, SubmittedBy: in.values.SubmittedBy}
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
	if reason, refused := conflictReason(err); refused {
		in.refused = reason
		return s.renderTransfers(c, http.StatusConflict, id, &in)
	}
	status := formStatus(err)
	errs, err := mergeErrors(parsed, err)
	if err != nil {
		return err
	}
	if errs.Any() {
		in.values.Errors = errs
		return s.renderTransfers(c, status, id, &in)
	}
	s.flash(c, fmt.Sprintf("Transfer requested. Ask the other partner to accept it in Partner Center within %d days.", domain.TransferExpiryDays))
	return c.Redirect(http.StatusSeeOther, views.CustomerPath(id, "transfers"))
}

// transferChange makes one change of the transfer of the path, posted by
// the row's form action, and goes back to its customer's transfers. A
// refusal for what was typed shows that page again with the messages and
// the input in the transfer's row.
func (s *Server) transferChange(c echo.Context, action string, apply func(ctx context.Context, id int64) error, done string) error {
	customerOf := func(ctx context.Context, id int64) (int64, error) {
		t, err := s.svc.Transfers.Transfer(ctx, id)
		return t.CustomerID, err
	}
	ch := customerStateChange("tid", "transfers", customerOf, apply, done,
		func(ctx context.Context, _, id int64, errs domain.FieldErrors, status int) error {
			return s.renderTransfer(c, status, id, &rowRefusal{action: action, values: func(name string) string { return postValue(c, name) },
				errs: errs, byState: status == http.StatusConflict})
		})
	// A change the transfer's state refuses (it was accepted or cancelled
	// meanwhile) comes back on the transfer's page too, saying why.
	ch.conflicts = true
	return s.change(c, ch)
}

func (s *Server) showTransfer(c echo.Context) error {
	id, err := idParam(c, "tid")
	if err != nil {
		return err
	}
	return s.renderTransfer(c, http.StatusOK, id, nil)
}

// renderTransfer shows a transfer's own page with status, where the changes
// that need input are recorded; refused, when set, is a change whose input
// was refused, shown again in its form with the messages.
func (s *Server) renderTransfer(c echo.Context, status int, id int64, refused *rowRefusal) error {
	user, _ := currentUser(c)
	d, err := s.svc.Transfers.TransferPage(c.Request().Context(), id, user.Role)
	if err != nil {
		return err
	}
	cu := d.Overview.Customer
	row := transferRow(d.Row, d.Products, d.Now.Format(domain.DateLayout))
	p := views.TransferDetail{Header: headerView(d.Overview, stepTransfers), ListHref: views.CustomerPath(cu.ID, "transfers")}
	switch {
	case refused != nil && refused.byState:
		p.Refused = refused.errs[""]
	case refused != nil:
		refused.apply(&row)
	}
	p.Row = row
	return s.render(c, status, views.TransferDetailPage(s.chrome(c, cu.Name+": transfer from "+row.OtherPartner), p))
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
	accept := func(ctx context.Context, actor domain.Actor, id int64, on time.Time) error {
		return s.svc.Transfers.Accept(ctx, actor, id, on, postValue(c, "microsoft_transfer_id"))
	}
	return s.transferChange(c, "accepted", datedChange(c, accept), "Recorded: the other partner accepted; the transfer is in progress.")
}

func (s *Server) markTransferRejected(c echo.Context) error {
	return s.transferChange(c, "rejected", func(ctx context.Context, id int64) error {
		return s.svc.Transfers.Reject(ctx, actor(c), id, postValue(c, "reason"))
	}, "Recorded: the other partner rejected the transfer. Clear up its reason with the customer before requesting it again.")
}

func (s *Server) recordTransferID(c echo.Context) error {
	return s.transferChange(c, "microsoft-id", func(ctx context.Context, id int64) error {
		return s.svc.Transfers.RecordMicrosoftID(ctx, actor(c), id, postValue(c, "microsoft_transfer_id"))
	}, "Recorded Microsoft's transfer id.")
}

func (s *Server) completeTransfer(c echo.Context) error {
	return s.transferChange(c, "complete", datedChange(c, s.svc.Transfers.Complete), "Recorded: the transfer is complete and the subscriptions are ours.")
}

func (s *Server) cancelTransfer(c echo.Context) error {
	if asked, err := s.askCancelTransfer(c); asked {
		return err
	}
	return s.transferChange(c, "cancel", func(ctx context.Context, id int64) error { return s.svc.Transfers.Cancel(ctx, actor(c), id) },
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
