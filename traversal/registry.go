package traversal

import "fmt"

// stepCtor compiles one instruction into a step.
type stepCtor func(c *compiler, args []any) (step, error)

// stepSet is what an Engine compiles with: the step constructors by
// operator, the operators that begin a root traversal, and the services
// call() can reach. newStepSet builds it explicitly; it is not changed
// afterwards, so compilations and runs may share it.
type stepSet struct {
	ctors        map[string]stepCtor
	starts       map[string]bool
	services     map[string]*service
	serviceOrder []string // service names in registration order (call("--list"))
}

// newStepSet returns the Gremlin steps (match() included) and TinkerGraph's
// services; with access set, also the planner's physical access steps
// (the kvt:* operators, see steps_access.go).
func newStepSet(access bool) *stepSet {
	r := &stepSet{
		ctors:    map[string]stepCtor{},
		services: map[string]*service{},
		// GraphStep and friends begin a root traversal.
		starts: map[string]bool{"V": true, "E": true, "inject": true, "addV": true, "addE": true,
			"mergeV": true, "mergeE": true, "union": true, "call": true},
	}
	r.addProfileSteps()
	r.addAddSteps()
	r.addBranchSteps()
	r.addCallSteps()
	r.addElementSteps()
	r.addFilterSteps()
	r.addGraphSteps()
	r.addIOSteps()
	r.addMapSteps()
	r.addMatchSteps()
	r.addMergeSteps()
	r.addMutateSteps()
	r.addRangeSteps()
	r.addReduceSteps()
	r.addTextSteps()
	r.addTreeSteps()
	r.addWhereSteps()
	r.addWhereScopeSteps()
	if access {
		r.addAccessSteps()
	}
	return r
}

// register adds the constructor of operator name. Each operator has one.
func (r *stepSet) register(name string, f stepCtor) {
	if _, dup := r.ctors[name]; dup {
		panic(fmt.Sprintf("traversal: step %q registered twice", name))
	}
	r.ctors[name] = f
}

// registerStart marks operator name as one that begins a root traversal.
func (r *stepSet) registerStart(name string) { r.starts[name] = true }

// registerService adds a service call() can reach.
func (r *stepSet) registerService(s *service) {
	if _, dup := r.services[s.name]; dup {
		panic(fmt.Sprintf("traversal: service %q registered twice", s.name))
	}
	r.serviceOrder = append(r.serviceOrder, s.name)
	r.services[s.name] = s
}
