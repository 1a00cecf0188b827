package msexports

import (
	"strconv"
	"strings"

	"github.com/wingtip/multichannel/internal/domain"
	"github.com/wingtip/multichannel/internal/inventorycsv"
)

// subscribedSku is the part of Microsoft Graph v1.0's subscribedSku that
// the inventory reads
// (https://learn.microsoft.com/graph/api/resources/subscribedsku):
// skuPartNumber names the SKU, prepaidUnits (a licenseUnitsDetail) counts
// its licences by status, enabled being those in use; capabilityStatus is
// Enabled, Warning, Suspended, Deleted or LockedOut (the customer
// cancelled); subscriptionIds are the commercial subscriptions behind the
// SKU. The resource has no owner, trial flag or date: those are in
// directory/subscriptions.
type subscribedSku struct {
	SkuPartNumber    string `json:"skuPartNumber"`
	CapabilityStatus string `json:"capabilityStatus"`
	ConsumedUnits    int    `json:"consumedUnits"`
	PrepaidUnits     struct {
		Enabled int `json:"enabled"`
	} `json:"prepaidUnits"`
	SubscriptionIDs []string `json:"subscriptionIds"`
}

func parseSubscribedSku(it item, _ Options) (Row, []inventorycsv.RowError) {
	var s subscribedSku
	errs := decode(it, &s)
	row := Row{Row: inventorycsv.Row{Line: it.line}}
	sub := &row.Subscription
	row.Guesses = skuProduct(sub, s.SkuPartNumber)
	sub.Quantity = s.PrepaidUnits.Enabled
	sub.Reference = strings.Join(s.SubscriptionIDs, " ")
	sub.Notes = notes(statusNote("capabilityStatus", s.CapabilityStatus),
		strconv.Itoa(s.ConsumedUnits)+" of the licences assigned (consumedUnits).")
	row.Guesses = append(row.Guesses, Guess{Field: "channel", Value: domain.ChannelUnknown.Label(),
		Basis: "subscribedSkus does not say who sold the SKU; directory/subscriptions names the partner (ownerTenantId)"})
	return row, errs
}

// companySubscription is the part of Microsoft Graph v1.0's
// companySubscription (GET /directory/subscriptions) that the inventory
// reads (https://learn.microsoft.com/graph/api/resources/companysubscription):
// commerceSubscriptionId is the subscription's id in the commerce system,
// the one Partner Center and the admin center show; totalLicenses its
// licences; isTrial whether it is a free trial; nextLifecycleDateTime when
// it moves to its next state (status: Enabled, Deleted, Suspended, Warning,
// LockedOut) if not renewed; ownerTenantId the Microsoft partner tenant
// that created it in the customer's tenant. ownerType says what ownerId
// (the account admin) is, such as "User", not who sold it, so it is not
// read for the channel.
type companySubscription struct {
	SkuPartNumber          string `json:"skuPartNumber"`
	CommerceSubscriptionID string `json:"commerceSubscriptionId"`
	ID                     string `json:"id"`
	Status                 string `json:"status"`
	TotalLicenses          int    `json:"totalLicenses"`
	IsTrial                bool   `json:"isTrial"`
	NextLifecycleDateTime  string `json:"nextLifecycleDateTime"`
	OwnerTenantID          string `json:"ownerTenantId"`
}

func parseCompanySubscription(it item, opts Options) (Row, []inventorycsv.RowError) {
	var s companySubscription
	errs := decode(it, &s)
	row := Row{Row: inventorycsv.Row{Line: it.line}}
	sub := &row.Subscription
	row.Guesses = skuProduct(sub, s.SkuPartNumber)
	sub.Quantity = s.TotalLicenses
	sub.Reference = s.CommerceSubscriptionID
	if sub.Reference == "" {
		sub.Reference = s.ID
	}
	if end, ok := domain.ParseLooseDate(s.NextLifecycleDateTime, domain.DateOrderUnknown); ok {
		sub.TermEnd = end
	} else {
		errs = append(errs, inventorycsv.RowError{Line: it.line, Column: "term_end",
			Message: "nextLifecycleDateTime " + strconv.Quote(s.NextLifecycleDateTime) + " is not a date-time"})
	}
	var trial string
	if s.IsTrial {
		trial = "Trial (isTrial): it ends unless it is bought."
		row.Guesses = append(row.Guesses, Guess{Field: "notes", Value: "trial", Basis: "isTrial is true"})
	}
	var owner string
	channel := Guess{Field: "channel"}
	switch {
	case s.OwnerTenantID == "":
		channel.Value, channel.Basis = domain.ChannelUnknown.Label(), "it has no ownerTenantId: no partner created it, so it is to classify"
	case sameTenant(s.OwnerTenantID, opts.PartnerTenant):
		owner = "Bought through us: ownerTenantId is our tenant."
		channel.Value, channel.Basis = "bought through us, to confirm", "ownerTenantId "+s.OwnerTenantID+" is our tenant"
	default:
		sub.Channel = domain.ChannelOtherCSP
		owner = "Owner partner tenant (ownerTenantId): " + s.OwnerTenantID + ", for the transfer request."
		channel.Value, channel.Basis = sub.Channel.Label(), "ownerTenantId "+s.OwnerTenantID+" is another partner's tenant"
	}
	row.Guesses = append(row.Guesses, channel)
	sub.Notes = notes(trial, statusNote("status", s.Status), owner)
	return row, errs
}

// skuProduct sets the product and service type of a SKU from the
// catalogue, or keeps its part number, and says which.
func skuProduct(sub *domain.Subscription, partNumber string) []Guess {
	sub.ServiceType = domain.ServiceLicence
	if p, ok := domain.SKUProduct(partNumber); ok {
		sub.Product = p.Name
		sub.ServiceType = p.ServiceType
		return []Guess{{Field: "product", Value: p.Name, Basis: "skuPartNumber " + partNumber + " is " + p.Name + " in the catalogue"}}
	}
	sub.Product = strings.TrimSpace(partNumber)
	return []Guess{{Field: "product", Value: sub.Product, Basis: "skuPartNumber " + partNumber +
		" is not in the catalogue, so the part number is kept; rename it after the import if you know it"}}
}

// statusNote says a status other than Enabled, which a partner must
// know of before planning: a suspended or warned subscription is about to
// end.
func statusNote(field, status string) string {
	if status == "" || strings.EqualFold(status, "Enabled") {
		return ""
	}
	return "Status " + status + " (" + field + ")."
}
