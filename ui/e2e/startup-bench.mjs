// `cargo xtask bench startup [huge]`: the real app, opened by tauri-driver on
// the large agency (300 carers, 1,000 clients, this week and next rolled
// forward) or the huge one (1,500 carers, 5,000 clients), timed from start
// to its first rota painted, and its memory then and after the rota has sat
// still for 10 s; then the same for the week (15,000 visits on large, 75,000
// on huge), the heaviest thing the grid draws.
// The person's typing is not counted: each step is timed from the moment
// the app is asked to act to the moment the screen shows the answer.
// The app is started afresh $CAREDESK_BENCH_RUNS times (5 unless set) and
// each figure's median is reported with its spread: one run's memory and
// first paint move by several MB and 100-200 ms on a small shared machine.
// Figures go to the console and to $CAREDESK_BENCH_OUT (JSON).
import { remote } from "webdriverio";
import { readFileSync, writeFileSync } from "node:fs";
import { MANAGER, appProcesses, type, waitForText } from "./driver.mjs";

const application = process.env.CAREDESK_APP;
const size = process.env.CAREDESK_BENCH_SIZE ?? "large";
if (!application) throw new Error("CAREDESK_APP is not set: run this through `cargo xtask bench startup`");

/**
 * Proportional memory (PSS, MB) of the app and every process it started (the
 * WebKit ones). PSS splits a shared library's pages among the processes that
 * map it, so the bench refuses to measure beside any other WebKit app: a
 * second Caredesk left open made this figure 230 MB where it is 298 MB alone.
 */
function appMemoryMb() {
  const { rows, family } = appProcesses();
  // WebKit's own web and network processes (their names cut to 15 letters)
  // and any other Caredesk; not WebKitWebDriver, which drives this one.
  const shared = ["caredesk-app", "WebKitWebProces", "WebKitNetworkPr"];
  // One that has exited but not been reaped (Z) holds no memory.
  const others = rows.filter((r) => shared.includes(r.comm) && !r.stat.startsWith("Z") && !family.has(r.pid));
  if (others.length) {
    const list = others.map((r) => `${r.comm} (pid ${r.pid})`).join(", ");
    throw new Error(
      `another WebKit app is running, which would share its libraries' memory and lower ours: ${list}. Close it and run the bench again.`,
    );
  }
  let kb = 0;
  const who = [];
  for (const pid of family) {
    const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, "utf8");
    const pss = Number(rollup.match(/^Pss:\s+(\d+) kB/m)[1]);
    kb += pss;
    who.push(`${rows.find((r) => r.pid === pid).comm} ${(pss / 1024).toFixed(0)} MB`);
  }
  return { mb: kb / 1024, who };
}

/**
 * Clicks `click` inside the page and times, on the page's own clock, until
 * `selector` shows `text` and the next frame is drawn: WebDriver's polling
 * (every 100 ms) would round each step up.
 */
async function timeInPage(app, click, selector, text) {
  return app.executeAsync(
    (click, selector, text, done) => {
      const at = performance.now();
      document.querySelector(click).click();
      const poll = () => {
        const shown = [...document.querySelectorAll(selector)].some((e) => e.textContent.includes(text));
        if (shown) requestAnimationFrame(() => done(performance.now() - at));
        else requestAnimationFrame(poll);
      };
      poll();
    },
    click,
    selector,
    text,
  );
}

