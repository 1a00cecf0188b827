package domain

import (
	"cmp"
	"slices"
	"time"
)

// TermAction is what the term-end planner tells the partner to do about a
// licence's term end. The codes are stable: they appear in the planner's
// links and in its CSV export.
type TermAction string

// The planner's actions, one per workflow of a licence with a term end.
const (
	// TermBuyBeforeExpiry is for licences bought direct, through an advisor,
	// an Enterprise Agreement or Volume Licensing: there are no refunds on
	// cancellation, so the customer keeps them to near their natural
	// expiry, turns auto-renew off at the current seller and has the
	// replacement bought in CSP before the term ends
	// (https://learn.microsoft.com/en-us/partner-center/customers/transition-seat-based-services:
	// "Because there are no refunds for canceled subscriptions, it's best to
	// wait until the subscriptions are near their natural expiration dates";
	// "To transfer seat-based licenses at renewal of the subscription, ensure
	// that autorenew is turned off").
	TermBuyBeforeExpiry TermAction = "buy_before_expiry"
	// TermRequestTransfer is for new-commerce licences of another CSP
	// partner: they can move now by a partner transfer, before the term
	// renews there.
	TermRequestTransfer TermAction = "request_transfer"
	// TermWaitAndBuy is for what cannot move mid-term (legacy or unknown
	// commerce from another CSP partner, third-party resellers): the
	// replacement is bought through us at the term end
	// (https://learn.microsoft.com/en-us/partner-center/customers/multichannel:
	// customers "must wait until the end of their subscription or cancel
	// before moving").
	TermWaitAndBuy TermAction = "wait_and_buy"
	// TermClassifyFirst is for a licence whose channel or service type is
	// not known: no action can be chosen before it is classified.
	TermClassifyFirst TermAction = "classify_first"
)

// TermActions lists the planner's actions in the order its filter and the
// chart's legend show them: what needs the user first, then the most urgent
// work.
var TermActions = []TermAction{TermClassifyFirst, TermRequestTransfer, TermBuyBeforeExpiry, TermWaitAndBuy}

// termActionOf is the action for each workflow a licence with a term end can
// be in. not_eligible has none: a licence of a Syndication partner (the only
// licences the rules leave out, CSP partners' aside) has nothing to buy at
// its term end until the customer has left that partner, which the plan
// explains; the planner lists only what has a date to act by.
var termActionOf = map[Workflow]TermAction{
	WorkflowResellerRelationship: TermBuyBeforeExpiry,
	WorkflowLicenceTransfer:      TermRequestTransfer,
	WorkflowWaitTermEnd:          TermWaitAndBuy,
	WorkflowNeedsClassification:  TermClassifyFirst,
}

// Valid reports whether a is one of the planner's actions.
func (a TermAction) Valid() bool { return slices.Contains(TermActions, a) }

// Label is the action's name for people.
func (a TermAction) Label() string {
	switch a {
	case TermBuyBeforeExpiry:
		return "Buy in CSP before the expiry"
	case TermRequestTransfer:
		return "Request the partner transfer"
	case TermWaitAndBuy:
		return "Wait, buy at the term end"
	case TermClassifyFirst:
		return "Classify first"
	}
	return string(a)
}

// ProvisionDays is how long after its term end a licence stays in its
// expired state, by which the replacement must be provisioned: "The new
// subscription must be provisioned by the end of the expiry state … (that
// is, 30 days from the term end date) to prevent data loss"
// (https://learn.microsoft.com/en-us/partner-center/customers/transition-seat-based-services).
const ProvisionDays = 30

// TermStep is what to do about one licence's term end, and by when.
type TermStep struct {
	Action  TermAction
	TermEnd time.Time
	// TurnOffAutoRenew says that auto-renew is on or not known at the
	// current seller and must be turned off before the term end, or the
	// licence renews there for another term.
	TurnOffAutoRenew bool
	// ProvisionBy is the last day the replacement can be provisioned
	// without losing the customer's data; nil when nothing is replaced (a
	// transfer moves the subscription itself) or nothing is decided yet.
	ProvisionBy *time.Time
	// Transfer is the state of the partner transfer already requested for
	// a request_transfer step, one of transferSteps, "" otherwise: the step
	// is then to follow it, or to clear up a rejection, rather than to
	// request one.
	Transfer TransferStatus
}

