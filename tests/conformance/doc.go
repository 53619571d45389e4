// Package conformance runs TinkerPop 3.8.1's own Gherkin suite against a
// real kvtgraph server through the real gremlin-go v3.8.1 driver.
//
// TestConformance builds cmd/kvtgraph, starts it on
// conf/tinkerpop-test.yaml (KVT in-memory graphs loaded from
// ../shared/tinkerpop/data), and runs gremlin-go's cucumber package with
// CUCUMBER_FEATURE_FOLDER pointing at ../shared/tinkerpop/features.
// KVTGRAPH_TINKERPOP_DIR overrides the location of TinkerPop's test data.
//
// passing.txt lists the scenarios that passed on the last run. The runner
// writes it; it is never edited by hand. The test fails when a scenario
// listed there no longer passes, so the count only ever ratchets upwards.
// Set KVTGRAPH_CONFORMANCE=off to skip the run (for quick local loops only;
// CI always runs it).
package conformance
