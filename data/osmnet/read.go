package osmnet

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"runtime"
	"slices"
	"sort"

	"github.com/lastmile-health/lastmile/data"
	"github.com/lastmile-health/lastmile/data/osmnet/internal/pbfguard"
	"github.com/lastmile-health/lastmile/data/osmnet/internal/xmlscan"
	"github.com/paulmach/osm"
	"github.com/paulmach/osm/osmpbf"
)

// Options tune Read. The zero value (or a nil *Options) gives the defaults.
type Options struct {
	// Procs is the number of goroutines decoding PBF blocks; 0 means
	// runtime.GOMAXPROCS(0). XML is read on the calling goroutine.
	Procs int
	// MaxWarnings caps Network.Warnings; 0 means 1000. A last line counts
	// the warnings left out.
	MaxWarnings int
	// Buildings also reads the closed ways tagged building=* into
	// Network.Buildings (for counting structures no household registered).
	Buildings bool
	// Progress, when not nil, is called on the calling goroutine as each
	// stage starts: "ways" (pass 1, ways and relations), "member ways" (the
	// extra pass for multipolygon members, when needed), "nodes" (the node
	// pass) and "assemble".
	Progress func(stage string)
}

func (o *Options) progress(stage string) {
	if o != nil && o.Progress != nil {
		o.Progress(stage)
	}
}

func (o *Options) procs() int {
	if o != nil && o.Procs > 0 {
		return o.Procs
	}
	return runtime.GOMAXPROCS(0)
}

func (o *Options) maxWarnings() int {
	if o != nil && o.MaxWarnings > 0 {
		return o.MaxWarnings
	}
	return 1000
}

// Read streams the OSM file at path (.osm.pbf, .osm, .osm.gz or .osm.bz2;
// the format is detected from the content) and returns the walkable network
// and the water barriers. It reads the file two or three times (see the
// package doc) and never holds more than the kept ways and their nodes.
//
// A file that is not OSM data, a truncated or corrupt PBF and malformed XML
// give a *data.ParseError naming path that unwraps to data.ErrFormat. When
// ctx is cancelled Read stops and returns ctx.Err().
func Read(ctx context.Context, path string, opts *Options) (*Network, error) {
	return ReadFrom(ctx, path, func() (io.ReadCloser, error) { return os.Open(path) }, opts)
}

// ReadReaderAt is Read on an in-memory or otherwise random-access input of
// size bytes; name is used in error messages only. It does not close r.
func ReadReaderAt(ctx context.Context, name string, r io.ReaderAt, size int64, opts *Options) (*Network, error) {
	return ReadFrom(ctx, name, func() (io.ReadCloser, error) {
		return io.NopCloser(io.NewSectionReader(r, 0, size)), nil
	}, opts)
}

// ReadFrom is Read on any input that can be opened more than once: open is
// called once per pass (two or three times) and must return the input from
// its start each time; ReadFrom closes what it returns. name is used in error
// messages only.
func ReadFrom(ctx context.Context, name string, open func() (io.ReadCloser, error), opts *Options) (*Network, error) {
	if ctx == nil {
		ctx = context.Background()
	}
	rd := &reader{ctx: ctx, name: name, open: open, opts: opts, warn: warnings{max: opts.maxWarnings()}}
	opts.progress("ways")
	if err := rd.passWays(); err != nil {
		return nil, err
	}
	if err := rd.passMembers(); err != nil {
		return nil, err
	}
	opts.progress("nodes")
	if err := rd.passNodes(); err != nil {
		return nil, err
	}
	opts.progress("assemble")
	return rd.build(), nil
}

// wayRec is a kept way before its nodes are known.
type wayRec struct {
	way  Way
	refs []int64
}

type waterRec struct {
	ww   Waterway
	refs []int64
}

type areaRec struct {
	id   int64
	kind string
	refs []int64
}

type member struct {
	way   int64
	inner bool
}

type relRec struct {
	id      int64
	kind    string
	members []member
}

