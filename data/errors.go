package data

import (
	"errors"
	"fmt"
)

// ErrFormat is the sentinel under every ParseError whose file is not in the
// expected format at all (binary, wrong encoding, not the format claimed).
var ErrFormat = errors.New("data: bad format")

// ParseError is an error at a position in an input file. Line is 1-based
// (0 when unknown); Field names the column, tag or section when known.
// It unwraps to Err, so callers can use errors.Is with ErrFormat or a
// package's own sentinel.
type ParseError struct {
	File  string
	Line  int
	Field string
	Err   error
}

// Error formats the error as "file:line: field: err", leaving out the parts
// that are unknown.
func (e *ParseError) Error() string {
	s := e.File
	if e.Line > 0 {
		s = fmt.Sprintf("%s:%d", s, e.Line)
	}
	if e.Field != "" {
		s += ": " + e.Field
	}
	if s == "" {
		return e.Err.Error()
	}
	return s + ": " + e.Err.Error()
}

// Unwrap returns the underlying error.
func (e *ParseError) Unwrap() error { return e.Err }
