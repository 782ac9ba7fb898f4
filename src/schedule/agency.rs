//! The app's own day as a scheduling problem. Every open slot of every
//! planned visit that day is a task to place; visits already allocated are
//! fixed in their carers' routes. A visit keeps its planned time (the
//! carer arrives by then and may wait), travel is the agency's estimate by
//! each carer's transport, and a carer may take a visit only inside their
//! availability that day and only where `fits` says the rules find nothing
//! against it (as the rota stands). Leaving a
//! slot open costs a long detour's worth; a carer the client does not know
//! costs a little. A carer's day spans at most 14 hours from home to home
//! (11 hours' rest), and the first visit of it lies within the agency's
//! journey from home (the rules' "far from home", which depends on the
//! route, so the search keeps it rather than `fits`). Pure: the week's
//! facts in, a problem out.

use super::problem::{Carer, Objective, Problem, Sync, Task, Travel, Visit};
use crate::people::PreferenceKind;
use crate::rota::plan::london_instant;
use crate::rules::{RotaFacts, VisitFacts};
use crate::travel::GeoPoint;
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use std::collections::{HashMap, HashSet};
use uuid::Uuid;

/// What leaving one slot open costs, in minutes of travel.
pub const OPEN_SLOT: f64 = 1000.0;
/// What a carer the client does not know costs, in minutes of travel.
pub const STRANGER: f64 = 10.0;

/// The longest a carer's day may run, leaving home to getting back. The
/// Working Time Regulations' 11 hours' rest in 24 leaves 13 hours from the
/// first visit's start to the last one's end; the hour more is for the
/// legs from and to home, which the rules do not count. Measured on the
/// small demo day: 76 slots given with it, 75 with no limit, 74 with 13
/// hours. (Rest across midnight, breaks and weekly hours are the rules
/// check's to keep.)
pub const DAY_SPAN: f64 = 14.0 * 60.0;

/// The longest from a carer's first visit's start to their last one's end:
/// 24 hours less the 11 hours' rest. Without it the plan gave flexible
/// carers a 07:15 morning call and a bed call ending after 20:15, which
/// the rules then refused (5 of the 21 slots the demo's Thu 3 Dec 2026
/// left open).
pub const VISITS_SPAN: f64 = 13.0 * 60.0;

/// Which visit and carer each problem index stands for.
#[derive(Debug, Clone, PartialEq)]
pub struct Built {
    pub problem: Problem,
    pub carers: Vec<Uuid>,
    /// By problem visit: the app's visit, and whether it is an open slot.
    pub slots: Vec<(Uuid, bool)>,
    /// Carers left out because their day as it stands already breaks a
    /// timing limit (a clash or too little travel time), with their names.
    pub left_out: Vec<String>,
}

fn minutes(day_start: DateTime<Utc>, at: DateTime<Utc>) -> f64 {
    (at - day_start).num_seconds() as f64 / 60.0
}

