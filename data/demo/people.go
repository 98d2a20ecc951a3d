package demo

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"os"
	"strconv"
	"strings"
)

// writeFile creates path, hands fn a buffered writer and closes it,
// returning the first error.
func writeFile(path string, fn func(bw *bufio.Writer) error) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}()
	bw := bufio.NewWriterSize(f, 1<<20)
	if err := fn(bw); err != nil {
		return err
	}
	return bw.Flush()
}

func fmtCoord(v float64) string { return strconv.FormatFloat(v, 'f', 7, 64) }

// writeFacilities writes facilities.geojson: a FeatureCollection of Points
// with id, name and type (one feature per line, as HOT exports look).
func (w *world) writeFacilities(path string, c *Counts) error {
	return writeFile(path, func(bw *bufio.Writer) error {
		bw.WriteString(`{"type":"FeatureCollection","name":"demo_health_facilities","features":[` + "\n")
		for i, f := range w.facilities {
			ll := w.local.Inverse(f.p)
			props, err := json.Marshal(struct {
				ID   string `json:"id"`
				Name string `json:"name"`
				Type string `json:"type"`
			}{f.id, f.name, f.kind})
			if err != nil {
				return err
			}
			bw.WriteString(`{"type":"Feature","geometry":{"type":"Point","coordinates":[` + fmtCoord(ll[0]) + "," + fmtCoord(ll[1]) + `]},"properties":`)
			bw.Write(props)
			bw.WriteString("}")
			if i+1 < len(w.facilities) {
				bw.WriteString(",")
			}
			bw.WriteString("\n")
		}
		_, err := bw.WriteString("]}\n")
		c.Facilities = len(w.facilities)
		return err
	})
}

// CHWColumns is the header of chws.csv.
var CHWColumns = []string{"chw_id", "name", "facility_id", "latitude", "longitude", "capacity", "active", "supervisor_id"}

// writeCHWs writes chws.csv.
func (w *world) writeCHWs(path string, c *Counts) error {
	return writeFile(path, func(bw *bufio.Writer) error {
		cw := csv.NewWriter(bw)
		if err := cw.Write(CHWColumns); err != nil {
			return err
		}
		sup := w.supervisors()
		for i, h := range w.chws {
			ll := w.local.Inverse(h.p)
			capacity := ""
			if h.capacity > 0 {
				capacity = strconv.Itoa(h.capacity)
				c.Capacity++
			}
			if !h.active {
				c.Inactive++
			}
			row := []string{h.id, h.name, w.facilities[h.facility].id,
				strconv.FormatFloat(ll[1], 'f', 6, 64), strconv.FormatFloat(ll[0], 'f', 6, 64),
				capacity, strconv.FormatBool(h.active), sup[i]}
			if err := cw.Write(row); err != nil {
				return err
			}
		}
		c.CHWs = len(w.chws)
		cw.Flush()
		return cw.Error()
	})
}

// supervisors returns each CHW's supervisor: a facility's CHWs, in roster
// order, are shared among its supervisors about ten each (a CHSS in
// Liberia supervises up to ten CHAs), named SUP-<facility>-<n>.
func (w *world) supervisors() []string {
	byFac := map[int][]int{}
	for i, c := range w.chws {
		byFac[c.facility] = append(byFac[c.facility], i)
	}
	out := make([]string, len(w.chws))
	for f, idx := range byFac {
		groups := (len(idx) + 9) / 10
		for k, i := range idx {
			out[i] = "SUP-" + strings.TrimPrefix(w.facilities[f].id, "FAC-") + "-" + strconv.Itoa(k*groups/len(idx)+1)
		}
	}
	return out
}
