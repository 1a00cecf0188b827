package domain

import (
	"strings"
	"time"
)

// Commerce is the commerce experience a licence was bought under: Microsoft's
// new commerce (NCE), the legacy one, or not known. It decides whether a
// licence bought from another CSP partner can move to us mid-term.
type Commerce string

// The commerce experiences. The empty Commerce means "not known".
const (
	CommerceUnknown Commerce = ""
	CommerceNCE     Commerce = "nce"
	CommerceLegacy  Commerce = "legacy"
)

// Commerces lists the known commerce experiences in the order they are offered.
var Commerces = []Commerce{CommerceNCE, CommerceLegacy}

// Valid reports whether c is a known commerce experience (not the unknown one).
func (c Commerce) Valid() bool { return c == CommerceNCE || c == CommerceLegacy }

// Label is the commerce experience's name for people.
func (c Commerce) Label() string {
	switch c {
	case CommerceNCE:
		return "New commerce (NCE)"
	case CommerceLegacy:
		return "Legacy"
	case CommerceUnknown:
		return "Not known"
	}
	return string(c)
}

// TermLength is how long a licence's term runs before it renews or ends.
type TermLength string

// The term lengths of new-commerce licences (Microsoft writes them P1M, P1Y
// and P3Y). The empty TermLength means "not known".
const (
	TermUnknown    TermLength = ""
	TermMonthly    TermLength = "monthly"
	TermAnnual     TermLength = "annual"
	TermThreeYears TermLength = "three_years"
)

// TermLengths lists the known term lengths, shortest first.
var TermLengths = []TermLength{TermMonthly, TermAnnual, TermThreeYears}

// Valid reports whether t is a known term length.
func (t TermLength) Valid() bool { return t == TermMonthly || t == TermAnnual || t == TermThreeYears }

// Label is the term length's name for people.
func (t TermLength) Label() string {
	switch t {
	case TermMonthly:
		return "One month"
	case TermAnnual:
		return "One year"
	case TermThreeYears:
		return "Three years"
	case TermUnknown:
		return "Not known"
	}
	return string(t)
}

// BillingFrequency is how often a licence is billed within its term.
type BillingFrequency string

// The billing frequencies. The empty BillingFrequency means "not known".
const (
	BillingUnknown   BillingFrequency = ""
	BillingMonthly   BillingFrequency = "monthly"
	BillingAnnual    BillingFrequency = "annual"
	BillingTriennial BillingFrequency = "triennial"
)

// BillingFrequencies lists the known billing frequencies, most frequent first.
var BillingFrequencies = []BillingFrequency{BillingMonthly, BillingAnnual, BillingTriennial}

// Valid reports whether b is a known billing frequency.
func (b BillingFrequency) Valid() bool {
	return b == BillingMonthly || b == BillingAnnual || b == BillingTriennial
}

// Label is the billing frequency's name for people.
func (b BillingFrequency) Label() string {
	switch b {
	case BillingMonthly:
		return "Monthly"
	case BillingAnnual:
		return "Annual"
	case BillingTriennial:
		return "Up front for the whole term"
	case BillingUnknown:
		return "Not known"
	}
	return string(b)
}

// AutoRenew says whether a licence renews by itself at its term end.
type AutoRenew string

// The auto-renew settings. The empty AutoRenew means "not known".
const (
	AutoRenewUnknown AutoRenew = ""
	AutoRenewOn      AutoRenew = "on"
	AutoRenewOff     AutoRenew = "off"
)

// AutoRenews lists the known auto-renew settings.
var AutoRenews = []AutoRenew{AutoRenewOn, AutoRenewOff}

// Valid reports whether a is a known auto-renew setting.
func (a AutoRenew) Valid() bool { return a == AutoRenewOn || a == AutoRenewOff }

// Label is the auto-renew setting's name for people.
func (a AutoRenew) Label() string {
	switch a {
	case AutoRenewOn:
		return "On"
	case AutoRenewOff:
		return "Off"
	case AutoRenewUnknown:
		return "Not known"
	}
	return string(a)
}

// OfferKind is what the rules read of an Azure subscription's offer: whether
// it is a benefit or credit offer, which no partner can take over.
type OfferKind string

// The kinds of Azure offer. The empty OfferKind is an ordinary, paid offer
// or one not known.
const (
	OfferOrdinary OfferKind = ""
	OfferBenefit  OfferKind = "benefit"
)

// OfferKinds lists every offer kind, the ordinary one first.
var OfferKinds = []OfferKind{OfferOrdinary, OfferBenefit}

