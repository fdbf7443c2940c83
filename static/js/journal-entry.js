// Journal entry forms: choosing a kind ticks the survey item it usually leads to
// ("訪問・相談" → "ニーズの把握"), until the writer ticks or unticks one themselves.
// The form's data-usual-led-to lists "kind:code" pairs separated by spaces.
document.querySelectorAll("form[data-usual-led-to]").forEach((form) => {
  const usual = Object.fromEntries(
    form.dataset.usualLedTo.split(" ").filter(Boolean).map((pair) => pair.split(":"))
  );
  const kind = form.querySelector("select[name=kind]");
  const boxes = Array.from(form.querySelectorAll("input[name=led_to]"));
  if (!kind || !boxes.length) {
    return;
  }
  let touched = boxes.some((box) => box.checked);
  let ticked = null;
  boxes.forEach((box) => box.addEventListener("change", () => { touched = true; }));
  kind.addEventListener("change", () => {
    if (touched) {
      return;
    }
    if (ticked) {
      ticked.checked = false;
      ticked = null;
    }
    const box = boxes.find((candidate) => candidate.value === usual[kind.value]);
    if (box) {
      box.checked = true;
      ticked = box;
    }
  });
});
