package domain

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// Customer is an organisation whose subscriptions bought elsewhere the
// partner is asked to manage and support.
type Customer struct {
	ID           int64
	Name         string // company name
	Domain       string // primary domain, lower-case, e.g. contoso.onmicrosoft.com
	TenantID     string // Microsoft Entra tenant id (a GUID), optional
	Country      string // ISO 3166-1 alpha-2, upper-case
	AdminName    string // the customer's Global admin, who receives the invitation
	AdminEmail   string
	IsCSPPartner bool // the customer buys through its own CSP transaction tenant
	CreatedAt    time.Time
	UpdatedAt    time.Time // last change of the customer or its inventory
	Version      Version   // of the customer's own details; see Version
}

var (
	domainPattern = regexp.MustCompile(`^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$`)
	guidPattern   = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)
)

// NormalizeTenantID puts a tenant id (a GUID) as typed in its canonical
// form: trimmed, without braces, lower-case.
func NormalizeTenantID(s string) string {
	return strings.ToLower(strings.Trim(strings.TrimSpace(s), "{}"))
}

// Normalize trims the fields and puts the domain, tenant id and country in
// their canonical case, so that what is stored compares simply.
func (c Customer) Normalize() Customer {
	c.Name = strings.TrimSpace(c.Name)
	c.Domain = strings.ToLower(strings.TrimSuffix(strings.TrimSpace(c.Domain), "."))
	c.TenantID = NormalizeTenantID(c.TenantID)
	c.Country = strings.ToUpper(strings.TrimSpace(c.Country))
	c.AdminName = strings.TrimSpace(c.AdminName)
	if email, err := NormalizeEmail(c.AdminEmail); err == nil {
		c.AdminEmail = email
	} else {
		c.AdminEmail = strings.TrimSpace(c.AdminEmail)
	}
	return c
}

// Validate checks a normalised customer and returns the problems by field.
func (c Customer) Validate() FieldErrors {
	errs := FieldErrors{}
	switch {
	case c.Name == "":
		errs["name"] = "Enter the company name."
	case utf8.RuneCountInString(c.Name) > 200:
		errs["name"] = "Use at most 200 characters."
	}
	if len(c.Domain) > 253 || !domainPattern.MatchString(c.Domain) {
		errs["domain"] = "Enter a domain such as contoso.onmicrosoft.com."
	}
	if c.TenantID != "" && !guidPattern.MatchString(c.TenantID) {
		errs["tenant_id"] = "A tenant id is a GUID such as 72f988bf-86f1-41af-91ab-2d7cd011db47, or leave it empty."
	}
	if !IsCountryCode(c.Country) {
		errs["country"] = "Choose a country (ISO 3166 two-letter code such as GB or US)."
	}
	switch {
	case c.AdminName == "":
		errs["admin_name"] = "Enter the name of the customer's Global admin."
	case utf8.RuneCountInString(c.AdminName) > 200:
		errs["admin_name"] = "Use at most 200 characters."
	}
	if _, err := NormalizeEmail(c.AdminEmail); err != nil {
		errs["admin_email"] = "Enter the Global admin's e-mail address, such as admin@contoso.com."
	}
	return errs
}

// CustomerSort orders the customer list.
type CustomerSort string

// The orders of the customer list.
const (
	SortByName          CustomerSort = "name"
	SortByNameDesc      CustomerSort = "-name"
	SortByChanged       CustomerSort = "-changed" // most recently changed first
	SortByChangedOldest CustomerSort = "changed"
)

// CustomerQuery selects a page of customers.
type CustomerQuery struct {
	Search string // words; each must start a word of the name or the domain
	Sort   CustomerSort
	Page   Page
	// Having, when set, keeps customers that are not CSP partners and have a
	// subscription with one of these class keys.
	Having []ClassKey
	// UsageInProgress keeps customers with a checklist between recording the
	// CSP subscription and cancelling the old one, or a transfer in progress.
	UsageInProgress bool
}

