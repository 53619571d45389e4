// Package conf loads kvtgraph's configuration with viper: built-in
// defaults, then a YAML file, then KVTGRAPH_* environment variables
// (KVTGRAPH_SERVER_PORT sets server.port), then command-line flags.
//
// The YAML files beside this package are the shipped configurations:
//
//	kvtgraph.yaml        the default server: port 8182, one durable graph "graph" in ./data, source g
//	tinkerpop-test.yaml  the server TinkerPop's Gherkin suite expects: port 45940, the sample
//	                     graphs in memory as gmodern, gclassic, gcrew, ggrateful, gsink, and an
//	                     empty graph as ggraph and g
//
// Relative paths are relative to the working directory. A graph's load
// path may use ${tinkerpop_dir}, TinkerPop's test data folder holding data/ and
// features/ (default ../shared/tinkerpop; settable with KVTGRAPH_TINKERPOP_DIR or
// --tinkerpop-dir) and any environment variable.
package conf
