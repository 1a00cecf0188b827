package domain

import (
	"strings"
	"testing"
)

// TestMarketTable checks the table as data: every code a known country,
// none in two markets.
func TestMarketTable(t *testing.T) {
	seen := map[string]Market{}
	for market, codes := range marketCountries {
		for _, c := range strings.Fields(codes) {
			if !IsCountryCode(c) {
				t.Errorf("%s lists %q, not a country code", market, c)
			}
			if other, ok := seen[c]; ok {
				t.Errorf("%s is in %s and %s", c, other, market)
			}
			seen[c] = market
		}
	}
}

func TestMarketWarning(t *testing.T) {
	for _, tc := range []struct {
		name              string
		partner, customer string
		warn              bool
	}{
		{"same country", "DE", "DE", false},
		{"Europe is one market, not one country", "DE", "FR", false},
		{"the UK and EFTA are in Europe's market", "GB", "CH", false},
		{"a territory in its market", "US", "UM", false},
		{"Europe to the United States", "DE", "US", true},
		{"Brazil is a market of its own", "BR", "AR", true},
		{"into Brazil from Latin America", "MX", "BR", true},
		{"Japan is a market of its own", "JP", "KR", true},
		{"a customer in no market", "US", "CU", true},
		{"a partner in no market sells at home only", "RU", "BY", true},
		{"a partner in no market, at home", "RU", "RU", false},
		{"case does not matter", "de", "Fr", false},
		{"the partner's country not set: nothing to compare", "", "US", false},
		{"the customer's country not set", "DE", "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := MarketWarning(tc.partner, tc.customer)
			if (w != "") != tc.warn {
				t.Fatalf("MarketWarning(%q, %q) = %q, want a warning: %v", tc.partner, tc.customer, w, tc.warn)
			}
			if tc.warn && !strings.Contains(w, "most regions are only allowed to establish reselling relationships with their same region or country") {
				t.Errorf("the warning %q does not quote Microsoft's rule", w)
			}
			errs := CheckMarket(tc.partner, tc.customer, false)
			if errs.Any() != tc.warn {
				t.Errorf("CheckMarket without the tick: %v", errs)
			}
			if errs := CheckMarket(tc.partner, tc.customer, true); errs.Any() {
				t.Errorf("CheckMarket with the tick: %v", errs)
			}
		})
	}
	if w := MarketWarning("DE", "US"); !strings.Contains(w, "United States is outside your CSP market (Europe)") {
		t.Errorf("the warning %q does not name the country and the partner's market", w)
	}
}
