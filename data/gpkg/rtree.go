package gpkg

import (
	"cmp"
	"encoding/binary"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/lastmile-health/lastmile/geo"
)

// Bulk loading of the R-tree index.
//
// Inserting a million rows one by one into SQLite's R*-tree costs about
// 10 µs each (node splits and forced reinsertion), far too slow for a
// national household file. Instead the Writer collects the boxes and, when
// the index is empty (a new layer, or a rebuild), writes a packed tree
// straight into the virtual table's shadow tables, the way GDAL's bulk
// loader does: leaves are filled with boxes in Hilbert order of their
// centres, each level above packs the one below, and the node, parent and
// rowid tables get exactly the rows SQLite's rtree module would keep. The
// result is an ordinary SQLite R-tree that later inserts, updates and
// deletes (the triggers) maintain as usual; tests check it with SQLite's own
// rtreecheck().

// rtEntry is one box of the index, already rounded outwards to float32 as
// the rtree module stores it.
type rtEntry struct {
	id                     int64
	minX, maxX, minY, maxY float32
}

func newRTEntry(id int64, e envelope) rtEntry {
	return rtEntry{id: id, minX: roundDown(e.minX), maxX: roundUp(e.maxX), minY: roundDown(e.minY), maxY: roundUp(e.maxY)}
}

// roundDown and roundUp convert to float32 rounding outwards, as rtree.c's
// rtreeValueDown and rtreeValueUp do, so a stored box always contains the
// geometry.
func roundDown(d float64) float32 {
	f := float32(d)
	if float64(f) > d {
		f = math.Nextafter32(f, float32(math.Inf(-1)))
	}
	return f
}

func roundUp(d float64) float32 {
	f := float32(d)
	if float64(f) < d {
		f = math.Nextafter32(f, float32(math.Inf(1)))
	}
	return f
}

// rtNode is a node of the packed tree: its cells are entries (leaves) or
// child nodes, given as a range of the level below.
type rtNode struct {
	lo, hi int // cell range in the level below (or in the entries)
	box    rtEntry
}

// cellBytes is the size of one cell of a 2-D float rtree: a 64-bit rowid
// and four 32-bit coordinates, all big-endian.
const cellBytes = 8 + 4*4

// sortHilbert orders entries by the Hilbert key of their centres within
// the extent of all of them. The sort is a stable radix sort, so ties keep
// the input order and the result is deterministic. It returns the
// permutation: perm[i] is the former index of es[i].
func sortHilbert(es []rtEntry) (perm []int32) {
	if len(es) < 2 {
		return make([]int32, len(es))
	}
	all := es[0]
	for _, e := range es[1:] {
		all = union(all, e)
	}
	scale := func(v, lo, hi float64) uint32 {
		if !(hi > lo) {
			return 0
		}
		f := (v - lo) / (hi - lo) * 65535
		return uint32(max(0, min(65535, f)))
	}
	type keyed struct {
		key uint32 // a 16-bit-per-axis Hilbert index fits 32 bits
		i   int32
	}
	a := make([]keyed, len(es))
	for i, e := range es {
		cx := (float64(e.minX) + float64(e.maxX)) / 2
		cy := (float64(e.minY) + float64(e.maxY)) / 2
		a[i] = keyed{uint32(geo.HilbertKey(scale(cx, float64(all.minX), float64(all.maxX)), scale(cy, float64(all.minY), float64(all.maxY)))), int32(i)}
	}
	b := make([]keyed, len(a))
	for shift := 0; shift < 32; shift += 8 {
		var count [257]int
		for _, k := range a {
			count[(k.key>>shift)&0xff+1]++
		}
		for i := 1; i < len(count); i++ {
			count[i] += count[i-1]
		}
		for _, k := range a {
			d := (k.key >> shift) & 0xff
			b[count[d]] = k
			count[d]++
		}
		a, b = b, a
	}
	sorted := make([]rtEntry, len(es))
	perm = make([]int32, len(es))
	for i, k := range a {
		sorted[i] = es[k.i]
		perm[i] = k.i
	}
	copy(es, sorted)
	return perm
}

func union(a, b rtEntry) rtEntry {
	a.minX = min(a.minX, b.minX)
	a.maxX = max(a.maxX, b.maxX)
	a.minY = min(a.minY, b.minY)
	a.maxY = max(a.maxY, b.maxY)
	return a
}

// pack groups n cells into nodes of at most maxCells, spread evenly so that
// every node is well above the rtree module's minimum fill (a third).
func pack(n, maxCells int, box func(i int) rtEntry) []rtNode {
	k := (n + maxCells - 1) / maxCells
	nodes := make([]rtNode, k)
	lo := 0
	for i := range nodes {
		size := n / k
		if i < n%k {
			size++
		}
		nd := rtNode{lo: lo, hi: lo + size, box: box(lo)}
		for j := lo + 1; j < lo+size; j++ {
			nd.box = union(nd.box, box(j))
		}
		nodes[i] = nd
		lo += size
	}
	return nodes
}

