/*
 * The site menu is a <details> element: on a phone it stays folded behind 「メニュー」 and
 * opens without any script. On a wide screen this opens it and hides its toggle
 * (html.menu-wide, site.css), so the links show as a row; narrowing the window folds it again.
 */
(function () {
  "use strict";
  var wide = window.matchMedia("(min-width: 60em)");

  function apply() {
    var menu = document.getElementById("site-menu");
    if (!menu) { return; }
    document.documentElement.classList.toggle("menu-wide", wide.matches);
    menu.open = wide.matches;
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", apply);
  } else {
    apply();
  }
  if (wide.addEventListener) { wide.addEventListener("change", apply); }
}());