// CustomerFilter names a filter of the customer list that the dashboard
// links to.
type CustomerFilter string

// The filters of the customer list.
const (
	FilterToClassify      CustomerFilter = "classification"
	FilterUsageInProgress CustomerFilter = "usage"
)

// KeysIn lists every class key, unknown values included, that the rules
// put in workflow w for a customer that is not a CSP partner, so that a
// store can select by the rules' inputs without deciding. It is a pure
// function of a few dozen possible inputs that the planner and the
// dashboard ask of on every view, each answer some thousand
// classifications: each is worked out once (keysInOnce) and handed out as
// a copy.
func KeysIn(w Workflow, r Rules) []ClassKey {
	key := keysInKey{w, r}
	if keys, ok := keysInDone.Load(key); ok {
		return slices.Clone(keys.([]ClassKey))
	}
	keys := keysInOnce(w, r)
	keysInDone.Store(key, keys)
	return slices.Clone(keys)
}

// keysInKey is an input of KeysIn; Rules must stay comparable.
type keysInKey struct {
	w Workflow
	r Rules
}

// keysInDone holds KeysIn's answers by input.
var keysInDone sync.Map

// keysInOnce works KeysIn out.
func keysInOnce(w Workflow, r Rules) []ClassKey {
	var out []ClassKey
	for _, ch := range append([]Channel{ChannelUnknown}, Channels...) {
		for _, st := range append([]ServiceType{ServiceUnknown}, ServiceTypes...) {
			for _, cm := range append([]Commerce{CommerceUnknown}, Commerces...) {
				for _, ok := range OfferKinds {
					k := ClassKey{Channel: ch, ServiceType: st, Commerce: cm, Offer: ok}
					if Classify(k, false, r).Workflow == w {
						out = append(out, k)
					}
				}
			}
		}
	}
	return out
}

// CustomerListItem is a customer with the counts of its subscriptions by
// channel and service type, from which the list shows its summary.
type CustomerListItem struct {
	Customer Customer
	Counts   []ClassCount
}

// CountIn adds up the counts whose class key the rules put in workflow w,
// for a customer that is, or is not, a CSP partner.
func CountIn(w Workflow, cspPartner bool, r Rules, counts []ClassCount) int {
	n := 0
	for _, cc := range counts {
		if Classify(cc.ClassKey, cspPartner, r).Workflow == w {
			n += cc.Count
		}
	}
	return n
}

// ClassCount is how many of a customer's subscriptions have one class key.
type ClassCount struct {
	ClassKey
	Count int
}

// Summarize counts a customer's subscriptions and those whose workflow the
// rules cannot choose yet. It asks Classify, so a CSP-partner customer or a
// Syndication purchase is never "to classify".
func Summarize(c Customer, r Rules, counts []ClassCount) InventorySummary {
	var sum InventorySummary
	for _, cc := range counts {
		sum.Total += cc.Count
		switch w := Classify(cc.ClassKey, c.IsCSPPartner, r).Workflow; {
		case w == WorkflowNeedsClassification:
			sum.Unclassified += cc.Count
		case w == WorkflowAzureNewSubscription:
			sum.NewAzure += cc.Count
		case w.Transfer():
			sum.Transfers += cc.Count
			if w == WorkflowAzureBillingTransfer {
				sum.BillingTransfers += cc.Count
			}
		}
	}
	return sum
}

// Subscription is one subscription a customer bought elsewhere.
type Subscription struct {
	ID          int64
	CustomerID  int64
	Product     string
	ServiceType ServiceType
	Channel     Channel
	Quantity    int        // seats; licence-based only, 0 when not given
	TermEnd     *time.Time // licence-based only; a date at midnight UTC
	Reference   string
	Notes       string
	// Commerce, TermLength, BillingFrequency, AutoRenew and TermStart
	// describe a licence's term where they are known; like the term end
	// they are kept whatever the service type.
	Commerce         Commerce
	TermLength       TermLength
	BillingFrequency BillingFrequency
	AutoRenew        AutoRenew
	TermStart        *time.Time // a date at midnight UTC
	// OfferID is an Azure subscription's offer id (MS-AZR-0003P) or quota
	// id (PayAsYouGo_2014-09-01) where known; OfferKind is what the rules
	// read of it, set by Normalize.
	OfferID   string
	OfferKind OfferKind
	CreatedAt time.Time
	UpdatedAt time.Time
	Version   Version // of the fields people edit; see Version
}

