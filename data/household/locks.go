package household

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/lastmile-health/lastmile/data"
)

// Lock is one row of a planner's locks file: a household, or every
// household of a village, pinned to a CHW.
type Lock struct {
	Household string // or
	Village   string
	CHW       string
	Line      int // 1-based line of the row in the file
}

// ErrBadLock is wrapped (under a *data.ParseError naming the line) by
// ReadLocks's error for a row without a CHW or without a household and
// village, or with both.
var ErrBadLock = errors.New("household: bad lock")

// ReadLocks reads a locks CSV: a chw_id column and a household_id or
// village column (or both, one filled per row), with the CSV handling of
// ReadPoints (delimiters, BOM, CRLF, Windows-1252). name is used in errors.
// It stops at the first bad row: locks are a planner's decisions, so a
// wrong one should be fixed, not skipped.
func ReadLocks(name string, r io.Reader) ([]Lock, error) {
	rd, err := NewCSV(name, r)
	if err != nil {
		return nil, err
	}
	defer rd.Close()
	cols := rd.Columns()
	chw := ColumnIndex(cols, "chw_id")
	hh := ColumnIndex(cols, "household_id")
	village := ColumnIndex(cols, "village")
	if chw < 0 || (hh < 0 && village < 0) {
		return nil, &data.ParseError{File: name, Line: 1, Err: fmt.Errorf("%w: header %q: want chw_id and household_id or village", data.ErrFormat, cols)}
	}
	get := func(f []string, i int) string {
		if i < 0 || i >= len(f) {
			return ""
		}
		return strings.TrimSpace(f[i])
	}
	var out []Lock
	for rd.Scan() {
		row := rd.Row()
		l := Lock{Household: get(row.Fields, hh), Village: get(row.Fields, village), CHW: get(row.Fields, chw), Line: row.Line}
		switch {
		case l.CHW == "":
			return nil, &data.ParseError{File: name, Line: row.Line, Field: "chw_id", Err: fmt.Errorf("%w: no chw_id", ErrBadLock)}
		case l.Household == "" && l.Village == "":
			return nil, &data.ParseError{File: name, Line: row.Line, Err: fmt.Errorf("%w: give a household_id or a village", ErrBadLock)}
		case l.Household != "" && l.Village != "":
			return nil, &data.ParseError{File: name, Line: row.Line, Err: fmt.Errorf("%w: give a household_id or a village, not both", ErrBadLock)}
		}
		out = append(out, l)
	}
	return out, rd.Err()
}
