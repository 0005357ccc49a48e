// maslihat-charts, a prebuilt JupyterLab extension written by `python -m maslihat.labextension`
// (no build step): a module-federation container as JupyterLab 3/4 loads prebuilt extensions
// (`window._JUPYTERLAB[name]` with `init(shareScope)` and `get(module)`).
//
// "./mimeExtension" draws the charts' Vega-Lite JSON (the MIME type Altair 6 names) with the Vega,
// Vega-Lite and vega-embed bundle the HTML and PDF reports inline (vl-convert's), served by
// JupyterLab from this extension's folder: offline, and with the versions the specs were made for.
// "./extension" names the report exporters in File → Save and Export Notebook As as they name
// themselves (`export_from_notebook`), where JupyterLab would show their entry-point names.
(function () {
  "use strict";
  const NAME = "maslihat-charts";
  const MIMETYPES = __MIMETYPES__;
  const RANK = __RANK__; // below JupyterLab's own Vega renderer (57): preferred when both can draw
  const LABELS = __LABELS__;
  const EXPORT_COMMAND = "notebook:export-to-format";
  const VEGA_URL = new URL("__VEGA_BUNDLE__", document.currentScript.src).href;
  let shareScope = null;
  let vegaLoaded = null;

  function newer(a, b) {
    const x = a.split(/[.+-]/).map(Number), y = b.split(/[.+-]/).map(Number);
    for (let i = 0; i < Math.max(x.length, y.length); i++) {
      if ((x[i] || 0) !== (y[i] || 0)) return (x[i] || 0) > (y[i] || 0);
    }
    return false;
  }

  // A package JupyterLab shares with its extensions (its own copy: one Lumino in the page).
  async function shared(name) {
    const versions = (shareScope || {})[name];
    if (!versions || !Object.keys(versions).length) {
      throw new Error(`${NAME}: JupyterLab shares no ${name}`);
    }
    const version = Object.keys(versions).reduce((a, b) => (newer(b, a) ? b : a));
    const entry = versions[version];
    entry.loaded = 1;
    return (await entry.get())();
  }

  // The reports' bundle, loaded once, as a module: its top-level names stay out of the page's.
  function loadVega() {
    if (!vegaLoaded) {
      vegaLoaded = import(VEGA_URL).then(() => window.vegaEmbed);
      vegaLoaded.catch(() => { vegaLoaded = null; }); // a failed load is tried again
    }
    return vegaLoaded;
  }

  async function mimeExtension() {
    const { Widget } = await shared("@lumino/widgets");

    class RenderedChart extends Widget {
      constructor(options) {
        super();
        this._mimeType = options.mimeType;
        this._result = null;
        this.addClass("maslihat-lab-chart");
        this.node.dataset.mimeType = options.mimeType; // as JupyterLab's own renderers mark theirs
      }

      async renderModel(model) {
        const spec = JSON.parse(JSON.stringify(model.data[this._mimeType]));
        const metadata = model.metadata[this._mimeType] || {};
        const view = document.createElement("div");
        try {
          const embed = await loadVega();
          if (this._result) this._result.finalize();
          this.node.replaceChildren(view);
          this._result = await embed(view, spec, {
            actions: false, renderer: "svg", ...(metadata.embed_options || {}),
          });
          this.node.dataset.vegaBundle = VEGA_URL; // which bundle drew it, for tests
        } catch (error) {
          this.node.textContent = `This chart could not be drawn: ${error}`;
          this.node.dataset.error = String(error);
        }
      }

      dispose() {
        if (this._result) this._result.finalize();
        this._result = null;
        super.dispose();
      }
    }

    return {
      id: `${NAME}:renderer`,
      description: "Draws Vega-Lite charts with the Vega bundle of the maslihat reports.",
      rendererFactory: {
        safe: true,
        mimeTypes: MIMETYPES,
        createRenderer: (options) => new RenderedChart(options),
      },
      rank: RANK,
      dataType: "json",
    };
  }

  const exportLabels = {
    id: `${NAME}:export-labels`,
    description: "Names the maslihat report exporters in the export menu and palette.",
    autoStart: true,
    activate(app) {
      // The export command labels an item with its `label` argument, which JupyterLab makes from
      // the exporter's entry-point name: give it the exporter's own name instead.
      const commands = app.commands;
      const label = commands.label.bind(commands);
      commands.label = (id, args) =>
        label(id, id === EXPORT_COMMAND && args && LABELS[args.format]
          ? { ...args, label: LABELS[args.format] } : args);
    },
  };

  const modules = {
    "./mimeExtension": mimeExtension,
    "./extension": async () => exportLabels,
  };

  window._JUPYTERLAB = window._JUPYTERLAB || {};
  window._JUPYTERLAB[NAME] = {
    init(scope) {
      shareScope = scope;
    },
    async get(module) {
      if (!modules[module]) throw new Error(`${NAME} has no module ${module}`);
      const exported = await modules[module]();
      return () => ({ __esModule: true, default: exported });
    },
  };
})();
