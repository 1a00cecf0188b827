package web

import (
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
