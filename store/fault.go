package store

import (
	"errors"
	"sync/atomic"
	"syscall"

	"github.com/dgraph-io/badger/v4"
)

// StorageUnavailable: a write could not reach the disk (full, read-only,
// failing); nothing was written. Reads keep working, and writes work again
// once the cause is gone — the server needs no restart.
const StorageUnavailable Code = "STORAGE_UNAVAILABLE"

// WriteFaults makes writes fail as a failing disk would, for tests and
// drills: root ignores file permissions and a full disk is hard to arrange
// in CI, so the fault is injected where the store meets the disk. Set it in
// [Options.Faults]; the zero value injects nothing.
type WriteFaults struct {
	err     atomic.Pointer[error]
	syncErr atomic.Pointer[error]
}

// FailSync makes every disk sync fail with err until [WriteFaults.Clear]:
// writes are committed but cannot be made durable, so none may be
// acknowledged.
func (f *WriteFaults) FailSync(err error) { f.syncErr.Store(&err) }

// Fail makes every write fail with err (e.g. syscall.ENOSPC) until
// [WriteFaults.Clear].
func (f *WriteFaults) Fail(err error) { f.err.Store(&err) }

// Clear ends the injected fault: the disk is back.
func (f *WriteFaults) Clear() { f.err.Store(nil); f.syncErr.Store(nil) }

func (f *WriteFaults) check() error {
	if f == nil {
		return nil
	}
	if p := f.err.Load(); p != nil {
		return *p
	}
	return nil
}

// wrapSync returns sync with injected sync faults in front of it.
func (f *WriteFaults) wrapSync(sync func() error) func() error {
	if f == nil {
		return sync
	}
	return func() error {
		if p := f.syncErr.Load(); p != nil {
			return *p
		}
		return sync()
	}
}

// storageError turns a failed write whose cause is the disk into a
// StorageUnavailable error that names the cause; other errors pass as they
// are.
func storageError(err error) error {
	if err == nil {
		return nil
	}
	if _, ok := errors.AsType[*Error](err); ok {
		return err
	}
	cause := diskCause(err)
	if cause == "" {
		return err
	}
	return &Error{Code: StorageUnavailable, Message: "storage unavailable: " + cause + "; nothing was written — try again later (reads still work)"}
}

// syncError is what a write whose disk sync failed returns: the change is
// committed but may not be on disk, so the client must not take it as
// acknowledged.
func syncError(err error) error {
	cause := diskCause(err)
	if cause == "" {
		cause = "the disk sync failed"
	}
	return &Error{Code: StorageUnavailable, Message: "storage unavailable: " + cause + "; the change may not be on disk — read it back and send it again later"}
}

// diskCause names the disk problem behind err, or returns "".
func diskCause(err error) string {
	var cause string
	switch {
	case errors.Is(err, syscall.ENOSPC):
		cause = "the disk is full"
	case errors.Is(err, syscall.EDQUOT):
		cause = "the disk quota is used up"
	case errors.Is(err, syscall.EROFS):
		cause = "the data directory is on a read-only file system"
	case errors.Is(err, syscall.EACCES), errors.Is(err, syscall.EPERM):
		cause = "the data directory may not be written (permission denied)"
	case errors.Is(err, syscall.EFBIG):
		cause = "a data file reached the file size limit"
	case errors.Is(err, syscall.EIO):
		cause = "the disk reports an I/O error"
	case errors.Is(err, badger.ErrBlockedWrites), errors.Is(err, badger.ErrDBClosed):
		cause = "the store is closing"
	}
	return cause
}
