// Dashboard charts: draws every <figure class="chart"> (templates/_macros/charts.html) with
// Apache ECharts, vendored in static/vendor/echarts-6.1.0 and loaded before this file, both
// with defer. Everything runs under the strict Content-Security-Policy:
// - the canvas renderer draws the chart, and the tooltip is drawn on the canvas as well
//   (renderMode 'richText'): ECharts' HTML tooltip writes style attributes, which the
//   policy blocks;
// - ECharts itself only sets element.style properties from script (CSSOM), which the policy
//   allows;
// - a click on a point follows its link with location.assign (same origin only).
// The canvas is aria-hidden: the figure's table, rendered by the server, carries the same
// numbers and links for keyboard and screen reader users. Without this script (or without
// ECharts) the canvas stays hidden and the table is all there is.
(function () {
  "use strict";

  // Okabe-Ito, the yellow last (it is faint on white) and grey for black.
  var PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00",
    "#F0E442", "#7F7F7F"];
  var TEXT = "#373c44";   // Pico's light theme text and muted text
  var MUTED = "#646b79";
  var RULE = "#e7eaf0";
  var AXIS = "#b3b9c5";

  var lang = document.documentElement.lang || "en";

  function numberFormat(options) {
    try {
      return new Intl.NumberFormat(lang, options);
    } catch (e) {
      return new Intl.NumberFormat("en", options);
    }
  }

  var decimal = numberFormat({ maximumFractionDigits: 3 });  // as Babel's format_decimal
  var percent = numberFormat({ style: "percent", maximumFractionDigits: 0 });

  function formatter(unit) {
    var suffix = unit === "%" ? "%" : (unit ? " " + unit : "");
    return function (value) {
      if (value === null || value === undefined || value === "" || isNaN(value)) {
        return "—";
      }
      return decimal.format(value) + suffix;
    };
  }

  // A link of the same origin, or null: the spec is the server's, but a click never
  // leaves the site nor runs a javascript: URL.
  function safeLink(href) {
    if (!href) { return null; }
    try {
      var url = new URL(href, window.location.href);
      return url.origin === window.location.origin ? url.href : null;
    } catch (e) {
      return null;
    }
  }

  function readSpec(canvas) {
    var id = canvas.getAttribute("data-chart-id");
    var holder = document.getElementById("chart-data-" + id);  // a JSON script, if a page has one
    var text = holder ? holder.textContent : canvas.getAttribute("data-chart-spec");
    try {
      return JSON.parse(text || "null");
    } catch (e) {
      return null;
    }
  }

  function hasData(spec) {
    return (spec.series || []).some(function (s) {
      return (s.data || []).some(function (v) { return v !== null && v !== undefined && v !== 0; });
    });
  }

  // Each point as an item that keeps its link: click and cursor read it from there, so
  // they hold whatever ECharts does to the order (a pie leaves its empty slices out).
  function items(series, categories) {
    var links = series.links || [];
    return categories.map(function (name, i) {
      var value = (series.data || [])[i];
      return { name: name, value: value === undefined ? null : value, link: safeLink(links[i]) };
    });
  }

  function maxValue(spec) {
    var max = 0;
    (spec.series || []).forEach(function (s) {
      (s.data || []).forEach(function (v) { if (v > max) { max = v; } });
    });
    return max;
  }

  function allWhole(spec) {
    return (spec.series || []).every(function (s) {
      return (s.data || []).every(function (v) { return v === null || v === undefined || v % 1 === 0; });
    });
  }

  function tooltip(fmt, trigger, pointer) {
    return {
      trigger: trigger,
      renderMode: "richText",
      confine: true,
      valueFormatter: fmt,
      backgroundColor: "#ffffff",
      borderColor: AXIS,
      borderWidth: 1,
      padding: [6, 10],
      textStyle: { color: TEXT, fontSize: 13 },
      axisPointer: pointer ? { type: pointer, shadowStyle: { color: "rgba(100, 107, 121, 0.08)" } } : undefined
    };
  }

  function axisOption(spec, fmt) {
    var categories = spec.categories || [];
    var series = spec.series || [];
    var horizontal = spec.type === "hbar";
    var line = spec.type === "line";
    var legend = series.length > 1;
    var categoryAxis = {
      type: "category",
      data: categories,
      inverse: horizontal,  // the first category on top, as in the table
      boundaryGap: !line,
      axisTick: { alignWithLabel: true, lineStyle: { color: AXIS } },
      axisLine: { lineStyle: { color: AXIS } },
      axisLabel: { color: MUTED, hideOverlap: true }
    };
    var valueAxis = {
      type: "value",
      minInterval: allWhole(spec) ? 1 : 0,
      axisLabel: { color: MUTED, formatter: fmt },
      splitLine: { lineStyle: { color: RULE } }
    };
    return {
      legend: legend ? {
        type: "scroll", top: 0, left: 0, icon: "roundRect", itemWidth: 12, itemHeight: 12,
        textStyle: { color: TEXT }
      } : undefined,
      grid: { left: 4, right: line ? 24 : 16, top: legend ? 36 : 12, bottom: 4 },
      tooltip: tooltip(fmt, "axis", line ? "line" : "shadow"),
      xAxis: horizontal ? valueAxis : categoryAxis,
      yAxis: horizontal ? categoryAxis : valueAxis,
      series: series.map(function (s) {
        var one = {
          name: s.name,
          type: line ? "line" : "bar",
          data: items(s, categories),
          emphasis: { focus: "series" }
        };
        if (line) {
          one.symbol = "circle";
          one.symbolSize = 7;
          one.lineStyle = { width: 2.5 };
        } else {
          one.barMaxWidth = horizontal ? 28 : 40;
          one.itemStyle = { borderRadius: horizontal ? [0, 3, 3, 0] : [3, 3, 0, 0] };
        }
        if (spec.type === "stacked") {
          one.stack = "total";
          one.itemStyle = { borderRadius: 0 };
        }
        return one;
      })
    };
  }

  function pieOption(spec, fmt) {
    var s = (spec.series || [])[0] || {};
    return {
      tooltip: tooltip(fmt, "item"),
      series: [{
        name: s.name,
        type: "pie",
        radius: ["42%", "70%"],
        center: ["50%", "52%"],
        avoidLabelOverlap: true,
        itemStyle: { borderColor: "#ffffff", borderWidth: 2 },
        label: {
          color: TEXT,
          formatter: function (p) { return p.name + "\n" + fmt(p.value) + " · " + percent.format(p.percent / 100); }
        },
        labelLine: { lineStyle: { color: AXIS } },
        data: items(s, spec.categories || []).filter(function (item) { return item.value > 0; })
      }],
      // A narrow box keeps room for the labels around a smaller ring.
      media: [{
        query: { maxWidth: 480 },
        option: { series: [{ radius: ["30%", "50%"], labelLine: { length: 6, length2: 6 } }] }
      }]
    };
  }

  function funnelOption(spec, fmt) {
    var s = (spec.series || [])[0] || {};
    return {
      tooltip: tooltip(fmt, "item"),
      series: [{
        name: s.name,
        type: "funnel",
        sort: "none",  // the stages in the server's order
        min: 0,
        max: maxValue(spec),
        minSize: "8%",
        left: "4%",
        right: "36%",
        top: 8,
        bottom: 8,
        gap: 2,
        itemStyle: { borderColor: "#ffffff", borderWidth: 1 },
        label: {
          position: "right",
          color: TEXT,
          formatter: function (p) { return p.name + "  " + fmt(p.value); }
        },
        labelLine: { lineStyle: { color: AXIS } },
        data: items(s, spec.categories || [])
      }]
    };
  }

  function option(spec, fontFamily) {
    var fmt = formatter(spec.unit);
    var base = {
      color: PALETTE,
      animationDuration: 300,
      aria: { enabled: false },  // the table speaks for the chart
      textStyle: { fontFamily: fontFamily, color: TEXT }
    };
    var own;
    if (!hasData(spec)) {
      own = {
        title: {
          text: spec.empty || "", left: "center", top: "middle",
          textStyle: { color: MUTED, fontWeight: "normal", fontSize: 14, fontFamily: fontFamily }
        }
      };
    } else if (spec.type === "pie") {
      own = pieOption(spec, fmt);
    } else if (spec.type === "funnel") {
      own = funnelOption(spec, fmt);
    } else {
      own = axisOption(spec, fmt);
    }
    Object.keys(own).forEach(function (key) { base[key] = own[key]; });
    return base;
  }

  function draw(canvas) {
    var spec = readSpec(canvas);
    var figure = canvas.closest("figure") || canvas.parentNode;
    if (!spec || !window.echarts) { return; }
    figure.classList.add("chart-live");  // shows the canvas (charts.css) before it is measured
    var chart = window.echarts.init(canvas, null, {
      renderer: "canvas",
      locale: lang.indexOf("zh") === 0 ? "ZH" : "EN"
    });

    // The pointer over a point with a link, the arrow over any other. zrender sets the
    // cursor just before it passes the move on, so this has the last word.
    chart.on("mousemove", function (p) {
      chart.getZr().setCursorStyle(p.data && p.data.link ? "pointer" : "default");
    });
    chart.on("click", function (p) {
      if (p.data && p.data.link) {
        window.location.assign(p.data.link);
      }
    });

    // Drawn, animations done: the figure says so (the browser tests wait for it).
    chart.on("finished", function () {
      figure.setAttribute("data-chart-drawn", "");
    });

    chart.setOption(option(spec, window.getComputedStyle(figure).fontFamily));

    if (window.ResizeObserver) {
      var pending = false;
      new ResizeObserver(function () {
        if (pending) { return; }
        pending = true;
        window.requestAnimationFrame(function () {
          pending = false;
          chart.resize();
        });
      }).observe(canvas);
    } else {
      window.addEventListener("resize", function () { chart.resize(); });
    }
  }

  function drawAll() {
    document.querySelectorAll(".chart-canvas[data-chart-id]").forEach(draw);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
})();
