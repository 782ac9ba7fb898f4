//! Putting a visit back into a plan at its cheapest place. A one-task visit
//! is tried at every position of every carer who may do it; a double-up's
//! two tasks are each tried alone first, and the most promising places are
//! then paired on two different carers, their start times settled against
//! each other. The price is the change in the plan's cost on the routes
//! touched; the plan is then refreshed in full, which may still refuse the
//! placement (two routes waiting on each other).

use super::plan::{run_route, Plan, RouteSums};
use super::problem::{Job, Problem, Tally};
use rand::Rng;

const EPS: f64 = 1e-9;
/// How many single places of each task of a double-up are paired up.
const PAIRED: usize = 8;
/// How many placements are offered, cheapest first, in case the cheapest
/// is refused when the whole plan is timed.
const OFFERED: usize = 3;

#[derive(Debug, Clone, Copy)]
pub struct Placement {
    pub price: f64,
    /// (route, position) of task 0 and, for a double-up, task 1.
    pub spots: [(usize, usize); 2],
}

/// The plan's totals, to price a change on one or two routes quickly.
struct Totals {
    travel: f64,
    tardiness: f64,
    strangers: usize,
    /// The three largest route tardiness maxima with their routes.
    top: [(f64, usize); 3],
}

impl Totals {
    fn of(plan: &Plan) -> Self {
        let mut top = [(0.0, usize::MAX); 3];
        for (r, s) in plan.sums.iter().enumerate() {
            let m = s.max_tardiness;
            if m > top[2].0 {
                top[2] = (m, r);
                top.sort_by(|a, b| b.0.total_cmp(&a.0));
            }
        }
        Totals {
            travel: plan.sums.iter().map(|s| s.travel).sum(),
            tardiness: plan.sums.iter().map(|s| s.tardiness).sum(),
            strangers: plan.sums.iter().map(|s| s.strangers).sum(),
            top,
        }
    }

    /// The plan's cost (without undone tasks) once `changes` replace routes.
    fn price(&self, problem: &Problem, plan: &Plan, changes: &[(usize, RouteSums)]) -> f64 {
        let (mut travel, mut tardiness, mut strangers) = (self.travel, self.tardiness, self.strangers);
        let mut max = self.top.iter().find(|(_, r)| !changes.iter().any(|(c, _)| c == r)).map_or(0.0, |t| t.0);
        for (r, s) in changes {
            let old = &plan.sums[*r];
            travel += s.travel - old.travel;
            tardiness += s.tardiness - old.tardiness;
            // The plan's total holds the old route's count.
            strangers = strangers - old.strangers + s.strangers;
            max = f64::max(max, s.max_tardiness);
        }
        // Undone tasks are the same wherever this one visit goes.
        let tally = Tally { travel, tardiness, max_tardiness: max, strangers, undone: 0 };
        problem.objective.price(tally)
    }
}

/// The route `r` with `job` at position `i`, bounded by `bound`: its sums
/// and the job's start.
fn try_at(
    problem: &Problem,
    plan: &Plan,
    r: usize,
    i: usize,
    job: Job,
    bound: f64,
    scratch: &mut Vec<f64>,
) -> Option<(RouteSums, f64)> {
    let route = &plan.routes[r];
    let bounds = &plan.bounds[r];
    let jobs = route[..i]
        .iter()
        .copied()
        .zip(bounds[..i].iter().copied())
        .chain(std::iter::once((job, bound)))
        .chain(route[i..].iter().copied().zip(bounds[i..].iter().copied()));
    let sums = run_route(problem, r, jobs, scratch)?;
    Some((sums, scratch[i]))
}

/// The cheapest placements of `visit`, cheapest first (at most a few).
pub fn placements(problem: &Problem, plan: &Plan, visit: usize, blink: f64, rng: &mut impl Rng) -> Vec<Placement> {
    let totals = Totals::of(plan);
    let base = totals.price(problem, plan, &[]);
    let v = &problem.visits[visit];
    let mut scratch = Vec::new();
    // Every single place of each task, priced alone.
    let mut singles: [Vec<(f64, usize, usize)>; 2] = [Vec::new(), Vec::new()];
    for (t, found) in singles.iter_mut().enumerate().take(v.tasks.len()) {
        let job = Job { visit, task: t };
        for r in 0..problem.carers.len() {
            if !problem.can_do(r, job) {
                continue;
            }
            if let Some(cap) = problem.carers[r].capacity {
                if plan.sums[r].load + v.demand > cap + EPS {
                    continue;
                }
            }
            for i in 0..=plan.routes[r].len() {
                if blink > 0.0 && rng.random::<f64>() < blink {
                    continue;
                }
                if let Some((sums, _)) = try_at(problem, plan, r, i, job, f64::NEG_INFINITY, &mut scratch) {
                    found.push((totals.price(problem, plan, &[(r, sums)]) - base, r, i));
                }
            }
        }
        found.sort_by(|a, b| a.0.total_cmp(&b.0));
    }
    if v.tasks.len() == 1 {
        return singles[0]
            .iter()
            .take(OFFERED)
            .map(|&(price, r, i)| Placement { price, spots: [(r, i), (r, i)] })
            .collect();
    }
    let (first, second) = (Job { visit, task: 0 }, Job { visit, task: 1 });
    let mut paired = Vec::new();
    for &(_, r0, i0) in singles[0].iter().take(PAIRED) {
        for &(_, r1, i1) in singles[1].iter().take(PAIRED) {
            if r0 == r1 {
                continue;
            }
            // Settle the two starts against each other.
            let mut bound0 = f64::NEG_INFINITY;
            let mut settled = None;
            for _ in 0..6 {
                let Some((s0, start0)) = try_at(problem, plan, r0, i0, first, bound0, &mut scratch) else { break };
                let bound1 = problem.partner_bound(second, start0);
                let Some((s1, start1)) = try_at(problem, plan, r1, i1, second, bound1, &mut scratch) else { break };
                let wanted = problem.partner_bound(first, start1);
                if wanted <= start0 + EPS {
                    settled = Some((s0, s1));
                    break;
                }
                bound0 = wanted;
            }
            if let Some((s0, s1)) = settled {
                let price = totals.price(problem, plan, &[(r0, s0), (r1, s1)]) - base;
                paired.push(Placement { price, spots: [(r0, i0), (r1, i1)] });
            }
        }
    }
    paired.sort_by(|a, b| a.price.total_cmp(&b.price));
    paired.truncate(OFFERED);
    paired
}

/// Puts `visit` at its cheapest place that the whole plan accepts; false
/// when there is none (the visit stays missing).
pub fn insert(problem: &Problem, plan: &mut Plan, visit: usize, blink: f64, rng: &mut impl Rng) -> bool {
    for placement in placements(problem, plan, visit, blink, rng) {
        let before = plan.clone();
        let tasks = problem.visits[visit].tasks.len();
        // The later position first when both are on one route (never for a
        // double-up, whose tasks go to two carers).
        for t in (0..tasks).rev() {
            let (r, i) = placement.spots[t];
            plan.routes[r].insert(i, Job { visit, task: t });
        }
        plan.missing.retain(|&m| m != visit);
        let (r, _) = placement.spots[0];
        if plan.refresh_route(problem, r) {
            return true;
        }
        *plan = before;
    }
    false
}
