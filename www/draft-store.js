// Drafts: the editor's text kept in localStorage, per page and per element,
// so a reload loses no edit.
//
//   const drafts = new DraftStore(draftKey(element));
//   drafts.save({ text, original, example });   // on every edit
//   drafts.load();                               // → { text, original, example } or null
//   drafts.clear();                              // back at the original
//
// Storage can be missing or refuse (a sandboxed iframe, private mode, a full
// quota): then nothing is kept and nothing throws.

const PREFIX = "async-playground:draft:";
/** Bigger drafts are not kept: localStorage holds about 5 MB per site. */
const MAX_DRAFT_CHARS = 200_000;

/** localStorage, or null where reading it throws (sandboxed iframes, disabled storage). */
function storage() {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}

/** A short, stable fingerprint of a long string (FNV-1a, 32 bits, hex). */
function fingerprint(text) {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(16);
}

/**
 * The key of `element`'s draft: the page's path, then the element's id (or
 * its index among the page's playgrounds) and where its program comes from
 * (`example`, `src`, or the link it was opened with).
 */
export function draftKey(element, { fromLink = "" } = {}) {
  const all = [...document.querySelectorAll(element.localName)];
  const which = element.id ? `#${element.id}` : String(Math.max(all.indexOf(element), 0));
  const source = element.getAttribute("src") || element.getAttribute("example") || "";
  const link = fromLink ? `:${fingerprint(fromLink)}` : "";
  return `${PREFIX}${location.pathname}:${which}:${source}${link}`;
}

export class DraftStore {
  #key;

  /** @param {string} key from draftKey() */
  constructor(key) {
    this.#key = key;
  }

  /** The saved draft `{ text, original, example }`, or null (none, unreadable or damaged). */
  load() {
    try {
      const draft = JSON.parse(storage()?.getItem(this.#key) ?? "null");
      if (typeof draft?.text !== "string" || typeof draft.original !== "string") return null;
      return { text: draft.text, original: draft.original, example: String(draft.example ?? "") };
    } catch {
      return null;
    }
  }

  /** Keeps `text`, edited from `original` (the built-in example `example`, or ""), where storage allows. */
  save({ text, original, example = "" }) {
    if (text.length > MAX_DRAFT_CHARS || original.length > MAX_DRAFT_CHARS) {
      this.clear();
      return;
    }
    try {
      storage()?.setItem(this.#key, JSON.stringify({ text, original, example }));
    } catch {
      // A full quota or a storage that refuses writes: this draft is not kept.
    }
  }

  clear() {
    try {
      storage()?.removeItem(this.#key);
    } catch {
      // Nothing to clear where storage is refused.
    }
  }
}
