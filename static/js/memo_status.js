// Keeps the memo panel on the engagement page current while a memo renders: polls the
// status URL, updates each version's state in place, and reloads the page once nothing is
// queued or rendering any more, so the new actions (preview, approve, retry) appear.
(function () {
  "use strict";
  var panel = document.getElementById("memo-panel");
  if (!panel || panel.dataset.pending !== "true") {
    return;
  }
  var url = panel.dataset.statusUrl;
  var delay = 1500;
  var maxDelay = 10000;

  function update(data) {
    data.versions.forEach(function (version) {
      var row = panel.querySelector('tr[data-version="' + version.id + '"]');
      if (!row) {
        return;
      }
      var cell = row.querySelector(".memo-state");
      if (cell && cell.dataset.state !== version.state) {
        cell.dataset.state = version.state;
        cell.textContent = version.state_label;
      }
    });
  }

  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("status " + response.status);
        }
        return response.json();
      })
      .then(function (data) {
        update(data);
        if (data.pending) {
          window.setTimeout(poll, delay);
        } else {
          window.location.reload();
        }
      })
      .catch(function () {
        // Back off on errors (the server restarting, a dropped connection) and keep trying.
        delay = Math.min(delay * 2, maxDelay);
        window.setTimeout(poll, delay);
      });
  }

  window.setTimeout(poll, delay);
})();
