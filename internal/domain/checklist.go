package domain

import (
	"fmt"
	"strings"
)

// CancelScope is what step 4 of the checklist cancelled at the old seller.
type CancelScope string

// The scopes of a cancellation.
const (
	CancelWhole    CancelScope = "whole"    // the whole old subscription
	CancelServices CancelScope = "services" // named services of it
)

// CancelScopes lists the scopes in the order the form offers them.
var CancelScopes = []CancelScope{CancelWhole, CancelServices}

// Label is the scope as step 4's form offers it.
func (s CancelScope) Label() string {
	switch s {
	case CancelWhole:
		return "The whole old subscription"
	case CancelServices:
		return "Named services (one a line below)"
	}
	return string(s)
}

// Canceller is who cancelled the old subscription or services.
type Canceller string

// Who may cancel at the old seller.
const (
	CancelledByCustomer Canceller = "customer"
	CancelledByPartner  Canceller = "partner"
)

// Cancellers lists who may cancel, in the order the form offers them.
var Cancellers = []Canceller{CancelledByCustomer, CancelledByPartner}

// Label is who cancelled, as step 4's form offers it, in the partner's words.
func (c Canceller) Label() string {
	switch c {
	case CancelledByCustomer:
		return "The customer"
	case CancelledByPartner:
		return "Us, the partner"
	}
	return string(c)
}

// CSPCreators are the roles that can create a CSP Azure subscription in
// Partner Center, one of which step 2 records.
var CSPCreators = []Role{RoleGlobalAdmin, RoleAdminAgent}

// CSPCreatorLabel is who created the CSP subscription, as step 2's form
// offers it.
func CSPCreatorLabel(r Role) string {
	switch r {
	case RoleGlobalAdmin:
		return "A Global admin"
	case RoleAdminAgent:
		return "An Admin agent"
	}
	return r.Label()
}

// ErrChecklistNeedsRelationship refuses a step of the checklist while the
// customer's reseller relationship, step 1, is not active.
var ErrChecklistNeedsRelationship = Conflict("Step 1 comes first: the customer's reseller relationship must be active.")

// ChecklistApplies refuses a step of the checklist for a subscription whose
// workflow, by the rules, is not a new CSP Azure subscription.
func ChecklistApplies(c Customer, r Rules, sub Subscription) error {
	if r.Classify(c, sub).Workflow != WorkflowAzureNewSubscription {
		return Conflict("This subscription's workflow is not a new CSP Azure subscription.")
	}
	return nil
}

// At is the step the checklist stands at: the next one to do,
// MigrationRecordCSP before anything is recorded (the zero AzureMigration),
// MigrationDone when finished.
func (m AzureMigration) At() int {
	if m.Step == 0 {
		return MigrationRecordCSP
	}
	return m.Step
}

// StepRecording is what recording a step does to a checklist.
type StepRecording struct {
	From       int  // the step the checklist stood at, which the store's conditional update expects
	To         int  // the step it stands at afterwards
	Correction bool // the step was done already: its values change and the checklist stays where it is
}

// ChecklistSeen is where a checklist stood when the form of one of its
// steps was filled, sent back with the form: the step it stood at and its
// version (0 when nothing was recorded yet).
type ChecklistSeen struct {
	Step    int
	Version Version
}

// RecordStep decides recording step of checklist m (the zero AzureMigration
// when nothing is recorded yet) from a form opened when the checklist stood
// at expected. The step that is next moves the checklist on; one already
// done is a correction; a later one is refused with the step that comes
// first. A form opened before someone else moved the checklist on is
// refused, so a stale or repeated form never overwrites silently.
func (m AzureMigration) RecordStep(step, expected int) (StepRecording, error) {
	current := m.At()
	switch {
	case expected != current:
		return StepRecording{}, Conflict("The checklist changed since you opened it: reload the page to see where it stands.")
	case step > current:
		return StepRecording{}, Conflict(fmt.Sprintf("Step %d comes first: %s.", current, strings.ToLower(MigrationStepLabel(current))))
	case step < current:
		return StepRecording{From: current, To: current, Correction: true}, nil
	}
	return StepRecording{From: current, To: step + 1}, nil
}

// ChecklistChanged is the refusal of a step whose conditional update found
// the checklist no longer at the step RecordStep decided from: another
// writer moved it on in between.
func ChecklistChanged() error {
	return Conflict("The checklist changed in the meantime: reload the page.")
}

// ChecklistStep is one step of a checklist as its page shows it.
type ChecklistStep struct {
	Number  int
	Label   string
	Done    bool
	Current bool // the step to do next, while the relationship is active
}

// Steps lists the checklist's five steps: step 1 is done when the
// relationship is active, a later one when the checklist has passed it; the
// step the checklist stands at is current only while the relationship is
// active, and the last, done, is never current.
func (m AzureMigration) Steps(relationshipActive bool) []ChecklistStep {
	at := m.At()
	var out []ChecklistStep
	for step := MigrationRelationship; step <= MigrationCancelOld; step++ {
		done := step < at
		if step == MigrationRelationship {
			done = relationshipActive
		}
		out = append(out, ChecklistStep{Number: step, Label: MigrationStepLabel(step), Done: done, Current: step == at && relationshipActive})
	}
	return append(out, ChecklistStep{Number: MigrationDone, Label: MigrationStepLabel(MigrationDone), Done: at == MigrationDone})
}

// AzureChecklist is the checklist of one subscription whose workflow is a
// new CSP Azure subscription.
type AzureChecklist struct {
	Subscription Subscription
	Migration    AzureMigration // as recorded; the zero value before anything is
	Stage        string         // MigrationStage
	Steps        []ChecklistStep
}

// AzureChecklists is a customer's Azure page (step 5): the checklist of
// every subscription replaced by a new CSP one.
type AzureChecklists struct {
	Overview           CustomerOverview
	RelationshipActive bool // step 1 of every checklist
	MayAct             bool // the role may record steps
	Checklists         []AzureChecklist
	// Transfers is how many subscriptions are instead transferred from
	// another partner.
	Transfers int
	// BillingTransfers is how many have their billing taken over instead
	// (Azure Expert MSP).
	BillingTransfers int
}

// BuildAzureChecklists sorts a customer's subscriptions (subs, in
// inventory order) by what the rules put them in: a checklist, from what
// migrations records, for each new CSP Azure subscription, and a count of
// those to transfer instead.
func BuildAzureChecklists(ov CustomerOverview, subs []Subscription, migrations map[int64]AzureMigration) AzureChecklists {
	p := AzureChecklists{Overview: ov, RelationshipActive: ov.Relationship == StatusActive}
	for _, sub := range subs {
		switch ov.Rules.Classify(ov.Customer, sub).Workflow {
		case WorkflowAzureTransfer:
			p.Transfers++
		case WorkflowAzureBillingTransfer:
			p.BillingTransfers++
		case WorkflowAzureNewSubscription:
			m := migrations[sub.ID]
			p.Checklists = append(p.Checklists, AzureChecklist{Subscription: sub, Migration: m,
				Stage: MigrationStage(m, sub.Channel, p.RelationshipActive), Steps: m.Steps(p.RelationshipActive)})
		}
	}
	return p
}
