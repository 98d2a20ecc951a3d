package osmnet

import (
	"context"
	"testing"

	"github.com/lastmile-health/lastmile/internal/shareddata"
)

func TestAndorraSmoke(t *testing.T) {
	for _, name := range []string{"andorra/andorra.osm.pbf", "andorra/andorra.osm.gz"} {
		p := shareddata.Path(t, name)
		net, err := Read(context.Background(), p, nil)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: %+v warnings=%d %v", name, net.Stats(), len(net.Warnings), net.Bound)
		for _, w := range net.Warnings[:min(10, len(net.Warnings))] {
			t.Log(w)
		}
	}
}
