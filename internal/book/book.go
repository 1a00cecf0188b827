// Package book generates a synthetic book of business: customers with the
// subscriptions a large CSP partner takes over, in realistic proportions,
// and the work under way for them (relationship requests, Azure checklists,
// transfers), so that the app can be tried and measured at a partner's size
// (`multichannel seed`). The same size, staff and day give the same book.
package book

import (
	"crypto/sha256"
	"fmt"
	"iter"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/wingtip/multichannel/internal/domain"
)

// Size is how big a book is.
type Size struct {
	Customers     int
	Subscriptions int
}

// Staff are the partner users a book names as having done its work.
type Staff struct {
	Admins []string // e-mails of those who review and end relationships
	Agents []string // e-mails of those who add customers, invite and transfer
}

// Shape of a book: most customers have 3 to 20 subscriptions; one in a
// thousand is part of a long tail whose largest has up to largestCustomer.
const (
	fewest          = 3
	most            = 20
	tailEvery       = 1000
	largestCustomer = 7000
	historyDays     = 3 * 365 // customers were added, and terms end, over three years
)

// Customers streams the book of size, one customer at a time, dated from
// today. Its subscriptions add up to size.Subscriptions exactly.
func Customers(size Size, staff Staff, today time.Time) iter.Seq[domain.SeedCustomer] {
	return func(yield func(domain.SeedCustomer) bool) {
		g := generator{
			rnd:   rand.New(rand.NewPCG(uint64(size.Customers), uint64(size.Subscriptions))),
			staff: staff,
			today: time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, time.UTC),
		}
		sizes := newSizer(size)
		for i := range size.Customers {
			if !yield(g.customer(i, sizes.next(i, g.rnd))) {
				return
			}
		}
	}
}

// sizer hands out subscription counts: the long tail first at its places,
// then the rest spread so that the total comes out exact.
type sizer struct {
	tail      map[int]int // count by customer index
	left      int         // subscriptions not handed out yet, outside the tail
	customers int         // customers left to serve, outside the tail
}

func newSizer(size Size) *sizer {
	s := &sizer{tail: map[int]int{}, left: size.Subscriptions}
	tails := max(1, size.Customers/tailEvery)
	largest := min(largestCustomer, size.Subscriptions/10)
	if size.Customers < 2 || largest <= most {
		tails = 0
	}
	step := max(1, size.Customers/max(tails, 1))
	for i := range tails {
		n := max(most+1, largest/(i+1))
		if n > s.left {
			break
		}
		s.tail[i*step] = n
		s.left -= n
	}
	s.customers = size.Customers - len(s.tail)
	return s
}

// next is the count of customer i.
func (s *sizer) next(i int, rnd *rand.Rand) int {
	if n, ok := s.tail[i]; ok {
		return n
	}
	s.customers--
	if s.customers == 0 {
		n := s.left
		s.left = 0
		return n
	}
	mean := float64(s.left) / float64(s.customers+1)
	lo, hi := fewest, most
	if mean < fewest {
		lo = 0
	}
	if mean > most {
		hi = int(2 * mean)
	}
	n := min(max(int(mean*(0.3+1.4*rnd.Float64())+0.5), lo), hi, s.left)
	s.left -= n
	return n
}

// generator draws a book's customers from one seeded source.
type generator struct {
	rnd   *rand.Rand
	staff Staff
	today time.Time
}

