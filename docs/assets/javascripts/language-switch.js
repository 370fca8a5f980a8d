/* The language menu links each page to the same page in the other language; keep the section
 * too. Heading anchors are identical in both languages (the test suite checks it). */
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a.md-select__link[hreflang]");
    if (!link || !window.location.hash || link.hash) return;
    link.hash = window.location.hash;
  }, true);
})();
