// Package tsplibfmt holds the text layer that TSPLIB (data/tsplib) and
// VRPLIB (data/vrplib) files share: "KEY : VALUE" specification lines and
// the sections between them (Lexer.Lines), sections of whitespace-separated
// numbers crossing lines, sections of one line per node (NodeRows), and the
// EXPLICIT matrix layouts (FULL_MATRIX, UPPER_ROW, LOWER_DIAG_ROW, ...).
//
// Errors are *data.ParseError values naming the file, the line and the
// field; they unwrap to the sentinel the calling package passes to
// NewLexer, so each format keeps its own ErrInvalid. Numbers carry no unit
// here.
package tsplibfmt
