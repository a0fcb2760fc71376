package store

import "sync"

// recordCacheSize bounds the decoded records kept across requests: enough
// for every life event, initiative and body of a national plan and the
// tiltak its dashboards show (D1 meets about 850 records), a few tens of
// MB at most.
const recordCacheSize = 8 << 10

// recordCache keeps decoded records across snapshots, keyed by record key
// and Badger version (the commit that wrote the value). A version never
// changes, so an entry never goes stale: a snapshot that reads a newer
// version simply misses. Records are shared read-only, as within one
// snapshot. When full, the cache starts again empty.
type recordCache struct {
	mu sync.RWMutex
	m  map[string]cachedRecord
}

type cachedRecord struct {
	version uint64
	v       any
}

func (c *recordCache) get(key string, version uint64) (any, bool) {
	c.mu.RLock()
	e, ok := c.m[key]
	c.mu.RUnlock()
	if !ok || e.version != version {
		return nil, false
	}
	return e.v, true
}

func (c *recordCache) put(key string, version uint64, v any) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= recordCacheSize {
		c.m = make(map[string]cachedRecord, 1024)
	}
	c.m[key] = cachedRecord{version, v}
}
