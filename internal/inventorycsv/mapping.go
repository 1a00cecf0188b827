package inventorycsv

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/wingtip/multichannel/internal/domain"
)

// synonyms are the names partners' spreadsheets give the inventory's
// fields, by domain.NameKey (letters and digits only, so "Agreement / ID"
// is "agreementid"), beyond the column names and aliases a file of ours
// uses. "Next lifecycle date" is Microsoft Graph's nextLifecycleDateTime of
// a company subscription, whose totalLicenses is "Total licenses"
// (https://learn.microsoft.com/graph/api/resources/companysubscription).
var synonyms = map[string]string{
	"product": colProduct, "subscription": colProduct, "sku": colProduct, "licencename": colProduct, "licensename": colProduct,
	"productname": colProduct, "subscriptionname": colProduct, "skuname": colProduct, "offername": colProduct, "plan": colProduct,

	"type": colServiceType, "servicetype": colServiceType, "licencetype": colServiceType, "licensetype": colServiceType,

	"channel": colChannel, "purchasedfrom": colChannel, "source": colChannel, "agreementtype": colChannel, "boughtfrom": colChannel,
	"purchasechannel": colChannel, "program": colChannel, "licensingprogram": colChannel, "licensingprogramme": colChannel,

	"seats": colQuantity, "quantity": colQuantity, "licences": colQuantity, "licenses": colQuantity, "totallicenses": colQuantity,
	"totallicences": colQuantity, "units": colQuantity, "qty": colQuantity, "users": colQuantity,

	"termend": colTermEnd, "renewaldate": colTermEnd, "expiry": colTermEnd, "expirydate": colTermEnd, "expirationdate": colTermEnd,
	"enddate": colTermEnd, "nextlifecycledate": colTermEnd, "nextlifecycledatetime": colTermEnd, "renewal": colTermEnd, "expires": colTermEnd,

	"reference": colReference, "agreement": colReference, "agreementid": colReference, "licenceid": colReference,
	"licenseid": colReference, "enrollment": colReference, "enrolment": colReference, "enrollmentnumber": colReference,
	"subscriptionid": colReference, "agreementnumber": colReference, "contractid": colReference, "ref": colReference,

	"notes": colNotes, "comments": colNotes, "remarks": colNotes, "comment": colNotes, "note": colNotes,

	"commerce": colCommerce, "commerceexperience": colCommerce, "nce": colCommerce,
	"termlength": colTermLength, "termduration": colTermLength, "term": colTermLength,
	"billingfrequency": colBilling, "billingcycle": colBilling, "billingplan": colBilling, "billing": colBilling,
	"autorenew": colAutoRenew, "autorenewenabled": colAutoRenew, "recurringbilling": colAutoRenew,
	"termstart": colTermStart, "startdate": colTermStart, "subscriptionstartdate": colTermStart,
	"offerid": colOfferID, "offer": colOfferID, "quotaid": colOfferID, "offernumber": colOfferID,
}

// SuggestField is the field of the inventory a column of this name most
// likely holds, "" for none (the column is then ignored unless the
// uploader says otherwise).
func SuggestField(name string) string { return inventory.suggest(name) }

// schema is one kind of table an upload may be, the inventory of a customer
// or a list of customers: the fields its columns may fill, in the order of
// the app's own file, and how a column's name is read. The mapping step
// works the same for both.
type schema struct {
	// kind starts the key a mapping is remembered by, so that each kind of
	// file remembers its own; "" for the inventory, whose keys came first.
	kind     string
	fields   []string
	required []string          // the fields a file must fill
	synonyms map[string]string // by domain.NameKey
	// canonical reduces a header cell to the column of ours it names, and
	// own tells whether such a name is one the app's file may have (read or
	// ignored).
	canonical func(string) string
	own       func(string) bool
	// values is true when the channel and service-type values the aliases
	// do not know are mapped too.
	values bool
	noRows error // what a file with a header and nothing under it is
}

