package osmnet

import (
	"context"
	"strings"
	"testing"

	"github.com/paulmach/orb"
)

const buildingsXML = `<?xml version="1.0" encoding="UTF-8"?>
<osm version="0.6">
 <node id="1" lat="0.0000" lon="10.0000"/>
 <node id="2" lat="0.0010" lon="10.0000"/>
 <node id="11" lat="0.00050" lon="10.00010"/>
 <node id="12" lat="0.00050" lon="10.00020"/>
 <node id="13" lat="0.00060" lon="10.00020"/>
 <node id="14" lat="0.00060" lon="10.00010"/>
 <node id="21" lat="0.00070" lon="10.00010"/>
 <node id="22" lat="0.00080" lon="10.00010"/>
 <node id="23" lat="0.00080" lon="10.00020"/>
 <way id="100"><nd ref="1"/><nd ref="2"/><tag k="highway" v="path"/></way>
 <way id="201"><nd ref="11"/><nd ref="14"/><nd ref="13"/><nd ref="12"/><nd ref="11"/><tag k="building" v="hut"/></way>
 <way id="202"><nd ref="21"/><nd ref="22"/><nd ref="23"/><nd ref="21"/><tag k="building" v="no"/></way>
 <way id="203"><nd ref="21"/><nd ref="22"/><nd ref="23"/><tag k="building" v="yes"/></way>
</osm>
`

// TestReadBuildings: with Options.Buildings the closed building ways come
// back as counter-clockwise rings (building=no and open ways left out),
// and their nodes stay out of the network's nodes.
func TestReadBuildings(t *testing.T) {
	open := func(b bool) *Network {
		net, err := ReadReaderAt(context.Background(), "b.osm", strings.NewReader(buildingsXML), int64(len(buildingsXML)), &Options{Buildings: b})
		if err != nil {
			t.Fatal(err)
		}
		checkNetwork(t, net)
		return net
	}
	if net := open(false); len(net.Buildings) != 0 {
		t.Errorf("without Options.Buildings: %d buildings", len(net.Buildings))
	}
	net := open(true)
	if len(net.Buildings) != 1 || net.Buildings[0].ID != 201 || net.Buildings[0].Kind != "hut" {
		t.Fatalf("buildings %+v, want way 201 (hut) only", net.Buildings)
	}
	r := net.Buildings[0].Ring
	if len(r) != 5 || r[0] != r[4] || r.Orientation() != orb.CCW {
		t.Errorf("ring %v: want 5 points, closed, counter-clockwise", r)
	}
	if len(net.Nodes) != 2 {
		t.Errorf("network nodes %d, want the path's 2", len(net.Nodes))
	}
}
