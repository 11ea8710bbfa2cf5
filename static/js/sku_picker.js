// SKU pickers: a text field taking a SKU code (inventory.pickers.SKUField) becomes a search by code
// or name. The server's options (code, name, price, stock) drop below the field; arrows move, Enter or
// a click picks, Escape closes. Picking writes the code and the price (data-price, which
// static/js/case_form.js reads) and says what was picked under the field. Without JS the field takes
// the code as typed; the server resolves and checks it either way.
(function () {
  if (window.skuPickerReady) return;
  window.skuPickerReady = true;
  const timers = new WeakMap();

  const listOf = (input) => document.getElementById(`${input.id}-options`);
  const pickedOf = (input) => document.getElementById(`${input.id}-picked`);
  const options = (input) => [...listOf(input).querySelectorAll("[data-code]")];

  function setUp(input) {
    if (input.getAttribute("role") === "combobox") return;
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listOf(input).id);
    input.setAttribute("aria-describedby", pickedOf(input).id);
  }

  function close(input) {
    listOf(input).hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
  }

  async function search(input, query) {
    const url = new URL(input.dataset.skuSearch, window.location.href);
    url.searchParams.set("q", query);
    const response = await fetch(url, { headers: { "X-Requested-With": "fetch" }, credentials: "same-origin" });
    if (!response.ok) return null;
    const list = document.createElement("div");
    list.innerHTML = await response.text();
    return list;
  }

  async function show(input) {
    const query = input.value.trim();
    if (!query) return close(input);
    const found = await search(input, query);
    if (!found || input.value.trim() !== query) return; // typed on meanwhile: a later answer shows
    const list = listOf(input);
    list.replaceChildren(...found.children);
    list.hidden = false;
    input.setAttribute("aria-expanded", "true");
    input.removeAttribute("aria-activedescendant");
  }

  function describe(input, option) {
    input.dataset.price = option.dataset.price;
    pickedOf(input).textContent = option.dataset.summary;
  }

  function pick(input, option) {
    input.value = option.dataset.code;
    describe(input, option);
    close(input);
    input.dispatchEvent(new Event("change", { bubbles: true }));
  }

  function move(input, step) {
    const all = options(input);
    if (!all.length) return;
    const current = all.findIndex((o) => o.id === input.getAttribute("aria-activedescendant"));
    const next = all[(current + step + all.length) % all.length];
    all.forEach((o) => {
      o.setAttribute("aria-selected", String(o === next));
      o.classList.toggle("active", o === next);
    });
    input.setAttribute("aria-activedescendant", next.id);
    next.scrollIntoView({ block: "nearest" });
  }

  // A page shown again with a code in the field (a refused form): find its price and name.
  async function recall(input) {
    const code = input.value.trim();
    if (!code || input.dataset.price) return;
    const found = await search(input, code);
    const option = found && [...found.querySelectorAll("[data-code]")].find((o) => o.dataset.code.toLowerCase() === code.toLowerCase());
    if (option && input.value.trim() === code) describe(input, option);
  }

  document.addEventListener("input", (event) => {
    const input = event.target.closest("[data-sku-search]");
    if (!input) return;
    setUp(input);
    delete input.dataset.price;
    pickedOf(input).textContent = "";
    clearTimeout(timers.get(input));
    timers.set(input, setTimeout(() => show(input), 200));
  });

  document.addEventListener("keydown", (event) => {
    const input = event.target.closest("[data-sku-search]");
    if (!input) return;
    const open = !listOf(input).hidden;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      if (open) move(input, event.key === "ArrowDown" ? 1 : -1);
      else show(input);
    } else if (event.key === "Enter" && open) {
      const active = document.getElementById(input.getAttribute("aria-activedescendant") || "");
      const only = options(input).length === 1 ? options(input)[0] : null;
      if (active || only) {
        event.preventDefault(); // picking, not submitting the form
        pick(input, active || only);
      }
    } else if (event.key === "Escape" && open) {
      event.preventDefault();
      close(input);
    }
  });

  document.addEventListener("mousedown", (event) => {
    const option = event.target.closest(".sku-options [data-code]");
    if (!option) return;
    event.preventDefault(); // the field keeps the focus
    pick(option.closest(".sku-picker").querySelector("[data-sku-search]"), option);
  });

  document.addEventListener("focusout", (event) => {
    const input = event.target.closest?.("[data-sku-search]");
    if (input) close(input);
  });

  document.addEventListener("focusin", (event) => {
    const input = event.target.closest?.("[data-sku-search]");
    if (input) setUp(input);
  });

  document.querySelectorAll("[data-sku-search]").forEach((input) => {
    setUp(input);
    recall(input);
  });
})();
