//go:build linux

package main

/*
#include <malloc.h>
static void heap_stats(size_t* inuse, size_t* held, size_t* mmapped) {
	struct mallinfo2 m = mallinfo2();
	*inuse = m.uordblks;
	*held = m.arena;
	*mmapped = m.hblkhd;
}
*/
import "C"

// cHeap reports glibc malloc's bytes in use, bytes held in its arenas (in
// use or free) and bytes in separate mmapped blocks (mallinfo2). The
// engine's version arena counts here only if the engine takes its chunks
// from malloc; held minus in use is memory malloc keeps after transient
// allocations (commit buffers) were freed.
func cHeap() (inUse, held, mmapped uint64) {
	var a, b, c C.size_t
	C.heap_stats(&a, &b, &c)
	return uint64(a), uint64(b), uint64(c)
}