// reader holds the state of one Read across its passes.
type reader struct {
	ctx  context.Context
	name string
	open func() (io.ReadCloser, error)
	opts *Options
	warn warnings

	format    format
	ways      []wayRec
	waterways []waterRec
	areas     []areaRec
	buildings []areaRec
	rels      []relRec
	// memberRefs holds the node refs of the member ways of kept relations.
	memberRefs map[int64][]int64

	// ids are the needed node ids, sorted and unique; nodes and found are
	// parallel to them after the node pass.
	ids   []int64
	nodes []Node
	found []bool
}

// scanKind selects what a pass decodes.
type scanKind int

const (
	scanWaysRels scanKind = iota
	scanWays
	scanNodes
)

// scan runs fn on every object of one pass. fn returns false to stop early.
func (rd *reader) scan(kind scanKind, wayFilter func(int64) bool, fn func(osm.Object) bool) error {
	if err := rd.ctx.Err(); err != nil {
		return err
	}
	st, err := openStream(rd.name, rd.open)
	if err != nil {
		return rd.wrapErr(err)
	}
	defer st.Close()
	rd.format = st.format
	var sc osm.Scanner
	switch st.format {
	case formatPBF:
		keep := map[scanKind]pbfguard.Content{scanWaysRels: pbfguard.Ways | pbfguard.Relations, scanWays: pbfguard.Ways, scanNodes: pbfguard.Nodes}[kind]
		ps := osmpbf.New(rd.ctx, pbfguard.New(st.r, keep), rd.opts.procs())
		ps.SkipNodes = kind != scanNodes
		ps.SkipWays = kind == scanNodes
		ps.SkipRelations = kind != scanWaysRels
		if kind == scanNodes {
			ids := rd.ids
			// Called concurrently by the decoders: ids is read-only here.
			ps.FilterNode = func(n *osm.Node) bool {
				_, ok := slices.BinarySearch(ids, int64(n.ID))
				return ok
			}
		}
		if wayFilter != nil {
			ps.FilterWay = func(w *osm.Way) bool { return wayFilter(int64(w.ID)) }
		}
		sc = ps
	default:
		xs := xmlscan.New(rd.ctx, st.r)
		xs.SkipNodes = kind != scanNodes
		xs.SkipWays = kind == scanNodes
		xs.SkipRelations = kind != scanWaysRels
		if kind == scanNodes {
			c := cursor{ids: rd.ids}
			xs.FilterNode = func(id int64) bool {
				_, ok := c.find(id)
				return ok
			}
		}
		xs.FilterWay = wayFilter
		sc = xs
	}
	defer sc.Close()
	for sc.Scan() {
		if !fn(sc.Object()) {
			return nil
		}
	}
	if err := rd.ctx.Err(); err != nil {
		return err
	}
	if err := sc.Err(); err != nil {
		return rd.wrapErr(err)
	}
	return nil
}

// wrapErr names the file in err and marks content errors as data.ErrFormat.
func (rd *reader) wrapErr(err error) error {
	if err == nil {
		return nil
	}
	if ctxErr := rd.ctx.Err(); ctxErr != nil {
		return ctxErr
	}
	var pe *fs.PathError
	var fe *formatError
	if errors.As(err, &pe) || errors.As(err, &fe) {
		return err // already names the file
	}
	var xe *xmlscan.SyntaxError
	if errors.As(err, &xe) {
		return &data.ParseError{File: rd.name, Line: xe.Line, Err: &formatError{msg: "malformed osm xml: " + xe.Msg}}
	}
	if rd.format == formatPBF {
		return formatErr(rd.name, "corrupt or truncated pbf: %v", err)
	}
	return formatErr(rd.name, "malformed osm xml: %v", err)
}

