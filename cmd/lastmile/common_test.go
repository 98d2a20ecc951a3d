package main

import (
	"bytes"
	"regexp"
	"testing"
	"time"
)

func TestStepLog(t *testing.T) {
	for _, tc := range []struct {
		writes []string
		want   []string
	}{
		{[]string{"\rreading households" + "          "}, []string{"reading households"}},
		{[]string{"demo step ...", " 1.5 s\n"}, []string{"demo step ...", "1.5 s"}},
		{[]string{"\r  a.csv: pass 1, 50000 rows\r  a.csv: pass 1, 100000 rows"}, []string{"a.csv: pass 1, 50000 rows", "a.csv: pass 1, 100000 rows"}},
		{[]string{"\r   \r", "\n"}, nil},
	} {
		var buf bytes.Buffer
		l := &stepLog{w: &buf, t0: time.Now()}
		for _, w := range tc.writes {
			if n, err := l.Write([]byte(w)); err != nil || n != len(w) {
				t.Fatalf("Write(%q) = %d, %v", w, n, err)
			}
		}
		var got []string
		line := regexp.MustCompile(`^\[ *[0-9]+\.[0-9]s\] (.*)$`)
		for _, l := range bytes.Split(bytes.TrimSuffix(buf.Bytes(), []byte("\n")), []byte("\n")) {
			if len(l) == 0 {
				continue
			}
			m := line.FindSubmatch(l)
			if m == nil {
				t.Fatalf("line %q: want [seconds] message", l)
			}
			got = append(got, string(m[1]))
		}
		if len(got) != len(tc.want) {
			t.Fatalf("writes %q: got lines %q, want %q", tc.writes, got, tc.want)
		}
		for i := range got {
			if got[i] != tc.want[i] {
				t.Errorf("writes %q: line %d = %q, want %q", tc.writes, i, got[i], tc.want[i])
			}
		}
	}
}
