// The on-call manager's morning in the real app: the roster with its gap,
// a call logged with a follow-up, and a carer off sick whose two visits
// go, one to a carer the rules rule out (the manager's reason recorded),
// the other to the best replacement, and the changes told.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { appToday, clickText, daysAfter, go, openApp, rotaOn, screenshot, setInput, waitForText } from "./driver.mjs";

/** Publishes `day` (tomorrow) from its own board, and reads back what the
 * board then says of it and of its week. */
async function publishFromTheBoard(app, day) {
  const chooseView = (name) => app.execute((name) => [...document.querySelectorAll(".toolbar button")].find((b) => b.textContent.trim() === name).click(), name);
  assert.equal(await rotaOn(app, 1), day);
  await chooseView("Day");
  await waitForText(app, ".summary-line .publication", "Draft", 20000);
  await clickText(app, ".summary-line button", "Publish this day");
  const [y, m, d] = day.split("-").map(Number);
  const short = `${["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"][new Date(Date.UTC(y, m - 1, d)).getUTCDay()]} ${d} ${["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][m - 1]}`;
  await waitForText(app, ".drop-notice", `Published ${short} ${y}. From now on, changes are listed under “To tell”.`, 20000);
  await waitForText(app, ".summary-line .publication", "by Sam Manager", 20000);
  await screenshot(app, "30b-day-published");
  // Its week: the days still drafts are named or counted, never tomorrow.
  await chooseView("Week");
  await waitForText(app, ".summary-line strong", " – ", 20000);
  const mark = await (await app.$(".summary-line .publication")).getText();
  assert.ok(/^Draft: /.test(mark) || mark.startsWith("Published"), `the week, partly published, says which days are drafts: "${mark}"`);
  assert.ok(!mark.includes(short), `tomorrow, published, is not among the drafts: "${mark}"`);
  await screenshot(app, "30c-week-partly-published");
  await chooseView("Day");
}