/** One start of the app, signed in, the day's rota then the week painted: every figure of one run. */
async function once() {
  const started = performance.now();
  const app = await remote({
    hostname: "127.0.0.1",
    port: 4444,
    logLevel: "warn",
    capabilities: { "tauri:options": { application }, "wdio:enforceWebDriverClassic": true },
  });
  try {
    await (await app.$("#sign-in-title")).waitForExist({ timeout: 30000, interval: 10 });
    const signInShown = performance.now() - started;
    const atSignIn = appMemoryMb();

    await type(app, "#f-user_name", MANAGER.userName);
    await type(app, "#f-password", MANAGER.password);
    await app.setTimeout({ script: 30000 });
    const signedIn = await timeInPage(app, ".sign-in button[type=submit]", "h1", "Today");
    await waitForText(app, ".who-name", MANAGER.fullName, 30000);

    const rotaPainted = await timeInPage(app, "a[href='#/rota']", ".queue .block", "");
    await (await app.$(".queue .block")).waitForExist({ timeout: 30000 });
    const visits = (await app.$$(".queue .block")).length;
    // Memory as the rota is painted, and again once the page has sat still
    // for 10 s (the web process's collector has run by then): both before the
    // probe below, whose extra copy of the board is the bench's, not the app's.
    const memory = appMemoryMb();
    await new Promise((resolve) => setTimeout(resolve, 10_000));
    const settled = appMemoryMb();
    // The same day's board asked for again through the IPC, its week kept:
    // the core's rows and totals, their JSON and the bridge, not drawn.
    const ipc = await app.executeAsync((done) => {
      const day = new Date().toISOString().slice(0, 10);
      const at = performance.now();
      const filters = { area: "", skill: "", carer: "", problems_only: false };
      window.__TAURI_INTERNALS__
        .invoke("board_view", { day, days: 1, filters })
        .then((board) => done({ ms: performance.now() - at, visits: board.visits, rows: board.carers.length, bytes: JSON.stringify(board).length }));
    });

    // The whole week: its visits are the most the grid is handed.
    const weekPainted = await app.executeAsync((done) => {
      const at = performance.now();
      [...document.querySelectorAll(".segmented button")].find((b) => b.textContent === "Week").click();
      const poll = () => (document.querySelector(".tick strong") ? requestAnimationFrame(() => done(performance.now() - at)) : requestAnimationFrame(poll));
      poll();
    });
    const weekMemory = appMemoryMb();
    await new Promise((resolve) => setTimeout(resolve, 10_000));
    const weekSettled = appMemoryMb();
    return {
      ms: {
        signInShown,
        signedIn,
        rotaPainted,
        firstRota: signInShown + signedIn + rotaPainted,
        weekPainted,
        boardAgain: ipc.ms,
      },
      mb: { atSignIn, memory, settled, weekMemory, weekSettled },
      visits,
      ipc,
    };
  } finally {
    await app.deleteSession();
  }
}

/** The middle value of `values` (of an odd count; the upper middle otherwise). */
function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

const runs = Number(process.env.CAREDESK_BENCH_RUNS ?? 5);
const results = [];
for (let run = 1; run <= runs; run += 1) {
  results.push(await once());
  const last = results.at(-1);
  console.log(`  run ${run} of ${runs}: first rota ${last.ms.firstRota.toFixed(0)} ms, ${last.mb.memory.mb.toFixed(0)} MB with it, week ${last.ms.weekPainted.toFixed(0)} ms`);
}
/** The median of a figure over the runs, with its lowest and highest. */
const spread = (pick) => {
  const values = results.map(pick);
  return { median: median(values), low: Math.min(...values), high: Math.max(...values) };
};
const range = (f, unit) => `${f.median.toFixed(0).padStart(8)} ${unit}  (${f.low.toFixed(0)}-${f.high.toFixed(0)})`;

const names = {
  signInShown: `start to the sign-in screen (${size} agency)`,
  signedIn: "sign in to Today shown",
  rotaPainted: "Rota to the day's board painted",
  firstRota: "start to first rota painted, without the typing",
  weekPainted: "Week to the whole week's board painted",
};
const figures = Object.entries(names).map(([key, name]) => {
  const f = spread((r) => r.ms[key]);
  return { name, value_ms: f.median, low_ms: f.low, high_ms: f.high };
});
console.log(`Medians of ${runs} runs (lowest-highest):`);
for (const f of figures) console.log(`${range({ median: f.value_ms, low: f.low_ms, high: f.high_ms }, "ms")}  ${f.name}`);
const last = results.at(-1);
console.log(`  (${last.visits} visits waiting drawn in the unallocated lane)`);
const again = spread((r) => r.ms.boardAgain);
console.log(
  `${range(again, "ms")}  the day's board asked for again, week kept: ${last.ipc.rows} carers' rows for ${last.ipc.visits} visits, ${(last.ipc.bytes / 1e6).toFixed(1)} MB of JSON, not drawn`,
);
const memoryNames = {
  atSignIn: "memory of the whole app at the sign-in screen",
  memory: "memory of the whole app with the rota painted",
  settled: "the same, the rota left still for 10 s",
  weekMemory: "with the week painted",
  weekSettled: "the week left still for 10 s",
};
const memory = {};
for (const [key, name] of Object.entries(memoryNames)) {
  memory[key] = spread((r) => r.mb[key].mb);
  // The processes of the run whose figure is the median.
  const middle = results.find((r) => r.mb[key].mb === memory[key].median);
  console.log(`${range(memory[key], "MB")}  ${name} (PSS: ${middle.mb[key].who.join(", ")})`);
}
writeFileSync(process.env.CAREDESK_BENCH_OUT, JSON.stringify(
    {
      runs,
      figures,
      board_again_ms: again.median,
      memory_at_sign_in_mb: memory.atSignIn.median,
      memory_mb: memory.memory.median,
      memory_settled_mb: memory.settled.median,
      memory_week_mb: memory.weekMemory.median,
      memory_week_settled_mb: memory.weekSettled.median,
      memory_spread_mb: memory,
    },
    null,
    2,
  ));
