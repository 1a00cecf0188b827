package views

import "slices"

// FieldProblem is one field's error as the summary above a form lists it:
// the id of its input and what is wrong.
type FieldProblem struct {
	ID      string
	Message string
}

// Fields lists the errors of the form's fields in reading order, each with
// the id of its input (the "" entry, about the whole form, is not a field).
func (p FormProblem) Fields() []FieldProblem {
	var rest []string
	for name := range p.Errors {
		if name != "" && !slices.Contains(p.Order, name) {
			rest = append(rest, name)
		}
	}
	slices.Sort(rest)
	var out []FieldProblem
	for _, name := range slices.Concat(p.Order, rest) {
		if msg := p.Errors[name]; msg != "" {
			out = append(out, FieldProblem{ID: p.IDPrefix + name, Message: msg})
		}
	}
	return out
}
