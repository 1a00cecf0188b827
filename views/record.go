package views

// Record is a customer's onboarding record: one printable page a partner
// hands to the customer, with what was agreed and where each subscription
// stands.
type Record struct {
	Header        CustomerHeader
	Customer      RecordCustomer
	Partner       RecordPartner
	Relationship  RecordRelationship
	Subscriptions []RecordSubscription
	Transfers     []RecordTransfer
	TermEnds      []RecordTermEnd // licences whose term ends ahead, soonest first
	Produced      string          // when the record was produced
	PrintHref     string
	JSONHref      string
	CSVHref       string
}

// RecordCustomer is the customer as the record names it.
type RecordCustomer struct {
	Name       string
	Domain     string
	TenantID   string // empty when not known
	Country    string
	AdminName  string
	AdminEmail string
}

// RecordPartner is the partner as the record names it.
type RecordPartner struct {
	Name      string
	PartnerID string
}

// RecordRelationship is the customer's reseller relationship request in
// force or under way; Exists is false when there is none.
type RecordRelationship struct {
	Exists      bool
	Status      string // the state's code, for styling
	StatusLabel string
	Recipient   string // who the invitation was sent to
	SentBy      string
	SentAt      string
	ExpiresAt   string // while waiting for the customer
	AcceptedBy  string // empty until the customer accepted
	AcceptedAt  string
	// Verified says who verified the relationship in Partner Center and
	// when, by hand or from its export; empty until then.
	Verified   string
	Roles      []string // admin roles granted or asked for; none for the reseller relationship alone
	RolesDays  int
	RolesFrom  string // empty until the customer granted them
	RolesUntil string
	AutoExtend bool
}

// RecordSubscription is one subscription with its workflow and where it
// stands.
type RecordSubscription struct {
	Product       string
	Seats         string // empty when none or not known
	ServiceType   string
	Channel       string
	Workflow      string // the workflow's code, for styling
	WorkflowLabel string
	Reason        string
	Stage         string
	TermEnd       string // empty when none
	DaysLeft      string // empty when there is no term end
	Terms         string // the terms known, in a few words; empty when none are
	TransferredOn string // empty unless a completed transfer carried it
}

// RecordTransfer is one transfer request (Azure or new-commerce licences)
// with its dates.
type RecordTransfer struct {
	OtherPartner  string
	Subscriptions []string
	Products      string
	Status        string // the state's code
	StatusLabel   string
	Badge         string // the class that colours the state's badge
	StatusNote    string // when it expires, expired or was cancelled, e.g. "until 2026-05-01"; why it was rejected; the billing split once complete
	RequestedOn   string
	AcceptedOn    string
	CompletedOn   string
}

// RecordTermEnd is one licence whose term ends ahead.
type RecordTermEnd struct {
	Product  string
	Channel  string
	TermEnd  string
	DaysLeft string
}
