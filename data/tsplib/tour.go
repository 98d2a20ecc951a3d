package tsplib

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/lastmile-health/lastmile/data/internal/tsplibfmt"
)

// Tour is a TSPLIB TOUR file: a permutation of the nodes 1..n.
type Tour struct {
	Name    string
	Comment string
	// Nodes are the 1-based node numbers in visiting order.
	Nodes []int
}

// ReadTour parses a TOUR file (TYPE TOUR, DIMENSION, TOUR_SECTION ended by
// -1). It checks that the tour is a permutation of 1..DIMENSION. file names
// the input in errors.
func ReadTour(r io.Reader, file string) (*Tour, error) {
	lx := tsplibfmt.NewLexer(r, file, ErrInvalid)
	t := &Tour{}
	n := -1
	haveSection := false
	spec := func(key, value string) error {
		switch key {
		case "NAME":
			t.Name = value
		case "COMMENT":
			tsplibfmt.AddComment(&t.Comment, value)
		case "TYPE":
			if strings.ToUpper(tsplibfmt.FirstField(value)) != "TOUR" {
				return lx.Errf("TYPE", "want TOUR, got %q", tsplibfmt.Clip(value))
			}
		case "DIMENSION":
			v, err := lx.Dimension(value, 1, MaxDimension)
			if err != nil {
				return err
			}
			n = v
		}
		return nil
	}
	section := func(sec string) (stop bool, err error) {
		if sec == "EOF" {
			return true, nil
		}
		if sec != "TOUR_SECTION" {
			return false, lx.Errf("", "want a \"KEY : VALUE\" line, TOUR_SECTION or EOF, got %q", tsplibfmt.Clip(sec))
		}
		if n < 0 {
			return false, lx.Errf(sec, "DIMENSION must come before TOUR_SECTION")
		}
		if t.Nodes, err = readTourNodes(lx, sec, n, t.Nodes); err != nil {
			return false, err
		}
		haveSection = true
		return false, nil
	}
	if err := lx.Lines(spec, section); err != nil {
		return nil, err
	}
	if !haveSection {
		lx.Line++
		return nil, lx.Errf("TOUR_SECTION", "missing TOUR_SECTION")
	}
	return t, nil
}

// readTourNodes appends to nodes the node numbers of a TOUR_SECTION ended
// by -1 and checks that nodes is then a permutation of 1..n.
func readTourNodes(lx *tsplibfmt.Lexer, sec string, n int, nodes []int) ([]int, error) {
	seen := make([]bool, n)
	for {
		v, err := lx.Integer(sec)
		if err != nil {
			return nil, err
		}
		if v == -1 {
			break
		}
		if v < 1 || v > int64(n) {
			return nil, lx.Errf(sec, "node %d outside 1..%d (DIMENSION)", v, n)
		}
		if seen[v-1] {
			return nil, lx.Errf(sec, "node %d visited twice", v)
		}
		seen[v-1] = true
		nodes = append(nodes, int(v))
	}
	if len(nodes) != n {
		return nil, lx.Errf(sec, "tour has %d nodes, DIMENSION says %d", len(nodes), n)
	}
	return nodes, nil
}

// WriteTour writes t as a TOUR file that ReadTour and other TSPLIB tools
// read. It does not check that t.Nodes is a permutation.
func WriteTour(w io.Writer, t *Tour) error {
	bw := bufio.NewWriter(w)
	if t.Name != "" {
		fmt.Fprintf(bw, "NAME : %s\n", oneLine(t.Name))
	}
	for _, c := range strings.Split(t.Comment, "\n") {
		if c != "" {
			fmt.Fprintf(bw, "COMMENT : %s\n", oneLine(c))
		}
	}
	fmt.Fprintf(bw, "TYPE : TOUR\nDIMENSION : %d\nTOUR_SECTION\n", len(t.Nodes))
	for _, v := range t.Nodes {
		bw.WriteString(strconv.Itoa(v))
		bw.WriteByte('\n')
	}
	bw.WriteString("-1\nEOF\n")
	return bw.Flush()
}

func oneLine(s string) string { return strings.NewReplacer("\n", " ", "\r", " ").Replace(s) }
