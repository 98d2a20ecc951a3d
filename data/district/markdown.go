package district

import (
	"fmt"
	"strings"
)

// MarkdownTable renders the declared layers as ARCHITECTURE.md's layer
// table: name, geometry type, the command that writes it, and every column
// with its type.
func MarkdownTable(layers []*Layer) string {
	var b strings.Builder
	b.WriteString("| layer | type | written by | columns |\n|---|---|---|---|\n")
	for _, l := range layers {
		name := "`" + l.Name + "`"
		if strings.HasPrefix(l.Name, "*") {
			name = l.Name
		}
		typ := string(l.Geometry)
		switch {
		case l.View != "":
			typ = "view"
		case l.Tiles:
			typ = "tiles"
		case typ == "":
			typ = "attributes"
		}
		cols := make([]string, 0, len(l.Columns)+1)
		for _, c := range l.Columns {
			s := c.Name + " " + c.Type.String()
			if c.Unique {
				s += " UNIQUE"
			}
			if c.NotNull {
				s += " NOT NULL"
			}
			if c.Personal {
				s += " (personal)"
			}
			if c.Doc != "" {
				s += " (" + c.Doc + ")"
			}
			cols = append(cols, s)
		}
		if l.Tail != "" {
			cols = append(cols, l.Tail)
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", name, typ, l.WrittenBy, strings.Join(cols, ", "))
	}
	return b.String()
}