// transferSteps are the states of a subscription's newest transfer that
// change what its request_transfer step says: open ones to follow, and a
// rejection to clear up; after an expiry or a cancellation the step is to
// request again.
var transferSteps = []TransferStatus{TransferPending, TransferInProgress, TransferRejected}

// PlanTermEnd decides what to do about the term end of s, a subscription in
// workflow w: ok is false when s has no term end or w has no planner action
// (not_eligible, and the Azure workflows, which have no term).
func PlanTermEnd(w Workflow, s Subscription) (TermStep, bool) {
	action, known := termActionOf[w]
	end := s.Term()
	if !known || end == nil {
		return TermStep{}, false
	}
	step := TermStep{Action: action, TermEnd: *end}
	if action == TermBuyBeforeExpiry || action == TermWaitAndBuy {
		step.TurnOffAutoRenew = s.AutoRenew != AutoRenewOff
		by := end.AddDate(0, 0, ProvisionDays)
		step.ProvisionBy = &by
	}
	return step, true
}

// ByWhen says, in a few words, by when the step must be done.
func (t TermStep) ByWhen() string {
	end := t.TermEnd.Format(DateLayout)
	switch t.Action {
	case TermRequestTransfer:
		return "Now, before the term end on " + end
	case TermWaitAndBuy:
		return "At the term end on " + end + "; provisioned by " + t.ProvisionBy.Format(DateLayout) + " at the latest"
	case TermBuyBeforeExpiry:
		return "Before the term end on " + end + "; provisioned by " + t.ProvisionBy.Format(DateLayout) + " at the latest"
	}
	return "Before the term end on " + end
}

// Instruction says what to do, in one sentence.
func (t TermStep) Instruction() string {
	var s string
	switch t.Action {
	case TermBuyBeforeExpiry:
		s = "Keep it to near its natural expiry (no refunds on cancellation), then buy the replacement in CSP."
	case TermRequestTransfer:
		switch t.Transfer {
		case TransferPending:
			s = "Transfer requested: waiting for the other partner to accept it."
		case TransferInProgress:
			s = "Transfer accepted by the other partner: record when it completes."
		case TransferRejected:
			s = "The other partner rejected the last transfer request: clear it up with them, then request it again before the term renews there."
		default:
			s = "Request the partner transfer with the other partner's tenant id now, before the term renews there."
		}
	case TermWaitAndBuy:
		s = "It cannot move mid-term: buy the replacement through us when the term ends."
	case TermClassifyFirst:
		s = "Set the channel and the service type: the action depends on them."
	}
	if t.TurnOffAutoRenew {
		s += " Have auto-renew turned off at the current seller before the term end."
	}
	return s
}

// TermEndWindows are the windows the term-end planner offers, in days from
// today.
var TermEndWindows = []int{30, 60, 90, 365}

// DefaultTermEndWindow is the window shown when none is asked for: a
// quarter ahead, long enough to get a relationship accepted in time.
const DefaultTermEndWindow = 90

// TermEndWindow reads the planner's window from a number of days, falling
// back to the default for anything that is not offered, so that a hand-typed
// URL cannot ask for an unbounded range.
func TermEndWindow(days int) int {
	if slices.Contains(TermEndWindows, days) {
		return days
	}
	return DefaultTermEndWindow
}

// TermEndSoonDays is how close a term end is flagged as soon: a relationship
// not active by then is unlikely to be in time for the replacement.
const TermEndSoonDays = 30

// ChartMonths is how many months the planner's chart covers, the current
// month first.
const ChartMonths = 12

// TermEndFilter is what the planner's list is narrowed to: a window, and
// optionally one channel and one action.
type TermEndFilter struct {
	Days int // one of TermEndWindows
	// ByChannel says whether Channel narrows the list; Channel may then be
	// ChannelUnknown, for the licences still to classify.
	ByChannel bool
	Channel   Channel
	Action    TermAction // "" for every action
}

// NewTermEndFilter reads the planner's filter from what a link carries:
// a window not offered is the default one, and a channel or an action not
// known is no narrowing, so that a hand-typed URL shows the whole list
// rather than an error.
func NewTermEndFilter(days int, channel, action string) TermEndFilter {
	f := TermEndFilter{Days: TermEndWindow(days)}
	if channel == ChannelFilterUnknown {
		f.ByChannel = true
	} else if ch := Channel(channel); ch.Valid() {
		f.ByChannel, f.Channel = true, ch
	}
	if a := TermAction(action); a.Valid() {
		f.Action = a
	}
	return f
}

