package sqlite

import (
	"context"
	"database/sql"
	"errors"

	"github.com/wingtip/multichannel/internal/domain"
)

// Attestation returns the Microsoft Customer Agreement attestation the
// customer gave with its acceptance of request relationshipID, or
// domain.ErrNotFound when it gave none (declined, not answered yet, or US
// Government).
func (s *Store) Attestation(ctx context.Context, relationshipID int64) (domain.Attestation, error) {
	var a domain.Attestation
	err := s.read.QueryRowContext(ctx, `SELECT first_name, last_name, email, phone, company_name, agreement_url, accepted_at
		FROM mca_attestations WHERE relationship_id = ?`, relationshipID).
		Scan(&a.FirstName, &a.LastName, &a.Email, &a.Phone, &a.CompanyName, &a.AgreementURL, timeColumn{&a.AcceptedAt})
	if errors.Is(err, sql.ErrNoRows) {
		return a, domain.ErrNotFound
	}
	return a, err
}

// insertAttestation stores a's attestation with request relationshipID,
// through tx, in the transaction that records the answer.
func insertAttestation(ctx context.Context, tx *sql.Tx, relationshipID int64, a domain.Attestation) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO mca_attestations (relationship_id, first_name, last_name, email, phone, company_name,
		agreement_url, accepted_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		relationshipID, a.FirstName, a.LastName, a.Email, a.Phone, a.CompanyName, a.AgreementURL, formatTime(a.AcceptedAt))
	return err
}
