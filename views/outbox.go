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
	Status       string
	Attempts     int
	LastError    string
	Created      string
	Sent         string
	Relationship string // link to the request's customer page, when any
	SendAgain    string // where to post "send again" when its delivery failed and the user may; empty otherwise
}
