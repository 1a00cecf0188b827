package domain

import (
	"slices"
	"time"
)

// AuditAction names what an audit entry records. Every action the app
// writes is one of the constants below, so the audit page can offer them
// all and show each with its label.
type AuditAction string

// The actions of the audit log, in alphabetical order of their codes; the
// codes are stored and exported, the labels are shown.
const (
	AuditAzureStepCorrected AuditAction = "azure_step_corrected"
	AuditAzureStepRecorded  AuditAction = "azure_step_recorded"

	// The billing transfer of an Azure Expert MSP (billing_transfer.go).
	AuditBillingTransferApproved  AuditAction = "billing_transfer_approved"
	AuditBillingTransferCancelled AuditAction = "billing_transfer_cancelled"
	AuditBillingTransferChecked   AuditAction = "billing_transfer_checked"
	AuditBillingTransferCompleted AuditAction = "billing_transfer_completed"
	AuditBillingTransferDeclined  AuditAction = "billing_transfer_declined"
	AuditBillingTransferExpired   AuditAction = "billing_transfer_expired"
	AuditBillingTransferSent      AuditAction = "billing_transfer_sent"
	AuditBillingTransferStarted   AuditAction = "billing_transfer_started"

	AuditCrossOriginRefused  AuditAction = "cross_origin_refused"
	AuditCSPPurchaseRecorded AuditAction = "csp_purchase_recorded"
	AuditCustomerChanged     AuditAction = "customer_changed"
	AuditCustomerCreated     AuditAction = "customer_created"
	AuditCustomersImported   AuditAction = "customers_imported"
	AuditForbidden           AuditAction = "forbidden"
	AuditGDAPApproved        AuditAction = "gdap_approved"
	AuditGDAPAssigned        AuditAction = "gdap_assigned"
	AuditGDAPLinkRecorded    AuditAction = "gdap_link_recorded"
	AuditGDAPTerminated      AuditAction = "gdap_terminated"
	AuditHostRefused         AuditAction = "host_refused"
	AuditImportMappingSaved  AuditAction = "import_mapping_saved"
	AuditInvitationAccepted  AuditAction = "invitation_accepted"
	AuditInvitationCreated   AuditAction = "invitation_created"
	AuditInvitationDeclined  AuditAction = "invitation_declined"
	AuditInvitationResent    AuditAction = "invitation_resent"
	AuditInvitationRevoked   AuditAction = "invitation_revoked"
	AuditMessageSentAgain    AuditAction = "message_sent_again"
	AuditPartnerCenterExport AuditAction = "partner_center_export_applied"
	AuditPasswordChanged     AuditAction = "password_changed"
	AuditPasswordResetSent   AuditAction = "password_reset_sent"
	AuditPasswordSet         AuditAction = "password_set"
	AuditRateLimited         AuditAction = "rate_limited"
	// AuditRelationshipApproved is no longer written: before verification
	// (issue 11) an acceptance was "approved". It keeps its label so the
	// entries written then still read and can be filtered.
	AuditRelationshipApproved  AuditAction = "relationship_approved"
	AuditRelationshipRejected  AuditAction = "relationship_rejected"
	AuditRelationshipRemoved   AuditAction = "relationship_removed"
	AuditRelationshipVerified  AuditAction = "relationship_verified"
	AuditRoleTemplateChanged   AuditAction = "role_template_changed"
	AuditSessionEnded          AuditAction = "session_ended"
	AuditSettingsChanged       AuditAction = "settings_changed"
	AuditSignIn                AuditAction = "sign_in"
	AuditSignInCodeAsked       AuditAction = "sign_in_code_asked"
	AuditSignInFailed          AuditAction = "sign_in_failed"
	AuditSignOut               AuditAction = "sign_out"
	AuditSubscriptionAdded     AuditAction = "subscription_added"
	AuditSubscriptionChanged   AuditAction = "subscription_changed"
	AuditSubscriptionRemoved   AuditAction = "subscription_removed"
	AuditSubscriptionsImported AuditAction = "subscriptions_imported"
	AuditTestMailQueued        AuditAction = "test_mail_queued"
	AuditTransferAccepted      AuditAction = "transfer_accepted"
	AuditTransferCancelled     AuditAction = "transfer_cancelled"
	AuditTransferCompleted     AuditAction = "transfer_completed"
	AuditTransferCreated       AuditAction = "transfer_created"
	AuditTransferIDRecorded    AuditAction = "transfer_id_recorded"
	AuditTransferRejected      AuditAction = "transfer_rejected"
	AuditTwoFactorEnabled      AuditAction = "two_factor_enabled"
	AuditTwoFactorFailed       AuditAction = "two_factor_failed"
	AuditTwoFactorReset        AuditAction = "two_factor_reset"
	AuditUserDeactivated       AuditAction = "user_deactivated"
	AuditUserInvited           AuditAction = "user_invited"
	AuditUserReactivated       AuditAction = "user_reactivated"
	AuditUserRoleChanged       AuditAction = "user_role_changed"
)

