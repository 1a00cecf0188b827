// Package msexports reads the exports of Microsoft's own tools as a
// customer's inventory: Microsoft Graph's subscribedSkus and
// directory/subscriptions (as az rest or Graph Explorer save them),
// Azure's subscriptions as az account list and the Resource Manager
// subscriptions list give them (all JSON), and the Microsoft 365 admin
// center's Volume Licensing contracts (a CSV file). Partners start from
// these, not from our columns, so the format is recognised by its shape
// (the fields its items have, the CSV's header) and each item becomes the
// same inventory row a CSV line of ours does, with
// the guesses made on the way (a channel from an owner tenant, a product from
// a SKU part number) and what each is based on, for the preview to mark.
//
// Like the CSV import it is all or nothing: every problem is returned with
// its line, and nothing is kept by this package.
package msexports

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/wingtip/multichannel/internal/domain"
	"github.com/wingtip/multichannel/internal/inventorycsv"
)

// Format is an export this package reads.
type Format string

// The formats recognised, by what saves them.
const (
	FormatNone Format = ""
	// SubscribedSkus is GET /subscribedSkus of Microsoft Graph v1.0: one
	// item per SKU of the tenant, with its seats.
	SubscribedSkus Format = "graph_subscribed_skus"
	// DirectorySubscriptions is GET /directory/subscriptions: one item per
	// commercial subscription, with its owner partner, trial flag and next
	// lifecycle date.
	DirectorySubscriptions Format = "graph_directory_subscriptions"
	// ARMSubscriptions is the Resource Manager's Subscriptions - List, with
	// each subscription's quota id.
	ARMSubscriptions Format = "arm_subscriptions"
	// AzAccountList is what az account list prints: the subscriptions
	// without their quota ids.
	AzAccountList Format = "az_account_list"
	// VLContracts is the CSV the admin center's Volume Licensing Contracts
	// page exports: one line per License ID (see contracts.go).
	VLContracts Format = "m365_vl_contracts"
)

// Label names the format as the preview says it.
func (f Format) Label() string {
	switch f {
	case SubscribedSkus:
		return "Microsoft Graph subscribedSkus (licences of the tenant)"
	case DirectorySubscriptions:
		return "Microsoft Graph directory/subscriptions (commercial subscriptions of the tenant)"
	case ARMSubscriptions:
		return "Azure Resource Manager subscriptions list"
	case AzAccountList:
		return "Azure CLI az account list"
	case VLContracts:
		return "Microsoft 365 admin center Volume Licensing contracts (Billing > Your products > Volume licensing > View contracts)"
	}
	return "not recognised"
}

// Guess is a value the import chose without the file saying it outright,
// and why, for the preview to mark and the partner to check: Field is the
// inventory column it fills.
type Guess struct {
	Field string
	Value string
	Basis string
}

// String reads as "channel: Another CSP partner, because …".
func (g Guess) String() string {
	return g.Field + ": " + g.Value + ", because " + g.Basis
}

// Row is one item of an export as an inventory row, with its guesses.
type Row struct {
	inventorycsv.Row
	Guesses []Guess
}

// Result is everything an export held: Rows even when there are errors, so
// the preview can show them. Encoding and Dates say how a CSV export's
// text and numeric dates were read; a JSON one is UTF-8 and has ISO dates.
type Result struct {
	Format   Format
	Rows     []Row
	Errors   []inventorycsv.RowError
	Encoding inventorycsv.Encoding
	Dates    inventorycsv.DateReading
}

// OK reports whether the export may be imported.
func (r Result) OK() bool { return len(r.Errors) == 0 }

// Options are what the import knows beyond the file: the tenant ids the
// guesses compare with, the partner's own (domain.Partner.TenantID) and the
// customer's, either may be empty; and for a CSV export's numeric dates the
// order the uploader chose (DateOrderUnknown to recognise it) and the
// customer's country, whose usual order reads dates that fit either.
type Options struct {
	PartnerTenant  string
	CustomerTenant string
	DateOrder      domain.DateOrder
	Country        string
}

// FileError says why a file cannot be read as any export; its message is
// meant to be shown as it is.
type FileError struct {
	Problem string
}

// Error names what was expected, so the message alone says which file to
// save instead.
func (e *FileError) Error() string {
	return e.Problem + "; a JSON file must be one of " + expected
}

