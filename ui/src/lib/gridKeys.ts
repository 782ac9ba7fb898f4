// Which way a key moves the focus on the rota grid. The grid is one Tab
// stop; on it the keys go from visit to visit (the core finds which:
// `board_near`, as most rows are not drawn) and to and between the carers'
// names. Here is only what a key asks for, from where.
import type { Go } from "./bindings/Go";

/** A lane of the board: -1 for the unallocated lane, else a carer's row. */
export type Lane = number;

/** The board as the keys see it: where each carers' row's top is (pixels under the unallocated lane), how far they are scrolled, how many of those pixels show at once, and how long its timeline is. */
export interface Rows {
  tops: number[];
  scrolled: number;
  screen: number;
  lengthMin: number;
}

/** The lane a screenful of carers' rows below `lane` (or above it): the first
 * row whose top is a screen's height further down, or the last one that far
 * up; past the end, one beyond it (-1 or the count), for the core to clamp.
 * The unallocated lane stays in place over the rows, so a screenful below it
 * is below the rows in view. */
export function pageFrom(rows: Rows, lane: Lane, down: boolean): Lane {
  const top = lane < 0 ? rows.scrolled : rows.tops[lane];
  const screen = Math.max(1, rows.screen);
  if (down) {
    const i = rows.tops.findIndex((t) => t >= top + screen);
    return i < 0 ? rows.tops.length : i;
  }
  let i = lane;
  while (i >= 0 && rows.tops[i] > top - screen) i--;
  return i;
}

/** Where a key asks to go from a visit (`visit`, from `atMin` for `durationMin`) in `lane`; null for a key that does not move. */
export function goFromVisit(
  key: string,
  ctrl: boolean,
  lane: Lane,
  visit: { id: string; at_min: number; duration_min: number },
  rows: Rows,
): Go | null {
  const down = ["ArrowDown", "PageDown", "End"].includes(key);
  const minute = visit.at_min + Math.floor(visit.duration_min / 2);
  switch (key) {
    case "ArrowLeft":
    case "ArrowRight":
      return { go: "along", lane, visit: visit.id, later: key === "ArrowRight" };
    case "Home":
    case "End":
      if (!ctrl) return { go: "end", lane, last: down };
      // The board's first visit from its top left, its last from its bottom right.
      return down
        ? { go: "across", from: rows.tops.length - 1, down: false, minute: rows.lengthMin }
        : { go: "across", from: -1, down: true, minute: 0 };
    case "ArrowUp":
    case "ArrowDown":
      return { go: "across", from: lane + (down ? 1 : -1), down, minute };
    case "PageUp":
    case "PageDown":
      return { go: "across", from: pageFrom(rows, lane, down), down, minute };
  }
  return null;
}

/** Where a key asks to go from a carer's name (row `lane`): its first visit
 * (`visits`), another carer's name (`name`, the row, clamped to the board),
 * or nowhere. */
export function goFromName(key: string, ctrl: boolean, lane: Lane, rows: Rows): { visits: Go } | { name: Lane } | null {
  const last = rows.tops.length - 1;
  const clamp = (i: Lane) => Math.min(Math.max(i, 0), last);
  switch (key) {
    case "ArrowRight":
      return { visits: { go: "end", lane, last: false } };
    case "ArrowUp":
      return lane > 0 ? { name: lane - 1 } : null;
    case "ArrowDown":
      return lane < last ? { name: lane + 1 } : null;
    case "PageUp":
    case "PageDown":
      return { name: clamp(pageFrom(rows, lane, key === "PageDown")) };
    case "Home":
    case "End":
      return ctrl ? { name: key === "Home" ? 0 : last } : null;
  }
  return null;
}

/** The keys, as the help line's title and the grid's description for a screen reader say them. */
export const KEYS_SAID =
  "On a visit: the arrow keys go along its lane or to the nearest visit above or below; Home and End to the lane's first and last; Page Up and Page Down a screenful of carers; Ctrl+Home and Ctrl+End to the board's first and last visits; left of a lane's first visit is the carer's name; Enter opens a visit.";
