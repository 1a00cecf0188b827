// Package transfers is the Azure transfer workflow: requests to the
// customer's current CSP partner to hand its Azure subscriptions over.
package transfers

// Store is what the service needs from persistence.
type Store interface{}

// Service runs the transfer workflow.
type Service struct{ store Store }

// New returns a Service over store.
func New(store Store) *Service { return &Service{store: store} }
