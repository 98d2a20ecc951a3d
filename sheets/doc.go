// Package sheets lays out the printed route sheets of lastmile sheets: one
// A4 PDF per CHW (a header with the totals, a map of the catchment with
// every day's walk, the days' summary, then one page per day with its map
// and its table of stops in visiting order, each with a tick box) and one
// per facility gathering its CHWs' sheets.
//
// Maps are drawn by the one renderer, package tiles, onto a canvas that
// records its calls and replays them as PDF vector paths (the hillshade as
// an image), so a sheet drawn once goes into both the CHW's and the
// facility's PDF. PDFs are made with codeberg.org/go-pdf/fpdf, text in
// DejaVu Sans Condensed (the font tiles labels maps with), embedded as a
// subset, so names such as "Kpɔ̀" print as written.
//
// Units: page sizes in mm; map canvases in CSS pixels (1/96 inch, tiles'
// style unit); times geo.Seconds, printed as h:mm and minutes; points
// WGS 84 lon/lat.
package sheets
