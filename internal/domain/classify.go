package domain

import (
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

// Label is the channel's name for people.
func (c Channel) Label() string {
	switch c {
	case ChannelMicrosoftDirect:
		return "Microsoft direct"
	case ChannelAdvisor:
		return "Advisor"
	case ChannelOpen:
		return "Open (Volume Licensing)"
	case ChannelEA:
		return "Enterprise Agreement"
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

// The workflows of DESIGN §2.
const (
	WorkflowResellerRelationship Workflow = "reseller_relationship"
	WorkflowWaitTermEnd          Workflow = "wait_term_end"
	WorkflowAzureNewSubscription Workflow = "azure_new_subscription"
	WorkflowAzureTransfer        Workflow = "azure_transfer"
	WorkflowNotEligible          Workflow = "not_eligible"
	WorkflowNeedsClassification  Workflow = "needs_classification"
)

// Workflows lists every workflow in the order the plan shows them: what needs
// the user first, then the work, then what needs none.
var Workflows = []Workflow{
	WorkflowNeedsClassification, WorkflowResellerRelationship, WorkflowWaitTermEnd,
	WorkflowAzureNewSubscription, WorkflowAzureTransfer, WorkflowNotEligible,
}

// Label is the workflow's name for people.
func (w Workflow) Label() string {
	switch w {
	case WorkflowResellerRelationship:
		return "Reseller relationship"
	case WorkflowWaitTermEnd:
		return "Wait for the term end"
	case WorkflowAzureNewSubscription:
		return "New CSP Azure subscription"
	case WorkflowAzureTransfer:
		return "Azure transfer from the other partner"
	case WorkflowNotEligible:
		return "Not eligible"
	case WorkflowNeedsClassification:
		return "Needs classification"
	}
	return string(w)
}

// NextAction says what the partner does next for a subscription in workflow w.
func (w Workflow) NextAction() string {
	switch w {
	case WorkflowResellerRelationship:
		return "Request a reseller relationship; the customer's Global admin accepts it through the invitation link."
	case WorkflowWaitTermEnd:
		return "Request the reseller relationship now, then buy the replacement through us when the term ends."
	case WorkflowAzureNewSubscription:
		return "Create a new CSP Azure subscription, move the workloads, then cancel the old services."
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

// Classify applies the rules of DESIGN §2. It is the only place that decides a
// workflow: views, handlers and the store show what it returns.
func Classify(channel Channel, service ServiceType, customerIsCSPPartner bool) Classification {
	if customerIsCSPPartner {
		return Classification{WorkflowNotEligible,
			"The customer is itself a CSP partner buying through its CSP transaction tenant, and a CSP partner cannot resell online services to another CSP partner."}
	}
	if channel == ChannelSyndication {
		return Classification{WorkflowNotEligible,
			"Subscriptions bought from a Syndication partner are outside multichannel support."}
	}
	if !channel.Valid() || !service.Valid() {
		var missing string
		switch {
		case !channel.Valid() && !service.Valid():
			missing = "the channel and the service type are"
		case !channel.Valid():
			missing = "the channel is"
		default:
			missing = "the service type is"
		}
		return Classification{WorkflowNeedsClassification, "The workflow cannot be chosen until " + missing + " known."}
	}
	if service == ServiceLicence {
		switch channel {
		case ChannelMicrosoftDirect, ChannelAdvisor, ChannelOpen, ChannelEA:
			return Classification{WorkflowResellerRelationship,
				"A licence bought through " + channel.Label() + " stays where it is; once the customer accepts our reseller relationship we manage and support it."}
		case ChannelThirdParty, ChannelOtherCSP:
			return Classification{WorkflowWaitTermEnd,
				"A licence-based subscription from " + strings.ToLower(channel.Label()[:1]) + channel.Label()[1:] + " cannot move to us mid-term, so the customer buys the replacement through us when the term ends."}
		}
	}
	if channel == ChannelOtherCSP {
		return Classification{WorkflowAzureTransfer,
			"Azure bought from another CSP partner can be transferred to us once our reseller relationship is active; the other partner has 30 days to act."}
	}
	return Classification{WorkflowAzureNewSubscription,
		"Azure bought through " + channel.Label() + " cannot be moved, so we create a new CSP Azure subscription beside it and cancel the old services once the workloads have moved."}
}

// ParseChannel reads a channel as people write it, accepting the codes and
// common names such as "Enterprise Agreement", "Web Direct", "MOSP", "CSP" or
// "Volume Licensing". Empty input is the unknown channel; ok is false for
// anything unrecognised.
func ParseChannel(s string) (Channel, bool) {
	key := aliasKey(s)
	if key == "" {
		return ChannelUnknown, true
	}
	c, ok := channelAliases[key]
	return c, ok
}

var channelAliases = map[string]Channel{
	"microsoftdirect": ChannelMicrosoftDirect, "direct": ChannelMicrosoftDirect, "webdirect": ChannelMicrosoftDirect,
	"mosp": ChannelMicrosoftDirect, "microsoftonlinesubscriptionprogram": ChannelMicrosoftDirect,
	"microsoft": ChannelMicrosoftDirect, "mca": ChannelMicrosoftDirect, "microsoftcustomeragreement": ChannelMicrosoftDirect,
	"advisor": ChannelAdvisor, "advisorassisted": ChannelAdvisor,
	"open": ChannelOpen, "openvolumelicensing": ChannelOpen, "volumelicensing": ChannelOpen, "openlicense": ChannelOpen,
	"openlicence": ChannelOpen, "openlicensing": ChannelOpen, "openlicencing": ChannelOpen, "openvalue": ChannelOpen, "vl": ChannelOpen,
	"ea": ChannelEA, "enterpriseagreement": ChannelEA,
	"thirdparty": ChannelThirdParty, "thirdpartyreseller": ChannelThirdParty, "reseller": ChannelThirdParty, "noncspreseller": ChannelThirdParty,
	"syndication": ChannelSyndication, "syndicationpartner": ChannelSyndication,
	"othercsp": ChannelOtherCSP, "csp": ChannelOtherCSP, "anothercsppartner": ChannelOtherCSP, "othercsppartner": ChannelOtherCSP, "csppartner": ChannelOtherCSP,
}

// ParseServiceType reads a service type as people write it: "licence",
// "license", "seat", "usage", "Azure", "consumption" and the like. Empty input
// is the unknown service type; ok is false for anything unrecognised.
func ParseServiceType(s string) (ServiceType, bool) {
	key := aliasKey(s)
	if key == "" {
		return ServiceUnknown, true
	}
	t, ok := serviceAliases[key]
	return t, ok
}

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
