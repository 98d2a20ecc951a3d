package demo_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/lastmile-health/lastmile/data/demo"
)

func ExampleGenerate() {
	dir, err := os.MkdirTemp("", "district")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	f, err := demo.Generate(context.Background(), demo.Config{Seed: 1, Households: 400, SizeKm: 10}, dir)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(filepath.Base(f.Households), filepath.Base(f.Paths), filepath.Base(f.DEMTiles[0]))
	fmt.Println("genuine households:", f.Counts.Households)
	fmt.Println("rows:", f.Counts.Rows == f.Counts.Households+f.Counts.Noise.Duplicates+f.Counts.Noise.NearDuplicates+f.Counts.Noise.Junk())
	fmt.Println("junk rows to reject:", f.Counts.Noise.Junk())
	// Output:
	// households.csv paths.osm N07W010.hgt
	// genuine households: 400
	// rows: true
	// junk rows to reject: 5
}
