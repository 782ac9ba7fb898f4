// Recording an incident from the rota and seeing it through, in the real app.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { go, openApp, rotaOn, screenshot, waitForText } from "./driver.mjs";

async function choose(app, id, value) {
  const select = await app.$(`#${id}`);
  await select.waitForExist({ timeout: 10000 });
  await select.selectByAttribute("value", value);
}

describe("an incident recorded from a visit", () => {
  let app;
  let incident;
  before(async () => {
    app = await openApp();
  });
  after(async () => {
    await app?.deleteSession();
  });

  it("starts from the visit panel with the visit's client, and proposes the notifications", async () => {
    await rotaOn(app);
    await waitForText(app, ".queue", "visits", 20000);
    await (await app.$(".queue .block")).click();
    await (await app.$("a=Record an incident")).click();
    await waitForText(app, "h1", "Record an incident");
    await choose(app, "f-kind", "fall");
    await choose(app, "f-severity", "moderate");
    await (await app.$("#f-description")).setValue("Found on the kitchen floor; says she tripped on the rug.");
    await screenshot(app, "20-incident-form");
    await (await app.$("button=Save")).click();
    await waitForText(app, "h1", "Fall", 10000);
    incident = (await app.execute(() => location.hash)).split("/")[2];
    assert.ok(incident, "the incident has its own page");
    const people = await (await app.$("section.panel*=People involved")).getText();
    assert.match(people, /\(person using the service\)/, "the visit's client comes with it");
    await waitForText(app, "[data-testid=notifications]", "Family or key people");
    await waitForText(app, "[data-testid=notifications]", "Commissioner");
  });

  it("decides not to tell the family with a reason and records the commissioner's as sent", async () => {
    const familyRow = await app.$("tr*=Family or key people");
    // Without a reason it is refused, and the reason asked for beside the table.
    await (await familyRow.$("button=Don't notify")).click();
    await waitForText(app, "[data-testid=notifications-section] [role=alert]", "Say why this does not need to be notified");
    await (await app.$("input[aria-label='Reason for not notifying: Family or key people']")).setValue("Her son was there and rang us");
    await (await familyRow.$("button=Don't notify")).click();
    await waitForText(app, "[data-testid=notifications]", "Not notifying");
    const commissionerRow = await app.$("tr*=Commissioner");
    await (await commissionerRow.$("button=Notify")).click();
    const reference = await app.$("input[aria-label='Reference: Commissioner']");
    await reference.waitForExist({ timeout: 10000 });
    await reference.setValue("SCC-4411");
    await (await app.$("button=Record as sent")).click();
    await waitForText(app, "[data-testid=notifications]", "reference SCC-4411");
    await screenshot(app, "21-incident-notifications");
  });

  it("closes it, is refused when editing it, and adds an addendum instead", async () => {
    await (await app.$("button=Close the incident")).click();
    await waitForText(app, "[data-testid=incident-status]", "Closed");
    await go(app, `#/incidents/${incident}/edit`);
    const description = await app.$("#f-description");
    await description.waitForExist({ timeout: 10000 });
    await description.setValue(" Later: it was the cat.");
    await (await app.$("button=Save")).click();
    await waitForText(app, ".error-summary", "closed and cannot be changed");
    assert.match(await description.getValue(), /it was the cat/, "what was typed is kept");
    await screenshot(app, "22-closed-refuses-edit");
    await go(app, `#/incidents/${incident}`);
    await (await app.$("#addendum")).waitForExist({ timeout: 10000 });
    await (await app.$("#addendum")).setValue("The carer says the rug had been moved by a visitor.");
    await (await app.$("button=Add the addendum")).click();
    await waitForText(app, "section.panel", "rug had been moved");
    await screenshot(app, "23-addendum");
  });

  it("shows the trends as charts", async () => {
    await go(app, "#/incidents/trends");
    await waitForText(app, "h1", "Incident trends");
    await waitForText(app, ".tile", "incidents");
    assert.ok((await app.$$(".chart rect.bar")).length >= 12, "a bar for each month");
    await screenshot(app, "24-incident-trends");
  });
});
