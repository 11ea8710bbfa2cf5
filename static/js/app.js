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
      if (form.hasAttribute("data-sending")) {
        // already sent (see below): a second click would send it twice
        event.preventDefault();
        event.stopImmediatePropagation();
        return;
      }
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

  // A plain form, once sent (and confirmed, above), disables its buttons and shows a spinner in the
  // one clicked until the next page comes. htmx forms are not touched: htmx prevented their default
  // and disables what their hx-disabled-elt says. The buttons are disabled on the next tick: a
  // disabled button's name and value would be missing from the request (Agree / Reject).
  const spinner = () => {
    const span = document.createElement("span");
    span.className = "spinner-border spinner-border-sm me-1"; // as core/partials/_spinner.html
    span.setAttribute("aria-hidden", "true");
    span.dataset.sendingSpinner = "";
    return span;
  };
  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (event.defaultPrevented || (form.target && form.target !== "_self")) return;
    form.setAttribute("data-sending", "");
    const clicked = event.submitter;
    setTimeout(() => {
      form.querySelectorAll("button:not([disabled]), input[type=submit]:not([disabled])").forEach((button) => {
        button.disabled = true;
        button.dataset.sendingDisabled = "";
      });
      if (clicked?.tagName === "BUTTON") clicked.prepend(spinner());
    });
  });
  // Back to a page kept whole in the browser's cache: its forms can be sent again.
  window.addEventListener("pageshow", (event) => {
    if (!event.persisted) return;
    document.querySelectorAll("form[data-sending]").forEach((form) => form.removeAttribute("data-sending"));
    document.querySelectorAll("[data-sending-disabled]").forEach((button) => {
      button.disabled = false;
      delete button.dataset.sendingDisabled;
    });
    document.querySelectorAll("[data-sending-spinner]").forEach((span) => span.remove());
  });

  // Bulk actions: a list's rows have checkboxes named as its bar's data-bulk-bar (core/partials/
  // _bulk_bar.html). The bar shows once a row is checked and says how many are; the header's
  // data-select-all box checks or clears the rows of the page, and shows when some are checked.
  const rowsOf = (form, name) => [...form.querySelectorAll(`input[type="checkbox"][name="${name}"]:not(:disabled)`)];
  const showSelection = (form) => {
    form.querySelectorAll("[data-bulk-bar]").forEach((bar) => {
      const name = bar.dataset.bulkBar;
      const rows = rowsOf(form, name);
      const selected = rows.filter((row) => row.checked).length;
      bar.classList.toggle("is-active", selected > 0);
      bar.querySelector("[data-bulk-count]").textContent = `${selected} selected`;
      const all = form.querySelector(`[data-select-all="${name}"]`);
      if (!all) return;
      all.checked = selected > 0 && selected === rows.length;
      all.indeterminate = selected > 0 && selected < rows.length;
      all.disabled = rows.length === 0;
    });
  };
  document.addEventListener("change", (event) => {
    const box = event.target;
    if (box.type !== "checkbox" || !box.form) return;
    if (box.dataset.selectAll) rowsOf(box.form, box.dataset.selectAll).forEach((row) => (row.checked = box.checked));
    showSelection(box.form);
  });
  // Rows the browser checked again (back button) or htmx restored from its history: show their bar.
  const showAllSelections = () => document.querySelectorAll("form:has([data-bulk-bar])").forEach(showSelection);
  window.addEventListener("pageshow", showAllSelections);
  document.addEventListener("htmx:historyRestore", showAllSelections);

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
