/*
 * Keeps what is typed into a long form (form[data-draft-key]) in this browser's localStorage,
 * so that an expired session or a closed tab does not lose it. When the form is opened again
 * empty and a draft exists, a notice offers to restore or discard it. The page shown after a
 * successful save carries [data-draft-clear] and removes the draft.
 * No inline script: the site's Content Security Policy forbids it.
 */
(function () {
  "use strict";
  var PREFIX = "iwaki-draft:";
  var MAX_AGE_MS = 14 * 24 * 60 * 60 * 1000;
  // Never restored: the server decides these.
  var SKIP = { csrfmiddlewaretoken: true, base_version: true, began_at: true };

  function storage() {
    try { return window.localStorage; } catch (e) { return null; }
  }

  function clearDrafts() {
    var store = storage();
    if (!store) { return; }
    document.querySelectorAll("[data-draft-clear]").forEach(function (el) {
      el.getAttribute("data-draft-clear").split(" ").forEach(function (key) {
        if (key) { store.removeItem(PREFIX + key); }
      });
    });
  }

  function collect(form) {
    var values = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || SKIP[el.name] || el.type === "hidden" || el.type === "submit" || el.type === "button") { return; }
      if (el.type === "checkbox") {
        if (!values[el.name]) { values[el.name] = []; }
        if (el.checked) { values[el.name].push(el.value); }
      } else if (el.type === "radio") {
        if (el.checked) { values[el.name] = el.value; }
      } else if (el.tagName === "SELECT" && el.multiple) {
        values[el.name] = Array.prototype.filter.call(el.options, function (o) { return o.selected; })
          .map(function (o) { return o.value; });
      } else {
        values[el.name] = el.value;
      }
    });
    return values;
  }

  function apply(form, values) {
    if (window.iwakiFormsetRows) { window.iwakiFormsetRows.ensure(form, Object.keys(values)); }
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || SKIP[el.name] || el.type === "hidden" || !(el.name in values)) { return; }
      var value = values[el.name];
      if (el.type === "checkbox") {
        el.checked = Array.isArray(value) && value.indexOf(el.value) !== -1;
      } else if (el.type === "radio") {
        el.checked = el.value === value;
      } else if (el.tagName === "SELECT" && el.multiple) {
        Array.prototype.forEach.call(el.options, function (o) { o.selected = value.indexOf(o.value) !== -1; });
      } else if (el.type !== "hidden") {
        el.value = value;
      }
    });
  }

  function same(a, b) { return JSON.stringify(a) === JSON.stringify(b); }

  function watch(form) {
    var store = storage();
    if (!store) { return; }
    var key = PREFIX + form.getAttribute("data-draft-key");
    var initial = collect(form);
    var raw = store.getItem(key);
    var draft = null;
    try { draft = raw ? JSON.parse(raw) : null; } catch (e) { draft = null; }
    if (draft && (Date.now() - draft.savedAt > MAX_AGE_MS)) { store.removeItem(key); draft = null; }

    var notice = document.getElementById("draft-notice");
    // A form the server re-rendered (failed validation, conflict) already holds the text.
    if (draft && form.getAttribute("data-draft-bound") !== "1" && !same(draft.values, initial) && notice) {
      var when = notice.querySelector("[data-draft-time]");
      if (when) { when.textContent = new Date(draft.savedAt).toLocaleString("ja-JP"); }
      notice.hidden = false;
      notice.querySelector("[data-draft-restore]").addEventListener("click", function () {
        apply(form, draft.values);
        notice.hidden = true;
      });
      notice.querySelector("[data-draft-discard]").addEventListener("click", function () {
        store.removeItem(key);
        notice.hidden = true;
      });
    }

    function save() {
      var values = collect(form);
      if (same(values, initial)) { return; }
      try { store.setItem(key, JSON.stringify({ savedAt: Date.now(), values: values })); } catch (e) { /* full */ }
    }
    form.addEventListener("input", save);
    form.addEventListener("change", save);
    form.addEventListener("submit", save);
  }

  function start() {
    clearDrafts();
    document.querySelectorAll("form[data-draft-key]").forEach(watch);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
}());
