package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/wingtip/multichannel/internal/domain"
	"github.com/wingtip/multichannel/views"
)

// purchaseFormHref opens the plan's form recording our CSP purchase that
// replaces subscription sid.
func purchaseFormHref(customerID, sid int64) string {
	return views.CustomerPath(customerID, "plan") + "?replaces=" + strconv.FormatInt(sid, 10) + "#record-purchase"
}

// purchaseTimeLayouts are what a datetime-local input sends, with and
// without seconds.
var purchaseTimeLayouts = []string{"2006-01-02T15:04", "2006-01-02T15:04:05"}

// parsePurchaseForm reads the purchase form: the values as typed, the
// purchase, and the messages of what could not be read.
func parsePurchaseForm(c echo.Context, customerID int64) (planPurchaseValues, domain.CSPPurchase, domain.FieldErrors) {
	v := planPurchaseValues{Product: postValue(c, "product"), Quantity: postValue(c, "quantity"), PurchasedAt: postValue(c, "purchased_at"),
		TermLength: postValue(c, "term_length"), Billing: postValue(c, "billing_frequency"), Replaces: postValue(c, "replaces")}
	p := domain.CSPPurchase{CustomerID: customerID, Product: v.Product, TermLength: domain.TermLength(v.TermLength),
		BillingFrequency: domain.BillingFrequency(v.Billing)}
	errs := domain.FieldErrors{}
	if n, err := strconv.Atoi(strings.TrimSpace(v.Quantity)); err == nil {
		p.Quantity = n
	} else {
		errs["quantity"] = "Enter the number of seats bought, from 1 to 1,000,000."
	}
	if at := strings.TrimSpace(v.PurchasedAt); at != "" {
		errs["purchased_at"] = "Enter the date and time of the order, in UTC."
		for _, layout := range purchaseTimeLayouts {
			if t, err := time.Parse(layout, at); err == nil {
				p.PurchasedAt = t
				delete(errs, "purchased_at")
				break
			}
		}
	}
	if v.Replaces != "" {
		if id, err := strconv.ParseInt(v.Replaces, 10, 64); err == nil && id > 0 {
			p.Replaces = id
		} else {
			errs["replaces"] = domain.PurchaseReplacesUnknown()["replaces"]
		}
	}
	return v, p, errs
}

func (s *Server) recordPurchase(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	values, purchase, parsed := parsePurchaseForm(c, id)
	ctx := c.Request().Context()
	if !parsed.Any() {
		_, err = s.svc.Customers.RecordCSPPurchase(ctx, actor(c), purchase)
	}
	status := formStatus(err)
	errs, err := mergeErrors(parsed, err)
	if err != nil {
		return err
	}
	if errs.Any() {
		replaces, _ := strconv.ParseInt(values.Replaces, 10, 64)
		p, err := s.svc.Customers.PlanPage(ctx, id, domain.PlanQuery{Page: 1, Replaces: replaces})
		if err != nil {
			return err
		}
		return s.renderPlan(c, status, p, values, errs)
	}
	s.flash(c, "Recorded our CSP purchase of "+strings.TrimSpace(purchase.Product)+".")
	return c.Redirect(http.StatusSeeOther, views.CustomerPath(id, "plan")+"#purchases")
}

// purchasesView shows the customer's CSP purchases with where each
// one's refund window stands, and the form as typed with its messages.
func purchasesView(p domain.PlanPage, v planPurchaseValues, errs domain.FieldErrors) views.PurchasesView {
	out := views.PurchasesView{Total: p.Purchases.Total, Form: views.PurchaseForm{
		Action: views.CustomerPath(p.Overview.Customer.ID, "purchases"), Product: v.Product, Quantity: v.Quantity, PurchasedAt: v.PurchasedAt,
		TermLengths: choices(domain.TermLengths, domain.TermLength.Label, []string{v.TermLength}),
		Billings:    choices(domain.BillingFrequencies, domain.BillingFrequency.Label, []string{v.Billing}),
		Replaces:    []views.Choice{{Value: "", Label: "None", Selected: v.Replaces == ""}}, Errors: errs}}
	for _, sub := range p.Replaceable {
		id := strconv.FormatInt(sub.ID, 10)
		out.Form.Replaces = append(out.Form.Replaces, views.Choice{Value: id, Label: sub.Product + " (" + sub.Channel.Label() + ")",
			Selected: id == v.Replaces})
	}
	at := p.Purchases.At
	for _, pu := range p.Purchases.Items {
		out.Rows = append(out.Rows, views.PurchaseRow{Product: pu.Product, Seats: domain.FormatQuantity(pu.Quantity),
			PurchasedAt: domain.FormatDateTime(pu.PurchasedAt), Term: pu.TermLength.Label(), Billing: pu.BillingFrequency.Label(),
			Replaces: pu.ReplacesProduct, RefundLeft: pu.RefundLeft(at), Open: domain.RefundWindowOpen(pu.PurchasedAt, at), RecordedBy: pu.RecordedBy})
	}
	return out
}
