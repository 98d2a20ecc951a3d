package household

import (
	"errors"
	"strings"
	"time"
)

// ErrTime is returned by ParseTime for a value in no known format.
var ErrTime = errors.New("household: unrecognised date/time")

// timeLayouts are the layouts ODK Central, KoboToolbox, CommCare and
// spreadsheets write, tried in order. Day-first and month-first numeric
// dates are ambiguous, so only unambiguous forms are accepted.
var timeLayouts = []string{
	time.RFC3339Nano,                     // 2024-03-05T10:12:33.123+01:00, ...Z
	"2006-01-02T15:04:05.999999999Z0700", // +0100 offsets
	"2006-01-02T15:04:05.999999999",      // no zone: UTC
	"2006-01-02T15:04Z07:00",
	"2006-01-02T15:04",
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999Z0700",
	"2006-01-02 15:04:05.999999999 -0700",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02 15:04",
	"2006/01/02 15:04:05",
	"2006-01-02",
	"2006/01/02",
	"Jan 2, 2006 3:04:05 PM",
	"Jan 2, 2006",
	"02-Jan-2006 15:04:05",
	"02-Jan-2006",
}

// ParseTime parses a submission time in any of the formats the common
// survey tools export (ISO 8601 with or without fraction and offset, with
// 'T' or a space, dates alone) and returns it in UTC. A value without a zone
// is taken as UTC.
func ParseTime(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, ErrTime
	}
	// Python-style "+00:00" after a space, and a trailing "UTC".
	s = strings.TrimSuffix(s, " UTC")
	for _, l := range timeLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, ErrTime
}

// TimeFormat is how lastmile stores date-times (ISO 8601, UTC, seconds).
const TimeFormat = "2006-01-02T15:04:05Z"
