package domain

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"
)

// The Azure billing transfer is how a direct-bill Azure Expert MSP takes
// over the billing of Azure a customer buys through a direct Enterprise
// Agreement or an enterprise Microsoft Customer Agreement: the partner sends
// one transfer request to the customer's billing approver, who picks the
// subscriptions and reservations that move to an Azure plan under the
// partner's Microsoft Partner Agreement. The resources stay where they are.
// Source of every fact below, unless another is named:
// https://learn.microsoft.com/en-us/azure/cost-management-billing/manage/mpa-request-ownership

// BillingTransferStatus is where a customer's billing transfer stands.
type BillingTransferStatus string

// The states of a billing transfer. Microsoft's own statuses are In
// progress, Processing, Completed, Finished with errors, Expired, Canceled
// and Declined; preparing is the app's, the checklist before the request.
const (
	BillingPreparing BillingTransferStatus = "preparing" // checking the prerequisites; nothing sent yet
	BillingSent      BillingTransferStatus = "sent"      // the request waits for the customer's approver
	BillingApproved  BillingTransferStatus = "approved"  // the approver chose the products and approved
	BillingCompleted BillingTransferStatus = "completed" // the billing is ours
	BillingDeclined  BillingTransferStatus = "declined"  // the approver declined the request
	BillingExpired   BillingTransferStatus = "expired"   // the request expired unanswered
	BillingCancelled BillingTransferStatus = "cancelled" // we withdrew it
)

// BillingTransferStatuses lists the states in their order.
var BillingTransferStatuses = []BillingTransferStatus{BillingPreparing, BillingSent, BillingApproved, BillingCompleted,
	BillingDeclined, BillingExpired, BillingCancelled}

// Label is the state's name for people.
func (s BillingTransferStatus) Label() string {
	switch s {
	case BillingPreparing:
		return "Checking the prerequisites"
	case BillingSent:
		return "Request sent, waiting for the customer's approval"
	case BillingApproved:
		return "Approved by the customer"
	case BillingCompleted:
		return "Completed"
	case BillingDeclined:
		return "Declined by the customer"
	case BillingExpired:
		return "Expired"
	case BillingCancelled:
		return "Cancelled by us"
	}
	return string(s)
}

// BillingInProgress are the states of a billing transfer the customer has
// been asked for and that has not completed: what the dashboard's card of
// usage workflows in progress counts, beside transfers in progress.
var BillingInProgress = []BillingTransferStatus{BillingSent, BillingApproved}

// Open reports whether a billing transfer in state s is still under way: a
// customer has at most one open billing transfer.
func (s BillingTransferStatus) Open() bool {
	return s == BillingPreparing || s == BillingSent || s == BillingApproved
}

// BillingAgreement is the agreement the customer's Azure is billed under
// today, which decides whether the billing can move at all.
type BillingAgreement string

// The agreements. Only a direct EA and an enterprise MCA can transfer:
// "Indirect Enterprise Agreement transfers to an Azure plan under an MPA
// aren't supported" (mpa-request-ownership), and "Transfer from EA
// Government to MPA isn't supported"
// (https://learn.microsoft.com/en-us/azure/cost-management-billing/manage/subscription-transfer).
const (
	AgreementUnknown       BillingAgreement = ""
	AgreementDirectEA      BillingAgreement = "direct_ea"
	AgreementMCAEnterprise BillingAgreement = "mca_enterprise"
	AgreementIndirectEA    BillingAgreement = "indirect_ea"
	AgreementEAGovernment  BillingAgreement = "ea_government"
)

// BillingAgreements lists the agreements in the order they are offered.
var BillingAgreements = []BillingAgreement{AgreementDirectEA, AgreementMCAEnterprise, AgreementIndirectEA, AgreementEAGovernment}