// ChannelFilterUnknown is how the planner's links name the unknown channel,
// whose code is empty.
const ChannelFilterUnknown = "unknown"

// ChannelParam is f's channel as its links carry it; "" for every channel.
func (f TermEndFilter) ChannelParam() string {
	switch {
	case !f.ByChannel:
		return ""
	case f.Channel == ChannelUnknown:
		return ChannelFilterUnknown
	}
	return string(f.Channel)
}

// TermEndKeys are the class keys of the subscriptions the planner shows
// under the partner's rules r and filter f, for a customer that is not a
// CSP partner: every key whose workflow has a planner action, but Azure
// (usage) ones, which have no term. The store selects by these, so that
// it follows the rules without deciding.
func TermEndKeys(r Rules, f TermEndFilter) []ClassKey {
	var keys []ClassKey
	for w, a := range termActionOf {
		if f.Action != "" && a != f.Action {
			continue
		}
		for _, k := range KeysIn(w, r) {
			if k.ServiceType != ServiceUsage && (!f.ByChannel || k.Channel == f.Channel) {
				keys = append(keys, k)
			}
		}
	}
	// The map's order is random: sorted keys make the same query each time.
	slices.SortFunc(keys, func(a, b ClassKey) int {
		return cmp.Or(cmp.Compare(a.Channel, b.Channel), cmp.Compare(a.ServiceType, b.ServiceType),
			cmp.Compare(a.Commerce, b.Commerce), cmp.Compare(a.Offer, b.Offer))
	})
	return keys
}

// TermEndQuery selects the subscriptions with one of Keys and a term end on
// a date from From up to but not including Until, one page at a time.
// Customers that are CSP partners are never selected: nothing of theirs is
// eligible; nor are licences a completed transfer brought to us: they are
// ours, and renew with us.
type TermEndQuery struct {
	Keys []ClassKey
	// Groups, when set, gives each of Keys a number: counts by key are then
	// summed over the keys of one number, each sum under one of those keys.
	Groups []int
	From   time.Time // a date at midnight UTC
	Until  time.Time // a date at midnight UTC, excluded
	Page   Page
}

// GroupOf is the number of the group of Keys[i]: Groups[i], or i itself
// when the keys are not grouped.
func (q TermEndQuery) GroupOf(i int) int {
	if q.Groups != nil {
		return q.Groups[i]
	}
	return i
}

