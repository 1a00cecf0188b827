package domain

import (
	"maps"
	"strings"
)

// Country is an ISO 3166-1 alpha-2 code and its English short name.
type Country struct {
	Code string
	Name string
}

// Countries lists every ISO 3166-1 alpha-2 country, ordered by name. The list
// is taken from the tz database's iso3166.tab (public domain), but for GB,
// which people look for as the United Kingdom, not "Britain (UK)".
var Countries = []Country{
	{"AF", "Afghanistan"},
	{"AL", "Albania"},
	{"DZ", "Algeria"},
	{"AD", "Andorra"},
	{"AO", "Angola"},
	{"AI", "Anguilla"},
	{"AQ", "Antarctica"},
	{"AG", "Antigua & Barbuda"},
	{"AR", "Argentina"},
	{"AM", "Armenia"},
	{"AW", "Aruba"},
	{"AU", "Australia"},
	{"AT", "Austria"},
	{"AZ", "Azerbaijan"},
	{"BS", "Bahamas"},
	{"BH", "Bahrain"},
	{"BD", "Bangladesh"},
	{"BB", "Barbados"},
	{"BY", "Belarus"},
	{"BE", "Belgium"},
	{"BZ", "Belize"},
	{"BJ", "Benin"},
	{"BM", "Bermuda"},
	{"BT", "Bhutan"},
	{"BO", "Bolivia"},
	{"BA", "Bosnia & Herzegovina"},
	{"BW", "Botswana"},
	{"BV", "Bouvet Island"},
	{"BR", "Brazil"},
	{"IO", "British Indian Ocean Territory"},
	{"BN", "Brunei"},
	{"BG", "Bulgaria"},
	{"BF", "Burkina Faso"},
	{"BI", "Burundi"},
	{"KH", "Cambodia"},
	{"CM", "Cameroon"},
	{"CA", "Canada"},
	{"CV", "Cape Verde"},
	{"BQ", "Caribbean NL"},
	{"KY", "Cayman Islands"},
	{"CF", "Central African Rep."},
	{"TD", "Chad"},
	{"CL", "Chile"},
	{"CN", "China"},
	{"CX", "Christmas Island"},
	{"CC", "Cocos (Keeling) Islands"},
	{"CO", "Colombia"},
	{"KM", "Comoros"},
	{"CD", "Congo (Dem. Rep.)"},
	{"CG", "Congo (Rep.)"},
	{"CK", "Cook Islands"},
	{"CR", "Costa Rica"},
	{"HR", "Croatia"},
	{"CU", "Cuba"},
	{"CW", "Curaçao"},
	{"CY", "Cyprus"},
	{"CZ", "Czech Republic"},
	{"CI", "Côte d'Ivoire"},
	{"DK", "Denmark"},
	{"DJ", "Djibouti"},
	{"DM", "Dominica"},
	{"DO", "Dominican Republic"},
	{"TL", "East Timor"},
	{"EC", "Ecuador"},
	{"EG", "Egypt"},
	{"SV", "El Salvador"},
	{"GQ", "Equatorial Guinea"},
	{"ER", "Eritrea"},
	{"EE", "Estonia"},
	{"SZ", "Eswatini (Swaziland)"},
	{"ET", "Ethiopia"},
	{"FK", "Falkland Islands"},
	{"FO", "Faroe Islands"},
	{"FJ", "Fiji"},
	{"FI", "Finland"},
	{"FR", "France"},
	{"GF", "French Guiana"},
	{"PF", "French Polynesia"},
	{"TF", "French S. Terr."},
	{"GA", "Gabon"},
	{"GM", "Gambia"},
	{"GE", "Georgia"},
	{"DE", "Germany"},
	{"GH", "Ghana"},
	{"GI", "Gibraltar"},
	{"GR", "Greece"},
	{"GL", "Greenland"},
	{"GD", "Grenada"},
	{"GP", "Guadeloupe"},
	{"GU", "Guam"},
	{"GT", "Guatemala"},
	{"GG", "Guernsey"},
	{"GN", "Guinea"},
	{"GW", "Guinea-Bissau"},
	{"GY", "Guyana"},
	{"HT", "Haiti"},
	{"HM", "Heard Island & McDonald Islands"},
	{"HN", "Honduras"},
	{"HK", "Hong Kong"},
	{"HU", "Hungary"},
	{"IS", "Iceland"},
	{"IN", "India"},
	{"ID", "Indonesia"},
	{"IR", "Iran"},
	{"IQ", "Iraq"},
	{"IE", "Ireland"},
	{"IM", "Isle of Man"},
	{"IL", "Israel"},
	{"IT", "Italy"},
	{"JM", "Jamaica"},
	{"JP", "Japan"},
	{"JE", "Jersey"},
	{"JO", "Jordan"},
	{"KZ", "Kazakhstan"},
	{"KE", "Kenya"},
	{"KI", "Kiribati"},
	{"KP", "Korea (North)"},
	{"KR", "Korea (South)"},
	{"KW", "Kuwait"},
	{"KG", "Kyrgyzstan"},
	{"LA", "Laos"},
	{"LV", "Latvia"},
	{"LB", "Lebanon"},
	{"LS", "Lesotho"},
	{"LR", "Liberia"},
	{"LY", "Libya"},
	{"LI", "Liechtenstein"},
	{"LT", "Lithuania"},
	{"LU", "Luxembourg"},
	{"MO", "Macau"},
	{"MG", "Madagascar"},
	{"MW", "Malawi"},
	{"MY", "Malaysia"},
	{"MV", "Maldives"},
	{"ML", "Mali"},
	{"MT", "Malta"},
	{"MH", "Marshall Islands"},
	{"MQ", "Martinique"},
	{"MR", "Mauritania"},
	{"MU", "Mauritius"},
	{"YT", "Mayotte"},
	{"MX", "Mexico"},
	{"FM", "Micronesia"},
	{"MD", "Moldova"},
	{"MC", "Monaco"},
	{"MN", "Mongolia"},
	{"ME", "Montenegro"},
	{"MS", "Montserrat"},
	{"MA", "Morocco"},
	{"MZ", "Mozambique"},
	{"MM", "Myanmar (Burma)"},
	{"NA", "Namibia"},
	{"NR", "Nauru"},
	{"NP", "Nepal"},
	{"NL", "Netherlands"},
	{"NC", "New Caledonia"},
	{"NZ", "New Zealand"},
	{"NI", "Nicaragua"},
	{"NE", "Niger"},
	{"NG", "Nigeria"},
	{"NU", "Niue"},
	{"NF", "Norfolk Island"},
	{"MK", "North Macedonia"},
	{"MP", "Northern Mariana Islands"},
	{"NO", "Norway"},
	{"OM", "Oman"},
	{"PK", "Pakistan"},
	{"PW", "Palau"},
	{"PS", "Palestine"},
	{"PA", "Panama"},
	{"PG", "Papua New Guinea"},
	{"PY", "Paraguay"},
	{"PE", "Peru"},
	{"PH", "Philippines"},
	{"PN", "Pitcairn"},
	{"PL", "Poland"},
	{"PT", "Portugal"},
	{"PR", "Puerto Rico"},
	{"QA", "Qatar"},
	{"RO", "Romania"},
	{"RU", "Russia"},
	{"RW", "Rwanda"},
	{"RE", "Réunion"},
	{"AS", "Samoa (American)"},
	{"WS", "Samoa (western)"},
	{"SM", "San Marino"},
	{"ST", "Sao Tome & Principe"},
	{"SA", "Saudi Arabia"},
	{"SN", "Senegal"},
	{"RS", "Serbia"},
	{"SC", "Seychelles"},
	{"SL", "Sierra Leone"},
	{"SG", "Singapore"},
	{"SK", "Slovakia"},
	{"SI", "Slovenia"},
	{"SB", "Solomon Islands"},
	{"SO", "Somalia"},
	{"ZA", "South Africa"},
	{"GS", "South Georgia & the South Sandwich Islands"},
	{"SS", "South Sudan"},
	{"ES", "Spain"},
	{"LK", "Sri Lanka"},
	{"BL", "St Barthelemy"},
	{"SH", "St Helena"},
	{"KN", "St Kitts & Nevis"},
	{"LC", "St Lucia"},
	{"SX", "St Maarten (Dutch)"},
	{"MF", "St Martin (French)"},
	{"PM", "St Pierre & Miquelon"},
	{"VC", "St Vincent"},
	{"SD", "Sudan"},
	{"SR", "Suriname"},
	{"SJ", "Svalbard & Jan Mayen"},
	{"SE", "Sweden"},
	{"CH", "Switzerland"},
	{"SY", "Syria"},
	{"TW", "Taiwan"},
	{"TJ", "Tajikistan"},
	{"TZ", "Tanzania"},
	{"TH", "Thailand"},
	{"TG", "Togo"},
	{"TK", "Tokelau"},
	{"TO", "Tonga"},
	{"TT", "Trinidad & Tobago"},
	{"TN", "Tunisia"},
	{"TR", "Turkey"},
	{"TM", "Turkmenistan"},
	{"TC", "Turks & Caicos Is"},
	{"TV", "Tuvalu"},
	{"UM", "US minor outlying islands"},
	{"UG", "Uganda"},
	{"UA", "Ukraine"},
	{"AE", "United Arab Emirates"},
	{"GB", "United Kingdom"},
	{"US", "United States"},
	{"UY", "Uruguay"},
	{"UZ", "Uzbekistan"},
	{"VU", "Vanuatu"},
	{"VA", "Vatican City"},
	{"VE", "Venezuela"},
	{"VN", "Vietnam"},
	{"VG", "Virgin Islands (UK)"},
	{"VI", "Virgin Islands (US)"},
	{"WF", "Wallis & Futuna"},
	{"EH", "Western Sahara"},
	{"YE", "Yemen"},
	{"ZM", "Zambia"},
	{"ZW", "Zimbabwe"},
	{"AX", "Åland Islands"},
}

