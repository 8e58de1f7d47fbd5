/* dbanalysis-lab: a prebuilt JupyterLab extension, written by hand (no build step, no
 * npm: `make env` copies it into .venv/share/jupyter/labextensions/).
 *
 * Numbers and audit links in the notebooks' outputs point at pages of the site
 * (source.html#f-<figure id>, 12-audit.html#<check id>). The lab would look for those
 * files beside the notebook and fail (404 /api/contents/source.html). This plugin takes
 * a click on such a link in a rendered output or markdown cell (before the lab's own
 * link handler) and opens the page, served by the server extension
 * dbanalysis.site.labpages from the notebooks' committed outputs, in a lab tab at the
 * linked sentence (the lab's help:open command: an IFrame tab; a browser tab without it).
 *
 * A second plugin keeps the Python version out of what the lab stores. When a kernel
 * connects, the lab sets the notebook's metadata.language_info to what the kernel reports,
 * "version": "3.11.7" included, and marks the notebook modified unless that equals what
 * the file holds. The committed notebooks hold it without the keys that differ from one
 * Python to the next (dbanalysis.notebook.normalise.LANGUAGE_INFO_UNSTORED, which the
 * server extension dbanalysis.notebook.lab hands this page in its config): this plugin
 * leaves those keys out of every language_info the lab sets on a notebook's model, so a
 * notebook opened on another Python is not modified, and one saved is as committed.
 *
 * The container follows webpack's module federation protocol as JupyterLab loads it
 * (window._JUPYTERLAB[name].init(shareScope), .get('./extension') -> factory). The
 * plugins need no shared module: they require no token and use only `app`.
 */
(function () {
  "use strict";
  var NAME = "dbanalysis-lab";
  /* a page of the site: 01-agriculture.html, source.html (a file name, no folder) */
  var SITE_PAGE = /^[\w.-]+\.html$/;

  /* the page's config (jupyter-config-data), {} without one */
  function pageConfig() {
    var el = document.getElementById("jupyter-config-data");
    return el ? JSON.parse(el.textContent || "{}") : {};
  }

  function baseUrl() {
    var base = pageConfig().baseUrl || "/";
    return base.charAt(base.length - 1) === "/" ? base : base + "/";
  }

  function notebookPath(app, node) {
    var found = null;
    var widgets = app.shell.widgets("main");
    for (var w of widgets) {
      if (w.node.contains(node) && w.context && w.context.path) { found = w.context.path; }
    }
    return found;
  }

  var plugin = {
    id: "dbanalysis-lab:site-links",
    description: "Open links to the site's pages in notebook outputs at their sentence.",
    autoStart: true,
    activate: function (app) {
      document.addEventListener("click", function (event) {
        var target = event.target;
        var a = target && target.closest ? target.closest(".jp-RenderedHTMLCommon a[href]") : null;
        if (!a) { return; }
        var path = notebookPath(app, a);
        if (path === null) { return; }
        var folder = path.split("/").slice(0, -1).join("/");
        /* the lab has rewritten a relative link (source.html#f-x) to the file's download
         * address beside the notebook: <base>files/<folder>/source.html?…#f-x */
        var link = new URL(a.href, location.href);
        var files = baseUrl() + "files/" + (folder ? folder + "/" : "");
        var pathname = decodeURIComponent(link.pathname);
        if (link.origin !== location.origin || pathname.indexOf(files) !== 0) { return; }
        var page = pathname.slice(files.length);
        if (!SITE_PAGE.test(page)) { return; }
        event.preventDefault();
        event.stopImmediatePropagation();
        var url = baseUrl() + "dbanalysis/site/" +
          (folder ? folder.split("/").map(encodeURIComponent).join("/") + "/" : "") +
          "_site/" + encodeURIComponent(page) + link.hash;
        var title = a.textContent || page;
        if (app.commands.hasCommand("help:open")) {
          app.commands.execute("help:open", {url: url, text: title});
        } else {
          window.open(url, "_blank");
        }
      }, true);
    }
  };

  /* language_info without the keys in `unstored` (a copy; anything else as it is) */
  function withoutKeys(value, unstored) {
    if (!value || typeof value !== "object" || Array.isArray(value)) { return value; }
    var kept = {};
    Object.keys(value).forEach(function (key) {
      if (unstored.indexOf(key) < 0) { kept[key] = value[key]; }
    });
    return kept;
  }

  var languageInfo = {
    id: "dbanalysis-lab:language-info",
    description: "Store a kernel's language_info without the Python version, as committed.",
    autoStart: true,
    activate: function (app) {
      var unstored = pageConfig().dbanalysisLanguageInfoUnstored;
      if (!unstored) {
        console.warn("dbanalysis-lab: no dbanalysisLanguageInfoUnstored in the page config " +
          "(is the server extension dbanalysis.notebook.lab disabled?): notebooks opened " +
          "here store the kernel's Python version and show as modified");
        return;
      }
      /* a widget extension runs as each notebook's widget is made, before its kernel
       * connects; the lab's notebook panel sets language_info through its model's
       * setMetadata (NotebookPanel._updateLanguage), which this wraps for that model */
      app.docRegistry.addWidgetExtension("Notebook", {
        createNew: function (panel, context) {
          var model = context.model;
          var setMetadata = model.setMetadata;
          model.setMetadata = function (key, value) {
            return setMetadata.call(this, key,
              key === "language_info" ? withoutKeys(value, unstored) : value);
          };
        }
      });
    }
  };

  var modules = {"./extension": function () {
    return {__esModule: true, "default": [plugin, languageInfo]};
  }};
  var root = (window._JUPYTERLAB = window._JUPYTERLAB || {});
  root[NAME] = {
    get: function (module) {
      if (!(module in modules)) {
        return Promise.reject(new Error("dbanalysis-lab has no module " + module));
      }
      return Promise.resolve(modules[module]);
    },
    init: function () { return Promise.resolve(); }
  };
})();
