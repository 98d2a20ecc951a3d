// lastmile serve's page: the base map tiles, and the district's layers from
// the GeoPackage as GeoJSON overlays that can be switched on and off, with
// a popup per feature. Everything comes from the lastmile server itself.
"use strict";

(function () {
  const map = L.map("map", { zoomSnap: 0.5 });
  L.tileLayer("tiles/{z}/{x}/{y}.png", {
    maxZoom: 19, maxNativeZoom: 18, tileSize: 256,
    attribution: "© OpenStreetMap contributors; lastmile",
  }).addTo(map);
  const status = document.getElementById("status");
  const state = { map, layers: {}, counts: {}, ready: false, error: null };
  window.lastmile = state;

  function esc(s) {
    return String(s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
  }

  function popup(title, props) {
    let rows = "";
    for (const [k, v] of Object.entries(props)) {
      if (k.startsWith("_") || v === null || v === "") continue;
      rows += "<tr><th>" + esc(k) + "</th><td>" + esc(v) + "</td></tr>";
    }
    return '<div class="popup"><h4>' + esc(title) + "</h4><table>" + rows + "</table></div>";
  }

  function overlay(def, gj) {
    // L.geoJSON applies style to every layer, markers included: points
    // get the marker style, lines and areas the area style.
    const pointStyle = (f) => ({
      radius: def.radius, fillColor: f.properties._color || def.color, fillOpacity: 1,
      color: def.stroke, weight: def.stroke_width, opacity: 1,
    });
    return L.geoJSON(gj, {
      pointToLayer: (f, ll) => L.circleMarker(ll, pointStyle(f)),
      style: (f) => f.geometry.type.endsWith("Point") ? pointStyle(f) : {
        color: def.stroke || f.properties._color || def.color, weight: def.weight, opacity: 1, dashArray: def.dash || null,
        fillColor: f.properties._color || def.color, fillOpacity: def.fill_opacity,
      },
      onEachFeature: (f, l) => l.bindPopup(popup(def.title, f.properties)),
    });
  }

  fetch("api/info").then((r) => r.json()).then((info) => {
    const b = info.bound;
    map.fitBounds([[b[1], b[0]], [b[3], b[2]]]);
    const control = L.control.layers(null, null, { collapsed: false }).addTo(map);
    return Promise.all(info.layers.map((def) =>
      fetch("api/layers/" + def.name + ".geojson").then((r) => {
        if (!r.ok) throw new Error(def.name + ": " + r.status);
        return r.json();
      }).then((gj) => [def, gj])
    )).then((loaded) => {
      // Added in the server's order: areas first, points last.
      for (const [def, gj] of loaded) {
        const layer = overlay(def, gj);
        if (def.on) layer.addTo(map);
        control.addOverlay(layer, def.title + " (" + gj.features.length + ")");
        state.layers[def.name] = layer;
        state.counts[def.name] = gj.features.length;
      }
      status.textContent = info.name + (info.missing.length ? " — not yet in the GeoPackage: " + info.missing.join("; ") : "");
      state.ready = true;
    });
  }).catch((e) => {
    state.error = String(e);
    status.textContent = "error: " + e;
  });
})();
