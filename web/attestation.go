package web

import (
	"github.com/wingtip/multichannel/internal/domain"
	"github.com/wingtip/multichannel/views"
)

// attestationView builds the staff view of a customer's attestation, nil
// when it gave none.
func attestationView(r *domain.AttestationRecord) *views.AttestationView {
	if r == nil {
		return nil
	}
	v := &views.AttestationView{Name: r.FullName(), Email: r.Email, Phone: r.Phone, CompanyName: r.CompanyName,
		AcceptedAt: domain.FormatDateTime(r.AcceptedAt), AgreementURL: r.AgreementURL, Record: r.APIRecord()}
	if r.ByProvider {
		v.Provider = "your indirect provider"
		if r.Provider != "" {
			v.Provider += " (" + r.Provider + ")"
		}
	}
	return v
}
