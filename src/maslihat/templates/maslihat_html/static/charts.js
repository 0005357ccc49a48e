// Draw every chart of the page with the Vega bundle inlined above (window.vegaEmbed), as SVG.
// When all are drawn (or failed), <html data-charts="drawn N/M"> tells printers and tests; a
// failed chart's figure has class maslihat-chart-failed and its error in data-error. A chart that
// draws but is wrong (its Vega view warned, e.g. of a field its data lacks, or it drew no mark)
// has class maslihat-chart-wrong and what went wrong in data-problem, naming the chart.
// A chart's "Chart (SVG)" and "Chart (PNG)" links are made on click by its Vega view, offline.
// For print, a chart of rows of panels taller than most of a page is cut into one piece per row,
// between panels, and a heading is kept with its chart only where both fit on a page.
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

// A chart shrinks no further than SMALLEST; one still wider than its box scrolls, and a box
// that scrolls can be reached from the keyboard to scroll it (tab, then the arrow keys).
function keepReadable(view) {
  const svg = view.querySelector("svg");
  const width = svg && parseFloat(svg.getAttribute("width"));
  if (width) svg.style.minWidth = `${Math.round(width * SMALLEST)}px`;
  if (view.scrollWidth > view.clientWidth) view.tabIndex = 0;
}

const NARROW = window.matchMedia("(max-width: 600px)"); // phones; never an A4 page being printed

// On a phone a chart takes the width of the screen: its plot narrows, its text keeps its size.
// Faceted charts (one small chart per row), maps (their places' names are placed for the map's
// width: narrower, they run into each other) and charts whose text is placed for their width
// (usermeta.keepWidth: a scatter's names) keep their width, shrink to SMALLEST, then scroll.
// Drawn without a background, so that a chart wider than the screen shows the shadow of its
// scrolling box (report.css) where more of it is hidden.
function fitScreen(spec) {
  if (!NARROW.matches) return spec;
  const clear = { ...spec, background: "transparent" };
  if (spec.facet || spec.spec || spec.projection || spec.usermeta?.keepWidth) return clear;
  // room on the right for the labels at the bars' ends, which Vega's fit measures a few pixels
  // short in some fonts' digits ("75,5")
  const fitted = {
    ...clear, width: "container", autosize: { type: "fit-x", contains: "padding" },
    padding: { top: 5, bottom: 5, left: 5, right: 12 },
  };
  if (fitted.layer) fitted.layer = fitted.layer.map(({ width, ...layer }) => layer);
  return fitted;
}

