package domain

import (
	"encoding/json"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// This file holds the Microsoft Customer Agreement (MCA) attestation: who at
// the customer accepted the agreement, and when, as the customer gives it on
// the invitation page.
//
// Microsoft: "To purchase on behalf of a Cloud Solution Provider (CSP)
// customer, you must first have a reselling relationship established with
// them, and the customer must sign the Microsoft Customer Agreement."
// https://learn.microsoft.com/en-us/partner-center/customers/request-a-relationship-with-a-customer
//
// The fields are those Microsoft's attestation asks for: "First name, Last
// name, Email address, Phone number (optional)" and the date
// (https://learn.microsoft.com/en-us/partner-center/developer/confirm-customer-consent-customer-agreement),
// plus "Company name", which the enhanced attestation API, the only way left
// since 5 January 2026, also needs
// (https://learn.microsoft.com/en-us/partner-center/customers/integrate-sandbox-confirm-customer-accept).
// Partner Center's own form is gone: "partners are no longer able to create
// or update an MCA attestation with Partner Center's UI"
// (https://learn.microsoft.com/en-us/partner-center/customers/integrate-sandbox-confirm-customer-agree),
// so the app keeps the record as the partner's evidence and offers it in the
// API's field names.

// MCAAgreementURL is where the customer reads and accepts the Microsoft
// Customer Agreement for its own organisation: its Microsoft 365 admin
// center, which shows the agreement for the tenant's country and language
// (https://learn.microsoft.com/en-us/partner-center/confirm-customer-agreement).
// Microsoft publishes no single public address of the document: "The
// Microsoft Customer Agreement is country/region-specific"
// (https://learn.microsoft.com/en-us/partner-center/developer/download-customer-agreement-template),
// so the page links to the one place that always shows the right one.
const MCAAgreementURL = "https://admin.microsoft.com/AdminPortal/Home?ref=/BillingAccounts/agreement"

// Attestation is the customer's word that it accepted the Microsoft Customer
// Agreement: the person who accepted, the company, when (the app's clock at
// the answer, so never in the future, which Microsoft refused) and the
// address the page gave to read the agreement.
type Attestation struct {
	FirstName    string
	LastName     string
	Email        string
	Phone        string // optional
	CompanyName  string
	AgreementURL string
	AcceptedAt   time.Time
}

// The longest name and company name accepted, in characters.
const (
	maxAttestationName    = 100
	maxAttestationCompany = 200
)

// phonePattern is a telephone number as people write it: an optional +,
// then digits with spaces, dots, hyphens or brackets (an opening one
// first too) between them.
var phonePattern = regexp.MustCompile(`^\+?[0-9(][0-9 ().\-]*[0-9]$`)

// Normalize trims the fields and lower-cases a well-formed e-mail address.
func (a Attestation) Normalize() Attestation {
	a.FirstName, a.LastName = strings.TrimSpace(a.FirstName), strings.TrimSpace(a.LastName)
	a.Phone, a.CompanyName = strings.TrimSpace(a.Phone), strings.TrimSpace(a.CompanyName)
	if e, err := NormalizeEmail(a.Email); err == nil {
		a.Email = e
	} else {
		a.Email = strings.TrimSpace(a.Email)
	}
	return a
}

// Validate checks a normalized attestation and returns the problems by the
// invitation form's field names.
func (a Attestation) Validate() FieldErrors {
	errs := a.validatePerson()
	textField(errs, "company_name", a.CompanyName, "Enter your organisation's name.", maxAttestationCompany)
	if a.Phone != "" && !validPhone(a.Phone) {
		errs["phone"] = "Enter a telephone number such as +44 20 7946 0000, or leave it empty."
	}
	return errs
}

// validatePerson checks the person who answers: names and e-mail address.
func (a Attestation) validatePerson() FieldErrors {
	errs := FieldErrors{}
	textField(errs, "first_name", a.FirstName, "Enter your first name.", maxAttestationName)
	textField(errs, "last_name", a.LastName, "Enter your last name.", maxAttestationName)
	if _, err := NormalizeEmail(a.Email); err != nil {
		errs["email"] = "Enter your e-mail address, such as name@example.com."
	}
	return errs
}

// textField puts into errs the problem of a required one-line text value,
// if any: missing, longer than limit characters, or with control
// characters.
func textField(errs FieldErrors, field, value, missing string, limit int) {
	switch {
	case value == "":
		errs[field] = missing
	case utf8.RuneCountInString(value) > limit:
		errs[field] = "Use at most " + strconv.Itoa(limit) + " characters."
	case strings.IndexFunc(value, unicode.IsControl) >= 0:
		errs[field] = "Use letters, spaces and punctuation only."
	}
}

// validPhone reports whether p looks like a telephone number with 6 to 15
// digits, the most E.164 allows.
func validPhone(p string) bool {
	if !phonePattern.MatchString(p) {
		return false
	}
	digits := 0
	for _, r := range p {
		if r >= '0' && r <= '9' {
			digits++
		}
	}
	return digits >= 6 && digits <= 15
}

// AttestationAsked reports whether the customer's page asks for the MCA
// attestation in cloud: only in the commercial cloud, because Microsoft's
// attestation "Does not apply to: … Partner Center for Microsoft Cloud for
// US Government"; "Partner Center currently supports confirmation of
// customer acceptance of the Microsoft Customer Agreement only in the
// Microsoft public cloud."
// https://learn.microsoft.com/en-us/partner-center/developer/confirm-customer-consent-customer-agreement
func AttestationAsked(cloud Cloud) bool { return cloud != CloudUSGovernment }

// CheckAttestation applies the rule of cloud to an acceptance by the
// person of a (normalized), who ticked the agreement's box or not
// (acceptsMCA). In the commercial cloud the attestation is required: every
// field valid and the box ticked; it returns the attestation to store. In
// US Government only the person is checked and nothing is returned to
// store, so that no record suggests an agreement Microsoft does not take
// there.
func CheckAttestation(cloud Cloud, a Attestation, acceptsMCA bool) (*Attestation, FieldErrors) {
	if !AttestationAsked(cloud) {
		return nil, a.validatePerson()
	}
	errs := a.Validate()
	if !acceptsMCA {
		errs["mca"] = "Confirm that your organisation accepts the Microsoft Customer Agreement."
	}
	return &a, errs
}

// SplitName splits a full name at its last space into first and last name:
// the guess that prefills the attestation from the invited person (the
// customer corrects it where it is wrong) and the demo's attestations.
func SplitName(full string) (first, last string) {
	full = strings.TrimSpace(full)
	if i := strings.LastIndexByte(full, ' '); i > 0 {
		return strings.TrimSpace(full[:i]), full[i+1:]
	}
	return full, ""
}

// FullName is the attesting person's name as one string.
func (a Attestation) FullName() string {
	return strings.TrimSpace(a.FirstName + " " + a.LastName)
}

// APIRecord is the attestation in the field names of Microsoft's agreement
// resource (primaryContact with firstName, lastName, email, phoneNumber;
// dateAgreed in UTC; type MicrosoftCustomerAgreement,
// https://learn.microsoft.com/en-us/partner-center/developer/agreement-resources)
// plus companyName, which the enhanced API asks for: what the partner's
// attestation integration, or its indirect provider, needs to relay it.
// templateId is left out: it comes from Microsoft's agreement metadata, not
// from the customer.
func (a Attestation) APIRecord() string {
	type contact struct {
		FirstName   string `json:"firstName"`
		LastName    string `json:"lastName"`
		Email       string `json:"email"`
		PhoneNumber string `json:"phoneNumber,omitempty"`
	}
	rec := struct {
		PrimaryContact contact `json:"primaryContact"`
		CompanyName    string  `json:"companyName"`
		DateAgreed     string  `json:"dateAgreed"`
		Type           string  `json:"type"`
	}{contact{a.FirstName, a.LastName, a.Email, a.Phone}, a.CompanyName,
		a.AcceptedAt.UTC().Format("2006-01-02T15:04:05.000Z"), "MicrosoftCustomerAgreement"}
	out, _ := json.MarshalIndent(rec, "", "  ") // strings only: it cannot fail
	return string(out)
}

// AttestationRecord is an attestation as partner staff see it, with who
// passes it on to Microsoft.
type AttestationRecord struct {
	Attestation
	// ByProvider says the partner is an indirect reseller, which may not
	// attest: "Indirect resellers can't attest on behalf of their
	// customers. Instead, they must work with their indirect provider to
	// complete attestation."
	// https://learn.microsoft.com/en-us/partner-center/customers/integrate-sandbox-confirm-customer-agree
	ByProvider bool
	Provider   string // the indirect provider's name, when known
}

// RecordFor returns a as partner p's staff see it.
func (a Attestation) RecordFor(p Partner) AttestationRecord {
	r := AttestationRecord{Attestation: a, ByProvider: p.CSPModel == CSPIndirectReseller}
	if r.ByProvider {
		r.Provider = p.ProviderName
	}
	return r
}
