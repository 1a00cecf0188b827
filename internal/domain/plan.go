package domain

import (
	"slices"
	"time"
)

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
	// LastRequest is the effective state of the customer's newest request,
	// open or not; empty when it has none.
	LastRequest RelationshipStatus
	Groups      []PlanGroup
	Total       int
}

// PlanPage is what a customer's plan page shows: the customer's overview,
// for its heading, and the plan.
type PlanPage struct {
	Overview  CustomerOverview
	Plan      Plan
	Purchases PlanPurchases
}

// PlanPurchasesShown is how many of a customer's CSP purchases its plan
// shows, the newest first: enough for the ones inside their window.
const PlanPurchasesShown = 20

// PlanPurchases are the newest of a customer's CSP purchases, as its plan
// page shows them with where each one's refund window stands.
type PlanPurchases struct {
	Items []CSPPurchase
	Total int       // all of the customer's purchases
	At    time.Time // when they were read: the hours left count from it
}

// Items lists every subscription of the plan, group by group.
func (p Plan) Items() []PlanItem {
	var out []PlanItem
	for _, g := range p.Groups {
		out = append(out, g.Items...)
	}
	return out
}

// PlanState is what the plan needs besides the inventory to say where each
// subscription stands.
type PlanState struct {
	Relationship RelationshipStatus             // effective state of the open request; empty when none
	LastRequest  RelationshipStatus             // effective state of the newest request, open or not; empty when none
	Migrations   map[int64]AzureMigration       // checklists, by subscription id
	Transfers    map[int64]SubscriptionTransfer // the newest transfer in its effective state, by subscription id
	Billing      BillingPlan                    // the customer's billing transfers (Azure Expert MSP)
}

// BuildPlan classifies every subscription of c and groups them, with where
// each stands. Within a group, the subscriptions keep the order they were
// given in.
func BuildPlan(c Customer, r Rules, subs []Subscription, st PlanState, today time.Time) Plan {
	rel := st.Relationship
	byWorkflow := map[Workflow][]PlanItem{}
	for _, s := range subs {
		item := PlanItem{Subscription: s, Classification: r.Classify(c, s)}
		if end := s.Term(); end != nil {
			days := DaysLeft(*end, today)
			item.DaysLeft = &days
		}
		item.Stage = stage(item.Classification.Workflow, st, s)
		byWorkflow[item.Classification.Workflow] = append(byWorkflow[item.Classification.Workflow], item)
	}
	plan := Plan{Customer: c, Relationship: rel, LastRequest: st.LastRequest, Total: len(subs)}
	for _, w := range Workflows {
		if items := byWorkflow[w]; len(items) > 0 {
			plan.Groups = append(plan.Groups, PlanGroup{Workflow: w, Items: items})
		}
	}
	return plan
}

// stage says where a subscription in workflow w stands.
func stage(w Workflow, st PlanState, s Subscription) string {
	rel, termEnd := st.Relationship, s.Term()
	switch w {
	case WorkflowAzureNewSubscription:
		m := st.Migrations[s.ID]
		stage := MigrationStage(m, s.Channel, rel == StatusActive)
		if next := migrationNext(m, rel == StatusActive); next != "" {
			stage += " Next: " + next
		}
		return stage
	case WorkflowAzureTransfer, WorkflowLicenceTransfer:
		ts, found := st.Transfers[s.ID]
		stage := TransferStage(ts, found, rel == StatusActive)
		switch {
		case found && ts.Status == TransferPending:
			stage += " Next: record when it accepts, or cancel while it is pending."
		case found && ts.Status == TransferInProgress:
			stage += " Next: record when the transfer completes."
		}
		return stage
	case WorkflowAzureBillingTransfer:
		return st.Billing.Stage(s.ID, rel == StatusActive)
	case WorkflowResellerRelationship, WorkflowWaitTermEnd:
	default:
		return ""
	}
	if rel != StatusActive {
		switch rel {
		case StatusPending:
			return "Invitation sent; waiting for the customer to accept."
		case StatusAccepted:
			return "Accepted by the customer; waiting for verification in Partner Center."
		}
		return "Needs the reseller relationship: send the invitation."
	}
	if w == WorkflowResellerRelationship {
		// Microsoft: no refunds on cancellation, so the licence runs to its
		// natural expiry and the replacement is bought in CSP before it
		// (https://learn.microsoft.com/en-us/partner-center/customers/transition-seat-based-services).
		if termEnd == nil {
			return "Managed through the reseller relationship."
		}
		stage := "Managed through the reseller relationship. Next: buy the replacement through us before its natural expiry (" +
			termEnd.Format(DateLayout) + ")"
		if s.AutoRenew != AutoRenewOff {
			stage += ", and have auto-renew turned off at the current seller"
		}
		return stage + "."
	}
	if termEnd != nil {
		return "Ready: buy the replacement at the term end (" + termEnd.Format(DateLayout) + ")."
	}
	return "Ready: buy the replacement at the term end."
}

