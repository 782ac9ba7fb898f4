//! The auto-scheduler on the public benchmarks in `../shared/bench`, each
//! instance scored by our one evaluator beside its best-known cost, and,
//! when `--python` names an interpreter with the peers installed, the peer
//! solvers run one after the other with the same time limit (PyVRP on
//! Solomon, OR-Tools on HHCRSP) and scored by the same evaluator.
//! Writes `target/bench/schedule.csv` and prints the table.
//!
//!   cargo bench --bench schedule -- [A B C E solomon] [--scale 0.2] [--python PATH]

use caredesk::schedule::files::{read_instance_file, read_solution_file};
use caredesk::schedule::{evaluate, solve, Options};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::AtomicBool;
use std::time::Instant;

struct Case {
    group: String,
    instance: String,
    file: PathBuf,
    best: f64,
    seconds: f64,
}

struct Row {
    case: Case,
    ours: f64,
    ours_feasible: bool,
    first_feasible: Option<f64>,
    best_at: f64,
    peer: Option<(String, f64, bool)>,
}

fn gap(cost: f64, best: f64) -> f64 {
    100.0 * (cost - best) / best
}

fn cases(bench: &Path, groups: &[String], scale: f64) -> Vec<Case> {
    let wanted = |g: &str| groups.is_empty() || groups.iter().any(|w| w.eq_ignore_ascii_case(g));
    let mut out = Vec::new();
    let csv = std::fs::read_to_string(bench.join("hhcrsp/best_known.csv")).expect("hhcrsp/best_known.csv");
    for line in csv.lines().skip(1) {
        let cells: Vec<&str> = line.split(',').collect();
        let group = cells[0].trim_end_matches(char::is_numeric).to_string();
        if !wanted(&group) {
            continue;
        }
        let file = bench.join(format!("hhcrsp/instances/{}.json", cells[1]));
        let clients: f64 = cells[1].split('_').nth(2).and_then(|n| n.parse().ok()).unwrap_or(10.0);
        // Group A gets 10 s; the others 0.6 s per client, at most 60 s.
        let seconds = if group == "A" { 10.0 } else { (0.6 * clients).min(60.0) };
        out.push(Case {
            group,
            instance: cells[1].into(),
            file,
            best: cells[2].parse().unwrap(),
            seconds: seconds * scale,
        });
    }
    if wanted("solomon") {
        let csv = std::fs::read_to_string(bench.join("solomon/best_known.csv")).expect("solomon/best_known.csv");
        for line in csv.lines().skip(1) {
            let cells: Vec<&str> = line.split(',').collect();
            out.push(Case {
                group: "solomon".into(),
                instance: cells[0].into(),
                file: bench.join(format!("solomon/{}.txt", cells[0])),
                best: cells[2].parse().unwrap(),
                seconds: 10.0 * scale,
            });
        }
    }
    out
}

/// Runs the peer for this case and scores its solution with our evaluator.
fn run_peer(python: &Path, case: &Case, out_dir: &Path) -> Option<(String, f64, bool)> {
    let (peer, script) =
        if case.group == "solomon" { ("PyVRP", "pyvrp_solomon.py") } else { ("OR-Tools", "ortools_hhcrsp.py") };
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/peers").join(script);
    let out = out_dir.join(format!("{}-{}.sol", case.instance, peer));
    let status =
        Command::new(python).arg(&script).arg(&case.file).arg(format!("{}", case.seconds)).arg(&out).status().ok()?;
    if !status.success() {
        return Some((peer.into(), f64::INFINITY, false));
    }
    let problem = read_instance_file(&case.file).ok()?;
    // Timed afresh, each task as early as allowed, as ours are.
    let solution = read_solution_file(&problem, &out).ok()?;
    let scored = evaluate(&problem, &caredesk::schedule::Solution { starts: None, ..solution });
    Some((peer.into(), scored.cost, scored.feasible()))
}

