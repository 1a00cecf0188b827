package demo

import "embed"

// Sample is a made-up file for a demo customer, for a newcomer to try the
// import from the import page: File names it under samples/, Customer is
// the domain of the customer it is made for, Label says what it is.
type Sample struct {
	File     string
	Customer string
	Label    string
}

// Samples are one file of each Microsoft export the import recognises
// (internal/msexports): Contoso's licences from Graph's subscribedSkus,
// Fabrikam's subscriptions from directory/subscriptions (one another
// partner's, Trey Research's, one ours, one trial nobody sold), Northwind's
// Azure subscriptions from the Resource Manager list (EA, pay-as-you-go,
// CSP, Visual Studio and Azure in Open quota ids), and Alpine Ski House's
// from az account list, and Woodgrove Bank's Volume Licensing contracts as
// the Microsoft 365 admin center exports them (an Enterprise Agreement, a
// Select Plus and an MBSA contract, an expired Open Value one and one with
// no parent program, dates month first as a US admin's are). Tailspin
// Toys' own spreadsheet, as CSV and as a workbook, is no export: its
// columns and values go through the mapping step.
var Samples = []Sample{
	{"contoso-subscribedSkus.json", "contoso.onmicrosoft.com", "Microsoft Graph subscribedSkus"},
	{"fabrikam-directory-subscriptions.json", "fabrikam.onmicrosoft.com", "Microsoft Graph directory/subscriptions"},
	{"northwind-arm-subscriptions.json", "northwindtraders.onmicrosoft.com", "Azure Resource Manager subscriptions list"},
	{"alpine-az-account-list.json", "alpineskihouse.onmicrosoft.com", "az account list"},
	{"woodgrove-vl-contracts.csv", "woodgrovebank.onmicrosoft.com", "Microsoft 365 admin center Volume Licensing contracts"},
	{"tailspin-licences.csv", "tailspintoys.onmicrosoft.com", "A customer's own spreadsheet, saved as CSV"},
	{"tailspin-licences.xlsx", "tailspintoys.onmicrosoft.com", "A customer's own spreadsheet, as an Excel workbook"},
}

//go:embed samples/*.json samples/*.csv samples/*.xlsx
var samples embed.FS

// SampleFile returns the content of the sample named file; ok is false for
// a name that is not one of Samples.
func SampleFile(file string) ([]byte, bool) {
	for _, s := range Samples {
		if s.File == file {
			data, err := samples.ReadFile("samples/" + s.File)
			return data, err == nil
		}
	}
	return nil, false
}
