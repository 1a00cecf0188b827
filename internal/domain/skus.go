package domain

import "strings"

// SKU is a Microsoft licence SKU as Microsoft Graph names it
// (skuPartNumber) with the product it sells, for reading the licences of a
// tenant from Graph's subscribedSkus and directory/subscriptions.
type SKU struct {
	PartNumber string
	Product    Product
}

// SKUs lists the commonly sold Microsoft 365, Office 365, Dynamics 365,
// Power Platform, Teams, Windows, security and identity SKUs, each a
// licence, by part number. Part numbers and product names are the "String
// ID" and "Product name" columns of Microsoft's "Product names and service
// plan identifiers for licensing"
// (https://learn.microsoft.com/en-us/entra/identity/users/licensing-service-plan-reference);
// the names are written as partners and Microsoft's price lists say them
// today (Microsoft 365 Copilot rather than the page's Copilot for Microsoft
// 365, Microsoft Teams Premium rather than its Introductory Pricing, the
// Calling Plans rather than Skype for Business PSTN). Compared with the
// page's table as updated on 29 October 2025: Dynamics 365, Entra ID,
// Information Protection, Audio Conferencing, Copilot, Enterprise Mobility +
// Security, Exchange Online, Intune, the Teams rows, the calling plans,
// Power Apps, Power Automate, Power BI (whose free SKU the page now names
// Microsoft Fabric (Free)), Project (now Planner Plan 1 and Planner and
// Project Plan 3; the PROJECTPREMIUM row still says Project Online
// Premium), SharePoint, Visio, Windows, Windows 365, and Defender for
// Endpoint, Business, Identity and Office 365 (Plan 2). The Microsoft 365
// and Office 365 suites, Teams Shared Devices, Flow Free, Defender for
// Cloud Apps and for Office 365 (Plan 1) are as the page is known to list
// them.
var SKUs = []SKU{
	// Microsoft 365
	{"O365_BUSINESS_ESSENTIALS", Product{"Microsoft 365 Business Basic", ServiceLicence}},
	{"O365_BUSINESS_PREMIUM", Product{"Microsoft 365 Business Standard", ServiceLicence}},
	{"SPB", Product{"Microsoft 365 Business Premium", ServiceLicence}},
	{"O365_BUSINESS", Product{"Microsoft 365 Apps for business", ServiceLicence}},
	{"OFFICESUBSCRIPTION", Product{"Microsoft 365 Apps for enterprise", ServiceLicence}},
	{"SPE_E3", Product{"Microsoft 365 E3", ServiceLicence}},
	{"SPE_E5", Product{"Microsoft 365 E5", ServiceLicence}},
	{"SPE_F1", Product{"Microsoft 365 F3", ServiceLicence}},
	{"M365_F1_COMM", Product{"Microsoft 365 F1", ServiceLicence}},
	{"IDENTITY_THREAT_PROTECTION", Product{"Microsoft 365 E5 Security", ServiceLicence}},
	{"INFORMATION_PROTECTION_COMPLIANCE", Product{"Microsoft 365 E5 Compliance", ServiceLicence}},
	{"Microsoft_365_Copilot", Product{"Microsoft 365 Copilot", ServiceLicence}},
	// Office 365 and its workloads
	{"STANDARDPACK", Product{"Office 365 E1", ServiceLicence}},
	{"ENTERPRISEPACK", Product{"Office 365 E3", ServiceLicence}},
	{"ENTERPRISEPREMIUM", Product{"Office 365 E5", ServiceLicence}},
	{"ENTERPRISEPREMIUM_NOPSTNCONF", Product{"Office 365 E5 without Audio Conferencing", ServiceLicence}},
	{"DESKLESSPACK", Product{"Office 365 F3", ServiceLicence}},
	{"EXCHANGESTANDARD", Product{"Exchange Online (Plan 1)", ServiceLicence}},
	{"EXCHANGEENTERPRISE", Product{"Exchange Online (Plan 2)", ServiceLicence}},
	// The page names EXCHANGEESSENTIALS Exchange Online Essentials (ExO P1
	// Based) and EXCHANGE_S_ESSENTIALS Exchange Online Essentials: both are
	// sold as the one product.
	{"EXCHANGEESSENTIALS", Product{"Exchange Online Essentials", ServiceLicence}},
	{"EXCHANGE_S_ESSENTIALS", Product{"Exchange Online Essentials", ServiceLicence}},
	{"EXCHANGEDESKLESS", Product{"Exchange Online Kiosk", ServiceLicence}},
	{"EXCHANGEARCHIVE_ADDON", Product{"Exchange Online Archiving for Exchange Online", ServiceLicence}},
	{"SHAREPOINTSTANDARD", Product{"SharePoint Online (Plan 1)", ServiceLicence}},
	{"SHAREPOINTENTERPRISE", Product{"SharePoint Online (Plan 2)", ServiceLicence}},
	{"PROJECT_P1", Product{"Planner Plan 1", ServiceLicence}},
	{"PROJECTPROFESSIONAL", Product{"Planner and Project Plan 3", ServiceLicence}},
	{"PROJECTPREMIUM", Product{"Project Plan 5", ServiceLicence}},
	{"VISIOONLINE_PLAN1", Product{"Visio Plan 1", ServiceLicence}},
	{"VISIOCLIENT", Product{"Visio Plan 2", ServiceLicence}},
	// Teams
	{"MCOEV", Product{"Microsoft Teams Phone Standard", ServiceLicence}},
	{"MCOMEETADV", Product{"Microsoft 365 Audio Conferencing", ServiceLicence}},
	{"MCOPSTN1", Product{"Microsoft 365 Domestic Calling Plan", ServiceLicence}},
	{"MCOPSTN2", Product{"Microsoft 365 Domestic and International Calling Plan", ServiceLicence}},
	{"MCOCAP", Product{"Microsoft Teams Shared Devices", ServiceLicence}},
	{"PHONESYSTEM_VIRTUALUSER", Product{"Microsoft Teams Phone Resource Account", ServiceLicence}},
	{"Microsoft_Teams_Rooms_Basic", Product{"Microsoft Teams Rooms Basic", ServiceLicence}},
	{"Microsoft_Teams_Rooms_Pro", Product{"Microsoft Teams Rooms Pro", ServiceLicence}},
	{"Microsoft_Teams_Premium", Product{"Microsoft Teams Premium", ServiceLicence}},
	{"TEAMS_EXPLORATORY", Product{"Microsoft Teams Exploratory", ServiceLicence}},
	// Power Platform
	{"POWER_BI_STANDARD", Product{"Microsoft Fabric (Free)", ServiceLicence}},
	{"POWER_BI_PRO", Product{"Power BI Pro", ServiceLicence}},
	{"PBI_PREMIUM_PER_USER", Product{"Power BI Premium Per User", ServiceLicence}},
	{"POWERAPPS_PER_USER", Product{"Power Apps Premium", ServiceLicence}},
	{"POWERAPPS_VIRAL", Product{"Microsoft Power Apps Plan 2 Trial", ServiceLicence}},
	{"FLOW_FREE", Product{"Microsoft Power Automate Free", ServiceLicence}},
	{"FLOW_PER_USER", Product{"Power Automate per user plan", ServiceLicence}},
	{"POWERAUTOMATE_ATTENDED_RPA", Product{"Power Automate Premium", ServiceLicence}},
	// Dynamics 365
	{"DYN365_ENTERPRISE_SALES", Product{"Dynamics 365 Sales Enterprise", ServiceLicence}},
	{"D365_SALES_PRO", Product{"Dynamics 365 Sales Professional", ServiceLicence}},
	{"DYN365_ENTERPRISE_CUSTOMER_SERVICE", Product{"Dynamics 365 Customer Service Enterprise", ServiceLicence}},
	{"DYN365_ENTERPRISE_SALES_CUSTOMERSERVICE", Product{"Dynamics 365 Sales and Customer Service Enterprise", ServiceLicence}},
	{"DYN365_ENTERPRISE_FIELD_SERVICE", Product{"Dynamics 365 Field Service", ServiceLicence}},
	{"DYN365_ENTERPRISE_PLAN1", Product{"Dynamics 365 Customer Engagement Plan", ServiceLicence}},
	{"DYN365_ENTERPRISE_TEAM_MEMBERS", Product{"Dynamics 365 Team Members", ServiceLicence}},
	{"DYN365_FINANCE", Product{"Dynamics 365 Finance", ServiceLicence}},
	{"DYN365_SCM", Product{"Dynamics 365 Supply Chain Management", ServiceLicence}},
	{"DYN365_BUSCENTRAL_ESSENTIAL", Product{"Dynamics 365 Business Central Essentials", ServiceLicence}},
	{"DYN365_BUSCENTRAL_PREMIUM", Product{"Dynamics 365 Business Central Premium", ServiceLicence}},
	{"DYN365_BUSCENTRAL_TEAM_MEMBER", Product{"Dynamics 365 Business Central Team Members", ServiceLicence}},
	// Windows
	{"WIN10_VDA_E3", Product{"Windows Enterprise E3", ServiceLicence}},
	{"WIN10_VDA_E5", Product{"Windows Enterprise E5", ServiceLicence}},
	{"CPC_E_2C_8GB_128GB", Product{"Windows 365 Enterprise 2 vCPU, 8 GB, 128 GB", ServiceLicence}},
	// Defender, security and identity
	{"DEFENDER_ENDPOINT_P1", Product{"Microsoft Defender for Endpoint P1", ServiceLicence}},
	{"WIN_DEF_ATP", Product{"Microsoft Defender for Endpoint P2", ServiceLicence}},
	{"MDE_SMB", Product{"Microsoft Defender for Business", ServiceLicence}},
	{"ATP_ENTERPRISE", Product{"Microsoft Defender for Office 365 (Plan 1)", ServiceLicence}},
	{"THREAT_INTELLIGENCE", Product{"Microsoft Defender for Office 365 (Plan 2)", ServiceLicence}},
	{"ATA", Product{"Microsoft Defender for Identity", ServiceLicence}},
	{"ADALLOM_STANDALONE", Product{"Microsoft Defender for Cloud Apps", ServiceLicence}},
	{"EMS", Product{"Enterprise Mobility + Security E3", ServiceLicence}},
	{"EMSPREMIUM", Product{"Enterprise Mobility + Security E5", ServiceLicence}},
	{"AAD_PREMIUM", Product{"Microsoft Entra ID P1", ServiceLicence}},
	{"AAD_PREMIUM_P2", Product{"Microsoft Entra ID P2", ServiceLicence}},
	{"INTUNE_A", Product{"Microsoft Intune Plan 1", ServiceLicence}},
	{"RIGHTSMANAGEMENT", Product{"Azure Information Protection Plan 1", ServiceLicence}},
}

// skuIndex finds a SKU by its part number, upper-cased: Graph writes part
// numbers in mixed case (Microsoft_365_Copilot) and files retyped by hand
// do not keep it.
var skuIndex = func() map[string]Product {
	m := make(map[string]Product, len(SKUs))
	for _, s := range SKUs {
		m[strings.ToUpper(s.PartNumber)] = s.Product
	}
	return m
}()

// SKUProduct returns the product a SKU part number sells; ok is false for
// a part number not in SKUs, whose product the caller keeps as the part
// number itself.
func SKUProduct(partNumber string) (Product, bool) {
	p, ok := skuIndex[strings.ToUpper(strings.TrimSpace(partNumber))]
	return p, ok
}
