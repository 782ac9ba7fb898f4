// Signing in, roles and the lock, in the real app: the registered manager
// adds an on-call manager, the screen locks (by hand and after the idle
// time) without losing what was typed,
// and the on-call manager sees only what their role may change.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { clickText, go, openApp, screenshot, signIn, type, waitForText, MANAGER } from "./driver.mjs";

const NIGHT = { userName: "ola.night", fullName: "Ola Night", password: "torch and a flask of tea" };

describe("users, roles and the lock", () => {
  let app;
  before(async () => {
    app = await openApp();
  });
  after(async () => {
    await app?.deleteSession();
  });

  it("shows who is signed in and their role", async () => {
    await waitForText(app, ".who-name", MANAGER.fullName);
    await waitForText(app, ".who-role", "Registered manager");
    await screenshot(app, "40-signed-in");
  });

  it("refuses a weak password for a new user and keeps what was typed", async () => {
    await go(app, "#/settings");
    await clickText(app, "button", "Add a user");
    await type(app, "#f-full_name", NIGHT.fullName);
    await type(app, "#f-user_name", NIGHT.userName);
    await (await app.$("#f-role")).selectByAttribute("value", "on_call_manager");
    await type(app, "#f-password", "password1");
    await type(app, "#f-password_again", "password1");
    await clickText(app, "button", "Save user");
    await waitForText(app, "#f-password-error", "most common");
    assert.equal(await (await app.$("#f-full_name")).getValue(), NIGHT.fullName, "the name typed is kept");
    await screenshot(app, "41-weak-password");
  });

  it("adds an on-call manager", async () => {
    await type(app, "#f-password", NIGHT.password);
    await type(app, "#f-password_again", NIGHT.password);
    await clickText(app, "button", "Save user");
    await waitForText(app, "[role=status]", `${NIGHT.fullName} saved`);
    await waitForText(app, "table.plain tbody", "On-call manager");
  });

  it("locks without losing what was being typed", async () => {
    await go(app, "#/carers/new");
    await type(app, "#f-given_name", "Halfway");
    await clickText(app, ".who button", "Lock");
    await waitForText(app, "#sign-in-title", "Caredesk is locked");
    await screenshot(app, "42-locked");
    await signIn(app, MANAGER);
    assert.equal(await (await app.$("#f-given_name")).getValue(), "Halfway", "the form is as it was left");
  });

  it("the on-call manager can reallocate and log calls but not change people's records or the roster", async () => {
    await clickText(app, ".who button", "Sign out");
    await signIn(app, NIGHT);
    await waitForText(app, ".who-role", "On-call manager");
    await go(app, "#/carers");
    await waitForText(app, "main", "Carers");
    assert.equal((await app.$$("button=New carer")).length, 0, "no New carer button");
    await go(app, "#/oncall");
    await waitForText(app, "button", "Log a call");
    assert.equal((await app.$$("button=Add a shift")).length, 0, "no Add a shift button");
    await waitForText(app, "a", "A carer is off");
    await screenshot(app, "43-on-call-manager");
  });

  it("locks itself after the idle time set in Settings, keeping what was typed", { timeout: 180000 }, async () => {
    await clickText(app, ".who button", "Sign out");
    await signIn(app, MANAGER);
    await go(app, "#/settings");
    const minutes = await app.$("#idle-title ~ form input[type=number]");
    await minutes.waitForExist({ timeout: 10000 });
    await minutes.clearValue();
    await minutes.setValue("1");
    await clickText(app, "#idle-title ~ form button", "Save");
    await waitForText(app, "[role=status]", "after 1 minutes");
    await go(app, "#/carers/new");
    await type(app, "#f-family_name", "Typed before the lock");
    // Nobody touches anything: within a minute and the timer's 15 s, it locks.
    await waitForText(app, "#sign-in-title", "Caredesk is locked", 120000);
    await screenshot(app, "44-idle-locked");
    await signIn(app, MANAGER);
    assert.equal(await (await app.$("#f-family_name")).getValue(), "Typed before the lock");
    await go(app, "#/settings");
    const again = await app.$("#idle-title ~ form input[type=number]");
    await again.waitForExist({ timeout: 10000 });
    await again.clearValue();
    await again.setValue("15");
    await clickText(app, "#idle-title ~ form button", "Save");
    await waitForText(app, "[role=status]", "after 15 minutes");
  });
});