// Label is the agreement's name for people.
func (a BillingAgreement) Label() string {
	switch a {
	case AgreementDirectEA:
		return "Direct Enterprise Agreement"
	case AgreementMCAEnterprise:
		return "Microsoft Customer Agreement (enterprise)"
	case AgreementIndirectEA:
		return "Indirect Enterprise Agreement (through a reseller)"
	case AgreementEAGovernment:
		return "EA Government"
	case AgreementUnknown:
		return "Not yet known"
	}
	return string(a)
}

// Supported reports whether Microsoft transfers the billing of Azure under
// agreement a to a partner's Azure plan.
func (a BillingAgreement) Supported() bool {
	return a == AgreementDirectEA || a == AgreementMCAEnterprise
}

// ApproverRole is the customer's billing role the transfer request is sent
// to: Microsoft names, for EA subscriptions, the "account owner or EA
// administrator" (reservations need the EA administrator), and for an MCA
// an owner or contributor of the billing account, billing profile or
// invoice section.
type ApproverRole string

// The approvers' roles.
const (
	ApproverEAAdministrator ApproverRole = "ea_administrator"
	ApproverEAAccountOwner  ApproverRole = "ea_account_owner"
	ApproverMCAOwner        ApproverRole = "mca_owner"
	ApproverMCAContributor  ApproverRole = "mca_contributor"
)

// ApproverRoles lists the roles in the order they are offered.
var ApproverRoles = []ApproverRole{ApproverEAAdministrator, ApproverEAAccountOwner, ApproverMCAOwner, ApproverMCAContributor}

// Label is the role's name for people.
func (r ApproverRole) Label() string {
	switch r {
	case ApproverEAAdministrator:
		return "EA administrator (EA: subscriptions and reservations)"
	case ApproverEAAccountOwner:
		return "EA account owner (EA: subscriptions only)"
	case ApproverMCAOwner:
		return "MCA billing owner (billing account, profile or invoice section)"
	case ApproverMCAContributor:
		return "MCA billing contributor (billing account, profile or invoice section)"
	}
	return string(r)
}

// fits reports whether an approver in role r can approve a transfer of
// Azure under agreement a: EA roles for an EA, MCA roles for an MCA.
func (r ApproverRole) fits(a BillingAgreement) bool {
	if a == AgreementMCAEnterprise {
		return r == ApproverMCAOwner || r == ApproverMCAContributor
	}
	return r == ApproverEAAdministrator || r == ApproverEAAccountOwner
}

// BillingPrerequisites are what the partner checks before sending the
// request, as Microsoft documents them; the reseller relationship is not
// among them because the app knows it.
type BillingPrerequisites struct {
	// MCAAccepted: the customer has accepted the Microsoft Customer
	// Agreement (in Partner Center, the customer's account).
	MCAAccepted bool
	// AzurePlan: an Azure plan exists for the customer, "for each
	// combination of a customer and a reseller".
	AzurePlan bool
	// Agreement is what the Azure is billed under; only a direct EA or an
	// enterprise MCA can move.
	Agreement BillingAgreement
	// SameTenant: the subscriptions' Entra tenant is the customer tenant of
	// the CSP relationship.
	SameTenant bool
	// MarketplaceEligible: no subscription holds Azure Marketplace products
	// not enabled for CSP ("Subscriptions that have Azure Marketplace
	// products that aren't enabled for CSPs can't be transferred").
	MarketplaceEligible bool
	// NoneDisabled: no subscription to move is disabled ("Disabled
	// subscriptions can't be transferred").
	NoneDisabled bool
}

// BillingCheck is one prerequisite as the checklist shows it.
type BillingCheck struct {
	Field string // the form field that records it; "" for the computed one
	Label string
	Help  string // how to check it, or why it matters
	Done  bool
	// Chosen says the prerequisite is chosen among BillingAgreements, not
	// ticked.
	Chosen bool
}

