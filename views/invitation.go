package views

// InvitePage is what the customer's admin sees when opening a valid link.
type InvitePage struct {
	Action       string
	PartnerName  string
	PartnerID    string
	CustomerName string
	Domain       string
	GDAP         *GDAPInvitationView // the admin roles asked; nil for none
	USGov        bool
	ExpiresAt    string
	// ResellerLink is the partner's reseller relationship link from
	// Partner Center, exactly as stored, where the customer's Global admin
	// accepts at Microsoft; empty where there is none (US Government).
	ResellerLink string
	Name         string
	Email        string
	GlobalAdmin  bool
	AcceptsMCA   bool
	// AcceptedAtMicrosoft is the box the customer ticks once it accepted
	// through ResellerLink.
	AcceptedAtMicrosoft bool
	Errors              map[string]string
}

// InviteDone thanks the customer after an answer.
type InviteDone struct {
	Accepted    bool
	PartnerName string
}
