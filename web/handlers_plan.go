package web

import (
	"io"
	"net/http"
	"net/url"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/wingtip/multichannel/internal/domain"
	"github.com/wingtip/multichannel/internal/export"
	"github.com/wingtip/multichannel/views"
)

func (s *Server) showPlan(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	page, _ := strconv.Atoi(c.QueryParam("page"))
	replaces, _ := strconv.ParseInt(c.QueryParam("replaces"), 10, 64)
	p, err := s.svc.Customers.PlanPage(c.Request().Context(), id, domain.ParsePlanQuery(c.QueryParam("show"), page, replaces))
	if err != nil {
		return err
	}
	var form planPurchaseValues
	// From the planner's "Record our CSP purchase": the form starts from
	// the licence the purchase replaces.
	if replaces != 0 {
		for _, sub := range p.Replaceable {
			if sub.ID == replaces {
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
	planPath := views.CustomerPath(cu.ID, "plan")
	view := views.PlanView{Header: headerView(p.Overview, stepPlan), Total: plan.Total, JSONHref: views.CustomerPath(cu.ID, "plan.json"),
		CSVHref: views.CustomerPath(cu.ID, "plan.csv"), IsCSPNote: cu.IsCSPPartner}
	if p.Query.Show != "" {
		view.WholeHref = planPath
	}
	for _, g := range plan.Groups {
		shown, page := p.Shown(g)
		group := views.PlanGroupView{Workflow: string(g.Workflow), Label: g.Workflow.Label(), NextAction: plan.Next(g.Workflow),
			Count: g.Count, Shown: page.Size > 0, NavHref: "#" + string(g.Workflow)}
		showAll := url.Values{"show": {string(g.Workflow)}}
		switch {
		case p.Query.Show != "":
			group.NavHref = planPath + "?" + showAll.Encode()
			group.Pager = pager(planPath, showAll, page, g.Count)
		case g.Count > len(shown):
			group.ShowAllHref = planPath + "?" + showAll.Encode()
		}
		if page := plan.Page(g.Workflow); page != domain.PageNone {
			group.Href, group.HrefLabel = actionHref(page, cu.ID, 0), actionPageLabels[page]
		}
		for _, perm := range plan.Permissions(g.Workflow) {
			if note := roleNote(c, perm); note != "" {
				group.RoleNotes = append(group.RoleNotes, note)
			}
		}
		for _, item := range shown {
			sub := item.Subscription
			v := views.PlanItemView{Product: sub.Product, Channel: sub.Channel.Label(), Service: sub.ServiceType.Label(),
				Reason: item.Classification.Reason, HelpHref: reasonHelp(sub, item.Classification), TermEnd: domain.FormatDate(sub.Term()),
				Stage: item.Stage}
			if item.Next.Page != domain.PageNone {
				v.NextLabel, v.NextHref = item.Next.Action, actionHref(item.Next.Page, cu.ID, sub.ID)
			}
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
	return s.exportPlan(c, func(p domain.PlanExport) error {
		return s.sendJSON(c, func(w io.Writer) error { return export.PlanJSON(w, p) })
	})
}

func (s *Server) planCSV(c echo.Context) error {
	return s.exportPlan(c, func(p domain.PlanExport) error {
		return s.sendCSV(c, p.Plan.Customer.Domain+"-plan.csv", func(w io.Writer) error { return export.PlanCSV(w, p) })
	})
}

// exportPlan hands send the export of the plan of the customer of the
// path, which it sends as it reads it.
func (s *Server) exportPlan(c echo.Context, send func(domain.PlanExport) error) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	return s.svc.Customers.ExportPlan(c.Request().Context(), id, send)
}

// actionHref is the address of the page where a plan row's next action is
// done, at the subscription's own part where the page has one; subID 0
// addresses the page as a whole, for a group's link.
func actionHref(page domain.ActionPage, customerID, subID int64) string {
	sid := strconv.FormatInt(subID, 10)
	switch page {
	case domain.PageSubscription:
		if subID == 0 {
			return views.CustomerPath(customerID, "subscriptions")
		}
		return views.SubscriptionPath(customerID, subID, "edit")
	case domain.PageRelationship:
		return views.CustomerPath(customerID, "relationship")
	case domain.PageReview:
		return "/relationships"
	case domain.PagePurchase:
		if subID == 0 {
			return views.CustomerPath(customerID, "plan") + "#record-purchase"
		}
		return views.CustomerPath(customerID, "plan") + "?replaces=" + sid + "#record-purchase"
	case domain.PageAzure:
		if subID == 0 {
			return views.CustomerPath(customerID, "azure")
		}
		return views.CustomerPath(customerID, "azure") + "#azure-" + sid
	case domain.PageTransfers:
		return views.CustomerPath(customerID, "transfers")
	case domain.PageBillingTransfer:
		return views.CustomerPath(customerID, "billing-transfer")
	}
	return ""
}

// actionPageLabels are the words of a plan group's link to the page of its
// next step.
var actionPageLabels = map[domain.ActionPage]string{
	domain.PageSubscription:    "Classify them on the subscriptions page",
	domain.PageRelationship:    "Open the reseller relationship (step 4)",
	domain.PageReview:          "Open the review queue",
	domain.PagePurchase:        "Record our CSP purchase",
	domain.PageAzure:           "Open the Azure checklists",
	domain.PageTransfers:       "Open the transfers from another partner",
	domain.PageBillingTransfer: "Open the billing transfer checklist",
}
