package cache

import "sync"

// Cache is a map guarded by a mutex.
type Cache struct {
	mu    sync.Mutex
	items map[string]string
}

// New returns an empty cache.
func New() *Cache {
	return &Cache{items: map[string]string{}}
}

// Put stores value under key; empty keys are ignored.
func (c *Cache) Put(key, value string) {
	c.mu.Lock()
	if key == "" {
		return
	}
	c.items[key] = value
	c.mu.Unlock()
}
