// The browser's half of fetch(...) and db(...) sources (src/web/io/): one
// Promise per chunk or batch. The wasm parses, words messages, holds the caps.

/** One GET: `head()` once, then `next()` until it resolves to null; `abort()` at any time. */
export class BodyReader {
  constructor(url) {
    this.url = url;
    this.controller = new AbortController();
    this.reader = null;
  }

  /** Resolves to false if `fetch` gave no Response, else to true with the head read (status, statusText, slow, length). */
  async head() {
    const response = await fetch(this.url, { method: "GET", signal: this.controller.signal });
    if (!(response instanceof Response)) return false;
    this.status = response.status;
    this.statusText = response.statusText;
    this.slow = response.headers.has("x-slow");
    this.length = response.headers.get("content-length") ?? "";
    this.reader = response.body?.getReader() ?? null;
    return true;
  }

  /** The body's next chunk, or null at its end. */
  async next() {
    if (!this.reader) return null;
    const { done, value } = await this.reader.read();
    return done ? null : value;
  }

  get aborted() {
    return this.controller.signal.aborted;
  }

  /** Stops the download (harmless once the body is complete). Not `reader.cancel()`: its rejection would go unhandled. */
  abort() {
    this.controller.abort();
  }
}

/** `url` against the page, or "" if it is not a URL. */
export function resolveUrl(url) {
  try {
    return new URL(url, globalThis.location?.href).href;
  } catch {
    return "";
  }
}

/**
 * A scan of one store: the cursor runs ahead (it must ask for the next record
 * while the transaction is active), collecting one field's numbers for
 * `next()`. It stops at the end, at `limit` records, or at a record without a
 * number (`bad`; `badKey`, `badKeys` or `badShown` for the message).
 */
export class RecordReader {
  constructor(store, field, low, high, limit) {
    Object.assign(this, { store, field, low, high, limit });
    this.values = [];
    this.count = 0;
    this.bad = false;
    this.badKey = Number.NaN;
    this.badKeys = null;
    this.badShown = null;
    this.done = false;
    this.failure = null;
    this.wake = null;
    this.closed = false;
    this.db = null;
    this.tx = null;
    this.request = null;
  }

  /**
   * Opens the database (on upgrade, creates `seedStore` keyed by `id` with the
   * records of `seedJson`) and starts the cursor. Resolves to null, or to the
   * store names if the store is missing; rejects with why it did not open.
   */
  async open(name, version, seedStore, seedJson) {
    const db = await openDatabase(this, name, version, seedStore, seedJson);
    if (this.closed) {
      db.close();
      throw new Error("closed");
    }
    this.db = db;
    const names = [...db.objectStoreNames];
    if (!names.includes(this.store)) {
      this.db = null;
      db.close();
      return names;
    }
    this.tx = db.transaction(this.store, "readonly");
    const store = this.tx.objectStore(this.store);
    this.request = store.openCursor(Number.isNaN(this.low) ? undefined : IDBKeyRange.bound(this.low, this.high));
    this.request.onsuccess = () => this.record();
    this.request.onerror = () => {
      const error = this.request.error;
      this.fail(error ? `${error.name}: ${error.message}` : "the cursor failed");
    };
    return null;
  }

  /** One record read, the next asked for. */
  record() {
    if (this.done) return;
    const cursor = this.request.result;
    if (!cursor) return this.finish();
    const record = cursor.value;
    const value = record !== null && typeof record === "object" ? record[this.field] : undefined;
    if (typeof value === "number" && Number.isFinite(value)) {
      this.values.push(value);
    } else {
      this.bad = true;
      this.badKey = typeof cursor.key === "number" ? cursor.key : Number.NaN;
      if (record !== null && typeof record === "object") {
        if (value === undefined) this.badKeys = Object.keys(record);
        else this.badShown = shown(value);
      }
      this.failure = new Error("a record without a number");
      return this.finish();
    }
    if (++this.count >= this.limit) return this.finish();
    try {
      cursor.continue();
    } catch (error) {
      this.fail(error.message);
    }
  }

  fail(message) {
    this.failure = new Error(message);
    this.finish();
  }

  finish() {
    this.done = true;
    this.wake?.();
  }

  /** Resolves to the numbers read since the last call (a Float64Array, never empty), or null at the end; then rejects after a failure. */
  next() {
    return new Promise((resolve, reject) => {
      const take = () => {
        this.wake = null;
        if (this.values.length) resolve(Float64Array.from(this.values.splice(0)));
        else if (this.failure) reject(this.failure);
        else if (this.done) resolve(null);
        else this.wake = take;
      };
      take();
    });
  }

  /** Stops the scan: aborts an unfinished transaction, closes the database (now, or when it opens). */
  close() {
    this.closed = true;
    if (this.request) {
      this.request.onsuccess = null;
      this.request.onerror = null;
    }
    if (this.tx && !this.done) {
      try {
        this.tx.abort();
      } catch {
        // already finished
      }
    }
    this.done = true;
    this.db?.close();
  }
}

/** A field's value as a message shows it. */
function shown(value) {
  if (typeof value === "string") return `'${value}'`;
  try {
    return JSON.stringify(value) ?? "this value";
  } catch {
    return "this value";
  }
}

/** Opens the sample database, creating and filling its store on first use. */
function openDatabase(reader, name, version, seedStore, seedJson) {
  return new Promise((resolve, reject) => {
    const unavailable = "IndexedDB is unavailable here";
    if (!globalThis.indexedDB) {
      reject(new Error(`${unavailable} (private browsing, or storage disabled for this site)`));
      return;
    }
    let request;
    try {
      request = indexedDB.open(name, version);
    } catch (error) {
      reject(new Error(`${unavailable} (${error.name}: ${error.message})`));
      return;
    }
    // Whichever handler fires first settles the open.
    let settled = false;
    const settle = (result, error) => {
      if (settled) return;
      settled = true;
      if (error) reject(error);
      else resolve(result);
    };
    request.onupgradeneeded = () => {
      try {
        const db = request.result;
        if (db.objectStoreNames.contains(seedStore)) return;
        const store = db.createObjectStore(seedStore, { keyPath: "id" });
        for (const record of JSON.parse(seedJson)) store.put(record);
      } catch (error) {
        settle(null, new Error(`could not create the sample store: ${error.message}`));
      }
    };
    request.onsuccess = () => {
      // Opened after its reader gave up (blocked, stopped): closed, to block no one.
      if (settled || reader.closed) request.result.close();
      settle(request.result);
    };
    request.onerror = () => {
      const error = request.error;
      const why = error ? `${error.name}: ${error.message}` : "the database did not open";
      settle(null, new Error(`could not open IndexedDB '${name}': ${why}`));
    };
    request.onblocked = () => {
      const why = "another tab holds an older version open; close it and run again";
      settle(null, new Error(`opening IndexedDB '${name}' is blocked: ${why}`));
    };
  });
}