pub fn build(facts: &RotaFacts, date: NaiveDate, fits: &dyn Fn(&VisitFacts, Uuid) -> bool) -> Built {
    let day_start = london_instant(date, NaiveTime::MIN).0;
    let weekday = crate::people::Weekday::from_chrono(chrono::Datelike::weekday(&date));
    // Carers available that day, with their availability as minutes.
    let mut ids: Vec<Uuid> = facts.carers.keys().copied().collect();
    ids.sort();
    let mut carers = Vec::new();
    let mut windows: Vec<Vec<(f64, f64)>> = Vec::new();
    let mut points = Vec::new();
    let mut carer_ids = Vec::new();
    for id in ids {
        let c = &facts.carers[&id];
        let open: Vec<(f64, f64)> = c
            .availability
            .iter()
            .filter(|a| a.weekday == weekday)
            .map(|a| {
                let from = minutes(day_start, london_instant(date, a.start_time).0);
                (from, minutes(day_start, london_instant(date, a.end_time).0))
            })
            .collect();
        let on_leave = c.carer.left_on.is_some_and(|left| left < date) || c.carer.started_on > date;
        if open.is_empty() || on_leave {
            continue;
        }
        carers.push(Carer {
            id: c.carer.full_name(),
            skills: vec![0],
            start: points.len(),
            end: points.len(),
            shift: (f64::NEG_INFINITY, f64::INFINITY),
            capacity: None,
            max_work: Some(DAY_SPAN),
            max_span: Some(VISITS_SPAN),
            max_first_leg: Some(f64::from(facts.travel.longest_from_home_min)),
            transport: c.carer.transport,
        });
        points.push(GeoPoint { lat: c.carer.home_lat, lon: c.carer.home_lon });
        windows.push(open);
        carer_ids.push(id);
    }
    let index: HashMap<Uuid, usize> = carer_ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();

    // Who each client knows: their preferred carers and whoever else does
    // their visits this week.
    let mut known: HashMap<Uuid, HashSet<usize>> = HashMap::new();
    for v in &facts.visits {
        known.entry(v.client_id).or_default().extend(v.carers.iter().filter_map(|c| index.get(c)));
    }
    for client in facts.clients.values() {
        let preferred = client.preferences.iter().filter(|p| p.kind == PreferenceKind::Preferred);
        known.entry(client.client.id).or_default().extend(preferred.filter_map(|p| index.get(&p.carer_id)));
    }

    let mut visits = Vec::new();
    let mut slots = Vec::new();
    let mut day: Vec<_> = facts.visits.iter().filter(|v| v.date == date).collect();
    day.sort_by_key(|v| (v.start, v.id));
    for v in day {
        let start = minutes(day_start, v.start);
        let end = start + f64::from(v.duration_min);
        let place = points.len();
        points.push(v.location);
        let mut preferred: Vec<usize> =
            known.get(&v.client_id).map(|k| k.iter().copied().collect()).unwrap_or_default();
        preferred.sort_unstable();
        let slot = |fixed: Option<usize>, excluded: Vec<usize>| Visit {
            id: v.describe(),
            place,
            window: (start, start),
            tasks: vec![Task { skill: 0, duration: f64::from(v.duration_min) }],
            sync: Sync::None,
            demand: 0.0,
            excluded,
            preferred: preferred.clone(),
            fixed,
        };
        for carer in &v.carers {
            if let Some(&c) = index.get(carer) {
                visits.push(slot(Some(c), vec![]));
                slots.push((v.id, false));
            }
        }
        let open = usize::from(v.carers_required).saturating_sub(v.carers.len());
        if open == 0 {
            continue;
        }
        let excluded: Vec<usize> = carer_ids
            .iter()
            .enumerate()
            .filter(|(c, id)| {
                let inside = windows[*c].iter().any(|(from, to)| *from <= start && end <= *to);
                !inside || v.carers.contains(id) || !fits(v, **id)
            })
            .map(|(c, _)| c)
            .collect();
        for _ in 0..open {
            visits.push(slot(None, excluded.clone()));
            slots.push((v.id, true));
        }
    }
    let mut problem = Problem {
        name: format!("the day of {date}"),
        skills: vec!["care".into()],
        carers,
        visits,
        travel: Travel::Map { points, settings: facts.travel.clone() },
        objective: Objective::Agency { unassigned: OPEN_SLOT, stranger: STRANGER },
        all_tasks_required: false,
    };
    let left_out = leave_out_broken_days(&mut problem);
    Built { problem, carers: carer_ids, slots, left_out }
}

/// A carer whose fixed visits cannot all be reached in time gets nothing
/// new, and their fixed visits are set aside (the rota already shows why).
fn leave_out_broken_days(problem: &mut Problem) -> Vec<String> {
    let plan = super::plan::Plan::with_fixed(problem);
    let mut scratch = Vec::new();
    let mut broken = Vec::new();
    for r in 0..problem.carers.len() {
        let jobs = plan.routes[r].iter().map(|j| (*j, f64::NEG_INFINITY));
        if super::plan::run_route(problem, r, jobs, &mut scratch).is_none() {
            broken.push(r);
        }
    }
    for visit in &mut problem.visits {
        if visit.fixed.is_some_and(|c| broken.contains(&c)) {
            visit.fixed = None;
            visit.excluded = (0..problem.carers.len()).collect();
        } else if visit.fixed.is_none() {
            visit.excluded.extend(&broken);
        }
    }
    broken.iter().map(|&r| problem.carers[r].id.clone()).collect()
}
