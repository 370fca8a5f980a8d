// Render the math that pymdownx.arithmatex (generic mode) leaves in the page, with the
// vendored KaTeX: no request leaves the site. Material's instant navigation replaces the
// page body without reloading, so render again on every document$ emission when present.
(function () {
  function render() {
    var blocks = document.querySelectorAll(".arithmatex");
    for (var i = 0; i < blocks.length; i++) {
      renderMathInElement(blocks[i], {
        delimiters: [
          { left: "\\(", right: "\\)", display: false },
          { left: "\\[", right: "\\]", display: true },
        ],
        throwOnError: true,
      });
    }
  }
  if (typeof document$ !== "undefined") {
    document$.subscribe(render);
  } else {
    document.addEventListener("DOMContentLoaded", render);
  }
})();
