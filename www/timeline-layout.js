// Which lane goes in which row: depth-first through the lane tree (children
// in id order), so a group's row is followed by its children's rows and the
// group's bracket can span them.

/**
 * @param {Iterable<{id:number,parent:number|null,statement:number}>} lanes
 * @param {number} maxRows rows beyond this are counted, not laid out
 * @returns {{ rows: object[], lastDescendantRow: Map<number, number>, hidden: number }}
 *   rows: lanes in display order; lastDescendantRow: lane id → index of the
 *   last row inside that lane's subtree (its own row for a leaf).
 */
export function layoutRows(lanes, maxRows) {
  const all = [...lanes];
  const known = new Set(all.map((lane) => lane.id));
  const children = new Map();
  const roots = [];
  for (const lane of all) {
    // A parent that was never traced (over the lane cap) makes this lane a root.
    if (lane.parent != null && known.has(lane.parent)) {
      if (!children.has(lane.parent)) children.set(lane.parent, []);
      children.get(lane.parent).push(lane);
    } else {
      roots.push(lane);
    }
  }
  const byId = (a, b) => a.id - b.id;
  // Statements keep program order even if a later statement's lane id is smaller.
  roots.sort((a, b) => a.statement - b.statement || a.id - b.id);

  const rows = [];
  const lastDescendantRow = new Map();
  // Iterative, so a deeply nested program cannot overflow the stack.
  const stack = [...roots].reverse().map((lane) => ({ lane, leaving: false }));
  while (stack.length) {
    const item = stack.pop();
    if (item.leaving) {
      lastDescendantRow.set(item.lane.id, Math.min(rows.length, maxRows) - 1);
      continue;
    }
    rows.push(item.lane);
    stack.push({ lane: item.lane, leaving: true });
    const kids = (children.get(item.lane.id) || []).sort(byId);
    for (let i = kids.length - 1; i >= 0; i--) stack.push({ lane: kids[i], leaving: false });
  }
  const hidden = Math.max(rows.length - maxRows, 0);
  return { rows: rows.slice(0, maxRows), lastDescendantRow, hidden };
}
