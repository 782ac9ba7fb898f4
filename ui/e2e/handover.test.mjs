// Handover and printing in the real app: the registered manager produces
// the office-to-on-call handover sheet and gives it; the coordinator taking
// over signs in, is the only one who can acknowledge it, and the record of
// both is kept with the sheet as it was given. Run sheets, the rota by
// area and the emergency pack show and save as PDF.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { appToday, clickText, daysAfter, go, mondayOf, openApp, screenshot, signIn, type, waitForText, MANAGER } from "./driver.mjs";

const RECEIVER = { userName: "hana.handover", fullName: "Hana Handover", password: "biscuits by the phone" };


describe("handover and printing", () => {
  let app;
  before(async () => {
    app = await openApp();
  });
  after(async () => {
    await app?.deleteSession();
  });

  it("shows the handover sheet for a moment with every section, and gives it", async () => {
    await go(app, "#/handover");
    await type(app, "input[name=at]", "2026-12-01 17:00");
    await clickText(app, "button", "Show the sheet");
    await waitForText(app, "article.document", "Office to on call: Tue 1 Dec 2026 at 17:00 until Wed 2 Dec 2026 at 08:00", 15000);
    for (const heading of ["Who is on call", "Visits still without a carer", "Carers off", "Notifications waiting", "Changes since the last handover"]) {
      await waitForText(app, "article.document", heading);
    }
    await screenshot(app, "60-handover-sheet");
    await clickText(app, "button", "Give this handover");
    await waitForText(app, "[role=status]", "Handover given");
    await waitForText(app, "table.handovers", "Tue 1 Dec 2026 at 17:00");
  });

  it("refuses an acknowledgement by the person who gave it", async () => {
    await clickText(app, "table.handovers button", "Acknowledge");
    await waitForText(app, "[role=alert]", "you gave this one");
  });

  it("saves the sheet on screen as a PDF and says where", async () => {
    await clickText(app, "button", "Save as PDF");
    const status = await waitForText(app, "[role=status]", "Saved to ");
    const path = (await status.getText()).replace("Saved to ", "").trim();
    assert.ok(path.endsWith(".pdf"), path);
    assert.ok(existsSync(path), `${path} exists`);
  });

  it("the receiver acknowledges it with a note, and the record shows both", async () => {
    await go(app, "#/settings");
    await clickText(app, "button", "Add a user");
    await type(app, "#f-full_name", RECEIVER.fullName);
    await type(app, "#f-user_name", RECEIVER.userName);
    await (await app.$("#f-role")).selectByAttribute("value", "coordinator");
    await type(app, "#f-password", RECEIVER.password);
    await type(app, "#f-password_again", RECEIVER.password);
    await clickText(app, "button", "Save user");
    await waitForText(app, "[role=status]", `${RECEIVER.fullName} saved`);
    await clickText(app, ".who button", "Sign out");
    await signIn(app, RECEIVER);
    await go(app, "#/handover");
    await type(app, "table.handovers input", "Will ring the unallocated teatime calls first");
    await clickText(app, "table.handovers button", "Acknowledge");
    await waitForText(app, "[role=status]", "acknowledged");
    const row = await waitForText(app, "table.handovers tbody tr", "Hana Handover (hana.handover)");
    const text = await row.getText();
    assert.match(text, /Sam Manager \(sam\)/, "the giver is on the record");
    assert.match(text, /Will ring the unallocated teatime calls first/, "the note is kept");
    await clickText(app, "table.handovers button", "View as given");
    await waitForText(app, "article.document", "Office to on call: Tue 1 Dec 2026 at 17:00");
    await screenshot(app, "61-handover-acknowledged");
  });

  it("prints the rota by area: every area on its own pages, or the one asked for", async () => {
    await go(app, "#/handover/areas");
    await waitForText(app, "article.document", "Rota by area", 15000);
    await waitForText(app, "article.document", "Area SY1");
    await type(app, "input[name=area]", "zz9");
    await clickText(app, "button", "Show the rota by area");
    await waitForText(app, "[role=alert]", "No visits in ZZ9 on these days");
    await type(app, "input[name=area]", "sy1");
    await clickText(app, "button", "Show the rota by area");
    // Each page's header says the area: once the every-area document shown
    // before is replaced, every page is SY1's.
    let areas = [];
    const headed = async () => {
      const text = await (await app.$("article.document")).getText();
      areas = [...new Set([...text.matchAll(/Rota by area · Area (SY\d+)/g)].map((m) => m[1]))];
      return areas.length === 1;
    };
    await app.waitUntil(headed, { timeout: 10000 }).catch(() => {});
    assert.deepEqual(areas, ["SY1"], "SY1 alone");
    await screenshot(app, "64-rota-by-area");
  });

  it("shows run sheets and the emergency pack", async () => {
    await go(app, "#/handover/runsheets");
    await clickText(app, "button", "Show run sheets");
    await waitForText(app, "article.document", "Run sheet");
    await screenshot(app, "62-run-sheets");
    await go(app, "#/handover/pack");
    await waitForText(app, "article.document", "Whom to call, and what cannot wait", 20000);
    await screenshot(app, "63-emergency-pack");
    await clickText(app, ".who button", "Sign out");
    await signIn(app, MANAGER);
  });

  it("shows a week of run sheets one line a visit, on fewer pages than in full", async () => {
    await go(app, "#/handover/runsheets");
    // Last week, which the demo agency's first start gave carers.
    const iso = daysAfter(mondayOf(await appToday(app)), -7);
    await app.execute((v) => {
      const input = document.querySelector("input[name=date]");
      input.value = v;
      input.dispatchEvent(new Event("input", { bubbles: true }));
    }, iso);
    await (await app.$("select[name=days]")).selectByAttribute("value", "7");
    // The document asked for: its kind, and the whole week in its title
    // ("Mon 23 Nov to Sun 29 Nov 2026"), not the day shown before it.
    const pagesOf = async (kind) => {
      await clickText(app, "button", "Show run sheets");
      const article = await app.$(`article.document[aria-label^="${kind}: "][aria-label*=" to "]`);
      await article.waitForExist({ timeout: 30000 });
      return Number((await (await article.$(".count")).getText()).split(" ")[0]);
    };
    const full = await pagesOf("Run sheet");
    await (await app.$("input[name=brief]")).click();
    const brief = await pagesOf("Run sheet, one line a visit");
    assert.ok(brief < full, `the week one line a visit takes ${brief} pages, in full ${full}`);
    await screenshot(app, "65-run-sheets-one-line");
  });
});