var (
	prefixes = []string{"Contoso", "Fabrikam", "Northwind", "Tailspin", "Woodgrove", "Alpine", "Adventure Works", "Litware", "Proseware",
		"Lucerne", "Wide World", "Coho", "Fourth Coffee", "Trey", "Humongous", "Blue Yonder", "Relecloud", "VanArsdel", "Adatum", "Margie's",
		"Graphic Design", "School of Fine Art", "Southridge", "Lamna", "Munson's", "Consolidated", "Bellows", "Datum", "Fincher", "Nod"}
	sectors = []string{"Legal", "Clinics", "Logistics", "Foods", "Studio", "Engineering", "Retail", "Holdings", "Dental", "Architects",
		"Accounting", "Media", "Travel", "Insurance", "Pharmacy", "Construction", "Hotels", "Schools", "Motors", "Energy"}
	places = []struct{ city, country string }{
		{"London", "GB"}, {"Leeds", "GB"}, {"Dublin", "IE"}, {"Seattle", "US"}, {"Austin", "US"}, {"Boston", "US"}, {"Toronto", "CA"},
		{"Berlin", "DE"}, {"Munich", "DE"}, {"Paris", "FR"}, {"Lyon", "FR"}, {"Amsterdam", "NL"}, {"Zurich", "CH"}, {"Madrid", "ES"},
		{"Milan", "IT"}, {"Stockholm", "SE"}, {"Oslo", "NO"}, {"Sydney", "AU"}, {"Auckland", "NZ"}, {"Singapore", "SG"}, {"Tokyo", "JP"},
		{"Mumbai", "IN"}, {"Sao Paulo", "BR"}, {"Cape Town", "ZA"}}
	firstNames = []string{"Megan", "Alex", "Diego", "Isaiah", "Lidia", "Nestor", "Patti", "Johanna", "Henrietta", "Lynne", "Adele",
		"Grady", "Irvin", "Joni", "Lee", "Miriam", "Pradeep", "Christie", "Debra", "Enrico"}
	lastNames = []string{"Bowen", "Wilber", "Siciliani", "Langer", "Holloway", "Wilke", "Fernandez", "Lorenz", "Mueller", "Robbins",
		"Vance", "Archie", "Sayers", "Sherman", "Gu", "Graham", "Gupta", "Cline", "Berg", "Rossi"}
	otherPartners = []string{"Trey Research CSP", "Litware Cloud Services", "Fourth Coffee Cloud", "Datacom Resellers", "Tech Data Resale"}
	licences      = []string{"Microsoft 365 Business Basic", "Microsoft 365 Business Standard", "Microsoft 365 Business Premium",
		"Microsoft 365 E3", "Microsoft 365 E5", "Microsoft 365 F3", "Office 365 E1", "Office 365 E3", "Office 365 E5",
		"Exchange Online (Plan 1)", "Exchange Online (Plan 2)", "Microsoft Teams Essentials", "Microsoft 365 Copilot",
		"Dynamics 365 Sales Enterprise", "Dynamics 365 Business Central", "Power BI Pro", "Visio Plan 2", "Project Plan 3"}
	usages    = []string{"Azure plan", "Azure subscription", "Azure subscription", "Azure reservation", "Azure savings plan"}
	workloads = []string{"production", "dev/test", "analytics", "web", "backup", "identity", "data platform", "sandbox"}
	// A customer buys through one to three of these; the weights are how
	// often each comes up.
	channels = weighted[domain.Channel]{
		{domain.ChannelMicrosoftDirect, 25}, {domain.ChannelOtherCSP, 22}, {domain.ChannelEA, 10}, {domain.ChannelOpen, 8},
		{domain.ChannelAdvisor, 5}, {domain.ChannelThirdParty, 12}, {domain.ChannelSyndication, 3}, {domain.ChannelUnknown, 15},
	}
	relationshipStates = weighted[domain.RelationshipStatus]{
		{domain.StatusActive, 40}, {domain.StatusPending, 15}, {domain.StatusAccepted, 10}, {domain.StatusDeclined, 7},
		{domain.StatusRejected, 5}, {domain.StatusRevoked, 8}, {domain.StatusExpired, 10}, {domain.StatusRemoved, 5},
	}
	transferStates = weighted[domain.TransferStatus]{
		{domain.TransferPending, 20}, {domain.TransferInProgress, 20}, {domain.TransferComplete, 35}, {domain.TransferRejected, 8},
		{domain.TransferCancelled, 7}, {domain.TransferExpired, 10},
	}
	terms = weighted[domain.TermLength]{{domain.TermAnnual, 60}, {domain.TermMonthly, 20}, {domain.TermThreeYears, 15}, {domain.TermUnknown, 5}}
)

// weighted is a list of choices with how often each is drawn.
type weighted[T any] []struct {
	value  T
	weight int
}

func (w weighted[T]) draw(rnd *rand.Rand) T {
	total := 0
	for _, c := range w {
		total += c.weight
	}
	n := rnd.IntN(total)
	for _, c := range w {
		if n < c.weight {
			return c.value
		}
		n -= c.weight
	}
	return w[len(w)-1].value
}

func pick[T any](rnd *rand.Rand, list []T) T { return list[rnd.IntN(len(list))] }

// chance is true p of the time.
func (g *generator) chance(p float64) bool { return g.rnd.Float64() < p }

