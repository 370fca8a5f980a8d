// Render the math of every page with the vendored KaTeX: no request leaves the site.
// Markdown pages: pymdownx.arithmatex (generic mode) wraps math in .arithmatex with
// \( \) and \[ \] delimiters. Notebook pages: math stays as $...$ / $$...$$ in the
// rendered Markdown cells. Material's instant navigation swaps the page body without a
// reload, so render again on every document$ emission when it exists.
(function () {
  var arithmatex = [
    { left: "\\(", right: "\\)", display: false },
    { left: "\\[", right: "\\]", display: true },
  ];
  var notebook = [
    { left: "$$", right: "$$", display: true },
    { left: "$", right: "$", display: false },
  ];
  function renderAll(selector, delimiters) {
    var blocks = document.querySelectorAll(selector);
    for (var i = 0; i < blocks.length; i++) {
      renderMathInElement(blocks[i], { delimiters: delimiters, throwOnError: false });
    }
  }
  function render() {
    renderAll(".arithmatex", arithmatex);
    renderAll(".jp-MarkdownOutput, .jp-RenderedMarkdown", notebook);
  }
  if (typeof document$ !== "undefined") {
    document$.subscribe(render);
  } else {
    document.addEventListener("DOMContentLoaded", render);
  }
})();
