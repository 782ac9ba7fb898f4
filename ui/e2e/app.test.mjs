// The coordinator's first minutes with Caredesk, in the real app.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { go, openApp, screenshot, waitForText } from "./driver.mjs";

const unique = `Testclient${Date.now() % 100000}`;

async function fill(app, values) {
  for (const [id, value] of Object.entries(values)) {
    const field = await app.$(`#${id}`);
    await field.waitForExist({ timeout: 10000 });
    await field.clearValue();
    await field.setValue(value);
  }
}

describe("a coordinator with the demo agency", () => {
  let app;
  before(async () => {
    app = await openApp();
  });
  after(async () => {
    await app?.deleteSession();
  });

  it("opens on Today with the demo agency's figures", async () => {
    await waitForText(app, "h1", "Today");
    await waitForText(app, ".tile", "active clients");
    await screenshot(app, "01-today");
  });

  it("sees the field's error, with everything typed kept, when a form has a bad postcode", async () => {
    await go(app, "#/clients/new");
    await fill(app, {
      "f-given_name": "Dorothy",
      "f-family_name": unique,
      "f-address_line1": "7 Coton Hill",
      "f-town": "Shrewsbury",
      "f-postcode": "NOT A POSTCODE",
      "f-lat": "52.716",
      "f-lon": "-2.756",
    });
    await (await app.$("#f-funding")).selectByVisibleText("Local authority");
    await (await app.$("button[type=submit]")).click();
    await waitForText(app, "#f-postcode-error", "is not a UK postcode");
    assert.equal(await (await app.$("#f-postcode")).getValue(), "NOT A POSTCODE", "the bad value is still in the box");
    assert.equal(await (await app.$("#f-family_name")).getValue(), unique, "other typed values are kept");
    assert.equal(await (await app.$("#f-postcode")).getAttribute("aria-invalid"), "true");
    await screenshot(app, "02-client-form-error");
  });

  it("creates the client once the postcode is fixed, and finds it in the list", async () => {
    await fill(app, { "f-postcode": "sy1 2aa" });
    await (await app.$("button[type=submit]")).click();
    await waitForText(app, "h1", `Dorothy ${unique}`);
    await waitForText(app, ".facts", "SY1 2AA");
    await go(app, "#/clients");
    await (await app.$("input[type=search]")).setValue(unique);
    await waitForText(app, ".tr", `${unique}, Dorothy`);
    await screenshot(app, "03-clients-list");
  });

  it("opens the client's history and sees the change attributed", async () => {
    await (await app.$(".tr")).click();
    await waitForText(app, "h1", unique);
    await (await app.$("button.disclosure")).click();
    await waitForText(app, ".history-list li", "Client added");
    const who = await (await app.$(".history-list .who")).getText();
    assert.ok(who.length > 0 && who !== "unknown user", `the change names who made it, got "${who}"`);
    await screenshot(app, "04-client-history");
  });

  it("adds a care package on the client's page", async () => {
    await (await app.$("button=Add care package")).click();
    await fill(app, { "f-label": "Morning call", "f-start_time": "07:30", "f-duration_min": "45" });
    for (const day of ["mon", "wed", "fri"]) await (await app.$(`input[name=weekdays][value=${day}]`)).click();
    await (await app.$("button[type=submit]")).click();
    await waitForText(app, "table.packages", "Morning call");
    await waitForText(app, "table.packages", "Mon, Wed, Fri");
    await screenshot(app, "05-client-with-package");
  });

  it("removes the package after confirming in place, and the history keeps it", async () => {
    await (await (await app.$("table.packages")).$("button=Remove")).click();
    await waitForText(app, "table.packages .confirm", "Remove Morning call?");
    await screenshot(app, "05b-confirm-remove");
    await (await app.$("button=Yes, remove")).click();
    await waitForText(app, "section.panel", "No care packages yet");
    await (await app.$("button.disclosure")).click();
    await waitForText(app, ".history-list li", "Care package removed");
  });
});

describe("after a restart", () => {
  it("still has the client that was created", async () => {
    const app = await openApp();
    try {
      await go(app, "#/clients");
      await (await app.$("input[type=search]")).setValue(unique);
      await waitForText(app, ".tr", `${unique}, Dorothy`);
    } finally {
      await app.deleteSession();
    }
  });
});

describe("the rota", () => {
  it("rolls the care packages forward with progress and lists the day's visits in time order", async () => {
    const app = await openApp();
    try {
      await go(app, "#/rota");
      await waitForText(app, "h1", "Rota");
      await (await app.$("button=Roll forward")).click();
      await waitForText(app, "[role=status]", "visits created", 30000);
      await waitForText(app, "table.visits", "Morning call");
      const times = await app.execute(() => [...document.querySelectorAll("table.visits tbody tr td:first-child")].map((td) => td.textContent));
      assert.ok(times.length > 10, `a day of the demo agency has many visits, got ${times.length}`);
      assert.deepEqual([...times].sort(), times, "visits are listed earliest first");
      await screenshot(app, "06-rota-day");
    } finally {
      await app.deleteSession();
    }
  });
});

describe("allocating on the rota", () => {
  it("allocates a carer who fits, then shows that carer ruled out of a clashing visit with the reason", async () => {
    const app = await openApp();
    try {
      await go(app, "#/rota");
      await waitForText(app, "table.visits", "Morning call", 20000);
      // The first visit of the day, and another at the same time.
      const callCell = async (n) => (await app.$$("table.visits tbody tr td:nth-child(3)"))[n];
      await (await callCell(0)).click();
      await waitForText(app, ".visit-panel", "fits every rule", 20000);
      const name = await (await app.$(".candidates li .candidate-head strong")).getText();
      await (await app.$(".candidates li .candidate-head button")).click();
      await waitForText(app, "table.visits tbody tr.selected", name);
      await screenshot(app, "07-allocated");

      await (await callCell(1)).click();
      await waitForText(app, ".visit-panel", "Who could go", 20000);
      await (await app.$("button*=carers the rules rule out")).click();
      await waitForText(app, ".blocked", name);
      const reason = await app.execute((who) => [...document.querySelectorAll(".blocked li")].map((li) => li.textContent).find((t) => t.startsWith(who)), name);
      assert.match(reason, /which overlap/, `the clash is explained, got: ${reason}`);
      await screenshot(app, "08-clash-explained");
    } finally {
      await app.deleteSession();
    }
  });
});
