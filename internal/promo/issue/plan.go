package issue

import (
	"fmt"
	"strings"

	"github.com/boxofficehq/boxoffice/internal/platform/apperr"
	"github.com/boxofficehq/boxoffice/internal/platform/emailaddr"
	"github.com/boxofficehq/boxoffice/internal/platform/plaintext"
	"github.com/boxofficehq/boxoffice/internal/promo"
	"github.com/boxofficehq/boxoffice/internal/promo/mail"
)

// Code types.
const (
	TypeGenerated = "generated"
	TypeCustom    = "custom"
)

// CreateInput is a request to create codes (SPEC 3.1): generated codes by quantity, one
// generated code for a recipient, or one custom code (for a recipient or not).
type CreateInput struct {
	promo.ParamsInput
	Type          string           `json:"type"`
	Quantity      *int             `json:"quantity"`
	Length        *int             `json:"length"`
	Code          string           `json:"code"`
	Recipient     *promo.Recipient `json:"recipient"`
	EmailTemplate *mail.Template   `json:"emailTemplate"`
}

// Plan is a validated creation: what to create and, with a recipient, what to mail.
type Plan struct {
	promo.Params
	// Custom is the custom code; empty for generated codes.
	Custom    string
	Quantity  int
	Length    int
	Recipient *promo.Recipient
	Template  mail.Template
}

// Validate checks a creation request; today is the date in the site's time zone.
func (in CreateInput) Validate(today string) (Plan, error) {
	var v apperr.Errors
	p := Plan{Params: in.ParamsInput.Check(&v, today), Quantity: 1, Template: mail.Default()}
	switch in.Type {
	case TypeGenerated:
		if in.Code != "" {
			v.Add("code", "is only for type custom")
		}
		p.Length = checkLength(&v, in.Length)
		if in.Quantity != nil {
			switch {
			case in.Recipient != nil && *in.Quantity != 1:
				v.Add("quantity", "a recipient gets one code; for many recipients upload a recipients file")
			case *in.Quantity < 1 || *in.Quantity > promo.MaxQuantity:
				v.Add("quantity", fmt.Sprintf("must be 1 to %d", promo.MaxQuantity))
			default:
				p.Quantity = *in.Quantity
			}
		} else if in.Recipient == nil {
			v.Add("quantity", fmt.Sprintf("is required without a recipient: 1 to %d", promo.MaxQuantity))
		}
	case TypeCustom:
		p.Custom = promo.CheckCustomCode(&v, "code", in.Code)
		if in.Quantity != nil && *in.Quantity != 1 {
			v.Add("quantity", "a custom code is one code")
		}
		if in.Length != nil {
			v.Add("length", "is only for generated codes")
		}
	default:
		v.Add("type", `must be "generated" or "custom"`)
	}
	if in.Recipient != nil {
		r := checkRecipient(&v, "recipient", *in.Recipient)
		p.Recipient = &r
	}
	if in.EmailTemplate != nil {
		if in.Recipient == nil {
			v.Add("emailTemplate", "is only for a code with a recipient, who is mailed it")
		} else if err := in.EmailTemplate.Validate(); err != nil {
			for _, d := range apperr.As(err).Details {
				v.Add(d.Field, d.Reason)
			}
		} else {
			p.Template = *in.EmailTemplate
		}
	}
	if err := v.Err(); err != nil {
		return Plan{}, err
	}
	return p, nil
}

func checkLength(v *apperr.Errors, length *int) int {
	if length == nil {
		return promo.DefaultLength
	}
	if *length < promo.MinLength || *length > promo.MaxLength {
		v.Add("length", fmt.Sprintf("must be %d to %d characters", promo.MinLength, promo.MaxLength))
	}
	return *length
}

func checkRecipient(v *apperr.Errors, field string, r promo.Recipient) promo.Recipient {
	out := promo.Recipient{Email: emailaddr.Normalize(r.Email), Name: strings.TrimSpace(r.Name)}
	if !emailaddr.Valid(out.Email) {
		v.Add(field+".email", "is not a valid e-mail address")
	}
	if out.Name == "" {
		out.Name, _, _ = strings.Cut(strings.TrimSpace(r.Email), "@")
	}
	// The name goes into the e-mail and the report: one line, nothing hidden.
	if p := plaintext.Problem(out.Name); p != "" {
		v.Add(field+".name", "must be one line of visible text; it contains "+p)
	} else if len([]rune(out.Name)) > promo.MaxRecipientName {
		v.Add(field+".name", fmt.Sprintf("must be at most %d characters", promo.MaxRecipientName))
	}
	return out
}

// ImportInput is a request to create codes for the recipients of a file (SPEC 3.2): the
// code parameters, the code length and the e-mail; each recipient gets a generated code.
type ImportInput struct {
	promo.ParamsInput
	Length        *int           `json:"length"`
	EmailTemplate *mail.Template `json:"emailTemplate"`
	// FileName is the name of the administrator's file, kept for the job's display.
	FileName string `json:"fileName"`
}

// ImportPlan is a validated import request.
type ImportPlan struct {
	Params   promo.Params  `json:"params"`
	Length   int           `json:"length"`
	Template mail.Template `json:"emailTemplate"`
	FileName string        `json:"fileName,omitempty"`
}

// Validate checks an import request; today is the date in the site's time zone.
func (in ImportInput) Validate(today string) (ImportPlan, error) {
	var v apperr.Errors
	p := ImportPlan{Params: in.ParamsInput.Check(&v, today), Template: mail.Default(), FileName: strings.TrimSpace(in.FileName)}
	p.Length = checkLength(&v, in.Length)
	if in.EmailTemplate != nil {
		if err := in.EmailTemplate.Validate(); err != nil {
			for _, d := range apperr.As(err).Details {
				v.Add(d.Field, d.Reason)
			}
		} else {
			p.Template = *in.EmailTemplate
		}
	}
	if len(p.FileName) > 255 {
		v.Add("fileName", "must be at most 255 characters")
	}
	if err := v.Err(); err != nil {
		return ImportPlan{}, err
	}
	return p, nil
}