// Checks lists the prerequisites in the order to check them, the first
// computed from the customer's reseller relationship (relationshipActive).
func (p BillingPrerequisites) Checks(relationshipActive bool) []BillingCheck {
	check := func(field, label, help string, done bool) BillingCheck {
		return BillingCheck{Field: field, Label: label, Help: help, Done: done}
	}
	agreement := check("agreement", "The Azure is under a direct EA or an enterprise MCA",
		"Indirect EA (bought through a reseller) and EA Government cannot be transferred to a partner.", p.Agreement.Supported())
	agreement.Chosen = true
	return []BillingCheck{
		check("", "The reseller relationship is active",
			"Microsoft needs a reseller relationship with the customer, in the same region; the app knows it from step 4.", relationshipActive),
		check("mca_accepted", "The customer accepted the Microsoft Customer Agreement", "Partner Center shows it on the customer's account page.", p.MCAAccepted),
		check("azure_plan", "An Azure plan exists for the customer",
			"Create it in Partner Center (Customers → the customer → Subscriptions → Add subscription → Azure plan): the products move into it.", p.AzurePlan),
		agreement,
		check("same_tenant", "The subscriptions' Entra tenant is the customer's tenant of our relationship",
			"Microsoft moves only subscriptions of the tenant the reseller relationship is with.", p.SameTenant),
		check("marketplace_eligible", "No Azure Marketplace product that is not enabled for CSP",
			"A subscription holding one cannot be transferred: remove those products first.", p.MarketplaceEligible),
		check("none_disabled", "No disabled subscription among those to move",
			"A disabled subscription cannot be transferred: reactivate it first, or leave it out.", p.NoneDisabled),
	}
}

// Unmet lists the labels of the prerequisites not met; empty when the
// request can be sent.
func (p BillingPrerequisites) Unmet(relationshipActive bool) []string {
	var out []string
	for _, c := range p.Checks(relationshipActive) {
		if !c.Done {
			out = append(out, c.Label)
		}
	}
	return out
}

// Describe writes the prerequisites for the audit log.
func (p BillingPrerequisites) Describe() string {
	return fmt.Sprintf("MCA accepted %t; Azure plan %t; agreement %s; same tenant %t; Marketplace eligible %t; none disabled %t",
		p.MCAAccepted, p.AzurePlan, cmp.Or(string(p.Agreement), "not known"), p.SameTenant, p.MarketplaceEligible, p.NoneDisabled)
}

// BillingTransfer is one billing transfer of a customer: its checklist of
// prerequisites, then the request and what came of it.
type BillingTransfer struct {
	ID            int64
	CustomerID    int64
	Status        BillingTransferStatus
	Prerequisites BillingPrerequisites
	// ApproverEmail and ApproverRole name who the request was sent to.
	ApproverEmail string
	ApproverRole  ApproverRole
	// SubscriptionIDs are the subscriptions the request covers: those the
	// rules put in azure_billing_transfer when it was sent.
	SubscriptionIDs []int64
	SentOn          *time.Time
	ApprovedOn      *time.Time
	CompletedOn     *time.Time
	// EndedOn is the day it was declined, expired or cancelled.
	EndedOn       *time.Time
	CreatedByName string
	CreatedAt     time.Time
	Version       Version
}

// BillingChange is a change of a billing transfer that the partner records.
// Next decides it; the store runs Next in the transaction that writes and
// keeps the conditional update on the state read as the guard against
// races.
type BillingChange int

// The changes of a billing transfer.
const (
	BillingPrerequisitesSaved BillingChange = 1 + iota // preparing → preparing
	BillingRequestSent                                 // preparing → sent, once every prerequisite is met
	BillingApproval                                    // sent → approved
	BillingCompletion                                  // approved → completed
	BillingDecline                                     // sent → declined
	BillingExpiry                                      // sent → expired
	BillingCancellation                                // preparing or sent → cancelled
)

// BillingChanges lists every change, for the table test and the audit.
var BillingChanges = []BillingChange{BillingPrerequisitesSaved, BillingRequestSent, BillingApproval, BillingCompletion,
	BillingDecline, BillingExpiry, BillingCancellation}

