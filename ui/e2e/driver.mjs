// Opens the real Caredesk binary through tauri-driver (WebDriver on :4444),
// which `cargo xtask test` starts under Xvfb with a temporary data folder.
import { remote } from "webdriverio";
import { join } from "node:path";

export async function openApp() {
  const application = process.env.CAREDESK_APP;
  if (!application) throw new Error("CAREDESK_APP is not set: run these through `cargo xtask test`");
  const app = await remote({
    hostname: "127.0.0.1",
    port: 4444,
    logLevel: "warn",
    capabilities: { "tauri:options": { application }, "wdio:enforceWebDriverClassic": true },
  });
  await app.setTimeout({ implicit: 0 });
  return app;
}

/** Waits for the first element matching `selector` whose text includes `text`. */
export async function waitForText(app, selector, text, timeout = 10000) {
  let last = "";
  await app.waitUntil(
    async () => {
      const elements = await app.$$(selector);
      for (const element of elements) {
        last = await element.getText();
        if (last.includes(text)) return true;
      }
      return false;
    },
    { timeout, timeoutMsg: `expected ${selector} to show "${text}", last saw "${last}"` },
  );
}

export async function go(app, hash) {
  await app.execute((h) => (location.hash = h), hash);
}

export async function screenshot(app, name) {
  if (process.env.CAREDESK_SHOTS) await app.saveScreenshot(join(process.env.CAREDESK_SHOTS, `${name}.png`));
}
