package views

// RegionalCheck is the regional warning of the form for a new request.
type RegionalCheck struct {
	// Warning says the customer is outside the partner's CSP market, with
	// Microsoft's rule; "" when it is not.
	Warning string
	// Confirmed is the user's tick to send the request anyway.
	Confirmed bool
}
