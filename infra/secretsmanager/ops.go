package secretsmanager

import (
	"encoding/json"
	"sort"
	"strconv"
	"strings"
	"time"
)

func decode(body []byte, v any) *apiError {
	if err := json.Unmarshal(body, v); err != nil {
		return &apiError{"SerializationException", "the body does not match the operation's input"}
	}
	return nil
}

func (s *Server) createSecret(body []byte) (any, *apiError) {
	var in struct {
		Name               string
		SecretString       *string
		SecretBinary       []byte
		Description        string
		ClientRequestToken string
	}
	if err := decode(body, &in); err != nil {
		return nil, err
	}
	if in.Name == "" || len(in.Name) > 512 {
		return nil, errInvalidParam("Name must be 1 to 512 characters.")
	}
	if existing := s.secrets[in.Name]; existing != nil {
		if existing.DeletedAt != nil {
			return nil, errInvalidRequest("You can't create this secret because a secret with this name is already scheduled for deletion.")
		}
		return nil, &apiError{"ResourceExistsException", "The operation failed because the secret " + in.Name + " already exists."}
	}
	now := time.Now()
	sec := &secret{
		Name: in.Name, Description: in.Description, Created: now,
		ARN: "arn:aws:secretsmanager:us-east-1:000000000000:secret:" + in.Name + "-" + randomHex(3),
	}
	out := map[string]any{"ARN": sec.ARN, "Name": sec.Name}
	if in.SecretString != nil || in.SecretBinary != nil {
		v := sec.addVersion(in.ClientRequestToken, in.SecretString, in.SecretBinary, now)
		out["VersionId"] = v.ID
	}
	s.secrets[in.Name] = sec
	return out, nil
}

// live finds a secret whose value may be read or changed: it exists and is not scheduled
// for deletion.
func (s *Server) live(id string) (*secret, *apiError) {
	sec := s.lookup(id)
	if sec == nil {
		return nil, errNotFound()
	}
	if sec.DeletedAt != nil {
		return nil, errInvalidRequest("You can't perform this operation on the secret because it was marked for deletion.")
	}
	return sec, nil
}

func (s *Server) getSecretValue(body []byte) (any, *apiError) {
	var in struct{ SecretId, VersionId, VersionStage string }
	if err := decode(body, &in); err != nil {
		return nil, err
	}
	sec, apiErr := s.live(in.SecretId)
	if apiErr != nil {
		return nil, apiErr
	}
	var v *version
	switch {
	case in.VersionId != "":
		v = sec.byID(in.VersionId)
	case in.VersionStage != "":
		v = sec.byStage(in.VersionStage)
	default:
		v = sec.byStage("AWSCURRENT")
	}
	if v == nil {
		return nil, &apiError{"ResourceNotFoundException", "Secrets Manager can't find the specified secret value."}
	}
	out := map[string]any{
		"ARN": sec.ARN, "Name": sec.Name, "VersionId": v.ID, "VersionStages": v.Stages, "CreatedDate": epoch(v.Created),
	}
	if v.String != nil {
		out["SecretString"] = *v.String
	}
	if v.Binary != nil {
		out["SecretBinary"] = v.Binary
	}
	return out, nil
}

func (s *Server) putSecretValue(body []byte) (any, *apiError) {
	var in struct {
		SecretId           string
		SecretString       *string
		SecretBinary       []byte
		ClientRequestToken string
	}
	if err := decode(body, &in); err != nil {
		return nil, err
	}
	sec, apiErr := s.live(in.SecretId)
	if apiErr != nil {
		return nil, apiErr
	}
	if in.SecretString == nil && in.SecretBinary == nil {
		return nil, errInvalidParam("You must provide either SecretString or SecretBinary.")
	}
	if in.ClientRequestToken != "" {
		if v := sec.byID(in.ClientRequestToken); v != nil {
			// Idempotent retry of the same request.
			return map[string]any{"ARN": sec.ARN, "Name": sec.Name, "VersionId": v.ID, "VersionStages": v.Stages}, nil
		}
	}
	v := sec.addVersion(in.ClientRequestToken, in.SecretString, in.SecretBinary, time.Now())
	return map[string]any{"ARN": sec.ARN, "Name": sec.Name, "VersionId": v.ID, "VersionStages": v.Stages}, nil
}

