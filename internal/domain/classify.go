package domain

import (
	"errors"
	"strings"
	"unicode"
)

// Channel is where a customer bought a subscription.
type Channel string

// The channels of DESIGN §2. The empty Channel means "not yet known".
const (
	ChannelUnknown         Channel = ""
	ChannelMicrosoftDirect Channel = "microsoft_direct"
	ChannelAdvisor         Channel = "advisor"
	ChannelOpen            Channel = "open"
	ChannelEA              Channel = "ea"
	ChannelThirdParty      Channel = "third_party"
	ChannelSyndication     Channel = "syndication"
	ChannelOtherCSP        Channel = "other_csp"
)

// Channels lists the known channels in the order they are offered.
var Channels = []Channel{ChannelMicrosoftDirect, ChannelAdvisor, ChannelOpen, ChannelEA, ChannelThirdParty, ChannelSyndication, ChannelOtherCSP}

// Valid reports whether c is a known channel (not the unknown one).
func (c Channel) Valid() bool {
	for _, k := range Channels {
		if c == k {
			return true
		}
	}
	return false
}

// Label is the channel's name for people, as Microsoft names the channel
// today: Open License sales ended on 31 December 2021, so "open" is Volume
// Licensing as it is now, and MCA-enterprise, the direct agreement that
// succeeds the Enterprise Agreement, shares the EA's rules.
func (c Channel) Label() string {
	switch c {
	case ChannelMicrosoftDirect:
		return "Microsoft direct"
	case ChannelAdvisor:
		return "Advisor"
	case ChannelOpen:
		return "Volume Licensing (MPSA, Select Plus, Open Value)"
	case ChannelEA:
		return "Enterprise Agreement or MCA-enterprise"
	case ChannelThirdParty:
		return "Third-party reseller"
	case ChannelSyndication:
		return "Syndication partner"
	case ChannelOtherCSP:
		return "Another CSP partner"
	case ChannelUnknown:
		return "Not yet known"
	}
	return string(c)
}

// Phrase is the channel's name inside a sentence, lower-cased where it is
// not a proper name.
func (c Channel) Phrase() string {
	switch c {
	case ChannelMicrosoftDirect:
		return "Microsoft directly"
	case ChannelAdvisor:
		return "an advisor"
	case ChannelOpen:
		return "Volume Licensing"
	case ChannelEA:
		return "an Enterprise Agreement or MCA-enterprise"
	case ChannelThirdParty:
		return "a third-party reseller"
	case ChannelSyndication:
		return "a Syndication partner"
	case ChannelOtherCSP:
		return "another CSP partner"
	}
	return strings.ToLower(c.Label())
}

// ServiceType says how a subscription is billed.
type ServiceType string

// The service types. The empty ServiceType means "not yet known".
const (
	ServiceUnknown ServiceType = ""
	ServiceLicence ServiceType = "licence"
	ServiceUsage   ServiceType = "usage"
)

// ServiceTypes lists the known service types.
var ServiceTypes = []ServiceType{ServiceLicence, ServiceUsage}

// Valid reports whether t is a known service type (not the unknown one).
func (t ServiceType) Valid() bool { return t == ServiceLicence || t == ServiceUsage }

// Label is the service type's name for people.
func (t ServiceType) Label() string {
	switch t {
	case ServiceLicence:
		return "Licence-based"
	case ServiceUsage:
		return "Usage-based (Azure)"
	case ServiceUnknown:
		return "Not yet known"
	}
	return string(t)
}

// Workflow is what the partner must do for a subscription. The codes are
// stable: they appear in exports and in the plan's JSON.
type Workflow string

// The workflows of DESIGN §2. The first six come from the 2020 article the
// product started from; licence_transfer and azure_billing_transfer follow
// Microsoft's practice today.
const (
	WorkflowResellerRelationship Workflow = "reseller_relationship"
	WorkflowWaitTermEnd          Workflow = "wait_term_end"
	WorkflowLicenceTransfer      Workflow = "licence_transfer"
	WorkflowAzureNewSubscription Workflow = "azure_new_subscription"
	WorkflowAzureBillingTransfer Workflow = "azure_billing_transfer"
	WorkflowAzureTransfer        Workflow = "azure_transfer"
	WorkflowNotEligible          Workflow = "not_eligible"
	WorkflowNeedsClassification  Workflow = "needs_classification"
)

