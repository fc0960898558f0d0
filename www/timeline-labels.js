// Lane labels cut to the room they have, staying tell-apart: fetches of
// `slow/data/numbers.txt?latency=300` and `...latency=400` differ only at the
// end, so a label gives way in the middle ("sum(fetch(\"sl…y=300\"))"), and
// labels that still look alike get their row number ("…·2").

/** `text` cut to `room` characters, the middle replaced by "…" (whole code points). */
export function cutMiddle(text, room) {
  const chars = Array.from(text);
  if (chars.length <= room) return text;
  if (room <= 1) return "…";
  const tail = Math.floor((room - 1) / 2);
  return `${chars.slice(0, room - 1 - tail).join("")}…${tail ? chars.slice(-tail).join("") : ""}`;
}

/**
 * Each `{ text, room }` as shown: cut in the middle to `room` characters;
 * different texts that cut to the same text end in "·1", "·2", ... in order.
 * @param {{text: string, room: number}[]} labels
 * @returns {string[]}
 */
export function fitLabels(labels) {
  const shown = labels.map(({ text, room }) => cutMiddle(text, room));
  const textsOf = new Map(); // shown → the different full texts behind it, in order
  labels.forEach(({ text }, i) => {
    const texts = textsOf.get(shown[i]) ?? new Set();
    texts.add(text);
    textsOf.set(shown[i], texts);
  });
  return labels.map(({ text, room }, i) => {
    const texts = [...textsOf.get(shown[i])];
    if (texts.length < 2) return shown[i];
    const suffix = `·${texts.indexOf(text) + 1}`;
    return `${cutMiddle(text, Math.max(room - suffix.length, 1))}${suffix}`;
  });
}