// On a phone an axis title across the chart longer than about half the screen is set on several
// lines, so it is not cut off at the screen's edge: a patch of the compiled Vega spec (vega-embed's
// `patch`), where each axis has its one title.
const TITLE_CHARACTER = 7; // px: the average width of a character of an axis title (11 px bold)
function wrapAxisTitles(screenWidth) {
  const most = Math.max(12, Math.floor(screenWidth / 2 / TITLE_CHARACTER));
  const wrap = (text) => {
    const lines = [];
    for (const word of text.split(" ")) {
      const last = lines.length - 1;
      if (last >= 0 && (lines[last] + " " + word).length <= most) lines[last] += ` ${word}`;
      else lines.push(word);
    }
    return lines;
  };
  const visit = (node) => {
    if (!node || typeof node !== "object") return;
    for (const axis of node.axes || []) {
      if (["bottom", "top"].includes(axis.orient) && typeof axis.title === "string"
          && axis.title.length > most) axis.title = wrap(axis.title);
    }
    for (const child of node.marks || []) visit(child);
  };
  return (vgSpec) => {
    visit(vgSpec);
    return vgSpec;
  };
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
  // the title is the figure's caption (taken out of the drawn chart), or still in the spec
  const caption = figure.querySelector(".maslihat-caption-text")?.textContent;
  const title = caption || (spec.title && (spec.title.text ?? spec.title));
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
  // drawn already: the election book's printed page holds its reports' charts as they were drawn
  if (view.querySelector(":scope > svg")) return true;
  try {
    const parsed = JSON.parse(figure.querySelector(".maslihat-chart-spec").textContent);
    const { options } = parsed;
    const spec = fitScreen(parsed.spec);
    const config = { font: FONT, ...(options.config || {}) };
    const warnings = [];
    const result = await window.vegaEmbed(view, spec, {
      ...options, config, renderer: "svg", actions: false, viewClass: await viewLoggingTo(warnings),
      ...(NARROW.matches ? { patch: wrapAxisTitles(view.clientWidth) } : {}),
    });
    const problems = warnings.map((warning) => `Vega warned: ${warning}`);
    if (!marksDrawn(result.view.scenegraph().root)) problems.push("it draws nothing (no data?)");
    if (problems.length) markWrong(figure, parsed.spec, [...new Set(problems)]);
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

// Printing: the text area of an A4 page with report.css's margins, in CSS pixels.
const PAGE = { width: ((210 - 32) * 96) / 25.4, height: ((297 - 38) * 96) / 25.4 };
const FULL = 0.95; // the share of a page a chart and its heading may fill and still be kept
const PRINT_TEXT = 14 / 15; // print text is 10.5 pt (14 px) against 15 px on the screen

// How tall a drawn chart is on the printed page (it shrinks to the page's width).
function printedHeight(svg) {
  const width = parseFloat(svg.getAttribute("width"));
  return parseFloat(svg.getAttribute("height")) * Math.min(1, PAGE.width / width);
}

// The top and bottom (in the SVG's units) of each element, as drawn.
function extents(svg, elements) {
  const box = svg.getBoundingClientRect();
  const unit = parseFloat(svg.getAttribute("height")) / box.height;
  return elements.map((element) => {
    const { top, bottom } = element.getBoundingClientRect();
    return [(top - box.top) * unit, (bottom - box.top) * unit];
  });
}

// Where to cut a faceted chart between its rows of panels: halfway between one row's bottom and
// the next row's top (a row: the panels that start at one height). [] when it has one row.
function cutsBetweenRows(svg) {
  const cells = svg.querySelectorAll(".root g.mark-group.role-scope.cell > g");
  const rows = [];
  for (const [top, bottom] of extents(svg, [...cells])) {
    const row = rows.find((r) => Math.abs(r[0] - top) < 1);
    if (row) row[1] = Math.max(row[1], bottom);
    else rows.push([top, bottom]);
  }
  rows.sort((a, b) => a[0] - b[0]);
  return rows.slice(1).map(([top], i) => (Math.min(rows[i][1], top) + top) / 2);
}

// One SVG per band between the cuts: the chart's own drawing, cropped to the band, holding only
// the parts (panels, their headers, the title, the axis) that lie in it.
function piecesOf(svg, cuts) {
  const width = parseFloat(svg.getAttribute("width"));
  const height = parseFloat(svg.getAttribute("height"));
  const parts = ".root > g > g > .mark-group > g";
  const places = extents(svg, [...svg.querySelectorAll(parts)]);
  const edges = [0, ...cuts, height];
  return edges.slice(1).map((bottom, i) => {
    const top = edges[i];
    const piece = svg.cloneNode(true);
    [...piece.querySelectorAll(parts)].forEach((part, k) => {
      const [from, to] = places[k];
      if (to <= top + 0.5 || from >= bottom - 0.5) part.remove();
    });
    piece.setAttribute("viewBox", `0 ${top} ${width} ${bottom - top}`);
    piece.setAttribute("height", bottom - top);
    piece.setAttribute("aria-hidden", "true");
    piece.removeAttribute("aria-label");
    piece.removeAttribute("role");
    const holder = document.createElement("div");
    holder.className = "maslihat-chart-piece";
    holder.append(piece);
    return holder;
  });
}

// The description, source line and downloads of the chart that ends a block kept on one page
// follow the block, outside it: the page may break before them. (Held in the block, they would
// push it whole to the next page, where it may not have needed to go.)
function releaseTail(figure, kept) {
  // only the tail of what ends the block: nothing follows the figure in the block's last cell
  for (let node = figure; node !== kept; node = node.parentElement) {
    let next = node.nextElementSibling;
    while (next && next.tagName === "SCRIPT") next = next.nextElementSibling;
    if (next) return;
  }
  const parts = figure.querySelectorAll(
    ":scope > .maslihat-chart-description, :scope > .maslihat-source, :scope > .maslihat-downloads",
  );
  if (!parts.length) return;
  const tail = document.createElement("div");
  tail.className = "maslihat-chart-tail";
  tail.append(...parts);
  kept.after(tail);
}

// For print: a chart that, with the heading and paragraphs kept with it (exporters.
// keep_headings_with_charts), fits on a page is kept whole with them. One that does not would
// leave the page before it blank and be cut anyway: the heading lets it go, and a chart of rows
// of panels is cut into pieces, pages breaking between panels.
function paginate(figure) {
  const svg = figure.querySelector(".maslihat-chart-view svg");
  if (!svg) return;
  const kept = figure.closest(".maslihat-keep");
  if (kept) releaseTail(figure, kept);
  const text = kept
    ? (kept.getBoundingClientRect().height - svg.getBoundingClientRect().height) * PRINT_TEXT
    : 0;
  if (text + printedHeight(svg) <= FULL * PAGE.height) return;
  if (kept) {
    kept.classList.remove("maslihat-keep");
    kept.classList.add("maslihat-keep-released");
  }
  const cuts = cutsBetweenRows(svg);
  if (!cuts.length) {
    figure.classList.add("maslihat-chart-tall"); // one drawing taller than a page: it breaks
    return;
  }
  const pieces = document.createElement("div");
  pieces.className = "maslihat-chart-pieces";
  pieces.setAttribute("aria-hidden", "true");
  pieces.append(...piecesOf(svg, cuts));
  figure.querySelector(".maslihat-chart-view").after(pieces);
  figure.classList.add("maslihat-chart-split");
}

const figures = [...document.querySelectorAll("figure.maslihat-chart")];
Promise.all(figures.map(draw)).then((results) => {
  for (const figure of figures) {
    try {
      paginate(figure);
    } catch (error) {
      console.warn(`maslihat: printing of ${chartName(figure, {})} left as it is: ${error}`);
    }
  }
  const drawn = results.filter(Boolean).length;
  document.documentElement.dataset.charts = `drawn ${drawn}/${figures.length}`;
});
