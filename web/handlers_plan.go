package web

import (
	"bytes"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/wingtip/multichannel/internal/domain"
	"github.com/wingtip/multichannel/internal/inventorycsv"
	"github.com/wingtip/multichannel/views"
)

func (s *Server) customerPlan(c echo.Context) (domain.Plan, error) {
	id, err := idParam(c, "id")
	if err != nil {
		return domain.Plan{}, err
	}
	return s.svc.Customers.Plan(c.Request().Context(), id)
}

func (s *Server) showPlan(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	p, err := s.svc.Customers.PlanPage(c.Request().Context(), id)
	if err != nil {
		return err
	}
	cu, plan := p.Overview.Customer, p.Plan
	view := views.PlanView{Header: headerView(p.Overview, stepPlan), Total: plan.Total, JSONHref: views.CustomerPath(cu.ID, "plan.json"),
		CSVHref: views.CustomerPath(cu.ID, "plan.csv"), IsCSPNote: cu.IsCSPPartner}
	for _, g := range plan.Groups {
		group := views.PlanGroupView{Workflow: string(g.Workflow), Label: g.Workflow.Label(), NextAction: g.Workflow.NextAction()}
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

// planJSON is the plan's JSON: stable field names, workflow codes as in
// DESIGN §2.
type planJSON struct {
	Customer struct {
		ID           int64  `json:"id"`
		Name         string `json:"name"`
		Domain       string `json:"domain"`
		IsCSPPartner bool   `json:"is_csp_partner"`
	} `json:"customer"`
	Relationship domain.RelationshipStatus `json:"relationship,omitempty"`
	Total        int                       `json:"total"`
	Groups       []planGroupJSON           `json:"groups"`
}

type planGroupJSON struct {
	Workflow      domain.Workflow `json:"workflow"`
	Label         string          `json:"label"`
	NextAction    string          `json:"next_action"`
	Count         int             `json:"count"`
	Subscriptions []planItemJSON  `json:"subscriptions"`
}

type planItemJSON struct {
	SubscriptionID int64              `json:"subscription_id"`
	Product        string             `json:"product"`
	Channel        domain.Channel     `json:"channel"`
	ServiceType    domain.ServiceType `json:"service_type"`
	Quantity       int                `json:"quantity,omitempty"`
	Workflow       domain.Workflow    `json:"workflow"`
	Reason         string             `json:"reason"`
	TermEnd        string             `json:"term_end,omitempty"`
	DaysLeft       *int               `json:"days_left,omitempty"`
	Stage          string             `json:"stage,omitempty"`
}

func (s *Server) planJSON(c echo.Context) error {
	plan, err := s.customerPlan(c)
	if err != nil {
		return err
	}
	var out planJSON
	out.Customer.ID, out.Customer.Name, out.Customer.Domain, out.Customer.IsCSPPartner = plan.Customer.ID, plan.Customer.Name, plan.Customer.Domain, plan.Customer.IsCSPPartner
	out.Total, out.Relationship = plan.Total, plan.Relationship
	out.Groups = []planGroupJSON{}
	for _, g := range plan.Groups {
		group := planGroupJSON{Workflow: g.Workflow, Label: g.Workflow.Label(), NextAction: g.Workflow.NextAction(), Count: len(g.Items)}
		for _, item := range g.Items {
			sub := item.Subscription
			group.Subscriptions = append(group.Subscriptions, planItemJSON{SubscriptionID: sub.ID, Product: sub.Product, Channel: sub.Channel,
				ServiceType: sub.ServiceType, Quantity: sub.Seats(), Workflow: g.Workflow, Reason: item.Classification.Reason,
				TermEnd: domain.FormatDate(sub.Term()), DaysLeft: item.DaysLeft, Stage: item.Stage})
		}
		out.Groups = append(out.Groups, group)
	}
	c.Response().Header().Set(echo.HeaderCacheControl, "no-store")
	return c.JSON(http.StatusOK, out)
}

func (s *Server) planCSV(c echo.Context) error {
	plan, err := s.customerPlan(c)
	if err != nil {
		return err
	}
	return sendCSV(c, plan.Customer.Domain+"-plan.csv", func(buf *bytes.Buffer) error { return inventorycsv.WritePlan(buf, plan) })
}
