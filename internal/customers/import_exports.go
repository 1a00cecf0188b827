package customers

import (
	"bytes"
	"context"
	"errors"

	"github.com/wingtip/multichannel/internal/domain"
	"github.com/wingtip/multichannel/internal/msexports"
)

// previewExport is PreviewImport for a JSON upload: one of Microsoft's
// exports, read by msexports with its guesses made against the partner's
// and the customer's tenants, and kept as a batch like a CSV.
func (s *Service) previewExport(ctx context.Context, actor domain.Actor, preview ImportPreview, filename string, data []byte,
	choice ImportChoice) (ImportPreview, error) {
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
	for _, row := range result.Rows {
		preview.Rows = append(preview.Rows, ImportRow{Row: row.Row, Classification: ov.Rules.Classify(ov.Customer, row.Subscription),
			Guesses: row.Guesses})
	}
	if !result.OK() {
		return preview, nil
	}
	preview.BatchID, err = s.keepBatch(ctx, actor, ov.Customer.ID, filename, preview.Rows)
	return preview, err
}
