package domain

import "testing"

// TestSKUProduct: a known part number in any case gives its product, an
// unknown one nothing; the catalogue holds at least 60 SKUs, each once.
func TestSKUProduct(t *testing.T) {
	tests := []struct {
		part, product string
		ok            bool
	}{
		{"SPE_E3", "Microsoft 365 E3", true},
		{" spe_e5 ", "Microsoft 365 E5", true},
		{"Microsoft_365_Copilot", "Microsoft 365 Copilot", true},
		{"DYN365_BUSCENTRAL_ESSENTIAL", "Dynamics 365 Business Central Essentials", true},
		// Renamed on the page: Project Plan 1 and 3 became Planner plans, the
		// free Power BI became Microsoft Fabric (Free).
		{"PROJECT_P1", "Planner Plan 1", true},
		{"PROJECTPROFESSIONAL", "Planner and Project Plan 3", true},
		{"POWER_BI_STANDARD", "Microsoft Fabric (Free)", true},
		{"EXCHANGE_S_ESSENTIALS", "Exchange Online Essentials", true},
		{"CONTOSO_LAB_ADDON", "", false},
		{"", "", false},
	}
	for _, tt := range tests {
		p, ok := SKUProduct(tt.part)
		if ok != tt.ok || p.Name != tt.product {
			t.Errorf("SKUProduct(%q) = %q, %v", tt.part, p.Name, ok)
		}
	}
	if len(SKUs) < 60 {
		t.Errorf("%d SKUs, want at least 60", len(SKUs))
	}
	seen := map[string]bool{}
	for _, s := range SKUs {
		if seen[s.PartNumber] || s.Product.Name == "" || !s.Product.ServiceType.Valid() {
			t.Errorf("SKU %+v repeated or incomplete", s)
		}
		seen[s.PartNumber] = true
	}
}
