package msexports

import (
	"strings"

	"github.com/wingtip/multichannel/internal/domain"
	"github.com/wingtip/multichannel/internal/inventorycsv"
)

// armSubscription is the part of a Resource Manager subscription that the
// inventory reads, from Subscriptions - List
// (https://learn.microsoft.com/rest/api/resources/subscriptions/list):
// subscriptionId, displayName, state (Enabled, Warned, PastDue, Disabled,
// Deleted), tenantId, subscriptionPolicies.quotaId and spendingLimit (On,
// Off, CurrentPeriodOff), and managedByTenants.
type armSubscription struct {
	SubscriptionID       string `json:"subscriptionId"`
	DisplayName          string `json:"displayName"`
	State                string `json:"state"`
	TenantID             string `json:"tenantId"`
	SubscriptionPolicies struct {
		QuotaID       string `json:"quotaId"`
		SpendingLimit string `json:"spendingLimit"`
	} `json:"subscriptionPolicies"`
	ManagedByTenants []struct {
		TenantID string `json:"tenantId"`
	} `json:"managedByTenants"`
}

func parseARMSubscription(it item, opts Options) (Row, []inventorycsv.RowError) {
	var s armSubscription
	errs := decode(it, &s)
	row := azureRow(it.line, s.SubscriptionID, s.DisplayName, s.State, s.TenantID, opts)
	sub := &row.Subscription
	managedByUs := false
	for _, m := range s.ManagedByTenants {
		managedByUs = managedByUs || sameTenant(m.TenantID, opts.PartnerTenant)
	}
	channel, note := quotaChannel(sub, s.SubscriptionPolicies.QuotaID, managedByUs)
	row.Guesses = append(row.Guesses, channel)
	var limit string
	if strings.EqualFold(s.SubscriptionPolicies.SpendingLimit, "On") {
		limit = "Spending limit on (a credit offer's)."
	}
	sub.Notes = notes(sub.Notes, note, limit)
	return row, errs
}

// azAccount is an item of az account list
// (https://learn.microsoft.com/cli/azure/account#az-account-list): id is
// the subscription id, name its display name, state, tenantId, with
// isDefault, cloudName, homeTenantId and user; it has no quota id.
type azAccount struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	State    string `json:"state"`
	TenantID string `json:"tenantId"`
}

func parseAzAccount(it item, opts Options) (Row, []inventorycsv.RowError) {
	var s azAccount
	errs := decode(it, &s)
	row := azureRow(it.line, s.ID, s.Name, s.State, s.TenantID, opts)
	row.Guesses = append(row.Guesses, Guess{Field: "channel", Value: domain.ChannelUnknown.Label(),
		Basis: "az account list does not give the quota id; the Resource Manager list does " +
			"(az rest --method get --url \"https://management.azure.com/subscriptions?api-version=2022-12-01\")"})
	return row, errs
}

// azureRow is what both Azure formats give: a usage-based subscription
// whose reference is its id and whose product names it, its state and a
// tenant other than the customer's noted.
func azureRow(line int, id, name, state, tenant string, opts Options) Row {
	row := Row{Row: inventorycsv.Row{Line: line}}
	sub := &row.Subscription
	sub.ServiceType = domain.ServiceUsage
	sub.Reference = id
	sub.Product = "Azure subscription"
	if name = strings.TrimSpace(name); name != "" {
		sub.Product += " (" + name + ")"
	}
	var other string
	if tenant != "" && opts.CustomerTenant != "" && !sameTenant(tenant, opts.CustomerTenant) {
		other = "In tenant " + tenant + ", not the customer's."
	}
	sub.Notes = notes(statusNote("state", state), other)
	return row
}

// quotaChannel reads the channel from a subscription's quota id, whose
// family (the part before the date) says how it was bought: the quota ids
// of "Understand Cost Management data"
// (https://learn.microsoft.com/azure/cost-management-billing/costs/understand-cost-mgt-data),
// where EnterpriseAgreement_2014-09-01 is both the EA's Microsoft Azure
// Enterprise and the Microsoft Customer Agreement's Azure plan,
// MSDNDevTest_2014-09-01 the Dev/Test offers of the EA, the MCA,
// pay-as-you-go and Visual Studio Test Professional, and CSP_2015-05-01 a
// CSP partner's Microsoft Azure.
// The quota id is kept as the offer id, so the rules see a benefit or credit
// offer through domain.OfferKindOf.
func quotaChannel(sub *domain.Subscription, quotaID string, managedByUs bool) (Guess, string) {
	g := Guess{Field: "channel"}
	sub.OfferID = quotaID
	family, _, _ := strings.Cut(strings.ToUpper(strings.TrimSpace(quotaID)), "_")
	basis := "quotaId " + quotaID
	switch {
	case quotaID == "":
		g.Value, g.Basis = domain.ChannelUnknown.Label(), "it has no quotaId: to classify"
		return g, ""
	case family == "PAYASYOUGO":
		sub.Channel = domain.ChannelMicrosoftDirect
		g.Basis = basis + " is pay-as-you-go, bought from Microsoft directly"
	case family == "ENTERPRISEAGREEMENT":
		sub.Channel = domain.ChannelEA
		g.Basis = basis + " is an Enterprise Agreement's or a Microsoft Customer Agreement's Azure plan: confirm which"
	case family == "CSP" && managedByUs:
		g.Value, g.Basis = "bought through us, to confirm", basis+" is a CSP partner's and our tenant manages it (managedByTenants)"
		return g, "CSP subscription our tenant manages: probably ours."
	case family == "CSP":
		sub.Channel = domain.ChannelOtherCSP
		g.Basis = basis + " is a CSP partner's, and not one our tenant manages"
	case family == "AZUREINOPEN":
		sub.Channel = domain.ChannelOpen
		g.Basis = basis + " is Azure in Open, bought through Volume Licensing"
	case family == "MSDNDEVTEST":
		g.Value = domain.ChannelUnknown.Label()
		g.Basis = basis + " is a Dev/Test offer of an EA, an MCA, pay-as-you-go or Visual Studio: to classify"
		return g, ""
	case domain.OfferKindOf(quotaID) == domain.OfferBenefit:
		g.Value = domain.ChannelUnknown.Label()
		g.Basis = basis + " is a " + domain.BenefitName(quotaID) + " offer: a benefit or credit, which no partner takes over"
		return g, ""
	default:
		g.Value, g.Basis = domain.ChannelUnknown.Label(), basis+" is not one the import knows: to classify"
		return g, ""
	}
	g.Value = sub.Channel.Label()
	return g, ""
}
