package views

// GDAPList is the list of GDAP relationships across customers, with its
// state chips.
type GDAPList struct {
	Chips []StatusChip
	Rows  []GDAPListRow
	Total int
	Pager Pager
	// ExtendDays is how far an auto-extending relationship rolls forward.
	ExtendDays int
}

// GDAPListRow is one GDAP request of the list.
type GDAPListRow struct {
	ID           int64
	CustomerID   int64
	CustomerName string
	DisplayName  string
	Roles        string
	Status       string
	StatusLabel  string
	ActivatedAt  string // "" before activation
	EndsAt       string // the next end, or the end once expired; "" otherwise
	Active       bool
	AutoExtend   bool
	DaysLeft     int  // while active
	EndsSoon     bool // active, ending within the dashboard's window
}
