//! Project tasks, so that a newcomer needs only Rust and Node:
//!
//!   cargo xtask run       install what is missing, build the UI, open the app
//!   cargo xtask test      the whole suite, as CI runs it
//!   cargo xtask bench     the interactive benchmarks → target/bench/interactive.json
//!                         (`cargo xtask bench week roll`: only the parts named)
//!   cargo xtask bench schedule   the auto-scheduler on the public benchmarks beside
//!                         PyVRP and OR-Tools → target/bench/schedule.csv
//!                         (`… schedule A solomon --scale 0.1`: some groups, less time)
//!   cargo xtask bindings  regenerate the TypeScript bindings from the Rust types

mod e2e;
mod setup;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

fn main() -> ExitCode {
    let task = std::env::args().nth(1).unwrap_or_default();
    let result = match task.as_str() {
        "run" => run(),
        "test" => test(),
        "bench" => bench(),
        "bindings" => bindings(&root().join("ui/src/lib/bindings")),
        _ => Err("usage: cargo xtask run | test | bench | bindings".into()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("\nxtask {task}: {message}");
            ExitCode::FAILURE
        }
    }
}

pub type Result<T = ()> = std::result::Result<T, String>;

/// The repository root (the xtask crate lives one level below it).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("xtask is inside the repository").to_path_buf()
}

/// Runs a command from `dir`, streaming its output; fails with what was run.
pub fn sh(dir: &Path, program: &str, args: &[&str], envs: &[(&str, &str)]) -> Result {
    let status = Command::new(program)
        .args(args)
        .current_dir(dir)
        .envs(envs.iter().copied())
        .status()
        .map_err(|e| format!("could not start `{program}`: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{program} {}` failed ({status})", args.join(" ")))
    }
}

fn step(name: &str, work: impl FnOnce() -> Result) -> Result {
    println!("\n==> {name}");
    let started = Instant::now();
    work()?;
    println!("<== {name}: ok in {:.1} s", started.elapsed().as_secs_f64());
    Ok(())
}

fn build_ui() -> Result {
    let ui = root().join("ui");
    setup::npm_install(&ui)?;
    sh(&ui, "npm", &["run", "--silent", "build"], &[])
}

fn run() -> Result {
    setup::system_packages()?;
    build_ui()?;
    println!("Starting Caredesk (the first start creates a demo agency in your data folder)…");
    sh(&root(), "cargo", &["run", "--package", "caredesk-app"], &[])
}

fn test() -> Result {
    let started = Instant::now();
    let root = root();
    step("formatting (cargo fmt --check)", || sh(&root, "cargo", &["fmt", "--all", "--", "--check"], &[]))?;
    step("system packages", setup::system_packages)?;
    step("UI packages and build", build_ui)?;
    step("clippy, warnings as errors", || {
        sh(&root, "cargo", &["clippy", "--workspace", "--all-targets", "--", "-D", "warnings"], &[])
    })?;
    step("TypeScript bindings are up to date", check_bindings)?;
    step("core tests", || sh(&root, "cargo", &["test", "--package", "caredesk"], &[]))?;
    step("UI type check", || sh(&root.join("ui"), "npm", &["run", "--silent", "check"], &[]))?;
    step("UI unit tests", || sh(&root.join("ui"), "npm", &["run", "--silent", "test"], &[]))?;
    step("end-to-end tests of the real app", e2e::run)?;
    println!("\nAll checks passed in {:.0} s.", started.elapsed().as_secs_f64());
    Ok(())
}

fn bench() -> Result {
    let parts: Vec<String> = std::env::args().skip(2).collect();
    if parts.first().is_some_and(|p| p == "startup") {
        let release = parts.iter().any(|p| p == "release");
        let size = if parts.iter().any(|p| p == "huge") { "huge" } else { "large" };
        // The real app needs what `run` and `test` install first: on a fresh
        // machine its build stops at WebKit's missing headers otherwise.
        setup::system_packages()?;
        build_ui()?;
        return e2e::bench_startup(release, size);
    }
    if parts.first().is_some_and(|p| p == "schedule") {
        let python = setup::peer_python(&root())?;
        let mut args = vec!["bench", "--package", "caredesk", "--bench", "schedule", "--"];
        args.extend(parts[1..].iter().map(String::as_str));
        let python = python.to_string_lossy().to_string();
        args.extend(["--python", &python]);
        return sh(&root(), "cargo", &args, &[]);
    }
    let mut args = vec!["bench", "--package", "caredesk", "--bench", "interactive", "--"];
    args.extend(parts.iter().map(String::as_str));
    sh(&root(), "cargo", &args, &[])?;
    println!("Figures written to {}", root().join("target/bench/interactive.json").display());
    Ok(())
}

/// Exports every type marked `#[ts(export)]` into `dir`.
fn bindings(dir: &Path) -> Result {
    if dir.exists() {
        std::fs::remove_dir_all(dir).map_err(|e| format!("cannot clear {}: {e}", dir.display()))?;
    }
    let dir_text = dir.to_string_lossy().to_string();
    sh(
        &root(),
        "cargo",
        &["test", "--quiet", "--package", "caredesk", "--lib", "export_bindings"],
        &[("TS_RS_EXPORT_DIR", &dir_text)],
    )
}

/// Regenerates the bindings aside and compares them with the committed ones.
fn check_bindings() -> Result {
    let fresh = root().join("target/bindings-check");
    bindings(&fresh)?;
    let committed = root().join("ui/src/lib/bindings");
    let read = |dir: &Path| -> Result<Vec<(String, String)>> {
        let mut files = Vec::new();
        for entry in std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))? {
            let path = entry.map_err(|e| e.to_string())?.path();
            let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            files.push((path.file_name().unwrap().to_string_lossy().to_string(), text));
        }
        files.sort();
        Ok(files)
    };
    let (fresh_files, committed_files) = (read(&fresh)?, read(&committed)?);
    let differ: Vec<&str> = fresh_files
        .iter()
        .filter(|f| !committed_files.contains(f))
        .map(|(name, _)| name.as_str())
        .chain(
            committed_files
                .iter()
                .filter(|(name, _)| !fresh_files.iter().any(|(n, _)| n == name))
                .map(|(n, _)| n.as_str()),
        )
        .collect();
    if differ.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "ui/src/lib/bindings is out of date ({}); run `cargo xtask bindings` and commit the result",
            differ.join(", ")
        ))
    }
}
