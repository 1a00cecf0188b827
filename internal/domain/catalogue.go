package domain

import "strings"

// Product is an entry of the catalogue of common Microsoft products that the
// product field suggests.
type Product struct {
	Name        string
	ServiceType ServiceType
}

// Catalogue lists common Microsoft products and how each is billed.
var Catalogue = []Product{
	{"Microsoft 365 Business Basic", ServiceLicence},
	{"Microsoft 365 Business Standard", ServiceLicence},
	{"Microsoft 365 Business Premium", ServiceLicence},
	{"Microsoft 365 E3", ServiceLicence},
	{"Microsoft 365 E5", ServiceLicence},
	{"Microsoft 365 F3", ServiceLicence},
	{"Office 365 E1", ServiceLicence},
	{"Office 365 E3", ServiceLicence},
	{"Office 365 E5", ServiceLicence},
	{"Exchange Online (Plan 1)", ServiceLicence},
	{"Exchange Online (Plan 2)", ServiceLicence},
	{"Microsoft Teams Essentials", ServiceLicence},
	{"Microsoft 365 Copilot", ServiceLicence},
	{"Dynamics 365 Sales Enterprise", ServiceLicence},
	{"Dynamics 365 Customer Service Enterprise", ServiceLicence},
	{"Dynamics 365 Business Central", ServiceLicence},
	{"Power BI Pro", ServiceLicence},
	{"Azure subscription", ServiceUsage},
	{"Azure plan", ServiceUsage},
	{"Azure reservation", ServiceUsage},
	{"Azure savings plan", ServiceUsage},
}

// CatalogueServiceType returns the service type of a catalogue product named
// name (case-insensitively).
func CatalogueServiceType(name string) (ServiceType, bool) {
	for _, p := range Catalogue {
		if strings.EqualFold(p.Name, strings.TrimSpace(name)) {
			return p.ServiceType, true
		}
	}
	return ServiceUnknown, false
}
