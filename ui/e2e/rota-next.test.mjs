// Stepping to what needs doing on the rota board: the on-call manager opens
// today's board in the morning, where the day's evening visits still
// waiting for a carer are off to the right, and the summary line's count
// takes them to each in turn: the board scrolls to it and the visit panel
// opens on who could go.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { appToday, clickText, go, openApp, rotaOn, screenshot, waitForText } from "./driver.mjs";

/** Where the chosen block is against the board's visible part, and how far the board is scrolled. */
const placeOfChosen = () => {
  const board = document.querySelector(".board");
  const queue = document.querySelector(".queue-track").getBoundingClientRect();
  const names = document.querySelector(".queue .name").getBoundingClientRect();
  const block = document.querySelector(".queue .block.selected");
  if (!block) return null;
  const b = block.getBoundingClientRect();
  return {
    visit: block.dataset.visit,
    left: parseFloat(block.style.left),
    inView: b.left >= names.right - 1 && b.right <= board.getBoundingClientRect().right && b.top >= queue.top && b.bottom <= queue.bottom,
    scrolled: board.scrollLeft,
    place: document.querySelector(".seek-place")?.textContent ?? "",
  };
};

/** The block with the focus: its visit, lane (and row number), place, and whether it is clear of what stays in place over the board. */
const onBlock = () => {
  const el = document.activeElement;
  if (!el?.classList.contains("block")) return { block: false, tag: el?.tagName, text: el?.textContent?.trim() };
  const lane = el.closest(".lane");
  const board = document.querySelector(".board").getBoundingClientRect();
  const names = document.querySelector(".queue .name").getBoundingClientRect();
  const r = el.getBoundingClientRect();
  return {
    block: true,
    visit: el.dataset.visit,
    lane: lane.dataset.lane,
    rowIndex: Number(lane.getAttribute("aria-rowindex") ?? 1),
    laneTop: parseFloat(lane.style.top),
    left: parseFloat(el.style.left),
    inView: r.left >= names.right - 1 && r.right <= board.right && r.bottom <= board.bottom,
  };
};

/** Presses keys on a block and waits for the focus to move to another (the core finds where). */
async function moveFrom(app, from, keys) {
  await app.keys(keys);
  let now;
  await app.waitUntil(async () => (now = await app.execute(onBlock)).block && now.visit !== from.visit, {
    timeout: 10000,
    timeoutMsg: `${keys.join("+")} moves the focus from the visit on row ${from.rowIndex} to another`,
  });
  return now;
}

describe("stepping through the visits waiting for a carer", () => {
  let app;
  before(async () => {
    app = await openApp();
    await go(app, "#/rota");
    await waitForText(app, ".summary-line", "waiting for a carer", 20000);
  });
  after(async () => {
    await app?.deleteSession();
  });

  it("opens each waiting visit in turn from now, scrolled into view with who could go, and goes round", async () => {
    const count = await (await app.$(".summary-line button.seek.unallocated")).getText();
    const waiting = Number(count.match(/^([\d,]+) waiting for a carer/)[1].replace(/,/g, ""));
    assert.ok(waiting >= 2, `today has visits still waiting in the evening: "${count}"`);
    const opened = await app.execute(() => document.querySelector(".board").scrollLeft);

    // Round them all and back to the first; a day other tests have left
    // with many waiting, the first few.
    const round = waiting <= 6;
    const steps = round ? waiting + 1 : 6;
    const seen = [];
    let last = "";
    for (let step = 0; step < steps; step++) {
      await clickText(app, ".summary-line button.seek", "waiting for a carer");
      await app.waitUntil(async () => {
        const at = await app.execute(placeOfChosen);
        return at?.place.endsWith(` of ${waiting}`) && at.place !== last;
      }, { timeout: 10000, timeoutMsg: `step ${step + 1}: the next waiting visit is chosen, with its place among the ${waiting}` });
      const at = await app.execute(placeOfChosen);
      assert.ok(at.inView, `step ${step + 1}: visit ${at.visit} at ${at.left}px is scrolled into view`);
      await waitForText(app, ".visit-panel", "Who could go", 20000);
      const said = await app.execute(() => document.querySelector("p.visually-hidden[aria-live]")?.textContent ?? "");
      assert.match(said, new RegExp(`^${at.place}: \\d\\d:\\d\\d .+ for .+`), "a screen reader is told where the step landed");
      seen.push(at);
      last = at.place;
    }

    const places = seen.map((s) => Number(s.place.match(/(\d+) of/)[1]));
    for (let k = 1; k < places.length; k++) {
      assert.equal(places[k], (places[k - 1] % waiting) + 1, `each step goes on to the next, and round after the last: ${places.join(", ")}`);
    }
    const once = seen.slice(0, Math.min(waiting, steps));
    assert.equal(new Set(once.map((s) => s.visit)).size, once.length, "each waiting visit once before coming round");
    if (round) assert.equal(seen[waiting].visit, seen[0].visit, "one more step comes back to the first");
    for (let k = 1; k < once.length; k++) {
      if (places[k] > places[k - 1]) assert.ok(seen[k].left >= seen[k - 1].left, "in order of time");
    }
    assert.ok(seen.some((s) => s.scrolled !== opened), `some waiting visit was off the screen the day opened on (scrolled ${seen.map((s) => s.scrolled).join(", ")})`);
    await screenshot(app, "90-next-waiting-visit");
  });

  it("opens today's board on the first waiting visit from Today's count of them", async () => {
    await go(app, "#/today");
    const tile = await waitForText(app, "a.tile", "today without a carer", 20000);
    await tile.click();
    await app.waitUntil(async () => /^\d+ of \d+$/.test((await app.execute(placeOfChosen))?.place ?? ""), {
      timeout: 20000,
      timeoutMsg: "the board opens with a waiting visit chosen and its place among them",
    });
    const at = await app.execute(placeOfChosen);
    assert.ok(at.inView, `the visit at ${at.left}px is scrolled into view`);
    await waitForText(app, ".visit-panel", "Who could go", 20000);
    assert.equal(await app.execute(() => location.hash), "#/rota", "the address is the board's again, so going back does not open it twice");
  });
});

