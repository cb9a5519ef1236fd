// The "Copy" button next to a link shown once.
(function () {
  "use strict";
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
