package lambdabuild

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"strings"
)

// Graph is the import graph of the packages some main packages link, as `go list -deps`
// reports it for the build's GOOS, GOARCH and tags.
type Graph struct {
	imports map[string][]string
}

// Deps lists the packages the given packages link, with their imports, in one `go list`.
func (b Build) Deps(ctx context.Context, pkgs ...string) (*Graph, error) {
	args := []string{"list", "-deps", "-f", "{{.ImportPath}}{{range .Imports}} {{.}}{{end}}"}
	if tags := b.Tags(); tags != "" {
		args = append(args, "-tags", tags)
	}
	cmd := b.Go(ctx, append(args, pkgs...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("go list -deps %s: %v\n%s", strings.Join(pkgs, " "), err, stderr.Bytes())
	}
	g := &Graph{imports: map[string][]string{}}
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) > 0 {
			g.imports[fields[0]] = fields[1:]
		}
	}
	return g, sc.Err()
}

// Linked returns every package root links (root included), each with the shortest import
// chain from root to it (root first, the package last).
func (g *Graph) Linked(root string) map[string][]string {
	chains := map[string][]string{root: {root}}
	queue := []string{root}
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		for _, imp := range g.imports[p] {
			if _, seen := chains[imp]; seen {
				continue
			}
			chain := append(append([]string(nil), chains[p]...), imp)
			chains[imp] = chain
			queue = append(queue, imp)
		}
	}
	return chains
}
