// Behaviour every page shares, kept out of the HTML so the Content-Security-Policy can forbid
// inline scripts and event handlers. Listeners sit on the document, so content htmx swaps in later
// behaves the same without re-binding.
(function () {
  // Irreversible buttons ask first: data-confirm on the submit button, or on the form for any of
  // its buttons. "{field}" in the message is replaced by the value of that field of the form.
  // Capturing on the document runs before htmx's own submit listener on the form.
  document.addEventListener(
    "submit",
    (event) => {
      const form = event.target;
      const asker = event.submitter?.closest("[data-confirm]") || form.closest("[data-confirm]");
      if (!asker) return;
      const message = asker.dataset.confirm.replace(/\{(\w+)\}/g, (text, name) => {
        const field = form.elements.namedItem(name);
        return field && "value" in field ? field.value : text;
      });
      if (!window.confirm(message)) {
        event.preventDefault();
        event.stopImmediatePropagation();
      }
    },
    true,
  );

  // A cancel form that can cancel chosen items says on its button, and so in its dialog, which it
  // does: "Cancel order X" or "Cancel 2 items of order X" (the words come from the server's
  // data-label-*; the count is the sum of the quantities). Typing a quantity chooses "chosen items".
  document.addEventListener("input", (event) => {
    const form = event.target.form;
    const button = form?.querySelector("[data-label-items]");
    if (!button) return;
    const scope = form.elements.namedItem("scope");
    if (event.target.matches("[data-units]") && parseInt(event.target.value, 10) > 0) scope.value = "items";
    let units = 0;
    form.querySelectorAll("[data-units]").forEach((input) => {
      units += Math.max(0, parseInt(input.value, 10) || 0);
    });
    const { labelWhole, labelItems, labelChosen, confirmTail } = button.dataset;
    const items = units === 1 ? "1 item" : `${units} items`;
    const label = scope.value !== "items" ? labelWhole : units ? labelItems.replace("{items}", items) : labelChosen;
    button.textContent = label;
    button.dataset.confirm = label + confirmTail;
  });

  // A scanner field selects its text on focus, so the next scan replaces the last one.
  const selectAll = (element) => element?.matches?.("[data-select-on-focus]") && element.select();
  document.addEventListener("focusin", (event) => selectAll(event.target));
  selectAll(document.activeElement); // autofocus happened before this deferred script ran
})();
