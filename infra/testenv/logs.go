package testenv

import (
	"bytes"
	"log/slog"
	"sync"
)

// LogBuffer collects log output written from any goroutine, for tests that read what was
// logged (and check what was not).
type LogBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *LogBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *LogBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// CapturingLogger returns a JSON logger at debug level, the most that could leak, writing
// into a new LogBuffer.
func CapturingLogger() (*slog.Logger, *LogBuffer) {
	b := &LogBuffer{}
	return slog.New(slog.NewJSONHandler(b, &slog.HandlerOptions{Level: slog.LevelDebug})), b
}
