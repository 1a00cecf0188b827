package views

// ReviewQueue is the list of relationship requests with its status chips.
type ReviewQueue struct {
	Chips []StatusChip
	Rows  []RelationshipRow
	Total int
	Pager Pager
}

// StatusChip filters the queue by one state and shows its count.
type StatusChip struct {
	Label   string
	Href    string
	Count   int
	Current bool
}
