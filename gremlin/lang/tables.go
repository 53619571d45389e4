package lang

import "github.com/kvtgraph/kvtgraph/storage/value"

// stepArity gives, for every GraphTraversal step of TinkerPop 3.8.1, the
// minimum and maximum number of arguments over all of its overloads
// (max -1 = varargs). Argument types are checked per step in check.go.
var stepArity = map[string][2]int{
	"V": {0, -1}, "E": {0, -1}, "addE": {1, 1}, "addV": {0, 1},
	"mergeE": {0, 1}, "mergeV": {0, 1}, "aggregate": {1, 2}, "all": {1, 1},
	"and": {0, -1}, "any": {1, 1}, "as": {1, -1}, "asBool": {0, 0},
	"asDate": {0, 0}, "asNumber": {0, 1}, "asString": {0, 1}, "barrier": {0, 1},
	"both": {0, -1}, "bothE": {0, -1}, "bothV": {0, 0}, "branch": {1, 1},
	"by": {0, 2}, "call": {1, 3}, "cap": {1, -1}, "choose": {1, 3},
	"coalesce": {0, -1}, "coin": {1, 1}, "combine": {1, 1}, "concat": {0, -1},
	"conjoin": {1, 1}, "connectedComponent": {0, 0}, "constant": {1, 1},
	"count": {0, 1}, "cyclicPath": {0, 0}, "dateAdd": {2, 2}, "dateDiff": {1, 1},
	"dedup": {0, -1}, "difference": {1, 1}, "discard": {0, 0}, "disjunct": {1, 1},
	"drop": {0, 0}, "element": {0, 0}, "elementMap": {0, -1}, "emit": {0, 1},
	"fail": {0, 1}, "filter": {1, 1}, "flatMap": {1, 1}, "fold": {0, 2},
	"format": {1, 1}, "from": {1, 1}, "group": {0, 1}, "groupCount": {0, 1},
	"has": {1, 3}, "hasId": {1, -1}, "hasKey": {1, -1}, "hasLabel": {1, -1},
	"hasNot": {1, 1}, "hasValue": {1, -1}, "id": {0, 0}, "identity": {0, 0},
	"in": {0, -1}, "inE": {0, -1}, "inV": {0, 0}, "index": {0, 0},
	"inject": {0, -1}, "intersect": {1, 1}, "is": {1, 1}, "key": {0, 0},
	"label": {0, 0}, "lTrim": {0, 1}, "length": {0, 1}, "limit": {1, 2},
	"local": {1, 1}, "loops": {0, 1}, "map": {1, 1}, "match": {0, -1},
	"math": {1, 1}, "max": {0, 1}, "mean": {0, 1}, "merge": {1, 1},
	"min": {0, 1}, "none": {1, 1}, "not": {1, 1}, "option": {1, 3},
	"optional": {1, 1}, "or": {0, -1}, "order": {0, 1}, "otherV": {0, 0},
	"out": {0, -1}, "outE": {0, -1}, "outV": {0, 0}, "pageRank": {0, 1},
	"path": {0, 0}, "peerPressure": {0, 0}, "product": {1, 1}, "profile": {0, 1},
	"program": {1, 1}, "project": {1, -1}, "properties": {0, -1},
	"property": {1, -1}, "propertyMap": {0, -1}, "rTrim": {0, 1},
	"range": {2, 3}, "read": {0, 0}, "repeat": {1, 2}, "replace": {2, 3},
	"reverse": {0, 0}, "sack": {0, 1}, "sample": {1, 2}, "select": {1, -1},
	"shortestPath": {0, 0}, "sideEffect": {1, 1}, "simplePath": {0, 0},
	"skip": {1, 2}, "split": {1, 2}, "subgraph": {1, 1}, "substring": {1, 3},
	"sum": {0, 1}, "tail": {0, 2}, "timeLimit": {1, 1}, "times": {1, 1},
	"to": {1, -1}, "toE": {1, -1}, "toLower": {0, 1}, "toUpper": {0, 1},
	"toV": {1, 1}, "tree": {0, 1}, "trim": {0, 1}, "unfold": {0, 0},
	"union": {0, -1}, "until": {1, 1}, "value": {0, 0}, "valueMap": {0, -1},
	"values": {0, -1}, "where": {1, 2}, "with": {1, 2}, "write": {0, 0},
}

