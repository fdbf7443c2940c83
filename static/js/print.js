// Buttons marked data-print open the browser's print dialog (print.css lays the page out on A4 landscape).
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) {
    window.print();
  }
});
