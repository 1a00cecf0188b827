package domain

import (
	"strings"
	"time"
)

// ImportMapping says how the columns and values of a spreadsheet whose
// header is not the app's own stand for the app's fields. It is kept per
// header set (Key), so that the second file of the same shape needs no
// mapping step.
type ImportMapping struct {
	// Key is the header set: the file's column names reduced as aliasKey
	// does, in order, so that "Agreement / ID" and "agreement id" agree.
	Key string `json:"-"`
	// Fields holds, per column of the file, the field it fills, or "" when
	// the column is ignored.
	Fields []string `json:"fields"`
	// Channels and ServiceTypes map the values of the channel and service
	// type columns that the aliases do not know, by ValueKey, to what they
	// stand for; the unknown channel or service type leaves them to be
	// classified later.
	Channels     map[string]Channel     `json:"channels,omitempty"`
	ServiceTypes map[string]ServiceType `json:"service_types,omitempty"`
	SavedAt      time.Time              `json:"-"`
}

// PendingUpload is an uploaded file kept, for the customer and the user who
// sent it only, until its mapping is confirmed; the file is not kept between
// requests otherwise.
type PendingUpload struct {
	ID         int64
	CustomerID int64
	Filename   string
	Data       []byte
	CreatedAt  time.Time
}

// HeaderKey is the key of a header set: each name reduced as aliasKey does,
// joined in order.
func HeaderKey(header []string) string {
	keys := make([]string, len(header))
	for i, h := range header {
		keys[i] = NameKey(h)
	}
	return strings.Join(keys, "|")
}

// ValueKey reduces a cell value to the key its mapping is remembered by: a
// value is mapped once however its case and spaces vary.
func ValueKey(s string) string {
	return strings.ToLower(strings.Join(strings.Fields(s), " "))
}

// hint is a set of words that suggest a value of type T.
type hint[T any] struct {
	words []string
	value T
}

// channelHints are the words that suggest a channel for a value the aliases
// do not know, tried in order: the first word found decides. "Reseller"
// comes before "partner", since a "reseller partner" is a third party, not a
// CSP partner named as such.
var channelHints = []hint[Channel]{
	{[]string{"payasyougo", "payg", "paygo", "creditcard", "online", "direct", "webdirect", "selfservice"}, ChannelMicrosoftDirect},
	{[]string{"reseller", "distributor", "lsp", "lar"}, ChannelThirdParty},
	{[]string{"csp", "partner", "cloudsolutionprovider"}, ChannelOtherCSP},
	{[]string{"ea", "eas", "enterprise", "enrollment", "enrolment"}, ChannelEA},
	{[]string{"open", "openvalue", "mpsa", "volume", "vl", "select"}, ChannelOpen},
	{[]string{"advisor"}, ChannelAdvisor},
	{[]string{"syndication"}, ChannelSyndication},
}

// SuggestChannel proposes a channel for a value such as "Pay-as-you-go" or
// "Reseller (Pinnacle IT)" from its words, outside any brackets (which name
// a seller, not a channel); the unknown channel when nothing fits.
func SuggestChannel(s string) Channel { return suggest(s, ParseChannel, channelHints) }

// serviceHints are the words that suggest a service type.
var serviceHints = []hint[ServiceType]{
	{[]string{"azure", "consumption", "usage", "payasyougo", "payg", "metered"}, ServiceUsage},
	{[]string{"licence", "license", "licences", "licenses", "seat", "seats", "user", "users", "subscription", "nce"}, ServiceLicence},
}

// SuggestServiceType proposes a service type for a value such as "Azure
// plan" or "Per-user subscription"; the unknown one when nothing fits.
func SuggestServiceType(s string) ServiceType { return suggest(s, ParseServiceType, serviceHints) }

// suggest reads s with parse when the aliases know it, and otherwise
// proposes the value of the first hint one of whose words s has; the zero
// value (unknown) when none.
func suggest[T any](s string, parse func(string) (T, bool), hints []hint[T]) T {
	if v, ok := parse(s); ok {
		return v
	}
	words := hintWords(s)
	for _, h := range hints {
		for _, w := range h.words {
			if words[w] {
				return h.value
			}
		}
	}
	var unknown T
	return unknown
}

// hintWords are the words of s outside brackets, each as aliasKey reduces
// it, with the whole of that text as one more "word" so that "Pay-as-you-go"
// and "pay as you go" both give "payasyougo".
func hintWords(s string) map[string]bool {
	outside := s
	if i := strings.IndexAny(s, "(["); i >= 0 {
		outside = s[:i]
	}
	words := map[string]bool{aliasKey(outside): true}
	for _, w := range strings.FieldsFunc(outside, func(r rune) bool { return aliasKey(string(r)) == "" }) {
		words[aliasKey(w)] = true
	}
	return words
}

// SellerName is the seller a channel value names in brackets, as in
// "Reseller (Pinnacle IT)"; "" when there is none.
func SellerName(s string) string {
	open := strings.LastIndexAny(s, "([")
	if open < 0 {
		return ""
	}
	rest := s[open+1:]
	end := strings.IndexAny(rest, ")]")
	if end < 0 {
		return ""
	}
	return strings.TrimSpace(rest[:end])
}

// CarriesSeller reports whether a subscription of channel c records its
// seller in the reference when the file names one and has no reference of
// its own: another CSP partner or a third-party reseller is who the customer
// will ask to let go of the licence.
func CarriesSeller(c Channel) bool { return c == ChannelOtherCSP || c == ChannelThirdParty }

// NameKey reduces a column name as the aliases are matched: lower case,
// letters and digits only, so "Agreement / ID" reads "agreementid".
func NameKey(s string) string { return aliasKey(s) }
