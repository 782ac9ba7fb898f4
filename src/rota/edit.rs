//! Changing a visit: its time, length, number of carers and tasks, for *this
//! visit only* or for *this and future visits* (the care package changes
//! from that date); cancelling with a reason, and reinstating.
//!
//! A change that would make an allocated carer break a blocking rule is
//! refused; one that breaks a warning needs the coordinator's reason, which
//! is recorded like an allocation's. Changes to published days are told.

use super::allocate::may_go_past;
use super::allocations::{live_allocations, Allocation, RuleOverride};
use super::carry::{carry_over_visit, carry_over_visits};
use super::plan::london_instant;
use super::publish::{describe_visit, tell, Telling};
use super::visits::{load_visit, Visit, VisitStatus, LONGEST_VISIT_MIN};
use super::week::{cached_week, monday_of};
use crate::access::Operation;
use crate::error::{Error, FieldError, FieldErrors, Result};
use crate::people::common::{self as check};
use crate::people::{load_package, CarePackage};
use crate::rules::{check_visit_change, Finding};
use crate::store::{Changes, Store};
use chrono::{Duration, NaiveDate, NaiveTime};
use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

crate::people::common::text_enum!(EditScope {
    ThisVisit = "this_visit": "This visit only",
    ThisAndFuture = "this_and_future": "This and future visits",
});

/// The visit form, as typed.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct VisitEdit {
    pub visit_id: Uuid,
    /// London wall-clock time, `HH:MM`.
    pub start_time: String,
    pub duration_min: Option<f64>,
    pub carers_required: Option<f64>,
    /// One task a line.
    pub tasks: String,
    pub scope: EditScope,
    /// Why go ahead despite the rules' warnings; empty until asked.
    pub reason: String,
}

#[derive(Debug, Clone, Default, Serialize, TS)]
#[ts(export)]
pub struct EditOutcome {
    /// Visits changed (more than one for *this and future*).
    pub visits_changed: u32,
    /// Future visits a person had edited, left as they were.
    pub kept_hand_edited: u32,
    /// Warnings gone past, each recorded with the reason.
    pub overridden: Vec<Finding>,
}

/// The form for `visit_id`, filled with what the visit says now.
pub fn visit_form(conn: &Connection, visit_id: Uuid) -> Result<VisitEdit> {
    let visit = load_visit(conn, visit_id)?;
    Ok(VisitEdit {
        visit_id,
        start_time: visit.local_time.format("%H:%M").to_string(),
        duration_min: Some(f64::from(visit.duration_min)),
        carers_required: Some(f64::from(visit.carers_required)),
        tasks: visit.tasks.join("\n"),
        scope: EditScope::ThisVisit,
        reason: String::new(),
    })
}

/// What the form asks for, checked field by field.
struct Wanted {
    time: NaiveTime,
    duration_min: u32,
    carers_required: u8,
    tasks: Vec<String>,
}

fn validate(input: &VisitEdit) -> Result<Wanted> {
    let mut e = FieldErrors::new();
    let time = check::required_time(&mut e, "start_time", &input.start_time);
    let duration_min =
        check::whole(&mut e, "duration_min", input.duration_min, (5, LONGEST_VISIT_MIN), "the length in minutes");
    let carers_required =
        check::whole(&mut e, "carers_required", input.carers_required, (1, 2), "the number of carers");
    let tasks: Vec<String> = input.tasks.lines().map(str::trim).filter(|t| !t.is_empty()).map(String::from).collect();
    if let Some(long) = tasks.iter().find(|t| t.chars().count() > 200) {
        e.add(
            "tasks",
            format!("Keep each task under 200 characters (\"{}…\")", long.chars().take(30).collect::<String>()),
        );
    }
    e.finish(Wanted { time: time.unwrap_or_default(), duration_min, carers_required: carers_required as u8, tasks })
}

/// `visit` with the form's values; the instant follows the London clock.
fn changed(visit: &Visit, wanted: &Wanted) -> Visit {
    let (starts_at, time_note) = london_instant(visit.local_date, wanted.time);
    Visit {
        local_time: wanted.time,
        starts_at,
        time_note,
        duration_min: wanted.duration_min,
        carers_required: wanted.carers_required,
        tasks: wanted.tasks.clone(),
        ..visit.clone()
    }
}

/// The change in words: "08:00 → 08:30, 30 → 45 min".
fn what_changed(before: &Visit, after: &Visit) -> String {
    let mut parts = Vec::new();
    if before.starts_at != after.starts_at {
        parts.push(format!("time {} → {}", before.local_time.format("%H:%M"), after.local_time.format("%H:%M")));
    }
    if before.duration_min != after.duration_min {
        parts.push(format!("length {} → {} min", before.duration_min, after.duration_min));
    }
    if before.carers_required != after.carers_required {
        parts.push(format!("carers {} → {}", before.carers_required, after.carers_required));
    }
    if before.tasks != after.tasks {
        parts.push("tasks changed".into());
    }
    parts.join(", ")
}

