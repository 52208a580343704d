package secretsmanager

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"sort"
	"time"
)

type version struct {
	ID      string
	String  *string
	Binary  []byte
	Stages  []string
	Created time.Time
}

type secret struct {
	Name        string
	ARN         string
	Description string
	Created     time.Time
	Changed     time.Time
	DeletedAt   *time.Time // deletion scheduled for this time
	versions    []*version
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func newVersionID() string {
	h := randomHex(16)
	return fmt.Sprintf("%s-%s-%s-%s-%s", h[0:8], h[8:12], h[12:16], h[16:20], h[20:32])
}

// lookup finds a secret by name or ARN.
func (s *Server) lookup(id string) *secret {
	if sec, ok := s.secrets[id]; ok {
		return sec
	}
	for _, sec := range s.secrets {
		if sec.ARN == id {
			return sec
		}
	}
	return nil
}

// addVersion makes a new AWSCURRENT version; the old current becomes AWSPREVIOUS.
func (sec *secret) addVersion(id string, str *string, bin []byte, now time.Time) *version {
	for _, v := range sec.versions {
		v.Stages = without(v.Stages, "AWSPREVIOUS")
		if contains(v.Stages, "AWSCURRENT") {
			v.Stages = append(without(v.Stages, "AWSCURRENT"), "AWSPREVIOUS")
		}
	}
	kept := sec.versions[:0]
	for _, v := range sec.versions {
		if len(v.Stages) > 0 {
			kept = append(kept, v)
		}
	}
	if id == "" {
		id = newVersionID()
	}
	v := &version{ID: id, String: str, Binary: bin, Stages: []string{"AWSCURRENT"}, Created: now}
	sec.versions = append(kept, v)
	sec.Changed = now
	return v
}

func (sec *secret) byStage(stage string) *version {
	for _, v := range sec.versions {
		if contains(v.Stages, stage) {
			return v
		}
	}
	return nil
}

func (sec *secret) byID(id string) *version {
	for _, v := range sec.versions {
		if v.ID == id {
			return v
		}
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func without(list []string, s string) []string {
	out := list[:0:0]
	for _, v := range list {
		if v != s {
			out = append(out, v)
		}
	}
	return out
}

func sortStrings(s []string) []string { sort.Strings(s); return s }

func epoch(t time.Time) float64 { return float64(t.UnixMilli()) / 1000 }
