// Package pbfguard checks an OSM PBF stream block by block before
// paulmach/osm's osmpbf decodes it. That decoder slices its buffers by the
// sizes it reads and trusts the string-table indices and array lengths in
// each block, so a corrupt or crafted file makes it panic in its own
// goroutines, where no recover reaches; it also panics on non-dense nodes.
// The guard turns all of these into read errors that name the block and its
// byte offset. It passes checked data blocks on uncompressed, so each block
// is inflated once, and can drop blocks that hold no element kind a pass
// wants.
package pbfguard

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// PBF framing limits from the OSM PBF specification, also the ones
// paulmach/osm's decoder assumes.
const (
	maxPBFHeader = 64 << 10 // BlobHeader
	maxPBFBlob   = 32 << 20 // Blob, compressed or not
)

// Reader passes a PBF stream on one file block at a time, after checking
// the block's framing (the BlobHeader size, its datasize, the Blob's
// raw_size and compression) and the content of every data block (see
// checkPrimitiveBlock). It tells a file cut mid-block from a clean end; a
// file cut exactly between blocks is still a valid PBF and cannot be
// detected. Not safe for concurrent use.
type Reader struct {
	r      io.Reader
	in     []byte // the block as read
	out    []byte // the block rewritten uncompressed
	raw    []byte // inflated data
	zsrc   bytes.Reader
	zr     io.ReadCloser
	buf    []byte // the current block, framing included: in or out
	off    int    // next byte of buf to hand out
	offset int64  // file offset of the current block
	inLen  int    // its size in the file
	block  int
	keep   Content
	err    error
}

// New returns a Reader of r that passes on the header block and only the
// data blocks holding some of the element kinds in keep, so that a pass
// does not make osmpbf decode blocks it would skip anyway. It does not
// close r.
func New(r io.Reader, keep Content) *Reader { return &Reader{r: r, keep: keep} }

// Read implements io.Reader. Errors are sticky.
func (g *Reader) Read(p []byte) (int, error) {
	for g.off == len(g.buf) {
		if g.err != nil {
			return 0, g.err
		}
		g.err = g.next()
		if g.err != nil && len(g.buf) == 0 {
			return 0, g.err
		}
	}
	n := copy(p, g.buf[g.off:])
	g.off += n
	return n, nil
}

// next reads and checks one file block into g.buf. On a framing error the
// buffer is emptied, so no bad block reaches the decoder.
func (g *Reader) next() error {
	g.block++
	g.offset += int64(g.inLen)
	g.inLen = 0
	g.buf, g.off = g.in[:0], 0
	var size [4]byte
	if n, err := io.ReadFull(g.r, size[:]); err != nil {
		if err == io.EOF {
			return io.EOF
		}
		return g.errorf("truncated block size (%d of 4 bytes): %w", n, unexpected(err))
	}
	hsize := binary.BigEndian.Uint32(size[:])
	if hsize == 0 || hsize >= maxPBFHeader {
		return g.errorf("blob header size %d out of range (1..%d)", hsize, maxPBFHeader-1)
	}
	buf := append(g.in[:0], size[:]...)
	buf, err := g.readN(buf, int(hsize), "blob header")
	if err != nil {
		return err
	}
	typ, datasize, err := ParseBlobHeader(buf[4:])
	if err != nil {
		return g.errorf("blob header: %v", err)
	}
	if typ != "OSMHeader" && typ != "OSMData" {
		return g.errorf("unknown block type %.32q", typ)
	}
	if datasize <= 0 || datasize > maxPBFBlob {
		return g.errorf("blob size %d out of range (1..%d)", datasize, maxPBFBlob)
	}
	start := len(buf)
	if buf, err = g.readN(buf, int(datasize), "blob"); err != nil {
		return err
	}
	g.in, g.inLen = buf, len(buf)
	raw, zdata, rawSize, err := parseBlob(buf[start:])
	if err != nil {
		return g.errorf("blob: %v", err)
	}
	if typ == "OSMHeader" {
		g.buf = buf // decoded by generated protobuf code, which checks it
		return nil
	}
	if zdata != nil {
		if raw, err = g.inflate(zdata, rawSize); err != nil {
			return g.errorf("zlib data: %v", err)
		}
	}
	content, err := checkPrimitiveBlock(raw)
	if err != nil {
		return g.errorf("data block: %v", err)
	}
	if content&g.keep == 0 {
		g.buf = g.buf[:0] // nothing this pass wants: Read moves on
		return nil
	}
	if zdata == nil || len(raw) > maxPBFBlob-32 {
		g.buf = buf // raw already, or too big to pass on raw: let osmpbf inflate again
		return nil
	}
	// Pass the block on uncompressed, so it is inflated only once.
	g.buf = appendRawBlock(g.out[:0], raw)
	g.out = g.buf
	return nil
}

// inflate decompresses a zlib blob of rawSize bytes into g.raw.
func (g *Reader) inflate(zdata []byte, rawSize int) ([]byte, error) {
	g.zsrc.Reset(zdata)
	if g.zr == nil {
		zr, err := zlib.NewReader(&g.zsrc)
		if err != nil {
			return nil, err
		}
		g.zr = zr
	} else if err := g.zr.(zlib.Resetter).Reset(&g.zsrc, nil); err != nil {
		return nil, err
	}
	if cap(g.raw) < rawSize {
		g.raw = make([]byte, rawSize)
	}
	raw := g.raw[:rawSize]
	if _, err := io.ReadFull(g.zr, raw); err != nil {
		return nil, fmt.Errorf("%w (raw size %d)", unexpected(err), rawSize)
	}
	var one [1]byte
	if n, err := g.zr.Read(one[:]); n > 0 || (err != nil && err != io.EOF) {
		if err == nil {
			err = errors.New("more data than the raw size")
		}
		return nil, err
	}
	return raw, nil
}

