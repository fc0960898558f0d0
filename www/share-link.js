// Share links: a program and its settings in the URL hash, like the TypeScript
// playground: #code/<base64url( deflate-raw( UTF-8( JSON ) ) )>.
// The platform's CompressionStream does the compression, so no library is needed.

export const HASH_PREFIX = "#code/";
/** Longer hashes are refused before any work is done on them. */
export const MAX_HASH_LENGTH = 200_000;
/** A few kilobytes of hash must not inflate into megabytes of program. */
const MAX_INFLATED_BYTES = 1_000_000;
const FORMAT_VERSION = 1;
/**
 * A real run's recording (its report as JSON) goes into a link up to this
 * size; over it the link holds only the program, recomputed on the virtual clock.
 */
export const MAX_RECORDING_CHARS = 60_000;

/** Why a share link could not be read; `message` is meant for people. */
export class ShareLinkError extends Error {
  name = "ShareLinkError";
}

/** True when `hash` (as in `location.hash`) carries a shared program. */
export function isShareHash(hash) {
  return typeof hash === "string" && hash.startsWith(HASH_PREFIX);
}

/**
 * `{ code, clock, speed, t?, recording?, recordingDropped? }` → `"#code/..."`:
 * `t` (ms) opens the run paused there; `recording` is a real run's report.
 */
export async function encodeShareHash({ code, clock, speed, t, recording, recordingDropped }) {
  const json = JSON.stringify({ v: FORMAT_VERSION, code, clock, speed, t, recording, recordingDropped });
  const packed = await pipeBytes(new TextEncoder().encode(json), new CompressionStream("deflate-raw"));
  return HASH_PREFIX + toBase64Url(packed);
}

/** A full link to `page` (a URL) that opens the program. */
export async function shareUrl(page, settings) {
  const url = new URL(page);
  url.hash = await encodeShareHash(settings);
  return url.href;
}

/**
 * `"#code/..."` → `{ code, clock?, speed?, t?, recording?, recordingDropped? }`. Throws a `ShareLinkError` that
 * says what is wrong for anything that is not a link this module made.
 */
export async function decodeShareHash(hash) {
  if (!isShareHash(hash)) throw new ShareLinkError("it does not start with #code/");
  if (hash.length > MAX_HASH_LENGTH) {
    throw new ShareLinkError(
      `it is ${hash.length.toLocaleString("en")} characters long (the limit is ${MAX_HASH_LENGTH.toLocaleString("en")})`,
    );
  }
  const packed = fromBase64Url(hash.slice(HASH_PREFIX.length));
  let json;
  try {
    const bytes = await pipeBytes(packed, new DecompressionStream("deflate-raw"), MAX_INFLATED_BYTES);
    json = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch (error) {
    if (error instanceof ShareLinkError) throw error;
    throw new ShareLinkError("its compressed data is corrupt (was it cut off when copying?)");
  }
  let data;
  try {
    data = JSON.parse(json);
  } catch {
    throw new ShareLinkError("its contents are not valid JSON");
  }
  if (data === null || typeof data !== "object" || typeof data.code !== "string") {
    throw new ShareLinkError("it does not contain a program");
  }
  if (data.v !== FORMAT_VERSION) throw new ShareLinkError(`it was made by an unknown version (${String(data.v)})`);
  return {
    code: data.code,
    clock: data.clock === "real" || data.clock === "virtual" ? data.clock : undefined,
    speed: typeof data.speed === "string" ? data.speed : undefined,
    t: Number.isFinite(data.t) && data.t >= 0 ? data.t : undefined,
    recording: data.recording !== null && typeof data.recording === "object" ? data.recording : undefined,
    recordingDropped: data.recordingDropped === true,
  };
}

/** Runs `bytes` through a transform stream; stops reading past `limit` bytes. */
async function pipeBytes(bytes, transform, limit = Infinity) {
  const reader = new Blob([bytes]).stream().pipeThrough(transform).getReader();
  const chunks = [];
  let length = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    length += value.length;
    if (length > limit) {
      await reader.cancel().catch(() => {});
      throw new ShareLinkError(`it expands to more than ${limit.toLocaleString("en")} bytes`);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(length);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

function toBase64Url(bytes) {
  let binary = "";
  // String.fromCharCode with a spread would overflow the stack on long programs.
  const CHUNK = 0x8000;
  for (let i = 0; i < bytes.length; i += CHUNK) {
    binary += String.fromCharCode.apply(null, bytes.subarray(i, i + CHUNK));
  }
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

function fromBase64Url(text) {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new ShareLinkError("it contains characters a share link never has");
  if (text.length === 0) throw new ShareLinkError("it is empty after #code/");
  const base64 = text.replaceAll("-", "+").replaceAll("_", "/");
  let binary;
  try {
    binary = atob(base64 + "=".repeat((4 - (base64.length % 4)) % 4));
  } catch {
    throw new ShareLinkError("it is not valid base64url (was it cut off when copying?)");
  }
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}
