// A book of care packages imported into the rota already rolled ahead: the
// import shows how far it has got, the lines written and then each
// client's visits made, and ends with what it did. Stopped part-way, it
// imports nothing, and the same file then imports whole. A file's check
// as one kind stops when another kind is chosen.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { appToday, chooseImportFile, chooseImportKind, clickText, daysAfter, openApp, screenshot, waitForText } from "./driver.mjs";

const stamp = Date.now() % 100000;
// Enough clients that their visits take a second to make in a debug build.
// Each package is for one day, ten days on, inside the rota the suite
// has made however it is run, and on no board or plan the later tests read.
const CLIENTS = 1500;

describe("importing a book of care packages", () => {
  let app;
  before(async () => {
    app = await openApp();
  });
  after(async () => {
    await app?.deleteSession();
  });

  it("shows the file being checked line by line when chosen, then the clients' visits being made, client by client, until the import says what it did; stopped first, it imports nothing", async () => {
    const today = await appToday(app);
    let clients = "given_name,family_name,address_line1,town,postcode,lat,lon,funding\n";
    let packages = "client_given_name,client_family_name,client_postcode,label,weekdays,start_time,duration_min,carers_required,starts_on,ends_on\n";
    for (let n = 0; n < CLIENTS; n++) {
      clients += `Book${n},Progress${stamp},1 High Street,Shrewsbury,SY1 1AA,52.708,-2.754,private\n`;
      packages += `Book${n},Progress${stamp},SY1 1AA,Tea call,mon;tue;wed;thu;fri;sat;sun,17:00,30,1,${daysAfter(today, 10)},${daysAfter(today, 10)}\n`;
    }
    // The kind changed while the book is checked: the check of the file as
    // clients is stopped, and only the check as carers is shown, with no
    // word of the one stopped.
    await chooseImportKind(app, "clients");
    // Changed by the page itself at the check's first word of progress, so
    // it is certain to land while the check is under way.
    await app.execute(() => {
      const panel = document.querySelector("[aria-labelledby=import-title]");
      const observer = new MutationObserver(() => {
        if (!/Checking line/.test(panel.querySelector(".checking")?.textContent ?? "")) return;
        observer.disconnect();
        const what = panel.querySelector(".toolbar select");
        what.value = "carers";
        what.dispatchEvent(new Event("change", { bubbles: true }));
      });
      observer.observe(panel, { subtree: true, childList: true, characterData: true });
    });
    await chooseImportFile(app, clients, "clients.csv");
    // The preview's first line only: its table of every line's problems is
    // too long a text to read back through WebDriver.
    await waitForText(app, ".preview > p", "1,500 lines, 1,500 carers.", 60000);
    assert.match(await app.execute(() => document.querySelector(".preview .problems td:last-child").textContent), /^Unknown column/);
    const alerts = await app.execute(() => [...document.querySelectorAll("[aria-labelledby=import-title] [role=alert]")].map((a) => a.textContent));
    assert.deepEqual(alerts, [], "the check stopped is no fault to show");
    // Back to clients as the page was changed (WebDriver's own choice of
    // an option does not see the page's change of the list).
    await app.execute(() => {
      const what = document.querySelector("[aria-labelledby=import-title] .toolbar select");
      what.value = "clients";
      what.dispatchEvent(new Event("change", { bubbles: true }));
    });
    await waitForText(app, ".preview", "Every line is ready", 60000);
    // Every sentence the check shows while the file is read, caught as the
    // page draws it (it may last only a fraction of a second).
    await app.execute(() => {
      window.checkingSeen = [];
      const panel = document.querySelector("[aria-labelledby=import-title]");
      new MutationObserver(() => {
        const now = panel.querySelector(".checking")?.textContent?.replace(/\s+/g, " ").trim();
        if (now && window.checkingSeen.at(-1) !== now) window.checkingSeen.push(now);
      }).observe(panel, { subtree: true, childList: true, characterData: true });
    });
    await chooseImportFile(app, clients, "clients.csv");
    await waitForText(app, ".preview", "Every line is ready");
    const checking = await app.execute(() => window.checkingSeen);
    assert.ok(
      checking.some((s) => /^Checking every line of clients\.csv… Checking line [\d,]+ of 1,500$/.test(s)),
      `choosing the file shows how far its check has got, saw ${JSON.stringify(checking.slice(0, 5))}`,
    );
    await clickText(app, ".preview button", "Import 1,500 lines");
    await waitForText(app, "[role=status]", "Imported 1,500 clients", 60000);

    await chooseImportKind(app, "packages");
    await chooseImportFile(app, packages, "packages.csv");
    await waitForText(app, ".preview", "Every line is ready", 60000);
    // Stop pressed as soon as it can be: the whole import is undone, and
    // the file stays ready to import. Had any of it been kept, the import
    // below would not add each client's one visit.
    await clickText(app, ".preview button", "Import 1,500 lines");
    // Offered once the core says the import began (a Stop sent sooner
    // could reach the core before the import, which clears it as it starts).
    const stop = await app.$("button=Stop, import nothing");
    await stop.waitForEnabled({ timeout: 30000 });
    await stop.click();
    const stopped = await waitForText(app, "[role=status]", "Import stopped: nothing was imported.", 60000);
    await app.execute((e) => e.scrollIntoView({ block: "center" }), stopped);
    await screenshot(app, "48bb-import-stopped");
    // Every word the bar says, caught by the page as it draws it: a
    // screenshot taken meanwhile may outlast the rest of the import.
    await app.execute(() => {
      window.importSeen = [];
      const panel = document.querySelector("[aria-labelledby=import-title]");
      new MutationObserver(() => {
        const now = panel.querySelector(".progress")?.textContent?.trim();
        if (now && window.importSeen.at(-1) !== now) window.importSeen.push(now);
      }).observe(panel, { subtree: true, childList: true, characterData: true });
    });
    await clickText(app, ".preview button", "Import 1,500 lines");
    const started = Date.now();
    for (;;) {
      const now = await app.execute(() => document.querySelector(".progress")?.textContent?.trim() ?? null);
      if (now?.startsWith("Making the visits")) {
        await app.execute(() => document.querySelector(".progress")?.scrollIntoView({ block: "center" }));
        await screenshot(app, "48c-import-progress");
        break;
      }
      if (now === null && Date.now() - started > 5000) break;
      if (Date.now() - started > 120000) break;
    }
    await waitForText(app, "[role=status]", "Imported 1,500 care packages", 60000);
    const seen = await app.execute(() => window.importSeen);
    const making = seen.filter((s) => /^Making the visits of client [\d,]+ of 1,500$/.test(s));
    assert.ok(making.length >= 2, `expected the bar to move through the clients' visits, saw ${JSON.stringify(seen)}`);
    // Only forward: the page may be read after the last client's message
    // or not (the import answers a moment after it), so not its end.
    const counted = making.map((s) => Number(s.match(/client ([\d,]+) of/)[1].replace(/,/g, "")));
    assert.ok(
      counted.every((n, i) => i === 0 || n > counted[i - 1]),
      `expected the clients counted to go only forward, saw ${JSON.stringify(making)}`,
    );
    const status = await waitForText(app, "[role=status]", "Imported 1,500 care packages");
    await screenshot(app, "48d-import-book-followed");
    // Each client's one tea call.
    assert.match(await status.getText(), /follows the change: 1,500 visits added\./);
  });
});
