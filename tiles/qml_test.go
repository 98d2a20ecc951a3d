package tiles_test

import (
	"encoding/xml"
	"strconv"
	"strings"
	"testing"

	"github.com/lastmile-health/lastmile/tiles"
)

// TestQML checks that every styled layer's QML is well-formed XML with a
// renderer, that categories name existing symbols, and that the colours
// come from the style.
func TestQML(t *testing.T) {
	r := tiles.NewRenderer(testScene(), nil, 0)
	st := r.Style()
	for _, layer := range []string{"study_area", "water_areas", "streams", "paths", "catchments", "households", "coverage_households",
		"chws", "facilities", "suggested_chws", "visit_days", "stops", "isochrones", "gap_areas", "unregistered_structures"} {
		t.Run(layer, func(t *testing.T) {
			q, ok := r.QML(layer)
			if !ok {
				t.Fatalf("QML(%s): not styled", layer)
			}
			var doc struct {
				XMLName  xml.Name `xml:"qgis"`
				Renderer struct {
					Type       string `xml:"type,attr"`
					Attr       string `xml:"attr,attr"`
					Categories []struct {
						Symbol string `xml:"symbol,attr"`
						Value  string `xml:"value,attr"`
					} `xml:"categories>category"`
					Symbols []struct {
						Name string `xml:"name,attr"`
					} `xml:"symbols>symbol"`
				} `xml:"renderer-v2"`
			}
			if err := xml.Unmarshal([]byte(strings.Replace(q, "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>", "", 1)), &doc); err != nil {
				t.Fatalf("QML(%s) is not XML: %v", layer, err)
			}
			if doc.Renderer.Type == "" || len(doc.Renderer.Symbols) == 0 {
				t.Fatalf("QML(%s): no renderer or symbols", layer)
			}
			names := map[string]bool{}
			for _, s := range doc.Renderer.Symbols {
				names[s.Name] = true
			}
			for _, c := range doc.Renderer.Categories {
				if !names[c.Symbol] {
					t.Errorf("category %q names symbol %s, which is not there", c.Value, c.Symbol)
				}
			}
		})
	}
	q, _ := r.QML("catchments")
	for _, id := range []string{"CHW-1", "CHW-2"} {
		c := r.CHWColor(id)
		want := "value=\"" + id + "\""
		if !strings.Contains(q, want) {
			t.Errorf("catchments QML has no category %s", id)
		}
		if !strings.Contains(q, strings.Join([]string{itoa(c.R), itoa(c.G), itoa(c.B)}, ",")) {
			t.Errorf("catchments QML lacks %s's colour %v", id, c)
		}
	}
	if q, _ := r.QML("facilities"); !strings.Contains(q, itoa(st.Facilities.Fill.R)+","+itoa(st.Facilities.Fill.G)) || !strings.Contains(q, `labelsEnabled="1"`) {
		t.Errorf("facilities QML lacks the style's red or its labels:\n%s", q)
	}
	if _, ok := r.QML("rejects"); ok {
		t.Error("QML(rejects): an attribute table got a style")
	}
}

func itoa(v uint8) string { return strconv.Itoa(int(v)) }
