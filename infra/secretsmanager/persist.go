package secretsmanager

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// Open returns a Secrets Manager whose secrets are kept in the file at path (mode 0600), so
// the local stack's secrets survive a restart as its tables do.
func Open(path string) (*Server, error) {
	s := NewServer()
	s.path = path
	raw, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return s, nil
	}
	if err != nil {
		return nil, err
	}
	var saved []savedSecret
	if err := json.Unmarshal(raw, &saved); err != nil {
		return nil, fmt.Errorf("%s is not a secrets file: %w", path, err)
	}
	for _, ss := range saved {
		sec := &secret{Name: ss.Name, ARN: ss.ARN, Description: ss.Description, Created: ss.Created, Changed: ss.Changed, DeletedAt: ss.DeletedAt}
		for _, v := range ss.Versions {
			sec.versions = append(sec.versions, &version{ID: v.ID, String: v.String, Binary: v.Binary, Stages: v.Stages, Created: v.Created})
		}
		s.secrets[sec.Name] = sec
	}
	return s, nil
}

type savedSecret struct {
	Name        string
	ARN         string
	Description string
	Created     time.Time
	Changed     time.Time
	DeletedAt   *time.Time
	Versions    []savedVersion
}

type savedVersion struct {
	ID      string
	String  *string
	Binary  []byte
	Stages  []string
	Created time.Time
}

// save writes every secret to s.path, replacing the file whole so a crash never leaves half
// of it. Called with s.mu held, after each change.
func (s *Server) save() error {
	if s.path == "" {
		return nil
	}
	saved := make([]savedSecret, 0, len(s.secrets))
	for _, sec := range s.secrets {
		ss := savedSecret{Name: sec.Name, ARN: sec.ARN, Description: sec.Description, Created: sec.Created, Changed: sec.Changed, DeletedAt: sec.DeletedAt}
		for _, v := range sec.versions {
			ss.Versions = append(ss.Versions, savedVersion{ID: v.ID, String: v.String, Binary: v.Binary, Stages: v.Stages, Created: v.Created})
		}
		saved = append(saved, ss)
	}
	raw, err := json.Marshal(saved)
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(s.path), ".secrets-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return err
	}
	if _, err := tmp.Write(raw); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), s.path)
}
