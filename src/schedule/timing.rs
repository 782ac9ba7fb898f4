//! When each task of a plan starts: the earliest moment every constraint
//! allows. A task starts no sooner than its window opens and the carer can
//! get there; a double-up's two tasks start together; a sequential pair's
//! second starts between its gaps after the first. All of these are lower
//! bounds on start times, so the earliest schedule is found by raising
//! starts until nothing moves, and it is the cheapest under every
//! objective here. Two routes that each wait for the other never settle:
//! that plan has no schedule.

use super::problem::{Job, Problem, Sync};

#[derive(Debug, Clone, PartialEq)]
pub struct Timing {
    /// Start of each task, by route and position.
    pub starts: Vec<Vec<f64>>,
    /// When each carer is back at their end place.
    pub back: Vec<f64>,
}

/// The earliest schedule of `routes`, or `None` when none exists.
pub fn schedule(problem: &Problem, routes: &[Vec<Job>]) -> Option<Timing> {
    let mut at: Vec<[Option<(usize, usize)>; 2]> = vec![[None, None]; problem.visits.len()];
    let mut synced = false;
    for (r, route) in routes.iter().enumerate() {
        for (i, job) in route.iter().enumerate() {
            at[job.visit][job.task] = Some((r, i));
            synced |= job.task == 1 && problem.visits[job.visit].sync != Sync::None;
        }
    }
    let mut bound: Vec<Vec<f64>> = routes.iter().map(|r| vec![f64::NEG_INFINITY; r.len()]).collect();
    let mut starts: Vec<Vec<f64>> = routes.iter().map(|r| vec![0.0; r.len()]).collect();
    let mut back = vec![0.0; routes.len()];
    // Each round settles at least one more synchronised pair, so more rounds
    // than tasks means the routes wait on each other for ever.
    for _round in 0..=routes.iter().map(Vec::len).sum::<usize>() + 1 {
        for (r, route) in routes.iter().enumerate() {
            let carer = &problem.carers[r];
            let (mut time, mut place) = (carer.shift.0, carer.start);
            for (i, job) in route.iter().enumerate() {
                let visit = &problem.visits[job.visit];
                let arrive = time + problem.travel(r, place, visit.place);
                let start = arrive.max(visit.window.0).max(bound[r][i]);
                starts[r][i] = start;
                time = start + visit.tasks[job.task].duration;
                place = visit.place;
            }
            back[r] = time + problem.travel(r, place, carer.end);
        }
        if !synced {
            return Some(Timing { starts, back });
        }
        let mut moved = false;
        for (r, route) in routes.iter().enumerate() {
            for (i, job) in route.iter().enumerate() {
                let Some((pr, pi)) = at[job.visit][1 - job.task] else { continue };
                let wanted = problem.partner_bound(*job, starts[pr][pi]);
                if wanted > starts[r][i] + 1e-9 {
                    bound[r][i] = wanted;
                    moved = true;
                }
            }
        }
        if !moved {
            return Some(Timing { starts, back });
        }
    }
    None
}