const expected = "Microsoft Graph subscribedSkus (items with skuPartNumber and prepaidUnits), " +
	"Graph directory/subscriptions (skuPartNumber and totalLicenses), the Azure Resource Manager subscriptions list " +
	"(subscriptionId and displayName) or az account list (id, name and tenantId), as a list or in Graph's {\"value\": [...]}"

// Recognised reports whether an upload is for Parse rather than for
// inventorycsv: JSON (which Parse reads or says why not), or CSV text with
// the Volume Licensing contracts export's header.
func Recognised(data []byte) bool { return isJSON(data) || isContracts(data) }

// isJSON reports whether an upload is JSON rather than CSV: its first
// character other than spaces (and a UTF-8 BOM) opens an array or object,
// which no CSV header does.
func isJSON(data []byte) bool {
	data = bytes.TrimLeft(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")), " \t\r\n")
	return len(data) > 0 && (data[0] == '[' || data[0] == '{')
}

// item is one element of the export's list and the line it starts on.
type item struct {
	line   int
	fields map[string]json.RawMessage
}

func (it item) has(names ...string) bool {
	for _, n := range names {
		if _, ok := it.fields[n]; !ok {
			return false
		}
	}
	return true
}

// shapeOf says which export an item belongs to by the fields it has, as
// each resource's documentation lists them (see the parsers).
func shapeOf(it item) Format {
	switch {
	case it.has("skuPartNumber", "prepaidUnits"):
		return SubscribedSkus
	case it.has("skuPartNumber", "totalLicenses"), it.has("skuPartNumber", "commerceSubscriptionId"):
		return DirectorySubscriptions
	case it.has("subscriptionId", "displayName"):
		return ARMSubscriptions
	case it.has("id", "name", "tenantId"):
		return AzAccountList
	}
	return FormatNone
}

// Recognise says which export data is, by the shape of its first item or
// its CSV header.
func Recognise(data []byte) (Format, bool) {
	if !isJSON(data) {
		if isContracts(data) {
			return VLContracts, true
		}
		return FormatNone, false
	}
	items, err := readItems(data)
	if err != nil || len(items) == 0 {
		return FormatNone, false
	}
	f := shapeOf(items[0])
	return f, f != FormatNone
}

// Parse reads an export on the day today (which bounds term ends), making
// its guesses against the tenants of opts. It returns an error only for the file as a
// whole (size, not JSON nor the contracts CSV, not a known export, no
// items, too many, or the errors of inventorycsv.ReadText); problems of
// items are all in Result.Errors, in line order.
func Parse(r io.Reader, opts Options, today time.Time) (Result, error) {
	data, err := io.ReadAll(io.LimitReader(r, inventorycsv.MaxBytes+1))
	if err != nil {
		return Result{}, fmt.Errorf("reading the file: %w", err)
	}
	if len(data) > inventorycsv.MaxBytes {
		return Result{}, inventorycsv.ErrTooLarge
	}
	if !isJSON(data) {
		return parseContracts(data, opts, today)
	}
	items, err := readItems(data)
	if err != nil {
		return Result{}, err
	}
	switch {
	case len(items) == 0:
		return Result{}, &FileError{Problem: "the JSON file lists nothing"}
	case len(items) > inventorycsv.MaxRows:
		return Result{}, inventorycsv.ErrTooManyRows
	}
	format := shapeOf(items[0])
	parse, ok := parsers[format]
	if !ok {
		return Result{}, &FileError{Problem: "the JSON file is not an export this page knows: its first item has the fields " +
			strings.Join(fieldNames(items[0]), ", ")}
	}
	res := Result{Format: format, Encoding: inventorycsv.EncodingUTF8}
	for _, it := range items {
		if f := shapeOf(it); f != format {
			res.Errors = append(res.Errors, inventorycsv.RowError{Line: it.line,
				Message: "this item is not of the same kind as the first (" + format.Label() + ")"})
			continue
		}
		row, errs := parse(it, opts)
		row.Subscription = row.Subscription.Normalize()
		errs = append(errs, check(row, today)...)
		res.Rows = append(res.Rows, row)
		res.Errors = append(res.Errors, errs...)
	}
	return res, nil
}

// parsers read one item of each format.
var parsers = map[Format]func(item, Options) (Row, []inventorycsv.RowError){
	SubscribedSkus:         parseSubscribedSku,
	DirectorySubscriptions: parseCompanySubscription,
	ARMSubscriptions:       parseARMSubscription,
	AzAccountList:          parseAzAccount,
}

// check cleans the text an item gave and validates the subscription, each
// problem under the inventory column it concerns.
func check(row Row, today time.Time) []inventorycsv.RowError {
	var errs []inventorycsv.RowError
	sub := &row.Subscription
	for col, v := range map[string]*string{"product": &sub.Product, "reference": &sub.Reference, "notes": &sub.Notes} {
		clean, err := domain.CleanText(*v, domain.IsMultiLine(col))
		if err != nil {
			errs = append(errs, inventorycsv.RowError{Line: row.Line, Column: col, Message: "the value " + err.Error()})
		}
		*v = clean
	}
	for col, msg := range sub.Validate(today) {
		errs = append(errs, inventorycsv.RowError{Line: row.Line, Column: col, Message: msg})
	}
	slices.SortFunc(errs, func(a, b inventorycsv.RowError) int { return strings.Compare(a.Column, b.Column) })
	return errs
}

// readItems finds the list of an export, bare or in Graph's and Resource
// Manager's {"value": [...]} envelope (beside @odata.context or nextLink),
// and the line each item starts on.
func readItems(data []byte) ([]item, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	dec := json.NewDecoder(bytes.NewReader(data))
	tok, err := dec.Token()
	if err != nil {
		return nil, notJSON(data, dec, err)
	}
	if tok == json.Delim('{') {
		found := false
		for dec.More() {
			key, err := dec.Token()
			if err != nil {
				return nil, notJSON(data, dec, err)
			}
			if key == "value" {
				found = true
				break
			}
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return nil, notJSON(data, dec, err)
			}
		}
		if !found {
			return nil, &FileError{Problem: "the JSON object has no \"value\" list"}
		}
		if tok, err = dec.Token(); err != nil {
			return nil, notJSON(data, dec, err)
		}
	}
	if tok != json.Delim('[') {
		return nil, &FileError{Problem: "the JSON file holds no list"}
	}
	var items []item
	for dec.More() {
		start := int(dec.InputOffset())
		var fields map[string]json.RawMessage
		if err := dec.Decode(&fields); err != nil {
			return nil, notJSON(data, dec, err)
		}
		if len(items) == inventorycsv.MaxRows {
			return nil, inventorycsv.ErrTooManyRows
		}
		items = append(items, item{line: lineAt(data, start), fields: fields})
	}
	return items, nil
}

