package web

import (
	"bytes"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/wingtip/multichannel/internal/domain"
	"github.com/wingtip/multichannel/internal/export"
	"github.com/wingtip/multichannel/views"
)

func (s *Server) showPlan(c echo.Context) error {
	p, err := ofPath(c, "id", s.svc.Customers.PlanPage)
	if err != nil {
		return err
	}
	var form planPurchaseValues
	// From the planner's "Record our CSP purchase": the form starts from
	// the licence the purchase replaces.
	if sid, err := strconv.ParseInt(c.QueryParam("replaces"), 10, 64); err == nil {
		for _, item := range p.Plan.Items() {
			if sub := item.Subscription; sub.ID == sid {
				form.Product, form.Quantity = sub.Product, domain.FormatQuantity(sub.Quantity)
				form.TermLength, form.Billing, form.Replaces = string(sub.TermLength), string(sub.BillingFrequency), c.QueryParam("replaces")
			}
		}
	}
	return s.renderPlan(c, http.StatusOK, p, form, nil)
}

// planPurchaseValues are what the purchase form carries back, as typed.
type planPurchaseValues struct {
	Product, Quantity, PurchasedAt, TermLength, Billing, Replaces string
}

// renderPlan renders a customer's plan page with the purchase form as
// typed and its messages (none when errs is nil).
func (s *Server) renderPlan(c echo.Context, status int, p domain.PlanPage, form planPurchaseValues, errs domain.FieldErrors) error {
	cu, plan := p.Overview.Customer, p.Plan
	view := views.PlanView{Header: headerView(p.Overview, stepPlan), Total: plan.Total, JSONHref: views.CustomerPath(cu.ID, "plan.json"),
		CSVHref: views.CustomerPath(cu.ID, "plan.csv"), IsCSPNote: cu.IsCSPPartner}
	for _, g := range plan.Groups {
		group := views.PlanGroupView{Workflow: string(g.Workflow), Label: g.Workflow.Label(), NextAction: plan.Next(g.Workflow)}
		if page, ok := workflowPages[g.Workflow]; ok {
			group.Href, group.HrefLabel = views.CustomerPath(cu.ID, page.path), page.label
		}
		for _, item := range g.Items {
			sub := item.Subscription
			v := views.PlanItemView{Product: sub.Product, Channel: sub.Channel.Label(), Service: sub.ServiceType.Label(),
				Reason: item.Classification.Reason, HelpHref: reasonHelp(sub, item.Classification), TermEnd: domain.FormatDate(sub.Term()),
				Stage: item.Stage}
			if item.DaysLeft != nil {
				v.DaysLeft = strconv.Itoa(*item.DaysLeft)
			}
			group.Items = append(group.Items, v)
		}
		view.Groups = append(view.Groups, group)
	}
	view.Purchases = purchasesView(p, form, errs)
	return s.render(c, status, views.PlanPage(s.chrome(c, cu.Name+": plan"), view))
}
func (s *Server) planJSON(c echo.Context) error {
	plan, err := ofPath(c, "id", s.svc.Customers.Plan)
	if err != nil {
		return err
	}
	return sendJSON(c, func(buf *bytes.Buffer) error { return export.PlanJSON(buf, plan) })
}

func (s *Server) planCSV(c echo.Context) error {
	plan, err := ofPath(c, "id", s.svc.Customers.Plan)
	if err != nil {
		return err
	}
	return sendCSV(c, plan.Customer.Domain+"-plan.csv", func(buf *bytes.Buffer) error { return export.PlanCSV(buf, plan) })
}

// workflowPages are the customer pages, by path under the customer, where
// the plan links a workflow's work, with the link's words.
var workflowPages = map[domain.Workflow]struct{ path, label string }{
	domain.WorkflowAzureBillingTransfer: {"billing-transfer", "Open the billing transfer checklist"},
	domain.WorkflowLicenceTransfer:      {"transfers", "Open the transfers from another partner"},
	domain.WorkflowAzureTransfer:        {"transfers", "Open the transfers from another partner"},
	domain.WorkflowAzureNewSubscription: {"azure", "Open the Azure checklists"},
}