// From lists the states change c is allowed from. We can cancel "until the
// request is approved or declined" (mpa-request-ownership), so not once it
// is approved.
func (c BillingChange) From() []BillingTransferStatus {
	switch c {
	case BillingPrerequisitesSaved, BillingRequestSent:
		return []BillingTransferStatus{BillingPreparing}
	case BillingCompletion:
		return []BillingTransferStatus{BillingApproved}
	case BillingCancellation:
		return []BillingTransferStatus{BillingPreparing, BillingSent}
	}
	return []BillingTransferStatus{BillingSent}
}

// To is the state change c leads to.
func (c BillingChange) To() BillingTransferStatus {
	switch c {
	case BillingRequestSent:
		return BillingSent
	case BillingApproval:
		return BillingApproved
	case BillingCompletion:
		return BillingCompleted
	case BillingDecline:
		return BillingDeclined
	case BillingExpiry:
		return BillingExpired
	case BillingCancellation:
		return BillingCancelled
	}
	return BillingPreparing
}

// Dated reports whether change c records the day it happened.
func (c BillingChange) Dated() bool {
	return c != BillingPrerequisitesSaved && c != BillingCancellation
}

// refused says why a billing transfer in another state does not allow c;
// %s is that state.
func (c BillingChange) refused() string {
	switch c {
	case BillingPrerequisitesSaved:
		return "The prerequisites can be changed only before the request is sent; this billing transfer is %s."
	case BillingRequestSent:
		return "The request can be sent only once, from the checklist; this billing transfer is %s."
	case BillingApproval:
		return "Only a request waiting for the customer can be approved; this billing transfer is %s."
	case BillingCompletion:
		return "Only a request the customer approved can complete; this billing transfer is %s."
	case BillingDecline:
		return "Only a request waiting for the customer can be declined; this billing transfer is %s."
	case BillingExpiry:
		return "Only a request waiting for the customer can expire; this billing transfer is %s."
	}
	return "A billing transfer can be cancelled only until the customer approves or declines it; this one is %s."
}

// Offered reports whether a page offers change c on a billing transfer in
// state st to a user who may act (mayAct): exactly when Next allows the
// state.
func (c BillingChange) Offered(st BillingTransferStatus, mayAct bool) bool {
	return mayAct && slices.Contains(c.From(), st)
}

// Audit is the audit action that records change c.
func (c BillingChange) Audit() AuditAction {
	switch c {
	case BillingPrerequisitesSaved:
		return AuditBillingTransferChecked
	case BillingRequestSent:
		return AuditBillingTransferSent
	case BillingApproval:
		return AuditBillingTransferApproved
	case BillingCompletion:
		return AuditBillingTransferCompleted
	case BillingDecline:
		return AuditBillingTransferDeclined
	case BillingExpiry:
		return AuditBillingTransferExpired
	}
	return AuditBillingTransferCancelled
}

// Next decides change c of billing transfer t, whose customer's reseller
// relationship is active or not: the state it leads to, or a ConflictError
// naming the state, and for a request not ready to send what is missing.
func (t BillingTransfer) Next(c BillingChange, relationshipActive bool) (BillingTransferStatus, error) {
	if !slices.Contains(c.From(), t.Status) {
		return "", Conflict(fmt.Sprintf(c.refused(), strings.ToLower(t.Status.Label())))
	}
	if c == BillingRequestSent {
		if unmet := t.Prerequisites.Unmet(relationshipActive); len(unmet) > 0 {
			return "", Conflict("The request cannot be sent yet. Not met: " + strings.Join(unmet, "; ") + ".")
		}
	}
	return c.To(), nil
}

// BillingRequest is the request as the partner records having sent it in
// the Azure portal.
type BillingRequest struct {
	ApproverEmail string
	ApproverRole  ApproverRole
	SentOn        *time.Time
}

