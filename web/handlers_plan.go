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
	cu, plan := p.Overview.Customer, p.Plan
	view := views.PlanView{Header: headerView(p.Overview, stepPlan), Total: plan.Total, JSONHref: views.CustomerPath(cu.ID, "plan.json"),
		CSVHref: views.CustomerPath(cu.ID, "plan.csv"), IsCSPNote: cu.IsCSPPartner}
	for _, g := range plan.Groups {
		group := views.PlanGroupView{Workflow: string(g.Workflow), Label: g.Workflow.Label(), NextAction: plan.Next(g.Workflow)}
		if step, ok := workflowPages[g.Workflow]; ok {
			group.Href = views.CustomerPath(cu.ID, step)
		}
		for _, item := range g.Items {
			sub := item.Subscription
			v := views.PlanItemView{Product: sub.Product, Channel: sub.Channel.Label(), Service: sub.ServiceType.Label(),
				Reason: item.Classification.Reason, TermEnd: domain.FormatDate(sub.Term()), Stage: item.Stage}
			if item.DaysLeft != nil {
				v.DaysLeft = strconv.Itoa(*item.DaysLeft)
			}
			group.Items = append(group.Items, v)
		}
		view.Groups = append(view.Groups, group)
	}
	return s.render(c, http.StatusOK, views.PlanPage(s.chrome(c, cu.Name+": plan"), view))
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