// passWays reads the ways and relations and keeps the walkable ways, the
// waterways, the closed water ways and the water multipolygon relations.
func (rd *reader) passWays() error {
	return rd.scan(scanWaysRels, nil, func(o osm.Object) bool {
		switch o := o.(type) {
		case *osm.Way:
			rd.addWay(o)
		case *osm.Relation:
			rd.addRelation(o)
		}
		return true
	})
}

func wayRefs(w *osm.Way) []int64 {
	refs := make([]int64, len(w.Nodes))
	for i, n := range w.Nodes {
		refs[i] = int64(n.ID)
	}
	return refs
}

func (rd *reader) addWay(w *osm.Way) {
	if len(w.Nodes) == 0 {
		return
	}
	tags := w.Tags
	var refs []int64
	if hw, ok := walkable(tags); ok {
		refs = wayRefs(w)
		rd.ways = append(rd.ways, wayRec{refs: refs, way: Way{
			ID:      int64(w.ID),
			Highway: hw,
			Surface: tags.Find("surface"),
			SAC:     tags.Find("sac_scale"),
			Foot:    tags.Find("foot"),
			Bridge:  isYes(tags.Find("bridge")),
			Ford:    isYes(tags.Find("ford")),
			Tunnel:  isYes(tags.Find("tunnel")),
			Width:   parseWidth(tags.Find("width")),
			Area:    tags.Find("area") == "yes",
		}})
	}
	if kind := tags.Find("waterway"); waterwayKinds[kind] {
		if refs == nil {
			refs = wayRefs(w)
		}
		rd.waterways = append(rd.waterways, waterRec{refs: refs, ww: Waterway{
			ID: int64(w.ID), Kind: kind, Width: parseWidth(tags.Find("width")),
		}})
	}
	closed := len(w.Nodes) >= 4 && w.Nodes[0].ID == w.Nodes[len(w.Nodes)-1].ID
	if b := tags.Find("building"); closed && b != "" && b != "no" && rd.opts != nil && rd.opts.Buildings {
		rd.buildings = append(rd.buildings, areaRec{id: int64(w.ID), kind: b, refs: wayRefs(w)})
	}
	if kind := waterAreaKind(tags); kind != "" && closed {
		if refs == nil {
			refs = wayRefs(w)
		}
		rd.areas = append(rd.areas, areaRec{id: int64(w.ID), kind: kind, refs: refs})
	}
}

func (rd *reader) addRelation(r *osm.Relation) {
	if r.Tags.Find("type") != "multipolygon" {
		return
	}
	kind := waterAreaKind(r.Tags)
	if kind == "" {
		return
	}
	rec := relRec{id: int64(r.ID), kind: kind}
	for _, m := range r.Members {
		if m.Type != osm.TypeWay {
			continue
		}
		rec.members = append(rec.members, member{way: m.Ref, inner: m.Role == "inner"})
	}
	rd.rels = append(rd.rels, rec)
}

// passMembers fetches the node refs of the relations' member ways. Ways
// already kept in pass 1 are reused; only when some are missing (untagged
// member ways, the usual case) is the file read once more, ways only.
func (rd *reader) passMembers() error {
	if len(rd.rels) == 0 {
		return nil
	}
	known := map[int64][]int64{}
	for _, w := range rd.ways {
		known[w.way.ID] = w.refs
	}
	for _, w := range rd.waterways {
		known[w.ww.ID] = w.refs
	}
	for _, a := range rd.areas {
		known[a.id] = a.refs
	}
	rd.memberRefs = map[int64][]int64{}
	missing := map[int64]bool{}
	for _, r := range rd.rels {
		for _, m := range r.members {
			if refs, ok := known[m.way]; ok {
				rd.memberRefs[m.way] = refs
			} else {
				missing[m.way] = true
			}
		}
	}
	if len(missing) == 0 {
		return nil
	}
	rd.opts.progress("member ways")
	left := len(missing)
	return rd.scan(scanWays, func(id int64) bool { return missing[id] }, func(o osm.Object) bool {
		if w, ok := o.(*osm.Way); ok && missing[int64(w.ID)] {
			if _, dup := rd.memberRefs[int64(w.ID)]; !dup {
				rd.memberRefs[int64(w.ID)] = wayRefs(w)
				left--
			}
		}
		return left > 0 // stop once every member way is found
	})
}

