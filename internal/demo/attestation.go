package demo

import (
	"time"

	"github.com/wingtip/multichannel/internal/domain"
)

// attestation returns the Microsoft Customer Agreement attestation the demo
// customer c gave when it answered, at when, a request now in status: its
// Global admin with the customer's name, as the customer page prefills
// them, for every request it accepted; nil for one it declined.
func attestation(status domain.RelationshipStatus, c domain.Customer, when time.Time) *domain.Attestation {
	if status == domain.StatusDeclined {
		return nil
	}
	first, last := domain.SplitName(c.AdminName)
	return &domain.Attestation{FirstName: first, LastName: last, Email: c.AdminEmail, CompanyName: c.Name,
		AgreementURL: domain.MCAAgreementURL, AcceptedAt: when}
}
