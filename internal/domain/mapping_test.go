package domain

import "testing"

func TestSuggestChannel(t *testing.T) {
	for in, want := range map[string]Channel{
		"Pay-as-you-go": ChannelMicrosoftDirect, "PAYG": ChannelMicrosoftDirect, "Credit card": ChannelMicrosoftDirect,
		"Reseller (Pinnacle IT)": ChannelThirdParty, "Reseller partner": ChannelThirdParty,
		"Partner (Contoso Cloud)": ChannelOtherCSP, "CSP - Northwind": ChannelOtherCSP,
		"EA": ChannelEA, "Enterprise": ChannelEA, "EA enrollment 1234": ChannelEA,
		"Open Value": ChannelOpen, "MPSA": ChannelOpen, "Volume licence": ChannelOpen,
		"Bought by Bob": ChannelUnknown, "": ChannelUnknown,
	} {
		if got := SuggestChannel(in); got != want {
			t.Errorf("SuggestChannel(%q) = %q; want %q", in, got, want)
		}
	}
}

func TestSuggestServiceType(t *testing.T) {
	for in, want := range map[string]ServiceType{
		"Azure plan": ServiceUsage, "Pay as you go": ServiceUsage, "Per-user": ServiceLicence, "Subscription": ServiceLicence, "Other": ServiceUnknown,
	} {
		if got := SuggestServiceType(in); got != want {
			t.Errorf("SuggestServiceType(%q) = %q; want %q", in, got, want)
		}
	}
}

func TestSellerName(t *testing.T) {
	for in, want := range map[string]string{
		"Reseller (Pinnacle IT)": "Pinnacle IT", "CSP [ Northwind ]": "Northwind", "Reseller": "", "Reseller (open": "",
	} {
		if got := SellerName(in); got != want {
			t.Errorf("SellerName(%q) = %q; want %q", in, got, want)
		}
	}
	if !CarriesSeller(ChannelOtherCSP) || !CarriesSeller(ChannelThirdParty) || CarriesSeller(ChannelMicrosoftDirect) {
		t.Error("CarriesSeller")
	}
}

func TestHeaderKey(t *testing.T) {
	if got := HeaderKey([]string{"Agreement / ID", " Renewal date "}); got != "agreementid|renewaldate" {
		t.Errorf("HeaderKey = %q", got)
	}
}
