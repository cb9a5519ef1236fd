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
  var shownField = form.querySelector("input[name=shown]");
  var note = form.querySelector("[data-autosave-note]");
  var state = {}; // field name -> {inflight, dirty, timer, attempt, sent, request}
  // The revision of the save whose notes are shown: saves of different fields can answer
  // out of order, and only the one that held the assessment's lock last has seen them all.
  var notesRevision = 0;
  var TYPING_DELAY = 800;

  if (note) {
    note.textContent = "Each answer is saved as soon as you give it.";
  }

  function fieldState(name) {
    if (!state[name]) {
      state[name] = { inflight: false, dirty: false, timer: null, attempt: 0, sent: null };
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

  // The error summary at the top lists what is wrong now, not what was wrong when the page
  // was drawn: a corrected answer leaves it, a new mistake joins it, and it goes when empty.
  function questionOrder(name) {
    var questions = Array.prototype.slice.call(form.querySelectorAll("[data-question]"));
    for (var i = 0; i < questions.length; i += 1) {
      if (questions[i].getAttribute("data-question") === name) {
        return i;
      }
    }
    return questions.length;
  }

  function followSummary(name, message) {
    var summary = document.querySelector("[data-error-summary]");
    if (!summary) {
      return;
    }
    // Announced once, when the page opened on it; from here each field says its own state.
    summary.removeAttribute("role");
    var list = summary.querySelector("[data-error-list]");
    var item = list.querySelector("[data-error-for='" + name + "']");
    if (message) {
      if (!item) {
        var question = form.querySelector("[data-question='" + name + "']");
        item = document.createElement("li");
        item.setAttribute("data-error-for", name);
        var link = document.createElement("a");
        link.href = "#div_id_" + name;
        link.textContent = question ? question.getAttribute("data-label") : name;
        var text = document.createElement("span");
        text.setAttribute("data-error-message", "");
        item.appendChild(link);
        item.appendChild(document.createTextNode(" — "));
        item.appendChild(text);
        var before = null;
        Array.prototype.slice.call(list.children).some(function (other) {
          if (questionOrder(other.getAttribute("data-error-for")) > questionOrder(name)) {
            before = other;
            return true;
          }
          return false;
        });
        list.insertBefore(item, before);
      }
      item.querySelector("[data-error-message]").textContent = message;
    } else if (item) {
      list.removeChild(item);
    }
    var count = list.children.length;
    if (!count) {
      summary.parentNode.removeChild(summary);
      return;
    }
    summary.querySelector("[data-error-heading]").textContent =
      count === 1 ? "One answer needs a second look" : count + " answers need a second look";
  }

  // The saved answer as the server shows it ("$2.5M" reads back as "2,500,000"), in the field
  // once the person has left it, and in the record of what this page shows: a plain post of
  // the step then knows the field holds what is saved.
  function followSaved(name, shown, sent) {
    if (!shown) {
      return;
    }
    inputsFor(name).forEach(function (el) {
      if (
        el.type === "text" &&
        shown.length === 1 &&
        document.activeElement !== el &&
        sent !== null &&
        sent.length === 1 &&
        el.value === sent[0]
      ) {
        el.value = shown[0];
      }
    });
    if (shownField) {
      try {
        var record = JSON.parse(shownField.value || "{}");
        record[name] = shown;
        shownField.value = JSON.stringify(record);
      } catch (ignored) {
        // The record is the page's own; if it cannot be read the post saves every field.
      }
    }
  }

  // "Please check" notes beside the answers they concern, redrawn as answers change.
  function drawn(box) {
    return Array.prototype.slice
      .call(box.querySelectorAll("[data-check]"))
      .map(function (note) {
        return note.getAttribute("data-check") + ":" + note.getAttribute("data-message");
      })
      .join("|");
  }

  function followNotes(notes) {
    if (!notes) {
      return;
    }
    form.querySelectorAll("[data-notes-for]").forEach(function (box) {
      var name = box.getAttribute("data-notes-for");
      var mine = notes.filter(function (note) {
        return note.field === name;
      });
      var wanted = mine
        .map(function (note) {
          return note.key + ":" + note.message;
        })
        .join("|");
      if (drawn(box) === wanted) {
        return;
      }
      while (box.firstChild) {
        box.removeChild(box.firstChild);
      }
      mine.forEach(function (note) {
        var card = document.createElement("div");
        card.className = "check-note";
        card.setAttribute("data-check", note.key);
        card.setAttribute("data-message", note.message);
        var text = document.createElement("p");
        text.className = "mb-1";
        var lead = document.createElement("strong");
        lead.textContent = "Please check:";
        text.appendChild(lead);
        text.appendChild(document.createTextNode(" " + note.message));
        var button = document.createElement("button");
        button.className = "btn btn-sm btn-confirm";
        button.type = "submit";
        button.name = "confirm";
        button.value = note.key;
        button.textContent = "Yes, this is right";
        card.appendChild(text);
        card.appendChild(button);
        box.appendChild(card);
      });
    });
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
    s.sent = valuesFor(name);
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
        if (!data.final) {
          followSummary(name, data.ok ? null : data.error);
          if (!s.dirty) {
            followSaved(name, data.shown, s.sent);
          }
          // An older save's notes would bring back a note a newer one has cleared, or
          // miss one that the answers saved since call for.
          if (typeof data.revision === "number" && data.revision > notesRevision) {
            notesRevision = data.revision;
            followNotes(data.notes);
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
    var own = ["csrfmiddlewaretoken", "action", "shown", "confirm"];
    return el && el.name && own.indexOf(el.name) === -1 ? el.name : null;
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

  // An answer given before this script ran (a quick hand on a slow connection) had no one to
  // hear its change: whatever differs from what the page was drawn with is saved now.
  (function catchUp() {
    var drawnWith = {};
    try {
      drawnWith = JSON.parse((shownField && shownField.value) || "{}");
    } catch (ignored) {
      return;
    }
    var names = [];
    Array.prototype.slice.call(form.elements).forEach(function (el) {
      var name = nameOf(el);
      if (name && el.type !== "hidden" && names.indexOf(name) === -1) {
        names.push(name);
      }
    });
    names.forEach(function (name) {
      var now = valuesFor(name).filter(function (value) {
        return value !== "";
      });
      var before = (drawnWith[name] || []).filter(function (value) {
        return value !== "";
      });
      if (now.slice().sort().join("\u0000") !== before.slice().sort().join("\u0000")) {
        save(name);
      }
    });
  })();

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
