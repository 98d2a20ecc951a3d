package lastmile

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/lastmile-health/lastmile/data/gpkg"
	"github.com/lastmile-health/lastmile/data/ingest"
)

// IngestOptions are the ingest stage's inputs beside the files.
type IngestOptions struct {
	ingest.Options
	// Area is the study area: a bbox "minlon,minlat,maxlon,maxlat" or a
	// boundary file; "" reuses the stored one (see ingest.StudyArea).
	Area string
	// AreaWhere picks boundary features, e.g. "adm2_name=Konobo".
	AreaWhere string
}

// IngestResult is what one ingest did.
type IngestResult struct {
	*ingest.Summary
	// Area is the study area used (nil when none) and AreaOrigin where it
	// came from.
	Area       *ingest.Area
	AreaOrigin ingest.AreaOrigin
}

// Ingest reads files of one kind (households, chws or facilities) into the
// district in one atomic update. Every input row ends in its layer or in
// rejects with a reason. Bad usage (a directory, a bad --area) wraps
// ErrUsage.
func (d *District) Ingest(ctx context.Context, kind ingest.Kind, files []string, opts IngestOptions) (*IngestResult, error) {
	if len(files) == 0 {
		return nil, usageErrorf("give at least one CSV or GeoJSON file")
	}
	for _, f := range files {
		if st, err := os.Stat(f); err != nil {
			return nil, err
		} else if st.IsDir() {
			return nil, usageErrorf("%s is a directory, want a CSV or GeoJSON file", f)
		}
	}
	if opts.Now.IsZero() {
		opts.Now = d.Now
	}
	res := &IngestResult{}
	err := d.update(ctx, func(tx *gpkg.Tx) error {
		// A 16 MiB page cache: a 1,000,000-row import took the same CPU time
		// as with gpkg's 256 MiB default, and its peak RSS fell from about
		// 365 MB to 190 MB (bench/results/ingest.md).
		if err := tx.SetCacheSize(16 << 20); err != nil {
			return err
		}
		area, origin, err := ingest.StudyArea(tx, opts.Area, opts.AreaWhere, kind == ingest.KindHouseholds)
		if err != nil {
			if errors.Is(err, ingest.ErrArea) {
				return usageError{err}
			}
			return err
		}
		res.Area, res.AreaOrigin = area, origin
		o := opts.Options
		o.Area = area
		res.Summary, err = runIngest(ctx, tx, kind, files, o)
		return err
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

func runIngest(ctx context.Context, tx *gpkg.Tx, kind ingest.Kind, files []string, opts ingest.Options) (*ingest.Summary, error) {
	switch kind {
	case ingest.KindHouseholds:
		return ingest.Households(ctx, tx, files, opts)
	case ingest.KindCHWs:
		return ingest.CHWs(ctx, tx, files, opts)
	case ingest.KindFacilities:
		return ingest.Facilities(ctx, tx, files, opts)
	}
	return nil, usageErrorf("unknown kind %q: want households, chws or facilities", kind)
}

// ErrUsage is wrapped by errors that are the caller's misuse (a directory
// where a file belongs, a bad flag value): the CLI exits 2 on them.
var ErrUsage = errors.New("bad usage")

// usageError marks err as bad usage while keeping its message.
type usageError struct{ err error }

func (u usageError) Error() string         { return u.err.Error() }
func (u usageError) Unwrap() []error       { return []error{u.err, ErrUsage} }
func usageErrorf(f string, a ...any) error { return usageError{fmt.Errorf(f, a...)} }
