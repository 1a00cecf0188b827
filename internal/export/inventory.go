package export

import (
	"io"

	"github.com/wingtip/multichannel/internal/domain"
	"github.com/wingtip/multichannel/internal/inventorycsv"
)

// InventoryCSV writes a customer's subscriptions as the inventory file, one
// line each in the order of subs, with the workflow and reason the rules
// give each for the customer. The file imports back unchanged
// (inventorycsv.Parse).
func InventoryCSV(w io.Writer, c domain.Customer, rules domain.Rules, subs domain.Rows[domain.Subscription]) error {
	return writeInventory(w, subs, func(s domain.Subscription) domain.Classification {
		return rules.Classify(c, s)
	})
}

// writeInventory is InventoryCSV with the classification classify gives.
func writeInventory(w io.Writer, subs domain.Rows[domain.Subscription], classify func(domain.Subscription) domain.Classification) error {
	return writeCSV(w, inventorycsv.Columns, subs, func(s domain.Subscription) []string {
		var service, channel string
		if s.ServiceType.Valid() {
			service = string(s.ServiceType)
		}
		if s.Channel.Valid() {
			channel = string(s.Channel)
		}
		c := classify(s)
		return append(append([]string{guard(s.Product), service, channel, domain.FormatQuantity(s.Seats()), domain.FormatDate(s.Term()),
			guard(s.Reference), guard(s.Notes)}, termCells(s)...), string(c.Workflow), guard(c.Reason))
	})
}

// termCells are a subscription's terms and offer id as every CSV file
// writes them, under inventorycsv.TermColumns: codes, a date, and the offer
// id guarded like all typed text. They are written as stored, whatever the
// service type, as the rules read them (a benefit offer id makes any
// subscription not eligible), so that nothing is lost on the way back.
func termCells(s domain.Subscription) []string {
	return []string{string(s.Commerce), string(s.TermLength), string(s.BillingFrequency), string(s.AutoRenew),
		domain.FormatDate(s.TermStart), guard(s.OfferID)}
}
