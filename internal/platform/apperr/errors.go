package apperr

// Errors is a collector for validation: it gathers every field problem so a client
// learns all of them at once, not one per round trip.
type Errors struct {
	details []Detail
}

// Add records a problem with a field.
func (v *Errors) Add(field, reason string) {
	v.details = append(v.details, Detail{Field: field, Reason: reason})
}

// AddLine records a problem with a line of an uploaded file.
func (v *Errors) AddLine(line int, reason string) {
	v.details = append(v.details, Detail{Line: line, Reason: reason})
}

// Err returns nil when nothing was recorded, else one invalid-input error with every detail.
func (v *Errors) Err() error {
	if len(v.details) == 0 {
		return nil
	}
	msg := "invalid input"
	if d := v.details[0]; d.Field != "" {
		msg = d.Field + ": " + d.Reason
		if len(v.details) > 1 {
			msg += " (and more, see details)"
		}
	}
	return &Error{Code: CodeInvalid, Message: msg, Details: v.details}
}
