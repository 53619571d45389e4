package main

import (
	"math/rand/v2"
	"time"
)

// The baseline: the latency of one dependent load that misses every cache,
// measured as a pointer chase through a random single cycle over chaseBytes
// of memory, one node per 64-byte cache line. A random get that costs k
// such loads is "k DRAM-miss equivalents"; that, unlike nanoseconds, carries
// over between machines.
const (
	chaseBytes = 256 << 20
	chaseLine  = 8 // uint64 words per 64-byte line
	chaseSteps = 2 << 20
)

// chaser holds the chase array between rounds (building it costs more than
// walking it).
type chaser struct {
	mem []uint64 // the next node's word index sits at each line's first word
}

// newChaser links mem's lines into one random cycle (Sattolo's algorithm).
func newChaser(mem []uint64) *chaser {
	n := len(mem) / chaseLine
	perm := make([]uint32, n)
	for i := range perm {
		perm[i] = uint32(i)
	}
	r := rand.New(rand.NewPCG(7, 7))
	for i := n - 1; i > 0; i-- {
		j := r.IntN(i)
		perm[i], perm[j] = perm[j], perm[i]
	}
	for i := 0; i < n; i++ {
		mem[i*chaseLine] = uint64(perm[i]) * chaseLine
	}
	return &chaser{mem: mem}
}

// nsPerLoad walks the cycle and returns the time per dependent load.
func (c *chaser) nsPerLoad() float64 {
	mem := c.mem
	idx := uint64(0)
	for i := 0; i < chaseSteps/4; i++ { // warm the TLB and page tables
		idx = mem[idx]
	}
	t0 := time.Now()
	for i := 0; i < chaseSteps; i++ {
		idx = mem[idx]
	}
	d := time.Since(t0)
	chaseSink = idx
	return float64(d.Nanoseconds()) / chaseSteps
}

var chaseSink uint64

// newHeapChaser chases through ordinary Go heap memory (4 KiB pages unless
// the kernel backs every mapping with huge pages).
func newHeapChaser() *chaser { return newChaser(make([]uint64, chaseBytes/8)) }
