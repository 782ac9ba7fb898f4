// Exports in the real app: every store as CSV from Settings, and everything
// held about one client from the client's page.
import { after, before, describe, it } from "node:test";
import { clickText, go, openApp, screenshot, waitForText } from "./driver.mjs";


describe("exports for the registered manager", () => {
  let app;
  before(async () => {
    app = await openApp();
  });
  after(async () => {
    await app?.deleteSession();
  });

  it("exports every store as CSV and says where", async () => {
    await go(app, "#/settings");
    await clickText(app, "button", "Export every store as CSV");
    await waitForText(app, "[role=status]", "clients.csv", 20000);
    await waitForText(app, "[role=status]", "change_log.csv");
  });

  it("exports everything held about one client", async () => {
    await go(app, "#/clients");
    const row = await app.$(".tr");
    await row.waitForExist({ timeout: 10000 });
    await row.click();
    await waitForText(app, "h1", "");
    await clickText(app, "button", "Everything we hold about them");
    await waitForText(app, "[role=status]", "subject-access.html", 20000);
    await screenshot(app, "47-subject-access");
  });
});
