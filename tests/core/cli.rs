//! The `caredesk` command line signs in like the app: credentials from the
//! environment (never arguments), the first registered manager made by `demo`,
//! and the file it makes is encrypted.

use std::process::{Command, Output, Stdio};

fn caredesk(args: &[&str], user: &str, password: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_caredesk"))
        .args(args)
        .env("CAREDESK_USER", user)
        .env("CAREDESK_PASSWORD", password)
        .stdin(Stdio::null())
        .output()
        .expect("the caredesk binary runs")
}

fn text(out: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
}

#[test]
fn demo_makes_the_first_registered_manager_and_later_commands_must_sign_in() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("agency.db");
    let db = db.to_str().unwrap();
    let made = caredesk(&["demo", "--size", "small", "--db", db], "sam", "kettle on at seven");
    assert!(made.status.success(), "demo runs: {}", text(&made));

    let roll = ["roll-forward", "--db", db, "--from", "2026-03-02", "--to", "2026-03-03"];
    let refused = caredesk(&roll, "sam", "not the password");
    assert!(!refused.status.success());
    assert!(text(&refused).contains("user name or password is wrong"), "{}", text(&refused));

    let rolled = caredesk(&roll, "sam", "kettle on at seven");
    assert!(rolled.status.success(), "{}", text(&rolled));
    assert!(text(&rolled).contains("visits created"), "{}", text(&rolled));

    assert!(text(&made).contains("recovery key"), "the recovery key is shown once: {}", text(&made));
    let clock = std::sync::Arc::new(caredesk::clock::SystemClock);
    let store =
        caredesk::access::vault::sign_in(std::path::Path::new(db), "sam", "kettle on at seven", clock).unwrap().store;
    let actors = |entity: &str| {
        crate::support::texts(&store, &format!("SELECT DISTINCT actor FROM change_log WHERE entity = '{entity}'"))
    };
    assert_eq!(actors("carers"), vec![caredesk::app::FIRST_START_ACTOR.to_string()], "the demo is the set-up's");
    assert_eq!(actors("rolled_visits"), vec!["sam (sam)".to_string()], "the roll-forward is signed by sam");
}

#[test]
fn the_command_line_prints_run_sheets_a_handover_sheet_and_the_emergency_pack_to_pdf() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("agency.db");
    let db = db.to_str().unwrap();
    let ok = |args: &[&str]| {
        let out = caredesk(args, "sam", "kettle on at seven");
        assert!(out.status.success(), "{args:?}: {}", text(&out));
        text(&out)
    };
    ok(&["demo", "--size", "small", "--db", db]);
    let today = chrono::Local::now().date_naive();
    let (from, to) = (today.to_string(), (today + chrono::Duration::days(2)).to_string());
    ok(&["roll-forward", "--db", db, "--from", &from, "--to", &to]);
    for (args, kind) in [
        (vec!["runsheets", "--db", db, "--date", &from], "Run sheet"),
        (vec!["handover", "--db", db, "--at", &format!("{from} 17:00")], "Handover sheet"),
        (vec!["emergency-pack", "--db", db], "Emergency pack"),
    ] {
        let pdf = dir.path().join(format!("{}.pdf", args[0]));
        let mut args = args.clone();
        args.extend(["--pdf", pdf.to_str().unwrap()]);
        let said = ok(&args);
        assert!(said.contains(kind), "{said}");
        let (pages, text) = crate::documents::read_pdf(&pdf);
        assert!(pages >= 1, "{kind}: {pages} pages");
        assert!(text.contains(kind), "{kind} PDF says what it is");
    }
    let bad =
        caredesk(&["handover", "--db", db, "--at", "tomorrow teatime", "--pdf", "x.pdf"], "sam", "kettle on at seven");
    assert!(!bad.status.success());
    assert!(text(&bad).contains("Enter a date and time like 2026-03-02 14:30"), "{}", text(&bad));
}

#[test]
fn schedule_writes_a_plan_that_evaluate_scores_and_a_broken_plan_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let bench = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/bench/hhcrsp/instances");
    let instance = bench.join("InstanzCPLEX_HCSRP_10_2.json");
    let out = dir.path().join("plan.json");
    let made = std::process::Command::new(env!("CARGO_BIN_EXE_caredesk"))
        .args(["schedule", "--seconds", "1", "--seed", "3", "--instance"])
        .arg(&instance)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert!(made.status.success(), "{}", String::from_utf8_lossy(&made.stderr));
    assert!(String::from_utf8_lossy(&made.stdout).contains("feasible"), "{}", String::from_utf8_lossy(&made.stdout));
    let scored = std::process::Command::new(env!("CARGO_BIN_EXE_caredesk"))
        .arg("evaluate")
        .arg(&instance)
        .arg(&out)
        .output()
        .unwrap();
    let line = String::from_utf8_lossy(&scored.stdout);
    assert!(scored.status.success() && line.starts_with("cost ") && line.contains("feasible"), "{line}");

    // The same plan with one visit dropped does not do every task.
    let mut plan: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    let routes = plan["routes"].as_array_mut().unwrap();
    routes.iter_mut().find(|r| !r["locations"].as_array().unwrap().is_empty()).unwrap()["locations"]
        .as_array_mut()
        .unwrap()
        .pop();
    std::fs::write(&out, plan.to_string()).unwrap();
    let refused = std::process::Command::new(env!("CARGO_BIN_EXE_caredesk"))
        .arg("evaluate")
        .arg(&instance)
        .arg(&out)
        .output()
        .unwrap();
    assert!(!refused.status.success());
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("is not done"),
        "{}",
        String::from_utf8_lossy(&refused.stderr)
    );
}
