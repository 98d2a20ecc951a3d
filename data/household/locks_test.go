package household

import (
	"errors"
	"strings"
	"testing"

	"github.com/lastmile-health/lastmile/data"
)

func TestReadLocks(t *testing.T) {
	tests := []struct {
		name, in string
		want     []Lock
		err      error
		line     int
	}{
		{"households", "household_id,chw_id\nH1,C1\r\nH2,C2\n", []Lock{{Household: "H1", CHW: "C1", Line: 2}, {Household: "H2", CHW: "C2", Line: 3}}, nil, 0},
		{"villages, semicolons, BOM", "\ufeffvillage;chw_id\nGbarzon;C9\n", []Lock{{Village: "Gbarzon", CHW: "C9", Line: 2}}, nil, 0},
		{"both columns", "household_id,village,chw_id\nH1,,C1\n,Zleh,C2\n", []Lock{{Household: "H1", CHW: "C1", Line: 2}, {Village: "Zleh", CHW: "C2", Line: 3}}, nil, 0},
		{"no chw column", "household_id\nH1\n", nil, data.ErrFormat, 1},
		{"missing chw", "household_id,chw_id\nH1,C1\nH2,\n", nil, ErrBadLock, 3},
		{"neither", "household_id,village,chw_id\n,,C1\n", nil, ErrBadLock, 2},
		{"both filled", "household_id,village,chw_id\nH1,Zleh,C1\n", nil, ErrBadLock, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ReadLocks("locks.csv", strings.NewReader(tt.in))
			if tt.err != nil {
				var pe *data.ParseError
				if !errors.Is(err, tt.err) || !errors.As(err, &pe) || pe.Line != tt.line {
					t.Fatalf("err = %v, want %v at line %d", err, tt.err, tt.line)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got %+v, want %+v", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("row %d: %+v, want %+v", i, got[i], tt.want[i])
				}
			}
		})
	}
}

func FuzzReadLocks(f *testing.F) {
	f.Add("household_id,chw_id\nH1,C1\n")
	f.Add("village;chw_id\nA;B\n")
	f.Fuzz(func(t *testing.T, s string) {
		locks, err := ReadLocks("f.csv", strings.NewReader(s))
		if err != nil {
			return
		}
		for _, l := range locks {
			if l.CHW == "" || (l.Household == "") == (l.Village == "") {
				t.Fatalf("accepted a bad lock %+v", l)
			}
		}
	})
}
