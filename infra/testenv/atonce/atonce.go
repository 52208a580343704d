// Package atonce runs a race's callers together, for the tests that race them.
package atonce

import "sync"

// Run calls fn(i) for every i below n, each on its own goroutine, all released at the same
// moment as racing callers arrive, and returns once every call has.
func Run(n int, fn func(i int)) {
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			fn(i)
		}()
	}
	close(start)
	wg.Wait()
}
