// Package transfers is the Azure transfer workflow: requests to the
// customer's current CSP partner to hand its Azure subscriptions over.
package transfers

// Service runs the transfer workflow.
type Service struct{}