// sourceSpawnArity lists the GraphTraversalSource spawn steps.
var sourceSpawnArity = map[string][2]int{
	"V": {0, -1}, "E": {0, -1}, "addE": {1, 1}, "addV": {0, 1},
	"mergeE": {1, 1}, "mergeV": {1, 1}, "inject": {0, -1}, "io": {1, 1},
	"call": {0, 3}, "union": {0, -1},
}

// sourceConfigArity lists the GraphTraversalSource with*() methods.
var sourceConfigArity = map[string][2]int{
	"withBulk": {1, 1}, "withPath": {0, 0}, "withSack": {1, 2},
	"withSideEffect": {2, 3}, "withStrategies": {1, -1},
	"withoutStrategies": {1, -1}, "with": {1, 2},
}

// terminalMethods are the traversal terminal methods.
var terminalMethods = map[string]bool{
	"next": true, "toList": true, "toSet": true, "toBulkSet": true,
	"iterate": true, "hasNext": true, "tryNext": true, "explain": true,
}

// predicates maps a predicate name to whether it is a TextP and its
// number of arguments (-1 = any number, collected as within/without do).
var predicates = map[string]struct {
	text  bool
	arity int
}{
	"eq": {false, 1}, "neq": {false, 1}, "lt": {false, 1}, "lte": {false, 1},
	"gt": {false, 1}, "gte": {false, 1}, "inside": {false, 2}, "outside": {false, 2},
	"between": {false, 2}, "within": {false, -1}, "without": {false, -1},
	"not": {false, 1}, "typeOf": {false, 1},
	"containing": {true, 1}, "notContaining": {true, 1}, "startingWith": {true, 1},
	"notStartingWith": {true, 1}, "endingWith": {true, 1}, "notEndingWith": {true, 1},
	"regex": {true, 1}, "notRegex": {true, 1},
	// Search-index predicates over tokens (JanusGraph's Text.textContains
	// family; storage's text indexes answer them, index.OpTextContains...).
	"textContains": {true, 1}, "textContainsPrefix": {true, 1}, "textContainsRegex": {true, 1},
}

// enums lists every Gremlin enum with the spelling gremlin-go sends
// (its constant values) for each accepted name. Aliases map to the
// canonical constant (Direction.from is OUT, Order.incr is asc).
var enums = map[string]map[string]string{
	"T":           {"id": "id", "label": "label", "key": "key", "value": "value"},
	"Direction":   {"IN": "IN", "OUT": "OUT", "BOTH": "BOTH", "from": "OUT", "to": "IN"},
	"Order":       {"asc": "asc", "desc": "desc", "shuffle": "shuffle", "incr": "asc", "decr": "desc"},
	"Scope":       {"local": "local", "global": "global"},
	"Pop":         {"first": "first", "last": "last", "all": "all", "mixed": "mixed"},
	"Column":      {"keys": "keys", "values": "values"},
	"Cardinality": {"single": "single", "list": "list", "set": "set"},
	"Barrier":     {"normSack": "normSack"},
	"Operator": {"sum": "sum", "minus": "minus", "mult": "mult", "div": "div", "min": "min",
		"max": "max", "assign": "assign", "and": "and", "or": "or", "addAll": "addAll", "sumLong": "sumLong"},
	"Pick":  {"any": "any", "none": "none", "unproductive": "unproductive"},
	"Merge": {"onCreate": "onCreate", "onMatch": "onMatch", "outV": "outV", "inV": "inV"},
	"DT":    {"second": "second", "minute": "minute", "hour": "hour", "day": "day"},
	"GType": {"BIGDECIMAL": "BIGDECIMAL", "BIGINT": "BIGINT", "BINARY": "BINARY", "BOOLEAN": "BOOLEAN",
		"BYTE": "BYTE", "CHAR": "CHAR", "DATETIME": "DATETIME", "DOUBLE": "DOUBLE", "DURATION": "DURATION",
		"EDGE": "EDGE", "FLOAT": "FLOAT", "GRAPH": "GRAPH", "INT": "INT", "LIST": "LIST", "LONG": "LONG",
		"MAP": "MAP", "NULL": "NULL", "NUMBER": "NUMBER", "PATH": "PATH", "PROPERTY": "PROPERTY",
		"SET": "SET", "SHORT": "SHORT", "STRING": "STRING", "TREE": "TREE", "UUID": "UUID",
		"VERTEX": "VERTEX", "VPROPERTY": "VPROPERTY"},
}

