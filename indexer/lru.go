package indexer

import (
	"container/list"
	"sync"
)

// A byteLRU keeps the most recently used values up to a number of bytes, each value's
// size given when it is put. It is safe for concurrent use.
type byteLRU[K comparable, V any] struct {
	limit int
	mu    sync.Mutex
	size  int
	order *list.List // of *lruEntry[K, V], most recent first
	byKey map[K]*list.Element
}

type lruEntry[K comparable, V any] struct {
	key  K
	val  V
	size int
}

func (c *byteLRU[K, V]) get(k K) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.byKey[k]; ok {
		c.order.MoveToFront(e)
		return e.Value.(*lruEntry[K, V]).val, true
	}
	var zero V
	return zero, false
}

// put keeps v under k unless k is kept already, then forgets the least recently used
// values while more than limit bytes are kept (never the last one).
func (c *byteLRU[K, V]) put(k K, v V, size int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.byKey == nil {
		c.byKey, c.order = map[K]*list.Element{}, list.New()
	}
	if _, ok := c.byKey[k]; ok {
		return
	}
	c.byKey[k] = c.order.PushFront(&lruEntry[K, V]{k, v, size})
	c.size += size
	for c.size > c.limit && c.order.Len() > 1 {
		old := c.order.Remove(c.order.Back()).(*lruEntry[K, V])
		delete(c.byKey, old.key)
		c.size -= old.size
	}
}

// bytes is the size of what is kept.
func (c *byteLRU[K, V]) bytes() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.size
}

// capacity is the most bytes kept.
func (c *byteLRU[K, V]) capacity() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.limit
}

// setCapacity changes the most bytes kept; what is kept beyond it goes on the next put.
func (c *byteLRU[K, V]) setCapacity(n int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.limit = n
}
