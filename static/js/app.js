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

  // A scanner field selects its text on focus, so the next scan replaces the last one.
  const selectAll = (element) => element?.matches?.("[data-select-on-focus]") && element.select();
  document.addEventListener("focusin", (event) => selectAll(event.target));
  selectAll(document.activeElement); // autofocus happened before this deferred script ran
})();
