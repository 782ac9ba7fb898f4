//! The search's working plan: routes with their start times and per-route
//! sums kept current, so the price of putting a visit somewhere is worked
//! out on the one or two routes it touches. A visit is placed or removed
//! whole (both tasks of a double-up together).

use super::problem::{Job, Problem, Tally};
use super::solution::Solution;
use super::timing::schedule;

/// What a task left undone costs the search on the benchmarks, where every
/// task must be done: far above any plan's travel.
const UNDONE: f64 = 100_000.0;
const EPS: f64 = 1e-9;

#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct RouteSums {
    pub travel: f64,
    pub tardiness: f64,
    pub max_tardiness: f64,
    pub load: f64,
    pub strangers: usize,
}

#[derive(Debug, Clone)]
pub struct Plan {
    pub routes: Vec<Vec<Job>>,
    pub starts: Vec<Vec<f64>>,
    /// The bound each task's synchronised partner puts on its start.
    pub bounds: Vec<Vec<f64>>,
    pub sums: Vec<RouteSums>,
    /// Visits in no route.
    pub missing: Vec<usize>,
    /// Where each visit's tasks are: (route, position).
    pub at: Vec<[Option<(usize, usize)>; 2]>,
    /// Whether any visit has two tasks: without, each route is timed on
    /// its own and a change to one route leaves the others as they were.
    pub synced: bool,
}

/// Runs a carer's route from given tasks and start bounds: its sums, or
/// `None` when a hard limit breaks. Writes the start times to `starts`.
pub fn run_route(
    problem: &Problem,
    r: usize,
    jobs: impl Iterator<Item = (Job, f64)>,
    starts: &mut Vec<f64>,
) -> Option<RouteSums> {
    let carer = &problem.carers[r];
    let hard = problem.hard_windows();
    starts.clear();
    let mut s = RouteSums::default();
    let (mut time, mut place) = (carer.shift.0, carer.start);
    let mut first_place = None;
    for (job, bound) in jobs {
        let visit = &problem.visits[job.visit];
        let leg = problem.travel(r, place, visit.place);
        first_place.get_or_insert(visit.place);
        s.travel += leg;
        let start = (time + leg).max(visit.window.0).max(bound);
        let late = start - visit.window.1;
        if late > EPS {
            if hard {
                return None;
            }
            s.tardiness += late;
            s.max_tardiness = s.max_tardiness.max(late);
        }
        starts.push(start);
        time = start + visit.tasks[job.task].duration;
        place = visit.place;
        if job.task == 0 {
            s.load += visit.demand;
            if !visit.preferred.is_empty() && !visit.preferred.contains(&r) {
                s.strangers += 1;
            }
        }
    }
    let Some(first) = first_place else { return Some(s) };
    if carer.max_first_leg.is_some_and(|limit| problem.travel(r, carer.start, first) > limit + EPS) {
        return None;
    }
    if carer.max_span.is_some_and(|limit| time - starts[0] > limit + EPS) {
        return None;
    }
    let leg = problem.travel(r, place, carer.end);
    s.travel += leg;
    let back = time + leg;
    if hard && back > carer.shift.1 + EPS {
        return None;
    }
    if carer.capacity.is_some_and(|c| s.load > c + EPS) {
        return None;
    }
    if let Some(limit) = carer.max_work {
        let leave = starts[0] - problem.travel(r, carer.start, first);
        if back - leave > limit + EPS {
            return None;
        }
    }
    Some(s)
}

impl Plan {
    pub fn new(problem: &Problem) -> Self {
        let n = problem.carers.len();
        Plan {
            routes: vec![Vec::new(); n],
            starts: vec![Vec::new(); n],
            bounds: vec![Vec::new(); n],
            sums: vec![RouteSums::default(); n],
            missing: (0..problem.visits.len()).collect(),
            at: vec![[None, None]; problem.visits.len()],
            synced: problem.visits.iter().any(|v| v.tasks.len() > 1),
        }
    }

    pub fn to_solution(&self) -> Solution {
        Solution { routes: self.routes.clone(), starts: None }
    }