// bareEnums maps the unqualified enum names gremlin-lang accepts to their
// enum. GType constants are accepted only qualified (GType.INT).
var bareEnums = func() map[string]value.Enum {
	m := map[string]value.Enum{}
	for typ, names := range enums {
		if typ == "GType" {
			continue
		}
		for name, canon := range names {
			m[name] = value.Enum{Type: typ, Name: canon}
		}
	}
	return m
}()

// constants are the qualified string/int constants of the helper classes
// usable as with() keys and values.
var constants = map[string]map[string]any{
	"WithOptions": {
		"tokens": "~tinkerpop.valueMap.tokens", "none": int32(0), "ids": int32(1),
		"labels": int32(2), "keys": int32(4), "values": int32(8), "all": int32(15),
		"indexer": "~tinkerpop.index.indexer", "list": int32(0), "map": int32(1),
	},
	"IO": {
		"graphson": "graphson", "gryo": "gryo", "graphml": "graphml",
		"reader": "~tinkerpop.io.reader", "writer": "~tinkerpop.io.writer",
		"registry": "~tinkerpop.io.registry",
	},
	"ConnectedComponent": {
		"component":    "gremlin.connectedComponentVertexProgram.component",
		"edges":        "~tinkerpop.connectedComponent.edges",
		"propertyName": "~tinkerpop.connectedComponent.propertyName",
	},
	"PageRank": {
		"edges": "~tinkerpop.pageRank.edges", "times": "~tinkerpop.pageRank.times",
		"propertyName": "~tinkerpop.pageRank.propertyName",
	},
	"PeerPressure": {
		"edges": "~tinkerpop.peerPressure.edges", "times": "~tinkerpop.peerPressure.times",
		"propertyName": "~tinkerpop.peerPressure.propertyName",
	},
	"ShortestPath": {
		"target": "~tinkerpop.shortestPath.target", "edges": "~tinkerpop.shortestPath.edges",
		"distance": "~tinkerpop.shortestPath.distance", "maxDistance": "~tinkerpop.shortestPath.maxDistance",
		"includeEdges": "~tinkerpop.shortestPath.includeEdges",
	},
}

const (
	nsDecoration           = "org.apache.tinkerpop.gremlin.process.traversal.strategy.decoration."
	nsFinalization         = "org.apache.tinkerpop.gremlin.process.traversal.strategy.finalization."
	nsOptimization         = "org.apache.tinkerpop.gremlin.process.traversal.strategy.optimization."
	nsVerification         = "org.apache.tinkerpop.gremlin.process.traversal.strategy.verification."
	nsComputerDecoration   = "org.apache.tinkerpop.gremlin.process.computer.traversal.strategy.decoration."
	nsComputerVerification = "org.apache.tinkerpop.gremlin.process.computer.traversal.strategy.verification."
	nsComputerFinalization = "org.apache.tinkerpop.gremlin.process.computer.traversal.strategy.finalization."
	nsComputerOptimization = "org.apache.tinkerpop.gremlin.process.computer.traversal.strategy.optimization."
)