// Limits on subscription fields.
const (
	MaxQuantity       = 1_000_000
	maxProductLength  = 200
	maxRefLength      = 200
	maxNotesLength    = 2000
	maxOfferIDLength  = 100
	DateLayout        = "2006-01-02"
	maxYearsAheadTerm = 10
)

// Normalize trims the text fields and takes the service type from the
// catalogue when it is not known. Seats and term end are kept whatever the
// service type, so a mistaken switch to usage-based loses nothing; Seats and
// Term give them where they apply.
func (s Subscription) Normalize() Subscription {
	s.Product = strings.TrimSpace(s.Product)
	s.Reference = strings.TrimSpace(s.Reference)
	s.Notes = strings.TrimSpace(s.Notes)
	s.OfferID = NormalizeOfferID(s.OfferID)
	s.OfferKind = OfferKindOf(s.OfferID)
	if s.ServiceType == ServiceUnknown {
		if t, ok := CatalogueServiceType(s.Product); ok {
			s.ServiceType = t
		}
	}
	return s
}

// Seats is the seat count where it applies: not for usage-based Azure.
func (s Subscription) Seats() int {
	if s.ServiceType == ServiceUsage {
		return 0
	}
	return s.Quantity
}

// Term is the term end where it applies: not for usage-based Azure.
func (s Subscription) Term() *time.Time {
	if s.ServiceType == ServiceUsage {
		return nil
	}
	return s.TermEnd
}

// checkProduct puts in errs what is wrong with a product name: missing
// when there is none, too long past maxProductLength characters.
func checkProduct(errs FieldErrors, product, missing string) {
	switch {
	case product == "":
		errs["product"] = missing
	case utf8.RuneCountInString(product) > maxProductLength:
		errs["product"] = "Use at most 200 characters."
	}
}

// FormatQuantity writes a seat count, empty when there is none.
func FormatQuantity(n int) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n)
}

// FormatDate writes a date as YYYY-MM-DD, empty when there is none.
func FormatDate(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.Format(DateLayout)
}

// Validate checks a normalised subscription on the day today and returns the
// problems by field.
func (s Subscription) Validate(today time.Time) FieldErrors {
	errs := FieldErrors{}
	checkProduct(errs, s.Product, "Enter the product, such as Microsoft 365 E3.")
	if s.ServiceType != ServiceUnknown && !s.ServiceType.Valid() {
		errs["service_type"] = "Choose licence-based or usage-based, or leave it unknown."
	}
	if s.Channel != ChannelUnknown && !s.Channel.Valid() {
		errs["channel"] = "Choose one of the channels, or leave it unknown."
	}
	if s.Quantity < 0 || s.Quantity > MaxQuantity {
		errs["quantity"] = "Enter a number of seats from 0 to 1,000,000."
	}
	if s.TermEnd != nil {
		if y := s.TermEnd.Year(); y < 2000 || y > today.Year()+maxYearsAheadTerm {
			errs["term_end"] = "Enter a term end date between 2000 and ten years from now."
		}
	}
	if s.TermStart != nil {
		switch y := s.TermStart.Year(); {
		case y < 2000 || y > today.Year()+maxYearsAheadTerm:
			errs["term_start"] = "Enter a term start date between 2000 and ten years from now."
		case s.TermEnd != nil && !s.TermStart.Before(*s.TermEnd):
			errs["term_start"] = "The term must start before it ends."
		}
	}
	if s.Commerce != CommerceUnknown && !s.Commerce.Valid() {
		errs["commerce"] = "Choose new commerce or legacy, or leave it unknown."
	}
	if s.TermLength != TermUnknown && !s.TermLength.Valid() {
		errs["term_length"] = "Choose one month, one year or three years, or leave it unknown."
	}
	if s.BillingFrequency != BillingUnknown && !s.BillingFrequency.Valid() {
		errs["billing_frequency"] = "Choose monthly, annual or every three years, or leave it unknown."
	}
	if s.AutoRenew != AutoRenewUnknown && !s.AutoRenew.Valid() {
		errs["auto_renew"] = "Choose on or off, or leave it unknown."
	}
	if utf8.RuneCountInString(s.OfferID) > maxOfferIDLength {
		errs["offer_id"] = "Use at most 100 characters."
	}
	if utf8.RuneCountInString(s.Reference) > maxRefLength {
		errs["reference"] = "Use at most 200 characters."
	}
	if utf8.RuneCountInString(s.Notes) > maxNotesLength {
		errs["notes"] = "Use at most 2,000 characters."
	}
	return errs
}