describe("on call", () => {
  let app;
  let carer;
  let day;
  before(async () => {
    app = await openApp();
  });
  after(async () => {
    await app?.deleteSession();
  });

  it("shows who is on call, the gap left in the demo roster, and logs a call with a follow-up", async () => {
    await go(app, "#/oncall");
    await waitForText(app, "section.panel", "On call now", 20000);
    await waitForText(app, "section[aria-labelledby=gaps-title]", "with nobody on first line");
    await (await app.$("button=Log a call")).click();
    await (await app.$("button=Log the call")).click();
    await waitForText(app, ".field-error, [role=alert]", "Say who called");
    await (await app.$("#f-caller")).setValue("Ann (carer)");
    await (await app.$("#f-what_happened")).setValue("Key safe code at the client's home does not work");
    await (await app.$("#f-follow_up")).setValue("Ask the family to reset the key safe");
    await (await app.$("button=Log the call")).click();
    await waitForText(app, "[role=status]", "The call is logged.");
    await waitForText(app, "section.panel", "Ask the family to reset the key safe");
    await screenshot(app, "30-on-call");
  });

  it("marks a carer off from tomorrow morning and sees their visit with ranked replacements and reasons", async () => {
    // Arrange through the app's own commands: two of tomorrow's waiting
    // visits go to the carer who fits them best; then tomorrow is published
    // from its board, as a coordinator does.
    const tomorrow = daysAfter(await appToday(app), 1);
    const arranged = await app.executeAsync((iso, done) => {
      const invoke = window.__TAURI_INTERNALS__.invoke;
      (async () => {
        const filters = { area: "", skill: "", carer: "", problems_only: false };
        const { queue } = await invoke("board_part", { day: iso, days: 1, filters, carers: [], queueFrom: 0, queueTo: 10000 });
        const visits = queue.map((p) => p.visit).sort((a, b) => a.start_min - b.start_min);
        const waiting = visits.filter((v) => v.needs_carer && !v.cancelled && v.carers_required === 1);
        // Two visits for one carer, each a clean fit for them.
        for (const visit of waiting) {
          const best = (await invoke("candidates", { visitId: visit.id })).find((c) => c.blocks === 0 && c.warnings === 0);
          if (!best) continue;
          await invoke("give", { visitId: visit.id, carerId: best.carer_id, movingFrom: null, reason: "" });
          for (const other of waiting.filter((v) => v.id !== visit.id)) {
            const again = (await invoke("candidates", { visitId: other.id })).find((c) => c.carer_id === best.carer_id);
            if (again && again.blocks === 0 && again.warnings === 0) {
              await invoke("give", { visitId: other.id, carerId: best.carer_id, movingFrom: null, reason: "" });
              return { carer: best.carer_id, day: iso };
            }
          }
          await invoke("unallocate", { visitId: visit.id, slot: 1 });
        }
        return { error: "no carer tomorrow is a clean fit for two visits" };
      })().then(done, (e) => done({ error: String(e?.message ?? e) }));
    }, tomorrow);
    assert.ok(!arranged.error, arranged.error);
    ({ carer, day } = arranged);
    await publishFromTheBoard(app, day);
    await go(app, `#/oncall/off/carer/${carer}`);
    await waitForText(app, "h1", "A carer is off");
    // The form opens at the core's "now"; wait until it is there.
    await (await app.$("#f-from")).waitForExist({ timeout: 10000 });
    assert.equal(await (await app.$("#f-carer_id")).getValue(), carer, "the carer comes from the page it was opened from");
    await screenshot(app, "31a-carer-off-form");
    // WebKit's date pickers take no typing over WebDriver: set them as a picker would.
    await setInput(app, "#f-from", `${day}T00:00`);
    await setInput(app, "#f-until", day);
    await (await app.$("button=Mark off and find cover")).click();
    await waitForText(app, "h1", "Cover for", 20000);
    await waitForText(app, "section.visit", "fits cleanly", 20000);
    const reasons = await (await app.$("section.visit .reasons")).getText();
    assert.match(reasons, /extra travel/, "each replacement says why it ranks where it does");
    assert.match(reasons, /in the last 4 weeks/, "continuity with the client is one of the reasons");
    await screenshot(app, "31-cover-for-sick-carer");
  });

  it("as registered manager, gives one visit to a carer the rules rule out, with a reason", async () => {
    const last = (await app.$$("section.visit")).at(-1);
    const what = await last.getAttribute("aria-label");
    await (await last.$("button*=carers the rules rule out")).waitForExist({ timeout: 20000 });
    await (await last.$("button*=carers the rules rule out")).click();
    const blocked = await last.$(".blocked li");
    assert.match(await blocked.getText(), /: \S/, "each ruled-out carer says which rule blocks them");
    const name = await (await blocked.$("strong")).getText();
    await (await blocked.$("button=Give despite the block…")).click();
    const confirm = await blocked.$("button=Give with this reason");
    assert.equal(await confirm.isEnabled(), false, "no reason, no going past the block");
    await (await blocked.$("input")).setValue("Family agreed on the phone");
    await screenshot(app, "31b-cover-despite-block");
    await confirm.click();
    await waitForText(app, "[role=status]", `${name} now has the ${what}, despite the block (reason recorded).`, 20000);
    assert.equal((await app.$$("section.visit")).length, 1, "one visit is left to cover");
    await screenshot(app, "31c-covered-despite-block");
  });

  it("gives the visit to the best replacement and records that the client was told", async () => {
    await (await (await app.$("section.visit")).$("button*=Give to")).click();
    await waitForText(app, "[role=status]", "now has the", 20000);
    await waitForText(app, "section.panel", "Every visit is covered", 20000);
    await waitForText(app, "section.panel", "To tell");
    const rows = await app.$$("section.panel table.plain tbody tr");
    assert.ok(rows.length >= 3, `the absent carer, the new carer and the client are to be told, got ${rows.length} rows`);
    await (await rows[0].$("input[type=checkbox]")).click();
    await (await app.$("button=by phone")).click();
    await waitForText(app, "[role=status]", "1 recorded as told by phone");
    await screenshot(app, "32-told");
  });

  it("shows who is on call and the cover gaps on Today", async () => {
    await go(app, "#/today");
    await waitForText(app, "section.panel", "On call now", 20000);
    await waitForText(app, ".tiles", "in on-call cover");
    await screenshot(app, "33-today-on-call");
  });
});