// Validate checks a request for Azure under agreement a, on now's clock:
// the approver's e-mail, a role that can approve under that agreement, and
// a date not in the future nor before the checklist began (started).
func (r BillingRequest) Validate(a BillingAgreement, started, now time.Time) FieldErrors {
	errs := FieldErrors{}
	if _, err := NormalizeEmail(r.ApproverEmail); err != nil {
		errs["approver_email"] = "Enter the e-mail address of the customer's billing approver."
	}
	switch {
	case !slices.Contains(ApproverRoles, r.ApproverRole):
		errs["approver_role"] = "Choose the approver's role."
	case !r.ApproverRole.fits(a):
		errs["approver_role"] = "Under " + strings.ToLower(a.Label()) + " the request goes to " + approversOf(a) + "."
	}
	if r.SentOn == nil {
		errs["sent_on"] = "Enter the date the request was sent, as YYYY-MM-DD."
	} else if msg := CheckEventDate(*r.SentOn, started, "the checklist was started", now); msg != "" {
		errs["sent_on"] = msg
	}
	return errs
}

// approversOf names the roles that can approve under agreement a.
func approversOf(a BillingAgreement) string {
	var names []string
	for _, r := range ApproverRoles {
		if r.fits(a) {
			names = append(names, "an "+strings.SplitN(r.Label(), " (", 2)[0])
		}
	}
	return strings.Join(names, " or ")
}

// CheckEventDate says why day on cannot be the date of an event that
// followed earliest (since names it), on now's clock: not in the future
// anywhere on Earth (LatestToday), not before earliest's day; "" when it can.
func CheckEventDate(on, earliest time.Time, since string, now time.Time) string {
	switch {
	case Day(on).After(Day(LatestToday(now))):
		return "The date cannot be in the future."
	case Day(on).Before(Day(earliest)):
		return "The date cannot be before " + since + " (" + Day(earliest).Format(DateLayout) + ")."
	}
	return ""
}

// Earliest is the day a dated change c of t may be recorded from, and what
// happened then: the request's date for the customer's answer, the approval
// for the completion.
func (t BillingTransfer) Earliest(c BillingChange) (time.Time, string) {
	switch {
	case c == BillingCompletion && t.ApprovedOn != nil:
		return *t.ApprovedOn, "the customer approved it"
	case t.SentOn != nil:
		return *t.SentOn, "the request was sent"
	}
	return t.CreatedAt, "the checklist was started"
}

// BillingTransferable returns the subscriptions of c, among subs, that a new
// request would cover: those the rules put in azure_billing_transfer, less
// those a completed billing transfer (done) already moved.
func BillingTransferable(c Customer, r Rules, subs []Subscription, done map[int64]bool) []Subscription {
	var out []Subscription
	for _, sub := range subs {
		if r.Classify(c, sub).Workflow == WorkflowAzureBillingTransfer && !done[sub.ID] {
			out = append(out, sub)
		}
	}
	return out
}

// BillingPlan is what the plan reads of a customer's billing transfers: the
// state of the newest one covering each subscription (a completed one
// wins), and the state of the customer's open one, "" when none is open.
type BillingPlan struct {
	BySubscription map[int64]BillingTransferStatus
	Open           BillingTransferStatus
}

// Stage says where a subscription in workflow azure_billing_transfer stands.
func (b BillingPlan) Stage(subscriptionID int64, relationshipActive bool) string {
	st, found := b.BySubscription[subscriptionID]
	switch {
	case found && st == BillingCompleted:
		return "Done: the billing is ours since the billing transfer completed."
	case found && st == BillingApproved:
		return "Approved by the customer; Microsoft is moving the billing. Next: record when it completes."
	case found && st == BillingSent:
		return "Request sent; waiting for the customer's approver. Next: record the approval, or that it was declined or expired."
	case !relationshipActive:
		return "Needs the reseller relationship first."
	case b.Open == BillingPreparing:
		return "Checking the prerequisites. Next: tick them and send the request in the Azure portal."
	case found && st == BillingDeclined:
		return "The customer declined the request: ask why, then start a new billing transfer."
	case found && st == BillingExpired:
		return "The request expired unanswered: start a new billing transfer."
	}
	return "Ready: start the billing transfer checklist."
}

