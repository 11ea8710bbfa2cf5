// Create After-Sales Order: quantity first, the amount follows quantity x unit price until typed by
// hand; the totals (returned, exchange, total refund) follow live. The server computes the same.
(function () {
  const form = document.getElementById("case-form");
  if (!form) return;
  const money = (value) => (Math.round(value * 100) / 100).toFixed(2);
  // The totals as the server's money filter shows them: separators and the currency's decimals.
  const digits = parseInt(form.dataset.moneyDigits || "2", 10);
  const shown = new Intl.NumberFormat(form.dataset.moneyLocale || undefined, {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
  const field = (row, suffix) => row.querySelector(`[name$="${suffix}"]`);

  // An order line's price is on its row; an added SKU's, on its picker once picked (sku_picker.js).
  function unitPrice(row) {
    if (row.dataset.price) return parseFloat(row.dataset.price);
    const sku = field(row, "_sku");
    return sku && sku.dataset.price ? parseFloat(sku.dataset.price) : null;
  }
  function included(row) {
    const on = field(row, "_on");
    if (on) return on.checked;
    const sku = field(row, "_sku");
    return Boolean(sku && sku.value);
  }
  function follow(row) {
    const amount = field(row, "_amount");
    if (amount.dataset.manual === "1") return;
    const quantity = parseInt(field(row, "_qty").value || "0", 10);
    const price = unitPrice(row);
    if (price === null) return; // a code typed, not picked: the server prices it
    amount.value = quantity > 0 && included(row) ? money(quantity * price) : "";
  }
  function total(kind) {
    let sum = 0;
    form.querySelectorAll(`[data-line="${kind}"]`).forEach((row) => {
      if (included(row)) sum += parseFloat(field(row, "_amount").value || "0") || 0;
    });
    return sum;
  }
  function refresh() {
    const exchange = form.querySelector('input[name="type"]:checked')?.value === "exchange";
    document.getElementById("exchange-section").hidden = !exchange;
    form.querySelectorAll(".exchange-only").forEach((el) => (el.hidden = !exchange));
    const returned = total("returned");
    const exchanged = exchange ? total("exchange") : 0;
    document.getElementById("total-returned").textContent = shown.format(returned);
    document.getElementById("total-exchange").textContent = shown.format(exchanged);
    document.getElementById("total-refund").textContent = shown.format(returned - exchanged);
  }
  function changed(event) {
    const target = event.target;
    const row = target.closest("[data-line]");
    if (row && target.name.endsWith("_amount")) {
      target.dataset.manual = target.value ? "1" : "";
    } else if (row) {
      follow(row);
    }
    refresh();
  }
  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  form.querySelectorAll("[data-line]").forEach((row) => {
    if (!field(row, "_amount").value) follow(row);
  });
  refresh();
})();
