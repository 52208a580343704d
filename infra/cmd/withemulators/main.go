// Command withemulators runs a command with DynamoDB Local and the SES emulator started on
// free ports (in memory) and stopped afterwards, whatever happens: `make test` is
// `go run ./infra/cmd/withemulators -- go test -race ./...`.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"syscall"

	"github.com/boxofficehq/boxoffice/infra/emulators"
	"github.com/boxofficehq/boxoffice/infra/testenv"
)

func main() {
	code, err := run(os.Args[1:])
	if err != nil {
		fmt.Fprintln(os.Stderr, "withemulators:", err)
		if code == 0 {
			code = 1
		}
	}
	os.Exit(code)
}

func run(args []string) (int, error) {
	if len(args) > 0 && args[0] == "--" {
		args = args[1:]
	}
	if len(args) == 0 {
		return 2, errors.New("usage: withemulators -- command [args...]")
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	paths := emulators.Paths{} // installed once per machine, outside the checkout
	if err := paths.Ensure(ctx, os.Stderr); err != nil {
		return 1, err
	}
	ddb, err := emulators.StartDynamoDB(ctx, paths, emulators.DynamoOptions{})
	if err != nil {
		return 1, err
	}
	defer ddb.Stop()
	ses, err := emulators.StartSES(ctx, paths, emulators.SESOptions{})
	if err != nil {
		return 1, err
	}
	defer ses.Stop()
	fmt.Fprintf(os.Stderr, "emulators: DynamoDB Local %s, SES %s\n", ddb.Endpoint, ses.Endpoint)

	cmd := exec.Command(args[0], args[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	cmd.Env = append(os.Environ(),
		testenv.EnvDynamoDB+"="+ddb.Endpoint,
		testenv.EnvSES+"="+ses.Endpoint,
		testenv.EnvRequire+"=1",
	)
	if err := cmd.Start(); err != nil {
		return 1, err
	}
	// Forward Ctrl-C / SIGTERM to the command; the deferred stops run once it has exited.
	go func() {
		<-ctx.Done()
		_ = cmd.Process.Signal(syscall.SIGTERM)
	}()
	err = cmd.Wait()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return exit.ExitCode(), nil
	}
	return 0, err
}
