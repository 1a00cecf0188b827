package domain

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// TransferStatus is where a transfer from another partner stands: of Azure
// subscriptions, reservations and savings plans, or of new-commerce
// licences, since Microsoft's transfer API carries all of them in one
// request (targetProductTypes AzureSubscription, AzureReservation,
// AzureSavingsPlan, OnlineServicesNCE:
// https://learn.microsoft.com/en-us/partner-center/developer/create-a-transfer).
type TransferStatus string

// The states of a transfer. Expired is computed for a pending transfer 30
// days after its creation, so no background job is needed. Rejected is
// recorded from what the other partner says: Microsoft documents a
// "reject" status only for legacy transfers
// (https://learn.microsoft.com/en-us/partner-center/developer/reject-a-transfer),
// but a source partner may refuse a new-commerce request too, and the
// partner needs to know why before asking again.
const (
	TransferPending    TransferStatus = "pending"     // sent; the other partner has not acted
	TransferInProgress TransferStatus = "in_progress" // the other partner accepted
	TransferComplete   TransferStatus = "complete"    // the subscriptions are ours
	TransferRejected   TransferStatus = "rejected"    // the other partner refused it, with a reason
	TransferCancelled  TransferStatus = "cancelled"   // we withdrew it while pending
	TransferExpired    TransferStatus = "expired"     // the other partner did not act in 30 days
)

// TransferStatuses lists the states in their order.
var TransferStatuses = []TransferStatus{TransferPending, TransferInProgress, TransferComplete, TransferRejected, TransferCancelled, TransferExpired}

// Label is the state's name for people.
func (s TransferStatus) Label() string {
	switch s {
	case TransferPending:
		return "Pending"
	case TransferInProgress:
		return "In progress"
	case TransferComplete:
		return "Complete"
	case TransferRejected:
		return "Rejected"
	case TransferCancelled:
		return "Cancelled"
	case TransferExpired:
		return "Expired"
	}
	return string(s)
}

// TransferExpiryDays is how long the other partner has to act on a
// transfer: "The request will expire" after 30 days
// (https://learn.microsoft.com/en-us/azure/cost-management-billing/manage/azure-plan-subscription-transfer-partners);
// partners say the same of new-commerce requests.
const TransferExpiryDays = 30

// TransferLineItemLimit is how many subscriptions one transfer request may
// carry. Microsoft's text read does not state it: the figure is CloudCockpit's
// "25-item transfer limit"
// (https://cloudcockpit.com/blog/take-control-your-microsoft-csp-transfers).
const TransferLineItemLimit = 25

// TransferProduct is a kind of product a transfer moves, as the transfer
// API's targetProductTypes names them.
type TransferProduct string

// The products a transfer can carry.
const (
	ProductAzureSubscription TransferProduct = "azure_subscription"
	ProductAzureReservation  TransferProduct = "azure_reservation"
	ProductAzureSavingsPlan  TransferProduct = "azure_savings_plan"
	ProductNCELicences       TransferProduct = "online_services_nce" // OnlineServicesNCE: new-commerce licences
)

// TransferProducts lists the products in the order they are offered.
var TransferProducts = []TransferProduct{ProductAzureSubscription, ProductAzureReservation, ProductAzureSavingsPlan, ProductNCELicences}

// Azure reports whether p is an Azure product, not a licence.
func (p TransferProduct) Azure() bool { return p != ProductNCELicences }

// Label is the product's name.
func (p TransferProduct) Label() string {
	switch p {
	case ProductAzureSubscription:
		return "Azure subscription"
	case ProductAzureReservation:
		return "Azure reservation"
	case ProductAzureSavingsPlan:
		return "Azure savings plan"
	case ProductNCELicences:
		return "New-commerce licences"
	}
	return string(p)
}

// Transfer is a request to the customer's current CSP partner to hand its
// Azure subscriptions or new-commerce licences over to us.
type Transfer struct {
	ID                 int64
	CustomerID         int64
	CustomerName       string
	Status             TransferStatus // as stored; see Effective
	OtherPartnerName   string
	OtherPartnerTenant string // required for new requests; older ones may have none
	// MicrosoftTransferID is the GUID Partner Center gives the transfer;
	// empty until recorded.
	MicrosoftTransferID string
	ContactEmail        string
	Products            []TransferProduct
	LineItems           string
	ResellerPartnerID   string
	// SubmittedBy is who at the indirect provider submitted the transfer
	// for us, when we are an indirect reseller.
	SubmittedBy string
	// RejectionReason is what the other partner gave when it rejected the
	// transfer.
	RejectionReason string
	SubscriptionIDs []int64
	CreatedByName   string
	CreatedAt       time.Time
	ExpiresAt       time.Time
	AcceptedOn      *time.Time
	CompletedOn     *time.Time
	EndedByName     string
	EndedAt         *time.Time
}

