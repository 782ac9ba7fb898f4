// Opens the real Caredesk binary through tauri-driver (WebDriver on :4444),
// which `cargo xtask test` starts under Xvfb with a temporary data folder.
import { remote } from "webdriverio";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";

/** The registered manager the first test to run makes on the first start. */
export const MANAGER = { userName: "sam", fullName: "Sam Manager", password: "kettle on at seven" };

/** Opens the app and signs in as `who` (on a first start, making them the first user). */
export async function openApp(who = MANAGER) {
  const application = process.env.CAREDESK_APP;
  if (!application) throw new Error("CAREDESK_APP is not set: run these through `cargo xtask test`");
  const app = await remote({
    hostname: "127.0.0.1",
    port: 4444,
    logLevel: "warn",
    capabilities: { "tauri:options": { application }, "wdio:enforceWebDriverClassic": true },
  });
  await app.setTimeout({ implicit: 0 });
  await signIn(app, who);
  return app;
}

/** Waits for the field matching `selector` and replaces what it holds with `value`. */
export async function type(app, selector, value) {
  const field = await app.$(selector);
  await field.waitForExist({ timeout: 10000 });
  await field.clearValue();
  await field.setValue(value);
}

/**
 * Sets a date or time field's value as the page's own picker would, with
 * the events the page listens for: WebDriver's typing into WebKit's date
 * fields depends on the locale's order of day, month and year.
 */
export async function setInput(app, selector, value) {
  await app.execute(
    (sel, v) => {
      const input = document.querySelector(sel);
      input.value = v;
      input.dispatchEvent(new Event("input", { bubbles: true }));
      input.dispatchEvent(new Event("change", { bubbles: true }));
    },
    selector,
    value,
  );
}

/** Fills whichever sign-in screen shows (first user, sign in or unlock) and waits to be in. */
export async function signIn(app, who = MANAGER) {
  const title = await app.$("#sign-in-title");
  await title.waitForExist({ timeout: 15000 });
  const welcome = (await title.getText()).startsWith("Welcome");
  if (welcome) {
    await type(app, "#f-full_name", who.fullName);
    await type(app, "#f-user_name", who.userName);
    await type(app, "#f-password", who.password);
    await type(app, "#f-password_again", who.password);
  } else {
    await type(app, "#f-user_name", who.userName);
    await type(app, "#f-password", who.password);
  }
  await (await app.$(".sign-in button[type=submit]")).click();
  if (welcome) {
    // The recovery key is shown once; a person writes it down and carries on.
    await waitForText(app, "#sign-in-title", "recovery key", 30000);
    const key = await (await app.$(".key")).getText();
    if (!/^([2-9A-HJ-NP-Z]{4}-){7}[2-9A-HJ-NP-Z]{4}$/.test(key)) throw new Error(`expected a recovery key, saw "${key}"`);
    await screenshot(app, "39-recovery-key");
    // It stays while the person writes it down: past the UI's next check of
    // the session (every 15 s), which finds them signed in already.
    await app.pause(16000);
    if (!(await (await app.$("#sign-in-title")).getText()).includes("recovery key")) {
      throw new Error("the recovery key went from the screen before it was ticked as kept");
    }
    // Carrying on takes a tick first.
    const carryOn = await app.$(".sign-in button.primary");
    if (!(await carryOn.getText()).includes("carry on")) throw new Error("expected the carry-on button");
    if (await carryOn.isEnabled()) throw new Error("carrying on past the key must wait for the tick");
    await (await app.$(".sign-in .kept input")).click();
    await carryOn.click();
  }
  await waitForText(app, ".who-name", who.fullName, 15000);
}

/** Waits for the first element matching `selector` whose text includes `text`. */
export async function waitForText(app, selector, text, timeout = 10000) {
  let last = "";
  let found = null;
  await app.waitUntil(
    async () => {
      const elements = await app.$$(selector);
      for (const element of elements) {
        last = await element.getText();
        if (last.includes(text)) {
          found = element;
          return true;
        }
      }
      return false;
    },
    { timeout, timeoutMsg: `expected ${selector} to show "${text}", last saw "${last}"` },
  );
  return found;
}

/** Clicks the first element matching `selector` whose text includes `text`. */
export async function clickText(app, selector, text) {
  await waitForText(app, selector, text);
  for (const element of await app.$$(selector)) {
    if ((await element.getText()).includes(text)) return element.click();
  }
}

export async function go(app, hash) {
  await app.execute((h) => (location.hash = h), hash);
}

/**
 * Today's date in London as the app under test has it ("2026-12-02"): the
 * suite moves the app's clock onto a day of its own (`CAREDESK_CLOCK_SHIFT_SECONDS`),
 * not the day the suite happens to run.
 */
export async function appToday(app) {
  return app.executeAsync((done) => {
    window.__TAURI_INTERNALS__.invoke("app_info", {}).then(({ today }) => done(today), (e) => done(`failed: ${e}`));
  });
}

/** The date `days` after the ISO date `iso` (before it, when negative). */
export function daysAfter(iso, days) {
  const day = new Date(`${iso}T12:00:00Z`);
  day.setUTCDate(day.getUTCDate() + days);
  return day.toISOString().slice(0, 10);
}

/** The Monday of the week holding the ISO date `iso`. */
export function mondayOf(iso) {
  return daysAfter(iso, -((new Date(`${iso}T12:00:00Z`).getUTCDay() + 6) % 7));
}

