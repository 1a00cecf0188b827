package domain

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// TransferStatus is where an Azure transfer from another partner stands.
type TransferStatus string

// The states of a transfer. Expired is computed for a pending transfer 30
// days after its creation, so no background job is needed.
const (
	TransferPending    TransferStatus = "pending"     // sent; the other partner has not acted
	TransferInProgress TransferStatus = "in_progress" // the other partner accepted
	TransferComplete   TransferStatus = "complete"    // the subscriptions are ours
	TransferCancelled  TransferStatus = "cancelled"   // we withdrew it while pending
	TransferExpired    TransferStatus = "expired"     // the other partner did not act in 30 days
)

// TransferStatuses lists the states in their order.
var TransferStatuses = []TransferStatus{TransferPending, TransferInProgress, TransferComplete, TransferCancelled, TransferExpired}

// Label is the state's name for people.
func (s TransferStatus) Label() string {
	switch s {
	case TransferPending:
		return "Pending"
	case TransferInProgress:
		return "In progress"
	case TransferComplete:
		return "Complete"
	case TransferCancelled:
		return "Cancelled"
	case TransferExpired:
		return "Expired"
	}
	return string(s)
}

// TransferExpiryDays is how long the other partner has to act on a transfer.
const TransferExpiryDays = 30

// TransferProduct is a kind of Azure product a transfer moves.
type TransferProduct string

// The Azure products a transfer can carry.
const (
	ProductAzureSubscription TransferProduct = "azure_subscription"
	ProductAzureReservation  TransferProduct = "azure_reservation"
	ProductAzureSavingsPlan  TransferProduct = "azure_savings_plan"
)

// TransferProducts lists the products in the order they are offered.
var TransferProducts = []TransferProduct{ProductAzureSubscription, ProductAzureReservation, ProductAzureSavingsPlan}

// Label is the product's name.
func (p TransferProduct) Label() string {
	switch p {
	case ProductAzureSubscription:
		return "Azure subscription"
	case ProductAzureReservation:
		return "Azure reservation"
	case ProductAzureSavingsPlan:
		return "Azure savings plan"
	}
	return string(p)
}

// Transfer is a request to the customer's current CSP partner to hand its
// Azure subscriptions over to us.
type Transfer struct {
	ID                 int64
	CustomerID         int64
	CustomerName       string
	Status             TransferStatus // as stored; see Effective
	OtherPartnerName   string
	OtherPartnerTenant string
	ContactEmail       string
	Products           []TransferProduct
	LineItems          string
	ResellerPartnerID  string
	SubscriptionIDs    []int64
	CreatedByName      string
	CreatedAt          time.Time
	ExpiresAt          time.Time
	AcceptedOn         *time.Time
	CompletedOn        *time.Time
	EndedByName        string
	EndedAt            *time.Time
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
	CustomerID         int64
	SubscriptionIDs    []int64
	OtherPartnerName   string
	OtherPartnerTenant string
	ContactEmail       string
	Products           []TransferProduct
	LineItems          string
	ResellerPartnerID  string
}

// Normalize trims the fields and puts the tenant id and e-mail in canonical
// form.
func (n NewTransfer) Normalize() NewTransfer {
	n.OtherPartnerName = strings.TrimSpace(n.OtherPartnerName)
	n.OtherPartnerTenant = normalizeTenantID(n.OtherPartnerTenant)
	if email, err := NormalizeEmail(n.ContactEmail); err == nil {
		n.ContactEmail = email
	}
	n.LineItems = strings.TrimSpace(n.LineItems)
	n.ResellerPartnerID = strings.TrimSpace(n.ResellerPartnerID)
	return n
}

// Validate checks a normalised transfer request; an indirect provider must
// name the indirect reseller's PartnerID.
func (n NewTransfer) Validate(model CSPModel) FieldErrors {
	errs := FieldErrors{}
	if len(n.SubscriptionIDs) == 0 {
		errs["subscriptions"] = "Choose at least one subscription to transfer."
	}
	if n.OtherPartnerName == "" || utf8.RuneCountInString(n.OtherPartnerName) > 200 {
		errs["other_partner_name"] = "Enter the name of the partner the customer buys from now."
	}
	if n.OtherPartnerTenant != "" && !guidPattern.MatchString(n.OtherPartnerTenant) {
		errs["other_partner_tenant"] = "A tenant id is a GUID, or leave it empty."
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
	return errs
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

// TransferStage says where a subscription's transfer stands.
func TransferStage(st TransferStatus, found bool, relationshipActive bool) string {
	switch {
	case found && st == TransferPending:
		return "Transfer requested; waiting for the other partner."
	case found && st == TransferInProgress:
		return "Transfer in progress."
	case found && st == TransferComplete:
		return "Transferred."
	case !relationshipActive:
		return "Needs the reseller relationship first."
	case found && st == TransferExpired:
		return "The transfer request expired: request it again."
	}
	return "Ready: request the transfer from the other partner."
}

// TransferFilter selects transfers across customers, for the lists the
// dashboard opens.
type TransferFilter = ListFilter[TransferStatus]