// Effective is the transfer's state at now: a pending one past its 30 days
// is expired even before anything writes it down.
func (t Transfer) Effective(now time.Time) TransferStatus {
	if t.Status == TransferPending && !now.Before(t.ExpiresAt) {
		return TransferExpired
	}
	return t.Status
}

// DaysLeft is how many whole days the other partner still has to act.
func (t Transfer) DaysLeft(now time.Time) int { return int(t.ExpiresAt.Sub(now).Hours() / 24) }

// NewTransfer is what the partner fills in to request a transfer.
type NewTransfer struct {
	CustomerID          int64
	SubscriptionIDs     []int64
	OtherPartnerName    string
	OtherPartnerTenant  string
	MicrosoftTransferID string // optional: Partner Center's id, when the request is made there first
	ContactEmail        string
	Products            []TransferProduct
	LineItems           string
	ResellerPartnerID   string
	SubmittedBy         string // who at the indirect provider submitted it; an indirect reseller's requests only
}

// Normalize trims the fields and puts the tenant id and e-mail in canonical
// form.
func (n NewTransfer) Normalize() NewTransfer {
	n.OtherPartnerName = strings.TrimSpace(n.OtherPartnerName)
	n.OtherPartnerTenant = NormalizeTenantID(n.OtherPartnerTenant)
	n.MicrosoftTransferID = NormalizeTenantID(n.MicrosoftTransferID)
	n.SubmittedBy = strings.TrimSpace(n.SubmittedBy)
	if email, err := NormalizeEmail(n.ContactEmail); err == nil {
		n.ContactEmail = email
	}
	n.LineItems = strings.TrimSpace(n.LineItems)
	n.ResellerPartnerID = strings.TrimSpace(n.ResellerPartnerID)
	return n
}

// Validate checks a normalised transfer request. The source partner's
// tenant id is required, as the transfer API requires sourcePartnerTenantId
// (https://learn.microsoft.com/en-us/partner-center/developer/create-a-transfer);
// an indirect provider must name the indirect reseller's PartnerID
// (partnerOnRecord, same page), and an indirect reseller, whose indirect
// provider submits the transfer ("Indirect resellers need to work with their
// indirect providers":
// https://learn.microsoft.com/en-us/partner-center/customers/transfer-azure-subscriptions-under-azure-plan),
// says who there submitted it.
func (n NewTransfer) Validate(model CSPModel) FieldErrors {
	errs := FieldErrors{}
	switch {
	case len(n.SubscriptionIDs) == 0:
		errs["subscriptions"] = "Choose at least one subscription to transfer."
	case len(n.SubscriptionIDs) > TransferLineItemLimit:
		errs["subscriptions"] = fmt.Sprintf("Choose at most %d subscriptions: one transfer request carries at most %d line items; make a second request for the others.",
			TransferLineItemLimit, TransferLineItemLimit)
	}
	if n.OtherPartnerName == "" || utf8.RuneCountInString(n.OtherPartnerName) > 200 {
		errs["other_partner_name"] = "Enter the name of the partner the customer buys from now."
	}
	if !guidPattern.MatchString(n.OtherPartnerTenant) {
		errs["other_partner_tenant"] = "Enter the other partner's Microsoft ID (its tenant id), a GUID such as 72f988bf-86f1-41af-91ab-2d7cd011db47."
	}
	if msg := checkMicrosoftTransferID(n.MicrosoftTransferID, false); msg != "" {
		errs["microsoft_transfer_id"] = msg
	}
	if _, err := NormalizeEmail(n.ContactEmail); err != nil {
		errs["contact_email"] = "Enter the customer contact's e-mail address."
	}
	if len(n.Products) == 0 {
		errs["products"] = "Choose what is transferred."
	}
	for _, p := range n.Products {
		if !slices.Contains(TransferProducts, p) {
			errs["products"] = "Choose from the products offered."
		}
	}
	if utf8.RuneCountInString(n.LineItems) > 4000 {
		errs["line_items"] = "Use at most 4,000 characters."
	}
	switch {
	case model == CSPIndirectProvider && n.ResellerPartnerID == "":
		errs["reseller_partner_id"] = "As an indirect provider, enter the indirect reseller's PartnerID."
	case n.ResellerPartnerID != "" && !isPartnerID(n.ResellerPartnerID):
		errs["reseller_partner_id"] = "A PartnerID is 6 to 10 digits."
	}
	switch {
	case model == CSPIndirectReseller && n.SubmittedBy == "":
		errs["submitted_by"] = "As an indirect reseller, enter who at the indirect provider submitted the transfer in Partner Center."
	case utf8.RuneCountInString(n.SubmittedBy) > 200:
		errs["submitted_by"] = "Use at most 200 characters."
	}
	return errs
}

