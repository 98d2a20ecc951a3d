package gpkg_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"github.com/lastmile-health/lastmile/data/gpkg"
	"github.com/paulmach/orb"
)

func Example() {
	dir, err := os.MkdirTemp("", "gpkg-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "district.gpkg")

	// Write: everything inside fn lands atomically, or not at all.
	err = gpkg.Update(context.Background(), path, func(tx *gpkg.Tx) error {
		tx.Now = time.Date(2026, 1, 2, 15, 4, 5, 0, time.UTC) // reproducible last_change
		w, err := tx.CreateLayer(gpkg.Layer{
			Name:     "facilities",
			GeomType: gpkg.Point,
			Fields: []gpkg.Field{
				{Name: "name", Type: gpkg.Text, NotNull: true},
				{Name: "beds", Type: gpkg.Integer},
			},
		})
		if err != nil {
			return err
		}
		if _, err := w.Insert(orb.Point{1.52, 42.51}, "Clinic A", 12); err != nil {
			return err
		}
		if _, err := w.Insert(orb.Point{1.60, 42.46}, "Post B", nil); err != nil {
			return err
		}
		return w.Close() // extent, last_change, R-tree triggers
	})
	if err != nil {
		log.Fatal(err)
	}

	// Read.
	db, err := gpkg.Open(path)
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	layers, err := db.Layers()
	if err != nil {
		log.Fatal(err)
	}
	for _, l := range layers {
		fmt.Println(l.Name, l.DataType, l.GeomType, l.Count, l.Bound)
	}
	sc := db.Scan("facilities")
	defer sc.Close()
	for sc.Scan() {
		fmt.Println(sc.FID(), sc.Geometry(), sc.Values())
	}
	if err := sc.Err(); err != nil {
		log.Fatal(err)
	}
	// Output:
	// facilities features POINT 2 {[1.52 42.46] [1.6 42.51]}
	// 1 [1.52 42.51] [Clinic A 12]
	// 2 [1.6 42.46] [Post B <nil>]
}

func ExampleEncodeGeometry() {
	b, err := gpkg.EncodeGeometry(orb.Point{1.5, 42.5})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("% x\n", b[:8]) // "GP", version 0, flags (little-endian, no envelope), srs_id 4326
	g, err := gpkg.DecodeGeometry(b)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(g)
	// Output:
	// 47 50 00 01 e6 10 00 00
	// [1.5 42.5]
}