// passNodes reads the coordinates and tags of the needed nodes only, and
// stops as soon as all are found.
func (rd *reader) passNodes() error {
	n := 0
	for _, w := range rd.ways {
		n += len(w.refs)
	}
	for _, w := range rd.waterways {
		n += len(w.refs)
	}
	for _, a := range rd.areas {
		n += len(a.refs)
	}
	for _, refs := range rd.memberRefs {
		n += len(refs)
	}
	for _, b := range rd.buildings {
		n += len(b.refs)
	}
	ids := make([]int64, 0, n)
	for _, b := range rd.buildings {
		ids = append(ids, b.refs...)
	}
	for _, w := range rd.ways {
		ids = append(ids, w.refs...)
	}
	for _, w := range rd.waterways {
		ids = append(ids, w.refs...)
	}
	for _, a := range rd.areas {
		ids = append(ids, a.refs...)
	}
	for _, refs := range rd.memberRefs {
		ids = append(ids, refs...)
	}
	sortIDs(ids)
	rd.ids = slices.Compact(ids)
	if len(rd.ids) > math.MaxInt32 {
		return formatErr(rd.name, "%d nodes needed, more than the %d a Network indexes", len(rd.ids), math.MaxInt32)
	}
	rd.nodes = make([]Node, len(rd.ids))
	rd.found = make([]bool, len(rd.ids))
	if len(rd.ids) == 0 {
		return nil
	}
	left := len(rd.ids)
	c := cursor{ids: rd.ids}
	return rd.scan(scanNodes, nil, func(o osm.Object) bool {
		nd, ok := o.(*osm.Node)
		if !ok {
			return true
		}
		i, ok := c.find(int64(nd.ID))
		if !ok || rd.found[i] {
			return true
		}
		lon, lat := roundCoord(nd.Lon), roundCoord(nd.Lat)
		if !(lon >= -180 && lon <= 180 && lat >= -90 && lat <= 90) {
			rd.warn.add("node %d has invalid coordinates: treated as missing", nd.ID)
			return true
		}
		rd.nodes[i] = Node{
			ID:      int64(nd.ID),
			Point:   [2]float64{lon, lat},
			Ford:    isYes(nd.Tags.Find("ford")),
			Barrier: nd.Tags.Find("barrier"),
		}
		rd.found[i] = true
		left--
		return left > 0
	})
}

// roundCoord rounds a degree value to OSM's 1e-7° grid, so that a PBF
// (integer nanodegrees × granularity) and XML (decimal text) give the very
// same float64.
func roundCoord(v float64) float64 {
	return math.Round(v*1e7) / 1e7
}

// warnings collects at most max messages and counts the rest.
type warnings struct {
	max     int
	list    []string
	dropped int
}

func (w *warnings) add(format string, args ...any) {
	if len(w.list) >= w.max {
		w.dropped++
		return
	}
	w.list = append(w.list, fmt.Sprintf(format, args...))
}

func (w *warnings) result() []string {
	if w.dropped > 0 {
		return append(w.list, fmt.Sprintf("%d more warnings not shown", w.dropped))
	}
	return w.list
}

// sortDedup sorts recs by id and drops later duplicates (a file with
// several versions of an object, or two files concatenated), warning once
// per duplicate.
func sortDedup[T any](recs []T, id func(*T) int64, what string, w *warnings) []T {
	sort.SliceStable(recs, func(i, j int) bool { return id(&recs[i]) < id(&recs[j]) })
	out := recs[:0]
	for i := range recs {
		if len(out) > 0 && id(&out[len(out)-1]) == id(&recs[i]) {
			w.add("%s %d appears more than once: first kept", what, id(&recs[i]))
			continue
		}
		out = append(out, recs[i])
	}
	return out
}
