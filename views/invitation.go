package views

import "strconv"

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
	// FirstName to Phone are who answers, prefilled with the invited
	// person; with CompanyName and AcceptsMCA they are the Microsoft
	// Customer Agreement attestation, asked unless USGov.
	FirstName   string
	LastName    string
	Email       string
	Phone       string
	CompanyName string
	// AgreementURL is where the customer reads the Microsoft Customer
	// Agreement.
	AgreementURL string
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

// InviteSteps are the headings of the customer's page after "1. Accept at
// Microsoft": the admin roles, numbered when there is a Microsoft link to
// approve them at, and the answer, numbered after them; Answer is empty
// where there is no step at Microsoft to number (US Government).
type InviteSteps struct {
	Roles  string
	Answer string
}

// Steps numbers the customer's steps: accepting through the partner's
// reseller link is the first, approving the admin roles through the GDAP
// link the next once there is one, and telling the partner last.
func (p InvitePage) Steps() InviteSteps {
	roles := "Admin roles " + p.PartnerName + " asks for"
	if p.ResellerLink == "" {
		return InviteSteps{Roles: roles}
	}
	n := 2
	if p.GDAP != nil && p.GDAP.Link != "" {
		roles, n = "2. Approve the admin roles at Microsoft", 3
	}
	return InviteSteps{Roles: roles, Answer: strconv.Itoa(n) + ". Tell " + p.PartnerName + " you accepted"}
}
