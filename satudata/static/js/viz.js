/* Charts and maps of tables, drawn as SVG with d3 (satudata/static/vendor, from npm).

   Each <div data-viz="ID"> reads its spec from <script type="application/json" id="ID">:
   - a chart: {type: "bar"|"line"|"stacked"|"pie", labels: [...], series: [{name, label, values}],
     label_title, percent, unit, title}
   - a map: {type: "map", boundary: URL of a GeoJSON FeatureCollection keyed by properties.kode,
     values: {kode: number}, focus (a kabupaten/kota code: draw only its kecamatan), value_title,
     percent, unit, title}
   The numbers stay on the page as a table for screen readers and for when scripts are off; the
   drawing is an <svg role="img"> with <title> tooltips. Buttons under it download the drawing
   as SVG and PNG. Numbers use the page language's format (id: 1.234.567,8). No map tiles: the
   boundaries are the portal's own file. */
(function () {
  "use strict";

  var PALETTE = ["#9f1228", "#1f5f8b", "#c77d02", "#2f7d4f", "#6b4ea2", "#4a5568"];
  var RAMP = ["#fde0dd", "#fbb4b9", "#f768a1", "#c51b8a", "#7a0177"];
  var NO_DATA = "#e5e7eb";
  var lang = document.documentElement.lang === "en" ? "en" : "id";
  var locale = d3.formatLocale(lang === "en"
    ? { decimal: ".", thousands: ",", grouping: [3], currency: ["", ""] }
    : { decimal: ",", thousands: ".", grouping: [3], currency: ["Rp", ""] });
  var TEXT = lang === "en"
    ? { svg: "Download SVG", png: "Download PNG", noData: "no data", legend: "Legend" }
    : { svg: "Unduh SVG", png: "Unduh PNG", noData: "tidak ada data", legend: "Keterangan" };

  function number(v, spec) {
    if (v === null || v === undefined || isNaN(v)) { return "–"; }
    var whole = Math.abs(v) >= 100 || Number.isInteger(v);
    var text = locale.format(whole ? ",.0f" : ",.2~f")(v);
    return spec && spec.percent ? text + "%" : text;
  }

  function short(v, spec) {
    if (v === null || v === undefined) { return ""; }
    var abs = Math.abs(v);
    var text;
    if (abs >= 1e12) { text = locale.format(",.1~f")(v / 1e12) + (lang === "en" ? "T" : " T"); }
    else if (abs >= 1e9) { text = locale.format(",.1~f")(v / 1e9) + (lang === "en" ? "B" : " M"); }
    else if (abs >= 1e6) { text = locale.format(",.1~f")(v / 1e6) + (lang === "en" ? "M" : " jt"); }
    else if (abs >= 1e4) { text = locale.format(",.1~f")(v / 1e3) + (lang === "en" ? "k" : " rb"); }
    else { text = locale.format(",.2~f")(v); }
    return spec && spec.percent ? text + "%" : text;
  }

  function svgRoot(host, width, height, label) {
    var svg = d3.select(host).append("svg")
      .attr("xmlns", "http://www.w3.org/2000/svg")
      .attr("viewBox", "0 0 " + width + " " + height)
      .attr("width", "100%")
      .attr("role", "img")
      .attr("aria-label", label)
      .attr("font-family", "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif")
      .attr("font-size", 12);
    svg.append("rect").attr("width", width).attr("height", height).attr("fill", "#ffffff");
    return svg;
  }

  function legend(svg, items, x, y, maxWidth) {
    var g = svg.append("g").attr("transform", "translate(" + x + "," + y + ")");
    var cx = 0, cy = 0;
    items.forEach(function (item) {
      var w = 18 + Math.min(220, item.label.length * 6.6) + 14;
      if (cx > 0 && cx + w > maxWidth) { cx = 0; cy += 18; }
      g.append("rect").attr("x", cx).attr("y", cy).attr("width", 12).attr("height", 12).attr("fill", item.color);
      g.append("text").attr("x", cx + 16).attr("y", cy + 10).attr("fill", "#1f2933").text(item.label);
      cx += w;
    });
    return cy + 18;
  }

  function drawChart(host, spec) {
    var width = Math.max(320, Math.min(host.clientWidth || 640, 960));
    var narrow = width < 560;
    var labels = spec.labels;
    var series = spec.series;
    var kind = spec.type;
    var title = spec.title || series.map(function (s) { return s.label; }).join(", ");
    if (kind === "pie") { return drawPie(host, spec, width, title); }
    var horizontal = kind !== "line" && (labels.length > 12 || narrow && labels.length > 6);
    var legendRows = series.length > 1 ? Math.ceil(series.length / (narrow ? 1 : 3)) * 18 + 8 : 0;
    var longest = d3.max(labels, function (l) { return String(l).length; }) || 4;
    var margin = horizontal
      ? { top: 12, right: 24, bottom: 36 + legendRows, left: Math.min(narrow ? 120 : 200, 12 + longest * 6.4) }
      : { top: 12, right: 16, bottom: 20 + legendRows + Math.min(110, labels.length > 6 ? longest * 5.4 : 18), left: 64 };
    var height = horizontal ? Math.max(220, labels.length * 22 + margin.top + margin.bottom) : (narrow ? 300 : 360);
    var svg = svgRoot(host, width, height, title);
    var innerW = width - margin.left - margin.right;
    var innerH = height - margin.top - margin.bottom;
    var g = svg.append("g").attr("transform", "translate(" + margin.left + "," + margin.top + ")");
    var stacked = kind === "stacked";
    var totals = labels.map(function (_, i) {
      return stacked
        ? d3.sum(series, function (s) { return Math.max(0, s.values[i] || 0); })
        : d3.max(series, function (s) { return s.values[i]; });
    });
    var lows = labels.map(function (_, i) { return d3.min(series, function (s) { return s.values[i]; }); });
    var lo = Math.min(0, d3.min(lows) || 0);
    var hi = d3.max(totals) || 1;
    var value = d3.scaleLinear().domain([lo, hi]).nice().range(horizontal ? [0, innerW] : [innerH, 0]);
    var band = d3.scaleBand().domain(d3.range(labels.length)).range(horizontal ? [0, innerH] : [0, innerW])
      .padding(kind === "line" ? 0 : 0.18);
    var valueAxis = horizontal ? d3.axisBottom(value).ticks(narrow ? 4 : 6) : d3.axisLeft(value).ticks(6);
    valueAxis.tickFormat(function (v) { return short(v, spec); });
    var labelAxis = (horizontal ? d3.axisLeft(band) : d3.axisBottom(band)).tickFormat(function (i) {
      var text = String(labels[i]);
      var max = horizontal ? Math.floor(margin.left / 6.4) - 2 : 18;
      return text.length > max ? text.slice(0, max - 1) + "…" : text;
    });
    if (!horizontal && labels.length > 24) {
      var every = Math.ceil(labels.length / 24);
      labelAxis.tickValues(d3.range(0, labels.length, every));
    }
    g.append("g").attr("class", "grid").attr("color", "#e5e7eb")
      .attr("transform", horizontal ? "translate(0," + innerH + ")" : null)
      .call((horizontal ? d3.axisBottom(value).tickSize(-innerH) : d3.axisLeft(value).tickSize(-innerW))
        .ticks(horizontal ? (narrow ? 4 : 6) : 6).tickFormat(""))
      .call(function (sel) { sel.select(".domain").remove(); });
    var vAxis = g.append("g").attr("color", "#4a5568").call(valueAxis);
    if (horizontal) { vAxis.attr("transform", "translate(0," + innerH + ")"); }
    var lAxis = g.append("g").attr("color", "#4a5568").call(labelAxis);
    if (!horizontal) {
      lAxis.attr("transform", "translate(0," + innerH + ")");
      if (labels.length > 6) {
        lAxis.selectAll("text").attr("text-anchor", "end").attr("transform", "rotate(-40)").attr("dx", "-0.4em")
          .attr("dy", "0.5em");
      }
    }
    if (kind === "line") {
      series.forEach(function (s, si) {
        var color = PALETTE[si % PALETTE.length];
        var line = d3.line().defined(function (v) { return v !== null; })
          .x(function (_, i) { return band(i) + band.bandwidth() / 2; })
          .y(function (v) { return value(v); });
        g.append("path").datum(s.values).attr("fill", "none").attr("stroke", color).attr("stroke-width", 2.5)
          .attr("d", line);
        var points = s.values.map(function (v, i) { return [v, i]; }).filter(function (d) { return d[0] !== null; });
        g.selectAll(null).data(points).enter().append("circle").attr("r", 3.5).attr("fill", color)
          .attr("cx", function (d) { return band(d[1]) + band.bandwidth() / 2; })
          .attr("cy", function (d) { return value(d[0]); })
          .append("title").text(function (d) { return labels[d[1]] + " — " + s.label + ": " + number(d[0], spec); });
      });
    } else {
      var inner = stacked ? null : d3.scaleBand().domain(d3.range(series.length)).range([0, band.bandwidth()]).padding(0.06);
      var offsets = labels.map(function () { return 0; });
      series.forEach(function (s, si) {
        var color = PALETTE[si % PALETTE.length];
        var bars = g.append("g").attr("fill", color);
        s.values.forEach(function (v, i) {
          if (v === null) { return; }
          var start = stacked ? offsets[i] : 0;
          var end = stacked ? offsets[i] + Math.max(0, v) : v;
          if (stacked) { offsets[i] = end; }
          var a = value(Math.min(start, end)), b = value(Math.max(start, end));
          var pos = band(i) + (stacked ? 0 : inner(si));
          var size = stacked ? band.bandwidth() : inner.bandwidth();
          var rect = horizontal
            ? bars.append("rect").attr("x", a).attr("width", Math.max(1, b - a)).attr("y", pos).attr("height", size)
            : bars.append("rect").attr("y", b).attr("height", Math.max(1, a - b)).attr("x", pos).attr("width", size);
          rect.append("title").text(labels[i] + " — " + s.label + ": " + number(v, spec));
        });
      });
    }
    if (series.length > 1) {
      legend(svg, series.map(function (s, i) { return { label: s.label, color: PALETTE[i % PALETTE.length] }; }),
        margin.left, height - legendRows + 2, width - margin.left - 8);
    }
    return svg.node();
  }

  function drawPie(host, spec, width, title) {
    var s = spec.series[0];
    var data = spec.labels.map(function (l, i) { return { label: String(l), value: s.values[i] }; })
      .filter(function (d) { return d.value !== null && d.value > 0; });
    var narrow = width < 560;
    var radius = narrow ? Math.min(130, width / 2 - 12) : 150;
    var legendWidth = narrow ? width - 24 : width - radius * 2 - 60;
    var rows = data.length;  /* one legend line per slice, under the pie on a phone, beside it otherwise */
    var height = narrow ? radius * 2 + 24 + rows * 18 + 8 : Math.max(radius * 2 + 24, rows * 18 + 24);
    var svg = svgRoot(host, width, height, title);
    var total = d3.sum(data, function (d) { return d.value; }) || 1;
    var color = d3.scaleOrdinal().domain(data.map(function (d) { return d.label; }))
      .range(PALETTE.concat(["#8c6d31", "#31708e", "#b03a2e", "#5d6d7e", "#117864", "#af601a"]));
    var g = svg.append("g").attr("transform", "translate(" + (radius + 12) + "," + (radius + 12) + ")");
    var arcs = d3.pie().sort(null).value(function (d) { return d.value; })(data);
    g.selectAll("path").data(arcs).enter().append("path")
      .attr("d", d3.arc().innerRadius(radius * 0.45).outerRadius(radius))
      .attr("fill", function (d) { return color(d.data.label); })
      .attr("stroke", "#ffffff").attr("stroke-width", 1.5)
      .append("title").text(function (d) {
        return d.data.label + ": " + number(d.data.value, spec) + " (" + locale.format(",.1f")(d.data.value / total * 100) + "%)";
      });
    var items = data.map(function (d) {
      return { label: d.label + " (" + locale.format(",.1f")(d.value / total * 100) + "%)", color: color(d.label) };
    });
    if (narrow) { legend(svg, items, 12, radius * 2 + 28, legendWidth); }
    else {
      var lg = svg.append("g").attr("transform", "translate(" + (radius * 2 + 40) + ",16)");
      items.forEach(function (item, i) {
        lg.append("rect").attr("y", i * 18).attr("width", 12).attr("height", 12).attr("fill", item.color);
        lg.append("text").attr("x", 16).attr("y", i * 18 + 10).attr("fill", "#1f2933").text(item.label);
      });
    }
    return svg.node();
  }

  function drawMap(host, spec, geo) {
    var width = Math.max(320, Math.min(host.clientWidth || 640, 900));
    var narrow = width < 560;
    var features = geo.features;
    if (spec.focus) {  /* the kecamatan of one kabupaten/kota: show only it */
      features = features.filter(function (f) { return f.properties.kode.indexOf(spec.focus + ".") === 0; });
      geo = { type: "FeatureCollection", features: features };
    }
    var values = spec.values || {};
    var known = features.map(function (f) { return values[f.properties.kode]; })
      .filter(function (v) { return v !== null && v !== undefined; });
    var legendH = 56;
    var height = narrow ? Math.round(width * 1.0) + legendH : Math.round(width * 0.72) + legendH;
    var svg = svgRoot(host, width, height, spec.title || spec.value_title || "");
    var projection = d3.geoMercator().fitSize([width - 16, height - legendH - 16], geo);
    var path = d3.geoPath(projection);
    var extent = d3.extent(known);
    var scale = d3.scaleQuantize().domain(extent[0] === undefined ? [0, 1] : (extent[0] === extent[1]
      ? [extent[0] - 1, extent[1] + 1] : extent)).range(RAMP);
    var g = svg.append("g").attr("transform", "translate(8,8)");
    g.selectAll("path").data(features).enter().append("path")
      .attr("d", path)
      .attr("fill", function (f) {
        var v = values[f.properties.kode];
        return v === null || v === undefined ? NO_DATA : scale(v);
      })
      .attr("stroke", "#ffffff").attr("stroke-width", 0.8)
      .append("title").text(function (f) {
        var v = values[f.properties.kode];
        return f.properties.nama + " (" + f.properties.kode + "): " +
          (v === null || v === undefined ? TEXT.noData : number(v, spec));
      });
    if (features.length <= 40) {
      g.selectAll("text").data(features).enter().append("text")
        .attr("x", function (f) { return projection([f.properties.lng, f.properties.lat])[0]; })
        .attr("y", function (f) { return projection([f.properties.lng, f.properties.lat])[1]; })
        .attr("text-anchor", "middle").attr("font-size", narrow ? 9 : 10).attr("fill", "#1f2933")
        .attr("paint-order", "stroke").attr("stroke", "#ffffff").attr("stroke-width", 2.5)
        .attr("pointer-events", "none")
        .text(function (f) { return f.properties.nama.replace(/^(Kabupaten|Kota Administrasi) /, ""); });
    }
    var lg = svg.append("g").attr("transform", "translate(12," + (height - legendH + 6) + ")");
    lg.append("text").attr("y", 10).attr("fill", "#1f2933").attr("font-weight", 700)
      .text((spec.value_title || TEXT.legend) + (spec.unit && !spec.percent ? " (" + spec.unit + ")" : ""));
    var boxW = Math.min(90, (width - 40) / (RAMP.length + 1));
    RAMP.forEach(function (c, i) {
      var range = scale.invertExtent(c);
      lg.append("rect").attr("x", i * boxW).attr("y", 18).attr("width", boxW - 2).attr("height", 12).attr("fill", c);
      lg.append("text").attr("x", i * boxW).attr("y", 44).attr("font-size", 10).attr("fill", "#1f2933")
        .text(short(range[0], spec));
    });
    lg.append("rect").attr("x", RAMP.length * boxW + 8).attr("y", 18).attr("width", 12).attr("height", 12)
      .attr("fill", NO_DATA);
    lg.append("text").attr("x", RAMP.length * boxW + 24).attr("y", 28).attr("font-size", 10).attr("fill", "#1f2933")
      .text(TEXT.noData);
    return svg.node();
  }

  function slug(text) {
    return String(text || "grafik").toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "").slice(0, 60) || "grafik";
  }

  function serialize(svgNode) {
    var copy = svgNode.cloneNode(true);
    copy.setAttribute("width", svgNode.viewBox.baseVal.width);
    copy.setAttribute("height", svgNode.viewBox.baseVal.height);
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + new XMLSerializer().serializeToString(copy);
  }

  function save(blob, name) {
    var url = URL.createObjectURL(blob);
    var a = document.createElement("a");
    a.href = url;
    a.download = name;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
  }

  function downloads(host, svgNode, name) {
    var bar = document.createElement("p");
    bar.className = "viz-downloads";
    function button(text, kind, onClick) {
      var b = document.createElement("button");
      b.type = "button";
      b.className = "button button-secondary button-small";
      b.textContent = text;
      b.setAttribute("data-download", kind);
      b.addEventListener("click", onClick);
      return b;
    }
    var svgButton = button(TEXT.svg, "svg", function () {
      save(new Blob([serialize(svgNode)], { type: "image/svg+xml" }), name + ".svg");
    });
    var pngButton = button(TEXT.png, "png", function () {
      var w = svgNode.viewBox.baseVal.width, h = svgNode.viewBox.baseVal.height, ratio = 2;
      var img = new Image();
      img.onload = function () {
        var canvas = document.createElement("canvas");
        canvas.width = w * ratio;
        canvas.height = h * ratio;
        var ctx = canvas.getContext("2d");
        ctx.fillStyle = "#ffffff";
        ctx.fillRect(0, 0, canvas.width, canvas.height);
        ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
        canvas.toBlob(function (blob) { save(blob, name + ".png"); }, "image/png");
      };
      img.src = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(serialize(svgNode));
    });
    bar.appendChild(svgButton);
    bar.appendChild(pngButton);
    host.parentNode.insertBefore(bar, host.nextSibling);
  }

  function render(host) {
    var specEl = document.getElementById(host.getAttribute("data-viz"));
    if (!specEl || !window.d3) { return; }
    var spec;
    try { spec = JSON.parse(specEl.textContent); } catch (e) { return; }
    if (!spec) { return; }
    var name = slug(host.getAttribute("data-name") || spec.title);
    host.hidden = false;  /* shown before drawing: a hidden host has no width to fit the drawing to */
    var done = function (node) {
      if (!node) { host.hidden = true; return; }
      host.setAttribute("data-drawn", "true");
      if (!host.hasAttribute("data-no-downloads")) { downloads(host, node, name); }
    };
    if (spec.type === "map") {
      fetch(spec.boundary, { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
        .then(function (geo) { done(drawMap(host, spec, geo)); })
        .catch(function () { host.hidden = true; });
      return;
    }
    if (!spec.labels || !spec.series || !spec.series.length) { host.hidden = true; return; }
    done(drawChart(host, spec));
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-viz]"), render);
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); }
  else { init(); }
}());