// inventory is the schema of a customer's inventory of subscriptions.
var inventory = schema{fields: inputColumns, required: []string{colProduct}, synonyms: synonyms,
	canonical: canonicalColumn, own: knownColumn, values: true, noRows: ErrNoRows}

// suggest is the field a column of this name most likely holds, "" for none.
func (sc *schema) suggest(name string) string {
	if f, ok := sc.synonyms[domain.NameKey(name)]; ok {
		return f
	}
	if c := sc.canonical(name); slices.Contains(sc.fields, c) {
		return c
	}
	return ""
}

// FieldChannel is the field of the channel column, as Value.Field names it
// (the other is the service type's).
const FieldChannel = colChannel

// Fields are the fields a column may be mapped to, in the file's order.
func Fields() []string { return slices.Clone(inputColumns) }

// fieldLabels name the fields for people, on the mapping step.
var fieldLabels = map[string]string{
	colProduct: "Product", colServiceType: "Service type", colChannel: "Channel", colQuantity: "Seats",
	colTermEnd: "Term end", colReference: "Reference", colNotes: "Notes", colCommerce: "Commerce experience",
	colTermLength: "Term length", colBilling: "Billing frequency", colAutoRenew: "Auto-renew",
	colTermStart: "Term start", colOfferID: "Azure offer id",
}

// FieldLabel names a field of an inventory or a customer list for people.
func FieldLabel(field string) string {
	return cmp.Or(fieldLabels[field], customerFieldLabels[field], field)
}

// Shape is what the header and rows of an upload say before it is parsed:
// whether its header is the app's own, and otherwise what each column and
// the unknown channel and service-type values look like, for the mapping
// step.
type Shape struct {
	Header  []string // the column names as the file writes them
	Key     string   // the header set, by which a mapping is remembered
	Own     bool     // every column is one of ours: no mapping is needed
	records [][]string
	schema  *schema
}

// SampleRows is how many rows the mapping step shows under each column.
const SampleRows = 3

// ReadFile reads an upload within the size limit.
func ReadFile(r io.Reader) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxBytes+1))
	if err != nil {
		return nil, fmt.Errorf("reading the file: %w", err)
	}
	if len(data) > MaxBytes {
		return nil, ErrTooLarge
	}
	return data, nil
}

// Inspect reads the header and rows of an inventory upload (of a workbook,
// its sheet named sheet, or its first) with the limits of Parse, without
// parsing the values: it tells whether the file needs a mapping and holds
// what the mapping step shows. Rows that cannot be read are left to Parse,
// which reports them with their lines.
func Inspect(data []byte, sheet string) (Shape, error) {
	t, err := Open(data, sheet)
	if err != nil {
		return Shape{}, err
	}
	return InspectTable(t)
}

// InspectTable is Inspect for an upload opened already.
func InspectTable(t *Table) (Shape, error) { return inspect(t, &inventory) }

// inspect is Inspect for a table of schema sc.
func inspect(t *Table, sc *schema) (Shape, error) {
	header := t.header
	s := Shape{Header: cleanHeader(header), Key: sc.kind + domain.HeaderKey(header), Own: true, schema: sc}
	present := map[string]bool{}
	for _, cell := range header {
		c := sc.canonical(cell)
		if c == "" || !sc.own(c) {
			s.Own = false
		}
		present[c] = true
	}
	// A header of ours without a column the file needs goes to the mapping
	// step too, where the uploader can say which column holds it.
	for _, f := range sc.required {
		s.Own = s.Own && present[f]
	}
	for _, r := range t.rows {
		if r.err == nil {
			s.records = append(s.records, r.record)
		}
	}
	if len(s.records) == 0 {
		return Shape{}, sc.noRows
	}
	return s, nil
}

// cleanHeader is the header's names as people are shown them.
func cleanHeader(header []string) []string {
	out := make([]string, len(header))
	for i, cell := range header {
		out[i], _ = domain.CleanText(strings.TrimSpace(cell), false)
	}
	return out
}

