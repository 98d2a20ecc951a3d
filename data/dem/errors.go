package dem

import (
	"errors"

	"github.com/lastmile-health/lastmile/data"
)

// ErrUnsupported is wrapped (inside a *data.ParseError naming the file) when a
// file is valid in its format but uses a feature this package does not read:
// a GeoTIFF compression, sample format, layout or CRS other than EPSG:4326.
var ErrUnsupported = errors.New("dem: unsupported")

// ErrNoTiles is returned by Open, OpenFS and NewMosaic when there is no
// elevation tile to use.
var ErrNoTiles = errors.New("dem: no elevation tiles")

// parseErr builds the package's parse error for file name.
func parseErr(name, field string, err error) error {
	return &data.ParseError{File: name, Field: field, Err: err}
}
