package main

import (
	"syscall"
	"unsafe"
)

// newHugeChaser chases through a 2 MiB-aligned anonymous mapping advised
// for transparent huge pages (the way KVT's arena maps its memory), or
// returns nil when that fails.
func newHugeChaser() *chaser {
	const huge = 2 << 20
	b, err := syscall.Mmap(-1, 0, chaseBytes+huge, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_PRIVATE|syscall.MAP_ANON)
	if err != nil {
		return nil
	}
	off := 0
	if r := int(uintptr(unsafe.Pointer(&b[0])) % huge); r != 0 {
		off = huge - r
	}
	b = b[off : off+chaseBytes]
	if syscall.Madvise(b, syscall.MADV_HUGEPAGE) != nil {
		return nil
	}
	return newChaser(unsafe.Slice((*uint64)(unsafe.Pointer(&b[0])), chaseBytes/8))
}