// lineAt is the line of the first value after offset: the item's opening
// brace, past the comma and spaces before it.
func lineAt(data []byte, offset int) int {
	for offset < len(data) && strings.IndexByte(", \t\r\n", data[offset]) >= 0 {
		offset++
	}
	return bytes.Count(data[:offset], []byte("\n")) + 1
}

// notJSON says where the file stops being JSON, or that an item is not an
// object.
func notJSON(data []byte, dec *json.Decoder, err error) error {
	var typeErr *json.UnmarshalTypeError
	if errors.As(err, &typeErr) {
		return &FileError{Problem: fmt.Sprintf("line %d holds a %s where an item (an object) was expected", lineAt(data, int(typeErr.Offset)), typeErr.Value)}
	}
	return &FileError{Problem: fmt.Sprintf("the file is not valid JSON (near line %d: %s)", lineAt(data, int(dec.InputOffset())), err)}
}

func fieldNames(it item) []string {
	names := make([]string, 0, len(it.fields))
	for n := range it.fields {
		names = append(names, n)
	}
	slices.Sort(names)
	if len(names) > 8 {
		names = append(names[:8], "…")
	}
	return names
}

// decode reads an item into the struct of its format; a field of the
// wrong type is a problem of that item.
func decode(it item, v any) []inventorycsv.RowError {
	raw, err := json.Marshal(it.fields)
	if err == nil {
		err = json.Unmarshal(raw, v)
	}
	if err == nil {
		return nil
	}
	var typeErr *json.UnmarshalTypeError
	if errors.As(err, &typeErr) {
		return []inventorycsv.RowError{{Line: it.line, Message: fmt.Sprintf("%s is a %s, not a %s", typeErr.Field, typeErr.Value, typeErr.Type)}}
	}
	return []inventorycsv.RowError{{Line: it.line, Message: err.Error()}}
}

// sameTenant compares two tenant ids as GUIDs, whatever their case or
// braces.
func sameTenant(a, b string) bool {
	return a != "" && b != "" && domain.NormalizeTenantID(a) == domain.NormalizeTenantID(b)
}

// notes joins the sentences of an item's notes.
func notes(parts ...string) string {
	var kept []string
	for _, p := range parts {
		if p != "" {
			kept = append(kept, p)
		}
	}
	return strings.Join(kept, " ")
}
