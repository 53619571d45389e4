//go:build invariants

package native

// invariants is true under the `invariants` build tag: borrowed buffers are
// overwritten when released so that use after release fails loudly.
const invariants = true
