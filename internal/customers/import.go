package customers

import (
	"bytes"
	"context"
	"fmt"
	"io"

	"github.com/wingtip/multichannel/internal/domain"
	"github.com/wingtip/multichannel/internal/inventorycsv"
	"github.com/wingtip/multichannel/internal/msexports"
)

// ImportPreview is what an uploaded file would import, for the preview page:
// the customer, every row read with its line and its workflow, the problems
// found, and, when there are none, the batch to confirm.
type ImportPreview struct {
	Customer domain.CustomerOverview
	Rows     []ImportRow
	Errors   []inventorycsv.RowError // in line order; none when the file can be imported
	BatchID  int64                   // 0 when the file has errors and nothing was kept
	Dates    inventorycsv.DateReading
	Encoding inventorycsv.Encoding
	// Format is the Microsoft export a JSON upload was recognised as;
	// msexports.FormatNone for a CSV.
	Format msexports.Format
}

// ImportRow is one row of an uploaded file with how the rules classify its
// subscription for the customer.
type ImportRow struct {
	inventorycsv.Row
	Classification domain.Classification
	Guesses        []msexports.Guess // what a Microsoft export's row was guessed from; none for a CSV
}

// PreviewImport reads an uploaded CSV for a customer (or, when the upload
// is JSON, the Microsoft export it is: see previewExport), its numeric dates in
// order when the uploader chose one (otherwise as the file shows, or as
// usual in the customer's country when it leaves it open). A file with errors
// keeps nothing; a good one is kept as a batch until ConfirmImport. File-level
// problems (too large, too many rows, a wrong header, not UTF-8) are returned
// as errors, with the preview's Customer still set so that the upload form
// can be shown again; an unknown customer is domain.ErrNotFound.
func (s *Service) PreviewImport(ctx context.Context, actor domain.Actor, customerID int64, filename string, file io.Reader,
	order domain.DateOrder) (ImportPreview, error) {
	ov, err := s.Overview(ctx, customerID)
	if err != nil {
		return ImportPreview{}, err
	}
	preview := ImportPreview{Customer: ov}
	data, err := io.ReadAll(io.LimitReader(file, inventorycsv.MaxBytes+1))
	if err != nil {
		return preview, fmt.Errorf("reading the file: %w", err)
	}
	if msexports.IsJSON(data) {
		return s.previewExport(ctx, actor, preview, filename, data)
	}
	result, err := inventorycsv.Parse(bytes.NewReader(data), s.now(), inventorycsv.Options{DateOrder: order, Country: ov.Customer.Country})
	if err != nil {
		return preview, err
	}
	preview.Errors, preview.Dates, preview.Encoding = result.Errors, result.Dates, result.Encoding
	for _, row := range result.Rows {
		sub := row.Subscription
		preview.Rows = append(preview.Rows, ImportRow{Row: row, Classification: ov.Rules.Classify(ov.Customer, sub)})
	}
	if !result.OK() {
		return preview, nil
	}
	preview.BatchID, err = s.keepBatch(ctx, actor, customerID, filename, preview.Rows)
	return preview, err
}

// keepBatch keeps the subscriptions of a file without errors as an import
// batch until ConfirmImport.
func (s *Service) keepBatch(ctx context.Context, actor domain.Actor, customerID int64, filename string, rows []ImportRow) (int64, error) {
	subs := make([]domain.Subscription, len(rows))
	for i, row := range rows {
		subs[i] = row.Subscription
		subs[i].CustomerID = customerID
	}
	return s.store.CreateImportBatch(ctx, actor, customerID, filename, subs)
}

// InventoryFile returns a customer and every subscription of its inventory,
// for the inventory file, which imports back with PreviewImport. An unknown
// customer is domain.ErrNotFound.
func (s *Service) InventoryFile(ctx context.Context, customerID int64) (domain.CustomerInventory, error) {
	c, err := s.store.Customer(ctx, customerID)
	if err != nil {
		return domain.CustomerInventory{}, err
	}
	subs, err := s.store.AllSubscriptions(ctx, customerID)
	if err != nil {
		return domain.CustomerInventory{}, err
	}
	rules, err := s.rules(ctx)
	return domain.CustomerInventory{Customer: c, Subscriptions: subs, Rules: rules}, err
}

// ConfirmImport adds a previewed batch to the inventory, all of it or none.
func (s *Service) ConfirmImport(ctx context.Context, actor domain.Actor, customerID, batchID int64) (int, error) {
	return s.store.ConfirmImport(ctx, actor, customerID, batchID)
}