// auditLabels are the actions' names for people.
var auditLabels = map[AuditAction]string{
	AuditAzureStepCorrected: "Azure checklist step corrected",
	AuditAzureStepRecorded:  "Azure checklist step recorded",

	AuditBillingTransferApproved:  "Billing transfer approved by the customer",
	AuditBillingTransferCancelled: "Billing transfer cancelled",
	AuditBillingTransferChecked:   "Billing transfer prerequisites recorded",
	AuditBillingTransferCompleted: "Billing transfer completed",
	AuditBillingTransferDeclined:  "Billing transfer declined by the customer",
	AuditBillingTransferExpired:   "Billing transfer request expired",
	AuditBillingTransferSent:      "Billing transfer request sent",
	AuditBillingTransferStarted:   "Billing transfer checklist started",

	AuditCrossOriginRefused:    "Refused: sent from another site",
	AuditCSPPurchaseRecorded:   "Our CSP purchase recorded",
	AuditCustomerChanged:       "Customer changed",
	AuditCustomersImported:     "Customers imported from a list",
	AuditCustomerCreated:       "Customer created",
	AuditForbidden:             "Refused: role not allowed",
	AuditGDAPApproved:          "GDAP approved by the customer (recorded)",
	AuditGDAPAssigned:          "GDAP roles assigned to a security group (recorded)",
	AuditGDAPLinkRecorded:      "GDAP invitation link recorded",
	AuditGDAPTerminated:        "GDAP relationship terminated (recorded)",
	AuditHostRefused:           "Refused: addressed to another host name",
	AuditImportMappingSaved:    "Import column mapping saved",
	AuditInvitationAccepted:    "Invitation accepted by the customer",
	AuditInvitationCreated:     "Invitation created",
	AuditInvitationDeclined:    "Invitation declined by the customer",
	AuditInvitationResent:      "Invitation sent again",
	AuditInvitationRevoked:     "Invitation revoked",
	AuditMessageSentAgain:      "Failed message sent again",
	AuditPartnerCenterExport:   "Partner Center customer export applied",
	AuditPasswordChanged:       "Password changed",
	AuditPasswordResetSent:     "Password link sent",
	AuditPasswordSet:           "Password set",
	AuditRateLimited:           "Refused: too many attempts",
	AuditRelationshipApproved:  "Relationship approved (before verification)",
	AuditRelationshipRejected:  "Relationship rejected",
	AuditRelationshipRemoved:   "Relationship removed",
	AuditRelationshipVerified:  "Relationship verified in Partner Center",
	AuditRoleTemplateChanged:   "Role template changed",
	AuditSessionEnded:          "Session ended",
	AuditSettingsChanged:       "Settings changed",
	AuditSignIn:                "Signed in",
	AuditSignInCodeAsked:       "Password right, code asked",
	AuditSignInFailed:          "Sign-in failed",
	AuditSignOut:               "Signed out",
	AuditSubscriptionAdded:     "Subscription added",
	AuditSubscriptionChanged:   "Subscription changed",
	AuditSubscriptionRemoved:   "Subscription removed",
	AuditSubscriptionsImported: "Subscriptions imported",
	AuditTestMailQueued:        "Test message queued",
	AuditTransferAccepted:      "Transfer accepted by the other partner",
	AuditTransferCancelled:     "Transfer cancelled",
	AuditTransferCompleted:     "Transfer completed",
	AuditTransferCreated:       "Transfer requested",
	AuditTransferIDRecorded:    "Microsoft transfer id recorded",
	AuditTransferRejected:      "Transfer rejected by the other partner",
	AuditTwoFactorEnabled:      "Two-factor sign-in turned on",
	AuditTwoFactorFailed:       "Two-factor code refused",
	AuditTwoFactorReset:        "Two-factor sign-in turned off by an admin",
	AuditUserDeactivated:       "User deactivated",
	AuditUserInvited:           "User invited",
	AuditUserReactivated:       "User reactivated",
	AuditUserRoleChanged:       "User's role changed",
}

// AuditActions lists every action the log holds (what the app writes, and
// the approvals of before verification), in alphabetical order of their
// codes, as the audit page's filter offers them.
var AuditActions = func() []AuditAction {
	out := make([]AuditAction, 0, len(auditLabels))
	for a := range auditLabels {
		out = append(out, a)
	}
	slices.Sort(out)
	return out
}()

// Label is the action's name for people; an action the app does not know
// (written by an older or newer version) is shown as its code.
func (a AuditAction) Label() string {
	if l, ok := auditLabels[a]; ok {
		return l
	}
	return string(a)
}

// AuditEntry records who did what to which target, from where.
type AuditEntry struct {
	ID         int64
	At         time.Time
	ActorID    int64 // 0 when nobody is signed in
	ActorName  string
	CustomerID int64 // 0 when the entry is about no customer
	Action     AuditAction
	Target     string
	ClientIP   string
	Detail     string
}

// AuditFilter narrows the audit log. Every field left at its zero value
// filters nothing; the fields that are set must all match.
type AuditFilter struct {
	ActorID    int64       // entries by this user
	Action     AuditAction // entries of this action, such as sign_in_failed
	CustomerID int64       // entries about this customer
	// Customer holds words, each the start of a word of the name or the
	// domain of the customer the entry is about, as in the customer search.
	Customer string
	From     time.Time // entries at or after From
	To       time.Time // entries before To
}

// AuditRow is an audit entry with the name of the customer it is about
// (empty for none).
type AuditRow struct {
	AuditEntry
	CustomerName string
}
