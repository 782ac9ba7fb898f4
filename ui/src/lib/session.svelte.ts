// Who is signed in, what their role lets them change, and the idle lock.
// The core decides all three; this keeps the UI in step: it asks the core
// on a timer (which does not count as activity), tells it when the person
// types or clicks, and shows the sign-in screen when the core says so.
import { call, whenSignInNeeded } from "./api";
import type { Operation } from "./bindings/Operation";
import type { SignInState } from "./bindings/SignInState";

/** `recoveryKey`: the agency's key, shown once after the first user is made
 * and held here, not by the sign-in screen, so that the timer's refresh (which
 * finds that user signed in) cannot take it off the screen before it is kept. */
export const session = $state<{ state: SignInState | null; recoveryKey: string }>({ state: null, recoveryKey: "" });

/** Whether the signed-in role may carry out `op` (the core checks again). */
export function can(op: Operation): boolean {
  return session.state?.allowed.includes(op) ?? false;
}

export async function refresh() {
  session.state = await call("sign_in_state", {});
}

const PING_EVERY_MS = 30_000;
const CHECK_EVERY_MS = 15_000;
let lastPing = 0;

/** Typing in a form sends no command; tell the core the person is here. */
function activity() {
  if (!session.state?.session || Date.now() - lastPing < PING_EVERY_MS) return;
  lastPing = Date.now();
  call("still_here", {}).catch(() => {});
}

export function watchSession() {
  whenSignInNeeded(() => void refresh());
  for (const event of ["keydown", "pointerdown", "wheel"]) window.addEventListener(event, activity, { capture: true, passive: true });
  setInterval(() => void refresh(), CHECK_EVERY_MS);
  void refresh();
}

export async function lockNow() {
  await call("sign_out", {});
  await refresh();
}
