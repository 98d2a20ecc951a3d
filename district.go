package lastmile

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strconv"
	"time"

	"github.com/lastmile-health/lastmile/data/dem"
	"github.com/lastmile-health/lastmile/data/gpkg"
	"github.com/lastmile-health/lastmile/routing"
)

// ErrInterrupted is wrapped by the error of a stage cancelled by its
// context (Ctrl-C); the GeoPackage is then unchanged.
var ErrInterrupted = errors.New("interrupted")

// ErrNoDistrict is wrapped by the error of a read on a GeoPackage that does
// not exist.
var ErrNoDistrict = errors.New("no such district GeoPackage")

// District is one district GeoPackage. Its methods are the stages; each
// writing stage is one atomic update of the file. The zero value is not
// usable: call Open.
type District struct {
	// Path is the GeoPackage's path as the user gave it.
	Path string
	// Now is the time written into outputs; Open sets it from Now().
	Now time.Time
	// Season is the season whose walking graph the queries use
	// (routing.Dry or routing.Wet; "" is the dry season).
	Season string

	// built is the walking graph this District built last (with its DEM
	// attached) and builtSeason its season, so that the next stage of one
	// run (lastmile demo) does not load it again, nor look for a DEM that
	// is still in a temporary folder.
	built       *routing.Graph
	builtSeason string
	// builtDEM is the elevation model that build read, given to the other
	// seasons' graphs when a later stage of the run loads them.
	builtDEM dem.Model
}

// Open returns the district at path. It does no I/O: a stage that writes
// creates the file; a stage that reads fails with ErrNoDistrict when it is
// absent.
func Open(path string) (*District, error) {
	t, err := Now()
	if err != nil {
		return nil, err
	}
	return &District{Path: path, Now: t}, nil
}

// Now is the time written into outputs (ingested_at, last_change): the
// current time to the millisecond, or SOURCE_DATE_EPOCH (seconds since 1970)
// when it is set, so that the same inputs give a byte-identical GeoPackage
// (https://reproducible-builds.org/specs/source-date-epoch/).
func Now() (time.Time, error) {
	v := os.Getenv("SOURCE_DATE_EPOCH")
	if v == "" {
		return time.Now().UTC().Truncate(time.Millisecond), nil
	}
	sec, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return time.Time{}, fmt.Errorf("SOURCE_DATE_EPOCH=%q: want whole seconds since 1970-01-01", v)
	}
	return time.Unix(sec, 0).UTC(), nil
}

// update runs fn in one atomic update of the GeoPackage, with the
// district's clock, and explains failures in the user's terms.
func (d *District) update(ctx context.Context, fn func(tx *gpkg.Tx) error) error {
	err := gpkg.Update(ctx, d.Path, func(tx *gpkg.Tx) error {
		tx.Now = d.Now
		return fn(tx)
	})
	return d.explain(ctx, err)
}

// read opens the GeoPackage read-only for fn.
func (d *District) read(fn func(db *gpkg.DB) error) error {
	if _, err := os.Stat(d.Path); errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("%w: %s (give the district with --gpkg PATH, or create it with lastmile ingest)", ErrNoDistrict, d.Path)
	}
	db, err := gpkg.Open(d.Path)
	if err != nil {
		return err
	}
	defer db.Close()
	return fn(db)
}

// explain turns a cancelled context into ErrInterrupted ("interrupted;
// district.gpkg unchanged") and leaves other errors as they are.
func (d *District) explain(ctx context.Context, err error) error {
	if err == nil {
		return nil
	}
	if ctx.Err() != nil && (errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)) {
		return fmt.Errorf("%w; %s unchanged", ErrInterrupted, d.Path)
	}
	return err
}