// strategies maps a strategy's simple name to its fully qualified Java
// class name, as gremlin-go 3.8.1 sends it.
var strategies = map[string]string{
	"ConnectiveStrategy":               nsDecoration + "ConnectiveStrategy",
	"ElementIdStrategy":                nsDecoration + "ElementIdStrategy",
	"EventStrategy":                    nsDecoration + "EventStrategy",
	"HaltedTraverserStrategy":          nsDecoration + "HaltedTraverserStrategy",
	"OptionsStrategy":                  nsDecoration + "OptionsStrategy",
	"PartitionStrategy":                nsDecoration + "PartitionStrategy",
	"RequirementsStrategy":             nsDecoration + "RequirementsStrategy",
	"SackStrategy":                     nsDecoration + "SackStrategy",
	"SeedStrategy":                     nsDecoration + "SeedStrategy",
	"SideEffectStrategy":               nsDecoration + "SideEffectStrategy",
	"SubgraphStrategy":                 nsDecoration + "SubgraphStrategy",
	"VertexProgramStrategy":            nsComputerDecoration + "VertexProgramStrategy",
	"MatchAlgorithmStrategy":           nsFinalization + "MatchAlgorithmStrategy",
	"ReferenceElementStrategy":         nsFinalization + "ReferenceElementStrategy",
	"ProfileStrategy":                  nsFinalization + "ProfileStrategy",
	"ComputerFinalizationStrategy":     nsComputerFinalization + "ComputerFinalizationStrategy",
	"ComputerVerificationStrategy":     nsVerification + "ComputerVerificationStrategy",
	"EdgeLabelVerificationStrategy":    nsVerification + "EdgeLabelVerificationStrategy",
	"LambdaRestrictionStrategy":        nsVerification + "LambdaRestrictionStrategy",
	"ReadOnlyStrategy":                 nsVerification + "ReadOnlyStrategy",
	"ReservedKeysVerificationStrategy": nsVerification + "ReservedKeysVerificationStrategy",
	"StandardVerificationStrategy":     nsVerification + "StandardVerificationStrategy",
	"VertexProgramRestrictionStrategy": nsComputerVerification + "VertexProgramRestrictionStrategy",
	"AdjacentToIncidentStrategy":       nsOptimization + "AdjacentToIncidentStrategy",
	"ByModulatorOptimizationStrategy":  nsOptimization + "ByModulatorOptimizationStrategy",
	"CountStrategy":                    nsOptimization + "CountStrategy",
	"EarlyLimitStrategy":               nsOptimization + "EarlyLimitStrategy",
	"FilterRankingStrategy":            nsOptimization + "FilterRankingStrategy",
	"GraphFilterStrategy":              nsComputerOptimization + "GraphFilterStrategy",
	"IdentityRemovalStrategy":          nsOptimization + "IdentityRemovalStrategy",
	"IncidentToAdjacentStrategy":       nsOptimization + "IncidentToAdjacentStrategy",
	"InlineFilterStrategy":             nsOptimization + "InlineFilterStrategy",
	"LazyBarrierStrategy":              nsOptimization + "LazyBarrierStrategy",
	"MatchPredicateStrategy":           nsOptimization + "MatchPredicateStrategy",
	"MessagePassingReductionStrategy":  nsComputerOptimization + "MessagePassingReductionStrategy",
	"OrderLimitStrategy":               nsOptimization + "OrderLimitStrategy",
	"PathProcessorStrategy":            nsOptimization + "PathProcessorStrategy",
	"PathRetractionStrategy":           nsOptimization + "PathRetractionStrategy",
	"ProductiveByStrategy":             nsOptimization + "ProductiveByStrategy",
	"RepeatUnrollStrategy":             nsOptimization + "RepeatUnrollStrategy",
}

// StrategyClass returns the fully qualified class name for a strategy's
// simple name ("ReadOnlyStrategy"), and whether it is known.
func StrategyClass(simple string) (string, bool) {
	c, ok := strategies[simple]
	return c, ok
}
