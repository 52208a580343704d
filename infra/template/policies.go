package template

import (
	"encoding/json"
	"fmt"

	"github.com/awslabs/goformation/v7/cloudformation/serverless"
)

// statements reads the inline policy documents of a function. Managed policy names and SAM
// policy templates are refused: every grant is spelled out so it can be checked.
func statements(p *serverless.Function_Policies) ([]Statement, error) {
	if p == nil {
		return nil, nil
	}
	// goformation fills every array form it can from a list, so a list counts as inline
	// documents only when each of its items has statements.
	var docs []serverless.Function_IAMPolicyDocument
	switch {
	case p.IAMPolicyDocument != nil:
		docs = append(docs, *p.IAMPolicyDocument)
	case p.IAMPolicyDocumentArray != nil:
		docs = append(docs, *p.IAMPolicyDocumentArray...)
	}
	for _, d := range docs {
		if len(d.Statement) == 0 {
			docs = nil
			break
		}
	}
	if docs == nil {
		return nil, fmt.Errorf("policies must be inline statements, not managed policies or SAM policy templates")
	}
	var out []Statement
	for _, d := range docs {
		for _, raw := range d.Statement {
			var s struct {
				Effect   string
				Action   stringOrList
				Resource stringOrList
			}
			b, err := json.Marshal(raw)
			if err != nil {
				return nil, err
			}
			if err := json.Unmarshal(b, &s); err != nil {
				return nil, fmt.Errorf("statement %s: %w", b, err)
			}
			if s.Effect != "Allow" {
				return nil, fmt.Errorf("statement %s: only Allow statements are expected", b)
			}
			out = append(out, Statement{Actions: s.Action, Resources: s.Resource})
		}
	}
	return out, nil
}

// stringOrList is an IAM field that may be one string or a list of them.
type stringOrList []string

func (s *stringOrList) UnmarshalJSON(b []byte) error {
	var one string
	if json.Unmarshal(b, &one) == nil {
		*s = []string{one}
		return nil
	}
	var many []string
	if err := json.Unmarshal(b, &many); err != nil {
		return err
	}
	*s = many
	return nil
}
