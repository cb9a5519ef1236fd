// The "Copy" button next to a link shown once.
(function () {
  "use strict";
  // The page answers a POST: turn its history entry into the engagement page, so a reload
  // shows that page instead of posting the form again.
  var shownOnce = document.querySelector("[data-replace-url]");
  if (shownOnce && window.history.replaceState) {
    window.history.replaceState(null, "", shownOnce.getAttribute("data-replace-url"));
  }
  document.querySelectorAll("[data-copy-target]").forEach(function (button) {
    button.addEventListener("click", function () {
      var input = document.getElementById(button.getAttribute("data-copy-target"));
      var status = document.querySelector("[data-copy-status]");
      input.select();
      var done = function () {
        if (status) {
          status.textContent = "Link copied.";
        }
      };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(input.value).then(done, function () {
          if (status) {
            status.textContent = "Select the link and copy it with your keyboard.";
          }
        });
      } else {
        document.execCommand("copy");
        done();
      }
    });
  });
})();
