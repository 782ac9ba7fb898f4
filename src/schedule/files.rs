//! Instances and solutions as files, for the command line and the
//! benchmark harness: either format, recognised by its content (JSON is
//! HHCRSP, text is Solomon); a solution is written in its instance's
//! format and read back the same way.

use super::evaluate::{evaluate, Evaluation};
use super::problem::{Objective, Problem};
use super::search::{solve, Options, Outcome, Progress};
use super::solution::Solution;
use super::{hhcrsp, solomon};
use std::path::Path;
use std::sync::atomic::AtomicBool;

fn read(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))
}

pub fn read_instance_file(path: &Path) -> Result<Problem, String> {
    let name = path.file_stem().map(|s| s.to_string_lossy().to_string()).unwrap_or_default();
    super::read_instance(&name, &read(path)?).map_err(|e| format!("{}: {e}", path.display()))
}

pub fn read_solution_file(problem: &Problem, path: &Path) -> Result<Solution, String> {
    super::read_solution(problem, &read(path)?).map_err(|e| format!("{}: {e}", path.display()))
}

/// The solution in its instance's format.
pub fn solution_text(problem: &Problem, solution: &Solution) -> Result<String, String> {
    match problem.objective {
        Objective::Hhcrsp => hhcrsp::write_solution(problem, solution),
        _ => Ok(solomon::write_solution(problem, solution, evaluate(problem, solution).cost)),
    }
}

/// Solves an instance file and writes the best plan to `out` (written
/// whole under a temporary name, then renamed).
pub fn schedule_file(
    instance: &Path,
    options: Options,
    out: &Path,
    progress: &mut dyn FnMut(&Progress),
) -> Result<(Problem, Outcome), String> {
    let problem = read_instance_file(instance)?;
    let outcome = solve(&problem, options, &AtomicBool::new(false), progress);
    let text = solution_text(&problem, &outcome.solution)?;
    let partial = out.with_extension("partial");
    std::fs::write(&partial, text).map_err(|e| format!("{}: {e}", partial.display()))?;
    std::fs::rename(&partial, out).map_err(|e| format!("{}: {e}", out.display()))?;
    Ok((problem, outcome))
}

pub fn evaluate_files(instance: &Path, solution: &Path) -> Result<Evaluation, String> {
    let problem = read_instance_file(instance)?;
    let solution = read_solution_file(&problem, solution)?;
    Ok(evaluate(&problem, &solution))
}

/// "cost 218.199 (travel 530.6, tardiness 62.0, worst 62.0); feasible".
pub fn describe(e: &Evaluation) -> String {
    let verdict = if e.feasible() { "feasible".to_string() } else { format!("INFEASIBLE: {}", e.problems.join("; ")) };
    format!(
        "cost {:.3} (travel {:.1}, tardiness {:.1}, worst {:.1}, {} routes); {verdict}",
        e.cost, e.travel, e.total_tardiness, e.max_tardiness, e.routes_used
    )
}
