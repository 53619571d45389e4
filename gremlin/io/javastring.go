package io

import "github.com/kvtgraph/kvtgraph/traversal/fn"

// JavaString renders v as TinkerPop's Java toString() would (see
// fn.ToJavaString): v[1], e[7][1-knows->2], vp[name->marko],
// {name=[marko]}, [a, b], path[v[1], v[2]], 1.0 for doubles, null. A
// time.Time in UTC is the Date the wire formats make of it and prints as
// Java's Date.toString does on a server running in UTC.
func JavaString(v any) string { return fn.ToJavaStringUTCAsDate(v) }
