package demo_test

import (
	"strconv"
	"strings"
	"testing"
)

// TestVisitNeeds checks the planning columns of households.csv: visits a
// month of 1, 2 or 4, priority 0 or 1, every household visited more than
// once a priority, a few per cent of each, and the Kpelle names intact.
func TestVisitNeeds(t *testing.T) {
	f := district(t)
	header, rows := readCSV(t, f.Households)
	iVisits, iPrio, iHead := col(header, "visits_per_month"), col(header, "priority"), col(header, "head_name")
	counts := map[string]int{}
	prio, kpelle, n := 0, 0, 0
	for _, r := range rows {
		if len(r) <= iPrio {
			continue // a row cut short on purpose (noise)
		}
		n++
		v, err := strconv.Atoi(r[iVisits])
		if err != nil || (v != 1 && v != 2 && v != 4) {
			t.Fatalf("visits_per_month %q, want 1, 2 or 4", r[iVisits])
		}
		counts[r[iVisits]]++
		switch r[iPrio] {
		case "1":
			prio++
		case "0":
			if v > 1 {
				t.Errorf("a household visited %d times a month is not a priority", v)
			}
		default:
			t.Fatalf("priority %q, want 0 or 1", r[iPrio])
		}
		if strings.Contains(r[iHead], "Kpɔ̀") {
			kpelle++
		}
	}
	share := func(k int) float64 { return float64(k) / float64(n) }
	if s := share(counts["2"]); s < 0.03 || s > 0.07 {
		t.Errorf("%.3f of households visited twice a month, want about 0.05", s)
	}
	if s := share(counts["4"]); s < 0.003 || s > 0.02 {
		t.Errorf("%.3f of households visited weekly, want about 0.01", s)
	}
	if s := share(prio); s < 0.08 || s > 0.14 {
		t.Errorf("%.3f of households are priorities, want about 0.11", s)
	}
	if kpelle == 0 {
		t.Errorf("no head of household named Kpɔ̀")
	}
}

// TestSupervisors checks that every CHW has a supervisor of their own
// facility, each supervising at most ten.
func TestSupervisors(t *testing.T) {
	f := district(t)
	header, rows := readCSV(t, f.CHWs)
	iSup, iFac := col(header, "supervisor_id"), col(header, "facility_id")
	bySup := map[string]int{}
	facOf := map[string]string{}
	for _, r := range rows {
		s := r[iSup]
		if s == "" {
			t.Fatalf("CHW %s has no supervisor", r[0])
		}
		if fac, ok := facOf[s]; ok && fac != r[iFac] {
			t.Errorf("supervisor %s has CHWs of facilities %s and %s", s, fac, r[iFac])
		}
		facOf[s] = r[iFac]
		bySup[s]++
	}
	for s, k := range bySup {
		if k > 10 {
			t.Errorf("supervisor %s has %d CHWs, want at most 10", s, k)
		}
	}
}
