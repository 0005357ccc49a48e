// Draw every chart of the page with the Vega bundle inlined above (window.vegaEmbed), as SVG.
// When all are drawn (or failed), <html data-charts="drawn N/M"> tells printers and tests; a
// failed chart's figure has class maslihat-chart-failed and its error in data-error.
// A chart's "Chart (SVG)" and "Chart (PNG)" links are made on click by its Vega view, offline.
const FONT = "DejaVu Sans, sans-serif";
const SMALLEST = 0.7; // a chart shrinks to fit a narrow screen down to this scale, then scrolls

// The page shows a chart's title in its caption; its image is made from the whole spec, title too.
async function imageView(view, full, config, options) {
  if (!full) return view;
  const box = document.createElement("div");
  const result = await window.vegaEmbed(box, full, { ...options, config, renderer: "svg", actions: false });
  return result.view;
}

function offerImages(figure, view, full, config, options) {
  for (const link of figure.querySelectorAll("a.maslihat-image")) {
    link.addEventListener("click", async (event) => {
      if (link.dataset.ready) return; // the image is made: let the browser download it
      event.preventDefault();
      const source = await imageView(view, full, config, options);
      link.href = await source.toImageURL(link.dataset.format, link.dataset.format === "png" ? 2 : 1);
      link.dataset.ready = "1";
      link.click();
    });
  }
}

function keepReadable(view) {
  const svg = view.querySelector("svg");
  const width = svg && parseFloat(svg.getAttribute("width"));
  if (width) svg.style.minWidth = `${Math.round(width * SMALLEST)}px`;
}

const NARROW = window.matchMedia("(max-width: 600px)"); // phones; never an A4 page being printed

// On a phone a chart takes the width of the screen: its plot narrows, its text keeps its size.
// Faceted charts (one small chart per row) keep their width, shrink to SMALLEST, then scroll.
function fitScreen(spec) {
  if (!NARROW.matches || spec.facet || spec.spec) return spec;
  const fitted = { ...spec, width: "container", autosize: { type: "fit-x", contains: "padding" } };
  if (fitted.layer) fitted.layer = fitted.layer.map(({ width, ...layer }) => layer);
  return fitted;
}

async function draw(figure) {
  const view = figure.querySelector(".maslihat-chart-view");
  try {
    const parsed = JSON.parse(figure.querySelector(".maslihat-chart-spec").textContent);
    const { options } = parsed;
    const spec = fitScreen(parsed.spec);
    const config = { font: FONT, ...(options.config || {}) };
    const result = await window.vegaEmbed(view, spec, {
      ...options, config, renderer: "svg", actions: false,
    });
    keepReadable(view);
    offerImages(figure, result.view, parsed.full, config, options);
    return true;
  } catch (error) {
    view.textContent = `This chart could not be drawn: ${error}`;
    figure.classList.add("maslihat-chart-failed");
    figure.dataset.error = String(error);
    for (const link of figure.querySelectorAll("a.maslihat-image")) link.remove();
    return false;
  }
}

const figures = [...document.querySelectorAll("figure.maslihat-chart")];
Promise.all(figures.map(draw)).then((results) => {
  const drawn = results.filter(Boolean).length;
  document.documentElement.dataset.charts = `drawn ${drawn}/${figures.length}`;
});