// Samples are the values of column i in the first rows, for the mapping
// step to show under it.
func (s Shape) Samples(i int) []string {
	var out []string
	for _, r := range s.records[:min(SampleRows, len(s.records))] {
		v, _ := domain.CleanText(r[i], false)
		out = append(out, v)
	}
	return out
}

// Suggest is the mapping the synonyms and the value hints propose.
func (s Shape) Suggest() domain.ImportMapping {
	m := domain.ImportMapping{Key: s.Key, Fields: make([]string, len(s.Header)),
		Channels: map[string]domain.Channel{}, ServiceTypes: map[string]domain.ServiceType{}}
	seen := map[string]bool{}
	for i, h := range s.Header {
		// A field is proposed for its first column only, so the proposal
		// never maps a field twice.
		if f := s.schema.suggest(h); f != "" && !seen[f] {
			m.Fields[i], seen[f] = f, true
		}
	}
	return s.fill(m)
}

// fill adds the suggested value of every unknown value m does not map yet,
// so the mapping step always shows a choice.
func (s Shape) fill(m domain.ImportMapping) domain.ImportMapping {
	m.Key = s.Key
	if m.Channels == nil {
		m.Channels = map[string]domain.Channel{}
	}
	if m.ServiceTypes == nil {
		m.ServiceTypes = map[string]domain.ServiceType{}
	}
	for _, v := range s.Values(m) {
		switch {
		case v.Field == colChannel && !v.Mapped:
			m.Channels[v.Key] = domain.SuggestChannel(v.Value)
		case v.Field == colServiceType && !v.Mapped:
			m.ServiceTypes[v.Key] = domain.SuggestServiceType(v.Value)
		}
	}
	return m
}

// Fill completes a remembered or chosen mapping with suggestions for the
// values it does not map, for the mapping step to show; a choice of
// columns that does not fit the file (a form sent short) is replaced by the
// proposal.
func (s Shape) Fill(m domain.ImportMapping) domain.ImportMapping {
	if len(m.Fields) != len(s.Header) {
		m.Fields = s.Suggest().Fields
	}
	return s.fill(m)
}

// Value is one value of the channel or service-type column that the
// aliases do not know, with how often the file has it.
type Value struct {
	Field  string // colChannel or colServiceType
	Value  string // as the file first writes it
	Key    string // domain.ValueKey of Value
	Count  int
	Mapped bool // the mapping says what it stands for
}

// Values lists, once each and in the order the file first has them, the
// values of the columns m maps to channel and service type that the
// aliases do not read.
func (s Shape) Values(m domain.ImportMapping) []Value {
	var out []Value
	if !s.schema.values {
		return nil
	}
	index := map[string]int{}
	for _, field := range []string{colChannel, colServiceType} {
		col := slices.Index(m.Fields, field)
		if col < 0 || col >= len(s.Header) {
			continue
		}
		for _, r := range s.records {
			raw, _ := domain.CleanText(r[col], false)
			if known(field, raw) {
				continue
			}
			key := field + "\x00" + domain.ValueKey(raw)
			if i, ok := index[key]; ok {
				out[i].Count++
				continue
			}
			index[key] = len(out)
			out = append(out, Value{Field: field, Value: strings.TrimSpace(raw), Key: domain.ValueKey(raw), Count: 1, Mapped: mapped(m, field, raw)})
		}
	}
	return out
}

// known reports whether the aliases read a value of field.
func known(field, raw string) bool {
	if field == colChannel {
		_, ok := domain.ParseChannel(raw)
		return ok
	}
	_, ok := domain.ParseServiceType(raw)
	return ok
}

// mapped reports whether m says what a value of field stands for.
func mapped(m domain.ImportMapping, field, raw string) bool {
	if field == colChannel {
		_, ok := m.Channels[domain.ValueKey(raw)]
		return ok
	}
	_, ok := m.ServiceTypes[domain.ValueKey(raw)]
	return ok
}

