/*
 * Previews of linked entries, of citations and of the report reader's spinal levels, and "Copy link" for the page
 * and its sections.
 *
 * Progressive enhancement: without JavaScript a term link is a plain link to its entry, a citation a plain
 * jump to its reference and there is no Copy button, so everything here only adds to working HTML. Data
 * from the API is only ever written with textContent; a citation preview clones the page's own reference
 * nodes (never parsed from a string). Nothing here sets HTML, injects style attributes from strings or
 * evaluates code, so it runs under a strict Content-Security-Policy.
 *
 * Why this ARIA pattern, and not another:
 * - The preview holds a link ("Read the full entry"), and role=tooltip may not contain interactive content,
 *   so it is a plain element with role=group and a name ("Preview: Myelogram"). Screen readers then say
 *   where the reader is when Tab takes them into it.
 * - It is not a dialog: it is non-modal, it never takes focus by itself, and the page goes on around it.
 * - The trigger stays what it is, a link to the entry. aria-expanded and aria-controls would present it as
 *   a disclosure button, yet pressing it still navigates, so they would tell screen readers something
 *   false. Instead, while the preview is shown, the trigger's aria-describedby points at the summary (or the
 *   reference), which screen readers read after the link's name without any change of focus.
 * - The preview is inserted in the DOM right after its trigger, so the next Tab reaches its link and
 *   Shift+Tab comes back, reading order matches, and no focus has to be moved by script. It is positioned
 *   absolutely from measurements, so its place in the DOM does not change where it is drawn.
 * - WCAG 2.2 SC 1.4.13: Escape dismisses it without moving the pointer or focus (focus inside it goes back to
 *   the trigger); a hide delay lets the pointer cross from the link onto it (hoverable); and it stays until
 *   the pointer has left both and focus has left both, or Escape (persistent).
 * - Touch has no hover, so the first tap on a link shows the preview instead of navigating, and a second tap
 *   on the same link (or the preview's own link) goes to the entry.
 */
