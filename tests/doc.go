// Package tests holds kvtgraph's whole-system tests: the layering check
// here, the TinkerPop conformance runner in tests/conformance, end-to-end
// client tests, and the benchmark programs in tests/bench (a module of its
// own, so the main module carries no benchmark-only dependencies).
package tests