// Workflows lists every workflow in the order the plan shows them: what needs
// the user first, then the work, then what needs none.
var Workflows = []Workflow{
	WorkflowNeedsClassification, WorkflowResellerRelationship, WorkflowLicenceTransfer, WorkflowWaitTermEnd,
	WorkflowAzureNewSubscription, WorkflowAzureBillingTransfer, WorkflowAzureTransfer, WorkflowNotEligible,
}

// Label is the workflow's name for people.
func (w Workflow) Label() string {
	switch w {
	case WorkflowResellerRelationship:
		return "Reseller relationship"
	case WorkflowWaitTermEnd:
		return "Wait for the term end"
	case WorkflowLicenceTransfer:
		return "Licence transfer from the other partner"
	case WorkflowAzureNewSubscription:
		return "New CSP Azure subscription"
	case WorkflowAzureBillingTransfer:
		return "Azure billing transfer (Azure Expert MSP)"
	case WorkflowAzureTransfer:
		return "Azure transfer from the other partner"
	case WorkflowNotEligible:
		return "Not eligible"
	case WorkflowNeedsClassification:
		return "Needs classification"
	}
	return string(w)
}

// Transfer reports whether workflow w moves a subscription to us by a
// transfer: from another partner, or of Azure billing.
func (w Workflow) Transfer() bool {
	return w == WorkflowAzureTransfer || w == WorkflowLicenceTransfer || w == WorkflowAzureBillingTransfer
}

// NextAction says what the partner does next for a subscription in workflow w.
func (w Workflow) NextAction() string {
	switch w {
	case WorkflowResellerRelationship:
		return "Request a reseller relationship; the customer's Global admin accepts it through the invitation link."
	case WorkflowWaitTermEnd:
		return "Request the reseller relationship now, then buy the replacement through us when the term ends."
	case WorkflowLicenceTransfer:
		return "Once the reseller relationship is active, request the partner transfer with the other partner's tenant id."
	case WorkflowAzureNewSubscription:
		return "Once the reseller relationship is active, create a new CSP Azure subscription, move the workloads, then cancel the old services."
	case WorkflowAzureBillingTransfer:
		return "Once the reseller relationship is active, request the billing transfer; the customer's billing administrator approves it."
	case WorkflowAzureTransfer:
		return "Once the reseller relationship is active, request the transfer from the other partner."
	case WorkflowNotEligible:
		return "Nothing to do: tell the customer why."
	case WorkflowNeedsClassification:
		return "Set the channel and the service type."
	}
	return ""
}

// Classification is the workflow for a subscription and why, in one sentence.
type Classification struct {
	Workflow Workflow `json:"workflow"`
	Reason   string   `json:"reason"`
}

// ClassKey is what the rules read of a subscription: its channel, service
// type, commerce experience and the kind of its Azure offer. Stores group
// and select by it, so that they follow the rules without deciding.
type ClassKey struct {
	Channel     Channel
	ServiceType ServiceType
	Commerce    Commerce
	Offer       OfferKind
}

// Key is what the rules read of s.
func (s Subscription) Key() ClassKey {
	return ClassKey{Channel: s.Channel, ServiceType: s.ServiceType, Commerce: s.Commerce, Offer: s.OfferKind}
}

// Rules are the partner's facts the classification depends on, beside the
// subscription and its customer.
type Rules struct {
	// AzureExpertMSP is whether the partner may take over the billing of
	// Azure bought through a direct EA or MCA-enterprise: a direct-bill
	// partner with the Azure Expert MSP designation.
	AzureExpertMSP bool
}

// Rules are the partner's facts for the classification: the Azure Expert
// MSP designation counts only for a direct-bill partner, the only kind
// Microsoft lets take over Azure billing.
func (p Partner) Rules() Rules {
	return Rules{AzureExpertMSP: p.AzureExpertMSP && p.CSPModel == CSPDirectBill}
}

// Classify classifies s for customer c under the partner's rules.
func (r Rules) Classify(c Customer, s Subscription) Classification {
	return Classify(s.Key(), c.IsCSPPartner, r)
}

