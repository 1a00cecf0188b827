// Package planner is the term-end planner: licences bought from a third
// party or another CSP partner, across all customers, by the date their term
// ends and the replacement can be bought through us.
package planner

// Store is what the service needs from persistence.
type Store interface{}

// Service answers the planner's questions.
type Service struct{ store Store }

// New returns a Service over store.
func New(store Store) *Service { return &Service{store: store} }