(() => {
  "use strict";

  const API = "/api/terms/"; // the contract's URL scheme: /api/terms/<slug>/
  const SHOW_DELAY_MS = 300; // a pointer merely crossing a link on its way somewhere shows nothing
  const HIDE_DELAY_MS = 300; // time to move the pointer from the link onto the preview
  const MARGIN = 8; // the least space between the preview and the edges of the window, in CSS pixels
  const GAP = 4; // between the link and the preview
  const MIN_HEIGHT = 120; // the least room worth squeezing a preview into; with less it keeps its own height
  const COPIED_MS = 2000; // how long the button says "Link copied"

  /** A new element with a class and, optionally, text (as text, so data can never become markup). */
  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  /** True only for a page of this site. */
  function isSitePage(url) {
    try {
      return new URL(url, window.location.href).origin === window.location.origin;
    } catch {
      return false;
    }
  }

  /** The page's own address without query or fragment: what a reader shares. */
  function pageUrl() {
    return window.location.origin + window.location.pathname;
  }

  /* ------------------------------------------------------------------------------------------ */
  /* Previews                                                                                   */
  /* ------------------------------------------------------------------------------------------ */

  const cache = new Map(); // slug -> Promise of the API's entry, or null when there is none
  const arrived = new Map(); // slug -> the entry, once it is here: shown at once, while focus is still arriving

  /** An entry from the API, fetched once per slug; null when it is missing or the answer is not usable. */
  function termData(slug) {
    if (!cache.has(slug)) {
      const request = fetch(`${API}${encodeURIComponent(slug)}/`, { headers: { Accept: "application/json" } })
        .then((response) => (response.ok ? response.json() : null))
        .then((data) => {
          if (!data || typeof data.title !== "string" || typeof data.summary !== "string") return null;
          arrived.set(slug, data);
          return data;
        })
        .catch(() => {
          cache.delete(slug); // offline for now: the next hover may try again
          return null;
        });
      cache.set(slug, request);
    }
    return cache.get(slug);
  }

  /** The nodes of a term preview, built from the API's data as text. */
  function termContent(trigger, data) {
    const nodes = [element("span", "preview-title", data.title)];
    if (typeof data.pronunciation === "string" && data.pronunciation) {
      const say = element("span", "preview-say");
      say.append(element("span", "label", "Say it:"), " ", element("span", "pronunciation", data.pronunciation));
      nodes.push(say);
    }
    const text = element("span", "preview-text", data.summary);
    nodes.push(text);
    if (typeof data.urgent === "string" && data.urgent) {
      // The entry's urgent-help box, so a preview never shows a condition without its warning.
      const urgent = element("span", "preview-urgent");
      urgent.append(element("strong", "urgent-title", "Get help now:"), " ", data.urgent);
      nodes.push(urgent);
    }
    const more = element("a", "preview-more", "Read the full entry");
    more.setAttribute("href", trigger.getAttribute("href")); // the page's own link, not a URL from the answer
    nodes.push(more);
    return { label: `Preview: ${data.title}`, nodes, text };
  }

  /** The element an in-page link points to (a citation's reference, a level's explanation), or null. */
  function linkedItem(trigger, prefix) {
    const hash = trigger.getAttribute("href") || "";
    if (prefix.length < 2 || !hash.startsWith(prefix)) return null;
    let id;
    try {
      id = decodeURIComponent(hash.slice(1));
    } catch {
      return null;
    }
    return document.getElementById(id);
  }

  /** The nodes of a citation preview: a copy of the formatted reference, without "Entries that cite this". */
  function citationContent(trigger) {
    const item = linkedItem(trigger, referenceHash);
    if (!item) return null;
    const name = trigger.getAttribute("aria-label") || `Reference ${trigger.textContent.trim()}`;
    const text = element("span", "preview-text");
    item.childNodes.forEach((node) => text.append(node.cloneNode(true)));
    text.querySelectorAll('a[href^="/references/"]').forEach((link) => link.remove());
    text.querySelectorAll("[id]").forEach((node) => node.removeAttribute("id"));
    text.normalize();
    const last = text.lastChild;
    if (last && last.nodeType === Node.TEXT_NODE) last.textContent = last.textContent.trimEnd();
    const more = element("a", "preview-more", "Show it in the list of references");
    more.href = trigger.getAttribute("href");
    return { label: name, nodes: [element("span", "preview-title", name), text, more], text };
  }

  /** The nodes of a spinal level's preview (the report reader's page): its explanation from the list of levels. */
  function levelContent(trigger) {
    const item = linkedItem(trigger, "#level-");
    if (!item) return null;
    const name = `Level ${trigger.textContent.trim()}`;
    const text = element("span", "preview-text", item.textContent.trim());
    const more = element("a", "preview-more", "Show it beside the spine diagram");
    more.href = trigger.getAttribute("href");
    return { label: name, nodes: [element("span", "preview-title", name), text, more], text };
  }

  function enhancePreviews(triggers) {
    const preview = element("span", "preview");
    preview.id = "glossary-preview";
    preview.setAttribute("role", "group");
    preview.hidden = true;

    let current = null; // { trigger, reasons, describedBy } while a preview is shown
    let pending = null; // { trigger, reason } while one is being prepared
    let showTimer = 0;
    let hideTimer = 0;
    let lastPointer = ""; // the pointerType of the latest pointerdown, for browsers whose click lacks one
    let lastInput = ""; // "pointer" or "keyboard": what moved focus, when focus moves
    let returning = null; // a trigger getting focus back after Escape, which must not reopen its preview

    const inPage = (trigger) => !trigger.dataset.term; // a citation or a level: its preview comes from the page
    const within = (node) => current && node instanceof Node && (current.trigger.contains(node) || preview.contains(node));
    const known = new Set(triggers);

    /** A preview's content: at once for a citation or an entry already fetched, else a promise of it. */
    function content(trigger) {
      if (trigger.classList.contains("level-link")) return levelContent(trigger);
      if (inPage(trigger)) return citationContent(trigger);
      const slug = trigger.dataset.term;
      if (arrived.has(slug)) return termContent(trigger, arrived.get(slug));
      return termData(slug).then((data) => data && termContent(trigger, data));
    }

    /**
     * Below the link, or above it when only that fits; never wider than the window less its margins. When
     * neither fits (a long reference on a small phone), the roomier side gets it and it scrolls inside.
     */
    function place(trigger) {
      const width = document.documentElement.clientWidth;
      const height = document.documentElement.clientHeight;
      preview.style.width = "";
      preview.style.maxHeight = "";
      preview.style.left = "0px";
      preview.style.top = "0px";
      let box = preview.getBoundingClientRect(); // at 0,0: where the containing block starts
      const origin = { x: box.left, y: box.top };
      if (box.width > width - 2 * MARGIN) {
        preview.style.width = `${Math.max(width - 2 * MARGIN, 0)}px`;
        box = preview.getBoundingClientRect();
      }
      const rects = trigger.getClientRects(); // a link can wrap onto two lines
      const first = rects[0] || trigger.getBoundingClientRect();
      const last = rects[rects.length - 1] || first;
      const below = height - MARGIN - (last.bottom + GAP);
      const over = first.top - GAP - MARGIN;
      let above = box.height > below && box.height <= over;
      if (box.height > below && box.height > over && Math.max(below, over) >= MIN_HEIGHT) {
        above = over > below;
        preview.style.maxHeight = `${above ? over : below}px`;
        box = preview.getBoundingClientRect();
      }
      const anchor = above ? first : last;
      const top = above ? first.top - GAP - box.height : last.bottom + GAP;
      const left = Math.max(MARGIN, Math.min(anchor.left, width - MARGIN - box.width));
      preview.style.left = `${left - origin.x}px`;
      preview.style.top = `${top - origin.y}px`;
      preview.classList.toggle("preview-above", above);
    }

    function close() {
      window.clearTimeout(hideTimer);
      if (!current) return;
      const { trigger, describedBy } = current;
      if (describedBy) trigger.setAttribute("aria-describedby", describedBy);
      else trigger.removeAttribute("aria-describedby");
      current = null;
      preview.hidden = true;
      preview.remove();
      preview.replaceChildren();
    }

    function cancelPending() {
      window.clearTimeout(showTimer);
      pending = null;
    }

    /** Close when nothing holds the preview open any more: no pointer, no focus, no tap. */
    function update() {
      if (current && !Object.values(current.reasons).some(Boolean)) close();
    }

    function show(trigger, found, reason) {
      close();
      const reasons = { hover: false, focus: false, touch: false };
      reasons[reason] = true;
      current = { trigger, reasons, describedBy: trigger.getAttribute("aria-describedby") };
      found.text.id = "glossary-preview-text";
      preview.className = inPage(trigger) ? "preview preview-citation" : "preview";
      preview.setAttribute("aria-label", found.label);
      preview.replaceChildren(...found.nodes);
      trigger.after(preview);
      preview.hidden = false;
      trigger.setAttribute("aria-describedby", [current.describedBy, found.text.id].filter(Boolean).join(" "));
      place(trigger);
    }

    /** Show the preview of `trigger` for `reason` (hover, focus or touch) once its content is ready. */
    async function open(trigger, reason) {
      if (current && current.trigger === trigger) {
        current.reasons[reason] = true;
        return;
      }
      cancelPending();
      let found = content(trigger);
      if (found instanceof Promise) {
        const ticket = { trigger, reason };
        pending = ticket;
        found = await found;
        if (pending !== ticket) return; // the reader has moved on meanwhile
        pending = null;
      }
      if (found) show(trigger, found, reason);
      else if (reason === "touch") window.location.assign(trigger.href); // no preview: the tap goes on
    }

    function hoverStart(trigger) {
      window.clearTimeout(hideTimer);
      if (current && current.trigger === trigger) {
        current.reasons.hover = true;
        return;
      }
      if (pending && pending.trigger === trigger) return;
      cancelPending();
      if (!inPage(trigger)) termData(trigger.dataset.term); // fetch during the delay
      pending = { trigger, reason: "hover" };
      showTimer = window.setTimeout(() => open(trigger, "hover"), SHOW_DELAY_MS);
    }

    function hoverEnd() {
      if (pending && pending.reason === "hover") cancelPending();
      if (!current) return;
      window.clearTimeout(hideTimer);
      hideTimer = window.setTimeout(() => {
        if (!current) return;
        current.reasons.hover = false;
        update();
      }, HIDE_DELAY_MS);
    }

    /** Focus from the keyboard (not from a click or tap, which the pointer handlers look after). */
    function fromKeyboard(node) {
      try {
        return node.matches(":focus-visible");
      } catch {
        return true;
      }
    }

    triggers.forEach((trigger) => {
      trigger.addEventListener("pointerenter", (event) => {
        if (event.pointerType !== "touch") hoverStart(trigger);
      });
      trigger.addEventListener("pointerleave", (event) => {
        if (event.pointerType !== "touch") hoverEnd();
      });
      trigger.addEventListener("click", (event) => {
        const type = "pointerType" in event ? event.pointerType : lastPointer;
        const modified = event.ctrlKey || event.metaKey || event.shiftKey || event.altKey;
        const shown = (current && current.trigger === trigger) || (pending && pending.trigger === trigger);
        if (type === "touch" && !shown && !modified && !event.defaultPrevented) {
          event.preventDefault(); // the first tap shows the preview; a second one follows the link
          open(trigger, "touch");
          return;
        }
        cancelPending();
        close(); // the link is being followed (to the entry, or down to the reference)
      });
    });

    preview.addEventListener("pointerenter", (event) => {
      window.clearTimeout(hideTimer);
      if (current && event.pointerType !== "touch") current.reasons.hover = true;
    });
    preview.addEventListener("pointerleave", (event) => {
      if (event.pointerType !== "touch") hoverEnd();
    });
    preview.addEventListener("click", (event) => {
      if (event.target instanceof Element && event.target.closest("a")) close(); // leaving for the link's target
    });

    document.addEventListener(
      "pointerdown",
      (event) => {
        lastPointer = event.pointerType;
        lastInput = "pointer";
        if (current && !within(event.target)) {
          current.reasons.touch = false; // a tap elsewhere dismisses a preview a tap opened
          update();
        }
      },
      true,
    );

    document.addEventListener("focusin", (event) => {
      const target = event.target;
      if (returning === target) {
        returning = null;
        return;
      }
      returning = null;
      if (within(target)) {
        current.reasons.focus = true;
        return;
      }
      if (pending && pending.reason === "focus") cancelPending();
      if (current) {
        current.reasons.focus = false;
        // A tap inside the preview can focus an ancestor (main has tabindex=-1); taps outside were already
        // dealt with on pointerdown, so only the keyboard moving on lets go of a preview a tap opened.
        if (lastInput === "keyboard") current.reasons.touch = false;
        update();
      }
      if (known.has(target) && fromKeyboard(target)) open(target, "focus");
    });

    document.addEventListener("focusout", (event) => {
      // Focus going nowhere (to the page itself, or another window) lets go of the preview too.
      if (!event.relatedTarget && current && within(event.target)) {
        current.reasons.focus = false;
        update();
      }
    });

    document.addEventListener(
      "keydown",
      () => {
        lastInput = "keyboard";
      },
      true,
    );

    document.addEventListener("keydown", (event) => {
      if (event.key !== "Escape" || event.defaultPrevented || !(current || pending)) return;
      cancelPending();
      if (!current) return;
      const trigger = current.trigger;
      const focusInside = preview.contains(document.activeElement);
      close();
      if (focusInside) {
        returning = trigger;
        trigger.focus();
      }
      event.preventDefault();
    });

    window.addEventListener("resize", () => {
      if (current) place(current.trigger);
    });
    // A page restored by the Back button should not show a preview left open when the reader went on.
    window.addEventListener("pageshow", () => {
      cancelPending();
      close();
    });
  }

  /* ------------------------------------------------------------------------------------------ */
  /* Copy link                                                                                  */
  /* ------------------------------------------------------------------------------------------ */

  function enhanceSharing(share, permalinks) {
    const status = element("div", "share-status");
    status.setAttribute("role", "status");
    (document.getElementById("main") || document.body).append(status);
    let sayTimer = 0;
    let clearTimer = 0;
    let fallback = null;

    function announce(message) {
      window.clearTimeout(sayTimer);
      window.clearTimeout(clearTimer);
      status.replaceChildren();
      // Emptied first and filled a moment later, so the same words said twice are heard twice.
      sayTimer = window.setTimeout(() => {
        status.textContent = message;
      }, 50);
      clearTimer = window.setTimeout(() => status.replaceChildren(), 10000);
    }

    function removeFallback() {
      if (fallback) fallback.remove();
      fallback = null;
    }

    /** No clipboard for us: show the address selected, so the reader's own copy command takes it. */
    function showFallback(url, place, returnTo) {
      removeFallback();
      const apple = /Mac|iPhone|iPad|iPod/.test(navigator.platform || navigator.userAgent);
      const message = `Press ${apple ? "⌘C" : "Ctrl+C"} to copy`;
      const box = element("div", "share-fallback");
      const label = element("label", "share-fallback-label", message);
      const input = element("input", "share-fallback-input");
      input.id = "share-fallback-input";
      input.type = "text";
      input.readOnly = true;
      input.value = url;
      input.spellcheck = false;
      label.htmlFor = input.id;
      box.append(label, input);
      place(box);
      fallback = box;
      input.addEventListener("copy", () => announce("Link copied"));
      input.addEventListener("keydown", (event) => {
        if (event.key !== "Escape") return;
        event.preventDefault();
        removeFallback();
        returnTo.focus();
      });
      // After the click has done what it does (a permalink goes to its section, which would take focus back).
      window.setTimeout(() => {
        input.focus();
        input.select();
      }, 0);
      announce(message);
    }

    /** Copy `url`; say `done` when it worked, or fall back to a selected address. */
    function copy(url, done, place, returnTo, onCopied) {
      const clipboard = navigator.clipboard;
      if (!clipboard || typeof clipboard.writeText !== "function") {
        showFallback(url, place, returnTo);
        return;
      }
      clipboard.writeText(url).then(
        () => {
          removeFallback();
          announce(done);
          if (onCopied) onCopied();
        },
        () => showFallback(url, place, returnTo),
      );
    }

    if (share) {
      const button = element("button", "share-button", "Copy link");
      button.type = "button";
      let resetTimer = 0;
      button.addEventListener("click", () =>
        copy(
          pageUrl(),
          "Link copied",
          (box) => share.append(box),
          button,
          () => {
            button.textContent = "Link copied";
            window.clearTimeout(resetTimer);
            resetTimer = window.setTimeout(() => {
              button.textContent = "Copy link";
            }, COPIED_MS);
          },
        ),
      );
      share.append(button);
    }

    permalinks.forEach((link) => {
      // The link still does what it does without JavaScript (go to its section); this adds the copy.
      link.addEventListener("click", (event) => {
        if (event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
        const hash = link.getAttribute("href") || "";
        const heading = link.closest("h1, h2, h3, h4, h5, h6") || link;
        copy(`${pageUrl()}${hash}`, "Link to section copied", (box) => heading.after(box), link);
      });
    });
  }

  const main = document.getElementById("main") || document.body;
  // A reference's id is this prefix and its key; the page says which (REFERENCE_ID_PREFIX on the server).
  const referenceHash = `#${main.dataset.referencePrefix || ""}`;
  const triggers = [
    ...main.querySelectorAll("a.term-link[data-term]"),
    ...(referenceHash.length > 1 ? main.querySelectorAll(`sup.citation a[href^="${referenceHash}"]`) : []),
    ...main.querySelectorAll('a.level-link[href^="#level-"]'),
  ].filter((link) => isSitePage(link.href));
  if (triggers.length && "fetch" in window) enhancePreviews(triggers);

  const share = main.querySelector("[data-share]");
  const permalinks = [...main.querySelectorAll('a.permalink[href^="#"]')];
  if (share || permalinks.length) enhanceSharing(share, permalinks);
})();
