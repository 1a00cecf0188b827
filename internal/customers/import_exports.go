package customers

import (
	"bytes"
	"context"
	"errors"

	"github.com/wingtip/multichannel/internal/domain"
	"github.com/wingtip/multichannel/internal/inventorycsv"
	"github.com/wingtip/multichannel/internal/msexports"
)

// previewExport is PreviewImport for a JSON upload: one of Microsoft's
// exports, read by msexports with its guesses made against the partner's
// and the customer's tenants, and kept as a batch like a CSV.
func (s *Service) previewExport(ctx context.Context, actor domain.Actor, preview ImportPreview, filename string, data []byte) (ImportPreview, error) {
	partner, err := s.store.Partner(ctx)
	if err != nil && !errors.Is(err, domain.ErrNotFound) {
		return preview, err
	}
	ov := preview.Customer
	result, err := msexports.Parse(bytes.NewReader(data), msexports.Tenants{Partner: partner.TenantID, Customer: ov.Customer.TenantID}, s.now())
	if err != nil {
		return preview, err
	}
	preview.Format, preview.Errors, preview.Encoding = result.Format, result.Errors, inventorycsv.EncodingUTF8
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
