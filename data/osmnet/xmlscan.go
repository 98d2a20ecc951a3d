package osmnet

import (
	"context"
	"io"

	"github.com/paulmach/osm"
	"github.com/paulmach/osm/osmxml"
)

// newXMLScanner returns the XML scanner for one pass.
func newXMLScanner(ctx context.Context, r io.Reader, kind scanKind, ids []int64) osm.Scanner {
	return osmxml.New(ctx, r)
}