    /// The plan's price under the problem's objective. On the benchmarks,
    /// where every task must be done, an undone one costs far more than
    /// any plan's travel, so the search always prefers doing it.
    pub fn cost(&self, problem: &Problem) -> f64 {
        let undone: usize = self.missing.iter().map(|&v| problem.visits[v].tasks.len()).sum();
        let tally = Tally {
            travel: self.sums.iter().map(|s| s.travel).sum(),
            tardiness: self.sums.iter().map(|s| s.tardiness).sum(),
            max_tardiness: self.sums.iter().map(|s| s.max_tardiness).fold(0.0, f64::max),
            strangers: self.sums.iter().map(|s| s.strangers).sum(),
            undone,
        };
        let penalty = if problem.all_tasks_required { UNDONE * undone as f64 } else { 0.0 };
        problem.objective.price(tally) + penalty
    }

    /// Works out start times, bounds and sums afresh; false when the plan
    /// has no schedule or breaks a hard limit.
    pub fn refresh(&mut self, problem: &Problem) -> bool {
        self.at = vec![[None, None]; problem.visits.len()];
        for (r, route) in self.routes.iter().enumerate() {
            for (i, job) in route.iter().enumerate() {
                self.at[job.visit][job.task] = Some((r, i));
            }
        }
        let Some(timing) = schedule(problem, &self.routes) else { return false };
        self.starts = timing.starts;
        let mut ok = true;
        let mut scratch = Vec::new();
        for r in 0..self.routes.len() {
            self.bounds[r] = self.routes[r]
                .iter()
                .map(|job| match self.at[job.visit][1 - job.task] {
                    Some((pr, pi)) if problem.visits[job.visit].tasks.len() == 2 => {
                        problem.partner_bound(*job, self.starts[pr][pi])
                    }
                    _ => f64::NEG_INFINITY,
                })
                .collect();
            let jobs = self.routes[r].iter().copied().zip(self.bounds[r].iter().copied());
            match run_route(problem, r, jobs, &mut scratch) {
                Some(s) => self.sums[r] = s,
                None => ok = false,
            }
        }
        ok
    }

    /// After a change to route `r` alone, in a problem without
    /// synchronised visits: times that route afresh; false when it breaks
    /// a hard limit. Otherwise refreshes the whole plan.
    pub fn refresh_route(&mut self, problem: &Problem, r: usize) -> bool {
        if self.synced {
            return self.refresh(problem);
        }
        for (i, job) in self.routes[r].iter().enumerate() {
            self.at[job.visit][job.task] = Some((r, i));
        }
        self.bounds[r] = vec![f64::NEG_INFINITY; self.routes[r].len()];
        let jobs = self.routes[r].iter().map(|j| (*j, f64::NEG_INFINITY));
        match run_route(problem, r, jobs, &mut self.starts[r]) {
            Some(sums) => {
                self.sums[r] = sums;
                true
            }
            None => false,
        }
    }

    /// Takes visits out of their routes (the caller refreshes); visits
    /// fixed to a carer stay.
    pub fn remove(&mut self, problem: &Problem, visits: &[usize]) {
        let movable: Vec<usize> = visits.iter().copied().filter(|&v| problem.visits[v].fixed.is_none()).collect();
        for route in &mut self.routes {
            route.retain(|j| !movable.contains(&j.visit));
        }
        for v in movable {
            if !self.missing.contains(&v) {
                self.missing.push(v);
            }
        }
    }

    /// A plan with only the fixed visits, each in its carer's route in
    /// time order; every other visit missing.
    pub fn with_fixed(problem: &Problem) -> Self {
        let mut plan = Plan::new(problem);
        for (v, visit) in problem.visits.iter().enumerate() {
            if let Some(carer) = visit.fixed {
                plan.routes[carer].extend((0..visit.tasks.len()).map(|task| Job { visit: v, task }));
            }
        }
        for route in &mut plan.routes {
            route.sort_by(|a, b| problem.visits[a.visit].window.0.total_cmp(&problem.visits[b.visit].window.0));
        }
        plan.missing.retain(|&v| problem.visits[v].fixed.is_none());
        plan
    }
}
