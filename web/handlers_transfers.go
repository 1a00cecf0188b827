package web

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/wingtip/multichannel/internal/domain"
	"github.com/wingtip/multichannel/views"
)

// transferRow builds the view of a transfer in its effective state, with
// the actions the user's role may take in that state. products names the
// customer's subscriptions by id; date is what the date fields offer.
func transferRow(t domain.Transfer, products map[int64]string, canAct bool, now time.Time, date string) views.TransferRow {
	status := t.Effective(now)
	row := views.TransferRow{ID: t.ID, Status: string(status), StatusLabel: status.Label(), OtherPartner: t.OtherPartnerName,
		OtherTenant: t.OtherPartnerTenant, Contact: t.ContactEmail, LineItems: t.LineItems, ResellerPartnerID: t.ResellerPartnerID,
		CreatedBy: t.CreatedByName, CreatedAt: t.CreatedAt.Format(dateTimeShown), ExpiresAt: t.ExpiresAt.Format(dateTimeShown),
		AcceptedOn: domain.FormatDate(t.AcceptedOn), CompletedOn: domain.FormatDate(t.CompletedOn), EndedBy: t.EndedByName, Date: date}
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
	if days := t.DaysLeft(now); status == domain.TransferPending {
		row.DaysLeft, row.ExpiresSoon = strconv.Itoa(days), days < expiresSoonDays
	}
	row.CanAccept = canAct && status == domain.TransferPending
	row.CanCancel = row.CanAccept
	row.CanComplete = canAct && status == domain.TransferInProgress
	return row
}

// transferChoices lists the checkboxes of a form, ticking the chosen ones.
func transferChoices(values, labels, chosen []string) []views.TransferChoice {
	out := make([]views.TransferChoice, len(values))
	for i, v := range values {
		out[i] = views.TransferChoice{Value: v, Label: labels[i], Checked: slices.Contains(chosen, v)}
	}
	return out
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
	ctx := c.Request().Context()
	cu, err := s.store.Customer(ctx, customerID)
	if err != nil {
		return err
	}
	h, err := s.headerOf(c, cu, stepUsage)
	if err != nil {
		return err
	}
	user, _ := currentUser(c)
	now := s.svc.Now()
	page := pageParam(c)
	list, total, err := s.svc.Transfers.List(ctx, cu.ID, page)
	if err != nil {
		return err
	}
	subs, err := s.store.AllSubscriptions(ctx, cu.ID)
	if err != nil {
		return err
	}
	products := make(map[int64]string, len(subs))
	for _, sub := range subs {
		products[sub.ID] = sub.Product
	}
	p := views.TransfersPage{Header: h, Total: total, Pager: pager(views.CustomerPath(cu.ID, "transfers"), nil, page, total),
		CanAct: user.Role.Allows(domain.PermTransfers), RelationshipHref: views.CustomerPath(cu.ID, "relationship")}
	today := now.Format(domain.DateLayout)
	for _, t := range list {
		row := transferRow(t, products, p.CanAct, now, today)
		if refused != nil && refused.id == t.ID {
			row.Date, row.DateError = refused.date, refused.message
		}
		p.Rows = append(p.Rows, row)
	}
	if !p.CanAct {
		return s.render(c, status, views.TransfersListPage(s.chrome(c, cu.Name+": transfers"), p))
	}
	if p.Blocked, err = s.svc.Transfers.Prerequisite(ctx, cu.ID); err != nil {
		return err
	}
	states, err := s.svc.Transfers.States(ctx, cu.ID)
	if err != nil {
		return err
	}
	candidates := domain.Transferable(cu, subs, states)
	p.NoCandidates = len(candidates) == 0
	if p.Blocked == "" && !p.NoCandidates {
		partner, err := s.store.Partner(ctx)
		if err != nil {
			return err
		}
		if in == nil {
			in = defaultTransferInput(cu, candidates)
		}
		form := in.values
		form.Action, form.ResellerRequired = views.CustomerPath(cu.ID, "transfers"), partner.CSPModel == domain.CSPIndirectProvider
		ids, names := make([]string, len(candidates)), make([]string, len(candidates))
		for i, sub := range candidates {
			ids[i], names[i] = strconv.FormatInt(sub.ID, 10), sub.Product
			if sub.Reference != "" {
				names[i] += " (" + sub.Reference + ")"
			}
		}
		form.Subscriptions = transferChoices(ids, names, in.subscriptions)
		codes, labels := make([]string, len(domain.TransferProducts)), make([]string, len(domain.TransferProducts))
		for i, prod := range domain.TransferProducts {
			codes[i], labels[i] = string(prod), prod.Label()
		}
		form.Products = transferChoices(codes, labels, in.products)
		p.Form = &form
	}
	return s.render(c, status, views.TransfersListPage(s.chrome(c, cu.Name+": transfers"), p))
}

// defaultTransferInput starts the form: the other partner's name from the
// first subscription that records it, the customer's admin as the contact,
// an Azure subscription as what moves, and the only subscription ticked
// when there is just one.
func defaultTransferInput(cu domain.Customer, candidates []domain.Subscription) *transferInput {
	in := &transferInput{products: []string{string(domain.ProductAzureSubscription)}, values: views.TransferForm{ContactEmail: cu.AdminEmail}}
	for _, sub := range candidates {
		if sub.Reference != "" {
			in.values.OtherPartnerName = sub.Reference
			break
		}
	}
	if len(candidates) == 1 {
		in.subscriptions = []string{strconv.FormatInt(candidates[0].ID, 10)}
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
	errs, err := mergeErrors(parsed, err)
	if err != nil {
		return err
	}
	if errs.Any() {
		in.values.Errors = errs
		return s.renderTransfers(c, http.StatusUnprocessableEntity, id, &in, nil)
	}
	s.flash(c, "Transfer requested. Ask the other partner to accept it in Partner Center within 30 days.")
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
	return s.change(c, stateChange{param: "tid", apply: apply, done: done,
		back: func(ctx context.Context, id int64) (string, error) {
			customerID, err := customerOf(ctx, id)
			return views.CustomerPath(customerID, "transfers"), err
		},
		refused: func(ctx context.Context, id int64, errs domain.FieldErrors) error {
			customerID, err := customerOf(ctx, id)
			if err != nil {
				return err
			}
			return s.renderTransfers(c, http.StatusUnprocessableEntity, customerID, nil, &rowRefusal{id: id, date: postValue(c, "date"), message: errs["date"]})
		}})
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
	list, total, err := s.svc.Transfers.Browse(c.Request().Context(), filter)
	if err != nil {
		return err
	}
	now := s.svc.Now()
	o := views.TransfersOverview{Total: total, Pager: pager("/transfers", keep, filter.Page, total)}
	o.Chips = append(o.Chips, views.StatusChip{Label: "All", Href: "/transfers", Current: len(keep) == 0})
	for _, st := range domain.TransferStatuses {
		o.Chips = append(o.Chips, views.StatusChip{Label: st.Label(), Href: "/transfers?status=" + string(st), Current: st == status && filter.ExpiringWithin == 0})
	}
	for _, t := range list {
		o.Rows = append(o.Rows, views.TransferOverviewRow{Customer: t.CustomerName, Href: views.CustomerPath(t.CustomerID, "transfers"),
			Row: transferRow(t, nil, false, now, "")})
	}
	return s.render(c, http.StatusOK, views.TransfersOverviewPage(s.chrome(c, "Transfers"), o))
}
