package pbfguard

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// checkPrimitiveBlock walks an uncompressed OSMData block and checks every
// index and length paulmach/osm's decoder trusts: string-table indices of
// tags, user names and member roles in range, parallel arrays of equal
// length, and no non-dense nodes (the decoder panics on those, in its own
// goroutines, where no recover can reach). Walking the block costs a small
// fraction of decoding it. It returns which kinds of element the block
// holds.
func checkPrimitiveBlock(b []byte) (Content, error) {
	var content Content
	strs := 0
	err := protoFields(b, func(num, wire int, _ uint64, data []byte) error {
		if num != 1 {
			return nil
		}
		if wire != wireBytes {
			return errors.New("string table: bad wire type")
		}
		return protoFields(data, func(num, _ int, _ uint64, _ []byte) error {
			if num == 1 {
				strs++
			}
			return nil
		})
	})
	if err != nil {
		return 0, err
	}
	err = protoFields(b, func(num, wire int, _ uint64, data []byte) error {
		if num != 2 {
			return nil
		}
		if wire != wireBytes {
			return errors.New("primitive group: bad wire type")
		}
		return protoFields(data, func(num, wire int, _ uint64, data []byte) error {
			if num >= 1 && num <= 4 && wire != wireBytes {
				return errors.New("primitive group: bad wire type")
			}
			switch num {
			case 1:
				return errors.New("non-dense nodes are not supported (recompress with osmium cat)")
			case 2:
				content |= Nodes
				return checkDense(data, strs)
			case 3:
				content |= Ways
				return checkElement(data, strs, "way")
			case 4:
				content |= Relations
				return checkElement(data, strs, "relation")
			}
			return nil
		})
	})
	return content, err
}

// Content is a set of element kinds in a PBF block.
type Content uint8

// The element kinds of Content.
const (
	Nodes Content = 1 << iota
	Ways
	Relations
	All = Nodes | Ways | Relations
)

// packed is a packed repeated varint field.
type packed struct {
	data  []byte
	found bool
}

// each calls fn with every varint of p.
func (p packed) each(fn func(v uint64) error) error {
	b := p.data
	for len(b) > 0 {
		v, n := binary.Uvarint(b)
		if n <= 0 {
			return errors.New("bad packed varint")
		}
		b = b[n:]
		if err := fn(v); err != nil {
			return err
		}
	}
	return nil
}

func (p packed) count() (int, error) {
	n := 0
	err := p.each(func(uint64) error { n++; return nil })
	return n, err
}

// strIndex checks that every value of p, read as the given protobuf
// integer type, is an index into a string table of strs entries.
func (p packed) strIndex(strs int, typ string) error {
	return p.each(func(v uint64) error {
		var i int64
		switch typ {
		case "uint32":
			i = int64(uint32(v))
		case "int32":
			i = int64(int32(v))
		}
		if i < 0 || i >= int64(strs) {
			return fmt.Errorf("string index %d out of range (table of %d)", i, strs)
		}
		return nil
	})
}

// maxPacked is the most packed fields fieldsOf collects.
const maxPacked = 5

// fieldsOf collects the packed fields of a message by number (at most
// maxPacked, in the order of nums), and passes the other fields to fn
// (which may be nil).
func fieldsOf(b []byte, nums []int, fn func(num, wire int, v uint64, data []byte) error) ([maxPacked]packed, error) {
	var out [maxPacked]packed
	err := protoFields(b, func(num, wire int, v uint64, data []byte) error {
		for k, want := range nums {
			if num == want {
				if wire != wireBytes {
					return fmt.Errorf("field %d: not packed", num)
				}
				if out[k].found {
					return fmt.Errorf("field %d: repeated", num)
				}
				out[k] = packed{data: data, found: true}
				return nil
			}
		}
		if fn != nil {
			return fn(num, wire, v, data)
		}
		return nil
	})
	return out, err
}

// sameCount checks that the present fields of ps have equal lengths.
func sameCount(what, part string, ps ...packed) error {
	n := -1
	for _, p := range ps {
		if !p.found {
			continue
		}
		c, err := p.count()
		if err != nil {
			return fmt.Errorf("%s%s: %w", what, part, err)
		}
		if n >= 0 && c != n {
			return fmt.Errorf("%s%s: parallel arrays of different lengths (%d, %d)", what, part, n, c)
		}
		n = c
	}
	return nil
}

// checkInfo checks an Info message's user_sid (5, uint32).
func checkInfo(b []byte, strs int) error {
	return protoFields(b, func(num, wire int, v uint64, _ []byte) error {
		if num == 5 && wire == wireVarint && uint64(uint32(v)) >= uint64(strs) {
			return fmt.Errorf("user string index %d out of range (table of %d)", uint32(v), strs)
		}
		return nil
	})
}

// checkElement checks a Way or Relation: keys (2) and vals (3), info (4),
// and the parallel arrays 8, 9, 10 (way: refs, lats, lons; relation:
// roles_sid, memids, types).
func checkElement(b []byte, strs int, what string) error {
	f, err := fieldsOf(b, []int{2, 3, 8, 9, 10}, func(num, wire int, _ uint64, data []byte) error {
		if num == 4 && wire == wireBytes {
			return checkInfo(data, strs)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	keys, vals := f[0], f[1]
	if err := sameCount(what, " tags", keys, vals); err != nil {
		return err
	}
	if err := keys.strIndex(strs, "uint32"); err != nil {
		return fmt.Errorf("%s key: %w", what, err)
	}
	if err := vals.strIndex(strs, "uint32"); err != nil {
		return fmt.Errorf("%s value: %w", what, err)
	}
	if what == "relation" {
		// The decoder sizes members by types and walks roles: all three
		// must be present together.
		if f[2].found != f[3].found || f[2].found != f[4].found {
			return errors.New("relation: member arrays incomplete")
		}
		if err := f[2].strIndex(strs, "int32"); err != nil {
			return fmt.Errorf("relation role: %w", err)
		}
	}
	return sameCount(what, " members/nodes", f[2], f[3], f[4])
}

// checkDense checks DenseNodes: ids (1), lats (8), lons (9) of equal
// length, keys_vals (10) and the DenseInfo (5) user_sid deltas (5, sint32)
// as string indices.
func checkDense(b []byte, strs int) error {
	var usid packed
	f, err := fieldsOf(b, []int{1, 8, 9, 10}, func(num, wire int, _ uint64, data []byte) error {
		if num != 5 || wire != wireBytes {
			return nil
		}
		di, err := fieldsOf(data, []int{5}, nil)
		usid = di[0]
		return err
	})
	if err != nil {
		return fmt.Errorf("dense nodes: %w", err)
	}
	if err := sameCount("dense nodes", "", f[0], f[1], f[2]); err != nil {
		return err
	}
	if err := f[3].strIndex(strs, "int32"); err != nil {
		return fmt.Errorf("dense node tags: %w", err)
	}
	var sum int32
	return usid.each(func(v uint64) error {
		u := uint32(v)
		sum += int32(u>>1) ^ -int32(u&1) // zigzag, wrapping like the decoder
		if sum < 0 || int64(sum) >= int64(strs) {
			return fmt.Errorf("dense node user index %d out of range (table of %d)", sum, strs)
		}
		return nil
	})
}
