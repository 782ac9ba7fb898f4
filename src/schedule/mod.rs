//! The auto-scheduler: a pure problem model shared by the public
//! benchmarks (HHCRSP, Solomon) and the app's own visits, the timing of a
//! plan, one evaluator for every format, and the search.

pub mod agency;
pub mod evaluate;
pub mod files;
pub mod hhcrsp;
pub mod insert;
pub mod plan;
pub mod problem;
pub mod search;
pub mod solomon;
pub mod solution;
pub mod timing;

pub use evaluate::{evaluate, Evaluation};
pub use problem::{Carer, Job, Objective, Problem, Sync, Task, Travel, Visit};
pub use search::{solve, Options, Outcome, Progress};
pub use solution::Solution;

/// Reads an instance in either format: JSON is HHCRSP, text is Solomon.
pub fn read_instance(name: &str, text: &str) -> Result<Problem, String> {
    if text.trim_start().starts_with('{') {
        hhcrsp::read_instance(name, text)
    } else {
        solomon::read_instance(name, text)
    }
}

/// Reads a solution for `problem` in the format the problem came in.
pub fn read_solution(problem: &Problem, text: &str) -> Result<Solution, String> {
    match problem.objective {
        Objective::Hhcrsp => hhcrsp::read_solution(problem, text),
        _ => solomon::read_solution(problem, text),
    }
}
