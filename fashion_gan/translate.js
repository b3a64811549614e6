// What the server writes while the page runs (error messages, the link notice, the map's position line,
// gallery captions) arrives in English, which API and MCP clients read too. In a Korean page it is
// translated here, in the browser, with the catalogue of fashion_gan/words.py, so it follows Gradio's
// language (the browser's, or the one the visitor switches to) without asking the server again.
(() => {
  "use strict";

  // "{name} must be a number, got {got}" -> /^(.+?) must be a number, got (.+?)$/s and its names
  function compile([english, korean]) {
    const names = [];
    const source = english.split(/(\{\w+\})/).map((part) => {
      const name = /^\{(\w+)\}$/.exec(part);
      if (!name) return part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      names.push(name[1]);
      return "(.+?)";
    }).join("");
    return { pattern: new RegExp(`^${source}$`, "s"), names, korean };
  }

  // translator(words)(text): a phrase's Korean, or the first matching template's with each value
  // translated in turn (a field's name, a reason), or the text as it was.
  function translator(words) {
    const phrases = new Map(Object.entries(words.phrases));
    const templates = words.templates.map(compile);
    function translate(text) {
      if (phrases.has(text)) return phrases.get(text);
      for (const { pattern, names, korean } of templates) {
        const match = pattern.exec(text);
        if (match) {
          const values = Object.fromEntries(names.map((name, i) => [name, translate(match[i + 1])]));
          return korean.replace(/\{(\w+)\}/g, (_, name) => values[name]);
        }
      }
      return text;
    }
    return translate;
  }
  globalThis.fashionGanTranslator = translator;
  if (typeof document === "undefined" || !globalThis.fashionGanWords) return;  // Node, in the tests

  const translate = translator(globalThis.fashionGanWords);
  const TARGETS = '[data-testid="toast-body"], .say';  // error toasts, and the elements app.py marks
  const korean = () => (document.documentElement.lang || "").toLowerCase().startsWith("ko");
  const seen = new WeakMap();  // text node -> {english, shown}: the server's text, and what the page shows

  function show(node) {
    let entry = seen.get(node);
    if (!entry || node.data !== entry.shown) entry = { english: node.data };  // new text from the server
    const text = entry.english, trimmed = text.trim();
    let shown = text;
    if (korean() && trimmed) {
      const start = text.indexOf(trimmed);
      shown = text.slice(0, start) + translate(trimmed) + text.slice(start + trimmed.length);
    }
    entry.shown = shown;
    seen.set(node, entry);
    if (node.data !== shown) node.data = shown;
  }

  function sweep() {
    for (const element of document.querySelectorAll(TARGETS)) {
      const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT, {  // commands and code stay as written
        acceptNode: (node) => (node.parentElement?.closest("pre, code") ? NodeFilter.FILTER_REJECT
                                                                          : NodeFilter.FILTER_ACCEPT),
      });
      for (let node = walker.nextNode(); node; node = walker.nextNode()) show(node);
    }
  }

  let pending = false;
  new MutationObserver(() => {  // our own edits come back here once, and change nothing more
    if (pending) return;
    pending = true;
    queueMicrotask(() => { pending = false; sweep(); });
  }).observe(document.documentElement, { subtree: true, childList: true, characterData: true, attributes: true,
                                         attributeFilter: ["lang"] });

  // Gradio keeps its language in a Svelte store of its runtime module (its Settings panel sets it; the
  // page's <html lang> follows it). Find that store by what it holds, not by a minified name.
  async function languageStore() {
    const urls = [...performance.getEntriesByType("resource").map((entry) => entry.name),
                  ...[...document.querySelectorAll("link[rel=modulepreload]")].map((link) => link.href)];
    const url = urls.find((name) => /\/assets\/runtime-[^/]*\.js$/.test(name));
    if (!url) return null;
    const module = await import(url);
    return Object.values(module).find((value) => {
      if (!value || typeof value.set !== "function" || typeof value.subscribe !== "function") return false;
      let current;
      value.subscribe((v) => { current = v; })();
      return current === document.documentElement.lang;
    }) || null;
  }

  // The page's language button: Korean <-> English. Where Gradio's store cannot be found, its Settings open.
  async function toggleLanguage() {
    const store = await languageStore().catch(() => null);
    if (store) {
      store.set(korean() ? "en" : "ko");
      return;
    }
    const buttons = document.querySelectorAll("footer button");
    buttons[buttons.length - 1]?.click();
  }
  globalThis.fashionGan = { ...globalThis.fashionGan, toggleLanguage, translate };
})();
