/*
 * Search typeahead for the header search box: the WAI-ARIA 1.2 combobox pattern with a listbox popup
 * (https://www.w3.org/WAI/ARIA/apg/patterns/combobox/).
 *
 * Progressive enhancement: the HTML is a plain GET search form that works without JavaScript, so every
 * ARIA attribute, the popup and the live region are added here and nowhere else. Suggestions come from
 * the JSON search API named by the form's data-suggest attribute, as many as its data-limit asks (the
 * server's TYPEAHEAD_LIMIT). Data from the API is only ever written with textContent, never parsed as HTML.
 */
(() => {
  "use strict";

  const DEBOUNCE_MS = 150; // long enough to skip the words in between while someone types

  /** A new element with a class and, optionally, text (as text, so data can never become markup). */
  function element(tag, className, text) {
    const node = document.createElement(tag);
    node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  /** What the live region says once results arrive; screen readers hear it without losing their place. */
  function countMessage(count) {
    if (count === 0) return "No suggestions.";
    return `${count} suggestion${count === 1 ? "" : "s"}. Use up and down arrows to choose.`;
  }

  /** True only for a page of this site, so a bad API answer can never send a reader to another host. */
  function isSitePage(url) {
    try {
      return new URL(url, window.location.href).origin === window.location.origin;
    } catch {
      return false;
    }
  }

  /**
   * One result as an option: its title, its category and, when an alias matched, which one. Category
   * labels come from the form's data-categories (the page has them anyway), which keeps each answer small.
   */
  function resultOption(result, labels) {
    const option = element("li", "typeahead-option");
    const alias = result.matched === "alias" && result.alias ? `also called ${result.alias}` : "";
    const details = [labels[result.category], alias].filter(Boolean).join(" · ");
    option.dataset.url = result.url;
    option.append(element("span", "typeahead-title", result.title));
    if (details) option.append(element("span", "typeahead-details", details));
    return option;
  }

  /** The last option: the full results page, for readers who want more than the best few. */
  function searchAllOption(query) {
    return element("li", "typeahead-option typeahead-all", `Search all entries for “${query}”`);
  }

  function enhance(input, endpoint) {
    const form = input.form;
    const labels = JSON.parse(form.dataset.categories || "{}");
    const listbox = element("ul", "typeahead-list");
    const status = element("div", "typeahead-status");
    let timer = 0;
    let controller = null;
    let latest = 0; // the number of the newest request; an answer to any older one is ignored
    let active = -1; // the highlighted option's index, or -1

    listbox.id = `${input.id}-listbox`;
    listbox.setAttribute("role", "listbox");
    listbox.setAttribute("aria-label", "Suggestions");
    listbox.hidden = true;
    status.setAttribute("aria-live", "polite");
    form.classList.add("typeahead");
    form.append(listbox, status);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listbox.id);

    function highlight(index) {
      Array.from(listbox.children).forEach((option, i) => option.setAttribute("aria-selected", String(i === index)));
      active = index;
      if (index < 0) {
        input.removeAttribute("aria-activedescendant");
        return;
      }
      const option = listbox.children[index];
      input.setAttribute("aria-activedescendant", option.id);
      option.scrollIntoView({ block: "nearest" });
    }

    function open() {
      if (!listbox.children.length) return;
      listbox.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }

    function close() {
      highlight(-1);
      listbox.hidden = true;
      input.setAttribute("aria-expanded", "false");
    }

    function reset() {
      close();
      listbox.replaceChildren();
      status.textContent = "";
    }

    /** Forget the pending and in-flight requests, so nothing older than what is typed now is shown. */
    function cancel() {
      window.clearTimeout(timer);
      if (controller) controller.abort();
      latest += 1;
    }

    function show(query, results) {
      const options = results.length ? [...results.map((result) => resultOption(result, labels)), searchAllOption(query)] : [];
      options.forEach((option, index) => {
        option.id = `${input.id}-option-${index}`;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
      });
      close();
      listbox.replaceChildren(...options);
      status.textContent = countMessage(results.length);
      if (document.activeElement === input) open();
    }

    async function suggest(query) {
      const ticket = latest;
      controller = new AbortController();
      const params = new URLSearchParams({ q: query, limit: form.dataset.limit });
      try {
        const response = await fetch(`${endpoint}?${params}`, {
          signal: controller.signal,
          headers: { Accept: "application/json" },
        });
        const body = response.ok ? await response.json() : { results: [] };
        if (ticket === latest) show(query, body.results.filter((result) => isSitePage(result.url)));
      } catch (error) {
        // Aborted means a newer query replaced this one; anything else (offline) leaves the plain form.
        if (error.name !== "AbortError" && ticket === latest) reset();
      }
    }

    function searchAll() {
      const params = new URLSearchParams(new FormData(form));
      params.set("all", "1"); // the list of results, even when the query names one entry exactly
      window.location.assign(`${form.action}?${params}`);
    }

    function choose(option) {
      close();
      if (option.dataset.url) window.location.assign(option.dataset.url);
      else searchAll();
    }

    function move(step) {
      const count = listbox.children.length;
      open();
      if (active < 0) highlight(step > 0 ? 0 : count - 1);
      else highlight((active + step + count) % count);
    }

    /** Escape closes the list (and drops answers still on the way); a second Escape clears the box. */
    function escape() {
      if (!listbox.hidden) {
        cancel();
        close();
        return true;
      }
      if (!input.value) return false;
      cancel();
      input.value = "";
      reset();
      return true;
    }

    /** Handle one key; returns whether it was ours, so the browser's default is kept for the rest. */
    function handleKey(event) {
      switch (event.key) {
        case "ArrowDown":
          if (!listbox.children.length) return false;
          if (event.altKey) open();
          else move(1);
          return true;
        case "ArrowUp":
          if (!listbox.children.length) return false;
          move(-1);
          return true;
        case "Enter":
          // With nothing highlighted, Enter is left to submit the form as it does without JavaScript.
          if (listbox.hidden || active < 0) return false;
          choose(listbox.children[active]);
          return true;
        case "Escape":
          return escape();
        default:
          return false;
      }
    }

    input.addEventListener("input", () => {
      const query = input.value.trim();
      cancel();
      if (!query) {
        reset();
        return;
      }
      highlight(-1);
      timer = window.setTimeout(() => suggest(query), DEBOUNCE_MS);
    });
    input.addEventListener("keydown", (event) => {
      if (event.isComposing || event.ctrlKey || event.metaKey || event.shiftKey) return;
      if (handleKey(event)) event.preventDefault();
    });
    input.addEventListener("blur", close);
    // Keeping focus in the box while an option is pressed stops blur closing the list before the click.
    listbox.addEventListener("mousedown", (event) => event.preventDefault());
    listbox.addEventListener("click", (event) => {
      const option = event.target.closest("[role=option]");
      if (option) choose(option);
    });
    // A page restored by the Back button should not show a list left open when the reader went on.
    window.addEventListener("pageshow", close);
  }

  const input = document.getElementById("site-search");
  const endpoint = input && input.form && input.form.dataset.suggest;
  if (endpoint && "AbortController" in window) enhance(input, endpoint);
})();
