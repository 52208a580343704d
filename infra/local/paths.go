package local

import (
	"os"
	"path/filepath"

	"github.com/boxofficehq/boxoffice/infra/template"
)

// RepoRoot is the directory holding template.yaml, found from the working directory.
func RepoRoot() (string, error) {
	wd, err := os.Getwd()
	if err != nil {
		return "", err
	}
	p, err := template.Locate(wd)
	if err != nil {
		return "", err
	}
	return filepath.Dir(p), nil
}

// StateDir is where the local stack keeps what survives a restart (git-ignored).
func StateDir(root string) string { return filepath.Join(root, ".local") }

// SignerKeyPath is the local token signing key kept in a state directory.
func SignerKeyPath(stateDir string) string { return filepath.Join(stateDir, "jwt-secret") }
