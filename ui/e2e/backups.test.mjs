// Backups in the real app: the registered manager backs up, changes a
// setting, previews the backup and restores it; the setting is as it was and
// a safety copy of the replaced data is listed.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { clickText, go, openApp, screenshot, waitForText } from "./driver.mjs";


async function idleMinutes(app) {
  const field = await app.$("#idle-title ~ form input[type=number]");
  await field.waitForExist({ timeout: 10000 });
  return field.getValue();
}

describe("backups that restore", () => {
  let app;
  before(async () => {
    app = await openApp();
  });
  after(async () => {
    await app?.deleteSession();
  });

  it("backs up now and lists the checked backup", async () => {
    await go(app, "#/settings");
    await clickText(app, "button", "Back up now");
    await waitForText(app, "[role=status]", "Backed up and checked");
    await waitForText(app, "table.backups", "Backup");
  });

  it("restores the backup over a later change, after a safety copy", async () => {
    const before = await idleMinutes(app);
    const field = await app.$("#idle-title ~ form input[type=number]");
    await field.clearValue();
    await field.setValue("42");
    await clickText(app, "#idle-title ~ form button", "Save");
    await waitForText(app, "[role=status]", "after 42 minutes");

    await clickText(app, "table.backups button", "Preview");
    await waitForText(app, ".preview", "carers");
    await clickText(app, ".preview button", "Restore this backup…");
    await screenshot(app, "45-restore-confirm");
    await clickText(app, ".preview button", "Restore this backup");
    await waitForText(app, "[role=status]", "Restored");
    await waitForText(app, "[role=status]", "before-restore");
    await waitForText(app, "table.backups", "Safety copy before a restore");

    await go(app, "#/today");
    await go(app, "#/settings");
    await waitForText(app, "#idle-title", "Idle lock");
    await app.waitUntil(async () => (await idleMinutes(app)) === before, {
      timeout: 10000,
      timeoutMsg: `expected the idle lock to be back at ${before} minutes`,
    });
    assert.equal(await idleMinutes(app), before);
    await screenshot(app, "46-restored");
  });
});