// ParseQuantity reads a seat count; empty is 0.
func ParseQuantity(s string) (int, bool) {
	s = strings.ReplaceAll(strings.TrimSpace(s), ",", "")
	if s == "" {
		return 0, true
	}
	n := 0
	for _, r := range s {
		if r < '0' || r > '9' || n > MaxQuantity {
			return 0, false
		}
		n = n*10 + int(r-'0')
	}
	return n, n <= MaxQuantity
}

// ParseDate reads a date written YYYY-MM-DD; empty is no date.
func ParseDate(s string) (*time.Time, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, true
	}
	t, err := time.Parse(DateLayout, s)
	if err != nil {
		return nil, false
	}
	return &t, true
}

// DaysLeft is the number of whole days from today until the term end,
// negative once it has passed.
func DaysLeft(termEnd time.Time, today time.Time) int {
	y, m, d := today.Date()
	start := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	return int(termEnd.Sub(start).Hours() / 24)
}

// ReferenceLabel names the reference field for a channel and service type:
// what identifies the subscription where it was bought.
func ReferenceLabel(channel Channel, service ServiceType) string {
	switch channel {
	case ChannelEA:
		if service == ServiceUsage {
			return "EA enrollment number or Azure subscription id"
		}
		return "EA enrollment number"
	case ChannelOpen:
		return "Licence or agreement number (MPSA, Select Plus, Open Value)"
	case ChannelOtherCSP:
		return "The other partner's name"
	case ChannelThirdParty:
		return "The reseller's name"
	case ChannelSyndication:
		return "The Syndication partner's name"
	case ChannelAdvisor:
		return "The advisor's name"
	}
	if service == ServiceUsage {
		return "Azure subscription id"
	}
	return "Order or billing account number"
}

// BatchStatus is where an uploaded CSV stands.
type BatchStatus string

// The states of an import batch.
const (
	BatchPreview  BatchStatus = "preview"  // parsed and shown; waits for the user to confirm
	BatchImported BatchStatus = "imported" // its subscriptions are in the inventory
)

// ErrBatchImported refuses to confirm a batch that is not in preview any
// more: its subscriptions are in the inventory already.
var ErrBatchImported = Conflict("This file was already imported; importing it again would add its subscriptions twice.")

// ImportBatch is a parsed file waiting for the user to confirm it. Source
// is the Microsoft export its rows were read from (an msexports format), ""
// for a file of ours.
type ImportBatch struct {
	ID         int64
	CustomerID int64
	Filename   string
	Source     string
	Rows       []BatchRow
	Reading    ImportReading
	Imported   bool
	CreatedAt  time.Time
}

