package domain

import (
	"strings"
	"testing"
)

func TestCheckResellerLink(t *testing.T) {
	const (
		tenant   = "3b33e682-00c3-41ee-9dd2-a548adf56438"
		provider = "9d3f1c2a-5b6e-4f70-8a91-b2c3d4e5f607"
		direct   = "https://admin.microsoft.com/Adminportal/Home?invType=ResellerRelationship&partnerId=" + tenant + "&msppId=0&DAP=false#/BillingAccounts/partner-invitation"
		indirect = "https://admin.microsoft.com/Adminportal/Home?invType=IndirectResellerRelationship&partnerId=" + tenant +
			"&msppId=6531449&indirectCSPId=" + provider + "#/partners/invitation"
		gdap = "https://admin.microsoft.com/AdminPortal/Home#/partners/invitation/granularAdminRelationships/" +
			"9f1f2a1b-1c2d-4e5f-8a9b-0c1d2e3f4a5b-0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d"
	)
	directBill := Partner{CSPModel: CSPDirectBill, Cloud: CloudCommercial, TenantID: tenant}
	reseller := Partner{CSPModel: CSPIndirectReseller, Cloud: CloudCommercial, TenantID: tenant, ProviderTenantID: provider}
	for _, tc := range []struct {
		name, link string
		p          Partner
		want       string // part of the message; "" when the link is fine
	}{
		{"Microsoft's example", direct, directBill, ""},
		{"another fragment, no DAP, names in another case", "https://ADMIN.microsoft.com/AdminPortal/Home?invtype=resellerrelationship&PartnerId=" + tenant + "&msppId=0#/partners/invitation", directBill, ""},
		{"no tenant id recorded yet", direct, Partner{CSPModel: CSPIndirectProvider, Cloud: CloudCommercial}, ""},
		{"an indirect reseller's link", indirect, reseller, ""},
		{"http", strings.Replace(direct, "https:", "http:", 1), directBill, "exactly as Partner Center gives it"},
		{"another host", strings.Replace(direct, "admin.microsoft.com", "admin.micros0ft.com", 1), directBill, "exactly as Partner Center gives it"},
		{"user info", strings.Replace(direct, "https://", "https://x@", 1), directBill, "exactly as Partner Center gives it"},
		{"another page", strings.Replace(direct, "/Adminportal/Home", "/Adminportal/Other", 1), directBill, "exactly as Partner Center gives it"},
		{"no invType", strings.Replace(direct, "invType=ResellerRelationship&", "", 1), directBill, "no invType"},
		{"no partnerId", strings.Replace(direct, "partnerId="+tenant, "partnerId=5139005", 1), directBill, "partnerId must be your Microsoft ID"},
		{"another partner's link", strings.Replace(direct, tenant, provider, 1), directBill, "is it another partner's link"},
		{"a reseller's link for a direct-bill partner", indirect, directBill, "indirect reseller's"},
		{"a direct link for an indirect reseller", direct, reseller, "invType=IndirectResellerRelationship"},
		{"an indirect link without its provider", strings.Replace(indirect, "&indirectCSPId="+provider, "", 1), reseller, "indirectCSPId"},
		{"an indirect link naming another provider", indirect, Partner{CSPModel: CSPIndirectReseller, Cloud: CloudCommercial, ProviderTenantID: tenant}, "another indirect provider"},
		{"a GDAP link", gdap, directBill, "GDAP invitation link"},
		{"US Government", direct, Partner{CSPModel: CSPDirectBill, Cloud: CloudUSGovernment}, "US Government"},
	} {
		got := CheckResellerLink(tc.link, tc.p)
		if (tc.want == "") != (got == "") || !strings.Contains(got, tc.want) {
			t.Errorf("%s: CheckResellerLink = %q, want %q", tc.name, got, tc.want)
		}
	}
}