// Classify applies the rules of DESIGN §2 to what a subscription is, for a
// customer that is or is not itself a CSP partner, under the partner's
// rules. It is the only place that decides a workflow: views, handlers and
// the store show what it returns.
func Classify(k ClassKey, customerIsCSPPartner bool, r Rules) Classification {
	if customerIsCSPPartner {
		return Classification{WorkflowNotEligible,
			"The customer is itself a CSP partner buying through its CSP transaction tenant, and a CSP partner cannot resell online services to another CSP partner."}
	}
	if k.Channel == ChannelSyndication {
		return Classification{WorkflowNotEligible,
			"Subscriptions bought from a Syndication partner are outside multichannel support: the customer must first leave that partner (for a GoDaddy tenant, have it defederated) before a CSP partner can serve it."}
	}
	if k.Offer == OfferBenefit {
		return Classification{WorkflowNotEligible,
			"A benefit or credit subscription (Visual Studio, sponsorship, free trial, Azure Pass) is not sold, so no partner can take it over: the customer keeps it, and production workloads go to a CSP Azure subscription."}
	}
	if !k.Channel.Valid() || !k.ServiceType.Valid() {
		var missing string
		switch {
		case !k.Channel.Valid() && !k.ServiceType.Valid():
			missing = "the channel and the service type are"
		case !k.Channel.Valid():
			missing = "the channel is"
		default:
			missing = "the service type is"
		}
		return Classification{WorkflowNeedsClassification, "The workflow cannot be chosen until " + missing + " known."}
	}
	if k.ServiceType == ServiceLicence {
		return classifyLicence(k)
	}
	switch k.Channel {
	case ChannelOtherCSP:
		return Classification{WorkflowAzureTransfer,
			"Azure bought from another CSP partner can be transferred to us once our reseller relationship is active, with the other partner's tenant id; the other partner accepts or rejects it."}
	case ChannelOpen:
		return Classification{WorkflowNotEligible,
			"Azure in Open cannot be transferred to a CSP partner, so the customer recreates the workloads in a CSP Azure subscription and lets the Open one run out."}
	case ChannelEA:
		if r.AzureExpertMSP {
			return Classification{WorkflowAzureBillingTransfer,
				"As an Azure Expert MSP we can take over the billing of Azure bought through a direct Enterprise Agreement or MCA-enterprise, without moving its resources; access rights do not move with it."}
		}
		return Classification{WorkflowAzureNewSubscription,
			"Only an Azure Expert MSP can take over the billing of Azure bought through an Enterprise Agreement or MCA-enterprise, so we create a new CSP Azure subscription beside it and cancel the old services once the workloads have moved."}
	}
	return Classification{WorkflowAzureNewSubscription,
		"Azure bought from " + k.Channel.Phrase() + " cannot be moved, so we create a new CSP Azure subscription beside it and cancel the old services once the workloads have moved."}
}

// classifyLicence applies the rules of licence-based subscriptions whose
// channel is known.
func classifyLicence(k ClassKey) Classification {
	switch k.Channel {
	case ChannelThirdParty:
		return Classification{WorkflowWaitTermEnd,
			"A licence bought from a third-party reseller cannot move to us mid-term, so the customer buys the replacement through us when the term ends."}
	case ChannelOtherCSP:
		switch k.Commerce {
		case CommerceNCE:
			return Classification{WorkflowLicenceTransfer,
				"A new-commerce licence bought from another CSP partner can move to us mid-term by a partner transfer: we request it with the other partner's tenant id, the other partner approves it, and billing splits at the transfer date."}
		case CommerceLegacy:
			return Classification{WorkflowWaitTermEnd,
				"A legacy licence from another CSP partner cannot be transferred between partners, so the customer buys the replacement through us when the term ends; only a new-commerce (NCE) subscription could move now."}
		}
		return Classification{WorkflowWaitTermEnd,
			"A licence from another CSP partner waits for its term end unless it is a new-commerce (NCE) subscription, which could move now by a partner transfer: find out its commerce experience."}
	}
	return Classification{WorkflowResellerRelationship,
		"A licence bought from " + k.Channel.Phrase() + " stays where it is until it ends; once the customer accepts our reseller relationship we manage it, and the replacement is bought through us before its natural expiry, with auto-renew turned off at the current seller."}
}

