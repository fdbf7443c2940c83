// Buttons marked data-print open the browser's print dialog (print.css lays the page out on A4 landscape).
document.querySelectorAll("[data-print]").forEach(function (button) {
  button.addEventListener("click", function () { window.print(); });
});
