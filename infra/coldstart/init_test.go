package coldstart

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"
)

// The test binary doubles as the function measured: with COLDSTART_TEST_CHILD set it
// behaves as a function would (or fails as a misconfigured one does) instead of running
// the tests.
func TestMain(m *testing.M) {
	switch os.Getenv("COLDSTART_TEST_CHILD") {
	case "poll":
		fmt.Println("init done")
		resp, err := http.Get("http://" + os.Getenv("AWS_LAMBDA_RUNTIME_API") + NextPath)
		if err == nil {
			resp.Body.Close()
		}
		os.Exit(3) // only once the poll is answered or cut: the benchmark stops it first
	case "fail":
		fmt.Fprintln(os.Stderr, "missing environment variables: PROMO_TABLE")
		os.Exit(1)
	}
	os.Exit(m.Run())
}

// childPatience bounds how long a test waits for its child process to poll or exit: a
// start takes milliseconds, this is only so that a hung child fails the test.
const childPatience = 5 * time.Minute

func TestInitEndsAtTheFirstPoll(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), childPatience)
	defer cancel()
	s, err := Init(ctx, os.Args[0], []string{"COLDSTART_TEST_CHILD=poll"})
	if err != nil {
		t.Fatal(err)
	}
	if s.Init <= 0 || s.CPU <= 0 {
		t.Fatalf("sample %+v: want the time to the poll and the processor time used", s)
	}
}

func TestInitReportsAProcessThatNeverPolls(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), childPatience)
	defer cancel()
	_, err := Init(ctx, os.Args[0], []string{"COLDSTART_TEST_CHILD=fail"})
	if err == nil || !strings.Contains(err.Error(), "exited before asking for an invocation") || !strings.Contains(err.Error(), "PROMO_TABLE") {
		t.Fatalf("err = %v; want the exit and the process's output", err)
	}
}

func TestRuntimeAPIServesOnlyNext(t *testing.T) {
	api, err := newRuntimeAPI()
	if err != nil {
		t.Fatal(err)
	}
	defer api.Close()
	resp, err := http.Get("http://" + api.Addr() + "/2018-06-01/runtime/invocation/x/response")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Fatalf("status %d", resp.StatusCode)
	}
	select {
	case <-api.Polled():
		t.Fatal("another path counted as the poll")
	default:
	}
}
