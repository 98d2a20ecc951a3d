package shortest

import "slices"

// Components labels the weakly connected components of g: two nodes share a
// component when they are joined by arcs in either direction (the undirected
// support). It returns the component id of every node and the node count of
// every component. Ids are numbered by decreasing size, ties by smallest
// node id, so component 0 is the largest and the labelling is
// deterministic. Isolated nodes are components of size 1. Cost O(n + m α).
func (g *Graph) Components() (comp []uint32, sizes []int) {
	n := g.NumNodes()
	parent := make([]uint32, n)
	for v := range parent {
		parent[v] = uint32(v)
	}
	find := func(v uint32) uint32 {
		for parent[v] != v {
			parent[v] = parent[parent[v]] // path halving
			v = parent[v]
		}
		return v
	}
	for v := 0; v < n; v++ {
		for a := g.FirstOut[v]; a < g.FirstOut[v+1]; a++ {
			x, y := find(uint32(v)), find(g.Head[a])
			if x != y {
				// Linking the larger root under the smaller keeps roots
				// at each set's smallest node.
				if x < y {
					parent[y] = x
				} else {
					parent[x] = y
				}
			}
		}
	}
	comp = make([]uint32, n)
	for v := range comp {
		comp[v] = find(uint32(v))
	}
	return relabel(comp)
}

// StrongComponents labels the strongly connected components of g: u and v
// share one when each is reachable from the other. Numbering is as in
// Components (largest first, ties by smallest node id). Iterative Tarjan,
// O(n + m) time, no recursion.
func (g *Graph) StrongComponents() (comp []uint32, sizes []int) {
	n := g.NumNodes()
	index := make([]uint32, n) // 0 = unvisited, else DFS index + 1
	low := make([]uint32, n)
	comp = make([]uint32, n)
	onStack := make([]bool, n)
	var stack []uint32
	type frame struct{ v, arc uint32 }
	var call []frame
	next := uint32(1)
	ncomp := uint32(0)
	for root := 0; root < n; root++ {
		if index[root] != 0 {
			continue
		}
		call = append(call, frame{uint32(root), g.FirstOut[root]})
		index[root], low[root] = next, next
		next++
		stack = append(stack, uint32(root))
		onStack[root] = true
		for len(call) > 0 {
			f := &call[len(call)-1]
			v := f.v
			if f.arc < g.FirstOut[v+1] {
				w := g.Head[f.arc]
				f.arc++
				if index[w] == 0 {
					index[w], low[w] = next, next
					next++
					stack = append(stack, w)
					onStack[w] = true
					call = append(call, frame{w, g.FirstOut[w]})
				} else if onStack[w] {
					low[v] = min(low[v], index[w])
				}
				continue
			}
			call = call[:len(call)-1]
			if len(call) > 0 {
				p := call[len(call)-1].v
				low[p] = min(low[p], low[v])
			}
			if low[v] == index[v] {
				for {
					w := stack[len(stack)-1]
					stack = stack[:len(stack)-1]
					onStack[w] = false
					comp[w] = ncomp
					if w == v {
						break
					}
				}
				ncomp++
			}
		}
	}
	return relabel(comp)
}

// relabel renumbers arbitrary labels by decreasing size, ties by the
// smallest node carrying the label.
func relabel(label []uint32) ([]uint32, []int) {
	n := len(label)
	first := make([]uint32, n) // label → smallest node + 1
	size := make([]int, n)
	var labels []uint32
	for v, l := range label {
		if size[l] == 0 {
			first[l] = uint32(v)
			labels = append(labels, l)
		}
		size[l]++
	}
	slices.SortFunc(labels, func(a, b uint32) int {
		if size[a] != size[b] {
			return size[b] - size[a]
		}
		return cmpU32(first[a], first[b])
	})
	id := make([]uint32, n)
	sizes := make([]int, len(labels))
	for i, l := range labels {
		id[l] = uint32(i)
		sizes[i] = size[l]
	}
	out := make([]uint32, n)
	for v, l := range label {
		out[v] = id[l]
	}
	return out, sizes
}