/**
 * Opens the rota's board on the day `daysOn` after today, as a coordinator
 * would with its date field. The demo agency's days to today have their
 * carers; from tomorrow on its visits wait for them.
 */
export async function rotaOn(app, daysOn = 1) {
  await go(app, "#/rota");
  const field = await app.$("#rota-day");
  await field.waitForExist({ timeout: 10000 });
  await app.waitUntil(async () => (await field.getValue()) !== "", { timeout: 10000, timeoutMsg: "the board opens on today" });
  const iso = daysAfter(await field.getValue(), daysOn);
  await setInput(app, "#rota-day", iso);
  // The board of that day ("Sat 5 Dec 2026"), not today's still on its way.
  // Spelt out here rather than by the runtime's locale data, which a Node
  // built with little of it would give in another order.
  const [, m, d] = iso.split("-").map(Number);
  const month = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][m - 1];
  await waitForText(app, ".summary-line strong", ` ${d} ${month} `, 20000);
  return iso;
}

/**
 * Rolls the care packages forward over the form's default dates, as a
 * coordinator would; with `sameCarers: false`, without then giving waiting
 * visits last week's carers (the tick is on by default).
 */
export async function rollForward(app, { sameCarers = true } = {}) {
  await go(app, "#/rota/roll-forward");
  const same = await app.$("label.same input[type=checkbox]");
  if ((await same.isSelected()) !== sameCarers) await same.click();
  await (await app.$("button=Roll forward")).click();
  await waitForText(app, "[role=status]", "visits created", 30000);
}

/** Settings' import panel set to import `kind` ("clients", "packages", …). */
export async function chooseImportKind(app, kind) {
  await go(app, "#/settings");
  const what = await app.$("#import-title ~ .toolbar select");
  await what.waitForExist({ timeout: 10000 });
  await what.selectByAttribute("value", kind);
}

/**
 * Hands the import panel a CSV file. The system file dialog is outside the
 * page, so the file goes in the input's list the way the dialog would put
 * it, then "change".
 */
export async function chooseImportFile(app, contents, name) {
  const input = await app.$("#import-title ~ .toolbar input[type=file]");
  await input.waitForExist({ timeout: 10000 });
  await app.execute((text, name) => {
    const field = document.querySelector("#import-title ~ .toolbar input[type=file]");
    const files = new DataTransfer();
    files.items.add(new File([text], name, { type: "text/csv" }));
    field.files = files.files;
    field.dispatchEvent(new Event("change", { bubbles: true }));
  }, contents, name);
}

export async function screenshot(app, name) {
  if (!process.env.CAREDESK_SHOTS) return;
  // The app draws without WebKit's compositing (see src-tauri/src/main.rs),
  // and then WebKitWebDriver's screenshot waits for the page's next paint,
  // which a still page never makes. A few invisible repaints (an outline at
  // 1 % opacity) in the next moments give it one; the picture is unchanged.
  await app.execute(() => {
    const root = document.documentElement;
    let n = 0;
    const timer = setInterval(() => {
      root.style.outline = n % 2 ? "" : "1px solid rgba(0, 0, 0, 0.01)";
      if (++n > 30) {
        clearInterval(timer);
        root.style.outline = "";
      }
    }, 100);
  });
  await app.saveScreenshot(join(process.env.CAREDESK_SHOTS, `${name}.png`));
}

/** Drags the block of `visitId` onto the name cell of `carer`'s row, as a mouse would. */
export async function drag(app, visitId, carer) {
  const block = await app.$(`.queue [data-visit="${visitId}"]`);
  const lane = await app.$(`.carer-lane[data-lane="${carer}"] .name`);
  await app
    .action("pointer", { parameters: { pointerType: "mouse" } })
    .move({ origin: block })
    .down({ button: 0 })
    .move({ origin: block, x: 20, y: 20, duration: 100 })
    .move({ origin: lane, duration: 300 })
    .up({ button: 0 })
    .perform();
}

/** Whether process `pid` runs on this run's data folder (an app left from another run does not). */
function ours(pid) {
  const data = process.env.CAREDESK_DATA_DIR;
  if (!data) return true;
  try {
    return readFileSync(`/proc/${pid}/environ`, "latin1").split("\0").includes(`CAREDESK_DATA_DIR=${data}`);
  } catch {
    return false;
  }
}

/**
 * The processes on this machine (pid, parent, state, name cut to 15
 * letters), and among them the app's family: every Caredesk on this run's
 * data folder, and each process it started (WebKit's web and network ones).
 */
export function appProcesses() {
  const rows = execFileSync("ps", ["-eo", "pid=,ppid=,stat=,comm="], { encoding: "utf8" })
    .trim()
    .split("\n")
    .map((line) => line.trim().split(/\s+/))
    .map(([pid, ppid, stat, comm]) => ({ pid, ppid, stat, comm }));
  const family = new Set(rows.filter((r) => r.comm.startsWith("caredesk-app") && ours(r.pid)).map((r) => r.pid));
  for (let grew = true; grew; ) {
    grew = false;
    for (const r of rows) {
      if (family.has(r.ppid) && !family.has(r.pid)) {
        family.add(r.pid);
        grew = true;
      }
    }
  }
  return { rows, family };
}
