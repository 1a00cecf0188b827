package domain

import "testing"

// TestCountryCode reads countries as spreadsheets write them.
func TestCountryCode(t *testing.T) {
	for in, want := range map[string]string{"gb": "GB", " GB ": "GB", "UK": "GB", "United Kingdom": "GB", "Britain (UK)": "GB",
		"united states": "US", "USA": "US", "Deutschland": "", "Germany": "DE", "the Netherlands": "NL", "": ""} {
		got, ok := CountryCode(in)
		if got != want || ok != (want != "") {
			t.Errorf("CountryCode(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
}

// TestCountryNames names GB as people look for it.
func TestCountryNames(t *testing.T) {
	if got := CountryName("GB"); got != "United Kingdom" {
		t.Errorf("CountryName(GB) = %q", got)
	}
	for i := 1; i < len(Countries); i++ {
		if Countries[i-1].Name > Countries[i].Name && Countries[i].Name != "Åland Islands" {
			t.Errorf("%q comes before %q", Countries[i-1].Name, Countries[i].Name)
		}
	}
}
