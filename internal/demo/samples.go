package demo

import "embed"

// Sample is a made-up export of one of Microsoft's tools for a demo
// customer, for a newcomer to try the import from the import page: File
// names it under samples/, Customer is the domain of the customer it is
// made for, Label says what it is.
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
// from az account list.
var Samples = []Sample{
	{"contoso-subscribedSkus.json", "contoso.onmicrosoft.com", "Microsoft Graph subscribedSkus"},
	{"fabrikam-directory-subscriptions.json", "fabrikam.onmicrosoft.com", "Microsoft Graph directory/subscriptions"},
	{"northwind-arm-subscriptions.json", "northwindtraders.onmicrosoft.com", "Azure Resource Manager subscriptions list"},
	{"alpine-az-account-list.json", "alpineskihouse.onmicrosoft.com", "az account list"},
}

//go:embed samples/*.json
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