// NotMoved lists what a billing transfer does not move or changes, for the
// page: Microsoft's words, mpa-request-ownership unless noted.
var NotMoved = []string{
	"Azure access rights (RBAC): we get no Azure RBAC role access by the transfer; use admin on behalf of (AOBO) or Azure Lighthouse to manage the resources.",
	"Azure support plans do not transfer with the subscriptions: the customer's EA or MCA support stays behind.",
	"SaaS products do not transfer with the subscriptions.",
	"Azure Marketplace products not enabled for CSP cannot be transferred: a subscription holding one cannot move.",
	"Quota increases are reset to the default values (https://learn.microsoft.com/en-us/azure/cost-management-billing/manage/transfer-subscriptions-subscribers-csp).",
	"Dev/Test subscriptions must be converted to production first, and are then billed at pay-as-you-go rates.",
	"Charges before the transfer stay on the customer's previous invoice; billing is ours from the transfer on.",
	"Cost Management reports in Power BI stop working for the moved subscriptions.",
}

// BillingTransferRow is a billing transfer as its page shows it, with the
// changes the user may record on it.
type BillingTransferRow struct {
	Transfer BillingTransfer
	// Can lists the changes offered, by change.
	Can map[BillingChange]bool
}

// NewBillingTransferRow is t as a page shows it to a user who may act on
// transfers (mayAct) or not.
func NewBillingTransferRow(t BillingTransfer, mayAct bool) BillingTransferRow {
	row := BillingTransferRow{Transfer: t, Can: map[BillingChange]bool{}}
	for _, c := range BillingChanges {
		row.Can[c] = c.Offered(t.Status, mayAct)
	}
	return row
}

// BillingTransferPage is a customer's billing transfer page: its open
// checklist, if any, the earlier ones, and what starting one needs.
type BillingTransferPage struct {
	Overview CustomerOverview
	Now      time.Time
	// Current is the open billing transfer; nil when none is open.
	Current *BillingTransferRow
	// History are the ended ones, newest first.
	History []BillingTransferRow
	// Products names the customer's subscriptions by id.
	Products map[int64]string
	// Candidates are the subscriptions a request would cover now.
	Candidates         []Subscription
	RelationshipActive bool
	MayAct             bool
	// AzureExpertMSP is whether the partner's rules allow billing
	// transfers at all (a direct-bill Azure Expert MSP).
	AzureExpertMSP bool
}

// CanStart reports whether the page offers to start a billing transfer: the
// role may, none is open, and there is something to move.
func (p BillingTransferPage) CanStart() bool {
	return p.MayAct && p.Current == nil && len(p.Candidates) > 0
}

// ErrBillingTransferOpen is why a second billing transfer cannot start while
// one is open: Microsoft takes one request per customer, and the approver
// picks what moves.
var ErrBillingTransferOpen = Conflict("This customer already has a billing transfer under way: finish or cancel it first.")

// ErrNothingToBill is why a billing transfer cannot start when none of the
// customer's subscriptions is in workflow azure_billing_transfer.
var ErrNothingToBill = Conflict("None of this customer's subscriptions is Azure under a direct EA or MCA-enterprise that we, as an Azure Expert MSP, could take over.")

// SeedBillingTransfer is a billing transfer of the starting data, naming
// its customer by domain, the subscriptions its request covers by product
// and who started it by e-mail.
type SeedBillingTransfer struct {
	CustomerDomain string
	Products       []string
	CreatedBy      string
	Transfer       BillingTransfer
}
