package gpkg

import (
	"database/sql"

	sqlite3 "github.com/mattn/go-sqlite3"
)

// driverName is the database/sql driver this package registers: mattn's
// SQLite with the GeoPackage SQL functions the R-tree triggers call. Its own
// name keeps it apart from a plain "sqlite3" registration elsewhere.
const driverName = "lastmile-gpkg"

func init() {
	sql.Register(driverName, &sqlite3.SQLiteDriver{ConnectHook: registerFunctions})
}

// registerFunctions adds ST_IsEmpty, ST_MinX, ST_MaxX, ST_MinY and ST_MaxY
// (spec Annex F.3 and "SQL functions") to a connection. They read the
// envelope from the blob header (decoding the WKB only for points and blobs
// without one) and are deterministic. NULL in gives NULL out; a malformed
// blob is an SQL error, so a trigger cannot index garbage.
func registerFunctions(c *sqlite3.SQLiteConn) error {
	fns := []struct {
		name string
		fn   any
	}{
		{"ST_IsEmpty", stIsEmpty},
		{"ST_MinX", func(b []byte) (any, error) { return envPart(b, func(e envelope) float64 { return e.minX }) }},
		{"ST_MaxX", func(b []byte) (any, error) { return envPart(b, func(e envelope) float64 { return e.maxX }) }},
		{"ST_MinY", func(b []byte) (any, error) { return envPart(b, func(e envelope) float64 { return e.minY }) }},
		{"ST_MaxY", func(b []byte) (any, error) { return envPart(b, func(e envelope) float64 { return e.maxY }) }},
	}
	for _, f := range fns {
		if err := c.RegisterFunc(f.name, f.fn, true); err != nil {
			return err
		}
	}
	return nil
}

func stIsEmpty(b []byte) (any, error) {
	if b == nil {
		return nil, nil
	}
	env, err := blobEnvelope(b)
	if err != nil {
		return nil, err
	}
	if env.empty {
		return int64(1), nil
	}
	return int64(0), nil
}

func envPart(b []byte, part func(envelope) float64) (any, error) {
	if b == nil {
		return nil, nil
	}
	env, err := blobEnvelope(b)
	if err != nil {
		return nil, err
	}
	if env.empty {
		return nil, nil
	}
	return part(env), nil
}
