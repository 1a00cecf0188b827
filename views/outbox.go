package views

// OutboxPage lists the outgoing messages.
type OutboxPage struct {
	Rows        []OutboxRow
	Total       int
	Pager       Pager
	MailEnabled bool
}

// OutboxRow is one outgoing message.
type OutboxRow struct {
	To           string
	Subject      string
	Status       string // in words
	Why          string // why it stands there: a withdrawn message's reason, a failed one's error; "" otherwise
	Failed       bool
	Attempts     int
	Created      string
	Sent         string
	Relationship string // link to the request's customer page, when any
	SendAgain    string // where to post "send again" when its delivery failed and the user may; empty otherwise
}