/// Tells everyone on `after`'s visit, and its client, what changed.
pub(crate) fn tell_change(changes: &mut Changes, before: &Visit, after: &Visit, carers: &[Allocation]) -> Result<()> {
    let what = what_changed(before, after);
    if what.is_empty() {
        return Ok(());
    }
    let sentence = format!("Changed: {} ({what})", describe_visit(changes.read(), before)?);
    let telling =
        Telling { carers: carers.iter().map(|a| (a.carer_id, sentence.clone())).collect(), client: Some(sentence) };
    tell(changes, after, telling)
}

/// Checks the edited visit against the rules for the carers on it.
fn check_change(store: &Store, after: &Visit, carers: &[Allocation]) -> Result<Vec<Finding>> {
    let week = cached_week(store, monday_of(after.local_date))?;
    let facts = &week.facts;
    let Some(mut edited) = facts.visits.iter().find(|v| v.id == after.id).map(|v| v.moved_to(after.starts_at)) else {
        return Ok(Vec::new()); // cancelled visits are not on the rota
    };
    edited.duration_min = after.duration_min;
    edited.carers_required = after.carers_required;
    edited.carers = carers.iter().map(|a| a.carer_id).collect();
    Ok(check_visit_change(facts, &edited))
}

fn record_overrides(changes: &mut Changes, visit: &Visit, findings: &[Finding], reason: &str) -> Result<()> {
    for finding in findings {
        changes.insert(&RuleOverride {
            id: crate::ids::new_id(),
            visit_id: visit.id,
            carer_id: finding.carer_id,
            rule: finding.rule.as_str().to_string(),
            message: finding.message.to_string(),
            reason: reason.trim().to_string(),
            client_id: visit.client_id,
        })?;
    }
    Ok(())
}

/// Saves the visit form. Refused, changing nothing, when the form has
/// mistakes, when a carer on the visit would break a blocking rule, or when
/// there are warnings and no reason.
pub fn edit_visit(store: &mut Store, input: &VisitEdit) -> Result<EditOutcome> {
    let wanted = validate(input)?;
    let visit = load_visit(store.read(), input.visit_id)?;
    if visit.status == VisitStatus::Cancelled {
        return Err(Error::Conflict("This visit is cancelled: reinstate it before changing it".into()));
    }
    let carers = live_allocations(store.read(), &visit)?;
    if carers.iter().any(|a| a.slot > wanted.carers_required) {
        return Err(Error::Invalid(vec![FieldError {
            field: "carers_required".into(),
            message: "A second carer is allocated: unallocate slot 2 before making this a one-carer visit".into(),
        }]));
    }
    let after = changed(&visit, &wanted);
    let findings = check_change(store, &after, &carers)?;
    may_go_past(store, &findings, &input.reason)?;
    let package = match (input.scope, visit.package_id) {
        (EditScope::ThisVisit, _) => None,
        (EditScope::ThisAndFuture, Some(package_id)) => Some(load_package(store.read(), package_id)?),
        (EditScope::ThisAndFuture, None) => {
            return Err(Error::Invalid(vec![FieldError {
                field: "scope".into(),
                message: "A one-off visit has no future visits: choose this visit only".into(),
            }]))
        }
    };
    // The visits the change reaches, as they were: this one, or this one
    // and the package's after it.
    let reached = match &package {
        None => vec![visit.clone()],
        Some(package) => package_visits_from(store.read(), package, visit.local_date)?,
    };
    let outcome = store.write(Operation::EditVisits, |changes| {
        record_overrides(changes, &visit, &findings, &input.reason)?;
        let mut outcome = EditOutcome { overridden: findings.clone(), ..EditOutcome::default() };
        match package {
            None => {
                let after = Visit { edited_by_hand: true, ..after.clone() };
                if changes.update(&visit, &after)? {
                    outcome.visits_changed = 1;
                    tell_change(changes, &visit, &after, &carers)?;
                }
            }
            Some(package) => change_from(changes, &package, visit.local_date, &wanted, &mut outcome)?,
        }
        Ok(outcome)
    })?;
    // Each visit changed keeps its day (only its time, length, carers
    // needed, tasks or package change): the kept weeks take them.
    carry_over_visits(store, &reached);
    Ok(outcome)
}

