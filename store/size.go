package store

// Size returns the store's size on disk in bytes: the LSM tree and the
// value log, as Badger last measured them (it refreshes the figures about
// once a minute). An in-memory store reports 0.
func (db *DB) Size() int64 {
	lsm, vlog := db.bdb.Size()
	return lsm + vlog
}

// WriteErrors returns how many write transactions have failed since the
// store was opened for reasons other than the input (disk full, read-only
// directory, I/O errors): what an operator alerts on.
func (db *DB) WriteErrors() uint64 {
	return db.writeErrors.Load()
}
