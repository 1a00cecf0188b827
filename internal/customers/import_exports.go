package customers

import (
	"bytes"
	"context"
	"errors"

	"github.com/wingtip/multichannel/internal/domain"
	"github.com/wingtip/multichannel/internal/msexports"
)

// previewExport is PreviewImport for one of Microsoft's exports (JSON, or
// the Volume Licensing contracts CSV), read by msexports with its guesses
// made against the partner's and the customer's tenants and a CSV's
// numeric dates read in the order chosen (or as the file or the customer's
// country shows), and kept as a batch like a file of ours.
func (s *Service) previewExport(ctx context.Context, actor domain.Actor, preview ImportPreview, data []byte, choice ImportChoice) (ImportPreview, error) {
	partner, err := s.store.Partner(ctx)
	if err != nil && !errors.Is(err, domain.ErrNotFound) {
		return preview, err
	}
	ov := preview.Customer
	result, err := msexports.Parse(bytes.NewReader(data), msexports.Options{PartnerTenant: partner.TenantID, CustomerTenant: ov.Customer.TenantID,
		DateOrder: choice.DateOrder, Country: ov.Customer.Country}, s.now())
	if err != nil {
		return preview, err
	}
	preview.Format, preview.Errors, preview.Encoding, preview.Dates = result.Format, result.Errors, result.Encoding, result.Dates
	preview.Rows = make([]ImportRow, 0, len(result.Rows))
	for _, row := range result.Rows {
		preview.addRow(domain.BatchRow{Line: row.Line, Subscription: row.Subscription, Guesses: guessesOf(row)})
	}
	if !result.OK() {
		return preview, nil
	}
	preview.BatchID, err = s.keepBatch(ctx, actor, preview)
	return preview, err
}

// guessesOf are the guesses msexports made of a row, each with the value
// it set, so that a change by the uploader can be told from it.
func guessesOf(row msexports.Row) []domain.ImportGuess {
	var out []domain.ImportGuess
	for _, g := range row.Guesses {
		out = append(out, domain.GuessOf(row.Subscription, g.Field, g.Value, g.Basis))
	}
	return out
}
