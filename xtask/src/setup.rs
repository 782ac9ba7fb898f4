//! Installing what a fresh Debian machine lacks: the system libraries the
//! desktop shell builds against, the headless display and WebDriver for the
//! end-to-end tests, the PDF tools the tests read documents with,
//! tauri-driver, and the UI's npm packages.

use crate::{sh, Result};
use std::path::{Path, PathBuf};
use std::process::Command;

/// Debian packages: building and running the Tauri shell, then Xvfb and
/// WebKitWebDriver for the end-to-end tests, and poppler's tools, with
/// which the tests read back the PDFs Caredesk writes (page count, text,
/// each page rendered to PNG), and `locales`, to make the UK English locale
/// the end-to-end tests run the app in (see `uk_locale`).
const PACKAGES: &[&str] = &[
    "build-essential",
    "pkg-config",
    "libwebkit2gtk-4.1-dev",
    "libxdo-dev",
    "libssl-dev",
    "libayatana-appindicator3-dev",
    "librsvg2-dev",
    "xvfb",
    "webkit2gtk-driver",
    "poppler-utils",
    "locales",
];

fn installed(package: &str) -> bool {
    Command::new("dpkg-query")
        .args(["-W", "-f=${Status}", package])
        .output()
        .is_ok_and(|out| String::from_utf8_lossy(&out.stdout).contains("install ok installed"))
}

fn is_root() -> bool {
    Command::new("id").arg("-u").output().is_ok_and(|out| String::from_utf8_lossy(&out.stdout).trim() == "0")
}

pub fn system_packages() -> Result {
    if !cfg!(target_os = "linux") {
        return Ok(());
    }
    let missing: Vec<&str> = PACKAGES.iter().copied().filter(|p| !installed(p)).collect();
    if missing.is_empty() {
        println!("System packages: all present.");
        return Ok(());
    }
    let command = format!("apt-get update && apt-get install -y --no-install-recommends {}", missing.join(" "));
    if !is_root() {
        return Err(format!(
            "missing system packages; install them with:\n  sudo sh -c '{command}'\nthen run this again"
        ));
    }
    println!("Installing system packages: {}", missing.join(" "));
    let env = [("DEBIAN_FRONTEND", "noninteractive")];
    sh(Path::new("/"), "apt-get", &["update", "-q"], &env)?;
    let mut args = vec!["install", "-y", "-q", "--no-install-recommends"];
    args.extend(&missing);
    sh(Path::new("/"), "apt-get", &args, &env)
}

/// The locale the end-to-end tests run the app in: WebKit writes a date
/// field's value in the machine's locale, and a UK coordinator's PC says
/// 02/12/2026 for 2 December where a machine with no locale set says
/// 12/02/2026. Made with locale-gen when missing (as root); otherwise the
/// tests still run, in the machine's own locale.
pub fn uk_locale() -> Option<&'static str> {
    const LOCALE: &str = "en_GB.UTF-8";
    let present = || {
        Command::new("locale")
            .arg("-a")
            .output()
            .is_ok_and(|out| String::from_utf8_lossy(&out.stdout).lines().any(|l| l == "en_GB.utf8"))
    };
    if present() {
        return Some(LOCALE);
    }
    if !is_root() || !Path::new("/usr/sbin/locale-gen").exists() {
        println!("No {LOCALE} locale on this machine: the app's date fields will follow its own locale.");
        return None;
    }
    let wanted = "en_GB.UTF-8 UTF-8";
    let list = std::fs::read_to_string("/etc/locale.gen").unwrap_or_default();
    if !list.lines().any(|l| l.trim() == wanted) {
        let _ = std::fs::write("/etc/locale.gen", format!("{list}\n{wanted}\n"));
    }
    let _ = Command::new("/usr/sbin/locale-gen").output();
    present().then_some(LOCALE)
}

/// `npm ci` when node_modules is missing or older than the lock file.
pub fn npm_install(ui: &Path) -> Result {
    let lock = ui.join("package-lock.json");
    let marker = ui.join("node_modules/.package-lock.json");
    let modified = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    let fresh = matches!((modified(&lock), modified(&marker)), (Some(l), Some(m)) if m >= l);
    if fresh {
        return Ok(());
    }
    sh(ui, "npm", &["ci", "--no-audit", "--no-fund", "--loglevel=error"], &[])
}

/// The path of tauri-driver, installing it from crates.io if needed.
pub fn tauri_driver() -> Result<PathBuf> {
    let cargo_home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
        .ok_or("neither CARGO_HOME nor HOME is set")?;
    let path = cargo_home.join("bin/tauri-driver");
    if !path.exists() {
        sh(Path::new("."), "cargo", &["install", "tauri-driver", "--locked"], &[])?;
    }
    Ok(path)
}

/// The peer solvers the scheduling benchmark runs beside ours, pinned so
/// that a run can be repeated.
const PEERS: &[&str] = &["pyvrp==0.14.1", "ortools==9.15.6755"];

/// A Python environment in `target/bench/peers` with PyVRP and OR-Tools,
/// made on first use (with Debian's python3-venv if the machine lacks it).
pub fn peer_python(root: &Path) -> Result<PathBuf> {
    let venv = root.join("target/bench/peers");
    let python = venv.join("bin/python");
    let ready =
        || Command::new(&python).args(["-c", "import pyvrp, ortools"]).output().is_ok_and(|o| o.status.success());
    if ready() {
        return Ok(python);
    }
    let venv_text = venv.to_string_lossy().to_string();
    if sh(root, "python3", &["-m", "venv", &venv_text], &[]).is_err() {
        if !is_root() {
            return Err("python3 with venv is needed for the peers: sudo apt-get install python3-venv".into());
        }
        let env = [("DEBIAN_FRONTEND", "noninteractive")];
        sh(Path::new("/"), "apt-get", &["update", "-q"], &env)?;
        sh(
            Path::new("/"),
            "apt-get",
            &["install", "-y", "-q", "--no-install-recommends", "python3-venv", "python3-pip"],
            &env,
        )?;
        sh(root, "python3", &["-m", "venv", &venv_text], &[])?;
    }
    let mut args = vec!["-m", "pip", "install", "-q"];
    args.extend(PEERS);
    sh(root, &python.to_string_lossy(), &args, &[])?;
    Ok(python)
}
