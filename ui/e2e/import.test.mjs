// Importing in the real app: a clients file with a bad line is previewed
// with the line's problem and cannot be imported; the corrected file is.
import { after, before, describe, it } from "node:test";
import { clickText, go, openApp, screenshot, waitForText } from "./driver.mjs";

const stamp = Date.now() % 100000;
const header = "given_name,family_name,address_line1,town,postcode,lat,lon,funding\n";
const good = `Ivy,Imported${stamp},2 Castle Street,Shrewsbury,SY1 2AY,52.709,-2.752,private\n`;
const bad = `Ned,Broken${stamp},3 Castle Street,Shrewsbury,NOT A POSTCODE,52.709,-2.752,private\n`;

// The system file dialog is outside the page, so the test hands the input
// a file the way the dialog would: a File in its list, then "change".
async function choose(app, contents) {
  const input = await app.$("#import-title ~ .toolbar input[type=file]");
  await input.waitForExist({ timeout: 10000 });
  await app.execute((text) => {
    const field = document.querySelector("#import-title ~ .toolbar input[type=file]");
    const files = new DataTransfer();
    files.items.add(new File([text], "clients.csv", { type: "text/csv" }));
    field.files = files.files;
    field.dispatchEvent(new Event("change", { bubbles: true }));
  }, contents);
}

describe("importing clients from another system", () => {
  let app;
  before(async () => {
    app = await openApp();
  });
  after(async () => {
    await app?.deleteSession();
  });

  it("previews a file with a bad line, naming the line and why, and offers no import", async () => {
    await go(app, "#/settings");
    const what = await app.$("#import-title ~ .toolbar select");
    await what.waitForExist({ timeout: 10000 });
    await what.selectByAttribute("value", "clients");
    await choose(app, header + good + bad);
    await waitForText(app, ".preview", "1 problem");
    await waitForText(app, ".problems", "postcode");
    await waitForText(app, ".problems tbody td", "3");
    const buttons = await app.$$(".preview button");
    if (buttons.length !== 0) throw new Error("expected no Import button while a line is wrong");
    await app.execute(() => document.querySelector(".preview").scrollIntoView());
    await screenshot(app, "48-import-problems");
  });

  it("imports the corrected file and finds the client in the list", async () => {
    await choose(app, header + good);
    await waitForText(app, ".preview", "Every line is ready");
    await clickText(app, ".preview button", "Import 1 line");
    await waitForText(app, "[role=status]", "Imported 1 clients");
    await go(app, "#/clients");
    await (await app.$("input[type=search]")).setValue(`Imported${stamp}`);
    await waitForText(app, ".tr", `Imported${stamp}, Ivy`);
  });
});