describe("allocating from the keyboard alone", () => {
  let app;
  before(async () => {
    app = await openApp();
    await rotaOn(app);
    await waitForText(app, ".queue", "visits", 20000);
  });
  after(async () => {
    await app?.deleteSession();
  });

  /** What has the focus: its tag, its text, and whether it is in the visit panel. */
  const focus = () => {
    const el = document.activeElement;
    return {
      tag: el?.tagName ?? "",
      text: el?.textContent?.trim() ?? "",
      inPanel: !!el?.closest(".visit-panel"),
      onGrid: !!el?.closest(".board"),
      id: el?.id ?? "",
    };
  };

  it("opens a waiting visit with Enter, tabs to a carer who could go, allocates them, and keeps the focus in the panel", async () => {
    // A waiting visit drawn on the lane that some carer could take (other
    // tests have allocated some of tomorrow's), found through the app's own command.
    const chosen = await app.executeAsync((done) => {
      const invoke = window.__TAURI_INTERNALS__.invoke;
      (async () => {
        for (const block of document.querySelectorAll(".queue .block")) {
          const list = await invoke("candidates", { visitId: block.dataset.visit });
          if (list.some((c) => c.blocks === 0)) return block.dataset.visit;
        }
        return null;
      })().then(done, () => done(null));
    });
    assert.ok(chosen, "a waiting visit on the lane has a carer who could go");
    await app.execute((id) => document.querySelector(`.queue [data-visit="${id}"]`).focus(), chosen);
    await app.keys(["Enter"]);
    await app.waitUntil(async () => (await app.execute(focus)).tag === "ASIDE", {
      timeout: 10000,
      timeoutMsg: "the visit panel takes the focus once the visit is opened from the keyboard",
    });
    await waitForText(app, ".visit-panel", "Who could go", 20000);
    await waitForText(app, ".candidates li", "Allocate", 20000);

    let at = await app.execute(focus);
    for (let presses = 0; presses < 25 && at.text !== "Allocate"; presses++) {
      await app.keys(["Tab"]);
      at = await app.execute(focus);
      assert.ok(at.inPanel, `Tab stays in the panel on its way to the first carer, but reached ${at.tag} "${at.text}"`);
    }
    assert.equal(at.text, "Allocate", "a few presses of Tab reach the first carer who could go");
    const name = await app.execute(() => document.activeElement.closest("li").querySelector(".candidate-head strong").textContent);
    await app.keys(["Enter"]);
    // Past a warning, the reason's field takes the focus: type it and press Enter.
    await app.waitUntil(async () => {
      const now = await app.execute(focus);
      return now.id.startsWith("reason-") || (await (await app.$(".drop-notice")).isExisting());
    }, { timeout: 10000, timeoutMsg: "the allocation is done, or its reason asked for with the focus in the field" });
    if ((await app.execute(focus)).id.startsWith("reason-")) await app.keys([..."Agreed by phone", "Enter"]);
    // The notice names the visit: after stepping, it is not the one the board opened on.
    const said = await waitForText(app, ".drop-notice", `${name} now does the `, 20000);
    assert.match(await said.getText(), /now does the \d\d:\d\d .+ for .+\./);
    const day = await (await app.$("#rota-day")).getValue();
    const carers = await app.executeAsync((visitId, day, done) => {
      window.__TAURI_INTERNALS__.invoke("board_visit", { day, days: 1, visitId }).then((p) => done((p?.visit.carers ?? []).map((c) => c.name)), (e) => done([`failed: ${e}`]));
    }, chosen, day);
    assert.ok(carers.includes(name), `${name} is on the visit now: ${carers.join(", ")}`);
    await app.waitUntil(async () => (await app.execute(focus)).inPanel, {
      timeout: 10000,
      timeoutMsg: "the focus is back in the visit's panel, read again after the change",
    });
    await screenshot(app, "92-allocated-by-keyboard");
  });

  it("steps to the next waiting visit from the count with Enter, and reaches its panel with Tab before any of the grid's blocks", async () => {
    await app.execute(() => document.querySelector(".summary-line button.seek.unallocated").focus());
    const before = await app.execute(() => document.querySelector(".seek-place")?.textContent ?? "");
    await app.keys(["Enter"]);
    await app.waitUntil(async () => /^\d+ of \d+$/.test(await app.execute(() => document.querySelector(".seek-place")?.textContent ?? "")) && (await app.execute(() => document.querySelector(".seek-place")?.textContent)) !== before, {
      timeout: 10000,
      timeoutMsg: "Enter on the count steps to a waiting visit",
    });
    let at = await app.execute(focus);
    assert.match(at.text, /waiting for a carer/, "the focus stays on the count, to step again");
    for (let presses = 0; presses < 15 && !at.inPanel; presses++) {
      await app.keys(["Tab"]);
      at = await app.execute(focus);
      assert.ok(!at.onGrid, `Tab reaches the panel before the grid, but went to ${at.tag} "${at.text}" on it`);
    }
    assert.ok(at.inPanel, "a few presses of Tab past the filters reach the visit's panel");
  });

  it("enters the grid's blocks with one press of Tab and moves along a lane and down to the next with the arrow keys", async () => {
    await clickText(app, ".visit-panel button", "Close");
    // Today's board, where the carers have their visits.
    await clickText(app, ".toolbar button", "Today");
    await (await app.$(".carer-lane .block")).waitForExist({ timeout: 20000 });
    await app.execute(() => document.querySelector(".filters input[type=checkbox]").focus());
    await app.keys(["Tab"]);
    const first = await app.execute(onBlock);
    assert.ok(first.block, `Tab from the filters goes to one of the grid's blocks, not ${first.tag} "${first.text}"`);
    await app.keys(["Tab"]);
    const past = await app.execute(onBlock);
    assert.ok(!past.block, "the next Tab leaves the blocks: they are one stop, not hundreds");
    await app.keys(["Shift", "Tab", "Shift"]);
    assert.equal((await app.execute(onBlock)).visit, first.visit, "Shift+Tab comes back to the same block");

    const along = await moveFrom(app, first, ["ArrowRight"]);
    assert.ok(along.block && along.lane === first.lane && along.visit !== first.visit, "the right arrow goes to the next visit of the lane");
    assert.ok(along.left >= first.left, `later or at the same time: ${first.left}px then ${along.left}px`);
    const below = await moveFrom(app, along, ["ArrowDown"]);
    assert.ok(below.block && below.laneTop > along.laneTop, `the down arrow goes to a visit on a lane below (${along.lane} to ${below.lane})`);
    assert.ok(below.inView, "and the board shows it whole");
    await screenshot(app, "93-moved-by-arrow-keys");
    await app.keys(["Enter"]);
    await app.waitUntil(async () => (await app.execute(focus)).tag === "ASIDE", { timeout: 10000, timeoutMsg: "Enter opens it, the panel with the focus" });

    // Closing the panel from the keyboard gives the focus back to the visit.
    await app.execute(() => document.querySelector(".visit-panel button[aria-label='Close the visit panel']").focus());
    await app.keys(["Enter"]);
    await app.waitUntil(async () => (await app.execute(onBlock)).visit === below.visit, {
      timeout: 10000,
      timeoutMsg: "the focus is back on the visit the panel was opened from",
    });
  });

  it("opens this week's board at today, the days gone by a scroll to the left, and draws only the rows on the screen, the unallocated lane's too, and the next ones as they are scrolled to", async () => {
    await clickText(app, ".toolbar button", "Week");
    await (await app.$(".carer-lane .block")).waitForExist({ timeout: 20000 });
    // Today's name on the scale: at the board's left edge, under the
    // carers' names, or in view with the board scrolled to the week's end.
    const [y, m, d] = (await appToday(app)).split("-").map(Number);
    const weekday = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"][new Date(Date.UTC(y, m - 1, d)).getUTCDay()];
    const today = `${weekday} ${d} ${["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][m - 1]}`;
    const opened = await app.execute((today) => {
      const board = document.querySelector(".board");
      const tick = [...document.querySelectorAll(".tick.day-start")].find((t) => t.textContent.trim() === today);
      const names = document.querySelector(".corner").offsetWidth;
      return { left: board.scrollLeft, at: tick ? parseFloat(tick.style.left) : null, shown: board.clientWidth - names, atEnd: board.scrollLeft + board.clientWidth >= board.scrollWidth - 1 };
    }, today);
    assert.ok(opened.at !== null, `the scale names today, ${today}`);
    assert.ok(Math.abs(opened.at - opened.left) < 1 || (opened.atEnd && opened.at > opened.left && opened.at < opened.left + opened.shown), `the week opens at today's midnight, or at its end with today in view: ${JSON.stringify(opened)}`);
    await screenshot(app, "95-week-opens-at-today");
    // A night the clocks change is named on the scale where its dashed line
    // is, as the week marks only every six hours: on the suite's run on the
    // week the clocks go back, Sunday's "Clocks back to 01:00".
    const changes = await app.execute(() => ({
      notes: [...document.querySelectorAll(".clock-change-note")].map((n) => n.textContent.trim()),
      labels: [...document.querySelectorAll(".clock-change-label")].map((l) => ({ text: l.textContent.trim(), left: parseFloat(l.style.left), title: l.title })),
      lines: [...document.querySelectorAll(".queue .clock-change")].map((l) => parseFloat(l.style.left)),
    }));
    assert.equal(changes.labels.length, changes.notes.length, `a label on the scale for each clock change the board's note names: ${JSON.stringify(changes)}`);
    assert.deepEqual(changes.labels.map((l) => l.left), changes.lines, "each label sits at its change's dashed line");
    if (process.env.CAREDESK_SUITE_WEEK === "clocks-go-back") {
      assert.deepEqual(changes.labels.map((l) => l.text), ["Clocks back to 01:00"], "the week of Sunday 25 October says the clocks go back");
      assert.match(changes.labels[0].title, /01:00-01:59 happens twice/, "and its title says what that means for visits");
    }
    // How far each drawn carer's row lies beyond the rows in view (under the
    // scale and the unallocated lane, which stay in place), in pixels.
    const beyond = () => {
      const top = document.querySelector(".queue").getBoundingClientRect().bottom;
      const bottom = document.querySelector(".board").getBoundingClientRect().bottom;
      return [...document.querySelectorAll(".carer-lane")].map((lane) => {
        const r = lane.getBoundingClientRect();
        return Math.max(0, top - r.bottom, r.top - bottom);
      });
    };
    const rowHeight = 28;
    const far = await app.execute(beyond);
    assert.ok(far.length > 3, `carers' rows are drawn, ${far.length}`);
    assert.ok(Math.max(...far) <= 2 * rowHeight, `no carer's row is drawn more than two rows beyond the screen, but one is ${Math.max(...far)} px beyond`);

    // The unallocated lane shows four rows and scrolls on its own.
    const queueRows = () => {
      const lane = document.querySelector(".queue-track");
      return {
        rows: Math.round((lane.firstElementChild.offsetHeight - 8) / 28),
        drawn: [...new Set([...lane.querySelectorAll(".block")].map((b) => Math.round((parseFloat(b.style.top) - 4) / 28)))].sort((a, b) => a - b),
      };
    };
    const first = await app.execute(queueRows);
    assert.ok(first.rows > 12, `the week's unallocated lane has more rows than it shows, ${first.rows}`);
    assert.deepEqual(first.drawn, [0, 1, 2, 3], "its four rows in view are drawn, and no more");
    await app.execute(() => (document.querySelector(".queue-track").scrollTop = 10 * 28));
    let later;
    await app.waitUntil(async () => (later = await app.execute(queueRows)).drawn[0] === 10, {
      timeout: 10000,
      timeoutMsg: `scrolled down ten rows, the lane draws rows 10 to 13 (drew ${JSON.stringify(later?.drawn)})`,
    });
    assert.deepEqual(later.drawn, [10, 11, 12, 13], "only the rows now in view");
    await app.execute(() => (document.querySelector(".queue-track").scrollTop = 0));
  });

  it("goes from the keyboard to the carers' rows the week's board has not drawn yet, a screenful at a time or to the end", async () => {
    await clickText(app, ".toolbar button", "Week");
    await (await app.$(".carer-lane .block")).waitForExist({ timeout: 20000 });
    const drawnRows = () => [...document.querySelectorAll(".carer-lane")].map((l) => Number(l.getAttribute("aria-rowindex")));
    const rows = await app.execute(() => document.querySelector(".board").getAttribute("aria-rowcount"));
    const drawn = await app.execute(drawnRows);
    assert.ok(Math.max(...drawn) < Number(rows) - 5, `the week's board draws the rows near the screen, ${drawn.length} of ${rows}`);

    const described = await app.execute(() => document.getElementById(document.querySelector("[role=grid]").getAttribute("aria-describedby"))?.textContent);
    assert.match(described ?? "", /Page Up and Page Down a screenful of carers/, "the grid tells a screen reader its keys");
    await app.execute(() => document.querySelector(".filters input[type=checkbox]").focus());
    await app.keys(["Tab"]);
    const start = await app.execute(onBlock);
    assert.ok(start.block, `Tab goes to a block, not ${start.tag}`);

    const last = await moveFrom(app, start, ["Control", "End", "Control"]);
    assert.ok(last.rowIndex > Math.max(...drawn), `Ctrl+End reaches a row not drawn before (row ${last.rowIndex}, drawn up to ${Math.max(...drawn)})`);
    assert.ok(last.inView, "scrolled into view, clear of the names and the unallocated lane");
    await screenshot(app, "94-ctrl-end-to-the-last-carer");

    const up = await moveFrom(app, last, ["PageUp"]);
    assert.ok(up.rowIndex < last.rowIndex - 3, `Page Up goes a screenful of carers up (row ${last.rowIndex} to ${up.rowIndex})`);
    assert.ok(up.inView, "and shows it");
    const down = await moveFrom(app, up, ["PageDown"]);
    assert.ok(down.rowIndex > up.rowIndex + 3, `Page Down goes a screenful down again (row ${up.rowIndex} to ${down.rowIndex})`);

    /** Whether the focused block is the first or the last of its lane. */
    const endOfLane = () => {
      const el = document.activeElement;
      const lefts = [...el.closest(".track").querySelectorAll(".block")].map((b) => parseFloat(b.style.left));
      const left = parseFloat(el.style.left);
      return { first: left === Math.min(...lefts), last: left === Math.max(...lefts), visits: lefts.length };
    };
    await app.keys(["End"]);
    await app.waitUntil(async () => (await app.execute(endOfLane)).last, { timeout: 10000, timeoutMsg: "End goes to the lane's last visit" });
    await app.keys(["Home"]);
    await app.waitUntil(async () => (await app.execute(endOfLane)).first, { timeout: 10000, timeoutMsg: "Home goes to the lane's first visit" });
    const end = await app.execute(onBlock);
    assert.equal(end.lane, down.lane, "both in the same lane");
    assert.ok((await app.execute(endOfLane)).visits > 1, "a lane of more than one visit");

    // Left of the lane's first visit is the carer's name; down the names; right to the visits again.
    const name = () => {
      const el = document.activeElement;
      return el?.classList.contains("carer-link") ? { name: el.textContent, row: Number(el.closest(".lane").getAttribute("aria-rowindex")) } : null;
    };
    await app.keys(["ArrowLeft"]);
    let onName;
    await app.waitUntil(async () => (onName = await app.execute(name)) !== null, { timeout: 10000, timeoutMsg: "the left arrow from a lane's first visit goes to the carer's name" });
    assert.equal(onName.row, end.rowIndex, "the name on the visit's row");
    await app.keys(["ArrowUp"]);
    await app.waitUntil(async () => (await app.execute(name))?.row === end.rowIndex - 1, { timeout: 10000, timeoutMsg: "the up arrow goes to the carer's name above" });
    await app.keys(["ArrowDown"]);
    await app.waitUntil(async () => (await app.execute(name))?.row === end.rowIndex, { timeout: 10000, timeoutMsg: "the down arrow to the name below" });
    await app.keys(["ArrowRight"]);
    await app.waitUntil(async () => (await app.execute(onBlock)).visit === end.visit, { timeout: 10000, timeoutMsg: "the right arrow from a name goes to the carer's first visit" });

    const top = await moveFrom(app, end, ["Control", "Home", "Control"]);
    assert.ok(top.rowIndex <= 2 && top.inView, `Ctrl+Home goes back to the board's first lane with a visit (row ${top.rowIndex})`);
  });
});
