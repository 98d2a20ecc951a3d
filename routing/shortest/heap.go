package shortest

// heap4 is a 4-ary min-heap of nodes keyed by uint64 with decrease-key
// through a position array. A 4-ary heap is shallower than a binary heap
// and its children share a cache line, which matters more than the extra
// comparisons for the small keys Dijkstra pushes.
//
// pos is indexed by node and sized for the whole graph; it is only
// meaningful for nodes the owning search has stamped in the current epoch,
// so it is never cleared between queries.
type heap4 struct {
	items []heapItem
	pos   []uint32
}

type heapItem struct {
	key  uint64
	node uint32
}

// settled marks, in pos, a node that has left the heap.
const settled = ^uint32(0)

func newHeap4(n int) heap4 { return heap4{pos: make([]uint32, n)} }

func (h *heap4) reset() { h.items = h.items[:0] }

func (h *heap4) empty() bool { return len(h.items) == 0 }

func (h *heap4) minKey() uint64 { return h.items[0].key }

func (h *heap4) push(v uint32, key uint64) {
	h.items = append(h.items, heapItem{key, v})
	h.up(len(h.items)-1, heapItem{key, v})
}

// decrease lowers the key of v, which must be in the heap.
func (h *heap4) decrease(v uint32, key uint64) {
	h.up(int(h.pos[v]), heapItem{key, v})
}

// pop removes and returns the minimum item and marks its node settled.
func (h *heap4) pop() heapItem {
	top := h.items[0]
	last := h.items[len(h.items)-1]
	h.items = h.items[:len(h.items)-1]
	if len(h.items) > 0 {
		h.down(last)
	}
	h.pos[top.node] = settled
	return top
}

func (h *heap4) up(i int, it heapItem) {
	items := h.items
	for i > 0 {
		p := (i - 1) >> 2
		if items[p].key <= it.key {
			break
		}
		items[i] = items[p]
		h.pos[items[i].node] = uint32(i)
		i = p
	}
	items[i] = it
	h.pos[it.node] = uint32(i)
}

func (h *heap4) down(it heapItem) {
	items := h.items
	n := len(items)
	i := 0
	for {
		c := 4*i + 1
		if c >= n {
			break
		}
		best := c
		bk := items[c].key
		end := min(c+4, n)
		for k := c + 1; k < end; k++ {
			if items[k].key < bk {
				best, bk = k, items[k].key
			}
		}
		if bk >= it.key {
			break
		}
		items[i] = items[best]
		h.pos[items[i].node] = uint32(i)
		i = best
	}
	items[i] = it
	h.pos[it.node] = uint32(i)
}