fn main() {
    let mut args = std::env::args().skip(1).filter(|a| a != "--bench");
    let (mut groups, mut scale, mut python) = (Vec::new(), 1.0, None);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--scale" => scale = args.next().and_then(|s| s.parse().ok()).expect("--scale takes a number"),
            "--python" => python = args.next().map(PathBuf::from),
            _ => groups.push(arg),
        }
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let bench = root.join("../shared/bench");
    let out_dir = root.join("target/bench/schedule");
    std::fs::create_dir_all(&out_dir).expect("target/bench/schedule");
    let mut rows = Vec::new();
    for case in cases(&bench, &groups, scale) {
        let problem = read_instance_file(&case.file).expect("instance");
        let began = Instant::now();
        let options = Options { seconds: case.seconds, seed: 1, max_steps: None };
        let outcome = solve(&problem, options, &AtomicBool::new(false), &mut |_| {});
        let spent = began.elapsed().as_secs_f64();
        let peer = python.as_deref().and_then(|py| run_peer(py, &case, &out_dir));
        let row = Row {
            ours: outcome.evaluation.cost,
            ours_feasible: outcome.evaluation.feasible(),
            first_feasible: outcome.first_feasible,
            best_at: outcome.best_at,
            peer,
            case,
        };
        println!(
            "{:<8} {:<26} ours {:>9.3} best {:>9.3} gap {:>6.2} %  (best at {:.2} s, {} steps in {spent:.1} s){}",
            row.case.group,
            row.case.instance,
            row.ours,
            row.case.best,
            gap(row.ours, row.case.best),
            row.best_at,
            outcome.steps,
            match &row.peer {
                Some((name, cost, ok)) => format!(
                    "  {name} {cost:.3} gap {:.2} %{}",
                    gap(*cost, row.case.best),
                    if *ok { "" } else { " INFEASIBLE" }
                ),
                None => String::new(),
            }
        );
        rows.push(row);
    }
    let mut csv = String::from(
        "instance,group,our_cost,best_known,gap_percent,first_feasible_s,peer,peer_cost,peer_gap_percent,seconds\n",
    );
    for r in &rows {
        let (peer, peer_cost, peer_gap) = match &r.peer {
            Some((name, cost, true)) => (name.clone(), format!("{cost:.3}"), format!("{:.2}", gap(*cost, r.case.best))),
            Some((name, _, false)) => (name.clone(), "infeasible".into(), String::new()),
            None => (String::new(), String::new(), String::new()),
        };
        let ours = if r.ours_feasible { format!("{:.3}", r.ours) } else { "infeasible".into() };
        csv += &format!(
            "{},{},{ours},{:.3},{:.2},{},{:.3},{peer},{peer_cost},{peer_gap},{:.1}\n",
            r.case.instance,
            r.case.group,
            r.case.best,
            gap(r.ours, r.case.best),
            r.first_feasible.map_or(String::new(), |s| format!("{s:.3}")),
            r.best_at,
            r.case.seconds
        );
    }
    std::fs::write(root.join("target/bench/schedule.csv"), csv).expect("schedule.csv");
    println!("\nBy group (mean and worst gap to best known):");
    let mut groups: Vec<&str> = rows.iter().map(|r| r.case.group.as_str()).collect();
    groups.dedup();
    for g in groups {
        let gaps: Vec<f64> = rows.iter().filter(|r| r.case.group == g).map(|r| gap(r.ours, r.case.best)).collect();
        let peer: Vec<f64> = rows
            .iter()
            .filter(|r| r.case.group == g)
            .filter_map(|r| r.peer.as_ref().filter(|p| p.2).map(|p| gap(p.1, r.case.best)))
            .collect();
        let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len().max(1) as f64;
        let worst = |v: &[f64]| v.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        println!(
            "  {g:<8} ours mean {:.2} % worst {:.2} %{}",
            mean(&gaps),
            worst(&gaps),
            if peer.is_empty() {
                String::new()
            } else {
                format!(
                    "; peer mean {:.2} % worst {:.2} % ({} of {} feasible)",
                    mean(&peer),
                    worst(&peer),
                    peer.len(),
                    gaps.len()
                )
            }
        );
    }
    println!("Written to {}", root.join("target/bench/schedule.csv").display());
}
