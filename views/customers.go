package views

import (
	"fmt"
	"strconv"
)

// CustomerPath is the address of a customer's page, or of one of its
// sub-pages when parts are given.
func CustomerPath(id int64, parts ...string) string {
	p := fmt.Sprintf("/customers/%d", id)
	for _, part := range parts {
		p += "/" + part
	}
	return p
}

// SubscriptionPath is the address of one subscription of a customer.
func SubscriptionPath(customerID, id int64, parts ...string) string {
	return CustomerPath(customerID, append([]string{"subscriptions", fmt.Sprint(id)}, parts...)...)
}

// Option is one choice of a select.
type Option struct {
	Value string
	Label string
}

// CustomerList is one page of the customer list with its search and order.
type CustomerList struct {
	Query  string
	Needs  string // the dashboard's filter, kept by search and sort
	Filter string // what the filter shows, in words
	Sort   string
	Rows   []CustomerRow
	Total  int
	// MoreThan says that a search matched more than the Total customers it
	// shows (domain.SearchMatchCap).
	MoreThan  bool
	Pager     Pager
	SortLinks []SortLink
}

// SortLink offers one order of the list.
type SortLink struct {
	Label   string
	Href    string
	Current bool
}

// CustomerRow is one customer in the list.
type CustomerRow struct {
	ID            int64
	Name          string
	Domain        string
	Country       string
	Subscriptions int
	Unclassified  int
	Changed       string
}

// StepView is one step of the walk-through stepper.
type StepView struct {
	Number  int
	Name    string
	Href    string
	State   string // in words: done, to do, nothing to do
	Done    bool
	Nothing bool // none of the customer's subscriptions needs the step
	Current bool
}

// CustomerHeader is what every page of a customer shows on top, with the
// counts of its inventory.
type CustomerHeader struct {
	ID            int64
	Name          string
	Steps         []StepView
	Subscriptions int
	Unclassified  int
	// StepNote says what the current step's state means, under the
	// page's title, in the same words for the stepper and the page; empty
	// for none.
	StepNote string
	// StepLinks are the current step's other pages (the billing transfer
	// beside the transfers from another partner).
	StepLinks []Link
}

// Link is a link's address and words.
type Link struct {
	Label string
	Href  string
}

// CustomerDetails is the customer's own page, step 1.
type CustomerDetails struct {
	Header       CustomerHeader
	Domain       string
	TenantID     string
	Country      string
	AdminName    string
	AdminEmail   string
	IsCSPPartner bool
	Created      string
	Changed      string
}

// CustomerForm creates or edits a customer.
type CustomerForm struct {
	Header    *CustomerHeader // nil for a new customer
	Title     string
	Action    string
	Cancel    string
	Values    CustomerValues
	Errors    map[string]string
	Stale     *StaleNotice // someone saved the customer after the form was filled
	Version   int64        // of the customer the form was filled from; 0 for a new one
	Countries []Option
}

// CustomerValues are the fields of the customer form as typed.
type CustomerValues struct {
	Name         string
	Domain       string
	TenantID     string
	Country      string
	AdminName    string
	AdminEmail   string
	IsCSPPartner bool
}

// Inventory is a customer's subscriptions, step 2.
type Inventory struct {
	Header    CustomerHeader
	Rows      []SubscriptionRow
	Total     int
	Pager     Pager
	Add       SubscriptionForm
	Catalogue []CatalogueEntry
	Offers    []Option // the common Azure offer ids, the value, with their names
}

// CatalogueEntry is a product suggestion and the service type it fills.
type CatalogueEntry struct {
	Name        string
	ServiceType string
}

// SubscriptionRow is one subscription in the inventory table.
type SubscriptionRow struct {
	CustomerID     int64
	ID             int64
	Product        string
	ServiceType    string
	Channel        string
	Quantity       string
	TermEnd        string
	Terms          string // the terms known, in a few words; empty when none are
	OfferID        string // the Azure offer or quota id; empty when not known
	ReferenceLabel string
	Reference      string
	Notes          string
	Workflow       string
	WorkflowLabel  string
	Reason         string
	HelpHref       string   // a page that says more about the reason; "" for none
	Channels       []Option // the "not yet known" choice first
	ServiceTypes   []Option // the "not yet known" choice first
	Version        int64    // of the subscription as the row shows it
	Error          string   // why the last change of the row was refused
	// Retry offers the classification that was refused because the row was
	// stale, to apply it on top of the version shown.
	Retry *RowRetry
}

// RowRetry is a refused classification offered again: the codes to send and
// the labels to show.
type RowRetry struct {
	Channel, ServiceType string
	Label                string
}

// DOMID is the id of the row's element, the target of its htmx swaps.
func (r SubscriptionRow) DOMID() string { return fmt.Sprintf("sub-%d", r.ID) }

// RowChange is the answer to an htmx change of a row: the row (nil when it
// was removed) and the stepper and count it changed.
type RowChange struct {
	Row    *SubscriptionRow
	Header CustomerHeader
}

// SubscriptionForm adds or edits a subscription.
type SubscriptionForm struct {
	CustomerID     int64
	ID             int64 // 0 when adding
	Action         string
	Values         SubscriptionValues
	Errors         map[string]string
	Stale          *StaleNotice // someone saved the subscription after the form was filled
	Version        int64        // of the subscription the form was filled from; 0 when adding
	Channels       []Option     // the "not yet known" choice first
	ServiceTypes   []Option     // the "not yet known" choice first
	Terms          TermChoices
	ReferenceLabel string
}

// TermChoices are the choices of a licence's terms in the subscription
// form, each led by "not known".
type TermChoices struct {
	Commerces          []Option
	TermLengths        []Option
	BillingFrequencies []Option
	AutoRenews         []Option
}

// DOMID is the id of the edited row, the target of its htmx swaps; the
// add form, which has no row, is "add".
func (f SubscriptionForm) DOMID() string {
	if f.ID == 0 {
		return "add"
	}
	return fmt.Sprintf("sub-%d", f.ID)
}

// SubscriptionValues are the fields of the subscription form as typed.
type SubscriptionValues struct {
	Product     string
	ServiceType string
	Channel     string
	Quantity    string
	TermEnd     string
	Reference   string
	Notes       string
	// The terms, as codes, the term start as YYYY-MM-DD, and the Azure
	// offer or quota id.
	Commerce         string
	TermLength       string
	BillingFrequency string
	AutoRenew        string
	TermStart        string
	OfferID          string
}

// SubscriptionEdit is the page that edits one subscription without
// JavaScript.
type SubscriptionEdit struct {
	Header    CustomerHeader
	Form      SubscriptionForm
	Catalogue []CatalogueEntry
	Offers    []Option // as Inventory's
}

// Plural picks the word for n things.
func Plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// inventoryCount is how many subscriptions the customer bought elsewhere,
// and how many are not yet classified: "12, 3 not yet classified".
func inventoryCount(h CustomerHeader) string {
	s := strconv.Itoa(h.Subscriptions)
	if h.Unclassified > 0 {
		s += ", " + strconv.Itoa(h.Unclassified) + " not yet classified"
	}
	return s
}
