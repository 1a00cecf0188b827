package domain

import "time"

// PlanItem is one subscription in the plan, with its workflow and, for a
// licence with a term end, the days left.
type PlanItem struct {
	Subscription   Subscription
	Classification Classification
	DaysLeft       *int   // nil when the subscription has no term end
	Stage          string // where the subscription stands in its workflow
}

// PlanGroup gathers the subscriptions that share a workflow.
type PlanGroup struct {
	Workflow Workflow
	Items    []PlanItem
}

// Plan is what the partner must do for each of a customer's subscriptions,
// grouped by workflow in the order of Workflows; empty groups are left out.
type Plan struct {
	Customer     Customer
	Relationship RelationshipStatus // of the customer's current request; empty when none
	Groups       []PlanGroup
	Total        int
}

// BuildPlan classifies every subscription of c and groups them, with where
// each stands given the customer's relationship (empty when there is none).
// Within a group, the subscriptions keep the order they were given in.
func BuildPlan(c Customer, subs []Subscription, rel RelationshipStatus, today time.Time) Plan {
	byWorkflow := map[Workflow][]PlanItem{}
	for _, s := range subs {
		item := PlanItem{Subscription: s, Classification: Classify(s.Channel, s.ServiceType, c.IsCSPPartner)}
		if end := s.Term(); end != nil {
			days := DaysLeft(*end, today)
			item.DaysLeft = &days
		}
		item.Stage = stage(item.Classification.Workflow, rel, s.Term())
		byWorkflow[item.Classification.Workflow] = append(byWorkflow[item.Classification.Workflow], item)
	}
	plan := Plan{Customer: c, Relationship: rel, Total: len(subs)}
	for _, w := range Workflows {
		if items := byWorkflow[w]; len(items) > 0 {
			plan.Groups = append(plan.Groups, PlanGroup{Workflow: w, Items: items})
		}
	}
	return plan
}

// stage says where a subscription in workflow w stands, given the state of
// the customer's relationship request.
func stage(w Workflow, rel RelationshipStatus, termEnd *time.Time) string {
	needsRelationship := w == WorkflowResellerRelationship || w == WorkflowWaitTermEnd || w == WorkflowAzureTransfer
	if !needsRelationship {
		return ""
	}
	if rel != StatusActive {
		switch rel {
		case StatusPending:
			return "Invitation sent; waiting for the customer to accept."
		case StatusAccepted:
			return "Accepted by the customer; waiting for our review."
		}
		return "Needs the reseller relationship: send the invitation."
	}
	switch w {
	case WorkflowResellerRelationship:
		return "Managed through the reseller relationship."
	case WorkflowWaitTermEnd:
		if termEnd != nil {
			return "Ready: buy the replacement at the term end (" + termEnd.Format(DateLayout) + ")."
		}
		return "Ready: buy the replacement at the term end."
	}
	return "Ready: request the transfer from the other partner."
}

// StepState is where a step of the walk-through stands.
type StepState string

// The states of a walk-through step.
const (
	StepDone StepState = "done"
	StepToDo StepState = "todo"
)

// Step is one step of the walk-through for a customer.
type Step struct {
	Number int
	Name   string
	State  StepState
}

// InventorySummary counts a customer's subscriptions for the walk-through.
type InventorySummary struct {
	Total        int
	Unclassified int
}

// WalkThrough returns the steps for a customer from live data: the customer
// step is done once the customer exists; the subscriptions step once there is
// at least one subscription and every one is classified; the plan step once
// the plan is complete, which needs the same; the relationship step once the
// reseller relationship is active.
func WalkThrough(inv InventorySummary, rel RelationshipStatus) []Step {
	inventoryDone := inv.Total > 0 && inv.Unclassified == 0
	state := func(done bool) StepState {
		if done {
			return StepDone
		}
		return StepToDo
	}
	return []Step{
		{1, "Customer", StepDone},
		{2, "Subscriptions", state(inventoryDone)},
		{3, "Plan", state(inventoryDone)},
		{4, "Relationship", state(rel == StatusActive)},
	}
}
