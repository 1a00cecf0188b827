package domain

// CustomerSorts lists the orders of the customers list, the default first.
var CustomerSorts = []CustomerSort{SortByName, SortByNameDesc, SortByChanged, SortByChangedOldest}

// Label names the order for people.
func (s CustomerSort) Label() string {
	switch s {
	case SortByName:
		return "Name A–Z"
	case SortByNameDesc:
		return "Name Z–A"
	case SortByChanged:
		return "Recently changed"
	case SortByChangedOldest:
		return "Least recently changed"
	}
	return string(s)
}

// ParseCustomerSort reads an order of the customers list; anything else is
// the default, by name.
func ParseCustomerSort(s string) CustomerSort {
	for _, o := range CustomerSorts {
		if string(o) == s {
			return o
		}
	}
	return SortByName
}

// ParseCustomerFilter reads a filter of the customers list; anything else
// is no filter.
func ParseCustomerFilter(s string) CustomerFilter {
	switch f := CustomerFilter(s); f {
	case FilterToClassify, FilterUsageInProgress:
		return f
	}
	return ""
}

// Label says which customers the filter keeps, for the list's heading;
// empty for no filter.
func (f CustomerFilter) Label() string {
	switch f {
	case FilterToClassify:
		return "with subscriptions to classify"
	case FilterUsageInProgress:
		return "with Azure checklists or transfers in progress"
	}
	return ""
}

// Apply narrows q to the customers f keeps, in the terms the store selects
// by: the rules decide which channel and service type pairs still need a
// classification.
func (f CustomerFilter) Apply(q CustomerQuery) CustomerQuery {
	switch f {
	case FilterToClassify:
		q.Having = KeysIn(WorkflowNeedsClassification, Rules{})
	case FilterUsageInProgress:
		q.UsageInProgress = true
	}
	return q
}

// CustomerSummary is a customer of the customers list with the counts of its
// inventory.
type CustomerSummary struct {
	Customer Customer
	Summary  InventorySummary
}

// CustomerList is one page of the customers list and how many match in all.
type CustomerList struct {
	Rows  []CustomerSummary
	Total int // up to SearchMatchCap+1 for a search; see MoreThan
}

// SearchMatchCap bounds the customers a search reads: past it, the list
// shows the first SearchMatchCap found, sorted, and says that more match,
// so that a short prefix costs the same in a book of 1,000 customers as in
// one of 50,000. Typing more of the name narrows it.
const SearchMatchCap = 200

// MoreThan reports whether a search matched more customers than it read.
func (l CustomerList) MoreThan() bool { return l.Total > SearchMatchCap }

// Pageable is how many of the list's customers its pages reach: those
// the search read.
func (l CustomerList) Pageable() int { return min(l.Total, SearchMatchCap) }

// ClassifiedSubscription is a subscription with the workflow and reason the
// rules give it for its customer.
type ClassifiedSubscription struct {
	Subscription   Subscription
	Classification Classification
}

// Classified classifies s for the customer of ov, under its rules.
func Classified(ov CustomerOverview, s Subscription) ClassifiedSubscription {
	return ClassifiedSubscription{Subscription: s, Classification: ov.Rules.Classify(ov.Customer, s)}
}

// Inventory is one page of a customer's subscriptions, each classified, with
// the customer's overview for the heading.
type Inventory struct {
	Overview CustomerOverview
	Items    []ClassifiedSubscription
	Total    int
}

// CustomerSubscription is one subscription of a customer, classified, with
// the customer's overview as it stands (after a change, when it answers
// one).
type CustomerSubscription struct {
	Overview CustomerOverview
	Item     ClassifiedSubscription
}