// needsRelationship are the workflows that wait for an active reseller
// relationship before anything else.
var needsRelationship = []Workflow{WorkflowResellerRelationship, WorkflowWaitTermEnd, WorkflowAzureTransfer, WorkflowLicenceTransfer,
	WorkflowAzureBillingTransfer}

// Next says what the partner does next for the subscriptions of workflow w,
// for this customer: where a workflow waits for the reseller relationship,
// what the customer's newest request needs (send one, wait for the customer,
// verify it in Partner Center, or what to do after a no); once the
// relationship is active, verified in Partner Center, what the workflow
// itself needs.
func (p Plan) Next(w Workflow) string {
	if !slices.Contains(needsRelationship, w) || p.Relationship == StatusActive {
		switch {
		case w == WorkflowResellerRelationship && p.Relationship == StatusActive:
			return "These are managed through the reseller relationship, verified in Partner Center: buy each replacement through us before its natural expiry, with auto-renew turned off at the current seller."
		case w == WorkflowWaitTermEnd && p.Relationship == StatusActive:
			return "Buy the replacement through us when the term ends."
		}
		return w.NextAction()
	}
	switch p.LastRequest {
	case StatusPending:
		return "Invitation sent: wait for the customer's Global admin to accept it in the Microsoft 365 admin center; resend it on step 4 if it is lost."
	case StatusAccepted:
		return "The customer accepted: verify in Partner Center's customer list that the reseller relationship is there, by hand or with its export, in the review queue."
	case StatusDeclined:
		return "The customer declined: ask why before sending a new request on step 4."
	case StatusExpired:
		return "The invitation expired unanswered: send a new one on step 4."
	case StatusRejected:
		return "We rejected the acceptance: clear it up with the customer, then send a new request on step 4."
	case StatusRevoked:
		return "The request was revoked: send a new one on step 4 when the customer is ready."
	case StatusRemoved:
		return "The relationship was removed: send a new request on step 4 if the customer comes back."
	}
	return w.NextAction()
}

// migrationNext says what to do next on a checklist, in the plan.
func migrationNext(m AzureMigration, relationshipActive bool) string {
	if !relationshipActive {
		return ""
	}
	switch m.Step {
	case 0, MigrationRecordCSP:
		return "record the new CSP Azure subscription."
	case MigrationMoveWorkloads:
		return "move the workloads."
	case MigrationCancelOld:
		return "cancel the old subscription or services."
	}
	return ""
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
	Usage        int // usage-based ones with a workflow: a new CSP subscription or a transfer
	UsageDone    int // of those, the ones whose checklist is done or whose transfer is complete
}

// CustomerOverview is what every page of a customer shows above its own
// content: the customer, its inventory counts and the state of its
// relationship, from which the walk-through's steps follow.
type CustomerOverview struct {
	Customer     Customer
	Summary      InventorySummary
	Relationship RelationshipStatus // of the open request or active relationship; empty when none
	// Rules are the partner's facts the classification depends on.
	Rules Rules
}

// Steps are the walk-through's steps for the customer.
func (o CustomerOverview) Steps() []Step { return WalkThrough(o.Summary, o.Relationship) }

// WalkThrough returns the steps for a customer from live data: the customer
// step is done once the customer exists; the subscriptions step once there is
// at least one subscription and every one is classified; the plan step once
// the plan is complete, which needs the same; the relationship step once the
// reseller relationship is active; the Azure step once every usage-based
// subscription has moved to CSP or been transferred.
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
		{5, "Azure", state(inventoryDone && inv.UsageDone >= inv.Usage)},
	}
}
