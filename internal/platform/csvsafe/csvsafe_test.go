package csvsafe

import (
	"bytes"
	"encoding/csv"
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestWriterBOMAndCRLF(t *testing.T) {
	var b bytes.Buffer
	w := NewWriter(&b)
	if err := w.Write([]string{"code", "recipient"}); err != nil {
		t.Fatal(err)
	}
	if err := w.Write([]string{"SPRING24", "Ana"}); err != nil {
		t.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if want := "\uFEFFcode,recipient\r\nSPRING24,Ana\r\n"; b.String() != want {
		t.Fatalf("got %q, want %q", b.String(), want)
	}
}

func TestEmptyReportStillHasBOM(t *testing.T) {
	var b bytes.Buffer
	if err := NewWriter(&b).Flush(); err != nil {
		t.Fatal(err)
	}
	if b.String() != "\uFEFF" {
		t.Fatalf("got %q", b.String())
	}
}

// TestRoundTrip reads the output back with encoding/csv: quoting of commas, quotes and line
// breaks is intact, and every cell is what Cell made of it.
func TestRoundTrip(t *testing.T) {
	records := [][]string{
		{"code", "recipient", "note"},
		{"-ABC", `Smith, "Ana"`, "line one\nline two"},
		{`=HYPERLINK("http://evil.example","x")`, "@SUM(1+1)", "+cmd|' /C calc'!A0"},
		{"-2+3", " =1", "a\r\nb"},
		{"", "Zoé, 李伟", "tab\there"},
	}
	var b bytes.Buffer
	w := NewWriter(&b)
	for _, r := range records {
		if err := w.Write(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	out, ok := strings.CutPrefix(b.String(), "\uFEFF")
	if !ok {
		t.Fatal("no BOM")
	}
	got, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var want [][]string
	for _, r := range records {
		var row []string
		for _, s := range r {
			// encoding/csv reads a quoted CRLF back as LF.
			row = append(row, strings.ReplaceAll(Cell(s), "\r\n", "\n"))
		}
		want = append(want, row)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got  %q\nwant %q", got, want)
	}
	for _, row := range got {
		for _, cell := range row {
			if startsFormula(cell) {
				t.Errorf("cell %q still starts a formula", cell)
			}
		}
	}
}

func TestWriteDoesNotChangeRecord(t *testing.T) {
	r := []string{"=1"}
	w := NewWriter(&bytes.Buffer{})
	if err := w.Write(r); err != nil {
		t.Fatal(err)
	}
	if r[0] != "=1" {
		t.Fatalf("record changed to %q", r[0])
	}
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestFlushReportsWriteFailure(t *testing.T) {
	w := NewWriter(failingWriter{})
	if err := w.Write([]string{"a"}); err != nil {
		t.Fatal(err) // buffered
	}
	if err := w.Flush(); err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Fatalf("Flush = %v, want disk full", err)
	}
}
