package dem

import (
	"fmt"
	"io"
)

// ReadGeoTIFF reads a single-band GeoTIFF in EPSG:4326.
func ReadGeoTIFF(r io.ReaderAt, size int64) (*Tile, error) {
	name := ""
	if n, ok := r.(interface{ Name() string }); ok {
		name = n.Name()
	}
	return readGeoTIFF(name, r, size)
}

func readGeoTIFF(name string, r io.ReaderAt, size int64) (*Tile, error) {
	return nil, parseErr(name, "", fmt.Errorf("%w: GeoTIFF not read yet", ErrUnsupported))
}