// MappingProblem is what is wrong with a mapping; Column is the index of
// the file's column it concerns, or -1 for the mapping as a whole.
type MappingProblem struct {
	Column  int
	Message string
}

// Check lists what keeps m from reading the file: a field mapped from two
// columns, an unknown field, no column for a field the file needs (the
// inventory's product; the customer list's name and domain), a value left without a
// choice, a choice that is not a channel or service type.
func (s Shape) Check(m domain.ImportMapping) []MappingProblem {
	if len(m.Fields) != len(s.Header) {
		return []MappingProblem{{-1, "the mapping does not fit the columns of this file"}}
	}
	var problems []MappingProblem
	first := map[string]int{}
	for i, f := range m.Fields {
		switch {
		case f == "":
			continue
		case !slices.Contains(s.schema.fields, f):
			problems = append(problems, MappingProblem{i, fmt.Sprintf("%q is not a field of ours", f)})
			continue
		}
		if j, dup := first[f]; dup {
			problems = append(problems, MappingProblem{i, fmt.Sprintf("%s is already filled from the column %q; choose another field or ignore this column",
				FieldLabel(f), s.Header[j])})
			continue
		}
		first[f] = i
	}
	for _, f := range s.schema.required {
		if _, ok := first[f]; !ok {
			problems = append(problems, MappingProblem{-1, "choose the column that holds the " + strings.ToLower(FieldLabel(f))})
		}
	}
	for _, v := range s.Values(m) {
		switch {
		case !v.Mapped:
			problems = append(problems, MappingProblem{-1, fmt.Sprintf("choose what %q in the column %s stands for", v.Value, FieldLabel(v.Field))})
		case v.Field == colChannel && m.Channels[v.Key] != domain.ChannelUnknown && !m.Channels[v.Key].Valid():
			problems = append(problems, MappingProblem{-1, fmt.Sprintf("%q is not a channel", m.Channels[v.Key])})
		case v.Field == colServiceType && m.ServiceTypes[v.Key] != domain.ServiceUnknown && !m.ServiceTypes[v.Key].Valid():
			problems = append(problems, MappingProblem{-1, fmt.Sprintf("%q is not a service type", m.ServiceTypes[v.Key])})
		}
	}
	return problems
}

// mappedColumns are the columns and cell names a mapping reads; an ignored
// column keeps its own name, so a problem in it still points at it.
func mappedColumns(header []string, m domain.ImportMapping) (columns, []string, *HeaderError) {
	if len(m.Fields) != len(header) {
		return nil, nil, &HeaderError{Problem: "the mapping does not fit the columns of this file"}
	}
	cols, names := columns{}, make([]string, len(header))
	for i, f := range m.Fields {
		if f == "" {
			names[i] = canonicalColumn(header[i])
			continue
		}
		cols[f], names[i] = i, f
	}
	if _, ok := cols[colProduct]; !ok {
		return nil, nil, &HeaderError{Problem: "the product column is missing"}
	}
	return cols, names, nil
}

// applyValues writes the code of each mapped channel and service-type value
// into its cell, for parseRecord to read, and returns the seller a channel
// value names in brackets when the channel records its seller.
func applyValues(record []string, cols columns, m *domain.ImportMapping) (seller string) {
	if m == nil {
		return ""
	}
	if i, ok := cols[colServiceType]; ok {
		if t, ok := m.ServiceTypes[domain.ValueKey(record[i])]; ok && !known(colServiceType, record[i]) {
			record[i] = string(t)
		}
	}
	if i, ok := cols[colChannel]; ok && !known(colChannel, record[i]) {
		if c, ok := m.Channels[domain.ValueKey(record[i])]; ok {
			if domain.CarriesSeller(c) {
				seller = domain.SellerName(record[i])
			}
			record[i] = string(c)
		}
	}
	return seller
}
