package views

// AttestationView is the customer's Microsoft Customer Agreement
// attestation as staff see it on a request.
type AttestationView struct {
	Name        string // first and last name
	Email       string
	Phone       string // "" when not given
	CompanyName string
	AcceptedAt  string
	// AgreementURL is where the customer page sent the customer to read
	// the agreement.
	AgreementURL string
	// Record is the attestation in the fields of Microsoft's agreement
	// API, to copy.
	Record string
	// Provider is who attests for an indirect reseller, its indirect
	// provider, named when known; "" when the partner attests itself.
	Provider string
}