func (s *Server) describe(sec *secret) map[string]any {
	stages := map[string][]string{}
	for _, v := range sec.versions {
		stages[v.ID] = v.Stages
	}
	out := map[string]any{
		"ARN": sec.ARN, "Name": sec.Name, "CreatedDate": epoch(sec.Created),
		"VersionIdsToStages": stages,
	}
	if sec.Description != "" {
		out["Description"] = sec.Description
	}
	if !sec.Changed.IsZero() {
		out["LastChangedDate"] = epoch(sec.Changed)
	}
	if sec.DeletedAt != nil {
		out["DeletedDate"] = epoch(*sec.DeletedAt)
	}
	return out
}

func (s *Server) describeSecret(body []byte) (any, *apiError) {
	var in struct{ SecretId string }
	if err := decode(body, &in); err != nil {
		return nil, err
	}
	sec := s.lookup(in.SecretId)
	if sec == nil {
		return nil, errNotFound()
	}
	return s.describe(sec), nil
}

func (s *Server) deleteSecret(body []byte) (any, *apiError) {
	var in struct {
		SecretId                   string
		RecoveryWindowInDays       *int
		ForceDeleteWithoutRecovery bool
	}
	if err := decode(body, &in); err != nil {
		return nil, err
	}
	if in.ForceDeleteWithoutRecovery && in.RecoveryWindowInDays != nil {
		return nil, errInvalidParam("You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.")
	}
	days := 30
	if in.RecoveryWindowInDays != nil {
		days = *in.RecoveryWindowInDays
		if days < 7 || days > 30 {
			return nil, errInvalidParam("RecoveryWindowInDays must be from 7 to 30.")
		}
	}
	sec := s.lookup(in.SecretId)
	if sec == nil {
		return nil, errNotFound()
	}
	now := time.Now()
	if in.ForceDeleteWithoutRecovery {
		delete(s.secrets, sec.Name)
		return map[string]any{"ARN": sec.ARN, "Name": sec.Name, "DeletionDate": epoch(now)}, nil
	}
	if sec.DeletedAt == nil {
		at := now.Add(time.Duration(days) * 24 * time.Hour)
		sec.DeletedAt = &at
	}
	return map[string]any{"ARN": sec.ARN, "Name": sec.Name, "DeletionDate": epoch(*sec.DeletedAt)}, nil
}

func (s *Server) restoreSecret(body []byte) (any, *apiError) {
	var in struct{ SecretId string }
	if err := decode(body, &in); err != nil {
		return nil, err
	}
	sec := s.lookup(in.SecretId)
	if sec == nil {
		return nil, errNotFound()
	}
	sec.DeletedAt = nil
	return map[string]any{"ARN": sec.ARN, "Name": sec.Name}, nil
}

func (s *Server) listSecrets(body []byte) (any, *apiError) {
	var in struct {
		MaxResults int
		NextToken  string
		Filters    []struct {
			Key    string
			Values []string
		}
	}
	if err := decode(body, &in); err != nil {
		return nil, err
	}
	var prefixes []string
	for _, f := range in.Filters {
		if f.Key != "name" {
			return nil, errInvalidParam("only the name filter is supported here")
		}
		prefixes = append(prefixes, f.Values...)
	}
	var names []string
	for n := range s.secrets {
		if len(prefixes) == 0 || hasAnyPrefix(n, prefixes) {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	start := 0
	if in.NextToken != "" {
		i, err := strconv.Atoi(in.NextToken)
		if err != nil || i < 0 || i > len(names) {
			return nil, errInvalidParam("NextToken is not valid.")
		}
		start = i
	}
	size := in.MaxResults
	if size <= 0 || size > 100 {
		size = 100
	}
	end := min(start+size, len(names))
	list := make([]map[string]any, 0, end-start)
	for _, n := range names[start:end] {
		list = append(list, s.describe(s.secrets[n]))
	}
	out := map[string]any{"SecretList": list}
	if end < len(names) {
		out["NextToken"] = strconv.Itoa(end)
	}
	return out, nil
}

func hasAnyPrefix(s string, prefixes []string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}