func putCell(b []byte, id int64, e rtEntry) {
	binary.BigEndian.PutUint64(b, uint64(id))
	binary.BigEndian.PutUint32(b[8:], math.Float32bits(e.minX))
	binary.BigEndian.PutUint32(b[12:], math.Float32bits(e.maxX))
	binary.BigEndian.PutUint32(b[16:], math.Float32bits(e.minY))
	binary.BigEndian.PutUint32(b[20:], math.Float32bits(e.maxY))
}

// bulkLoadRTree replaces the content of R-tree table r with a packed tree of
// es (ids must be unique). es is reordered.
func (tx *Tx) bulkLoadRTree(r string, es []rtEntry) error {
	nodeTable, parentTable, rowidTable := quoteID(r+"_node"), quoteID(r+"_parent"), quoteID(r+"_rowid")
	var nodeSize int
	if err := tx.tx.QueryRowContext(tx.ctx, "SELECT length(data) FROM "+nodeTable+" WHERE nodeno = 1").Scan(&nodeSize); err != nil {
		return fmt.Errorf("gpkg: %s: %s: root node: %w", tx.file, r, err)
	}
	maxCells := (nodeSize - 4) / cellBytes
	if maxCells < 4 {
		return fmt.Errorf("gpkg: %s: %s: unexpected node size %d", tx.file, r, nodeSize)
	}
	for _, t := range []string{nodeTable, parentTable, rowidTable} {
		if err := tx.exec("DELETE FROM " + t); err != nil {
			return err
		}
	}
	if len(es) == 0 {
		return tx.exec("INSERT INTO "+nodeTable+" (nodeno, data) VALUES (1, ?)", make([]byte, nodeSize))
	}
	perm := sortHilbert(es)
	levels := packLevels(es, maxCells)
	if len(levels) > 40 {
		return fmt.Errorf("gpkg: %s: %s: tree too deep", tx.file, r)
	}
	// Number nodes top-down, level by level: the root is 1, as the rtree
	// module requires.
	base := make([]int64, len(levels))
	next := int64(1)
	for l := len(levels) - 1; l >= 0; l-- {
		base[l] = next
		next += int64(len(levels[l]))
	}
	if err := tx.writeRTreeNodes(r, nodeSize, es, levels, base); err != nil {
		return err
	}
	return tx.writeRTreeRowids(r, leafRows(es, perm, levels[0], base[0]), next)
}

// packLevels packs the entries, already in Hilbert order, into full
// nodes of at most maxCells cells, level by level: levels[0] are the
// leaves; the last level holds only the root.
func packLevels(es []rtEntry, maxCells int) [][]rtNode {
	levels := [][]rtNode{pack(len(es), maxCells, func(i int) rtEntry { return es[i] })}
	for len(levels[len(levels)-1]) > 1 {
		below := levels[len(levels)-1]
		levels = append(levels, pack(len(below), maxCells, func(i int) rtEntry { return below[i].box }))
	}
	return levels
}

// writeRTreeNodes writes the nodes of R-tree r (nodeSize bytes each,
// numbered from base[l] on level l) and, for every node below the root,
// its parent.
func (tx *Tx) writeRTreeNodes(r string, nodeSize int, es []rtEntry, levels [][]rtNode, base []int64) error {
	insNode, err := tx.tx.PrepareContext(tx.ctx, "INSERT INTO "+quoteID(r+"_node")+" (nodeno, data) VALUES (?, ?)")
	if err != nil {
		return fmt.Errorf("gpkg: %s: %s: %w", tx.file, r, err)
	}
	defer insNode.Close()
	insParent, err := tx.tx.PrepareContext(tx.ctx, "INSERT INTO "+quoteID(r+"_parent")+" (nodeno, parentnode) VALUES (?, ?)")
	if err != nil {
		return fmt.Errorf("gpkg: %s: %s: %w", tx.file, r, err)
	}
	defer insParent.Close()

	buf := make([]byte, nodeSize)
	for l := len(levels) - 1; l >= 0; l-- {
		for i, nd := range levels[l] {
			clear(buf)
			no := base[l] + int64(i)
			if l == len(levels)-1 {
				binary.BigEndian.PutUint16(buf, uint16(len(levels)-1)) // depth, kept in the root only
			}
			binary.BigEndian.PutUint16(buf[2:], uint16(nd.hi-nd.lo))
			for c := nd.lo; c < nd.hi; c++ {
				cell := buf[4+cellBytes*(c-nd.lo):]
				if l == 0 {
					putCell(cell, es[c].id, es[c])
				} else {
					putCell(cell, base[l-1]+int64(c), levels[l-1][c].box)
				}
			}
			if _, err := insNode.ExecContext(tx.ctx, no, buf); err != nil {
				return fmt.Errorf("gpkg: %s: %s: %w", tx.file, r, err)
			}
			if l > 0 {
				for c := nd.lo; c < nd.hi; c++ {
					if _, err := insParent.ExecContext(tx.ctx, base[l-1]+int64(c), no); err != nil {
						return fmt.Errorf("gpkg: %s: %s: %w", tx.file, r, err)
					}
				}
			}
		}
	}
	return nil
}

