//! The search: large neighbourhood search by ruin and recreate. Each step
//! takes some visits out (at random, a cluster of related ones, or strings
//! of consecutive ones from routes near a seed visit, after Christiaens and
//! Vanden Berghe's SISR) and puts them back at their cheapest places, in a
//! random or a tightest-first order, sometimes skipping a place ("blinks").
//! Simulated annealing decides whether to keep the result; the best plan
//! seen is kept. Deterministic for a seed and a number of steps; with a
//! time limit, how far it gets depends on the machine.

use super::evaluate::{evaluate, Evaluation};
use super::insert::insert;
use super::plan::Plan;
use super::problem::Problem;
use super::solution::Solution;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

#[derive(Debug, Clone, Copy)]
pub struct Options {
    pub seconds: f64,
    pub seed: u64,
    /// Stop after this many steps even with time left (for tests that must
    /// give the same plan on any machine).
    pub max_steps: Option<u64>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Progress {
    pub seconds: f64,
    pub steps: u64,
    pub cost: f64,
    /// Tasks the best plan leaves undone.
    pub undone: usize,
}

#[derive(Debug, Clone)]
pub struct Outcome {
    pub solution: Solution,
    pub evaluation: Evaluation,
    pub steps: u64,
    /// Seconds until the first plan that does every task within the rules.
    pub first_feasible: Option<f64>,
    /// Seconds until the best plan was found, and in all.
    pub best_at: f64,
    pub seconds: f64,
    pub cancelled: bool,
}

fn undone(problem: &Problem, plan: &Plan) -> usize {
    plan.missing.iter().map(|&v| problem.visits[v].tasks.len()).sum()
}

/// Puts every missing visit back, in the given order.
fn recreate(problem: &Problem, plan: &mut Plan, mut order: Vec<usize>, blink: f64, rng: &mut ChaCha8Rng) {
    match rng.random_range(0..4) {
        0 => order.shuffle(rng),
        1 => order.sort_by(|&a, &b| problem.visits[a].window.1.total_cmp(&problem.visits[b].window.1)),
        2 => order.sort_by_key(|&v| std::cmp::Reverse(problem.visits[v].tasks.len())),
        _ => order.sort_by(|&a, &b| {
            let width = |v: usize| problem.visits[v].window.1 - problem.visits[v].window.0;
            width(a).total_cmp(&width(b))
        }),
    }
    for v in order {
        insert(problem, plan, v, blink, rng);
    }
}

/// Visits nearest `seed` by travel and by window, nearest first.
fn related(problem: &Problem, seed: usize) -> Vec<usize> {
    let s = &problem.visits[seed];
    let mut all: Vec<(f64, usize)> = (0..problem.visits.len())
        .map(|v| {
            let o = &problem.visits[v];
            (problem.travel(0, s.place, o.place) + 0.5 * (s.window.0 - o.window.0).abs(), v)
        })
        .collect();
    all.sort_by(|a, b| a.0.total_cmp(&b.0));
    all.into_iter().map(|(_, v)| v).collect()
}

/// Takes about `count` visits out of the plan (they join its missing ones).
fn ruin(problem: &Problem, plan: &mut Plan, count: usize, rng: &mut ChaCha8Rng) {
    let n = problem.visits.len();
    let mut out: Vec<usize> = Vec::new();
    match rng.random_range(0..3) {
        0 => {
            let mut all: Vec<usize> = (0..n).collect();
            all.shuffle(rng);
            out.extend(all.into_iter().take(count));
        }
        1 => out.extend(related(problem, rng.random_range(0..n)).into_iter().take(count)),
        _ => {
            // Strings: from each route that serves a visit near the seed, a
            // run of consecutive visits around it.
            let near = related(problem, rng.random_range(0..n));
            let mut used_routes = Vec::new();
            for v in near {
                if out.len() >= count {
                    break;
                }
                let Some((r, i)) = plan.at[v][0] else { continue };
                if used_routes.contains(&r) {
                    continue;
                }
                used_routes.push(r);
                let route = &plan.routes[r];
                let len = rng.random_range(1..=route.len().clamp(1, 10)).min(count - out.len());
                let from = i.saturating_sub(rng.random_range(0..len)).min(route.len() - len);
                out.extend(route[from..from + len].iter().map(|j| j.visit));
            }
        }
    }
    out.sort_unstable();
    out.dedup();
    plan.remove(problem, &out);
    plan.refresh(problem);
}

pub fn solve(problem: &Problem, options: Options, cancel: &AtomicBool, progress: &mut dyn FnMut(&Progress)) -> Outcome {
    let began = Instant::now();
    let mut rng = ChaCha8Rng::seed_from_u64(options.seed);
    let n = problem.visits.len();
    let mut current = Plan::with_fixed(problem);
    current.refresh(problem);
    let order = current.missing.clone();
    recreate(problem, &mut current, order, 0.0, &mut rng);
    let mut best = current.clone();
    let mut best_cost = best.cost(problem);
    let mut current_cost = best_cost;
    let feasible = |plan: &Plan| undone(problem, plan) == 0 || !problem.all_tasks_required;
    let mut first_feasible = feasible(&best).then(|| began.elapsed().as_secs_f64());
    let mut best_at = began.elapsed().as_secs_f64();
    progress(&Progress {
        seconds: began.elapsed().as_secs_f64(),
        steps: 0,
        cost: best_cost,
        undone: undone(problem, &best),
    });

    // Temperatures relative to the cost of one average leg of the first
    // plan (3 legs' worth, chosen by measurement on both benchmarks), cooling
    // geometrically to a hundredth over the time allowed.
    let legs = problem.job_count().max(1) as f64;
    let start_temp = 3.0 * best_cost.min(1e4 * legs) / legs;
    let end_temp = start_temp / 100.0;
    let mut steps = 0u64;
    let mut cancelled = false;
    loop {
        let elapsed = began.elapsed().as_secs_f64();
        if n == 0 || elapsed >= options.seconds || options.max_steps.is_some_and(|m| steps >= m) {
            break;
        }
        if cancel.load(Ordering::Relaxed) {
            cancelled = true;
            break;
        }
        steps += 1;
        let done = match options.max_steps {
            Some(m) => steps as f64 / m as f64,
            None => elapsed / options.seconds,
        };
        let temp = start_temp * (end_temp / start_temp).powf(done.min(1.0));
        let mut candidate = current.clone();
        let most = (n / 4).clamp(1, 30);
        let count = rng.random_range(1..=most);
        // The visits taken out, and as many again of those missing already:
        // where many visits fit nobody (the app's short-staffed days),
        // retrying them all every step would be most of the work.
        let missing_before = candidate.missing.len();
        ruin(problem, &mut candidate, count, &mut rng);
        let mut order: Vec<usize> = candidate.missing[missing_before..].to_vec();
        let mut waiting = candidate.missing[..missing_before].to_vec();
        waiting.shuffle(&mut rng);
        order.extend(waiting.into_iter().take(count.max(1)));
        recreate(problem, &mut candidate, order, 0.01, &mut rng);
        let cost = candidate.cost(problem);
        if cost < current_cost - temp * rng.random::<f64>().ln() {
            current = candidate;
            current_cost = cost;
            if cost < best_cost - 1e-9 {
                best = current.clone();
                best_cost = cost;
                if first_feasible.is_none() && feasible(&best) {
                    first_feasible = Some(began.elapsed().as_secs_f64());
                }
                let seconds = began.elapsed().as_secs_f64();
                best_at = seconds;
                progress(&Progress { seconds, steps, cost, undone: undone(problem, &best) });
            }
        }
    }
    let solution = best.to_solution();
    let evaluation = evaluate(problem, &solution);
    Outcome { solution, evaluation, steps, first_feasible, best_at, seconds: began.elapsed().as_secs_f64(), cancelled }
}
