package traversal

import "github.com/kvtgraph/kvtgraph/storage/value"

// tree() reduces the paths of all traversers into one Tree: each path
// object is a key whose subtree holds what followed it. by() modulators
// apply round-robin to the objects by depth, as in TinkerPop.

type treeStep struct {
	stepBase
	bys []*byMod
}

func (r *stepSet) addTreeSteps() {
	r.register("tree", func(c *compiler, args []any) (step, error) {
		if len(args) > 0 {
			return nil, errorf("tree", "tree(sideEffectKey) is not supported; use tree() without a key")
		}
		c.needFull = true
		return &treeStep{}, nil
	})
}

func (s *treeStep) addBy(c *compiler, args []any) error {
	b, err := c.parseBy("tree", args)
	if err != nil {
		return err
	}
	s.bys = append(s.bys, b)
	return nil
}

// treeAdd inserts objs below t.
func treeAdd(t *value.Tree, objs []any) {
	for _, o := range objs {
		k := value.Key(o)
		var next *value.Tree
		for i := range t.Branches {
			if value.Key(t.Branches[i].Key) == k {
				next = t.Branches[i].Tree
				break
			}
		}
		if next == nil {
			next = &value.Tree{}
			t.Branches = append(t.Branches, value.TreeBranch{Key: o, Tree: next})
		}
		t = next
	}
}

func (s *treeStep) open(x *exec, in iter) iter {
	b := &barrierStep{stepBase: s.stepBase, reduce: func(x *exec, in iter) []*trav {
		tree := &value.Tree{}
		for _, t := range drain(x, in) {
			nodes := t.path.items()
			objs := make([]any, 0, len(nodes))
			for i, n := range nodes {
				o := n.obj
				if len(s.bys) > 0 {
					v, ok := x.applyBy("tree", s.bys[i%len(s.bys)], o, nil)
					if !ok {
						continue
					}
					o = v
				}
				objs = append(objs, o)
			}
			treeAdd(tree, objs)
		}
		return []*trav{x.newTrav(tree, nil)}
	}}
	return b.open(x, in)
}
