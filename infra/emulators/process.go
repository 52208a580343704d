package emulators

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Process is a running emulator.
type Process struct {
	Name     string
	Endpoint string // http://127.0.0.1:port

	cmd  *exec.Cmd
	done chan struct{}
	tail *tailBuffer
}

// DynamoOptions places DynamoDB Local. DataDir "" keeps data in memory.
type DynamoOptions struct {
	Port    int
	DataDir string
	Log     io.Writer
}

// SESOptions places the SES emulator.
type SESOptions struct {
	Port int
	Log  io.Writer
}

// readyTimeout bounds how long an emulator may take to answer. DynamoDB Local's JVM starts
// in seconds on a quiet machine, but under `make test` several start beside the tests of
// other packages on two cores: minutes, so that only an emulator that is stuck fails.
const readyTimeout = 3 * time.Minute

// StartDynamoDB starts DynamoDB Local and waits until it answers.
func StartDynamoDB(ctx context.Context, p Paths, opt DynamoOptions) (*Process, error) {
	port, err := portOrFree(opt.Port)
	if err != nil {
		return nil, err
	}
	args := []string{"-Djava.library.path=" + p.dynamoDir() + "/DynamoDBLocal_lib", "-jar", p.DynamoJar(), "-port", strconv.Itoa(port), "-disableTelemetry"}
	if opt.DataDir != "" {
		dataDir, err := filepath.Abs(opt.DataDir)
		if err != nil {
			return nil, err
		}
		args = append(args, "-sharedDb", "-dbPath", dataDir)
	} else {
		args = append(args, "-inMemory")
	}
	proc, err := start("DynamoDB Local", port, opt.Log, "java", args...)
	if err != nil {
		return nil, err
	}
	return proc, proc.waitReady(ctx, func(endpoint string) bool {
		req, _ := http.NewRequest(http.MethodPost, endpoint, strings.NewReader("{}"))
		req.Header.Set("X-Amz-Target", "DynamoDB_20120810.ListTables")
		req.Header.Set("Content-Type", "application/x-amz-json-1.0")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return false
		}
		resp.Body.Close()
		return true
	})
}

// StartSES starts the SES emulator and waits until it answers.
func StartSES(ctx context.Context, p Paths, opt SESOptions) (*Process, error) {
	port, err := portOrFree(opt.Port)
	if err != nil {
		return nil, err
	}
	proc, err := start("SES emulator", port, opt.Log, "node", p.SESScript(), "--host", "127.0.0.1", "--port", strconv.Itoa(port))
	if err != nil {
		return nil, err
	}
	return proc, proc.waitReady(ctx, func(endpoint string) bool {
		resp, err := http.Get(endpoint + "/store")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	})
}

// start runs an emulator in a scratch working folder of its own, removed once it exits:
// whatever it writes where it runs (DynamoDB Local writes dynamodb-local-metadata.json)
// stays out of the checkout the caller runs in.
func start(name string, port int, log io.Writer, bin string, args ...string) (*Process, error) {
	if log == nil {
		log = io.Discard
	}
	work, err := os.MkdirTemp("", "boxoffice-emulator-")
	if err != nil {
		return nil, err
	}
	tail := &tailBuffer{max: 4096}
	cmd := exec.Command(bin, args...)
	cmd.Dir = work
	cmd.Stdout = io.MultiWriter(log, tail)
	cmd.Stderr = cmd.Stdout
	// Its own process group, so Stop reaches its children; killed if we die first.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		_ = os.RemoveAll(work)
		return nil, fmt.Errorf("start %s (%s): %w", name, bin, err)
	}
	p := &Process{Name: name, Endpoint: fmt.Sprintf("http://127.0.0.1:%d", port), cmd: cmd, done: make(chan struct{}), tail: tail}
	go func() {
		_ = cmd.Wait()
		_ = os.RemoveAll(work)
		close(p.done)
	}()
	return p, nil
}

func (p *Process) waitReady(ctx context.Context, ready func(endpoint string) bool) error {
	deadline := time.Now().Add(readyTimeout)
	for !ready(p.Endpoint) {
		select {
		case <-p.done:
			return fmt.Errorf("%s exited before it was ready:\n%s", p.Name, p.tail)
		case <-ctx.Done():
			_ = p.Stop()
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			_ = p.Stop()
			return fmt.Errorf("%s did not answer at %s within %s:\n%s", p.Name, p.Endpoint, readyTimeout, p.tail)
		}
	}
	return nil
}

// Stop ends the emulator and its children: SIGTERM, then SIGKILL after 5 seconds.
func (p *Process) Stop() error {
	select {
	case <-p.done:
		return nil
	default:
	}
	_ = syscall.Kill(-p.cmd.Process.Pid, syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(5 * time.Second):
		_ = syscall.Kill(-p.cmd.Process.Pid, syscall.SIGKILL)
		<-p.done
	}
	return nil
}

// FreePort returns a TCP port on 127.0.0.1 that nothing listens on now.
func FreePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

func portOrFree(port int) (int, error) {
	if port != 0 {
		return port, nil
	}
	return FreePort()
}

// tailBuffer keeps the last bytes an emulator printed, for error messages.
type tailBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
	max int
}

func (t *tailBuffer) Write(b []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf.Write(b)
	if over := t.buf.Len() - t.max; over > 0 {
		t.buf.Next(over)
	}
	return len(b), nil
}

func (t *tailBuffer) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.buf.String()
}
