// Package csvsafe writes CSV downloads (the promotion code report, SPEC 3.4) that are safe to
// open in a spreadsheet: no cell is read as a formula ("CSV injection", OWASP), so a code or
// recipient name such as =HYPERLINK(...) shows as text instead of running, and Excel reads
// the file as UTF-8 with its line endings.
package csvsafe

import (
	"bufio"
	"encoding/csv"
	"io"
	"time"
)

// bom makes Excel read the file as UTF-8; without it Excel assumes the local code page and
// garbles accented names.
const bom = "\uFEFF"

// Writer writes records with every cell passed through Cell. Like csv.Writer it buffers:
// call Flush at the end and check its error.
type Writer struct {
	csv *csv.Writer
}

// NewWriter returns a Writer to w. The byte-order mark is the first thing written, even for
// a report with no rows; lines end in CRLF as Excel writes them.
func NewWriter(w io.Writer) *Writer {
	bw := bufio.NewWriter(w)
	_, _ = bw.WriteString(bom) // buffered: cannot fail here; a failure to deliver it shows at Flush
	c := csv.NewWriter(bw)     // shares bw: bufio.NewWriter returns a large enough *bufio.Writer as is
	c.UseCRLF = true
	return &Writer{csv: c}
}

// Write writes one record, each cell made safe with Cell. record itself is not changed.
func (w *Writer) Write(record []string) error {
	safe := make([]string, len(record))
	for i, s := range record {
		safe[i] = Cell(s)
	}
	return w.csv.Write(safe)
}

// Flush writes any buffered data to the underlying writer and returns the first error of any
// Write or Flush.
func (w *Writer) Flush() error {
	w.csv.Flush()
	return w.csv.Error()
}

// WriteRow writes one record and flushes it through, so that what the Writer writes to
// holds whole rows only and its length is what has been written.
func (w *Writer) WriteRow(record []string) error {
	if err := w.Write(record); err != nil {
		return err
	}
	return w.Flush()
}

// Time is an instant as the reports write it: RFC 3339 in UTC, empty for none.
func Time(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}
