package district

import (
	"math"

	"github.com/paulmach/orb"

	"github.com/lastmile-health/lastmile/data/gpkg"
)

// Create creates layer l in tx (replacing any layer or table of that name)
// and returns its writer; Writer.Close adds l's unique indexes.
func Create(tx *gpkg.Tx, l *Layer) (*Writer, error) {
	var w *gpkg.Writer
	var err error
	if l.Geometry == "" {
		w, err = tx.CreateTable(l.GpkgTable())
	} else {
		w, err = tx.CreateLayer(l.GpkgLayer())
	}
	if err != nil {
		return nil, err
	}
	return &Writer{w: w, tx: tx, l: l}, nil
}

// Writer writes the rows of one declared layer, values in declared column
// order.
type Writer struct {
	w  *gpkg.Writer
	tx *gpkg.Tx
	l  *Layer
}

// Insert writes one row (g nil for an attribute table).
func (w *Writer) Insert(g orb.Geometry, values ...any) error {
	_, err := w.w.Insert(g, values...)
	return err
}

// Close finishes the layer and indexes its unique columns.
func (w *Writer) Close() error {
	if err := w.w.Close(); err != nil {
		return err
	}
	for _, c := range w.l.Columns {
		if c.Unique {
			if err := w.tx.CreateIndex(w.l.Name, true, c.Name); err != nil {
				return err
			}
		}
	}
	return nil
}

// Abort closes the writer after a failed insert; the update is then rolled
// back by its caller.
func (w *Writer) Abort() { w.w.Close() }

// nullable returns nil for the zero value, so it is stored as NULL.
func nullable[T comparable](v T) any {
	var zero T
	if v == zero {
		return nil
	}
	return v
}

// WriteAssignments replaces the assignments table with as.
func WriteAssignments(tx *gpkg.Tx, as []Assignment) error {
	w, err := Create(tx, &Assignments.Layer)
	if err != nil {
		return err
	}
	for _, a := range as {
		var mins, km any
		if a.WalkOK {
			mins, km = round3(a.Walk.Minutes()), round3(a.Distance.Kilometers())
		}
		if err := w.Insert(nil, string(a.Household), nullable(string(a.CHW)), mins, km, a.Method,
			nullable(a.Reason), a.AssignedAt); err != nil {
			w.Abort()
			return err
		}
	}
	return w.Close()
}

// WriteWorkloads replaces the chw_workload table with ws.
func WriteWorkloads(tx *gpkg.Tx, ws []Workload) error {
	w, err := Create(tx, &Workloads.Layer)
	if err != nil {
		return err
	}
	for _, x := range ws {
		if err := w.Insert(nil, string(x.CHW), x.Households, x.People, round3(x.MeanMinutes), round3(x.MaxMinutes),
			x.OverWalk, x.OverCapacity, x.UnderMinimum); err != nil {
			w.Abort()
			return err
		}
	}
	return w.Close()
}

// WriteMoves replaces the moves table with ms.
func WriteMoves(tx *gpkg.Tx, ms []Move) error {
	w, err := Create(tx, &Moves.Layer)
	if err != nil {
		return err
	}
	for _, m := range ms {
		if err := w.Insert(nil, string(m.Household), nullable(string(m.From)), nullable(string(m.To)), m.Reason); err != nil {
			w.Abort()
			return err
		}
	}
	return w.Close()
}

// Catchment is one row of the catchments layer.
type Catchment struct {
	CHW        CHWID
	Area       orb.MultiPolygon
	Households int
	AreaKm2    float64
	Method     string
}

// WriteCatchments replaces the catchments layer with cs.
func WriteCatchments(tx *gpkg.Tx, cs []Catchment) error {
	w, err := Create(tx, &Catchments.Layer)
	if err != nil {
		return err
	}
	for _, c := range cs {
		if err := w.Insert(c.Area, string(c.CHW), c.Households, round3(c.AreaKm2), c.Method); err != nil {
			w.Abort()
			return err
		}
	}
	return w.Close()
}

func round3(x float64) float64 { return math.Round(x*1000) / 1000 }
