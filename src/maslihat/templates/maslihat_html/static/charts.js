// Draw every chart of the page with the Vega bundle inlined above (window.vegaEmbed), as SVG.
// When all are drawn (or failed), <html data-charts="drawn N/M"> tells printers and tests; a
// failed chart's figure has class maslihat-chart-failed and its error in data-error. A chart that
// draws but is wrong (its Vega view warned, e.g. of a field its data lacks, or it drew no mark)
// has class maslihat-chart-wrong and what went wrong in data-problem, naming the chart.
// A chart's "Chart (SVG)" and "Chart (PNG)" links are made on click by its Vega view, offline.
const FONT = "DejaVu Sans, sans-serif";
const SMALLEST = 0.7; // a chart shrinks to fit a narrow screen down to this scale, then scrolls

function offerImages(figure, view) {
  for (const link of figure.querySelectorAll("a.maslihat-image")) {
    link.addEventListener("click", async (event) => {
      if (link.dataset.ready) return; // the image is made: let the browser download it
      event.preventDefault();
      link.href = await view.toImageURL(link.dataset.format, link.dataset.format === "png" ? 2 : 1);
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

// A Vega logger that keeps the warnings and errors of one chart's view (and still writes them to
// the console): "Infinite extent for field …" is how Vega says that a field is not in the data.
function keptWarnings(messages) {
  let level = 2; // Vega's Warn
  const logger = {
    level(value) {
      if (!arguments.length) return level;
      level = value;
      return logger;
    },
    error(...args) {
      messages.push(args.map(String).join(" "));
      console.error(...args);
      return logger;
    },
    warn(...args) {
      messages.push(args.map(String).join(" "));
      console.warn(...args);
      return logger;
    },
    info: () => logger,
    debug: () => logger,
  };
  return logger;
}

// Vega's View class, as vega-embed makes its views (the bundle does not export Vega itself):
// taken from a view of an empty chart, drawn once.
let vegaView;
async function viewClass() {
  if (!vegaView) {
    const probe = await window.vegaEmbed(document.createElement("div"), { mark: "point" }, {
      actions: false, renderer: "none",
    });
    vegaView = probe.view.constructor;
    probe.finalize();
  }
  return vegaView;
}

// A View class for vega-embed whose views log to `messages`.
async function viewLoggingTo(messages) {
  const View = await viewClass();
  return class extends View {
    constructor(runtime, options) {
      super(runtime, { ...options, logger: keptWarnings(messages) });
    }
  };
}

// How many data marks (bars, dots, shapes, text, rules: not axes, legends or titles) a view drew.
function marksDrawn(node) {
  let count = 0;
  for (const item of node.items || []) {
    if (node.role === "mark" && node.marktype !== "group") count += 1;
    for (const child of item.items || []) count += marksDrawn(child);
  }
  return count;
}

// What a chart is called in a message: "chart 2 of 5 (“Turnout by region at 22:00”)".
function chartName(figure, spec) {
  const title = spec.title && (spec.title.text ?? spec.title);
  const text = [title].flat().filter(Boolean).join(" ") || figure.getAttribute("aria-label") || "";
  const number = `chart ${figures.indexOf(figure) + 1} of ${figures.length}`;
  return text ? `${number} (“${text.length > 80 ? `${text.slice(0, 79)}…` : text}”)` : number;
}

function markWrong(figure, spec, problems) {
  const problem = `${chartName(figure, spec)}: ${problems.join("; ")}`;
  figure.classList.add("maslihat-chart-wrong");
  figure.dataset.problem = problem;
  const note = document.createElement("p");
  note.className = "maslihat-chart-problem";
  note.textContent = `This chart is wrong: ${problems.join("; ")}`;
  figure.querySelector(".maslihat-chart-view").after(note);
}

async function draw(figure) {
  const view = figure.querySelector(".maslihat-chart-view");
  try {
    const parsed = JSON.parse(figure.querySelector(".maslihat-chart-spec").textContent);
    const { options } = parsed;
    const spec = fitScreen(parsed.spec);
    const config = { font: FONT, ...(options.config || {}) };
    const warnings = [];
    const result = await window.vegaEmbed(view, spec, {
      ...options, config, renderer: "svg", actions: false, viewClass: await viewLoggingTo(warnings),
    });
    const problems = warnings.map((warning) => `Vega warned: ${warning}`);
    if (!marksDrawn(result.view.scenegraph().root)) problems.push("it draws nothing (no data?)");
    if (problems.length) markWrong(figure, parsed.spec, [...new Set(problems)]);
    keepReadable(view);
    offerImages(figure, result.view);
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
