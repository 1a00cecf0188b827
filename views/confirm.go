package views

// Confirmation is the page that asks before an action that cannot be
// undone (deactivate, decline, revoke, remove, cancel, end): what will
// happen and to what, a button that posts the same fields again with
// confirmed=yes, and a way back that changes nothing. It works without
// JavaScript; with it, the form's data-confirm dialog asks instead.
type Confirmation struct {
	Question    string // the heading: "Deactivate Jordan Price?"
	Consequence string // what the action will do
	Yes         string // the button's label: "Yes, deactivate"
	// Action is the address the form posts to, Fields what it posted
	// before (confirmed=yes is added), Back the page it was sent from.
	Action string
	Fields []Field
	Back   string
	// Public frames the page for someone not signed in (the customer's
	// invitation).
	Public bool
}

// Field is one posted name and value, carried through a confirmation.
type Field struct{ Name, Value string }
