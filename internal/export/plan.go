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

// PlanCSV writes a customer's plan, one line per subscription in the
// plan's order, as the export reads them.
func PlanCSV(w io.Writer, p domain.PlanExport) error {
	return writeCSV(w, planColumns, planRows(p), func(row planRow) []string {
		s, item := row.item.Subscription, row.item
		return append([]string{strconv.FormatInt(s.ID, 10), guard(s.Product), string(s.Channel), string(s.ServiceType),
			domain.FormatQuantity(s.Seats()), string(row.workflow), guard(item.Classification.Reason), domain.FormatDate(s.Term()),
			formatDays(item.DaysLeft), item.Stage, row.next}, termCells(s)...)
	})
}

// planRow is a line of the plan's CSV: an item, with its group's workflow
// and next action.
type planRow struct {
	workflow domain.Workflow
	next     string
	item     domain.PlanItem
}

// planRows are the lines of the plan's CSV, group by group.
func planRows(p domain.PlanExport) domain.Rows[planRow] {
	return func(fn func(planRow) error) error {
		for _, g := range p.Plan.Groups {
			next := p.Plan.Next(g.Workflow)
			if err := p.Items(g)(func(item domain.PlanItem) error { return fn(planRow{g.Workflow, next, item}) }); err != nil {
				return err
			}
		}
		return nil
	}
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
	// The groups follow, written one at a time (writeJSONList).
}

type planCustomerJSON struct {
	ID           int64  `json:"id"`
	Name         string `json:"name"`
	Domain       string `json:"domain"`
	IsCSPPartner bool   `json:"is_csp_partner"`
}

type planGroupJSON struct {
	Workflow   domain.Workflow `json:"workflow"`
	Label      string          `json:"label"`
	NextAction string          `json:"next_action"`
	Count      int             `json:"count"`
	// The subscriptions follow, written one at a time (writeJSONList).
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
// relationship, and the subscriptions by workflow, each as the export reads
// it. The document is written piece by piece, each piece as encoding/json
// writes it, so that it is the one document json.Marshal would write of
// the whole plan without the plan being held.
func PlanJSON(w io.Writer, p domain.PlanExport) error {
	plan := p.Plan
	cu := plan.Customer
	head := planJSON{Customer: planCustomerJSON{ID: cu.ID, Name: cu.Name, Domain: cu.Domain, IsCSPPartner: cu.IsCSPPartner}, Total: plan.Total}
	if plan.Relationship != "" {
		head.Relationship = &plan.Relationship
	}
	err := writeJSONList(w, head, "groups", domain.RowsOf(plan.Groups), func(g domain.PlanGroup) error {
		group := planGroupJSON{Workflow: g.Workflow, Label: g.Workflow.Label(), NextAction: plan.Next(g.Workflow), Count: g.Count}
		return writeJSONList(w, group, "subscriptions", p.Items(g), func(item domain.PlanItem) error {
			return writeJSONValue(w, planItemJSON{subscriptionJSON: newSubscriptionJSON(item), TermEnd: jsonDate(item.Subscription.Term()),
				DaysLeft: item.DaysLeft, Stage: item.Stage})
		})
	})
	if err != nil {
		return err
	}
	_, err = io.WriteString(w, "\n")
	return err
}