// ImportReading is how the file of a batch was read, kept with the batch
// so that its preview, shown again after the uploader changed a guess,
// says it as the first one did: the text encoding, the sheet of a
// workbook and its others, the order numeric dates were read in (and
// whether the file left it open or the uploader chose it), and the
// columns a mapping left out or whether it was the remembered one.
type ImportReading struct {
	Encoding       string    `json:"encoding,omitempty"`
	Sheet          string    `json:"sheet,omitempty"`
	Sheets         []string  `json:"sheets,omitempty"`
	DateOrder      DateOrder `json:"date_order,omitempty"`
	DatesAmbiguous bool      `json:"dates_ambiguous,omitempty"`
	DatesChosen    bool      `json:"dates_chosen,omitempty"`
	Ignored        []string  `json:"ignored,omitempty"`
	Remembered     bool      `json:"remembered,omitempty"`
}

// InventoryExport is what a customer's inventory file is written from: the
// customer, the partner's rules, which give each line its workflow, and
// the subscriptions, read as the file is written.
type InventoryExport struct {
	Customer      Customer
	Rules         Rules
	Subscriptions Rows[Subscription]
}

// CustomerInventory is a customer with its subscriptions.
type CustomerInventory struct {
	Customer      Customer
	Subscriptions []Subscription
	// Rules are the partner's rules the export classifies them under; a
	// seed ignores them.
	Rules Rules
}

// SeedData is a whole starting data set, stored in one transaction into an
// empty database.
type SeedData struct {
	Partner       Partner
	Users         []User // with password hashes
	Customers     []CustomerInventory
	Relationships []SeedRelationship
	Migrations    []SeedMigration
	Transfers     []SeedTransfer
	Billing       []SeedBillingTransfer
	RoleTemplates []RoleTemplate // written before the relationships, whose GDAP requests name them
	Purchases     []SeedPurchase
}

// SeedPurchase is a CSP purchase of the starting data, naming its customer
// by domain, the subscription it replaces by product ("" for none) and who
// recorded it by e-mail.
type SeedPurchase struct {
	CustomerDomain  string
	ReplacesProduct string
	RecordedBy      string
	Purchase        CSPPurchase
}

// SeedMigration is a checklist of the starting data, naming its
// subscription by customer domain and product.
type SeedMigration struct {
	CustomerDomain string
	Product        string
	Migration      AzureMigration
}

// SeedTransfer is a transfer of the starting data, in any state, naming its
// subscriptions by product and its people by e-mail.
type SeedTransfer struct {
	CustomerDomain string
	Products       []string // the products of the customer's subscriptions it carries
	CreatedBy      string
	EndedBy        string
	Transfer       Transfer
}

// SeedRelationship is a relationship request of the starting data, in any
// state, naming its customer by domain and its people by e-mail.
type SeedRelationship struct {
	Request        RelationshipRequest // status, recipient, roles, times, answer and reason
	CustomerDomain string
	CreatedBy      string
	ReviewedBy     string // empty when not reviewed
	EndedBy        string // empty when not revoked or removed
	TokenHash      []byte // pending requests only
	Draft          *EmailMessage
	Attestation    *Attestation // the customer's MCA attestation, for one it accepted
	// GDAPTemplate names the role template its GDAP request (Request.GDAP)
	// started from; empty for none. The request's staff are CreatedBy.
	GDAPTemplate string
}

// SeedCustomer is one customer of a generated book of business with the work
// under way for it, written as it stands by a bulk seed. Its migrations and
// transfers name subscriptions by their index in Subscriptions, and its
// people by e-mail.
type SeedCustomer struct {
	CustomerInventory
	CreatedBy     string // who added the customer
	Relationships []SeedRelationship
	Migrations    []SeedCustomerMigration
	Transfers     []SeedCustomerTransfer
}

// SeedCustomerMigration is a checklist of a SeedCustomer for the
// subscription at index Subscription.
type SeedCustomerMigration struct {
	Subscription int
	Migration    AzureMigration
}

// SeedCustomerTransfer is a transfer of a SeedCustomer carrying the
// subscriptions at the indexes Subscriptions.
type SeedCustomerTransfer struct {
	Subscriptions []int
	CreatedBy     string
	EndedBy       string
	Transfer      Transfer
}
