/*
 * The dashboard's charts (templates/relance/home.html), drawn with the vendored Chart.js.
 *
 * The data comes from the page itself: {{ charts|json_script:"dashboard-data" }}, a
 * <script type="application/json"> that is never executed. Each <canvas data-chart="KEY">
 * draws data[KEY]: labels, datasets (label, data, color, border) and links (per dataset,
 * per bar: the filtered project or milestone list a click opens). Nothing here is inline
 * in the page, so that the Content-Security-Policy allows no inline script or style.
 */
(function () {
  "use strict";

  function ready(callback) {
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", callback);
    } else {
      callback();
    }
  }

  // Filters apply as soon as one changes; the button stays for those without JavaScript.
  function autosubmit() {
    document.querySelectorAll("form[data-autosubmit]").forEach(function (form) {
      form.addEventListener("change", function () {
        if (form.requestSubmit) {
          form.requestSubmit();
        } else {
          form.submit();
        }
      });
    });
  }

  function numberFormat(locale, digits) {
    return new Intl.NumberFormat(locale, { maximumFractionDigits: digits });
  }

  var FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';
  var INK = "#1d1d1b";
  var MUTED = "#5f5f5a";
  var GRID = "#e8e8e3";

  // Over the rounds the bars stand upright; money is never stacked. moneyHistory is a
  // project's money per closed round (templates/public/_project.html), in euro.
  function options(spec, kind, locale) {
    var overRounds = kind === "statusHistory" || kind === "moneyHistory";
    var horizontal = !overRounds;
    var money = kind === "money" || kind === "moneyHistory";
    var stacked = !money;
    var format = numberFormat(locale, kind === "money" ? 1 : 0);
    var valueAxis = {
      stacked: stacked,
      beginAtZero: true,
      grid: { color: GRID },
      border: { display: false },
      ticks: {
        color: MUTED,
        callback: function (value) {
          return format.format(value);
        },
      },
      title: { display: true, text: spec.axis, color: MUTED },
    };
    var categoryAxis = {
      stacked: stacked,
      grid: { display: false },
      ticks: { color: INK, autoSkip: false },
    };
    return {
      indexAxis: horizontal ? "y" : "x",
      responsive: true,
      maintainAspectRatio: false,
      animation: { duration: 400 },
      locale: locale,
      font: { family: FONT },
      interaction: { mode: "nearest", intersect: true },
      scales: horizontal ? { x: valueAxis, y: categoryAxis } : { x: categoryAxis, y: valueAxis },
      plugins: {
        legend: {
          position: "bottom",
          labels: { color: INK, boxWidth: 14, boxHeight: 14, padding: 12 },
        },
        tooltip: {
          callbacks: {
            label: function (context) {
              var value = horizontal ? context.parsed.x : context.parsed.y;
              var text = context.dataset.label + ": " + format.format(value);
              return money ? text + " " + spec.unit : text;
            },
          },
        },
      },
      onClick: function (event, elements) {
        if (!elements.length) {
          return;
        }
        var links = spec.links && spec.links[elements[0].datasetIndex];
        var link = links && links[elements[0].index];
        if (link) {
          window.location.assign(link);
        }
      },
      onHover: function (event, elements) {
        event.native.target.style.cursor = elements.length && spec.links ? "pointer" : "default";
      },
    };
  }

  function draw(canvas, spec, kind, locale) {
    var datasets = spec.datasets.map(function (dataset) {
      return {
        label: dataset.label,
        data: dataset.data,
        backgroundColor: dataset.color,
        borderColor: dataset.border,
        borderWidth: 1,
        maxBarThickness: kind === "statusHistory" ? 64 : kind === "moneyHistory" ? 40 : 26,
      };
    });
    // A narrow screen (a phone) gets the short labels, if the chart has them.
    var narrow = spec.shortLabels && canvas.parentElement.clientWidth < 420;
    return new window.Chart(canvas, {
      type: "bar",
      data: { labels: narrow ? spec.shortLabels : spec.labels, datasets: datasets },
      options: options(spec, kind, locale),
    });
  }

  ready(function () {
    autosubmit();
    var source = document.getElementById("dashboard-data");
    if (!source || !window.Chart) {
      return;
    }
    var data = JSON.parse(source.textContent);
    var locale = document.documentElement.lang || "nl";
    window.Chart.defaults.font.family = FONT;
    window.Chart.defaults.color = INK;
    document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      var kind = canvas.dataset.chart;
      if (data[kind]) {
        draw(canvas, data[kind], kind, locale);
      }
    });
  });
})();
