// What the next page shows once, after a save that took the person away
// from its form: what saving a client or a care package did to the visits
// already made, which the form itself is no longer there to say.
import type { Followed } from "./bindings/Followed";

let waiting: Followed | null = null;

export function leaveNotice(followed: Followed) {
  waiting = followed;
}

/** What was left for this page, once; null when nothing was. */
export function takeNotice(): Followed | null {
  const left = waiting;
  waiting = null;
  return left;
}
