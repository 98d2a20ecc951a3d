package shortest

// Bounded runs a one-to-all Dijkstra from the seeds that stops at limit
// milliseconds and calls visit for every node it settles, nearest first,
// with the node it was reached from (NoNode for a seed) and its time.
// visit returning false stops the search. Unlike Dijkstra
// it returns no tree and allocates nothing per call (its scratch is pooled),
// so thousands of bounded searches on a large graph cost only the nodes
// they settle. Safe for concurrent use.
func (g *Graph) Bounded(src []Seed, limit uint32, visit func(v, parent, ms uint32) bool) {
	s := getSearch(g.NumNodes())
	defer putSearch(s)
	s.begin()
	s.seed(src)
	for !s.heap.empty() && s.heap.minKey() <= uint64(limit) {
		v, d := s.settleNext(g)
		if !visit(v, s.parent[v], d) {
			return
		}
	}
}

// NoNode is the parent Bounded reports for a node reached from a seed.
const NoNode = noNode