var countryNames = func() map[string]string {
	m := make(map[string]string, len(Countries))
	for _, c := range Countries {
		m[c.Code] = c.Name
	}
	return m
}()

// IsCountryCode reports whether code is an upper-case ISO 3166-1 alpha-2 code.
func IsCountryCode(code string) bool {
	_, ok := countryNames[code]
	return ok
}

// CountryName returns the English short name of a country code, or the code.
func CountryName(code string) string {
	if n, ok := countryNames[code]; ok {
		return n
	}
	return code
}

// countryAliases are the other names a spreadsheet often gives a country,
// by NameKey, beyond its code and the name of Countries.
var countryAliases = map[string]string{
	"uk": "GB", "britainuk": "GB", "greatbritain": "GB", "britain": "GB", "england": "GB", "scotland": "GB", "wales": "GB",
	"northernireland": "GB", "usa": "US", "unitedstatesofamerica": "US", "southkorea": "KR", "korea": "KR",
	"thenetherlands": "NL", "holland": "NL", "czechia": "CZ", "czechrepublic": "CZ", "uae": "AE", "turkiye": "TR",
}

var countryKeys = func() map[string]string {
	m := make(map[string]string, len(Countries)+len(countryAliases))
	for _, c := range Countries {
		m[NameKey(c.Name)] = c.Code
	}
	maps.Copy(m, countryAliases)
	return m
}()

// CountryCode reads a country as a spreadsheet writes it: its ISO 3166-1
// alpha-2 code in any case, its name as Countries has it, or a common other
// name ("UK", "United Kingdom", "USA"), whatever the case and punctuation.
func CountryCode(s string) (string, bool) {
	if code := strings.ToUpper(strings.TrimSpace(s)); IsCountryCode(code) {
		return code, true
	}
	code, ok := countryKeys[NameKey(s)]
	return code, ok
}