// appendRawBlock appends a file block holding raw as an uncompressed
// OSMData blob.
func appendRawBlock(out, raw []byte) []byte {
	var blob [32]byte
	b := blob[:0]
	b = append(b, 0x0a) // Blob.raw
	b = binary.AppendUvarint(b, uint64(len(raw)))
	hdrBlob := len(b) + len(raw)
	b2 := append([]byte(nil), b...)
	b2 = append(b2, 0x10) // Blob.raw_size
	b2 = binary.AppendUvarint(b2, uint64(len(raw)))
	hdrBlob += len(b2) - len(b)

	h := []byte{0x0a, 7, 'O', 'S', 'M', 'D', 'a', 't', 'a', 0x18}
	h = binary.AppendUvarint(h, uint64(hdrBlob))
	out = binary.BigEndian.AppendUint32(out, uint32(len(h)))
	out = append(out, h...)
	out = append(out, b...)
	out = append(out, raw...)
	return append(out, b2[len(b):]...)
}

// readN appends n bytes of input to buf; n is at most maxPBFBlob.
func (g *Reader) readN(buf []byte, n int, what string) ([]byte, error) {
	if cap(buf)-len(buf) < n {
		nb := make([]byte, len(buf), len(buf)+n)
		copy(nb, buf)
		buf = nb
	}
	got, err := io.ReadFull(g.r, buf[len(buf):len(buf)+n])
	if err != nil {
		return nil, g.errorf("truncated %s (%d of %d bytes): %w", what, got, n, unexpected(err))
	}
	return buf[:len(buf)+n], nil
}

func unexpected(err error) error {
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}

func (g *Reader) errorf(format string, args ...any) error {
	return fmt.Errorf("block %d at byte %d: %w", g.block, g.offset, fmt.Errorf(format, args...))
}

// protobuf wire types.
const (
	wireVarint = 0
	wire64     = 1
	wireBytes  = 2
	wire32     = 5
)

// protoFields calls fn for each field of a protobuf message: its number,
// wire type, varint value (wireVarint) or bytes (wireBytes).
func protoFields(b []byte, fn func(num int, wire int, v uint64, data []byte) error) error {
	for len(b) > 0 {
		key, n := binary.Uvarint(b)
		if n <= 0 {
			return errors.New("bad field key")
		}
		b = b[n:]
		num, wire := int(key>>3), int(key&7)
		var v uint64
		var data []byte
		switch wire {
		case wireVarint:
			v, n = binary.Uvarint(b)
			if n <= 0 {
				return errors.New("bad varint")
			}
			b = b[n:]
		case wire64:
			if len(b) < 8 {
				return errors.New("short fixed64")
			}
			b = b[8:]
		case wire32:
			if len(b) < 4 {
				return errors.New("short fixed32")
			}
			b = b[4:]
		case wireBytes:
			l, n := binary.Uvarint(b)
			if n <= 0 || l > uint64(len(b)-n) {
				return errors.New("bad length")
			}
			data, b = b[n:n+int(l)], b[n+int(l):]
		default:
			return fmt.Errorf("bad wire type %d", wire)
		}
		if err := fn(num, wire, v, data); err != nil {
			return err
		}
	}
	return nil
}

// ParseBlobHeader returns BlobHeader.type (field 1) and datasize (field 3,
// -1 when absent) from an encoded BlobHeader.
func ParseBlobHeader(b []byte) (typ string, datasize int64, err error) {
	datasize = -1
	err = protoFields(b, func(num, wire int, v uint64, data []byte) error {
		switch {
		case num == 1 && wire == wireBytes:
			typ = string(data)
		case num == 3 && wire == wireVarint:
			datasize = int64(int32(v))
		}
		return nil
	})
	return typ, datasize, err
}

// parseBlob returns a Blob's raw data or its zlib data and raw_size (2),
// after checking that it holds raw or zlib data (what osmpbf reads) and
// that raw_size is in range.
func parseBlob(b []byte) (raw, zdata []byte, rawSize int, err error) {
	size := int64(-1)
	kind := ""
	err = protoFields(b, func(num, wire int, v uint64, data []byte) error {
		switch num {
		case 1:
			kind, raw = "raw", data
		case 2:
			size = int64(int32(v))
		case 3:
			kind, zdata = "zlib", data
		case 4:
			kind = "lzma"
		case 5:
			kind = "bzip2"
		case 6:
			kind = "lz4"
		case 7:
			kind = "zstd"
		}
		return nil
	})
	switch {
	case err != nil:
		return nil, nil, 0, err
	case kind == "":
		return nil, nil, 0, errors.New("no data")
	case kind != "raw" && kind != "zlib":
		return nil, nil, 0, fmt.Errorf("%s compression is not supported (only zlib): recompress with osmium cat", kind)
	case kind == "zlib" && (size < 0 || size > maxPBFBlob):
		return nil, nil, 0, fmt.Errorf("raw size %d out of range (0..%d)", size, maxPBFBlob)
	case kind == "zlib":
		return nil, zdata, int(size), nil
	}
	return raw, nil, 0, nil
}
