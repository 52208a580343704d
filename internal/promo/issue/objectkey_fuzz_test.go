package issue_test

import (
	"context"
	"strings"
	"testing"

	"github.com/boxofficehq/boxoffice/internal/promo/issue"
)

// FuzzObjectKey: promo-import is handed any S3 key (a bucket is writable by anyone holding
// a presigned URL, and by operators' tools). Only the key of a job's upload runs the job,
// which then imports its file exactly once; a key that names no job it can run is ignored
// without an error, after at most one look-up, and nothing changes. In the seeds {id} is
// the ID of the rig's job awaiting its upload.
func FuzzObjectKey(f *testing.F) {
	for _, k := range []string{
		"imports/acme/{id}", "imports/acme/{id}/", "imports/acme/{id}x", "imports/acme//{id}", "imports/other/{id}",
		"imports/acme/20261128T120000.000000000Z-0123456789ab", "Imports/acme/{id}", "/imports/acme/{id}",
		"imports/acme/../acme/{id}", "imports/acme/{id}%2F", "resends/other/{id}/n1", "resends/acme/{id}",
		"uploads/imports/acme/{id}", "imports/acme/" + strings.Repeat("j", 1100), "", "imports", "imports/",
		"generations/acme/{id}", "generations/acme/{id}/", "generations/other/{id}", "generations/",
	} {
		f.Add(k, true)
	}
	f.Add("imports/acme/{id}", false)
	f.Fuzz(func(t *testing.T, key string, sameBucket bool) {
		r := newRig(t)
		emails := addresses(2)
		id, jobKey := r.startImport(t, fileOf(emails))
		key = strings.ReplaceAll(key, "{id}", id)
		if strings.HasPrefix(key, issue.ResendsPrefix+site+"/"+id+"/") && strings.Count(key, "/") == 3 {
			return // a re-send request of the job: the re-send tests' matter
		}
		r.mu.Lock()
		upload := r.uploaded[bucket+"/"+jobKey]
		r.mu.Unlock()
		obj := issue.Object{Bucket: bucket, Key: key, File: upload}
		if !sameBucket {
			obj.Bucket = "another-" + bucket
		}
		r.crashAt() // counts the calls from here
		err := r.is.HandleObject(context.Background(), obj, "inv-1")
		if key == jobKey && sameBucket {
			if err != nil {
				t.Fatalf("the job's own upload: %v", err)
			}
			r.checkExactlyOnce(t, id, emails)
			return
		}
		if err != nil {
			t.Fatalf("%q in %s: %v, want ignored", key, obj.Bucket, err)
		}
		if calls := r.callsSoFar(); len(calls) > 1 || calls["Job"] > 1 || len(calls) == 1 && calls["Job"] == 0 {
			t.Fatalf("%q in %s made calls %v; at most one look-up of a job", key, obj.Bucket, calls)
		}
		if j := r.job(t, id); j.State != issue.JobAwaitingUpload || len(r.mailsTo()) != 0 || len(r.mem.codesOf(id)) != 0 {
			t.Fatalf("%q in %s changed the job: %s, %d mails, %d codes", key, obj.Bucket, j.State, len(r.mailsTo()), len(r.mem.codesOf(id)))
		}
	})
}
