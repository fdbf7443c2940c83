/*
 * Unsaved drafts of long forms, kept in this browser for the user who typed them.
 *
 * A form marked form[data-draft-key] is copied to localStorage as it is typed into, so that a
 * closed tab or an expired session does not lose it: when the same user opens the form again
 * empty, a notice offers to restore or discard the draft. The page shown after a successful
 * save carries [data-draft-clear] and removes the draft.
 *
 * On a shared office PC a draft (a resident named in an opinion) must not reach the next
 * person. Each draft is stored under the owner the server gives every signed-in page
 * (body[data-draft-owner]: an opaque per-user value, never the username), so:
 *   - any signed-in page deletes the drafts of every other owner: the next person to sign in
 *     never sees them, not even in the notice;
 *   - signing out (form[data-draft-clear-all]) deletes every draft of this browser;
 *   - a draft not saved again within body[data-draft-max-age] seconds (the session's idle
 *     timeout) is deleted: by then the session it was typed in has ended.
 * Pages for signed-out visitors (the sign-in page) touch nothing.
 * No inline script: the site's Content Security Policy forbids it.
 */
(function () {
  "use strict";
  var PREFIX = "iwaki-draft:";
  var DEFAULT_MAX_AGE_MS = 8 * 60 * 60 * 1000;
  // Never restored: the server decides these.
  var SKIP = { csrfmiddlewaretoken: true, base_version: true, began_at: true, state: true, version: true, next: true };

  function storage() {
    try { return window.localStorage; } catch (e) { return null; }
  }

  function draftKeys(store) {
    var keys = [];
    for (var i = 0; i < store.length; i += 1) {
      var key = store.key(i);
      if (key && key.indexOf(PREFIX) === 0) { keys.push(key); }
    }
    return keys;
  }

  function clearAll() {
    var store = storage();
    if (!store) { return; }
    draftKeys(store).forEach(function (key) { store.removeItem(key); });
  }

  /* Keep only this owner's drafts, and only those saved recently enough. */
  function purge(store, owner, maxAgeMs) {
    var mine = PREFIX + owner + ":";
    draftKeys(store).forEach(function (key) {
      if (key.indexOf(mine) !== 0) { store.removeItem(key); return; }
      var draft = null;
      try { draft = JSON.parse(store.getItem(key)); } catch (e) { draft = null; }
      if (!draft || typeof draft.savedAt !== "number" || Date.now() - draft.savedAt > maxAgeMs) {
        store.removeItem(key);
      }
    });
  }

  /* 令和8年11月29日(日) 14:05: the era form the site writes every date in. */
  function wareki(date) {
    var year = date.getFullYear(), month = date.getMonth() + 1, day = date.getDate();
    var text;
    if (date >= new Date(2019, 4, 1)) {
      text = "令和" + (year === 2019 ? "元" : String(year - 2018));
    } else if (date >= new Date(1989, 0, 8)) {
      text = "平成" + (year === 1989 ? "元" : String(year - 1988));
    } else {
      text = String(year);
    }
    var minutes = ("0" + date.getMinutes()).slice(-2);
    return text + "年" + month + "月" + day + "日(" + "日月火水木金土".charAt(date.getDay()) + ") " +
      date.getHours() + ":" + minutes;
  }

  function clearSaved(store, owner) {
    document.querySelectorAll("[data-draft-clear]").forEach(function (el) {
      el.getAttribute("data-draft-clear").split(" ").forEach(function (key) {
        if (key) { store.removeItem(PREFIX + owner + ":" + key); }
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

  function watch(store, owner, form) {
    var key = PREFIX + owner + ":" + form.getAttribute("data-draft-key");
    var initial = collect(form);
    var draft = null;
    try { draft = JSON.parse(store.getItem(key)); } catch (e) { draft = null; }

    var notice = document.getElementById("draft-notice");
    // A form the server re-rendered (failed validation, conflict) already holds the text.
    if (draft && draft.values && form.getAttribute("data-draft-bound") !== "1" && !same(draft.values, initial) && notice) {
      var when = notice.querySelector("[data-draft-time]");
      if (when) { when.textContent = wareki(new Date(draft.savedAt)); }
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
    document.querySelectorAll("form[data-draft-clear-all]").forEach(function (form) {
      form.addEventListener("submit", clearAll);
    });
    var store = storage();
    var owner = document.body.getAttribute("data-draft-owner");
    if (!store || !owner) { return; }  // signed out: nobody's drafts are shown or touched
    var maxAge = parseInt(document.body.getAttribute("data-draft-max-age"), 10);
    purge(store, owner, maxAge > 0 ? maxAge * 1000 : DEFAULT_MAX_AGE_MS);
    clearSaved(store, owner);
    document.querySelectorAll("form[data-draft-key]").forEach(function (form) { watch(store, owner, form); });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
}());