func (g *generator) day(offset int) *time.Time {
	t := g.today.AddDate(0, 0, offset)
	return &t
}

// at is a time on the day offset from today, during office hours.
func (g *generator) at(offset int) time.Time {
	return g.today.AddDate(0, 0, offset).Add(8*time.Hour + time.Duration(g.rnd.IntN(9*3600))*time.Second)
}

func (g *generator) guid() string {
	return fmt.Sprintf("%08x-%04x-4%03x-%04x-%012x", g.rnd.Uint32(), g.rnd.IntN(1<<16), g.rnd.IntN(1<<12),
		0x8000|g.rnd.IntN(1<<14), g.rnd.Uint64()&(1<<48-1))
}

// customer is the book's customer number i with n subscriptions.
func (g *generator) customer(i, n int) domain.SeedCustomer {
	prefix, sector, place := pick(g.rnd, prefixes), pick(g.rnd, sectors), pick(g.rnd, places)
	name := prefix + " " + sector + " " + place.city
	slug := strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, strings.ToLower(prefix+sector))
	first, last := pick(g.rnd, firstNames), pick(g.rnd, lastNames)
	domainName := fmt.Sprintf("%s%d.onmicrosoft.com", slug, i+1)
	c := domain.Customer{Name: name, Domain: domainName, Country: place.country, AdminName: first + " " + last,
		AdminEmail: strings.ToLower(first+"."+last) + "@" + domainName, IsCSPPartner: g.chance(0.01),
		CreatedAt: g.at(-g.rnd.IntN(historyDays))}
	if g.chance(0.7) {
		c.TenantID = g.guid()
	}
	sc := domain.SeedCustomer{CustomerInventory: domain.CustomerInventory{Customer: c}, CreatedBy: pick(g.rnd, g.staff.Agents)}
	bought := make([]domain.Channel, 1+g.rnd.IntN(3))
	for k := range bought {
		bought[k] = channels.draw(g.rnd)
	}
	for range n {
		sc.Subscriptions = append(sc.Subscriptions, g.subscription(pick(g.rnd, bought)))
	}
	if g.chance(1.0 / 3) {
		sc.Relationships = g.relationships(c)
	}
	sc.Migrations = g.migrations(sc.Subscriptions)
	if t, ok := g.transfer(c, sc.Subscriptions); ok {
		sc.Transfers = append(sc.Transfers, t)
	}
	return sc
}

// subscription is one subscription bought through channel.
func (g *generator) subscription(channel domain.Channel) domain.Subscription {
	s := domain.Subscription{Channel: channel, Reference: g.reference(channel)}
	if g.chance(0.25) {
		s.ServiceType, s.Product = domain.ServiceUsage, pick(g.rnd, usages)
		if g.chance(0.5) {
			s.Product += " (" + pick(g.rnd, workloads) + ")"
		}
		switch {
		case g.chance(0.03):
			s.OfferID = "MS-AZR-0063P" // a Visual Studio benefit: never moved to CSP
		case channel == domain.ChannelEA:
			s.OfferID = "MS-AZR-0017P"
		case channel == domain.ChannelMicrosoftDirect && g.chance(0.5):
			s.OfferID = "MS-AZR-0003P"
		}
		if s.Reference == "" {
			s.Reference = g.guid()
		}
		return s.Normalize()
	}
	s.ServiceType, s.Product = domain.ServiceLicence, pick(g.rnd, licences)
	if g.chance(0.03) {
		s.ServiceType = domain.ServiceUnknown // not said in the customer's list
	}
	s.Quantity = 1 + int(g.rnd.ExpFloat64()*40)
	s.TermLength = terms.draw(g.rnd)
	if s.TermLength == domain.TermUnknown && g.chance(0.5) {
		return s.Normalize()
	}
	years := map[domain.TermLength]int{domain.TermAnnual: 1, domain.TermThreeYears: 3}[s.TermLength]
	horizon := max(31, 365*years)
	s.TermEnd = g.day(g.rnd.IntN(horizon) - 20) // a few ended in the last weeks
	start := s.TermEnd.AddDate(-years, 0, 0)
	if years == 0 {
		start = s.TermEnd.AddDate(0, -1, 0)
	}
	s.TermStart = &start
	s.Commerce = pick(g.rnd, []domain.Commerce{domain.CommerceNCE, domain.CommerceNCE, domain.CommerceNCE, domain.CommerceLegacy, domain.CommerceUnknown})
	s.BillingFrequency = pick(g.rnd, []domain.BillingFrequency{domain.BillingMonthly, domain.BillingAnnual, domain.BillingUnknown})
	if s.TermLength == domain.TermThreeYears && g.chance(0.3) {
		s.BillingFrequency = domain.BillingTriennial
	}
	s.AutoRenew = pick(g.rnd, []domain.AutoRenew{domain.AutoRenewOn, domain.AutoRenewOn, domain.AutoRenewOff, domain.AutoRenewUnknown})
	return s.Normalize()
}

