package tsplibfmt

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/lastmile-health/lastmile/data"
)

// maxLine is the longest line read (some files put a whole matrix on one
// line).
const maxLine = 16 << 20

// invalid is the caller's sentinel with its own message, so that a
// ParseError reads "file:line: field: message" without the sentinel's text.
type invalid struct {
	msg      string
	sentinel error
}

func (e invalid) Error() string { return e.msg }
func (e invalid) Unwrap() error { return e.sentinel }

// Lexer splits a TSPLIB-style file into lines and whitespace-separated
// tokens, tracking the line number.
type Lexer struct {
	sc       *bufio.Scanner
	file     string
	sentinel error
	// Line is the 1-based number of the current line.
	Line int
	// Toks holds the remaining tokens of the current line; callers may
	// consume them.
	Toks []string
	// Whole is the current line without surrounding space.
	Whole string
}

// NewLexer returns a lexer reading r. file names the input in errors, and
// every error it makes unwraps to sentinel.
func NewLexer(r io.Reader, file string, sentinel error) *Lexer {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), maxLine)
	return &Lexer{sc: sc, file: file, sentinel: sentinel}
}

// Errf returns a *data.ParseError at the current line.
func (lx *Lexer) Errf(field, format string, a ...any) error {
	return lx.ErrAt(lx.Line, field, format, a...)
}

// ErrAt returns a *data.ParseError at the given line.
func (lx *Lexer) ErrAt(line int, field, format string, a ...any) error {
	return &data.ParseError{File: lx.file, Line: line, Field: field,
		Err: invalid{fmt.Sprintf(format, a...), lx.sentinel}}
}

// NextLine advances to the next non-blank line; false at the end.
func (lx *Lexer) NextLine() (bool, error) {
	for lx.sc.Scan() {
		lx.Line++
		lx.Whole = strings.TrimSpace(lx.sc.Text())
		if lx.Whole == "" {
			continue
		}
		lx.Toks = strings.Fields(lx.Whole)
		return true, nil
	}
	if err := lx.sc.Err(); err != nil {
		return false, &data.ParseError{File: lx.file, Line: lx.Line + 1, Err: fmt.Errorf("%w: %w", lx.sentinel, err)}
	}
	return false, nil
}

// Peek returns the next token without consuming it; false at the end.
func (lx *Lexer) Peek() (string, bool, error) {
	for len(lx.Toks) == 0 {
		ok, err := lx.NextLine()
		if !ok || err != nil {
			return "", false, err
		}
	}
	return lx.Toks[0], true, nil
}

// Short checks, before entry k of want in section sec, that data follows:
// the end of the file or a keyword there means DIMENSION n promised more.
func (lx *Lexer) Short(sec, what string, k, want, n int) error {
	t, ok, err := lx.Peek()
	if err != nil {
		return err
	}
	if !ok || (t[0] >= 'A' && t[0] <= 'Z') || (t[0] >= 'a' && t[0] <= 'z') {
		return lx.Errf(sec, "DIMENSION %d needs %d %s, got %d", n, want, what, k)
	}
	return nil
}

// Token returns the next token, crossing lines; false at the end.
func (lx *Lexer) Token() (string, bool, error) {
	for len(lx.Toks) == 0 {
		ok, err := lx.NextLine()
		if !ok || err != nil {
			return "", false, err
		}
	}
	t := lx.Toks[0]
	lx.Toks = lx.Toks[1:]
	return t, true, nil
}

// Number reads the next token as a finite float.
func (lx *Lexer) Number(field string) (float64, error) {
	t, ok, err := lx.Token()
	if err != nil {
		return 0, err
	}
	if !ok {
		return 0, lx.Errf(field, "unexpected end of file: want a number")
	}
	v, err := strconv.ParseFloat(t, 64)
	if err != nil || math.IsInf(v, 0) || math.IsNaN(v) {
		return 0, lx.Errf(field, "want a number, got %q", Clip(t))
	}
	return v, nil
}

// Integer reads the next token as an integer; "12.0" is accepted, as some
// files write integral values that way.
func (lx *Lexer) Integer(field string) (int64, error) {
	t, ok, err := lx.Token()
	if err != nil {
		return 0, err
	}
	if !ok {
		return 0, lx.Errf(field, "unexpected end of file: want an integer")
	}
	return lx.ParseInteger(field, t)
}

// ParseInteger parses t as Integer does.
func (lx *Lexer) ParseInteger(field, t string) (int64, error) {
	v, err := strconv.ParseInt(t, 10, 64)
	if err != nil {
		f, ferr := strconv.ParseFloat(t, 64)
		if ferr != nil || f != math.Trunc(f) || math.Abs(f) > 1<<62 {
			return 0, lx.Errf(field, "want an integer, got %q", Clip(t))
		}
		v = int64(f)
	}
	return v, nil
}

// Clip shortens a token quoted in an error message.
func Clip(s string) string {
	if len(s) > 20 {
		return s[:20] + "…"
	}
	return s
}

// SplitSpec splits "KEY : VALUE" (the colon may touch either side); the key
// is upper-cased.
func SplitSpec(line string) (key, value string, ok bool) {
	i := strings.IndexByte(line, ':')
	if i < 0 {
		return "", "", false
	}
	return strings.ToUpper(strings.TrimSpace(line[:i])), strings.TrimSpace(line[i+1:]), true
}

// FirstField returns the first whitespace-separated field of s, or "".
func FirstField(s string) string {
	if f := strings.Fields(s); len(f) > 0 {
		return f[0]
	}
	return ""
}