// Day is the start of t's day in UTC, the form dates such as term ends are
// stored in.
func Day(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// LatestToday is the end of today anywhere on Earth, 14 hours after UTC's
// in the easternmost time zones: a date a user east of UTC enters as today
// is not "in the future".
func LatestToday(now time.Time) time.Time { return now.Add(14 * time.Hour) }

// TermEndsWithin selects what the planner lists under rules r and filter
// f: the term ends in the next f.Days days, today and the last day
// included, so that "the next 30 days" shows 30 days left.
func TermEndsWithin(today time.Time, r Rules, f TermEndFilter, page Page) TermEndQuery {
	return TermEndQuery{Keys: TermEndKeys(r, f), From: Day(today), Until: Day(today).AddDate(0, 0, f.Days+1), Page: page}
}

// chartStart is the first day of today's month.
func chartStart(today time.Time) time.Time {
	y, m, _ := today.UTC().Date()
	return time.Date(y, m, 1, 0, 0, 0, 0, time.UTC)
}

// TermEndChartQuery selects the term ends the chart counts, under the
// filter's channel and action but whatever its window: from today to the
// end of the eleventh month after this one. Term ends earlier this month
// have passed, so they are left out.
// Each key is numbered by its action, so that the counts come summed by
// action: the chart shows nothing finer, and a month has a few actions but
// dozens of keys.
func TermEndChartQuery(today time.Time, r Rules, f TermEndFilter) TermEndQuery {
	keys := TermEndKeys(r, f)
	groups := make([]int, len(keys))
	for i, k := range keys {
		groups[i] = slices.Index(TermActions, termActionOf[Classify(k, false, r).Workflow])
	}
	return TermEndQuery{Keys: keys, Groups: groups, From: Day(today), Until: chartStart(today).AddDate(0, ChartMonths, 0)}
}

// TermEndItem is a licence with a term end, with its customer and where the
// customer's reseller relationship stands: without an active one the
// replacement cannot be bought through us.
type TermEndItem struct {
	Customer     Customer
	Subscription Subscription
	// Relationship is the effective state of the customer's newest open
	// request (pending, accepted or active; expired once a pending one is
	// past its expiry), or "" when it has none.
	Relationship RelationshipStatus
	// Transfer is the effective state of the newest transfer request that
	// carries the subscription, or "" when none does.
	Transfer TransferStatus
}

// RelationshipActive says whether the customer's reseller relationship is
// active.
func (i TermEndItem) RelationshipActive() bool { return i.Relationship == StatusActive }

// RelationshipWaiting says, in the planner, where the customer's open
// request stands while it is not active: sent and waiting for the customer,
// or accepted and waiting for verification in Partner Center; "" when there is nothing to wait
// for and an invitation is what comes next.
func (i TermEndItem) RelationshipWaiting() string {
	switch i.Relationship {
	case StatusPending:
		return "Invitation sent, waiting for the customer"
	case StatusAccepted:
		return "Accepted, waiting for verification in Partner Center"
	}
	return ""
}

// TermEndRow is one row of the term-end planner and of its export: a
// licence, the days left from today to its term end, and what to do by
// when.
type TermEndRow struct {
	TermEndItem
	DaysLeft int
	Step     TermStep
}

// TermEndRows decides the step of every item under the partner's rules r,
// with the days left from today. An item the rules give no planner action
// is left out: the store selects by the rules' keys already, so this only
// guards against the two drifting apart, showing less rather than a
// subscription with another workflow.
func TermEndRows(r Rules, items []TermEndItem, today time.Time) []TermEndRow {
	rows := make([]TermEndRow, 0, len(items))
	for _, item := range items {
		if row, ok := TermEndRowOf(r, item, today); ok {
			rows = append(rows, row)
		}
	}
	return rows
}

// TermEndRowOf is the planner's row of one licence, with its step under r;
// false for one whose workflow has no step at its term end.
func TermEndRowOf(r Rules, item TermEndItem, today time.Time) (TermEndRow, bool) {
	step, ok := PlanTermEnd(r.Classify(item.Customer, item.Subscription).Workflow, item.Subscription)
	if !ok {
		return TermEndRow{}, false
	}
	if step.Action == TermRequestTransfer && slices.Contains(transferSteps, item.Transfer) {
		step.Transfer = item.Transfer
	}
	return TermEndRow{TermEndItem: item, DaysLeft: DaysLeft(step.TermEnd, today), Step: step}, true
}

// Soon reports whether the term ends within TermEndSoonDays, when the
// relationship is urgent.
func (r TermEndRow) Soon() bool { return r.DaysLeft <= TermEndSoonDays }

// TermEndsPage is what the term-end planner's page shows: one page of the
// licences the filter selects, how many there are in all, and the term
// ends of the months ahead by action, under the filter's channel and action
// but whatever its window.
type TermEndsPage struct {
	Filter TermEndFilter
	Rows   []TermEndRow
	Total  int
	Months []MonthCount // ChartMonths months, the current one first
}

// DateCount is how many subscriptions with one class key have their term
// end on one date.
type DateCount struct {
	Date  time.Time
	Key   ClassKey
	Count int
}

// MonthCount is how many term ends fall in one month, by action.
type MonthCount struct {
	Month    time.Time // the first day of the month, midnight UTC
	ByAction map[TermAction]int
}

// Key names the month as YYYY-MM.
func (m MonthCount) Key() string { return m.Month.Format("2006-01") }

// Count is how many term ends fall in the month, whatever their action.
func (m MonthCount) Count() int {
	n := 0
	for _, c := range m.ByAction {
		n += c
	}
	return n
}

// TermEndMonths buckets counts by date into the ChartMonths months from
// today's month on, the current month first, each by the action the rules r
// give its class key (for a customer that is not a CSP partner, the only
// ones counted); every month is present, with no counts when nothing ends
// in it, and dates outside the months or keys without an action are
// ignored.
func TermEndMonths(today time.Time, r Rules, days []DateCount) []MonthCount {
	start := chartStart(today)
	months := make([]MonthCount, ChartMonths)
	for i := range months {
		months[i] = MonthCount{Month: start.AddDate(0, i, 0), ByAction: map[TermAction]int{}}
	}
	for _, d := range days {
		a, ok := termActionOf[Classify(d.Key, false, r).Workflow]
		y, m, _ := d.Date.Date()
		i := (y-start.Year())*12 + int(m) - int(start.Month())
		if ok && d.Key.ServiceType != ServiceUsage && i >= 0 && i < ChartMonths {
			months[i].ByAction[a] += d.Count
		}
	}
	return months
}