// rowLeaf is one row of an R-tree's rowid table: an entry and its leaf.
type rowLeaf struct{ id, leaf int64 }

// leafRows maps every entry to its leaf (numbered from base), in id
// order: the entries' input order (perm[i] is where es[i] was), which is
// already id order for a writer's inserts, sorted if need be.
func leafRows(es []rtEntry, perm []int32, leaves []rtNode, base int64) []rowLeaf {
	rows := make([]rowLeaf, len(es))
	for i, nd := range leaves {
		for c := nd.lo; c < nd.hi; c++ {
			rows[perm[c]] = rowLeaf{es[c].id, base + int64(i)}
		}
	}
	byID := func(a, b rowLeaf) int { return cmp.Compare(a.id, b.id) }
	if !slices.IsSortedFunc(rows, byID) {
		slices.SortFunc(rows, byID)
	}
	return rows
}

// writeRTreeRowids fills the rowid table of R-tree r from rows, in id
// order so the b-tree is appended to, many rows per statement. nodes is
// one more than the highest node number.
func (tx *Tx) writeRTreeRowids(r string, rows []rowLeaf, nodes int64) error {
	rowidTable := quoteID(r + "_rowid")
	// Fast path: pass each batch as one JSON array of id<<24|leaf numbers,
	// which SQLite unpacks itself; binding two parameters per row through
	// database/sql costs several times more. Ids outside [0, 2^39) or more
	// than 2^24 leaves take the plain path.
	const leafBits = 24
	if rows[0].id >= 0 && rows[len(rows)-1].id < 1<<(63-leafBits) && nodes <= 1<<leafBits {
		q := "INSERT INTO " + rowidTable + " (rowid, nodeno) SELECT value >> 24, value & 16777215 FROM json_each(?)"
		var js []byte
		const batch = 200000
		for start := 0; start < len(rows); start += batch {
			js = append(js[:0], '[')
			for i, rl := range rows[start:min(start+batch, len(rows))] {
				if i > 0 {
					js = append(js, ',')
				}
				js = strconv.AppendInt(js, rl.id<<leafBits|rl.leaf, 10)
			}
			js = append(js, ']')
			if err := tx.exec(q, string(js)); err != nil {
				return err
			}
		}
		return nil
	}
	const batch = 500
	var stmtSQL string
	args := make([]any, 0, 2*batch)
	for start := 0; start < len(rows); start += batch {
		end := min(start+batch, len(rows))
		if stmtSQL == "" || end-start != batch {
			stmtSQL = "INSERT INTO " + rowidTable + " (rowid, nodeno) VALUES " + strings.TrimSuffix(strings.Repeat("(?, ?), ", end-start), ", ")
		}
		args = args[:0]
		for _, rl := range rows[start:end] {
			args = append(args, rl.id, rl.leaf)
		}
		if err := tx.exec(stmtSQL, args...); err != nil {
			return err
		}
	}
	return nil
}

// readRTree returns every entry of R-tree table r.
func (tx *Tx) readRTree(r string) ([]rtEntry, error) {
	rows, err := tx.tx.QueryContext(tx.ctx, "SELECT id, minx, maxx, miny, maxy FROM "+quoteID(r))
	if err != nil {
		return nil, fmt.Errorf("gpkg: %s: %s: %w", tx.file, r, err)
	}
	defer rows.Close()
	var es []rtEntry
	for rows.Next() {
		var e rtEntry
		var a, b, c, d float64
		if err := rows.Scan(&e.id, &a, &b, &c, &d); err != nil {
			return nil, fmt.Errorf("gpkg: %s: %s: %w", tx.file, r, err)
		}
		// Stored values are float32, so these conversions are exact.
		e.minX, e.maxX, e.minY, e.maxY = float32(a), float32(b), float32(c), float32(d)
		es = append(es, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("gpkg: %s: %s: %w", tx.file, r, err)
	}
	return es, nil
}
