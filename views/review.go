package views

import "strconv"

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

// RefusedAction is what was typed in one of a request's action forms that
// the service refused, to show again in that form with its messages.
type RefusedAction struct {
	Action string            // the form's action: "verify", "reject" or "remove"
	Reason string            // the reason typed
	Errors map[string]string // the messages by field
}

// reasonTyped is the reason typed in the form of action when it was
// refused, to show again; "" otherwise.
func (r RelationshipRow) reasonTyped(action string) string {
	if r.Refused == nil || r.Refused.Action != action {
		return ""
	}
	return r.Refused.Reason
}

// refusal is the message for field of the form of action when it was
// refused; "" otherwise.
func (r RelationshipRow) refusal(action, field string) string {
	if r.Refused == nil || r.Refused.Action != action {
		return ""
	}
	return r.Refused.Errors[field]
}

// actionPath is where the form of one of the request's actions posts.
func (r RelationshipRow) actionPath(action string) string {
	return "/relationships/" + strconv.FormatInt(r.ID, 10) + "/" + action
}