// checkMicrosoftTransferID says what is wrong with a normalised Microsoft
// transfer id, "" when nothing: it is a GUID ("A GUID formatted
// transfer-ID":
// https://learn.microsoft.com/en-us/partner-center/developer/update-a-transfer),
// and may be left empty unless required.
func checkMicrosoftTransferID(id string, required bool) string {
	switch {
	case id == "" && !required:
		return ""
	case !guidPattern.MatchString(id):
		return "Microsoft's transfer id is a GUID such as 43fb1d3a-79fe-45a9-863e-9a4acf17b630."
	}
	return ""
}

// Migration step numbers of the new-CSP-Azure-subscription checklist. Step
// 1, an active reseller relationship, is not stored: it is the customer's.
const (
	MigrationRelationship = 1 + iota
	MigrationRecordCSP
	MigrationMoveWorkloads
	MigrationCancelOld
	MigrationDone
)

// AzureMigration is where the checklist of one usage-based subscription
// bought elsewhere stands: a new CSP Azure subscription beside it, the
// workloads moved, the old one cancelled.
type AzureMigration struct {
	SubscriptionID    int64
	Step              int // the next step to do; MigrationDone when finished
	CSPSubscriptionID string
	DisplayName       string
	CreatedOn         *time.Time
	CreatedByRole     Role
	MovedNote         string
	MovedOn           *time.Time
	CancelScope       CancelScope
	CancelledServices []string
	CancelledOn       *time.Time
	CancelledBy       Canceller
	CancelReference   string
	Version           Version // of the checklist; 0 when nothing is recorded yet
}

// Coexisting reports whether the CSP subscription runs beside the old one:
// recorded, and the old one not cancelled yet. That is allowed and may last.
func (m AzureMigration) Coexisting() bool {
	return m.Step == MigrationMoveWorkloads || m.Step == MigrationCancelOld
}

// MigrationStepLabel names a step of the checklist.
func MigrationStepLabel(step int) string {
	switch step {
	case MigrationRelationship:
		return "Reseller relationship active"
	case MigrationRecordCSP:
		return "Record the new CSP Azure subscription"
	case MigrationMoveWorkloads:
		return "Move the workloads"
	case MigrationCancelOld:
		return "Cancel the old subscription or services"
	case MigrationDone:
		return "Done"
	}
	return ""
}

// ValidCSPSubscription checks what records step 2.
func ValidCSPSubscription(id, name string, createdOn *time.Time, role Role, today time.Time) FieldErrors {
	errs := FieldErrors{}
	if !guidPattern.MatchString(strings.ToLower(strings.TrimSpace(id))) {
		errs["csp_subscription_id"] = "An Azure subscription id is a GUID such as 4f1c2e8a-0b6d-4c1e-9a57-3d2b8e6f0c11."
	}
	if n := strings.TrimSpace(name); n == "" || utf8.RuneCountInString(n) > 200 {
		errs["display_name"] = "Enter the subscription's display name."
	}
	if createdOn == nil || createdOn.After(today) {
		errs["created_on"] = "Enter the date it was created, not in the future."
	}
	if !slices.Contains(CSPCreators, role) {
		errs["created_by_role"] = "Choose who created it: a Global admin or an Admin agent."
	}
	return errs
}

// MigrationStage says where a subscription's checklist stands, for the
// plan and the checklist page; between steps 2 and 4 the CSP subscription
// and the old one coexist, which is allowed and may last.
func MigrationStage(m AzureMigration, oldChannel Channel, relationshipActive bool) string {
	switch {
	case m.Step == MigrationDone:
		return "Done: moved to CSP and the old services cancelled."
	case m.Coexisting():
		return "Coexisting: CSP and " + oldChannel.Label() + "."
	case !relationshipActive:
		return "Needs the reseller relationship first."
	}
	return "No CSP subscription yet."
}

// SubscriptionTransfer is where the newest transfer of one subscription
// stands: its effective state and, when the other partner rejected it, why.
type SubscriptionTransfer struct {
	Status          TransferStatus
	RejectionReason string
}

// TransferStage says where a subscription's transfer stands.
func TransferStage(st SubscriptionTransfer, found bool, relationshipActive bool) string {
	switch {
	case found && st.Status == TransferPending:
		return "Transfer requested; waiting for the other partner."
	case found && st.Status == TransferInProgress:
		return "Transfer in progress."
	case found && st.Status == TransferComplete:
		return "Transferred."
	case !relationshipActive:
		return "Needs the reseller relationship first."
	case found && st.Status == TransferExpired:
		return "The transfer request expired: request it again."
	case found && st.Status == TransferRejected:
		return "The other partner rejected the transfer: " + strings.TrimRight(st.RejectionReason, ".") + ". Clear it up with them, then request it again."
	}
	return "Ready: request the transfer from the other partner."
}

// TransferFilter selects transfers across customers, for the lists the
// dashboard opens.
type TransferFilter = ListFilter[TransferStatus]
