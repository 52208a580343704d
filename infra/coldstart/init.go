// Package coldstart measures the cold init of the functions' binaries: the time from a
// function's process start to its first request for an invocation, against a Lambda
// Runtime API served on loopback (no network, no AWS). infra/cmd/coldstart runs it.
package coldstart

import (
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"slices"
	"strings"
	"time"
)

// Sample is one cold start.
type Sample struct {
	// Init is the wall time from the process's start to its first poll for an invocation.
	Init time.Duration
	// CPU is the processor time (user and system, all threads) the process used by then:
	// unlike Init it does not grow while a busy machine keeps the process waiting.
	CPU time.Duration
}

// Init starts the binary bin with env (plus AWS_LAMBDA_RUNTIME_API), waits for its first
// poll for an invocation, then stops it. A process that exits before polling (a wiring
// error, a missing variable) is an error with its output.
func Init(ctx context.Context, bin string, env []string) (Sample, error) {
	s, _, err := run(ctx, bin, env)
	return s, err
}

// InitTrace is Init with GODEBUG=inittrace=1: the runtime's account of each package's init.
func InitTrace(ctx context.Context, bin string, env []string) ([]PackageInit, error) {
	_, output, err := run(ctx, bin, append(slices.Clip(env), "GODEBUG=inittrace=1"))
	if err != nil {
		return nil, err
	}
	return ParseInitTrace(output)
}

func run(ctx context.Context, bin string, env []string) (Sample, string, error) {
	api, err := newRuntimeAPI()
	if err != nil {
		return Sample{}, "", err
	}
	defer api.Close()
	cmd := exec.Command(bin)
	cmd.Env = append(slices.Clip(env), "AWS_LAMBDA_RUNTIME_API="+api.Addr())
	var output bytes.Buffer
	cmd.Stdout, cmd.Stderr = &output, &output
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return Sample{}, "", err
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	select {
	case polled := <-api.Polled():
		_ = cmd.Process.Kill()
		<-exited
		cpu := cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
		return Sample{Init: polled.Sub(start), CPU: cpu}, output.String(), nil
	case err := <-exited:
		return Sample{}, "", fmt.Errorf("%s exited before asking for an invocation (%v):\n%s", bin, err, strings.TrimSpace(output.String()))
	case <-ctx.Done():
		_ = cmd.Process.Kill()
		<-exited
		return Sample{}, "", fmt.Errorf("%s: no poll for an invocation: %w", bin, ctx.Err())
	}
}
