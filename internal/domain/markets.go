package domain

import "strings"

// This file holds the regional rule of reseller relationships. Microsoft
// sets it by CSP market, not by country: "Your company's location
// determines your market. Your market includes the regions and/or countries
// where you can sell Cloud Solution Provider (CSP) program offers", and
// "Customers can only accept relationship requests from partners if their
// market is in the partner's region." The customer's location "depends on
// the country/region set in the tenant."
// https://learn.microsoft.com/en-us/partner-center/regional-authorization-overview
// (table below from that page, as published in MicrosoftDocs/partner-center-pr,
// regional-authorization-overview.md; Russia, listed in 2021, is left out
// as Microsoft's later lists leave it out, and China, a market of its own
// operated by 21Vianet, is added as they add it.)

// Market is a CSP market: the countries a partner located in one of them
// may sell to.
type Market string

// The CSP markets, by the names of Microsoft's page.
const (
	MarketAfrica       Market = "Africa"
	MarketAsiaPacific  Market = "Asia and Pacific"
	MarketAustralia    Market = "Australia"
	MarketBrazil       Market = "Brazil"
	MarketCanada       Market = "Canada"
	MarketChina        Market = "China"
	MarketEurope       Market = "Europe"
	MarketIndia        Market = "India"
	MarketJapan        Market = "Japan"
	MarketKorea        Market = "Korea"
	MarketLatinAmerica Market = "Latin America and the Caribbean"
	MarketMiddleEast   Market = "Middle East, Central Europe and Eastern Europe"
	MarketNewZealand   Market = "New Zealand"
	MarketTaiwan       Market = "Taiwan"
	MarketUnitedStates Market = "United States"
)

// marketCountries lists each market's countries and regions by ISO 3166-1
// alpha-2 code, as Microsoft's page lists them.
var marketCountries = map[Market]string{
	MarketAfrica: "AO BJ BW BF BI CM CV CF TD KM CG CD CI DJ GQ ER ET PF GA GM GH GN GW KE LR MG MW ML MU YT NA NC NE NG RE RW ST " +
		"SN SC SL SO SS SH TZ TG UG ZM",
	MarketAsiaPacific: "BD BT BN KH HK ID LA MO MY MV MM NP PH SG LK TH TL VN",
	MarketAustralia:   "AU CX CC CK FJ TF GU HM KI MH FM NR NU NF MP PW PG PN SB TK TO TV WF",
	MarketBrazil:      "BR",
	MarketCanada:      "CA PM",
	MarketChina:       "CN",
	// The EU, EFTA and the UK with the territories and microstates beside
	// them, one market.
	MarketEurope: "AX AD AT BE BV BG HR CY CZ DK EE FO FI FR DE GI GR GL GG HU IS IE IM IT JE LV LI LT LU MT MC NL NO PL PT RO " +
		"SM SK SI ES SJ SE CH GB VA",
	MarketIndia: "IN",
	MarketJapan: "JP",
	MarketKorea: "KR",
	MarketLatinAmerica: "AI AQ AG AR AW BS BB BZ BM BO BQ VG KY CL CO CR CW DM DO EC SV FK GF GD GP GT GY HT HN JM MQ MX MS NI PA " +
		"PY PE PR BL KN LC MF VC SX GS SR TT TC UY VE VI",
	MarketMiddleEast: "AF AL DZ AM AZ BH BY BA IO EG GE IQ IL JO KZ KW KG LB LS LY MK MR MD MN ME MA MZ OM PK PS QA SA RS ZA SZ " +
		"TJ TN TR TM UA AE UZ YE ZW",
	MarketNewZealand:   "AS NZ WS VU",
	MarketTaiwan:       "TW",
	MarketUnitedStates: "US UM",
}

// countryMarket is marketCountries by country.
var countryMarket = func() map[string]Market {
	m := map[string]Market{}
	for market, codes := range marketCountries {
		for _, c := range strings.Fields(codes) {
			m[c] = market
		}
	}
	return m
}()

// MarketOf returns the CSP market of a country code, and false for a
// country in none (where Microsoft sells no CSP offers).
func MarketOf(country string) (Market, bool) {
	m, ok := countryMarket[strings.ToUpper(country)]
	return m, ok
}

// MarketRule is Microsoft's wording of the regional rule, shown with the
// warning: "Keep in mind most regions are only allowed to establish
// reselling relationships with their same region or country."
// https://learn.microsoft.com/en-us/partner-center/customers/request-a-relationship-with-a-customer
const MarketRule = "Microsoft: most regions are only allowed to establish reselling relationships with their same region or country, " +
	"and customers can only accept relationship requests from partners if their market is in the partner's region."

// MarketWarning says why a request from a partner located in
// partnerCountry to a customer whose tenant is in customerCountry may fail
// at Microsoft, or "" when both are in one market. A partner without a
// country set is not checked: nothing is known to compare. A partner in a
// country of no market is taken to sell in its own country only.
func MarketWarning(partnerCountry, customerCountry string) string {
	if partnerCountry == "" || customerCountry == "" || strings.EqualFold(partnerCountry, customerCountry) {
		return ""
	}
	pm, pok := MarketOf(partnerCountry)
	cm, cok := MarketOf(customerCountry)
	if pok && cok && pm == cm {
		return ""
	}
	where := CountryName(strings.ToUpper(customerCountry)) + " is outside your CSP market"
	if pok {
		where += " (" + string(pm) + ")"
	}
	return where + ". " + MarketRule
}

// CheckMarket applies the regional rule to a new request: outside the
// partner's market it is refused unless confirmed says the user saw
// MarketWarning and goes on.
func CheckMarket(partnerCountry, customerCountry string, confirmed bool) FieldErrors {
	if w := MarketWarning(partnerCountry, customerCountry); w != "" && !confirmed {
		return FieldErrors{"outside_market_ok": "This customer is outside your CSP market: tick the box to send the request anyway."}
	}
	return FieldErrors{}
}
