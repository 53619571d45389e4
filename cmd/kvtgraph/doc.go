// Command kvtgraph is the kvtgraph graph database server and its tools.
//
//	kvtgraph [serve] [--config file]   run the Gremlin Server (the default command)
//	kvtgraph load --graph NAME FILE    load a GraphSON or GraphML file into a graph
//	kvtgraph export --graph NAME [FILE] write a graph as GraphSON or GraphML
//	kvtgraph check --graph NAME        verify a graph's storage integrity
//	kvtgraph passwd USER               print a credentials-file line (bcrypt)
//	kvtgraph version                   print the version
//
// Configuration comes from conf (YAML file, KVTGRAPH_* environment
// variables, flags). wire.go builds the graphs and the executor from it;
// everything else here is command-line plumbing.
package main
