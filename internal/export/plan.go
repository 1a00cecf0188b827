package export

import (
	"io"
	"strconv"

	"github.com/wingtip/multichannel/internal/domain"
	"github.com/wingtip/multichannel/internal/inventorycsv"
)

// planColumns name the columns of the plan's CSV; the terms and offer id
// came last, so that the columns of before keep their places.
var planColumns = append([]string{"subscription_id", "product", "channel", "service_type", "quantity", "workflow", "reason",
	"term_end", "days_left", "stage", "next_action"}, inventorycsv.TermColumns...)

// PlanCSV writes a customer's plan, one line per subscription in the plan's
// order.
func PlanCSV(w io.Writer, plan domain.Plan) error {
	return writeCSV(w, planColumns, func(yield func([]string) bool) {
		for _, g := range plan.Groups {
			for _, item := range g.Items {
				s := item.Subscription
				if !yield(append([]string{strconv.FormatInt(s.ID, 10), guard(s.Product), string(s.Channel), string(s.ServiceType),
					domain.FormatQuantity(s.Seats()), string(g.Workflow), guard(item.Classification.Reason), domain.FormatDate(s.Term()),
					formatDays(item.DaysLeft), item.Stage, plan.Next(g.Workflow)}, termCells(s)...)) {
					return
				}
			}
		}
	})
}

// formatDays writes a number of days left, empty when there is none.
func formatDays(days *int) string {
	if days == nil {
		return ""
	}
	return strconv.Itoa(*days)
}

// planJSON is the plan's JSON document; workflow codes as in DESIGN §2.
type planJSON struct {
	Customer     planCustomerJSON           `json:"customer"`
	Relationship *domain.RelationshipStatus `json:"relationship"` // null when there is no request
	Total        int                        `json:"total"`
	Groups       []planGroupJSON            `json:"groups"`
}

type planCustomerJSON struct {
	ID           int64  `json:"id"`
	Name         string `json:"name"`
	Domain       string `json:"domain"`
	IsCSPPartner bool   `json:"is_csp_partner"`
}

type planGroupJSON struct {
	Workflow      domain.Workflow `json:"workflow"`
	Label         string          `json:"label"`
	NextAction    string          `json:"next_action"`
	Count         int             `json:"count"`
	Subscriptions []planItemJSON  `json:"subscriptions"`
}

type planItemJSON struct {
	subscriptionJSON
	TermEnd  *string `json:"term_end"`
	DaysLeft *int    `json:"days_left"`
	Stage    string  `json:"stage"`
}

// subscriptionJSON is what both the plan's and the record's documents say
// of a subscription first.
type subscriptionJSON struct {
	SubscriptionID int64              `json:"subscription_id"`
	Product        string             `json:"product"`
	Channel        domain.Channel     `json:"channel"`
	ServiceType    domain.ServiceType `json:"service_type"`
	Quantity       *int               `json:"quantity"`
	Workflow       domain.Workflow    `json:"workflow"`
	Reason         string             `json:"reason"`
	// The terms and the offer id, as stored: "" where not known.
	Commerce         domain.Commerce         `json:"commerce"`
	TermLength       domain.TermLength       `json:"term_length"`
	BillingFrequency domain.BillingFrequency `json:"billing_frequency"`
	AutoRenew        domain.AutoRenew        `json:"auto_renew"`
	TermStart        *string                 `json:"term_start"`
	OfferID          string                  `json:"offer_id"`
}

// newSubscriptionJSON is what both documents say first of a subscription of
// the plan.
func newSubscriptionJSON(item domain.PlanItem) subscriptionJSON {
	s := item.Subscription
	return subscriptionJSON{SubscriptionID: s.ID, Product: s.Product, Channel: s.Channel, ServiceType: s.ServiceType, Quantity: jsonSeats(s),
		Workflow: item.Classification.Workflow, Reason: item.Classification.Reason, Commerce: s.Commerce, TermLength: s.TermLength,
		BillingFrequency: s.BillingFrequency, AutoRenew: s.AutoRenew, TermStart: jsonDate(s.TermStart), OfferID: s.OfferID}
}

// PlanJSON writes a customer's plan as JSON: the customer, the state of its
// relationship, and the subscriptions by workflow.
func PlanJSON(w io.Writer, plan domain.Plan) error {
	cu := plan.Customer
	out := planJSON{Customer: planCustomerJSON{ID: cu.ID, Name: cu.Name, Domain: cu.Domain, IsCSPPartner: cu.IsCSPPartner},
		Total: plan.Total, Groups: []planGroupJSON{}}
	if plan.Relationship != "" {
		out.Relationship = &plan.Relationship
	}
	for _, g := range plan.Groups {
		group := planGroupJSON{Workflow: g.Workflow, Label: g.Workflow.Label(), NextAction: plan.Next(g.Workflow), Count: len(g.Items),
			Subscriptions: []planItemJSON{}}
		for _, item := range g.Items {
			group.Subscriptions = append(group.Subscriptions, planItemJSON{subscriptionJSON: newSubscriptionJSON(item),
				TermEnd: jsonDate(item.Subscription.Term()), DaysLeft: item.DaysLeft, Stage: item.Stage})
		}
		out.Groups = append(out.Groups, group)
	}
	return writeJSON(w, out)
}
