// Importing in the real app: a clients file with a bad line is previewed
// with the line's problem and cannot be imported; the corrected file is,
// then a care package for its client, which the rota already made follows.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { appToday, chooseImportFile, chooseImportKind, clickText, go, openApp, screenshot, waitForText } from "./driver.mjs";

const stamp = Date.now() % 100000;
const header = "given_name,family_name,address_line1,town,postcode,lat,lon,funding\n";
const good = `Ivy,Imported${stamp},2 Castle Street,Shrewsbury,SY1 2AY,52.709,-2.752,private\n`;
const bad = `Ned,Broken${stamp},3 Castle Street,Shrewsbury,NOT A POSTCODE,52.709,-2.752,private\n`;

describe("importing clients from another system", () => {
  let app;
  before(async () => {
    app = await openApp();
  });
  after(async () => {
    await app?.deleteSession();
  });

  it("previews a file with a bad line, naming the line and why, and offers no import", async () => {
    await chooseImportKind(app, "clients");
    await chooseImportFile(app, header + good + bad, "clients.csv");
    await waitForText(app, ".preview", "1 problem");
    await waitForText(app, ".problems", "postcode");
    await waitForText(app, ".problems tbody td", "3");
    const buttons = await app.$$(".preview button");
    if (buttons.length !== 0) throw new Error("expected no Import button while a line is wrong");
    await app.execute(() => document.querySelector(".preview").scrollIntoView());
    await screenshot(app, "48-import-problems");
  });

  it("imports the corrected file and finds the client in the list", async () => {
    await chooseImportFile(app, header + good, "clients.csv");
    await waitForText(app, ".preview", "Every line is ready");
    await clickText(app, ".preview button", "Import 1 line");
    await waitForText(app, "[role=status]", "Imported 1 client from");
    await go(app, "#/clients");
    await (await app.$("input[type=search]")).setValue(`Imported${stamp}`);
    await waitForText(app, ".tr", `Imported${stamp}, Ivy`);
  });

  it("imports a care package for the imported client, and the rota already made follows it at once", async () => {
    const today = await appToday(app);
    const packages =
      "client_given_name,client_family_name,client_postcode,label,weekdays,start_time,duration_min,carers_required,starts_on\n" +
      `Ivy,Imported${stamp},SY1 2AY,Tea call,mon;tue;wed;thu;fri;sat;sun,18:00,30,1,${today}\n`;
    await chooseImportKind(app, "packages");
    await chooseImportFile(app, packages, "packages.csv");
    await waitForText(app, ".preview", "Every line is ready");
    await screenshot(app, "48a-import-packages-preview");
    await clickText(app, ".preview button", "Import 1 line");
    const status = await waitForText(app, "[role=status]", "Imported 1 care package from packages.csv");
    // Today's tea call, at 18:00, has not yet come: it is among them.
    assert.match(
      await status.getText(),
      /^Imported 1 care package from packages\.csv\. The rota already made up to \w{3} \d+ \w{3} \d{4} follows the change: \d+ visits? added\./,
    );
    await screenshot(app, "48b-import-packages-followed");
  });

  it("imports a carer's hours before Caredesk from a payroll file, refusing a line whose hours it cannot read", async () => {
    // A carer of the demo agency, whose records begin a week and a half
    // ago, with an earlier week nothing is entered for yet.
    const target = await app.executeAsync((done) => {
      const invoke = window.__TAURI_INTERNALS__.invoke;
      (async () => {
        for (const row of await invoke("list_carers", { query: { search: "", sort: "name", descending: true } })) {
          const week = row.left_on ? null : (await invoke("hours_before_caredesk", { id: row.id })).weeks.find((w) => !w.hours);
          if (week) {
            const { carer } = await invoke("carer_detail", { id: row.id });
            return { id: row.id, line: `${carer.given_name},${carer.family_name},${carer.phone}`, week: week.week };
          }
        }
        return { error: "no carer has an earlier week to enter" };
      })().then(done, (e) => done({ error: String(e?.message ?? e) }));
    });
    if (target.error) throw new Error(target.error);
    const header = "carer_given_name,carer_family_name,carer_phone,week,hours\n";
    await chooseImportKind(app, "hours_before");
    await chooseImportFile(app, `${header}${target.line},${target.week},lots\n`, "payroll.csv");
    await waitForText(app, ".preview", "1 problem");
    await waitForText(app, ".problems", "is not a number of hours");
    await chooseImportFile(app, `${header}${target.line},${target.week},42.5\n`, "payroll.csv");
    await waitForText(app, ".preview", "Every line is ready");
    await clickText(app, ".preview button", "Import 1 line");
    await waitForText(app, "[role=status]", "Imported 1 week of a carer's hours from payroll.csv");
    const stored = await app.executeAsync((id, week, done) => {
      window.__TAURI_INTERNALS__.invoke("hours_before_caredesk", { id }).then((f) => done(f.weeks.find((w) => w.week === week)?.hours));
    }, target.id, target.week);
    if (stored !== "42:30") throw new Error(`expected the week to hold 42:30, found ${stored}`);
  });
});
