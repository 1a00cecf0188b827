package web

import (
	"slices"

	"github.com/wingtip/multichannel/views"
)

// This file turns the domain's lists of codes into the choices of forms.

// optionsOf lists values as the options of a select, each with its label.
func optionsOf[T interface {
	~string
	Label() string
}](values []T) []views.Option {
	opts := make([]views.Option, len(values))
	for i, v := range values {
		opts[i] = views.Option{Value: string(v), Label: v.Label()}
	}
	return opts
}

// choices lists values as the checkboxes, radio buttons or options of a
// form field, each with its label, marking those whose value is chosen.
func choices[T ~string](values []T, label func(T) string, chosen []string) []views.Choice {
	out := make([]views.Choice, len(values))
	for i, v := range values {
		out[i] = views.Choice{Value: string(v), Label: label(v), Selected: slices.Contains(chosen, string(v))}
	}
	return out
}
