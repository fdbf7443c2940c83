/*
 * "Add a row" for Django formsets without a page load. A container [data-formset="<prefix>"]
 * holds the rows; a <template data-formset-template="<prefix>"> holds Django's empty_form
 * (with __prefix__); a button [data-formset-add="<prefix>"] appends a copy and raises
 * <prefix>-TOTAL_FORMS, and moves the focus to the new row's first field (so a keyboard or
 * screen-reader user lands where they are to type). Without JavaScript the page still works:
 * it has blank rows already.
 */
(function () {
  "use strict";

  function addRow(form, prefix) {
    var total = form.querySelector('input[name="' + prefix + '-TOTAL_FORMS"]');
    var template = form.querySelector('template[data-formset-template="' + prefix + '"]');
    var container = form.querySelector('[data-formset="' + prefix + '"]');
    if (!total || !template || !container) { return; }
    var index = parseInt(total.value, 10);
    var html = template.innerHTML.replace(/__prefix__/g, String(index))
      .replace(/__number__/g, String(index + 1));
    container.insertAdjacentHTML("beforeend", html);
    total.value = String(index + 1);
    return container.lastElementChild;
  }

  /* Make sure the form has rows for every index in ``names`` (used when a draft is restored). */
  function ensureRows(form, names) {
    var needed = {};
    names.forEach(function (name) {
      var match = /^(.+)-(\d+)-[^-]+$/.exec(name);
      if (match) {
        var prefix = match[1];
        needed[prefix] = Math.max(needed[prefix] || 0, parseInt(match[2], 10) + 1);
      }
    });
    Object.keys(needed).forEach(function (prefix) {
      var total = form.querySelector('input[name="' + prefix + '-TOTAL_FORMS"]');
      while (total && parseInt(total.value, 10) < needed[prefix]) {
        var before = total.value;
        addRow(form, prefix);
        if (total.value === before) { break; }
      }
    });
  }

  window.iwakiFormsetRows = { ensure: ensureRows };

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-formset-add]");
    if (!button) { return; }
    event.preventDefault();
    var row = addRow(button.form || button.closest("form"), button.getAttribute("data-formset-add"));
    var first = row && row.querySelector("select, textarea, input:not([type=hidden])");
    if (first) { first.focus(); }
  });
}());
