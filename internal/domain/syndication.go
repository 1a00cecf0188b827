package domain

// SyndicationStep is one step a customer takes to leave a Syndication
// partner before a CSP partner can serve its tenant.
type SyndicationStep struct {
	Title  string
	Detail string
}

// LeavingGoDaddy are the steps partners document for a customer leaving
// GoDaddy, the most common Syndication partner, whose tenant is federated
// so that it cannot move under the CSP programme. Microsoft documents no
// steps of its own (its multichannel page only says Syndication purchases
// are outside multichannel support); these come from partners' guides,
// LeavingGoDaddySources.
var LeavingGoDaddy = []SyndicationStep{
	{"Prepare the users", "Tell everyone they will choose a new password once the tenant is defederated."},
	{"Find the tenant's own Global admin", "GoDaddy creates a hidden Global admin account (admin@NETORG….onmicrosoft.com); reach it through the Microsoft Entra admin center."},
	{"Defederate every domain", "Convert each domain from federated to managed authentication with PowerShell (Microsoft Graph), so that sign-in no longer goes through GoDaddy."},
	{"Reset the passwords", "Give every user a new password, or let them set one."},
	{"Accept the CSP partner's reseller relationship", "The customer's Global admin accepts it through the partner's invitation link."},
	{"Buy the CSP licences", "The partner buys the replacement licences before the GoDaddy ones end, so that no one loses access."},
	{"Remove GoDaddy as delegated admin", "In the Microsoft 365 admin center, under Partner relationships."},
	{"Cancel the GoDaddy subscription", "Only after the CSP licences are assigned. Do not ask GoDaddy's support to do the defederation: partners report that it can delete the users and their data."},
}

// LeavingGoDaddySources are the partners' guides LeavingGoDaddy follows.
var LeavingGoDaddySources = []string{
	"https://www.aloye.com/wp/csp-defederation-of-microsoft-office-365-from-godaddy/",
	"https://www.technetnewengland.com/blog/defederate-microsoft-365-from-godaddy-guide",
	"https://www.nimbus-logic.com/microsoft-office-365/defederating-your-o365-tenant-from-godaddy/",
	"https://netcollege.co.uk/article/move-from-godaddy-to-microsoft-365-defederation/",
}
