package ingest_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"github.com/lastmile-health/lastmile/data/gpkg"
	"github.com/lastmile-health/lastmile/data/ingest"
	"github.com/paulmach/orb"
)

func ExampleHouseholds() {
	dir, err := os.MkdirTemp("", "ingest")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	export := filepath.Join(dir, "export.csv")
	os.WriteFile(export, []byte("household_id,members,latitude,longitude,SubmissionDate\n"+
		"H1,4,6.05,-8.12,2024-03-05T10:12:33.123+01:00\n"+
		"H2,3,-8.12,6.06,2024-03-05T10:20:00Z\n"+ // swapped: fixed and flagged
		"H3,2,,,2024-03-05T10:30:00Z\n"), 0o644) // no coordinates: rejected
	area := ingest.AreaFromBound("box", "example", orb.Bound{Min: orb.Point{-8.3, 5.9}, Max: orb.Point{-7.9, 6.3}})
	var sum *ingest.Summary
	err = gpkg.Update(context.Background(), filepath.Join(dir, "district.gpkg"), func(tx *gpkg.Tx) error {
		sum, err = ingest.Households(context.Background(), tx, []string{export},
			ingest.Options{Area: area, Now: time.Date(2026, 5, 12, 8, 0, 0, 0, time.UTC)})
		return err
	})
	if err != nil {
		log.Fatal(err)
	}
	s := sum.Total
	fmt.Println("rows", s.Rows, "added", s.Added, "rejected", s.Rejected)
	fmt.Println("flagged", s.FlaggedByCode)
	fmt.Println("rejected", s.RejectedByReason)
	// Output:
	// rows 3 added 2 rejected 1
	// flagged map[swapped_coords:1]
	// rejected map[missing_coordinates:1]
}
