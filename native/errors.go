package native

import (
	"errors"
	"fmt"
)

// Sentinel errors. Every error the package returns wraps exactly one of these
// (possibly with context); test with errors.Is.
var (
	// ErrKeyNotFound: the key has no visible value.
	ErrKeyNotFound = errors.New("kvt: key not found")
	// ErrTableNotFound: no table with that name or id (or it was dropped).
	ErrTableNotFound = errors.New("kvt: table not found")
	// ErrTableExists: CreateTable with a name already in use.
	ErrTableExists = errors.New("kvt: table already exists")
	// ErrConflict: the transaction lost a conflict at commit (serializable
	// validation or write-write). Retryable: run the transaction again.
	ErrConflict = errors.New("kvt: transaction conflict")
	// ErrTxTooOld: the transaction's snapshot fell behind the garbage
	// collection horizon (see Options.MaxSnapshotLag). Retryable.
	ErrTxTooOld = errors.New("kvt: transaction snapshot too old")
	// ErrTxDone: the transaction was already committed or rolled back.
	ErrTxDone = errors.New("kvt: transaction already committed or rolled back")
	// ErrReadOnly: a write in a read-only transaction.
	ErrReadOnly = errors.New("kvt: transaction is read-only")
	// ErrNotRangeTable: a scan on a hash-partitioned table.
	ErrNotRangeTable = errors.New("kvt: table is not range-partitioned")
	// ErrLocked: the data directory is locked by another process or DB.
	ErrLocked = errors.New("kvt: data directory locked")
	// ErrIO: an I/O error (write, fsync, disk full). A failed commit with
	// ErrIO may or may not survive a crash.
	ErrIO = errors.New("kvt: I/O error")
	// ErrFenced: an earlier I/O error fenced the engine; it refuses writes
	// until it is closed and reopened.
	ErrFenced = errors.New("kvt: engine fenced after an I/O error")
	// ErrClosed: the DB is closed.
	ErrClosed = errors.New("kvt: database closed")
	// ErrInvalidArgument: a malformed argument (empty key, bad limit, ...).
	ErrInvalidArgument = errors.New("kvt: invalid argument")
	// ErrCorrupt: on-disk data failed validation beyond what recovery repairs.
	ErrCorrupt = errors.New("kvt: corrupt data")
	// ErrInternal: a broken engine invariant.
	ErrInternal = errors.New("kvt: internal error")
)

// IsRetryable reports whether err means "run the transaction again".
func IsRetryable(err error) bool {
	return errors.Is(err, ErrConflict) || errors.Is(err, ErrTxTooOld)
}

// engine codes, mirrored from kvt.h (checked in cgo.go).
const (
	codeOK             = 0
	codeKeyNotFound    = 1
	codeTableNotFound  = 2
	codeTableExists    = 3
	codeConflict       = 4
	codeTxTooOld       = 5
	codeNotRangeTable  = 6
	codeLocked         = 7
	codeIO             = 8
	codeFenced         = 9
	codeClosed         = 10
	codeInvalidArg     = 11
	codeBufferTooSmall = 12
	codeCorrupt        = 13
	codeReadOnly       = 14
	codeInternal       = 15
)

func sentinel(code int) error {
	switch code {
	case codeKeyNotFound:
		return ErrKeyNotFound
	case codeTableNotFound:
		return ErrTableNotFound
	case codeTableExists:
		return ErrTableExists
	case codeConflict:
		return ErrConflict
	case codeTxTooOld:
		return ErrTxTooOld
	case codeNotRangeTable:
		return ErrNotRangeTable
	case codeLocked:
		return ErrLocked
	case codeIO:
		return ErrIO
	case codeFenced:
		return ErrFenced
	case codeClosed:
		return ErrClosed
	case codeInvalidArg:
		return ErrInvalidArgument
	case codeCorrupt:
		return ErrCorrupt
	case codeReadOnly:
		return ErrReadOnly
	default:
		return ErrInternal
	}
}

// codeError turns an engine status into a Go error wrapping its sentinel.
func codeError(code int, msg string) error {
	if code == codeOK {
		return nil
	}
	base := sentinel(code)
	if msg == "" {
		return base
	}
	if base == ErrInternal && code != codeInternal {
		return fmt.Errorf("%w: engine code %d: %s", base, code, msg)
	}
	return fmt.Errorf("%w: %s", base, msg)
}
