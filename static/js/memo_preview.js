// The memo preview's frame grows to the memo's own height, so the page scrolls, not the frame.
(function () {
  "use strict";
  var frame = document.querySelector(".memo-frame");
  if (!frame) {
    return;
  }
  var fit = function () {
    var doc = frame.contentDocument;
    if (doc && doc.documentElement) {
      frame.style.height = doc.documentElement.scrollHeight + "px";
    }
  };
  frame.addEventListener("load", fit);
  window.addEventListener("resize", fit);
})();