/// *This and future*: the package ends the day before `from` and a copy with
/// the new values starts on `from`, keeping its place in a multi-week cycle;
/// the visits already rolled forward from `from` move to the new package and
/// follow it, except those a person edited, which keep their own values.
fn change_from(
    changes: &mut Changes,
    package: &CarePackage,
    from: NaiveDate,
    wanted: &Wanted,
    outcome: &mut EditOutcome,
) -> Result<()> {
    let following = CarePackage {
        id: crate::ids::new_id(),
        start_time: wanted.time,
        duration_min: wanted.duration_min,
        carers_required: wanted.carers_required,
        tasks: wanted.tasks.clone(),
        starts_on: from,
        cycle_week_list: cycle_from(package, from),
        ..package.clone()
    };
    if package.starts_on >= from {
        changes.tombstone(package)?;
    } else {
        changes.update(package, &CarePackage { ends_on: Some(from - Duration::days(1)), ..package.clone() })?;
    }
    changes.insert(&following)?;
    for visit in package_visits_from(changes.read(), package, from)? {
        let carers = live_allocations(changes.read(), &visit)?;
        let follows = !visit.edited_by_hand && visit.status == VisitStatus::Planned;
        if !follows {
            outcome.kept_hand_edited += 1;
        }
        if follows && carers.iter().any(|a| a.slot > wanted.carers_required) {
            return Err(Error::Conflict(format!(
                "{} has a second carer: unallocate them before making the call one carer",
                describe_visit(changes.read(), &visit)?
            )));
        }
        let after = if follows { changed(&visit, wanted) } else { visit.clone() };
        let after = Visit { package_id: Some(following.id), ..after };
        changes.update(&visit, &after)?;
        if follows {
            outcome.visits_changed += 1;
            tell_change(changes, &visit, &after, &carers)?;
        }
    }
    Ok(())
}

/// The package's visits already rolled forward, from `from` on.
fn package_visits_from(conn: &rusqlite::Connection, package: &CarePackage, from: NaiveDate) -> Result<Vec<Visit>> {
    let mut stmt = conn.prepare_cached(
        "SELECT * FROM visits WHERE package_id = ?1 AND local_date >= ?2 AND deleted_at IS NULL ORDER BY local_date",
    )?;
    let visits = stmt.query_map([package.id.to_string(), from.to_string()], Visit::from_row)?;
    Ok(visits.collect::<rusqlite::Result<_>>()?)
}

/// The weeks of the cycle the package from `from` runs in, renumbered so
/// its week 1 is `from`'s week, keeping each date's place in the cycle.
fn cycle_from(package: &CarePackage, from: NaiveDate) -> Vec<u8> {
    let cycle = i64::from(package.cycle_weeks.max(1));
    let shift = (monday_of(from) - monday_of(package.starts_on)).num_days().div_euclid(7).rem_euclid(cycle);
    (1..=cycle)
        .filter(|week| package.cycle_week_list.contains(&(((week - 1 + shift) % cycle) as u8 + 1)))
        .map(|week| week as u8)
        .collect()
}

/// Cancels the visit with `reason`: its carers are freed and, on a
/// published day, they and the client are to be told.
pub fn cancel_visit(store: &mut Store, visit_id: Uuid, reason: &str) -> Result<()> {
    cancel_visits(store, &[visit_id], reason)
}

/// `cancel_visit` for several visits with one reason, in one write: all
/// are cancelled, or none (one already cancelled refuses the lot).
pub fn cancel_visits(store: &mut Store, visit_ids: &[Uuid], reason: &str) -> Result<()> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(Error::Invalid(vec![FieldError {
            field: "reason".into(),
            message: "Say why the visit is cancelled (for example \"Client in hospital\")".into(),
        }]));
    }
    let mut visits = Vec::with_capacity(visit_ids.len());
    for id in visit_ids {
        let visit = load_visit(store.read(), *id)?;
        if visit.status == VisitStatus::Cancelled {
            return Err(Error::Conflict(format!("This visit was already cancelled: {}", visit.cancel_reason)));
        }
        visits.push(visit);
    }
    store.write(Operation::EditVisits, |changes| {
        for visit in &visits {
            let carers = live_allocations(changes.read(), visit)?;
            for allocation in &carers {
                changes.tombstone(allocation)?;
            }
            let after = Visit {
                status: VisitStatus::Cancelled,
                cancel_reason: reason.to_string(),
                edited_by_hand: true,
                ..visit.clone()
            };
            changes.update(visit, &after)?;
            let sentence = format!("Cancelled: {} ({reason})", describe_visit(changes.read(), visit)?);
            let telling = Telling {
                carers: carers.iter().map(|a| (a.carer_id, sentence.clone())).collect(),
                client: Some(sentence),
            };
            tell(changes, visit, telling)?;
        }
        Ok(())
    })?;
    carry_over_visits(store, &visits);
    Ok(())
}

/// Puts a cancelled visit back on the rota, without carers.
pub fn reinstate_visit(store: &mut Store, visit_id: Uuid) -> Result<()> {
    let visit = load_visit(store.read(), visit_id)?;
    if visit.status != VisitStatus::Cancelled {
        return Err(Error::Conflict("This visit is not cancelled".into()));
    }
    store.write(Operation::EditVisits, |changes| {
        let after = Visit { status: VisitStatus::Planned, cancel_reason: String::new(), ..visit.clone() };
        changes.update(&visit, &after)?;
        let sentence = format!("Back on: {}", describe_visit(changes.read(), &visit)?);
        tell(changes, &visit, Telling { carers: Vec::new(), client: Some(sentence) })
    })?;
    carry_over_visit(store, &visit);
    Ok(())
}