// ParseChannel reads a channel as people write it, accepting the codes and
// common names such as "Enterprise Agreement", "MCA-enterprise", "Web
// Direct", "MOSP", "CSP", "Volume Licensing", "MPSA" or "Open". Empty input is the unknown channel; ok is false for
// anything unrecognised.
func ParseChannel(s string) (Channel, bool) { return parseAlias(s, channelAliases) }

var channelAliases = map[string]Channel{
	"microsoftdirect": ChannelMicrosoftDirect, "direct": ChannelMicrosoftDirect, "webdirect": ChannelMicrosoftDirect,
	"mosp": ChannelMicrosoftDirect, "microsoftonlinesubscriptionprogram": ChannelMicrosoftDirect,
	// A bare "MCA" is the Microsoft Customer Agreement a customer accepts
	// when it buys online, directly; the enterprise MCA, signed with
	// Microsoft's field, must be written as such ("MCA-enterprise", "MCA-E")
	// to get the EA's rules.
	"microsoft": ChannelMicrosoftDirect, "mca": ChannelMicrosoftDirect, "microsoftcustomeragreement": ChannelMicrosoftDirect,
	"advisor": ChannelAdvisor, "advisorassisted": ChannelAdvisor,
	// Open License ended on 31 December 2021: "Open" stays as a legacy
	// alias of Volume Licensing as it is today.
	"open": ChannelOpen, "openvolumelicensing": ChannelOpen, "volumelicensing": ChannelOpen, "openlicense": ChannelOpen,
	"openlicence": ChannelOpen, "openlicensing": ChannelOpen, "openlicencing": ChannelOpen, "openvalue": ChannelOpen, "vl": ChannelOpen,
	"openvaluesubscription": ChannelOpen, "mpsa": ChannelOpen, "microsoftproductsandservicesagreement": ChannelOpen,
	"selectplus": ChannelOpen, "select": ChannelOpen,
	"ea": ChannelEA, "enterpriseagreement": ChannelEA, "mcaenterprise": ChannelEA, "mcae": ChannelEA,
	"microsoftcustomeragreemententerprise": ChannelEA, "mcaforenterprise": ChannelEA,
	"thirdparty": ChannelThirdParty, "thirdpartyreseller": ChannelThirdParty, "reseller": ChannelThirdParty, "noncspreseller": ChannelThirdParty,
	"syndication": ChannelSyndication, "syndicationpartner": ChannelSyndication,
	"othercsp": ChannelOtherCSP, "csp": ChannelOtherCSP, "anothercsppartner": ChannelOtherCSP, "othercsppartner": ChannelOtherCSP, "csppartner": ChannelOtherCSP,
}

// ParseServiceType reads a service type as people write it: "licence",
// "license", "seat", "usage", "Azure", "consumption" and the like. Empty input
// is the unknown service type; ok is false for anything unrecognised.
func ParseServiceType(s string) (ServiceType, bool) { return parseAlias(s, serviceAliases) }

var serviceAliases = map[string]ServiceType{
	"licence": ServiceLicence, "license": ServiceLicence, "licencebased": ServiceLicence, "licensebased": ServiceLicence,
	"licences": ServiceLicence, "licenses": ServiceLicence, "seat": ServiceLicence, "seats": ServiceLicence, "seatbased": ServiceLicence,
	"usage": ServiceUsage, "usagebased": ServiceUsage, "azure": ServiceUsage, "consumption": ServiceUsage, "payasyougo": ServiceUsage,
}

// aliasKey lower-cases s and drops everything but letters and digits, so that
// "Enterprise Agreement", "enterprise_agreement" and "Enterprise-Agreement"
// read the same.
func aliasKey(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// RulesOf are the rules of partner p as a store read it with err: before
// any partner is set (domain.ErrNotFound) the rules are the defaults.
func RulesOf(p Partner, err error) (Rules, error) {
	if errors.Is(err, ErrNotFound) {
		return Rules{}, nil
	}
	return p.Rules(), err
}