// benefitOffers are the Azure offer ids and quota ids of benefit and credit
// subscriptions (Visual Studio and MSDN subscribers, sponsorship, free
// trial, Azure Pass, Azure for Students, partner benefits), upper-cased.
// MSDNDevTest_2014-09-01 is left out: paid Dev/Test offers share it.
// Source: the offer and quota ids of "Understand Cost Management data"
// (https://learn.microsoft.com/azure/cost-management-billing/costs/understand-cost-mgt-data),
// which calls these offers credit-based; the transfer hub says Free Trial
// cannot be transferred at all
// (https://learn.microsoft.com/azure/cost-management-billing/manage/subscription-transfer).
var benefitOffers = map[string]string{
	"MS-AZR-0029P": "Visual Studio", "MS-AZR-0059P": "Visual Studio", "MS-AZR-0060P": "Visual Studio",
	"MS-AZR-0062P": "Visual Studio", "MS-AZR-0063P": "Visual Studio", "MS-AZR-0064P": "Visual Studio",
	"MSDN_2014-09-01":      "Visual Studio",
	"MS-AZR-0036P":         "sponsorship",
	"SPONSORED_2016-01-01": "sponsorship",
	"MS-AZR-0044P":         "free trial",
	"FREETRIAL_2014-09-01": "free trial",
	"MS-AZR-0120P":         "Azure Pass", "MS-AZR-0122P": "Azure Pass", "MS-AZR-0123P": "Azure Pass", "MS-AZR-0124P": "Azure Pass",
	"MS-AZR-0125P": "Azure Pass", "MS-AZR-0128P": "Azure Pass", "MS-AZR-0129P": "Azure Pass", "MS-AZR-0130P": "Azure Pass",
	"AZUREPASS_2014-09-01": "Azure Pass",
	"MS-AZR-0144P":         "Azure for Students", "MS-AZR-0170P": "Azure for Students",
	"AZUREFORSTUDENTS_2018-01-01": "Azure for Students", "DREAMSPARK_2015-02-01": "Azure for Students",
	"MS-AZR-0025P": "partner benefit", "MPN_2014-09-01": "partner benefit",
}

// NormalizeOfferID trims an offer or quota id and writes the MS-AZR form in
// capitals, the way the Azure portal shows it.
func NormalizeOfferID(id string) string {
	id = strings.TrimSpace(id)
	if u := strings.ToUpper(id); strings.HasPrefix(u, "MS-AZR-") {
		return u
	}
	return id
}

// OfferKindOf says whether an Azure offer or quota id is a benefit or credit
// offer; an id not known is ordinary.
func OfferKindOf(offerID string) OfferKind {
	if _, ok := benefitOffers[strings.ToUpper(strings.TrimSpace(offerID))]; ok {
		return OfferBenefit
	}
	return OfferOrdinary
}

// BenefitName names the benefit an offer id gives, such as "Visual Studio";
// "" when it is not a benefit offer.
func BenefitName(offerID string) string {
	return benefitOffers[strings.ToUpper(strings.TrimSpace(offerID))]
}

// NCERefundWindow is how long after a new-commerce purchase the customer can
// cancel it with a prorated refund: 7 days, 168 hours.
const NCERefundWindow = 168 * time.Hour

// parseAlias reads one of a set of values as people write it, by the keys
// of aliases (see aliasKey); empty input is zero, and ok is false for
// anything unrecognised.
func parseAlias[T ~string](s string, aliases map[string]T) (T, bool) {
	key := aliasKey(s)
	if key == "" {
		var zero T
		return zero, true
	}
	v, ok := aliases[key]
	return v, ok
}

// ParseCommerce reads a commerce experience: "NCE", "new commerce",
// "legacy" and the codes.
func ParseCommerce(s string) (Commerce, bool) { return parseAlias(s, commerceAliases) }

var commerceAliases = map[string]Commerce{
	"nce": CommerceNCE, "newcommerce": CommerceNCE, "newcommerceexperience": CommerceNCE, "modern": CommerceNCE,
	"legacy": CommerceLegacy, "legacycommerce": CommerceLegacy, "traditional": CommerceLegacy,
	"notknown": CommerceUnknown, "unknown": CommerceUnknown,
}

// ParseTermLength reads a term length: the codes, Microsoft's P1M, P1Y and
// P3Y, and words such as "1 year" or "annual".
func ParseTermLength(s string) (TermLength, bool) { return parseAlias(s, termAliases) }

var termAliases = map[string]TermLength{
	"monthly": TermMonthly, "month": TermMonthly, "1month": TermMonthly, "onemonth": TermMonthly, "p1m": TermMonthly,
	"annual": TermAnnual, "yearly": TermAnnual, "year": TermAnnual, "1year": TermAnnual, "oneyear": TermAnnual, "p1y": TermAnnual,
	"threeyears": TermThreeYears, "3years": TermThreeYears, "3year": TermThreeYears, "threeyear": TermThreeYears,
	"p3y": TermThreeYears, "triennial": TermThreeYears, "36months": TermThreeYears,
	"notknown": TermUnknown, "unknown": TermUnknown,
}

// ParseBillingFrequency reads a billing frequency: "monthly", "annual",
// "triennial" and the like.
func ParseBillingFrequency(s string) (BillingFrequency, bool) { return parseAlias(s, billingAliases) }

var billingAliases = map[string]BillingFrequency{
	"monthly": BillingMonthly, "month": BillingMonthly, "p1m": BillingMonthly,
	"annual": BillingAnnual, "annually": BillingAnnual, "yearly": BillingAnnual, "p1y": BillingAnnual,
	"triennial": BillingTriennial, "upfront": BillingTriennial, "onetime": BillingTriennial, "p3y": BillingTriennial,
	"notknown": BillingUnknown, "unknown": BillingUnknown,
}

// ParseAutoRenew reads an auto-renew setting: "on", "off", "yes", "no",
// "true", "false".
func ParseAutoRenew(s string) (AutoRenew, bool) { return parseAlias(s, autoRenewAliases) }

var autoRenewAliases = map[string]AutoRenew{
	"on": AutoRenewOn, "yes": AutoRenewOn, "true": AutoRenewOn, "y": AutoRenewOn, "1": AutoRenewOn, "autorenew": AutoRenewOn,
	"off": AutoRenewOff, "no": AutoRenewOff, "false": AutoRenewOff, "n": AutoRenewOff, "0": AutoRenewOff,
	"notknown": AutoRenewUnknown, "unknown": AutoRenewUnknown,
}
