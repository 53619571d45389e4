// Package graphtest holds fixtures for tests of the layers above storage:
// TinkerPop's sample graphs built in code, so that unit tests need neither
// the sample files nor a particular KV store. Only tests import it.
package graphtest
