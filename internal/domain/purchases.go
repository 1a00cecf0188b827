package domain

import (
	"slices"
	"strconv"
	"strings"
	"time"
)

// CSPPurchase is a new-commerce licence this partner bought in CSP for a
// customer, typically the replacement of a subscription bought elsewhere:
// what the 7-day cancellation window is counted from.
type CSPPurchase struct {
	ID               int64
	CustomerID       int64
	Product          string
	Quantity         int
	PurchasedAt      time.Time // when the order was placed in Partner Center, UTC
	TermLength       TermLength
	BillingFrequency BillingFrequency
	// Replaces is the id of the customer's subscription bought elsewhere
	// that this purchase replaces; 0 when it replaces none.
	Replaces        int64
	ReplacesProduct string // the replaced subscription's product, as read; "" when none
	RecordedBy      string // the name of the user who recorded it; "" for the demo data
	RecordedAt      time.Time
}

// RefundWindowLeft is how much of the prorated-refund window of a
// new-commerce purchase made at purchasedAt is left at now: NCERefundWindow
// from the purchase, zero once it has closed. Microsoft gives "Prorated
// refund within seven calendar days of purchase"
// (https://learn.microsoft.com/en-us/partner-center/customers/new-commerce-cancellation-policy)
// and "within the first seven days of any term", after which "cancellation
// is no longer available"
// (https://learn.microsoft.com/en-us/partner-center/customers/create-a-new-subscription);
// the window is counted in hours, as partners write it (168 hours), so that
// it closes at the hour of the purchase. A purchase time ahead of now (a
// clock a little off) leaves the whole window, never more.
func RefundWindowLeft(purchasedAt, now time.Time) time.Duration {
	left := purchasedAt.Add(NCERefundWindow).Sub(now)
	return min(max(left, 0), NCERefundWindow)
}

// RefundWindowOpen reports whether a purchase made at purchasedAt can still
// be cancelled with a prorated refund at now.
func RefundWindowOpen(purchasedAt, now time.Time) bool { return RefundWindowLeft(purchasedAt, now) > 0 }

// RefundHoursLeft is the hours left of the window at now, counting an hour
// begun as a whole one: 168 just after the purchase, 1 in its last hour,
// 0 once it has closed. Rounding up keeps the count from saying none while
// the window is still open.
func RefundHoursLeft(purchasedAt, now time.Time) int {
	return int((RefundWindowLeft(purchasedAt, now) + time.Hour - 1) / time.Hour)
}

// RefundWindowCloses is when the prorated-refund window of the purchase
// closes.
func (p CSPPurchase) RefundWindowCloses() time.Time { return p.PurchasedAt.Add(NCERefundWindow) }

// RefundLeft says, for people, how long the purchase can still be
// cancelled with a refund at now: "48 hours left", "an hour or less
// left", or that the window has closed.
func (p CSPPurchase) RefundLeft(now time.Time) string {
	switch h := RefundHoursLeft(p.PurchasedAt, now); h {
	case 0:
		return "Refund window closed on " + FormatDateTime(p.RefundWindowCloses())
	case 1:
		return "An hour or less left to cancel with a refund"
	default:
		return strconv.Itoa(h) + " hours left to cancel with a refund"
	}
}

// TimestampLayout is how the app writes a moment for people, in UTC.
const TimestampLayout = "2006-01-02 15:04"

// TimeZoneNote is said once on every page, in its footer, so that the
// moments on the page need not each repeat their time zone.
const TimeZoneNote = "Times are in UTC."

// FormatDateTime writes a moment for a page, the one way every page does:
// the date as FormatDate writes it and the time to the minute, in UTC
// ("2026-11-19 19:43"); the page says its time zone once (TimeZoneNote).
func FormatDateTime(t time.Time) string { return t.UTC().Format(TimestampLayout) }

// FormatDateTimeZoned writes a moment for text read away from the app's
// pages, a mail say, where nothing else names the time zone
// ("2026-11-19 19:43 UTC").
func FormatDateTimeZoned(t time.Time) string { return FormatDateTime(t) + " UTC" }

// billingOrder ranks billing frequencies and term lengths by how long one
// period lasts, for the rule that a term is not billed less often than it
// lasts.
var (
	billingOrder = []BillingFrequency{BillingMonthly, BillingAnnual, BillingTriennial}
	termOrder    = []TermLength{TermMonthly, TermAnnual, TermThreeYears}
)

// Normalize trims what people type.
func (p CSPPurchase) Normalize() CSPPurchase {
	p.Product = strings.TrimSpace(p.Product)
	p.PurchasedAt = p.PurchasedAt.UTC()
	return p
}

// Validate checks a purchase as recorded at now: a product, a number of
// seats, a purchase time not in the future, and a known term length billed
// no less often than the term lasts (a monthly term is billed monthly, an
// annual one monthly or annually).
func (p CSPPurchase) Validate(now time.Time) FieldErrors {
	errs := FieldErrors{}
	checkProduct(errs, p.Product, "Enter the product bought, such as Microsoft 365 E3.")
	if p.Quantity < 1 || p.Quantity > MaxQuantity {
		errs["quantity"] = "Enter the number of seats bought, from 1 to 1,000,000."
	}
	switch {
	case p.PurchasedAt.IsZero():
		errs["purchased_at"] = "Enter when the order was placed, in UTC."
	case p.PurchasedAt.After(now):
		errs["purchased_at"] = "The order cannot be placed in the future: enter the time in UTC."
	case p.PurchasedAt.Year() < 2000:
		errs["purchased_at"] = "Enter a time after the year 2000."
	}
	if !p.TermLength.Valid() {
		errs["term_length"] = "Choose the term bought: one month, one year or three years."
	}
	if !p.BillingFrequency.Valid() {
		errs["billing_frequency"] = "Choose how the term is billed."
	} else if p.TermLength.Valid() && slices.Index(billingOrder, p.BillingFrequency) > slices.Index(termOrder, p.TermLength) {
		errs["billing_frequency"] = "A term is not billed less often than it lasts: choose a shorter billing period."
	}
	return errs
}

// MaxRefundWindowList bounds how many purchases inside their window the
// dashboard lists.
const MaxRefundWindowList = 20

// RefundWindowItem is a purchase still inside its window, with its
// customer's name, for the dashboard.
type RefundWindowItem struct {
	Purchase     CSPPurchase
	CustomerName string
}

// PurchaseNeedsRelationship refuses to record a CSP purchase for a customer
// whose reseller relationship is not active: Partner Center sells to a
// customer only through one.
func PurchaseNeedsRelationship() FieldErrors {
	return FieldErrors{"": "The customer's reseller relationship must be active before we can buy for it in CSP."}
}

// PurchaseReplacesUnknown refuses a purchase said to replace a subscription
// the customer does not have (or no longer has).
func PurchaseReplacesUnknown() FieldErrors {
	return FieldErrors{"replaces": "Choose one of the customer's subscriptions, or none."}
}
