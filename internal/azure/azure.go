// Package azure is the usage workflow for Azure bought elsewhere: the
// checklist that puts a new CSP Azure subscription beside the old one, moves
// the workloads and cancels the old services.
package azure

// Store is what the service needs from persistence.
type Store interface{}

// Service runs the checklist.
type Service struct{ store Store }

// New returns a Service over store.
func New(store Store) *Service { return &Service{store: store} }
