package osmnet

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"testing"

	"github.com/lastmile-health/lastmile/data"
	"github.com/lastmile-health/lastmile/data/osmnet/internal/pbfguard"
)

// fuzzRead reads in as an OSM file from memory and checks that it either
// fails with a format error or returns a Network that holds its invariants.
func fuzzRead(t *testing.T, in []byte) {
	net, err := ReadReaderAt(context.Background(), "fuzz.osm", bytes.NewReader(in), int64(len(in)), &Options{Procs: 1})
	if err != nil {
		var pe *data.ParseError
		if !errors.As(err, &pe) || !errors.Is(err, data.ErrFormat) || pe.File != "fuzz.osm" {
			t.Fatalf("error %v (%T) is not a *data.ParseError for fuzz.osm wrapping data.ErrFormat", err, err)
		}
		return
	}
	checkNetwork(t, net)
}

func FuzzReadXML(f *testing.F) {
	raw, err := os.ReadFile(fixtureXML)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(raw)
	for _, s := range []string{
		`<osm><node id="1" lat="1" lon="2"/><node id="2" lat="1" lon="3"/><way id="5"><nd ref="1"/><nd ref="2"/><tag k="highway" v="path"/></way></osm>`,
		`<osm><node id='1' lat='1' lon='2'><tag k='ford' v='yes'/></node><node id='2' lat='1' lon='3'/><way id='5'><nd ref='1'/><nd ref='2'/><nd ref='1'/><tag k='waterway' v='stream'/><tag k='width' v='2 m'/></way></osm>`,
		`<?xml version="1.0"?><!-- c --><osm><way id="1"><nd ref="1"/><nd ref="2"/><nd ref="3"/><nd ref="1"/><tag k="natural" v="water"/></way><relation id="1"><member type="way" ref="1" role="outer"/><member type="way" ref="1" role="inner"/><tag k="type" v="multipolygon"/><tag k="natural" v="water"/></relation></osm>`,
		`<osm><node id="1" lat="NaN" lon="1e400"/><way id="1"><nd ref="1"/><nd ref="1"/><tag k="highway" v="path"/></way></osm>`,
		`<osm/>`,
		`<osm><![CDATA[x]]><?pi?><!DOCTYPE x></osm>`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(fuzzRead)
}

// FuzzReadPBF feeds corrupted PBF bytes. The seeds include the fixture with
// its blocks stored uncompressed, so that mutations reach the protobuf
// content instead of failing zlib's checksum. Inputs the block checks
// reject stop there (that part must not panic either); inputs they accept
// go through the full Read, where paulmach/osm's decoder must not panic.
func FuzzReadPBF(f *testing.F) {
	raw, err := os.ReadFile(fixturePBF)
	if err != nil {
		f.Fatal(err)
	}
	uncompressed, err := io.ReadAll(pbfguard.New(bytes.NewReader(raw), pbfguard.All))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(raw)
	f.Add(raw[:len(raw)/2])
	f.Add(uncompressed)
	f.Fuzz(func(t *testing.T, in []byte) {
		if _, err := io.Copy(io.Discard, pbfguard.New(bytes.NewReader(in), pbfguard.All)); err != nil {
			return
		}
		fuzzRead(t, in)
	})
}
