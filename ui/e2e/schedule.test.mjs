// Auto-scheduling a day in the real app: the coordinator asks for a plan
// of the day's waiting visits, reads what would change, applies it, and
// the board's queue shrinks (a double-up given one carer still waits for
// its second, so by between half the allocations and all of them). Then
// next week is given the carers this week's visits have, and rolling
// forward carries them on.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { clickText, go, openApp, rollForward, rotaOn, screenshot, type, waitForText } from "./driver.mjs";

const waiting = async (app) => {
  const line = await (await app.$(".summary-line")).getText();
  return Number(line.match(/([\d,]+) waiting for a carer/)[1].replace(/,/g, ""));
};

describe("auto-scheduling a day", () => {
  let app;
  before(async () => {
    app = await openApp();
    // Without last week's carers: the tests below give them, step by step.
    await rollForward(app, { sameCarers: false });
  });
  after(async () => {
    await app?.deleteSession();
  });

  it("plans the waiting visits, shows the plan, and applies it", async () => {
    await rotaOn(app);
    await waitForText(app, ".summary-line", "waiting for a carer", 20000);
    const before = await waiting(app);
    assert.ok(before > 0, "the day has visits waiting");
    await clickText(app, ".summary-line button", "Auto-schedule this day");
    const limit = await app.$(".auto input[type=number]");
    await limit.clearValue();
    await limit.setValue("2");
    await clickText(app, ".auto button", "Plan the day");
    const summary = await waitForText(app, ".auto .summary", "open slots", 60000);
    const proposed = Number((await summary.getText()).match(/^([\d,]+) of/)[1].replace(/,/g, ""));
    assert.ok(proposed > 0, `the plan gives some slots a carer: ${await summary.getText()}`);
    await screenshot(app, "80-auto-schedule-plan");
    await clickText(app, ".auto button", `Apply ${proposed} allocation`);
    await waitForText(app, ".drop-notice", `Auto-schedule applied: ${proposed} allocation`, 20000);
    await app.waitUntil(async () => (await waiting(app)) < before, { timeout: 20000, timeoutMsg: "the queue should shrink" });
    const after = await waiting(app);
    assert.ok(before - after >= proposed / 2 && before - after <= proposed, `${before} waiting became ${after} after ${proposed} allocations`);
    await screenshot(app, "81-auto-schedule-applied");
  });

  it("plans the week's waiting visits day by day, and discards the plan", async () => {
    await clickText(app, ".segmented button", "Week");
    // The week's line names its first and last day.
    await waitForText(app, ".summary-line", " – ", 20000);
    await app.waitUntil(async () => !(await (await app.$(".summary-line")).getText()).includes("Updating"), { timeout: 20000 });
    // The week after: all of it waits whatever the day (late in the week,
    // the days to today are planned and tomorrow's were just given).
    const thisWeek = await (await app.$(".summary-line strong")).getText();
    await (await app.$("button[aria-label='Next week']")).click();
    await app.waitUntil(async () => (await (await app.$(".summary-line strong")).getText()) !== thisWeek, { timeout: 20000 });
    await app.waitUntil(async () => !(await (await app.$(".summary-line")).getText()).includes("Updating"), { timeout: 20000 });
    const before = await waiting(app);
    await clickText(app, ".summary-line button", "Auto-schedule this week");
    await waitForText(app, "#auto-title", "the week of");
    const limit = await app.$(".auto input[type=number]");
    await limit.clearValue();
    await limit.setValue("3");
    await clickText(app, ".auto button", "Plan the week");
    await waitForText(app, ".auto .summary", "open slots", 60000);
    const firstWhen = await (await app.$(".auto tbody tr td:nth-child(2)")).getText();
    assert.match(firstWhen, /^\d\d:\d\d on \w{3} \d+ \w{3}$/, "a week's plan says the day of each visit");
    await screenshot(app, "82-auto-schedule-week");
    await clickText(app, ".auto button", "Discard");
    assert.equal(await waiting(app), before, "discarding changes nothing");
    await (await app.$("button[aria-label='Previous week']")).click();
    await app.waitUntil(async () => (await (await app.$(".summary-line strong")).getText()) === thisWeek, { timeout: 20000 });
  });

  it("gives next week's waiting visits the carers they had this week, and with a reason those only warnings kept open", async () => {
    // This week's busiest carer now works an hour a week at most: next week
    // most of her visits would go over it, which the rules only warn of.
    const lowered = await app.executeAsync((done) => {
      const invoke = window.__TAURI_INTERNALS__.invoke;
      (async () => {
        const { today } = await invoke("app_info", {});
        const filters = { area: "", skill: "", carer: "", problems_only: false };
        const board = await invoke("board_view", { day: today, days: 7, filters });
        const busiest = board.carers.map((r) => r.carer).sort((a, b) => b.minutes - a.minutes)[0];
        const form = await invoke("carer_form", { id: busiest.carer_id });
        await invoke("save_carer", { input: { ...form, contracted_hours: 1, max_hours: 1 } });
        return { name: busiest.name, minutes: busiest.minutes };
      })().then(done, (e) => done({ error: String(e?.message ?? e) }));
    });
    assert.ok(!lowered.error, lowered.error);
    assert.ok(lowered.minutes > 120, `${lowered.name} has visits enough this week to go over an hour: ${lowered.minutes} min`);
    const thisWeek = await (await app.$(".summary-line strong")).getText();
    await (await app.$("button[aria-label='Next week']")).click();
    await app.waitUntil(async () => (await (await app.$(".summary-line strong")).getText()) !== thisWeek, { timeout: 20000 });
    await app.waitUntil(async () => !(await (await app.$(".summary-line")).getText()).includes("Updating"), { timeout: 20000 });
    const before = await waiting(app);
    // Every word of the bar under the summary line, caught as the page draws it.
    await app.execute(() => {
      window.givingSaid = [];
      new MutationObserver(() => {
        const said = document.querySelector(".giving-progress .muted")?.textContent.trim();
        if (said && window.givingSaid.at(-1) !== said) window.givingSaid.push(said);
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });
    await clickText(app, ".summary-line button", "Give last week's carers");
    const notice = await waitForText(app, ".drop-notice", "Last week's carers:", 30000);
    const given = Number((await notice.getText()).match(/^Last week's carers: ([\d,]+) allocations? made/)[1].replace(/,/g, ""));
    assert.ok(given > 0, `this week's allocations come back next week: ${await notice.getText()}`);
    // The bar said each step in the core's words: the carers found, each
    // checked with every rule, then as many allocations written as made.
    const said = await app.execute(() => window.givingSaid);
    assert.equal(said[0], "Finding the carers each visit had last time…", `the first step: ${said.join(" | ")}`);
    assert.ok(said.some((w) => /^Checking [\d,]+ of [\d,]+ carers with every rule$/.test(w)), `then the checks: ${said.join(" | ")}`);
    const writing = said.filter((w) => w.startsWith("Writing")).map((w) => w.match(/^Writing ([\d,]+) of ([\d,]+) allocations$/).slice(1).map((n) => Number(n.replace(/,/g, ""))));
    assert.ok(writing.length > 0 && writing.every(([, of]) => of === given), `then the ${given} allocations written: ${said.join(" | ")}`);
    assert.ok(writing.every(([done], i) => i === 0 || done > writing[i - 1][0]), `only forward: ${said.join(" | ")}`);
    await app.waitUntil(async () => (await waiting(app)) < before, { timeout: 20000, timeoutMsg: "the queue should shrink" });
    const after = await waiting(app);
    assert.ok(before - after >= given / 2 && before - after <= given, `${before} waiting became ${after} after ${given} given`);
    await screenshot(app, "83-last-weeks-carers");

    // Her visits over the hour were left open for the warning alone: given a
    // reason, they are given too, and the line says so.
    await waitForText(app, ".past-warnings label", "left open for warnings alone");
    const button = await app.$(".past-warnings button");
    assert.equal(await button.isEnabled(), false, "no reason, no giving");
    await type(app, "#past-warnings-reason", "Extra hours agreed with her for next week");
    await clickText(app, ".past-warnings button", "with this reason");
    const past = await waitForText(app, ".drop-notice", "past a warning, reason recorded", 30000);
    const pastWarnings = Number((await past.getText()).match(/\(([\d,]+) past a warning/)[1].replace(/,/g, ""));
    assert.ok(pastWarnings > 0, `given past their warnings: ${await past.getText()}`);
    await app.waitUntil(async () => (await waiting(app)) < after, { timeout: 20000, timeoutMsg: "the queue should shrink again" });
    await screenshot(app, "83b-last-weeks-carers-past-warnings");
  });

  it("rolls the next four weeks forward with the carers each visit had the week before, stopping the giving when asked and giving the rest when rolled again", async () => {
    await go(app, "#/rota/roll-forward");
    const same = await app.$("label.same input[type=checkbox]");
    assert.equal(await same.isSelected(), true, "giving last week's carers is the usual way to roll forward");
    // Every word the progress bar says, and whether Stop is offered with it,
    // gathered by the page as it changes; the page itself presses Stop as
    // soon as the second week is being given, as a person could not time it.
    await app.execute(() => {
      window.rollSaid = [];
      window.stopPressed = false;
      new MutationObserver(() => {
        const said = document.querySelector(".rolling .muted")?.textContent.trim();
        const stop = document.querySelector(".rolling button");
        if (said && window.rollSaid.at(-1)?.said !== said) window.rollSaid.push({ said, stop: !!stop });
        if (said === "Giving last week's carers: week 2 of 4" && stop && !window.stopPressed) {
          window.stopPressed = true; // once: the roll again below runs to its end
          stop.click();
        }
      }).observe(document.querySelector("section.roll"), { subtree: true, childList: true, characterData: true });
    });
    await (await app.$("button=Roll forward")).click();
    const line = await waitForText(app, "[role=status]", "Last week's carers:", 60000);
    const given = Number((await line.getText()).match(/Last week's carers: ([\d,]+) allocations? made/)[1].replace(/,/g, ""));
    assert.ok(given > 0, `the week after next is staffed as next week is: ${await line.getText()}`);
    // The four weeks' care packages rolled, then the first weeks given in turn,
    // Stop offered while another week was to come.
    const heard = await app.execute(() => window.rollSaid);
    const words = heard.map((h) => h.said);
    assert.ok(words.some((w) => /^\w{3} \d+ \w{3} \d{4} to \w{3} \d+ \w{3} \d{4}: [\d,]+ of [\d,]+ care packages rolled forward$/.test(w)), `the care packages rolled: ${words.join(" | ")}`);
    const giving = heard.filter((h) => h.said.startsWith("Giving last week's carers"));
    assert.deepEqual(giving.map((h) => h.said), ["Giving last week's carers: week 1 of 4", "Giving last week's carers: week 2 of 4"], `then each week given until Stop: ${words.join(" | ")}`);
    assert.ok(giving.every((h) => h.stop), "Stop is offered while carers are given");
    const stopped = await waitForText(app, ".roll p.stopped", "Stopped when asked: last week's carers given from");
    assert.match(await stopped.getText(), /, not from .+\. Roll the same days forward again to give them/, "the weeks not given are named, and how to give them");
    await screenshot(app, "84-roll-forward-same-carers-stopped");

    // Rolled again, as the sentence says: nothing new is made, and the
    // weeks left waiting are given.
    await (await app.$("button=Roll forward")).click();
    // The stopped sentence goes as the roll starts; the button comes back as it ends.
    await app.waitUntil(async () => !(await (await app.$(".roll p.stopped")).isExisting()), { timeout: 20000, timeoutMsg: "the roll should start again" });
    await app.waitUntil(async () => !(await (await app.$(".roll form button[type=submit]")).getText()).includes("Rolling"), { timeout: 60000 });
    const again = await waitForText(app, "[role=status]", "Last week's carers:");
    assert.match(await (await app.$(".roll")).getText(), /\b0 visits created/, "the visits already made stay as they are");
    const rest = Number((await again.getText()).match(/Last week's carers: ([\d,]+) allocations? made/)[1].replace(/,/g, ""));
    assert.ok(rest > 0, `the weeks not given are given now: ${await again.getText()}`);
    assert.equal(await (await app.$(".roll p.stopped")).isExisting(), false, "the earlier Stop does not stop this roll");
    await screenshot(app, "84-roll-forward-same-carers");
  });
});
