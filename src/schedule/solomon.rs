//! Solomon's VRPTW text format (name, vehicle count and capacity, then one
//! line per customer: number, x, y, demand, ready time, due date, service
//! time; customer 0 is the depot) and the `.sol` route files ("Route #1: 5
//! 3 7 …"). Distances are Euclidean, each truncated to one decimal as in
//! the DIMACS challenge (which the published best-known routes use); the
//! objective is total distance, and travel time equals distance.

use super::problem::{Carer, Job, Objective, Problem, Sync, Task, Travel, Visit};
use super::solution::Solution;
use crate::people::Transport;

pub fn read_instance(name: &str, text: &str) -> Result<Problem, String> {
    let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
    let title = lines.next().ok_or("the file is empty")?.to_string();
    let numbers = |line: &str| -> Option<Vec<f64>> { line.split_whitespace().map(|w| w.parse().ok()).collect() };
    let mut vehicles = None;
    let mut rows = Vec::new();
    for line in lines {
        match numbers(line) {
            Some(n) if n.len() == 2 && vehicles.is_none() => vehicles = Some((n[0] as usize, n[1])),
            Some(n) if n.len() == 7 => rows.push(n),
            Some(n) => return Err(format!("a line with {} numbers: {line}", n.len())),
            None => {} // headings
        }
    }
    let (count, capacity) = vehicles.ok_or("the vehicle count and capacity are missing")?;
    if rows.is_empty() || rows[0][0] != 0.0 {
        return Err("customer 0, the depot, must come first".into());
    }
    let place: Vec<(f64, f64)> = rows.iter().map(|r| (r[1], r[2])).collect();
    let travel = place
        .iter()
        .map(|a| {
            place.iter().map(|b| (((a.0 - b.0).powi(2) + (a.1 - b.1).powi(2)).sqrt() * 10.0).floor() / 10.0).collect()
        })
        .collect();
    let depot = &rows[0];
    let carers = (0..count)
        .map(|i| Carer {
            id: format!("vehicle {}", i + 1),
            skills: vec![0],
            start: 0,
            end: 0,
            shift: (depot[4], depot[5]),
            capacity: Some(capacity),
            max_work: None,
            max_span: None,
            max_first_leg: None,
            transport: Transport::Car,
        })
        .collect();
    let visits = rows[1..]
        .iter()
        .enumerate()
        .map(|(i, r)| Visit {
            id: format!("{}", r[0] as u32),
            place: i + 1,
            window: (r[4], r[5]),
            tasks: vec![Task { skill: 0, duration: r[6] }],
            sync: Sync::None,
            demand: r[3],
            excluded: vec![],
            preferred: vec![],
            fixed: None,
        })
        .collect();
    Ok(Problem {
        name: if name.is_empty() { title } else { name.to_string() },
        skills: vec!["vehicle".into()],
        carers,
        visits,
        travel: Travel::Matrix(travel),
        objective: Objective::Distance,
        all_tasks_required: true,
    })
}

pub fn read_solution(problem: &Problem, text: &str) -> Result<Solution, String> {
    let mut solution = Solution::empty(problem);
    let routes =
        text.lines().filter_map(|l| l.trim().strip_prefix("Route #")).map(|l| l.split_once(':').map_or("", |(_, r)| r));
    for (r, line) in routes.enumerate() {
        if r >= problem.carers.len() {
            return Err(format!("more routes than the {} vehicles", problem.carers.len()));
        }
        for word in line.split_whitespace() {
            let visit = problem
                .visits
                .iter()
                .position(|v| v.id == word)
                .ok_or_else(|| format!("customer {word} is not in the instance"))?;
            solution.routes[r].push(Job { visit, task: 0 });
        }
    }
    Ok(solution)
}

pub fn write_solution(problem: &Problem, solution: &Solution, cost: f64) -> String {
    let mut out = String::new();
    for route in solution.routes.iter().filter(|r| !r.is_empty()) {
        let ids: Vec<&str> = route.iter().map(|j| problem.visits[j.visit].id.as_str()).collect();
        out += &format!("Route #{}: {}\n", out.lines().count() + 1, ids.join(" "));
    }
    out + &format!("Cost {cost:.1}\n")
}
