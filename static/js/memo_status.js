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
  // A memo renders in about half a second: ask often at first, so "ready" shows within a
  // tenth or so of a second of it, then less and less often for a render that takes long.
  var quick = 150;
  var quickFor = 10000;
  var slowest = 3000;
  var errorDelay = 1000;
  var started = Date.now();
  var delay = quick;

  function next() {
    if (Date.now() - started > quickFor) {
      delay = Math.min(delay * 1.5, slowest);
    }
    return delay;
  }

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
        errorDelay = 1000;
        if (data.pending) {
          window.setTimeout(poll, next());
        } else {
          window.location.reload();
        }
      })
      .catch(function () {
        // Back off on errors (the server restarting, a dropped connection) and keep trying.
        errorDelay = Math.min(errorDelay * 2, 10000);
        window.setTimeout(poll, errorDelay);
      });
  }

  window.setTimeout(poll, quick);
})();
