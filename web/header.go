package web

import (
	"github.com/wingtip/multichannel/internal/domain"
	"github.com/wingtip/multichannel/views"
)

// The steps of the walk-through, for marking the current one.
const (
	stepCustomer      = domain.StepCustomer
	stepSubscriptions = domain.StepSubscriptions
	stepPlan          = domain.StepPlan
	stepRelationship  = domain.StepRelationship
	stepUsage         = domain.StepAzure
	stepTransfers     = domain.StepTransfers
)

// headerView builds the heading, stepper and counts of a customer's pages
// from its overview, with current the step being shown (0 for none). The
// transfers step opens the transfers from another partner, or the billing
// transfer when that is the only kind the customer's subscriptions need.
func headerView(ov domain.CustomerOverview, current int) views.CustomerHeader {
	id, sum := ov.Customer.ID, ov.Summary
	transfers, billing := views.CustomerPath(id, "transfers"), views.CustomerPath(id, "billing-transfer")
	hrefs := map[int]string{stepCustomer: views.CustomerPath(id), stepSubscriptions: views.CustomerPath(id, "subscriptions"),
		stepPlan: views.CustomerPath(id, "plan"), stepRelationship: views.CustomerPath(id, "relationship"),
		stepUsage: views.CustomerPath(id, "azure"), stepTransfers: transfers}
	if sum.BillingTransfers > 0 && sum.BillingTransfers == sum.Transfers {
		hrefs[stepTransfers] = billing
	}
	h := views.CustomerHeader{ID: id, Name: ov.Customer.Name, Subscriptions: sum.Total, Unclassified: sum.Unclassified}
	for _, step := range ov.Steps() {
		h.Steps = append(h.Steps, views.StepView{Number: step.Number, Name: step.Name, Href: hrefs[step.Number], State: step.State.Label(),
			Done: step.State == domain.StepDone, Nothing: step.State == domain.StepNothing, Current: step.Number == current})
		if step.Number == current {
			h.StepNote = step.Note
		}
	}
	// A customer with both kinds of transfer reaches each from the other.
	if current == stepTransfers && sum.BillingTransfers > 0 && sum.BillingTransfers < sum.Transfers {
		h.StepLinks = []views.Link{{Label: "Transfers from another partner", Href: transfers},
			{Label: "Billing transfer (Azure Expert MSP)", Href: billing}}
	}
	return h
}
