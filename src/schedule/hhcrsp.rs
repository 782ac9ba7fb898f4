//! The Home Health Care Routing and Scheduling benchmark's JSON format
//! (Mankowska, Meisel & Bierwirth 2014): patients with a start window and
//! one or two services, caregivers with abilities, one central office, and
//! a distance matrix in the order office, p1 … pn. Reading instances and
//! solutions, and writing our plans in the same solution format.

use super::problem::{Carer, Job, Objective, Problem, Sync, Task, Travel, Visit};
use super::solution::Solution;
use super::timing::schedule;
use crate::people::Transport;
use serde::{Deserialize, Serialize};

#[derive(Deserialize)]
struct Instance {
    patients: Vec<Patient>,
    services: Vec<Service>,
    caregivers: Vec<Caregiver>,
    central_offices: Vec<Office>,
    distances: Vec<Vec<f64>>,
}

#[derive(Deserialize)]
struct Patient {
    id: String,
    time_window: (f64, f64),
    required_caregivers: Vec<Required>,
    synchronization: Option<Synchronization>,
}

#[derive(Deserialize)]
struct Required {
    service: String,
    duration: f64,
}

#[derive(Deserialize)]
struct Synchronization {
    #[serde(rename = "type")]
    kind: String,
    distance: Option<(f64, f64)>,
}

#[derive(Deserialize)]
struct Service {
    id: String,
}

#[derive(Deserialize)]
struct Caregiver {
    id: String,
    abilities: Vec<String>,
}

#[derive(Deserialize)]
struct Office {}

#[derive(Serialize, Deserialize)]
struct SolutionFile {
    routes: Vec<RouteFile>,
}

#[derive(Serialize, Deserialize)]
struct RouteFile {
    caregiver_id: String,
    #[serde(default)]
    locations: Vec<Stop>,
}

#[derive(Serialize, Deserialize)]
struct Stop {
    patient: String,
    service: String,
    arrival_time: f64,
    departure_time: f64,
}

pub fn read_instance(name: &str, text: &str) -> Result<Problem, String> {
    let file: Instance = serde_json::from_str(text).map_err(|e| format!("not an HHCRSP instance: {e}"))?;
    let skills: Vec<String> = file.services.iter().map(|s| s.id.clone()).collect();
    let skill = |id: &str| skills.iter().position(|s| s == id).ok_or_else(|| format!("service {id} is not listed"));
    let places = file.patients.len() + 1;
    if file.central_offices.len() != 1 {
        return Err(format!("{} central offices; one is expected", file.central_offices.len()));
    }
    if file.distances.len() != places || file.distances.iter().any(|row| row.len() != places) {
        return Err(format!("the distance matrix must be {places} × {places}: the office and each patient"));
    }
    let carers = file
        .caregivers
        .iter()
        .map(|c| {
            Ok(Carer {
                id: c.id.clone(),
                skills: c.abilities.iter().map(|a| skill(a)).collect::<Result<_, String>>()?,
                start: 0,
                end: 0,
                shift: (0.0, f64::INFINITY),
                capacity: None,
                max_work: None,
                max_span: None,
                max_first_leg: None,
                transport: Transport::Car,
            })
        })
        .collect::<Result<Vec<_>, String>>()?;
    let visits = file
        .patients
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let tasks = p
                .required_caregivers
                .iter()
                .map(|r| Ok(Task { skill: skill(&r.service)?, duration: r.duration }))
                .collect::<Result<Vec<_>, String>>()?;
            if tasks.is_empty() || tasks.len() > 2 {
                return Err(format!("patient {} needs {} caregivers; one or two are supported", p.id, tasks.len()));
            }
            let sync = match (&p.synchronization, tasks.len()) {
                (_, 1) | (None, _) => Sync::None,
                (Some(s), _) if s.kind == "simultaneous" => Sync::Simultaneous,
                (Some(s), _) if s.kind == "sequential" => {
                    let (min, max) =
                        s.distance.ok_or_else(|| format!("patient {}: a sequential pair needs its gaps", p.id))?;
                    Sync::Sequential { min, max }
                }
                (Some(s), _) => return Err(format!("patient {}: unknown synchronisation {}", p.id, s.kind)),
            };
            Ok(Visit {
                id: p.id.clone(),
                place: i + 1,
                window: p.time_window,
                tasks,
                sync,
                demand: 0.0,
                excluded: vec![],
                preferred: vec![],
                fixed: None,
            })
        })
        .collect::<Result<Vec<_>, String>>()?;
    Ok(Problem {
        name: name.to_string(),
        skills,
        carers,
        visits,
        travel: Travel::Matrix(file.distances),
        objective: Objective::Hhcrsp,
        all_tasks_required: true,
    })
}

pub fn read_solution(problem: &Problem, text: &str) -> Result<Solution, String> {
    let file: SolutionFile = serde_json::from_str(text).map_err(|e| format!("not an HHCRSP solution: {e}"))?;
    let mut solution = Solution::empty(problem);
    let mut starts = vec![Vec::new(); problem.carers.len()];
    for route in file.routes {
        let r = problem
            .carers
            .iter()
            .position(|c| c.id == route.caregiver_id)
            .ok_or_else(|| format!("caregiver {} is not in the instance", route.caregiver_id))?;
        for stop in route.locations {
            let v = problem
                .visits
                .iter()
                .position(|v| v.id == stop.patient)
                .ok_or_else(|| format!("patient {} is not in the instance", stop.patient))?;
            let visit = &problem.visits[v];
            // The task needing this service; where both need it, the one
            // this route does not already hold.
            let task = (0..visit.tasks.len())
                .find(|&t| {
                    problem.skills[visit.tasks[t].skill] == stop.service
                        && !solution.routes.iter().flatten().any(|j| *j == Job { visit: v, task: t })
                })
                .ok_or_else(|| format!("patient {} does not need service {} (again)", stop.patient, stop.service))?;
            solution.routes[r].push(Job { visit: v, task });
            starts[r].push(stop.arrival_time);
        }
    }
    solution.starts = Some(starts);
    Ok(solution)
}

/// The plan in the benchmark's solution format, with its start times.
pub fn write_solution(problem: &Problem, solution: &Solution) -> Result<String, String> {
    let timing = schedule(problem, &solution.routes).ok_or("the plan has no schedule")?;
    let routes = solution
        .routes
        .iter()
        .enumerate()
        .map(|(r, route)| RouteFile {
            caregiver_id: problem.carers[r].id.clone(),
            locations: route
                .iter()
                .enumerate()
                .map(|(i, job)| {
                    let visit = &problem.visits[job.visit];
                    let start = timing.starts[r][i];
                    Stop {
                        patient: visit.id.clone(),
                        service: problem.skills[visit.tasks[job.task].skill].clone(),
                        arrival_time: start,
                        departure_time: start + visit.tasks[job.task].duration,
                    }
                })
                .collect(),
        })
        .collect();
    serde_json::to_string_pretty(&SolutionFile { routes }).map_err(|e| e.to_string())
}
