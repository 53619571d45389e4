//go:build tools

package conformance

// This import keeps gremlin-go's cucumber package (TinkerPop's own Gherkin
// step definitions and scenario translations) and its test dependencies in
// go.mod, so the runner can `go test` it at the pinned version.
import _ "github.com/apache/tinkerpop/gremlin-go/v3/driver/cucumber"
