package issue_test

import (
	"errors"
	"io"
	"testing"

	"github.com/boxofficehq/boxoffice/internal/promo"
	"github.com/boxofficehq/boxoffice/internal/promo/issue"
)

// TestBatchesAreAllOrNothing: with batches of three, seven recipients are three writes of
// codes (3, 3 and 1, in line order). A run that dies at any of them, before the write or
// after it, leaves whole batches: the job counts 0, 3, 6 or 7 codes, each recipient stored
// has their code, and the retry writes only the batches left.
func TestBatchesAreAllOrNothing(t *testing.T) {
	emails := addresses(7)
	clean := newBatchRig(t, 3)
	id, key := clean.startImport(t, fileOf(emails))
	var sizes [][]int
	create := clean.jobs.createBatch
	clean.jobs.createBatch = func(j issue.Job, b issue.Batch, codes []promo.Code) error {
		var lines []int
		for _, r := range b.Recipients {
			lines = append(lines, r.Line)
		}
		sizes = append(sizes, lines)
		return create(j, b, codes)
	}
	if err := clean.event(key, "req-1"); err != nil {
		t.Fatal(err)
	}
	clean.checkExactlyOnce(t, id, emails)
	// The file has a header line, so its recipients are lines 2 to 8.
	if len(sizes) != 3 || len(sizes[0]) != 3 || sizes[0][0] != 2 || len(sizes[1]) != 3 || sizes[1][0] != 5 || len(sizes[2]) != 1 || sizes[2][0] != 8 {
		t.Fatalf("batches by line: %v", sizes)
	}

	for n := 1; n <= 3; n++ {
		for _, after := range []bool{false, true} {
			p := crashPoint{method: "CreateBatch", n: n, after: after}
			t.Run(p.String(), func(t *testing.T) {
				r := newBatchRig(t, 3)
				id, key := r.startImport(t, fileOf(emails))
				r.crashAt(p)
				if err := r.event(key, "req-1"); !errors.Is(err, errCrash) {
					t.Fatalf("the dying run reported %v", err)
				}
				left := r.job(t, id)
				written := map[int]bool{0: true, 3: true, 6: true, 7: true}
				if !written[left.CodesCreated] || len(r.mem.codesOf(id)) != left.CodesCreated {
					t.Fatalf("after the crash: %d codes counted, %d stored; want whole batches", left.CodesCreated, len(r.mem.codesOf(id)))
				}
				rs, _ := r.mem.list(site, id)
				for _, rec := range rs {
					if !rec.CodeCreated || r.mem.codes[site+"/"+rec.Code].Recipient.Email != rec.Email {
						t.Fatalf("stored recipient %+v has no code of theirs", rec)
					}
				}
				r.crashAt()
				if err := r.event(key, "req-1"); err != nil {
					t.Fatal(err)
				}
				r.checkExactlyOnce(t, id, emails)
				if got, want := r.count("CreateBatch"), (len(emails)-left.CodesCreated+2)/3; got != want {
					t.Fatalf("the retry wrote %d batches; %d were left", got, want)
				}
			})
		}
	}
}

// TestJobIsValidatingOnceItsFileArrived: the first thing a run does with a job waiting for
// its file is to say that the file is there, before it reads it; the job has the upload.
func TestJobIsValidatingOnceItsFileArrived(t *testing.T) {
	r := newRig(t)
	id, key := r.startImport(t, fileOf(addresses(2)))
	var seen issue.Job
	open := r.objects.open
	r.objects.open = func(bucket, key, etag string, max int64) (io.ReadCloser, error) {
		seen = r.job(t, id)
		return open(bucket, key, etag, max)
	}
	if err := r.event(key, "req-1"); err != nil {
		t.Fatal(err)
	}
	if seen.State != issue.JobValidating || seen.File != r.uploaded[bucket+"/"+key] || seen.File.ETag == "" {
		t.Fatalf("while the file was read: job %s with file %+v; want validating with %+v", seen.State, seen.File, r.uploaded[bucket+"/"+key])
	}
}
