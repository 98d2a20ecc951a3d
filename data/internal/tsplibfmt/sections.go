package tsplibfmt

import (
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// ReadFile opens path and parses it with read, naming the file by its base
// name in errors.
func ReadFile[T any](path string, read func(r io.Reader, file string) (T, error)) (T, error) {
	f, err := os.Open(path)
	if err != nil {
		var zero T
		return zero, err
	}
	defer f.Close()
	return read(f, filepath.Base(path))
}

// Lines reads the file to its end: spec gets each "KEY : VALUE" line (the
// key upper-cased), section each other line, whose first token, the
// section keyword, it gets upper-cased and removed from Toks; section
// reads the section's data from lx and returns stop to end the reading
// (at EOF). The first error from spec or section ends it too.
func (lx *Lexer) Lines(spec func(key, value string) error, section func(sec string) (stop bool, err error)) error {
	for {
		ok, err := lx.NextLine()
		if err != nil || !ok {
			return err
		}
		if key, value, ok := SplitSpec(lx.Whole); ok {
			if err := spec(key, value); err != nil {
				return err
			}
			continue
		}
		sec := strings.ToUpper(lx.Toks[0])
		lx.Toks = lx.Toks[1:]
		if stop, err := section(sec); stop || err != nil {
			return err
		}
	}
}

// EndOfSection checks, after section sec's data, that its last line holds
// nothing more.
func (lx *Lexer) EndOfSection(sec string) error {
	if len(lx.Toks) > 0 {
		return lx.Errf(sec, "unexpected %q after the section's data", Clip(lx.Toks[0]))
	}
	return nil
}

// UnknownSection is the error for a line starting with sec, which is
// neither a "KEY : VALUE" line nor a section the format knows: a number
// there means the previous section held more than DIMENSION n entries.
func (lx *Lexer) UnknownSection(sec string, n int) error {
	if _, err := strconv.ParseFloat(sec, 64); err == nil {
		return lx.Errf("", "unexpected number %q: more data than DIMENSION %d", Clip(sec), n)
	}
	return lx.Errf("", "want a \"KEY : VALUE\" line or a known section, got %q", Clip(sec))
}

// Dimension parses the value of DIMENSION, an integer from lo to hi.
func (lx *Lexer) Dimension(value string, lo, hi int) (int, error) {
	n, err := strconv.Atoi(value)
	if err != nil || n < lo || n > hi {
		return 0, lx.Errf("DIMENSION", "want an integer from %d to %d, got %q", lo, hi, Clip(value))
	}
	return n, nil
}

// AddComment appends a COMMENT line's value to comment, one line each.
func AddComment(comment *string, value string) {
	if *comment != "" {
		*comment += "\n"
	}
	*comment += value
}

// CheckExplicit checks, at EDGE_WEIGHT_SECTION, that the file declared
// EDGE_WEIGHT_TYPE EXPLICIT and that its n nodes are at most maxExplicit,
// the largest matrix the caller stores.
func (lx *Lexer) CheckExplicit(edgeWeightType string, n, maxExplicit int) error {
	if edgeWeightType != "EXPLICIT" {
		return lx.Errf(Section, "EDGE_WEIGHT_SECTION needs EDGE_WEIGHT_TYPE EXPLICIT before it")
	}
	if n > maxExplicit {
		return lx.Errf(Section, "DIMENSION %d is above %d, the largest explicit matrix read", n, maxExplicit)
	}
	return nil
}

// NodeRows reads section sec of n lines "id v1 .. vk", one for each node
// 1..n in any order, and returns the values in node order (0-based).
// values reads one line's v1 .. vk from lx. lines names the lines in the
// error for a section cut short, what names v1 .. vk in the error for a
// line with more than k values. Memory grows with the lines read, not
// with n alone.
func NodeRows[T any](lx *Lexer, sec string, n int, lines string, k int, what string, values func() (T, error)) ([]T, error) {
	ids := make([]int32, 0, min(n, 4096))
	rows := make([]T, 0, min(n, 4096))
	for i := range n {
		if err := lx.Short(sec, lines, i, n, n); err != nil {
			return nil, err
		}
		id, err := lx.Integer(sec)
		if err != nil {
			return nil, err
		}
		if id < 1 || id > int64(n) {
			return nil, lx.Errf(sec, "node number %d outside 1..%d (DIMENSION)", id, n)
		}
		v, err := values()
		if err != nil {
			return nil, err
		}
		if len(lx.Toks) > 0 {
			return nil, lx.Errf(sec, "want %d values per line (node %s), got more: %q", k+1, what, Clip(lx.Toks[0]))
		}
		ids = append(ids, int32(id))
		rows = append(rows, v)
	}
	out := make([]T, n)
	seen := make([]bool, n)
	for i, id := range ids {
		if seen[id-1] {
			return nil, lx.Errf(sec, "node %d given twice", id)
		}
		seen[id-1] = true
		out[id-1] = rows[i]
	}
	return out, nil
}

// EdgeWeightType parses the value of EDGE_WEIGHT_TYPE, one of the types
// the caller reads.
func (lx *Lexer) EdgeWeightType(value string, types ...string) (string, error) {
	t := strings.ToUpper(value)
	if !slices.Contains(types, t) {
		want := strings.Join(types[:len(types)-1], ", ") + " or " + types[len(types)-1]
		return "", lx.Errf("EDGE_WEIGHT_TYPE", "want %s, got %q", want, Clip(value))
	}
	return t, nil
}

// EdgeWeightFormat parses the value of EDGE_WEIGHT_FORMAT, one of Formats;
// examples names two in the error.
func (lx *Lexer) EdgeWeightFormat(value, examples string) (string, error) {
	f := strings.ToUpper(value)
	if !Formats[f] {
		return "", lx.Errf("EDGE_WEIGHT_FORMAT", "want FUNCTION or a matrix layout such as %s, got %q", examples, Clip(value))
	}
	return f, nil
}

// CheckNodeCoordType checks the value of NODE_COORD_TYPE: coordinates are
// read in two dimensions (NO_COORDS is accepted too).
func (lx *Lexer) CheckNodeCoordType(value string) error {
	if t := strings.ToUpper(value); t != "TWOD_COORDS" && t != "NO_COORDS" {
		return lx.Errf("NODE_COORD_TYPE", "want TWOD_COORDS, got %q", Clip(value))
	}
	return nil
}
