package web

import (
	"github.com/labstack/echo/v4"

	"github.com/wingtip/multichannel/internal/domain"
	"github.com/wingtip/multichannel/views"
)

// The steps of the walk-through, for marking the current one.
const (
	stepCustomer = 1 + iota
	stepSubscriptions
	stepPlan
	stepRelationship
	stepUsage
)

// customerHeader loads the overview of the customer in the path and builds
// the heading and stepper of its pages, with current the step being shown
// (0 for none).
func (s *Server) customerHeader(c echo.Context, current int) (domain.Customer, views.CustomerHeader, error) {
	id, err := idParam(c, "id")
	if err != nil {
		return domain.Customer{}, views.CustomerHeader{}, err
	}
	return s.customerHeaderOf(c, id, current)
}

// customerHeaderOf is customerHeader for the customer of id.
func (s *Server) customerHeaderOf(c echo.Context, id int64, current int) (domain.Customer, views.CustomerHeader, error) {
	ov, err := s.svc.Customers.Overview(c.Request().Context(), id)
	return ov.Customer, headerView(ov, current), err
}

// headerOf builds the heading of the pages of a customer already read.
func (s *Server) headerOf(c echo.Context, cu domain.Customer, current int) (views.CustomerHeader, error) {
	_, h, err := s.customerHeaderOf(c, cu.ID, current)
	return h, err
}

// headerView builds the heading, stepper and counts of a customer's pages
// from its overview, with current the step being shown (0 for none).
func headerView(ov domain.CustomerOverview, current int) views.CustomerHeader {
	id := ov.Customer.ID
	hrefs := map[int]string{stepCustomer: views.CustomerPath(id), stepSubscriptions: views.CustomerPath(id, "subscriptions"),
		stepPlan: views.CustomerPath(id, "plan"), stepRelationship: views.CustomerPath(id, "relationship"),
		stepUsage: views.CustomerPath(id, "azure")}
	h := views.CustomerHeader{ID: id, Name: ov.Customer.Name, Subscriptions: ov.Summary.Total, Unclassified: ov.Summary.Unclassified}
	for _, step := range ov.Steps() {
		h.Steps = append(h.Steps, views.StepView{Number: step.Number, Name: step.Name, Href: hrefs[step.Number],
			Done: step.State == domain.StepDone, Current: step.Number == current})
	}
	return h
}
