//! End-to-end tests of the real app: the real binary in a headless X server,
//! driven through tauri-driver and WebKitWebDriver by the tests in ui/e2e,
//! with a temporary data folder. Checks afterwards that the user's own data
//! folder was not touched.

use crate::{root, setup, sh, Result};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant, SystemTime};

/// A background process, killed with everything it started (tauri-driver
/// starts WebKitWebDriver) when the test run ends, however it ends.
struct Background(Child);

impl Background {
    fn spawn(command: &mut Command, what: &str) -> Result<Self> {
        use std::os::unix::process::CommandExt;
        let child = command.process_group(0).spawn().map_err(|e| format!("could not start {what}: {e}"))?;
        Ok(Background(child))
    }
}

impl Drop for Background {
    fn drop(&mut self) {
        let group = format!("-{}", self.0.id());
        let _ = Command::new("kill").args(["-KILL", "--", &group]).status();
        let _ = self.0.wait();
    }
}

fn wait_for_port(port: u16, within: Duration) -> Result {
    let started = Instant::now();
    while started.elapsed() < within {
        if TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    Err(format!("nothing listened on port {port} within {within:?}"))
}

fn user_data_folder() -> Option<PathBuf> {
    std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/share/uk.caredesk.desktop"))
}

fn modified(path: &Option<PathBuf>) -> Option<SystemTime> {
    path.as_ref().and_then(|p| std::fs::metadata(p.join("caredesk.db")).ok()).and_then(|m| m.modified().ok())
}

/// The screen the end-to-end tests run on: the window's designed size.
const DESIGNED_SCREEN: &str = "1366x768x24";

/// A smaller one: a 1080p laptop at 150 % scaling (`ui/e2e/small-screen.mjs`).
const SMALL_SCREEN: &str = "1280x720x24";

/// The day the app under test thinks it is when the suite starts (its clock
/// moved by `CAREDESK_CLOCK_SHIFT_SECONDS`, read by debug builds only): a
/// Wednesday morning in December, so that no test depends on the day or hour
/// the suite happens to run. Each app the suite starts is moved by the same
/// amount, so the time runs on across restarts as it would in an office.
const SUITE_STARTS_ON: &str = "2026-12-02T09:30:00Z";

/// The whole suite runs again from the Friday morning of the week the clocks
/// go back, its Sunday 25 hours long: the board, the roll forward, the rules
/// and the documents on that week as a coordinator would meet them.
const CLOCKS_GO_BACK_STARTS_ON: &str = "2026-10-23T09:30:00Z";

/// The small screen's run starts on the Saturday afternoon before the clocks
/// go forward, when the Today page warns of the night to come.
const SMALL_SCREEN_STARTS_ON: &str = "2027-03-27T15:00:00Z";

/// How far to move the app's clock for it to read `moment` now, in seconds.
fn shift_to(moment: &str) -> Result<String> {
    let moment = chrono::DateTime::parse_from_rfc3339(moment).map_err(|e| format!("{moment}: {e}"))?;
    Ok((moment.timestamp() - chrono::Utc::now().timestamp()).to_string())
}

/// Xvfb with a `screen` (width x height x depth) and tauri-driver (WebDriver
/// on :4444), which opens the app with `data` as its data folder and its
/// clock moved by `clock_shift` seconds (the real time when `None`): both
/// stopped when the pair is dropped.
fn display_and_driver(
    screen: &str,
    data: &Path,
    logs: &Path,
    clock_shift: Option<&str>,
) -> Result<(Background, Background)> {
    // A driver left running from an earlier run would answer in ours' place,
    // with its own app, and every test would fail to get a session.
    if TcpStream::connect(("127.0.0.1", 4444)).is_ok() {
        return Err("port 4444 is already in use (a tauri-driver left running?): stop it and run again".into());
    }
    let display = ":97";
    let xvfb = Background::spawn(
        Command::new("Xvfb").args([display, "-screen", "0", screen, "-nolisten", "tcp"]).stderr(Stdio::null()),
        "Xvfb",
    )?;
    std::thread::sleep(Duration::from_millis(500));
    let log = std::fs::File::create(logs.join("tauri-driver.log")).map_err(|e| e.to_string())?;
    let mut command = Command::new(setup::tauri_driver()?);
    if let Some(locale) = setup::uk_locale() {
        command.env("LANG", locale).env("LC_ALL", locale);
    }
    match clock_shift {
        Some(seconds) => command.env("CAREDESK_CLOCK_SHIFT_SECONDS", seconds),
        None => command.env_remove("CAREDESK_CLOCK_SHIFT_SECONDS"),
    };
    let driver = Background::spawn(
        command
            .env("DISPLAY", display)
            .env("CAREDESK_DATA_DIR", data)
            .stdout(log.try_clone().map_err(|e| e.to_string())?)
            .stderr(log),
        "tauri-driver",
    )?;
    wait_for_port(4444, Duration::from_secs(20))?;
    // Dropped in reverse: the driver (and the app) before the display.
    Ok((xvfb, driver))
}

/// `cargo xtask bench startup [release] [huge]`: the real app (the debug
/// build the tests use, or the release build) on the large agency, or the
/// huge one (5 times as big), from start to its first rota painted, and its
/// memory (see ui/e2e/startup-bench.mjs), written to
/// target/bench/startup-large.json or startup-huge.json.
pub fn bench_startup(release: bool, size: &str) -> Result {
    let root = root();
    let (profile, flags): (&str, &[&str]) = match release {
        true => ("release", &["--release"]),
        false => ("debug", &[]),
    };
    sh(&root, "cargo", &[&["build", "--package", "caredesk-app"][..], flags].concat(), &[])?;
    sh(&root, "cargo", &["build", "--package", "caredesk", "--bin", "caredesk"], &[])?;
    let data = std::env::temp_dir().join(format!("caredesk-startup-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&data);
    std::fs::create_dir_all(&data).map_err(|e| e.to_string())?;
    let out = root.join("target/bench");
    std::fs::create_dir_all(&out).map_err(|e| e.to_string())?;
    let db = data.join("caredesk.db").to_string_lossy().to_string();
    let cli = root.join("target/debug/caredesk").to_string_lossy().to_string();
    let who =
        [("CAREDESK_USER", "sam"), ("CAREDESK_PASSWORD", "kettle on at seven"), ("CAREDESK_FULL_NAME", "Sam Manager")];
    // The agency, encrypted with its first user, this week and next rolled forward.
    sh(&root, &cli, &["demo", "--size", size, "--db", &db], &who)?;
    let today = chrono::Utc::now().date_naive();
    let monday = today - chrono::Duration::days(i64::from(chrono::Datelike::weekday(&today).num_days_from_monday()));
    let (from, to) = (monday.to_string(), (monday + chrono::Duration::days(13)).to_string());
    sh(&root, &cli, &["roll-forward", "--db", &db, "--from", &from, "--to", &to], &who)?;

    let result = {
        let _running = display_and_driver(DESIGNED_SCREEN, &data, &out, None)?;
        let app = root.join("target").join(profile).join("caredesk-app").to_string_lossy().to_string();
        let out_text = out.join(format!("startup-{size}.json")).to_string_lossy().to_string();
        sh(
            &root.join("ui"),
            "node",
            &["e2e/startup-bench.mjs"],
            &[
                ("CAREDESK_APP", &app),
                ("CAREDESK_BENCH_OUT", &out_text),
                ("CAREDESK_DATA_DIR", &data.to_string_lossy()),
                ("CAREDESK_BENCH_SIZE", size),
            ],
        )
    };
    let _ = std::fs::remove_dir_all(&data);
    result
}

/// Lines of the driver's log shown when a run fails.
const LOG_LINES_SHOWN: usize = 60;

/// When a run failed, the end of the driver's log in `logs`: what the app
/// and WebKit printed (a crash, a core's message on its console), which CI
/// shows no other way.
fn told_of_failure(result: &Result, logs: &Path) {
    if result.is_ok() {
        return;
    }
    let log = std::fs::read_to_string(logs.join("tauri-driver.log")).unwrap_or_default();
    let lines: Vec<&str> = log.lines().collect();
    eprintln!("--- the last {LOG_LINES_SHOWN} lines of tauri-driver.log (the app's and WebKit's own words) ---");
    for line in &lines[lines.len().saturating_sub(LOG_LINES_SHOWN)..] {
        eprintln!("{line}");
    }
    eprintln!("--- end of tauri-driver.log ---");
}

pub fn run() -> Result {
    let root = root();
    sh(&root, "cargo", &["build", "--package", "caredesk-app"], &[])?;
    let app = root.join("target/debug/caredesk-app");

    let data = std::env::temp_dir().join(format!("caredesk-e2e-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&data);
    let shots = root.join("target/e2e");
    std::fs::create_dir_all(&shots).map_err(|e| e.to_string())?;
    let user_folder = user_data_folder();
    let user_before = modified(&user_folder);

    let app_text = app.to_string_lossy().to_string();
    let data_text = data.to_string_lossy().to_string();
    let shots_text = shots.to_string_lossy().to_string();
    let env = [
        ("CAREDESK_APP", app_text.as_str()),
        ("CAREDESK_DATA_DIR", data_text.as_str()),
        ("CAREDESK_SHOTS", shots_text.as_str()),
    ];
    let result = {
        let _running = display_and_driver(DESIGNED_SCREEN, &data, &shots, Some(&shift_to(SUITE_STARTS_ON)?))?;
        sh(&root.join("ui"), "npm", &["run", "--silent", "e2e"], &env)
    };
    told_of_failure(&result, &shots);
    let _ = std::fs::remove_dir_all(&data);
    result?;
    // Again on the clock-change week, on a first start of its own, its
    // screenshots beside the first run's.
    let week_shots = shots.join("clocks-go-back");
    std::fs::create_dir_all(&week_shots).map_err(|e| e.to_string())?;
    let week_shots_text = week_shots.to_string_lossy().to_string();
    let week_env =
        [env[0], env[1], ("CAREDESK_SHOTS", week_shots_text.as_str()), ("CAREDESK_SUITE_WEEK", "clocks-go-back")];
    let result = {
        let _running =
            display_and_driver(DESIGNED_SCREEN, &data, &week_shots, Some(&shift_to(CLOCKS_GO_BACK_STARTS_ON)?))?;
        sh(&root.join("ui"), "npm", &["run", "--silent", "e2e"], &week_env)
    };
    told_of_failure(&result, &week_shots);
    let _ = std::fs::remove_dir_all(&data);
    result?;
    // The window on a smaller screen, on a first start of its own.
    let result = {
        let _running = display_and_driver(SMALL_SCREEN, &data, &shots, Some(&shift_to(SMALL_SCREEN_STARTS_ON)?))?;
        sh(&root.join("ui"), "node", &["--test", "e2e/small-screen.mjs"], &env)
    };
    told_of_failure(&result, &shots);
    let _ = std::fs::remove_dir_all(&data);
    result?;
    if modified(&user_folder) != user_before {
        return Err("the end-to-end tests changed the user's own Caredesk data folder".into());
    }
    println!("Screenshots of the real app: {}", shots.display());
    Ok(())
}
