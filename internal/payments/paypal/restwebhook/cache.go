package restwebhook

import (
	"crypto/rsa"
	"sync"
	"time"
)

// certCache keeps verified signing keys by cert URL, each until its chain expires or the
// cache period ends, whichever is first; at most size of them (the one expiring first
// goes to make room).
type certCache struct {
	mu      sync.Mutex
	size    int
	entries map[string]cachedKey
}

type cachedKey struct {
	key   *rsa.PublicKey
	until time.Time
}

func newCertCache(size int) *certCache {
	return &certCache{size: size, entries: map[string]cachedKey{}}
}

func (c *certCache) get(url string, now time.Time) (*rsa.PublicKey, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[url]
	if !ok || !now.Before(e.until) {
		delete(c.entries, url)
		return nil, false
	}
	return e.key, true
}

func (c *certCache) put(url string, key *rsa.PublicKey, until time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.entries[url]; !ok && len(c.entries) >= c.size {
		var first string
		for u, e := range c.entries {
			if first == "" || e.until.Before(c.entries[first].until) {
				first = u
			}
		}
		delete(c.entries, first)
	}
	c.entries[url] = cachedKey{key: key, until: until}
}
