package store

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/dgraph-io/badger/v4"
)

// Backups are Badger's own backup stream (length-prefixed protobuf lists of
// key versions) behind a short header of ours, so that restore can tell a
// backup from any other file and refuse the wrong one before writing.

// backupMagic starts every backup file.
var backupMagic = []byte("handlingsplan-backup 1\n")

// maxBackupFrame bounds one frame of a backup when restoring: Badger's
// frames hold a few MiB of key versions at most, and a corrupt length must
// not make restore allocate gigabytes.
const maxBackupFrame = 1 << 30

// Backup writes every key version newer than since (0: everything) to w,
// as one consistent snapshot, and returns the version to pass as since to
// the next, incremental, backup. Writes go on meanwhile: what they change
// after the snapshot is taken is not in this backup but in the next one.
func (db *DB) Backup(ctx context.Context, w io.Writer, since uint64) (uint64, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	if _, err := w.Write(backupMagic); err != nil {
		return 0, fmt.Errorf("write backup: %w", err)
	}
	st := db.bdb.NewStream()
	st.LogPrefix = "backup"
	st.SinceTs = since
	// One producer means one read transaction, hence one snapshot: with
	// several, each opens its own and a backup taken under load would mix
	// moments.
	st.NumGo = 1
	max, err := st.Backup(ctxWriter{ctx, w}, since)
	if err != nil {
		return 0, fmt.Errorf("backup: %w", err)
	}
	// Badger's iterator skips versions ≤ SinceTs, so the newest version
	// written is the next since (not max+1, as Badger's doc comment says,
	// which would skip the commit right after it).
	if max < since {
		max = since
	}
	return max, nil
}

// ctxWriter stops a backup when its context ends (the HTTP client went
// away, the server shuts down).
type ctxWriter struct {
	ctx context.Context
	w   io.Writer
}

func (c ctxWriter) Write(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.w.Write(p)
}

// Restore loads backups made by [DB.Backup] into dir, which must be empty
// or not exist: the first a full backup, each further one the incremental
// backup that follows it. Returns Invalid, before anything is written, if
// dir holds anything or a file is not a backup.
func Restore(ctx context.Context, dir string, backups ...io.Reader) error {
	if len(backups) == 0 {
		return Errorf(Invalid, "restore needs a backup file")
	}
	entries, err := os.ReadDir(dir)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("read %s: %w", dir, err)
	}
	if len(entries) > 0 {
		return Errorf(Invalid, "data directory %s is not empty: restore only into an empty or new directory, so nothing is overwritten", dir)
	}
	readers := make([]*bufio.Reader, len(backups))
	for i, r := range backups {
		br := bufio.NewReaderSize(r, 64<<10)
		head, err := br.Peek(len(backupMagic))
		if err != nil || !bytes.Equal(head, backupMagic) {
			return Errorf(Invalid, "backup %d is not a handlingsplan backup (it does not start with %q)", i+1, bytes.TrimSpace(backupMagic))
		}
		br.Discard(len(backupMagic))
		readers[i] = br
	}
	// Small-host sizing as in Open; the server reopens the directory with
	// its own options afterwards.
	bo := badger.DefaultOptions(dir).WithLogger(badgerLogger{}).
		WithMemTableSize(16 << 20).WithBlockCacheSize(8 << 20).WithIndexCacheSize(8 << 20).
		WithNumMemtables(2).WithValueLogFileSize(64 << 20).WithBaseTableSize(4 << 20).
		WithValueThreshold(32 << 10)
	bdb, err := badger.Open(bo)
	if err != nil {
		return fmt.Errorf("open %s: %w", dir, err)
	}
	for i, r := range readers {
		if err := ctx.Err(); err != nil {
			bdb.Close()
			return err
		}
		if err := bdb.Load(&frameChecker{r: r}, 256); err != nil {
			bdb.Close()
			return fmt.Errorf("load backup %d: %w", i+1, err)
		}
	}
	return bdb.Close()
}

// frameChecker passes a backup stream through and fails on a frame length
// no backup has, before Badger's loader allocates it.
type frameChecker struct {
	r    io.Reader
	left uint64 // bytes left in the current frame
	head [8]byte
	nh   int // bytes of the next length read so far
}

func (f *frameChecker) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	if f.left == 0 { // in a length prefix
		n, err := f.r.Read(p[:min(len(p), 8-f.nh)])
		copy(f.head[f.nh:], p[:n])
		f.nh += n
		if f.nh == 8 {
			f.left = binary.LittleEndian.Uint64(f.head[:])
			f.nh = 0
			if f.left > maxBackupFrame {
				// Fail without handing over the length: a reader that
				// got all 8 bytes would drop an error returned with them.
				return 0, fmt.Errorf("corrupt backup: a frame of %d bytes", f.left)
			}
		}
		return n, err
	}
	n, err := f.r.Read(p[:min(uint64(len(p)), f.left)])
	f.left -= uint64(n)
	if err == io.EOF && f.left > 0 {
		err = io.ErrUnexpectedEOF
	}
	return n, err
}
