/*
 * The forms' small helpers, on every page (templates/base.html); nothing inline, so that
 * the Content-Security-Policy allows no inline script.
 *
 * - [data-confirm] on a submit button (or a form): asks before sending; "Indienen" on the
 *   fiche, "Definitief sluiten" on a round's page.
 * - #error-summary (the fiche after a failed save) takes focus, so a screen reader reads
 *   the errors first and the keyboard starts at their links.
 * - form[data-unsaved-warning]: the browser asks before leaving with unsaved changes.
 * - form[data-draft-key]: what is typed is kept in the browser (localStorage) until it is
 *   saved. When a session expired, "Opslaan" went to the login page and the POST was lost;
 *   back on the form after signing in, the kept input is filled in again and the page says
 *   so: the editor checks it and saves. Each page posts a token of its own (draft_token);
 *   the pages after a save that succeeded name the tokens saved in this session
 *   (meta[name=relance-saved-drafts], relance/fiches/kept_drafts.py), and the copies under
 *   them are forgotten. The fiche's version is kept with it, so a fiche
 *   someone else saved meanwhile still meets the form's conflict check, never overwritten
 *   silently. Signing out (form[data-forget-drafts]) forgets every kept draft.
 * - On a phone the milestones (details.milestone-item) start folded, all but those with an
 *   error.
 */
(function () {
  "use strict";

  var PREFIX = "relance-fiche-";

  function ready(callback) {
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", callback);
    } else {
      callback();
    }
  }

  function storage() {
    try {
      return window.localStorage;
    } catch (error) {
      return null; // storage refused (private mode, policy): the form works without it
    }
  }

  // -- confirmations ------------------------------------------------------------------

  document.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-confirm], input[data-confirm]");
    if (button && !window.confirm(button.getAttribute("data-confirm"))) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.hasAttribute("data-confirm") && !window.confirm(form.getAttribute("data-confirm"))) {
      event.preventDefault();
    }
  });

  // -- the fiche's input: unsaved warning and kept drafts -------------------------------

  function fields(form) {
    return Array.prototype.filter.call(form.elements, function (element) {
      return element.name && element.type !== "hidden" && element.type !== "submit" &&
        element.type !== "button" && !element.disabled;
    });
  }

  function values(form) {
    var result = {};
    fields(form).forEach(function (element) {
      result[element.name] = element.value;
    });
    return result;
  }

  function same(a, b) {
    var keys = Object.keys(a);
    if (keys.length !== Object.keys(b).length) {
      return false;
    }
    return keys.every(function (key) { return a[key] === b[key]; });
  }

  function notice(form, text, onDiscard, discardLabel) {
    var box = document.createElement("div");
    box.className = "alert alert-info d-flex flex-wrap gap-2 align-items-center draft-restored";
    box.setAttribute("role", "status");
    var message = document.createElement("span");
    message.textContent = text;
    box.appendChild(message);
    var discard = document.createElement("button");
    discard.type = "button";
    discard.className = "btn btn-sm btn-outline-dark";
    discard.textContent = discardLabel;
    discard.addEventListener("click", function () {
      onDiscard();
      box.remove();
    });
    box.appendChild(discard);
    form.parentNode.insertBefore(box, form);
  }

  function newToken() {
    if (window.crypto && window.crypto.randomUUID) {
      return window.crypto.randomUUID();
    }
    return Date.now().toString(36) + "-" + Math.random().toString(36).slice(2, 12);
  }

  function forgetSaved() {
    var store = storage();
    var meta = document.querySelector("meta[name='relance-saved-drafts']");
    if (!store || !meta) {
      return;
    }
    var saved = (meta.getAttribute("content") || "").split(" ").filter(Boolean);
    Object.keys(store).filter(function (key) {
      return key.indexOf(PREFIX) === 0;
    }).forEach(function (key) {
      try {
        var kept = JSON.parse(store.getItem(key) || "null");
        if (kept && saved.indexOf(kept.token) !== -1) {
          store.removeItem(key);
        }
      } catch (error) {
        store.removeItem(key);
      }
    });
  }

  function keepDrafts(form) {
    var store = storage();
    var key = form.getAttribute("data-draft-key");
    if (!store || !key || !form.hasAttribute("data-editable")) {
      return;
    }
    var version = form.querySelector("input[name='fiche-version']");
    var token = newToken();
    var tokenField = form.querySelector("input[name='draft_token']");
    if (tokenField) {
      tokenField.value = token;
    }
    var shown = values(form);
    var kept = null;
    try {
      kept = JSON.parse(store.getItem(key) || "null");
    } catch (error) {
      kept = null;
    }
    var bound = form.hasAttribute("data-bound"); // the page shows back a refused POST
    if (kept && kept.values && !bound) {
      if (same(kept.values, shown)) {
        store.removeItem(key); // saved as it was typed
      } else {
        var original = shown;
        Object.keys(kept.values).forEach(function (name) {
          var element = form.elements.namedItem(name);
          if (element && element.type !== "hidden" && !element.disabled) {
            element.value = kept.values[name];
          }
        });
        var originalVersion = version ? version.value : null;
        if (version && kept.version) {
          version.value = kept.version; // saved meanwhile: the form's conflict check tells
        }
        form.setAttribute("data-dirty", "");
        notice(form, form.getAttribute("data-restored-text"), function () {
          Object.keys(original).forEach(function (name) {
            var element = form.elements.namedItem(name);
            if (element) {
              element.value = original[name];
            }
          });
          if (version && originalVersion) {
            version.value = originalVersion;
          }
          store.removeItem(key);
          form.removeAttribute("data-dirty");
        }, form.getAttribute("data-discard-text"));
      }
    }
    function remember() {
      try {
        store.setItem(key, JSON.stringify({
          version: version ? version.value : null,
          token: token,
          values: values(form),
          saved: new Date().toISOString()
        }));
      } catch (error) {
        // storage full or refused: the unsaved warning still guards the input
      }
    }
    form.addEventListener("input", function () {
      form.setAttribute("data-dirty", "");
      remember();
    });
    form.addEventListener("change", function () {
      form.setAttribute("data-dirty", "");
      remember();
    });
    form.addEventListener("submit", function (event) {
      if (!event.defaultPrevented) {
        remember(); // kept until the page after the save shows it stored
      }
    });
  }

  function warnBeforeLeaving(form) {
    var sending = false;
    form.addEventListener("submit", function (event) {
      if (!event.defaultPrevented) {
        sending = true;
      }
    });
    form.addEventListener("input", function () { form.setAttribute("data-dirty", ""); });
    window.addEventListener("beforeunload", function (event) {
      if (!sending && form.hasAttribute("data-dirty")) {
        event.preventDefault();
        event.returnValue = "";
      }
    });
  }

  ready(function () {
    var summary = document.getElementById("error-summary");
    if (summary) {
      summary.focus();
    }
    if (window.matchMedia && window.matchMedia("(max-width: 575.98px)").matches) {
      document.querySelectorAll("details.milestone-item:not([data-has-errors])").forEach(
        function (item) { item.removeAttribute("open"); }
      );
    }
    forgetSaved();
    document.querySelectorAll("form[data-draft-key]").forEach(keepDrafts);
    document.querySelectorAll("form[data-unsaved-warning]").forEach(warnBeforeLeaving);
    document.querySelectorAll("form[data-forget-drafts]").forEach(function (form) {
      form.addEventListener("submit", function () {
        var store = storage();
        if (!store) {
          return;
        }
        Object.keys(store).filter(function (key) {
          return key.indexOf(PREFIX) === 0;
        }).forEach(function (key) { store.removeItem(key); });
      });
    });
  });
})();
