// Lane labels cut to the room they have, staying tell-apart. Fetches of
// `slow/data/numbers.txt?latency=300` and `...latency=400` differ only near
// the end, so a plain cut shows the same text for both. A label gives way in
// the middle ("sum(…300))"); labels that still look alike show the place
// where they differ ("…y=300\"…"); any still alike get a number ("…·2").
// Copies of one task (`gather(4 * sum(a))`) have the same text: each gets its
// copy number ("sum(a) #2"), as the replay's moment panel names them.

/** `text` cut to `room` characters, the middle replaced by "…" (whole code points). */
export function cutMiddle(text, room) {
  const chars = Array.from(text);
  if (chars.length <= room) return text;
  if (room <= 1) return "…";
  const tail = Math.floor((room - 1) / 2);
  return `${chars.slice(0, room - 1 - tail).join("")}…${tail ? chars.slice(-tail).join("") : ""}`;
}

/** `room` characters of `chars` around index `at`, with "…" where text is left out. */
function windowAt(chars, at, room) {
  if (chars.length <= room) return chars.join("");
  if (room <= 2) return cutMiddle(chars.join(""), room);
  if (at < room - 2) return `${chars.slice(0, room - 1).join("")}…`;
  const from = Math.max(at - 2, 0);
  if (chars.length - from <= room - 1) return `…${chars.slice(-(room - 1)).join("")}`;
  return `…${chars.slice(from, from + room - 2).join("")}…`;
}

/** How many leading code points `a` and `b` share. */
function commonPrefix(a, b) {
  let n = 0;
  while (n < a.length && n < b.length && a[n] === b[n]) n++;
  return n;
}

/** Groups of indices whose shown texts are equal but whose full texts are not. */
function alike(labels, shown) {
  const groups = new Map();
  shown.forEach((text, i) => {
    groups.set(text, [...(groups.get(text) ?? []), i]);
  });
  return [...groups.values()].filter((indices) => new Set(indices.map((i) => labels[i].text)).size > 1);
}

/**
 * Each `{ text, room }` as shown in at most `room` characters, different
 * texts shown differently wherever the room allows.
 * @param {{text: string, room: number}[]} labels
 * @returns {string[]}
 */
export function fitLabels(labels) {
  const shown = labels.map(({ text, room }) => cutMiddle(text, room));
  for (const indices of alike(labels, shown)) {
    const texts = [...new Set(indices.map((i) => labels[i].text))].map((text) => ({ text, chars: Array.from(text) }));
    for (const i of indices) {
      const chars = Array.from(labels[i].text);
      const differsAt = Math.max(
        ...texts.filter((t) => t.text !== labels[i].text).map((t) => commonPrefix(chars, t.chars)),
      );
      shown[i] = windowAt(chars, differsAt, labels[i].room);
    }
  }
  // Still alike: the row where each text first appears, unique across every group.
  const firstRow = new Map();
  labels.forEach(({ text }, i) => {
    if (!firstRow.has(text)) firstRow.set(text, i + 1);
  });
  for (const indices of alike(labels, shown)) {
    for (const i of indices) {
      const suffix = `·${firstRow.get(labels[i].text)}`;
      shown[i] = `${cutMiddle(labels[i].text, Math.max(labels[i].room - suffix.length, 1))}${suffix}`;
    }
  }
  return shown;
}

/**
 * Each lane's name: its label, numbered " #1", " #2", … in lane order when
 * several lanes share it (the same rule as the replay's lane names, so the
 * timeline and the moment panel say the same).
 * @param {{id: number, label: string}[]} lanes
 * @returns {Map<number, string>} lane id → name
 */
export function laneNames(lanes) {
  const byId = [...lanes].sort((a, b) => a.id - b.id);
  const count = new Map();
  for (const { label } of byId) count.set(label, (count.get(label) ?? 0) + 1);
  const numbered = new Map();
  return new Map(
    byId.map(({ id, label }) => {
      if (count.get(label) === 1) return [id, label];
      const n = (numbered.get(label) ?? 0) + 1;
      numbered.set(label, n);
      return [id, `${label} #${n}`];
    }),
  );
}
