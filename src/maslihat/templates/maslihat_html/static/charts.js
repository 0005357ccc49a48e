// Draw every chart of the page with the Vega bundle inlined above (window.vegaEmbed), as SVG.
// When all are drawn (or failed), <html data-charts="drawn N/M"> tells printers and tests; a
// failed chart's figure has class maslihat-chart-failed and its error in data-error.
const FONT = "DejaVu Sans, sans-serif";

async function draw(figure) {
  const view = figure.querySelector(".maslihat-chart-view");
  try {
    const { spec, options } = JSON.parse(figure.querySelector(".maslihat-chart-spec").textContent);
    const config = { font: FONT, ...(options.config || {}) };
    await window.vegaEmbed(view, spec, { ...options, config, renderer: "svg", actions: false });
    return true;
  } catch (error) {
    view.textContent = `This chart could not be drawn: ${error}`;
    figure.classList.add("maslihat-chart-failed");
    figure.dataset.error = String(error);
    return false;
  }
}

const figures = [...document.querySelectorAll("figure.maslihat-chart")];
Promise.all(figures.map(draw)).then((results) => {
  const drawn = results.filter(Boolean).length;
  document.documentElement.dataset.charts = `drawn ${drawn}/${figures.length}`;
});
