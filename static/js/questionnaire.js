// Saves each questionnaire answer the moment it is given. The page works without this script:
// every step is also a plain form whose Next and Back buttons save the whole step.
(function () {
  "use strict";

  var summary = document.getElementById("error-summary");
  if (summary) {
    summary.focus();
  }

  var form = document.querySelector("form[data-autosave-url]");

  // A question asked only under a condition (the AI leader's reporting line, asked only when
  // there is an AI leader) follows the answer it depends on. The server stores the implied
  // answer when it is hidden; here it is only shown or hidden.
  function followConditions() {
    form.querySelectorAll("[data-shown-when]").forEach(function (question) {
      var controlling = form.querySelector(
        "[name='" + question.getAttribute("data-shown-when") + "']:checked"
      );
      var values = question.getAttribute("data-shown-values").split(" ");
      var shown = controlling !== null && values.indexOf(controlling.value) !== -1;
      if (!shown) {
        question.querySelectorAll("input:checked").forEach(function (input) {
          input.checked = false;
        });
      }
      question.hidden = !shown;
    });
  }
  if (form) {
    form.addEventListener("change", followConditions);
  }

  if (!form || !window.fetch || !window.URLSearchParams) {
    return;
  }
  var url = form.getAttribute("data-autosave-url");
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var note = form.querySelector("[data-autosave-note]");
  var state = {}; // field name -> {inflight, dirty, timer, attempt}
  var TYPING_DELAY = 800;

  if (note) {
    note.textContent = "Each answer is saved as soon as you give it.";
  }

  function fieldState(name) {
    if (!state[name]) {
      state[name] = { inflight: false, dirty: false, timer: null, attempt: 0 };
    }
    return state[name];
  }

  function inputsFor(name) {
    return Array.prototype.slice.call(form.querySelectorAll("[name='" + name + "']"));
  }

  function valuesFor(name) {
    var values = [];
    inputsFor(name).forEach(function (el) {
      if (el.type === "radio" || el.type === "checkbox") {
        if (el.checked) {
          values.push(el.value);
        }
      } else {
        values.push(el.value);
      }
    });
    return values;
  }

  function statusFor(name) {
    return form.querySelector("[data-status-for='" + name + "']");
  }

  function say(name, text, kind) {
    var status = statusFor(name);
    if (!status) {
      return;
    }
    status.textContent = text;
    status.classList.remove("is-saved", "is-error", "is-pending");
    if (kind) {
      status.classList.add("is-" + kind);
    }
  }

  function markInvalid(name, invalid) {
    var status = statusFor(name);
    inputsFor(name).forEach(function (el) {
      if (el.type === "hidden") {
        return;
      }
      if (invalid) {
        el.setAttribute("aria-invalid", "true");
        el.classList.add("is-invalid");
        var described = (el.getAttribute("aria-describedby") || "").split(" ");
        if (status && described.indexOf(status.id) === -1) {
          described.push(status.id);
          el.setAttribute("aria-describedby", described.join(" ").trim());
        }
      } else {
        el.removeAttribute("aria-invalid");
        el.classList.remove("is-invalid");
      }
    });
    if (!invalid) {
      // The message the server printed with the page is out of date once the answer is fixed.
      var printed = document.getElementById("id_" + name + "_error");
      if (printed) {
        printed.textContent = "";
        printed.classList.add("d-none");
      }
    }
  }

  function showProgress(percent) {
    var text = document.querySelector("[data-progress-text]");
    var bar = document.querySelector("[data-progress-bar]");
    if (text) {
      text.textContent = percent + "% of the required questions answered";
    }
    if (bar) {
      bar.value = percent;
      bar.textContent = percent + "%";
    }
  }

  function body(name) {
    var params = new URLSearchParams();
    params.append("field", name);
    // A list question with no box ticked posts no value at all: "not answered" again.
    var values = valuesFor(name);
    values.forEach(function (value) {
      params.append("value", value);
    });
    return params;
  }

  function retryLater(name) {
    var s = fieldState(name);
    s.attempt += 1;
    var delay = Math.min(30000, 1000 * Math.pow(2, s.attempt));
    say(name, "Not saved yet: the connection was lost. Trying again…", "error");
    if (note) {
      note.textContent = "Some answers are not saved yet. Keep this page open; we keep trying.";
    }
    s.timer = window.setTimeout(function () {
      save(name);
    }, delay);
  }

  function save(name) {
    var s = fieldState(name);
    window.clearTimeout(s.timer);
    s.timer = null;
    if (s.inflight) {
      s.dirty = true;
      return;
    }
    s.inflight = true;
    s.dirty = false;
    say(name, "Saving…", "pending");
    fetch(url, {
      method: "POST",
      headers: { "X-CSRFToken": csrf, "X-Requested-With": "fetch" },
      body: body(name),
      credentials: "same-origin",
    })
      .then(function (response) {
        if ([403, 404, 409, 410].indexOf(response.status) !== -1) {
          return {
            ok: false,
            final: true,
            error: "This page can no longer save answers. Reload it to see why.",
          };
        }
        if (!response.ok && response.status !== 200) {
          throw new Error("HTTP " + response.status);
        }
        return response.json();
      })
      .then(function (data) {
        s.inflight = false;
        s.attempt = 0;
        if (note) {
          note.textContent = "Each answer is saved as soon as you give it.";
        }
        if (data.ok) {
          say(name, "Saved", "saved");
          markInvalid(name, false);
        } else {
          say(name, data.error || "This answer could not be saved.", "error");
          if (!data.final) {
            markInvalid(name, true);
          }
        }
        if (typeof data.progress === "number") {
          showProgress(data.progress);
        }
        if (s.dirty) {
          save(name);
        }
      })
      .catch(function () {
        s.inflight = false;
        retryLater(name);
      });
  }

  function nameOf(el) {
    return el && el.name && el.name !== "csrfmiddlewaretoken" && el.name !== "action" ? el.name : null;
  }

  // "None of these" (an empty value) and the real choices of a list question exclude each other.
  function exclusive(box) {
    if (box.type !== "checkbox" || !box.checked) {
      return;
    }
    inputsFor(box.name).forEach(function (other) {
      if (other !== box && (box.value === "" || other.value === "")) {
        other.checked = false;
      }
    });
  }

  form.addEventListener("change", function (event) {
    var name = nameOf(event.target);
    if (name) {
      exclusive(event.target);
      save(name);
    }
  });

  form.addEventListener("input", function (event) {
    var el = event.target;
    var name = nameOf(el);
    if (!name || (el.type === "radio" || el.type === "checkbox")) {
      return;
    }
    var s = fieldState(name);
    window.clearTimeout(s.timer);
    say(name, "", null);
    s.timer = window.setTimeout(function () {
      save(name);
    }, TYPING_DELAY);
  });

  function unsaved() {
    return Object.keys(state).some(function (name) {
      var s = state[name];
      return s.inflight || s.dirty || s.attempt > 0 || s.timer !== null;
    });
  }

  // Submitting the step posts every answer anyway; only leaving by other means can lose one.
  var submitting = false;
  form.addEventListener("submit", function () {
    submitting = true;
  });
  window.addEventListener("beforeunload", function (event) {
    if (!submitting && unsaved()) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  // Leaving mid-word: hand the last typed values to the browser to deliver after the page goes.
  window.addEventListener("pagehide", function () {
    if (!navigator.sendBeacon) {
      return;
    }
    Object.keys(state).forEach(function (name) {
      var s = state[name];
      if (s.timer || s.dirty || s.attempt) {
        var data = body(name);
        data.append("csrfmiddlewaretoken", csrf);
        navigator.sendBeacon(url, data);
      }
    });
  });
})();
