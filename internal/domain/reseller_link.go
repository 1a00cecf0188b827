package domain

import (
	"net/url"
	"strings"
)

// The partner's reseller relationship link: one link per partner, the same
// for every customer, copied from Partner Center (Customers → "Request a
// reseller relationship") or returned by its API as the url of
// GET /v1/customers/relationshiprequests. Microsoft's example of it:
//
//	https://admin.microsoft.com/Adminportal/Home?invType=ResellerRelationship&partnerId=3b33e682-00c3-41ee-9dd2-a548adf56438&msppId=0&DAP=false#/BillingAccounts/partner-invitation
//
// (learn.microsoft.com/en-us/partner-center/developer/request-reseller-relationship).
// An indirect reseller's link says IndirectResellerRelationship, carries its
// PartnerID in msppId and names its indirect provider by tenant id in
// indirectCSPId (the regional-markets page documents the same parameters for
// the older portal.office.com form: id, msppid, indirectCSP). The link is
// kept and shown exactly as pasted: Partner Center has handed out several
// fragments (#/BillingAccounts/partner-invitation, #/partners/invitation),
// with DAP=true, DAP=false or no DAP at all (DAP has granted nothing since
// 9 October 2023), so none of those is checked. No host is documented for
// the US Government cloud's link, so none is accepted there yet.

// Reseller link invitation types, the value of its invType parameter.
const (
	invTypeReseller         = "resellerrelationship"
	invTypeIndirectReseller = "indirectresellerrelationship"
)

// ResellerLinkHost is the host of the Microsoft 365 admin center, where the
// customer's Global admin accepts a reseller relationship (commercial cloud).
const ResellerLinkHost = "admin.microsoft.com"

// CheckResellerLink says what is wrong with raw as the reseller relationship
// link of partner p, or "" when it may be stored: https, the admin center's
// host and page, the invitation type of p's CSP model (an indirect
// reseller's own type), and a tenant id as partnerId (for an indirect
// reseller, also its provider's tenant id as indirectCSPId, matching the one
// recorded). A GDAP invitation link is refused with a message that says so.
func CheckResellerLink(raw string, p Partner) string {
	raw = strings.TrimSpace(raw)
	if isGDAPLink(raw) {
		return "This is a GDAP invitation link (admin roles). Paste the reseller relationship link from Partner Center's Customers → Request a reseller relationship."
	}
	if p.Cloud == CloudUSGovernment {
		return "Microsoft documents no reseller relationship link for the US Government cloud yet, so the app cannot check one; leave it empty."
	}
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "https" || u.User != nil || !strings.EqualFold(u.Host, ResellerLinkHost) ||
		!strings.EqualFold(u.Path, "/adminportal/home") {
		return "Paste the link exactly as Partner Center gives it: it starts with https://admin.microsoft.com/Adminportal/Home?invType=…"
	}
	q := lowerKeys(u.Query())
	want := invTypeReseller
	if p.CSPModel == CSPIndirectReseller {
		want = invTypeIndirectReseller
	}
	switch got := strings.ToLower(q.Get("invtype")); {
	case got == "":
		return "The link has no invType: copy the whole link from Partner Center."
	case got != want && want == invTypeIndirectReseller:
		return "An indirect reseller's link says invType=IndirectResellerRelationship and names its indirect provider: make it in Partner Center after choosing the provider (Customers → New relationship)."
	case got != want:
		return "This link is an indirect reseller's (invType=IndirectResellerRelationship), but the CSP model is " + p.CSPModel.Label() + "."
	}
	if !guidPattern.MatchString(strings.ToLower(q.Get("partnerid"))) {
		return "The link's partnerId must be your Microsoft ID (your tenant id, a GUID): copy the whole link from Partner Center."
	}
	if p.TenantID != "" && !strings.EqualFold(q.Get("partnerid"), p.TenantID) {
		return "The link's partnerId is not your Microsoft ID " + p.TenantID + ": is it another partner's link?"
	}
	if want == invTypeIndirectReseller {
		provider := strings.ToLower(q.Get("indirectcspid"))
		if !guidPattern.MatchString(provider) {
			return "An indirect reseller's link names its indirect provider's tenant id (indirectCSPId): copy the whole link from Partner Center."
		}
		if p.ProviderTenantID != "" && provider != strings.ToLower(p.ProviderTenantID) {
			return "The link names another indirect provider (" + provider + ") than the one recorded below."
		}
	}
	return ""
}

// MissingForInvitations says what the partner must set before any invitation
// can be sent, and who can set it, or "" when nothing is missing: in the
// commercial cloud the customer accepts through the partner's reseller link,
// so without it an invitation would ask the customer to accept nothing.
func (p Partner) MissingForInvitations() string {
	if p.Cloud == CloudCommercial && p.ResellerLink == "" {
		return "The partner's reseller relationship link from Partner Center is not set yet, so the customer would have nothing to accept. " +
			"A Global admin sets it in Settings → Reseller relationship link."
	}
	return ""
}

// lowerKeys returns q with its parameter names lower-cased: Partner Center's
// links have been seen with more than one spelling of them.
func lowerKeys(q url.Values) url.Values {
	out := url.Values{}
	for k, vs := range q {
		out[strings.ToLower(k)] = append(out[strings.ToLower(k)], vs...)
	}
	return out
}

// isGDAPLink reports whether raw is a GDAP invitation link
// (…#/partners/invitation/granularAdminRelationships/{id}), which the
// reseller link field refuses.
func isGDAPLink(raw string) bool {
	return strings.Contains(strings.ToLower(raw), "granularadminrelationships")
}