// reference is what the customer's records say of where it bought.
func (g *generator) reference(channel domain.Channel) string {
	switch channel {
	case domain.ChannelEA:
		return fmt.Sprintf("EA %08d", g.rnd.IntN(1e8))
	case domain.ChannelOpen:
		return fmt.Sprintf("Open Value %04d-%d", g.rnd.IntN(1e4), 2020+g.rnd.IntN(7))
	case domain.ChannelOtherCSP, domain.ChannelThirdParty:
		return pick(g.rnd, otherPartners)
	case domain.ChannelAdvisor:
		return "Blue Yonder Advisors"
	case domain.ChannelSyndication:
		return "Telco Cloud Bundle"
	}
	return ""
}

// relationships are the reseller relationship requests of c: the latest in
// any state, and now and then an older one that ended before it.
func (g *generator) relationships(c domain.Customer) []domain.SeedRelationship {
	var list []domain.SeedRelationship
	latest := relationshipStates.draw(g.rnd)
	if g.chance(0.1) {
		older := pick(g.rnd, []domain.RelationshipStatus{domain.StatusExpired, domain.StatusRemoved, domain.StatusDeclined})
		list = append(list, g.relationship(c, older, -400-g.rnd.IntN(300), len(list)))
	}
	created := -g.rnd.IntN(300)
	if latest == domain.StatusPending {
		created = -g.rnd.IntN(28)
	}
	if latest == domain.StatusExpired {
		created = -31 - g.rnd.IntN(300)
	}
	return append(list, g.relationship(c, latest, created, len(list)))
}

// relationship is a request of c in status, sent on the day created
// (days from today), as its story would have left it.
func (g *generator) relationship(c domain.Customer, status domain.RelationshipStatus, created, n int) domain.SeedRelationship {
	sent := g.at(created)
	r := domain.SeedRelationship{CreatedBy: pick(g.rnd, g.staff.Agents), Request: domain.RelationshipRequest{Status: status,
		RecipientName: c.AdminName, RecipientEmail: c.AdminEmail, CreatedAt: sent, ExpiresAt: sent.AddDate(0, 0, 30)}}
	later := func(days int) *time.Time {
		t := sent.AddDate(0, 0, min(days, -created))
		return &t
	}
	switch status {
	case domain.StatusPending:
		// A hash no token has: the book's invitations cannot be opened.
		hash := sha256.Sum256([]byte(fmt.Sprintf("book %s %d", c.Domain, n)))
		r.TokenHash = hash[:]
	case domain.StatusRevoked:
		r.EndedBy, r.Request.EndedAt = r.CreatedBy, later(1+g.rnd.IntN(10))
	}
	switch status {
	case domain.StatusAccepted, domain.StatusActive, domain.StatusDeclined, domain.StatusRejected, domain.StatusRemoved:
		r.Request.AcceptedName, r.Request.AcceptedEmail, r.Request.AnsweredAt = c.AdminName, c.AdminEmail, later(1+g.rnd.IntN(5))
	}
	switch status {
	case domain.StatusActive, domain.StatusRejected, domain.StatusRemoved:
		r.ReviewedBy, r.Request.ReviewedAt = pick(g.rnd, g.staff.Admins), later(6+g.rnd.IntN(3))
	}
	switch status {
	case domain.StatusRejected:
		r.Request.Reason = "The person who accepted is not a Global admin of the customer's tenant."
	case domain.StatusRemoved:
		r.EndedBy, r.Request.EndedAt = pick(g.rnd, g.staff.Admins), later(30+g.rnd.IntN(200))
		r.Request.Reason = "The customer moved its Microsoft purchasing to another partner."
	}
	return r
}

