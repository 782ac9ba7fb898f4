//! One evaluator for every format: checks that a plan is feasible and
//! prices it under the problem's objective. The benchmark harness scores
//! our plans and the peers' with it, and it must reproduce the published
//! best-known costs from their solution files.

use super::problem::{Problem, Sync, Tally};
use super::solution::Solution;
use super::timing::{schedule, Timing};
use serde::Serialize;

const EPS: f64 = 1e-6;
/// Files print times to three decimals.
const GIVEN: f64 = 1e-3;

/// The start times a file gives, checked: no task starts before its window
/// opens or before the carer can get there.
fn given_timing(
    problem: &Problem,
    solution: &Solution,
    given: &[Vec<f64>],
    problems: &mut Vec<String>,
) -> Option<Timing> {
    if given.len() != solution.routes.len() || given.iter().zip(&solution.routes).any(|(g, r)| g.len() != r.len()) {
        problems.push("the start times do not match the routes".into());
        return None;
    }
    let mut back = Vec::new();
    for (r, route) in solution.routes.iter().enumerate() {
        let carer = &problem.carers[r];
        let (mut time, mut place) = (carer.shift.0, carer.start);
        for (i, job) in route.iter().enumerate() {
            let visit = &problem.visits[job.visit];
            let earliest = (time + problem.travel(r, place, visit.place)).max(visit.window.0);
            if given[r][i] < earliest - GIVEN {
                problems.push(format!("{} starts {} at {}, before {earliest:.3}", carer.id, visit.id, given[r][i]));
            }
            time = given[r][i] + visit.tasks[job.task].duration;
            place = visit.place;
        }
        back.push(time + problem.travel(r, place, carer.end));
    }
    Some(Timing { starts: given.to_vec(), back })
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evaluation {
    pub cost: f64,
    pub travel: f64,
    pub total_tardiness: f64,
    pub max_tardiness: f64,
    /// Tasks nobody does.
    pub unassigned: usize,
    /// Visits given to a carer outside the client's preferred carers, for
    /// clients who have some.
    pub strangers: usize,
    pub routes_used: usize,
    /// Empty when feasible; otherwise each broken constraint, in words.
    pub problems: Vec<String>,
}

impl Evaluation {
    pub fn feasible(&self) -> bool {
        self.problems.is_empty()
    }
}

pub fn evaluate(problem: &Problem, solution: &Solution) -> Evaluation {
    let mut problems = Vec::new();
    let mut seen: Vec<Vec<usize>> = problem.visits.iter().map(|v| vec![0; v.tasks.len()]).collect();
    let mut doer: Vec<Vec<Option<usize>>> = problem.visits.iter().map(|v| vec![None; v.tasks.len()]).collect();
    if solution.routes.len() != problem.carers.len() {
        problems.push(format!("{} routes for {} carers", solution.routes.len(), problem.carers.len()));
        return Evaluation::broken(problems);
    }
    for (r, route) in solution.routes.iter().enumerate() {
        for job in route {
            let Some(visit) = problem.visits.get(job.visit).filter(|v| job.task < v.tasks.len()) else {
                problems.push(format!("carer {} has a task that does not exist", problem.carers[r].id));
                return Evaluation::broken(problems);
            };
            seen[job.visit][job.task] += 1;
            doer[job.visit][job.task] = Some(r);
            if !problem.can_do(r, *job) {
                problems.push(format!(
                    "{} cannot do {} at {} (skill {}, or excluded)",
                    problem.carers[r].id,
                    job.task + 1,
                    visit.id,
                    problem.skills[visit.tasks[job.task].skill]
                ));
            }
        }
    }
    let mut unassigned = 0;
    for (v, visit) in problem.visits.iter().enumerate() {
        for (t, &n) in seen[v].iter().enumerate() {
            if n > 1 {
                problems.push(format!("task {} at {} is done {n} times", t + 1, visit.id));
            }
            if n == 0 {
                unassigned += 1;
                if problem.all_tasks_required {
                    problems.push(format!("task {} at {} is not done", t + 1, visit.id));
                }
            }
        }
        if let Some(carer) = visit.fixed {
            if doer[v].iter().any(|d| *d != Some(carer)) {
                problems.push(format!("{} is fixed to {} and was moved", visit.id, problem.carers[carer].id));
            }
        }
        if let [Some(a), Some(b)] = doer[v][..] {
            if a == b {
                problems.push(format!("{} does both tasks at {}", problem.carers[a].id, visit.id));
            }
        }
    }
    let timing = match &solution.starts {
        Some(given) => given_timing(problem, solution, given, &mut problems),
        None => schedule(problem, &solution.routes),
    };
    let Some(timing) = timing else {
        problems.push("the synchronised visits wait on each other: no schedule exists".into());
        return Evaluation::broken(problems);
    };

    let (mut travel, mut total_tardiness, mut max_tardiness, mut strangers, mut routes_used) = (0.0, 0.0, 0.0f64, 0, 0);
    let mut start_of: Vec<Vec<f64>> = problem.visits.iter().map(|v| vec![0.0; v.tasks.len()]).collect();
    for (r, route) in solution.routes.iter().enumerate() {
        if route.is_empty() {
            continue;
        }
        routes_used += 1;
        let carer = &problem.carers[r];
        let mut place = carer.start;
        let mut load = 0.0;
        for (i, job) in route.iter().enumerate() {
            let visit = &problem.visits[job.visit];
            travel += problem.travel(r, place, visit.place);
            place = visit.place;
            let start = timing.starts[r][i];
            start_of[job.visit][job.task] = start;
            let late = (start - visit.window.1).max(0.0);
            if late > EPS && problem.hard_windows() {
                problems.push(format!("{} starts {} at {start:.1}, after {}", carer.id, visit.id, visit.window.1));
            }
            total_tardiness += late;
            max_tardiness = max_tardiness.max(late);
            if job.task == 0 && !visit.preferred.is_empty() && !visit.preferred.contains(&r) {
                strangers += 1;
            }
            if job.task == 0 {
                load += visit.demand;
            }
        }
        travel += problem.travel(r, place, carer.end);
        if let Some(capacity) = carer.capacity.filter(|c| load > c + EPS) {
            problems.push(format!("{} carries {load}, more than {capacity}", carer.id));
        }
        if problem.hard_windows() && timing.back[r] > carer.shift.1 + EPS {
            problems.push(format!("{} is back at {:.1}, after {}", carer.id, timing.back[r], carer.shift.1));
        }
        let first_leg = problem.travel(r, carer.start, problem.visits[route[0].visit].place);
        if let Some(limit) = carer.max_first_leg.filter(|limit| first_leg > limit + EPS) {
            problems
                .push(format!("{} travels {first_leg:.0} minutes to the first visit, more than {limit:.0}", carer.id));
        }
        if let Some(limit) = carer.max_span {
            let (last, at) = (route.len() - 1, &route[route.len() - 1]);
            let end = timing.starts[r][last] + problem.visits[at.visit].tasks[at.task].duration;
            let span = end - timing.starts[r][0];
            if span > limit + EPS {
                problems.push(format!("{} is at visits for {span:.0} minutes, more than {limit:.0}", carer.id));
            }
        }
        if let Some(limit) = carer.max_work {
            let worked = timing.back[r] - timing.starts[r][0] + first_leg;
            if worked > limit + EPS {
                problems.push(format!("{} works {worked:.0} minutes, more than {limit:.0}", carer.id));
            }
        }
    }
    for (v, visit) in problem.visits.iter().enumerate() {
        let (Some(_), Some(_)) = (doer[v].first().copied().flatten(), doer[v].get(1).copied().flatten()) else {
            continue;
        };
        let gap = start_of[v][1] - start_of[v][0];
        let kept = match visit.sync {
            Sync::None => true,
            Sync::Simultaneous => gap.abs() <= GIVEN,
            Sync::Sequential { min, max } => gap >= min - GIVEN && gap <= max + GIVEN,
        };
        if !kept {
            problems.push(format!("the two tasks at {} are {gap:.1} apart", visit.id));
        }
    }
    let tally = Tally { travel, tardiness: total_tardiness, max_tardiness, strangers, undone: unassigned };
    let cost = problem.objective.price(tally);
    Evaluation { cost, travel, total_tardiness, max_tardiness, unassigned, strangers, routes_used, problems }
}

impl Evaluation {
    fn broken(problems: Vec<String>) -> Self {
        Evaluation {
            cost: f64::INFINITY,
            travel: 0.0,
            total_tardiness: 0.0,
            max_tardiness: 0.0,
            unassigned: 0,
            strangers: 0,
            routes_used: 0,
            problems,
        }
    }
}
