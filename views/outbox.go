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
	Why          string // why it stands there: a withdrawn message's reason, the server's last refusal; "" otherwise
	Refused      bool   // Why is the server's refusal
	Attempts     int
	Created      string
	Sent         string
	Relationship string // link to the request's customer page, when any
	SendAgain    string // where to post "send again" when its delivery failed and the user may; empty otherwise
}
