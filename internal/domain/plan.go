package domain

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"
)

// PlanItem is one subscription in the plan, with its workflow and, for a
// licence with a term end, the days left.
type PlanItem struct {
	Subscription   Subscription
	Classification Classification
	DaysLeft       *int     // nil when the subscription has no term end
	Stage          string   // where the subscription stands in its workflow
	Next           NextStep // what it needs next, and where
}

// PlanGroup gathers the subscriptions that share a workflow. Count is how
// many it has and Steps how many of them need each next step; Items are all
// of them (BuildPlan) or the ones a page shows (BuildPlanPage).
type PlanGroup struct {
	Workflow Workflow
	Items    []PlanItem
	Count    int
	Steps    map[NextStep]int
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
// for its heading, the plan, and which of its subscriptions are shown.
type PlanPage struct {
	Overview  CustomerOverview
	Plan      Plan
	Purchases PlanPurchases
	Query     PlanQuery
	// Replaceable are the licences the purchase form offers as the one it
	// replaces, the chosen one among them (see PlanReplacesShown).
	Replaceable []Subscription
}

// The plan page shows the first PlanShown subscriptions of each workflow
// group; "show all" pages one group PlanPageSize at a time, so that a
// customer with thousands of subscriptions gets a page of a few hundred
// rows at most. The groups' counts and next actions are over all of them.
const (
	PlanShown    = 10
	PlanPageSize = 100
)

// PlanQuery says which of a plan's subscriptions its page shows: the first
// PlanShown of each group, or, when Show names a workflow, page Page of
// that group alone.
type PlanQuery struct {
	Show Workflow
	Page int
	// Replaces is the licence the purchase form starts from; 0 for none.
	Replaces int64
}

// PlanReplacesShown bounds the licences the purchase form offers as the one
// a purchase replaces: those whose terms end soonest, which are the ones
// being replaced, then those without a term end.
const PlanReplacesShown = 100

// ParsePlanQuery reads the plan page's query: an unknown workflow shows
// every group, a page below 1 is the first.
func ParsePlanQuery(show string, page int, replaces int64) PlanQuery {
	q := PlanQuery{Show: Workflow(show), Page: max(page, 1), Replaces: replaces}
	if !slices.Contains(Workflows, q.Show) {
		q.Show, q.Page = "", 1
	}
	return q
}

// PageOf is the page of the group of workflow w, of count subscriptions,
// that q shows: the first PlanShown of every group, or, while one group is
// shown whole, that group's page (the last one for a page past it) and
// nothing of the others (false).
func (q PlanQuery) PageOf(w Workflow, count int) (Page, bool) {
	switch q.Show {
	case "":
		return Page{Number: 1, Size: PlanShown}, true
	case w:
		return Page{Number: min(max(q.Page, 1), Page{Size: PlanPageSize}.PageCount(count)), Size: PlanPageSize}, true
	}
	return Page{}, false
}

// Shown is what the page shows of group g, and which page of it that is.
func (p PlanPage) Shown(g PlanGroup) ([]PlanItem, Page) {
	page, ok := p.Query.PageOf(g.Workflow, g.Count)
	if !ok {
		return nil, Page{}
	}
	return g.Items, page
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

// Recorded are the ids, in order, of the subscriptions st holds a record of
// (a checklist, a transfer, a billing transfer): the only ones whose next
// step is not their workflow's first.
func (st PlanState) Recorded() []int64 {
	ids := slices.Collect(maps.Keys(st.Migrations))
	ids = slices.AppendSeq(ids, maps.Keys(st.Transfers))
	ids = slices.AppendSeq(ids, maps.Keys(st.Billing.BySubscription))
	slices.Sort(ids)
	return slices.Compact(ids)
}

// BuildPlan classifies every subscription of c and groups them, with where
// each stands. Within a group, the subscriptions keep the order they were
// given in.
func BuildPlan(c Customer, r Rules, subs []Subscription, st PlanState, today time.Time) Plan {
	rel := st.Relationship
	byWorkflow := map[Workflow][]PlanItem{}
	for _, s := range subs {
		item := planItem(c, r, s, st, today)
		byWorkflow[item.Classification.Workflow] = append(byWorkflow[item.Classification.Workflow], item)
	}
	plan := Plan{Customer: c, Relationship: rel, LastRequest: st.LastRequest, Total: len(subs)}
	for _, w := range Workflows {
		if items := byWorkflow[w]; len(items) > 0 {
			steps := map[NextStep]int{}
			for _, item := range items {
				steps[item.Next]++
			}
			plan.Groups = append(plan.Groups, PlanGroup{Workflow: w, Items: items, Count: len(items), Steps: steps})
		}
	}
	return plan
}

// planItem is subscription s in the plan: classified, with its days left,
// where it stands and its next step.
func planItem(c Customer, r Rules, s Subscription, st PlanState, today time.Time) PlanItem {
	item := PlanItem{Subscription: s, Classification: r.Classify(c, s)}
	if end := s.Term(); end != nil {
		days := DaysLeft(*end, today)
		item.DaysLeft = &days
	}
	item.Stage = stage(item.Classification.Workflow, st, s)
	item.Next = nextStep(item.Classification.Workflow, st, s)
	return item
}

// PlanShownGroup is what a plan page reads of one workflow group: the class
// keys of its subscriptions, how many it has, and the rows to show.
type PlanShownGroup struct {
	Workflow Workflow
	Keys     []ClassKey
	Count    int
	Shown    []Subscription
}

// Sparse says whether the group is thin among the total subscriptions of
// its customer: thinner than one in as many as it has class keys. Walking
// the customer's subscriptions in order meets a page of a group's rows
// after about total/Count rows for each, reading each key's own rows after
// as many as there are keys; a sparse group is cheaper read key by key.
func (g PlanShownGroup) Sparse(total int) bool { return g.Count*len(g.Keys) < total }

// PlanGroupsOf sorts a customer's subscription counts by class key into the
// workflow groups the rules put them in, in the order of Workflows, for a
// plan page to read the rows of each.
func PlanGroupsOf(c Customer, r Rules, counts []ClassCount) []PlanShownGroup {
	byWorkflow := map[Workflow]*PlanShownGroup{}
	for _, cc := range counts {
		w := Classify(cc.ClassKey, c.IsCSPPartner, r).Workflow
		g := byWorkflow[w]
		if g == nil {
			g = &PlanShownGroup{Workflow: w}
			byWorkflow[w] = g
		}
		g.Keys = append(g.Keys, cc.ClassKey)
		g.Count += cc.Count
	}
	var out []PlanShownGroup
	for _, w := range Workflows {
		if g := byWorkflow[w]; g != nil && g.Count > 0 {
			out = append(out, *g)
		}
	}
	return out
}

// BuildPlanPage is the plan as a page shows it, without reading every
// subscription: each group's count and rows to show from groups, and the
// tally of its next steps from the subscriptions st holds a record of
// (recorded: a checklist, a transfer, a billing transfer), every other
// subscription of the group needing the step a subscription without a
// record needs. It agrees with BuildPlan over the whole inventory.
func BuildPlanPage(c Customer, r Rules, groups []PlanShownGroup, recorded []Subscription, st PlanState, today time.Time) Plan {
	plan := Plan{Customer: c, Relationship: st.Relationship, LastRequest: st.LastRequest}
	withRecord := map[Workflow]map[NextStep]int{}
	for _, s := range recorded {
		item := planItem(c, r, s, st, today)
		w := item.Classification.Workflow
		if withRecord[w] == nil {
			withRecord[w] = map[NextStep]int{}
		}
		withRecord[w][item.Next]++
	}
	for _, g := range groups {
		steps := map[NextStep]int{}
		rest := g.Count
		for step, n := range withRecord[g.Workflow] {
			steps[step] += n
			rest -= n
		}
		if rest > 0 {
			steps[nextStep(g.Workflow, st, Subscription{})] += rest
		}
		group := PlanGroup{Workflow: g.Workflow, Count: g.Count, Steps: steps}
		for _, s := range g.Shown {
			group.Items = append(group.Items, planItem(c, r, s, st, today))
		}
		plan.Groups = append(plan.Groups, group)
		plan.Total += g.Count
	}
	return plan
}

// PlanExport is a customer's whole plan as an export writes it, reading
// the subscriptions as it goes instead of holding them: Plan has every
// group's count and tally and no items, and Items reads the items of one
// of its groups, in order.
type PlanExport struct {
	Plan  Plan
	Items func(g PlanGroup) Rows[PlanItem]
}

// NewPlanExport is the export of the plan BuildPlanPage makes of groups,
// recorded and st, whose groups' subscriptions read reads in order. A
// group whose subscriptions do not come to its count fails its read
// rather than have the export contradict itself.
func NewPlanExport(c Customer, r Rules, groups []PlanShownGroup, recorded []Subscription, st PlanState, today time.Time,
	read func(g PlanShownGroup) Rows[Subscription]) PlanExport {
	items := func(g PlanGroup) Rows[PlanItem] {
		return func(fn func(PlanItem) error) error {
			i := slices.IndexFunc(groups, func(sg PlanShownGroup) bool { return sg.Workflow == g.Workflow })
			if i < 0 {
				return nil
			}
			n := 0
			err := read(groups[i])(func(s Subscription) error {
				n++
				return fn(planItem(c, r, s, st, today))
			})
			if err == nil && n != groups[i].Count {
				err = fmt.Errorf("the %s group of customer %d read %d subscriptions, its count is %d", g.Workflow, c.ID, n, groups[i].Count)
			}
			return err
		}
	}
	return PlanExport{Plan: BuildPlanPage(c, r, groups, recorded, st, today), Items: items}
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
// relationship before anything else: the checklist of a new CSP Azure
// subscription starts with it too (its step 1).
var needsRelationship = []Workflow{WorkflowResellerRelationship, WorkflowWaitTermEnd, WorkflowAzureTransfer, WorkflowLicenceTransfer,
	WorkflowAzureBillingTransfer, WorkflowAzureNewSubscription}

// ActionPage names the page where a subscription's next action is done;
// web turns it into an address.
type ActionPage string

// The pages a plan row links to.
const (
	PageNone            ActionPage = ""                 // nothing to do in the app
	PageSubscription    ActionPage = "subscription"     // the subscription's edit form: classify it
	PageRelationship    ActionPage = "relationship"     // step 4: send, resend or follow the request
	PageReview          ActionPage = "review"           // the review queue: verify an accepted request
	PagePurchase        ActionPage = "purchase"         // the plan's form that records our replacement purchase
	PageAzure           ActionPage = "azure"            // the subscription's Azure checklist
	PageTransfers       ActionPage = "transfers"        // the customer's transfers from another partner
	PageBillingTransfer ActionPage = "billing_transfer" // the customer's billing transfer checklist
)

// NextStep is what one subscription of the plan needs next, in a few
// words, where that is done and who may do it.
type NextStep struct {
	Action     string     // a short imperative: "Request the transfer"
	Page       ActionPage // where it is done; PageNone when nothing is
	Permission Permission // what the role needs to do it
	Done       bool       // the workflow is finished for this subscription
}

// The next steps of the plan's rows. Their order is the order in which a
// group's guidance counts them.
var (
	nextClassify      = NextStep{"Set the channel and the service type", PageSubscription, PermEditCustomers, false}
	nextTellCustomer  = NextStep{"Tell the customer why", PageNone, PermView, true}
	nextSendRequest   = NextStep{"Send the reseller relationship request", PageRelationship, PermInvite, false}
	nextAwaitCustomer = NextStep{"Wait for the customer to accept, or resend the invitation", PageRelationship, PermInvite, false}
	nextVerify        = NextStep{"Verify the relationship in Partner Center", PageReview, PermReviewRelationships, false}
	nextBuyBefore     = NextStep{"Record our replacement purchase before its natural expiry", PagePurchase, PermEditCustomers, false}
	nextBuyAtEnd      = NextStep{"Record our replacement purchase at the term end", PagePurchase, PermEditCustomers, false}
	nextRecordCSP     = NextStep{"Record the new CSP Azure subscription", PageAzure, PermUsageWorkflow, false}
	nextMove          = NextStep{"Record the workloads moved", PageAzure, PermUsageWorkflow, false}
	nextCancelOld     = NextStep{"Record the old subscription or services cancelled", PageAzure, PermUsageWorkflow, false}
	nextMigrated      = NextStep{"See its checklist", PageAzure, PermView, true}
	nextRequestMove   = NextStep{"Request the transfer", PageTransfers, PermTransfers, false}
	nextAwaitAccept   = NextStep{"Record the other partner's acceptance, or cancel", PageTransfers, PermTransfers, false}
	nextAwaitComplete = NextStep{"Record the transfer completed", PageTransfers, PermTransfers, false}
	nextTransferred   = NextStep{"See its transfer", PageTransfers, PermView, true}
	nextStartBilling  = NextStep{"Start the billing transfer checklist", PageBillingTransfer, PermTransfers, false}
	nextPrerequisites = NextStep{"Tick the prerequisites and send the request", PageBillingTransfer, PermTransfers, false}
	nextAwaitApprover = NextStep{"Record the approver's answer", PageBillingTransfer, PermTransfers, false}
	nextAwaitBilling  = NextStep{"Record the billing transfer completed", PageBillingTransfer, PermTransfers, false}
	nextBilled        = NextStep{"See its billing transfer", PageBillingTransfer, PermView, true}
	nextSteps         = []NextStep{nextClassify, nextTellCustomer, nextSendRequest, nextAwaitCustomer, nextVerify, nextBuyBefore, nextBuyAtEnd,
		nextRecordCSP, nextMove, nextCancelOld, nextMigrated, nextRequestMove, nextAwaitAccept, nextAwaitComplete, nextTransferred,
		nextStartBilling, nextPrerequisites, nextAwaitApprover, nextAwaitBilling, nextBilled}
)

// nextStep says what a subscription in workflow w needs next: while its
// workflow waits for the reseller relationship, what the customer's newest
// request needs; then what its own checklist, transfer or term needs.
func nextStep(w Workflow, st PlanState, s Subscription) NextStep {
	switch w {
	case WorkflowNeedsClassification:
		return nextClassify
	case WorkflowNotEligible:
		return nextTellCustomer
	}
	if slices.Contains(needsRelationship, w) && st.Relationship != StatusActive {
		switch st.LastRequest {
		case StatusPending:
			return nextAwaitCustomer
		case StatusAccepted:
			return nextVerify
		}
		return nextSendRequest
	}
	switch w {
	case WorkflowResellerRelationship:
		return nextBuyBefore
	case WorkflowWaitTermEnd:
		return nextBuyAtEnd
	case WorkflowAzureNewSubscription:
		switch st.Migrations[s.ID].Step {
		case MigrationMoveWorkloads:
			return nextMove
		case MigrationCancelOld:
			return nextCancelOld
		case MigrationDone:
			return nextMigrated
		}
		return nextRecordCSP
	case WorkflowAzureTransfer, WorkflowLicenceTransfer:
		ts, found := st.Transfers[s.ID]
		switch {
		case found && ts.Status == TransferPending:
			return nextAwaitAccept
		case found && ts.Status == TransferInProgress:
			return nextAwaitComplete
		case found && ts.Status == TransferComplete:
			return nextTransferred
		}
		return nextRequestMove
	case WorkflowAzureBillingTransfer:
		bs, found := st.Billing.BySubscription[s.ID]
		switch {
		case found && bs == BillingCompleted:
			return nextBilled
		case found && bs == BillingApproved:
			return nextAwaitBilling
		case found && bs == BillingSent:
			return nextAwaitApprover
		case st.Billing.Open == BillingPreparing:
			return nextPrerequisites
		}
		return nextStartBilling
	}
	return nextTellCustomer
}

// group returns the plan's group of workflow w, or an empty one.
func (p Plan) group(w Workflow) PlanGroup {
	for _, g := range p.Groups {
		if g.Workflow == w {
			return g
		}
	}
	return PlanGroup{Workflow: w}
}

// Next says what the partner does next for the subscriptions of workflow w,
// for this customer, from where they actually stand: where a workflow waits
// for the reseller relationship, what the customer's newest request needs
// (send one, wait for the customer, verify it in Partner Center, or what to
// do after a no); once the relationship is active, verified in Partner
// Center, what the workflow itself needs, counted over the group's
// subscriptions for a checklist or a transfer.
func (p Plan) Next(w Workflow) string {
	if slices.Contains(needsRelationship, w) && p.Relationship != StatusActive {
		return p.relationshipNext(w)
	}
	switch w {
	case WorkflowResellerRelationship:
		return "These are managed through the reseller relationship, verified in Partner Center: buy each replacement through us before its natural expiry, with auto-renew turned off at the current seller."
	case WorkflowWaitTermEnd:
		return "Buy the replacement through us when the term ends."
	case WorkflowAzureNewSubscription, WorkflowAzureTransfer, WorkflowLicenceTransfer, WorkflowAzureBillingTransfer:
		g := p.group(w)
		return tally(g.Steps, g.Count)
	}
	return w.NextAction()
}

// relationshipNext is the guidance of a workflow that waits for the reseller
// relationship, from the customer's newest request.
func (p Plan) relationshipNext(w Workflow) string {
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

// tally counts a group's subscriptions by their next step, in the order of
// the steps: "Request the transfer: 2; record the transfer completed: 1.
// Done: 1 of 4."
func tally(steps map[NextStep]int, total int) string {
	done := 0
	for step, n := range steps {
		if step.Done {
			done += n
		}
	}
	if done == total {
		return fmt.Sprintf("Nothing left to do: all %d done.", done)
	}
	var parts []string
	for _, step := range nextSteps {
		if n := steps[step]; n > 0 && !step.Done {
			action := step.Action
			if len(parts) > 0 {
				action = strings.ToLower(action[:1]) + action[1:]
			}
			parts = append(parts, fmt.Sprintf("%s: %d", action, n))
		}
	}
	return strings.Join(parts, "; ") + fmt.Sprintf(". Done: %d of %d.", done, total)
}

// openSteps are the distinct next steps of the group of workflow w that
// are not done, in the order of the steps.
func (p Plan) openSteps(w Workflow) []NextStep {
	var out []NextStep
	steps := p.group(w).Steps
	for _, step := range nextSteps {
		if !step.Done && steps[step] > 0 {
			out = append(out, step)
		}
	}
	return out
}

// Page is where the group of workflow w has its first open step done (a
// done group: where its subscriptions' records are); PageNone when the app
// has no page for it.
func (p Plan) Page(w Workflow) ActionPage {
	if open := p.openSteps(w); len(open) > 0 {
		return open[0].Page
	}
	steps := p.group(w).Steps
	for _, step := range nextSteps {
		if steps[step] > 0 {
			return step.Page
		}
	}
	return PageNone
}

// Permissions lists, once each in the order of the steps, what the group of
// workflow w needs for its open steps: the plan names who may, for a role
// that may not.
func (p Plan) Permissions(w Workflow) []Permission {
	var out []Permission
	for _, step := range p.openSteps(w) {
		if !slices.Contains(out, step.Permission) {
			out = append(out, step.Permission)
		}
	}
	return out
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
	StepDone    StepState = "done"
	StepToDo    StepState = "todo"
	StepNothing StepState = "nothing" // none of the customer's subscriptions needs the step
)

// Label is the state in words, as the stepper shows it.
func (s StepState) Label() string {
	switch s {
	case StepDone:
		return "done"
	case StepNothing:
		return "nothing to do"
	}
	return "to do"
}

// The walk-through's steps, by number.
const (
	StepCustomer = 1 + iota
	StepSubscriptions
	StepPlan
	StepRelationship
	StepAzure
	StepTransfers
)

// Step is one step of the walk-through for a customer.
type Step struct {
	Number int
	Name   string
	State  StepState
	// Note says what the state means, for the step's own pages, so that a
	// page never says something other than its step; empty where the
	// page's own content says it.
	Note string
}

// InventorySummary counts a customer's subscriptions for the walk-through.
type InventorySummary struct {
	Total        int
	Unclassified int
	NewAzure     int // in workflow azure_new_subscription
	NewAzureDone int // of those, the ones whose checklist is done
	// Transfers are those that move to us by a transfer: from another
	// partner (Azure or licences) or of Azure billing (Azure Expert MSP).
	Transfers        int
	BillingTransfers int // of Transfers, the billing transfers
	TransfersDone    int // of Transfers, those a completed transfer moved
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
// reseller relationship is active; the Azure and Transfers steps follow
// WorkState over the subscriptions they move.
func WalkThrough(inv InventorySummary, rel RelationshipStatus) []Step {
	inventoryDone := inv.Total > 0 && inv.Unclassified == 0
	state := func(done bool) StepState {
		if done {
			return StepDone
		}
		return StepToDo
	}
	azure := WorkState(inv, inv.NewAzure, inv.NewAzureDone)
	transfers := WorkState(inv, inv.Transfers, inv.TransfersDone)
	return []Step{
		{StepCustomer, "Customer", StepDone, ""},
		{StepSubscriptions, "Subscriptions", state(inventoryDone), ""},
		{StepPlan, "Plan", state(inventoryDone), ""},
		{StepRelationship, "Relationship", state(rel == StatusActive), ""},
		{StepAzure, "Azure", azure, workNote(inv, azure, inv.NewAzure, inv.NewAzureDone, azureWords)},
		{StepTransfers, "Transfers", transfers, workNote(inv, transfers, inv.Transfers, inv.TransfersDone, transferWords)},
	}
}

// WorkState is the one rule for the state of a step whose work is some of
// a customer's subscriptions, needed of them in all and done of those
// finished: to do while the inventory is empty or not all classified
// (what the step needs is not known yet), nothing to do when none needs
// it, done once every one that does is finished, to do otherwise.
func WorkState(inv InventorySummary, needed, done int) StepState {
	switch {
	case inv.Total == 0 || inv.Unclassified > 0:
		return StepToDo
	case needed == 0:
		return StepNothing
	case done >= needed:
		return StepDone
	}
	return StepToDo
}

// stepWords are what a work step's note says in each state.
type stepWords struct {
	nothing, done, counted string // counted takes the done and needed counts
}

var (
	azureWords = stepWords{
		nothing: "Nothing to do: none of this customer's subscriptions needs a new CSP Azure subscription.",
		done:    "Done: every Azure subscription that needed one has a new CSP subscription, and its old services are cancelled.",
		counted: "To do: %d of %d Azure checklists done.",
	}
	transferWords = stepWords{
		nothing: "Nothing to do: none of this customer's subscriptions moves to us by a transfer.",
		done:    "Done: every subscription that moves to us by a transfer has moved.",
		counted: "To do: %d of %d subscriptions moved to us by a transfer.",
	}
)

// workNote says what a work step's state means for the customer.
func workNote(inv InventorySummary, st StepState, needed, done int, w stepWords) string {
	switch {
	case inv.Total == 0:
		return "To do: add the customer's subscriptions first; what this step needs follows from them."
	case inv.Unclassified > 0:
		return fmt.Sprintf("To do: classify the %d %s not yet classified first; what this step needs follows from them.",
			inv.Unclassified, pluralWord(inv.Unclassified, "subscription", "subscriptions"))
	case st == StepNothing:
		return w.nothing
	case st == StepDone:
		return w.done
	}
	return fmt.Sprintf(w.counted, done, needed)
}

// pluralWord picks the word for n things.
func pluralWord(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