// migrations are the Azure checklists started for usage subscriptions bought
// elsewhere than from a CSP partner, at every step past the first.
func (g *generator) migrations(subs []domain.Subscription) []domain.SeedCustomerMigration {
	var list []domain.SeedCustomerMigration
	for i, s := range subs {
		if s.ServiceType != domain.ServiceUsage || s.Channel == domain.ChannelOtherCSP || s.Channel == domain.ChannelUnknown ||
			s.OfferKind == domain.OfferBenefit || !g.chance(0.15) {
			continue
		}
		started := -10 - g.rnd.IntN(200)
		m := domain.AzureMigration{Step: domain.MigrationMoveWorkloads + g.rnd.IntN(3), CSPSubscriptionID: g.guid(),
			DisplayName: s.Product + " (CSP)", CreatedOn: g.day(started), CreatedByRole: domain.RoleAdminAgent}
		if m.Step > domain.MigrationMoveWorkloads {
			m.MovedNote, m.MovedOn = "Resource groups moved with Azure Resource Mover.", g.day(started+5)
		}
		if m.Step == domain.MigrationDone {
			m.CancelScope, m.CancelledOn, m.CancelledBy = domain.CancelWhole, g.day(started+9), domain.CancelledByCustomer
		}
		list = append(list, domain.SeedCustomerMigration{Subscription: i, Migration: m})
	}
	return list
}

// transfer is, for some customers with subscriptions from another CSP
// partner, a transfer request carrying up to five of them, in any state.
func (g *generator) transfer(c domain.Customer, subs []domain.Subscription) (domain.SeedCustomerTransfer, bool) {
	var carried []int
	products := map[domain.TransferProduct]bool{}
	for i, s := range subs {
		if s.Channel != domain.ChannelOtherCSP || len(carried) == 5 {
			continue
		}
		if p, ok := transferProduct(s); ok {
			carried = append(carried, i)
			products[p] = true
		}
	}
	if len(carried) == 0 || !g.chance(0.3) {
		return domain.SeedCustomerTransfer{}, false
	}
	status := transferStates.draw(g.rnd)
	created := -g.rnd.IntN(25)
	if status != domain.TransferPending && status != domain.TransferInProgress {
		created = -31 - g.rnd.IntN(300)
	}
	sent := g.at(created)
	t := domain.SeedCustomerTransfer{Subscriptions: carried, CreatedBy: pick(g.rnd, g.staff.Agents), Transfer: domain.Transfer{
		Status: status, OtherPartnerName: subs[carried[0]].Reference, OtherPartnerTenant: g.guid(), ContactEmail: c.AdminEmail,
		CreatedAt: sent, ExpiresAt: sent.AddDate(0, 0, domain.TransferExpiryDays)}}
	for _, p := range []domain.TransferProduct{domain.ProductAzureSubscription, domain.ProductAzureReservation, domain.ProductAzureSavingsPlan,
		domain.ProductNCELicences} {
		if products[p] {
			t.Transfer.Products = append(t.Transfer.Products, p)
		}
	}
	switch status {
	case domain.TransferInProgress:
		t.Transfer.AcceptedOn = g.day(created + 2)
	case domain.TransferComplete:
		t.Transfer.AcceptedOn, t.Transfer.CompletedOn = g.day(created+2), g.day(created+5)
	case domain.TransferRejected:
		t.EndedBy, t.Transfer.EndedAt = t.CreatedBy, new(sent.AddDate(0, 0, 3))
		t.Transfer.RejectionReason = "The subscriptions are under a commitment until their term ends."
	case domain.TransferCancelled:
		t.EndedBy, t.Transfer.EndedAt = t.CreatedBy, new(sent.AddDate(0, 0, 1))
	}
	if status == domain.TransferExpired {
		t.Transfer.Status = domain.TransferPending // stored pending: expired is computed past its 30 days
	}
	return t, true
}

// transferProduct is the kind of product a transfer request names for s;
// legacy licences cannot be transferred between partners this way.
func transferProduct(s domain.Subscription) (domain.TransferProduct, bool) {
	switch {
	case s.ServiceType == domain.ServiceLicence && s.Commerce == domain.CommerceNCE:
		return domain.ProductNCELicences, true
	case s.ServiceType != domain.ServiceUsage:
		return "", false
	case strings.HasPrefix(s.Product, "Azure reservation"):
		return domain.ProductAzureReservation, true
	case strings.HasPrefix(s.Product, "Azure savings plan"):
		return domain.ProductAzureSavingsPlan, true
	}
	return domain.ProductAzureSubscription, true
}
