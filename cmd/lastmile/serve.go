package main

import (
	"fmt"
	"net"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/lastmile-health/lastmile"
)

// serveCommand serves the district's map page to a browser.
func serveCommand() *cli.Command {
	return &cli.Command{
		Name:  "serve",
		Usage: "show the district's map in a browser, offline (base map, households, catchments, routes, gaps)",
		UsageText: "lastmile serve [--gpkg PATH] [--addr HOST:PORT] [--personal]\n\n" +
			"Example:\n" +
			"   lastmile serve --gpkg district.gpkg        # then open http://127.0.0.1:8080/",
		Description: "Serves a page with the base map (hillshade, water, paths, villages, drawn by the\n" +
			"tiles renderer) and the district's layers (households, catchments, CHW homes,\n" +
			"facilities, routes, walking-time bands, gap areas) that can be switched on and off,\n" +
			"with a popup per feature. Nothing is fetched from the internet. It listens on the\n" +
			"loopback address (this computer only) unless --addr says otherwise. Personal fields\n" +
			"(head of household, phone, names, other input columns) are sent only with --personal.\n" +
			"Ctrl-C stops it.",
		Flags: []cli.Flag{
			gpkgFlag(),
			&cli.StringFlag{Name: "addr", Value: lastmile.DefaultServeAddr, Usage: "listen on `HOST:PORT`"},
			&cli.BoolFlag{Name: "personal", Usage: "also send personal fields (names, phones) to the browser"},
		},
		Action: serveAction,
	}
}

func serveAction(c *cli.Context) error {
	if c.Args().Len() > 0 {
		return usagef("serve takes no arguments (use --gpkg PATH)")
	}
	addr := c.String("addr")
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return usagef("--addr %q: want HOST:PORT, e.g. 127.0.0.1:8080", addr)
	}
	if !loopback(host) {
		warn(c, []string{fmt.Sprintf("listening on %s: other computers on the network can see the district's map and households", addr)})
	}
	if c.Bool("personal") {
		warn(c, []string{"--personal: names and phone numbers are sent to the browser"})
	}
	d, err := openDistrict(c)
	if err != nil {
		return err
	}
	err = d.Serve(c.Context, lastmile.ServeOptions{Addr: addr, Personal: c.Bool("personal"), Ready: func(url string) {
		fmt.Fprintf(c.App.Writer, "map of %s at %s (Ctrl-C stops)\n", d.Path, url)
	}})
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	return nil
}

// loopback reports whether host names this computer only.
func loopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
