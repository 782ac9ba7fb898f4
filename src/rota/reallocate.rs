//! A carer off from a moment (product brief §6): "sick from 06:30". Every
//! visit they were to do from then is listed, time-critical first, each
//! with ranked replacements and the reasons behind the rank. The on-call
//! manager applies one, the best for all, or leaves a visit in the
//! unallocated queue saying why nobody fits. Every change is told.

use super::allocate::{may_go_past, put_carer, take_off};
use super::carry::{carry_over_absence, carry_over_visit, carry_over_visits};
use super::continuity::earlier_visits_by_carer;
use super::edit::tell_change;
use super::plan::london_instant;
use super::publish::carer_name;
use super::visits::{load_visit, Visit};
use super::week::{cached_week, monday_of, Week};
use crate::access::Operation;
use crate::error::{Error, FieldError, FieldErrors, Result};
use crate::ids::IdMap;
use crate::people::common::{london_text, read_london_moment};
use crate::people::{Absence, AbsenceKind};
use crate::record_fields;
use crate::rules::replace::Context;
use crate::rules::{check_allocation_as, replacements, Finding, Replacement, VisitFacts};
use crate::store::{row_uuid, Record, Store};
use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Europe::London;
use rusqlite::types::Value;
use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use ts_rs::TS;
use uuid::Uuid;

/// How many replacements each visit shows; the rest are counted.
pub const SHOWN: usize = 5;

/// "Carer off" as typed: from a London date-and-time to a last day.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(default)]
pub struct OffInput {
    pub carer_id: Option<Uuid>,
    pub kind: Option<AbsenceKind>,
    /// "2026-11-24T06:30"
    pub from: String,
    /// "2026-11-24": the last day off, as far as is known.
    pub until: String,
    pub note: String,
}

/// Why a visit was left without a carer.
#[derive(Debug, Clone, PartialEq)]
pub struct QueueNote {
    pub id: Uuid,
    pub visit_id: Uuid,
    pub client_id: Uuid,
    pub reason: String,
    pub noted_at: DateTime<Utc>,
    pub noted_by: String,
}

impl Record for QueueNote {
    const ENTITY: &'static str = "queue_notes";
    fn id(&self) -> Uuid {
        self.id
    }
    fn root_id(&self) -> Uuid {
        self.client_id
    }
    fn fields(&self) -> Vec<(&'static str, Value)> {
        record_fields!(self; visit_id, client_id, reason, noted_at, noted_by)
    }
}

/// Records the carer as off from the moment given; returns the absence's id.
pub fn mark_off(store: &mut Store, input: &OffInput) -> Result<Uuid> {
    let mut e = FieldErrors::new();
    let carer_id = input.carer_id.unwrap_or_else(|| {
        e.add("carer_id", "Choose the carer");
        Uuid::nil()
    });
    let kind = input.kind.unwrap_or_else(|| {
        e.add("kind", "Choose why they are off");
        AbsenceKind::Other
    });
    let from = read_london_moment(&mut e, "from", &input.from).map(|at| at.with_timezone(&London).naive_local());
    let until = crate::people::common::required_date(&mut e, "until", &input.until, "the last day off");
    if let (Some(from), Some(until)) = (from, until) {
        if until < from.date() {
            e.add("until", "The last day off cannot be before the first");
        }
    }
    if !carer_id.is_nil() {
        crate::store::find_live(store.read(), "carers", carer_id, "Carer", |r| row_uuid(r, "id"))?;
    }
    let from = from.unwrap_or_default();
    let absence = e.finish(Absence {
        id: crate::ids::new_id(),
        carer_id,
        kind,
        starts_on: from.date(),
        from_time: Some(from.time()),
        ends_on: until.unwrap_or_default(),
        note: input.note.trim().to_string(),
    })?;
    store.write(Operation::Reallocate, |changes| changes.insert(&absence))?;
    carry_over_absence(store, &absence);
    Ok(absence.id)
}

/// The "carer off" form as it opens: sick from now until the end of today.
pub fn off_form(store: &Store, carer_id: Option<Uuid>) -> OffInput {
    OffInput {
        carer_id,
        kind: Some(AbsenceKind::Sickness),
        from: london_text(store.now()),
        until: store.today().to_string(),
        note: String::new(),
    }
}

/// One visit the carer was to do, with who could take it.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct AffectedVisit {
    pub visit_id: Uuid,
    /// The slot the absent carer holds.
    pub slot: u8,
    /// "Morning call for Mary Jones at 07:30 on Tue 24 Nov".
    pub what: String,
    pub client_id: Uuid,
    #[ts(type = "string")]
    pub starts_at: DateTime<Utc>,
    pub duration_min: u32,
    pub time_critical: bool,
    /// The skills it needs, by their names in the catalogue.
    pub required_skills: Vec<String>,
    pub flex_min: u32,
    /// The best few, best first.
    pub candidates: Vec<Replacement>,
    /// How many carers fit in all.
    pub fitting: u32,
    /// When nobody fits, why, in a sentence.
    pub none_fits: Option<String>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct Reallocation {
    pub absence_id: Uuid,
    pub carer_id: Uuid,
    pub carer_name: String,
    /// "Sickness from 06:30 on Tue 24 Nov to Wed 25 Nov" (`Absence::period`).
    pub summary: String,
    /// Time-critical first, then by time.
    pub visits: Vec<AffectedVisit>,
}

fn load_absence(conn: &Connection, id: Uuid) -> Result<Absence> {
    crate::store::find_live(conn, "carer_absences", id, "Absence", Absence::from_row)
}

/// The moment the absence starts, as an instant.
fn absence_start(absence: &Absence) -> DateTime<Utc> {
    london_instant(absence.starts_on, absence.from_time.unwrap_or(chrono::NaiveTime::MIN)).0
}

/// The carer's planned visits not over by `from`, up to the last day, with
/// the slot they hold: time-critical first, then by start.
fn affected(conn: &Connection, carer_id: Uuid, from: DateTime<Utc>, until: NaiveDate) -> Result<Vec<(Visit, u8)>> {
    // The carer's allocations filed by date: the days asked about are one
    // range read, not every allocation the carer has had in two years.
    let mut stmt = conn.prepare_cached(
        "SELECT v.*, a.slot AS held_slot FROM allocations_by_date a JOIN visits v ON v.id = a.visit_id
         WHERE a.carer_id = ?1 AND a.local_date BETWEEN ?2 AND ?3
           AND v.deleted_at IS NULL AND v.status = 'planned'",
    )?;
    let first_day = from.with_timezone(&London).date_naive();
    let rows = stmt.query_map([carer_id.to_string(), first_day.to_string(), until.to_string()], |row| {
        Ok((Visit::from_row(row)?, row.get::<_, u8>("held_slot")?))
    })?;
    let mut visits: Vec<(Visit, u8)> = rows
        .collect::<rusqlite::Result<Vec<_>>>()?
        .into_iter()
        .filter(|(v, _)| v.starts_at + chrono::Duration::minutes(i64::from(v.duration_min)) > from)
        .collect();
    visits.sort_by_key(|(v, _)| (!v.time_critical, v.starts_at, v.id));
    Ok(visits)
}

/// "Nobody fits: 41 double booked, 12 skill missing, …".
fn none_fits(blocked_by: &[(String, u32)]) -> String {
    let parts: Vec<String> =
        blocked_by.iter().take(4).map(|(rule, n)| format!("{n} {}", rule.to_lowercase())).collect();
    format!("Nobody fits: {}", parts.join(", "))
}

/// Ranks replacements for each affected visit. `added` carries what a plan
/// has given carers so far, so a whole day's plan does not give one carer
/// two visits at once.
fn rank(
    conn: &Connection,
    week: &Week,
    visit: &Visit,
    added: &IdMap<Vec<VisitFacts>>,
) -> Result<Option<(VisitFacts, crate::rules::Ranked)>> {
    let Some(facts_visit) = week.index().visit(&week.facts, visit.id) else { return Ok(None) };
    let earlier = earlier_visits_by_carer(conn, visit.client_id, visit.local_date)?;
    let ctx = Context {
        known: week.findings_by_carer(),
        earlier_visits: &earlier,
        added,
        flex_min: visit.flex_min,
        wanted: SHOWN,
    };
    Ok(Some((facts_visit.clone(), replacements(&week.facts, week.index(), facts_visit, &ctx))))
}

/// Who could take `visit_id` over, ranked, as the week stands.
pub fn visit_replacements(store: &Store, visit_id: Uuid) -> Result<crate::rules::Ranked> {
    let visit = load_visit(store.read(), visit_id)?;
    let week = cached_week(store, monday_of(visit.local_date))?;
    Ok(rank(store.read(), &week, &visit, &IdMap::default())?.map(|(_, ranked)| ranked).unwrap_or_default())
}

/// Everything the on-call manager needs for an absence: each visit still
/// held by the absent carer, with who could take it.
pub fn reallocation(store: &Store, absence_id: Uuid) -> Result<Reallocation> {
    let conn = store.read();
    let absence = load_absence(conn, absence_id)?;
    let from = absence_start(&absence);
    let mut visits = Vec::new();
    let none = IdMap::default();
    for (visit, slot) in affected(conn, absence.carer_id, from, absence.ends_on)? {
        let week = cached_week(store, monday_of(visit.local_date))?;
        let Some((facts_visit, ranked)) = rank(conn, &week, &visit, &none)? else { continue };
        visits.push(AffectedVisit {
            visit_id: visit.id,
            slot,
            what: facts_visit.describe(),
            client_id: visit.client_id,
            starts_at: visit.starts_at,
            duration_min: visit.duration_min,
            time_critical: visit.time_critical,
            required_skills: visit.required_skills.iter().map(|code| week.facts.skills.of(code).to_string()).collect(),
            flex_min: visit.flex_min,
            fitting: ranked.fitting,
            none_fits: ranked.fits.is_empty().then(|| none_fits(&ranked.blocked_by)),
            candidates: ranked.fits.into_iter().take(SHOWN).collect(),
        });
    }
    let carer_name = carer_name(conn, absence.carer_id)?;
    let summary = absence.period();
    Ok(Reallocation { absence_id, carer_id: absence.carer_id, carer_name, summary, visits })
}

/// Gives the absent carer's slot on `visit_id` to `carer_id`, first moving
/// the visit to `moved_to` when that is what makes them fit. Warnings need
/// a reason, which is recorded; a block refuses.
pub fn apply_replacement(
    store: &mut Store,
    visit_id: Uuid,
    off_carer_id: Uuid,
    carer_id: Uuid,
    moved_to: Option<DateTime<Utc>>,
    reason: &str,
) -> Result<Vec<Finding>> {
    let visit = load_visit(store.read(), visit_id)?;
    let slot = held_slot(store.read(), &visit, off_carer_id)?;
    let week = cached_week(store, monday_of(visit.local_date))?;
    let Some(stored) = week.index().visit(&week.facts, visit_id) else {
        return Err(Error::Conflict("This visit is cancelled: there is nothing to cover".into()));
    };
    if let Some(at) = moved_to {
        let shift = (at - visit.starts_at).num_minutes().abs();
        if shift > i64::from(visit.flex_min) {
            return Err(Error::Invalid(vec![FieldError {
                field: "moved_to".into(),
                message: format!("The package allows this visit to move by at most {} minutes", visit.flex_min),
            }]));
        }
    }
    let as_done = stored.moved_to(moved_to.unwrap_or(stored.start));
    let findings = check_allocation_as(&week.facts, &as_done, carer_id);
    // Let go of the kept week, so the write can carry it over.
    drop(week);
    may_go_past(store, &findings, reason)?;
    store.write(Operation::Reallocate, |changes| {
        let visit = match moved_to {
            Some(at) => moved(changes, &visit, at)?,
            None => visit.clone(),
        };
        put_carer(changes, &visit, slot, carer_id, &findings, reason)
    })?;
    // One visit's carer, and perhaps its time on the same day, changed.
    carry_over_visit(store, &visit);
    Ok(findings)
}

/// Inside a write: the visit at a new start, kept when packages roll
/// forward, and its people told.
fn moved(changes: &mut crate::store::Changes, visit: &Visit, at: DateTime<Utc>) -> Result<Visit> {
    let local = at.with_timezone(&London);
    let after = Visit {
        starts_at: at,
        local_time: local.time(),
        local_date: local.date_naive(),
        time_note: String::new(),
        edited_by_hand: true,
        ..visit.clone()
    };
    let carers = super::allocations::live_allocations(changes.read(), visit)?;
    changes.update(visit, &after)?;
    tell_change(changes, visit, &after, &carers)?;
    Ok(after)
}

fn held_slot(conn: &Connection, visit: &Visit, carer_id: Uuid) -> Result<u8> {
    super::allocations::live_allocations(conn, visit)?
        .into_iter()
        .find(|a| a.carer_id == carer_id)
        .map(|a| a.slot)
        .ok_or_else(|| Error::Conflict("This visit has already been covered or taken off that carer".into()))
}

/// What "apply the best for all" did.
#[derive(Debug, Clone, Default, Serialize, TS)]
#[ts(export)]
pub struct AppliedAll {
    /// "Morning call for … → Ann Lee".
    pub covered: Vec<String>,
    /// Visits left for a decision, each with why.
    pub left: Vec<String>,
}

/// Gives each visit still held by the absent carer to its best replacement
/// at the planned time, in the list's order (time-critical first), each
/// later choice knowing the earlier ones. A visit whose best has warnings
/// is covered only when `reason` is given; visits that fit only if moved,
/// or not at all, are left for a person to decide. One transaction.
pub fn apply_best_for_all(store: &mut Store, absence_id: Uuid, reason: &str) -> Result<AppliedAll> {
    let absence = load_absence(store.read(), absence_id)?;
    let from = absence_start(&absence);
    let mut added: IdMap<Vec<VisitFacts>> = IdMap::default();
    let mut plan: Vec<(Visit, u8, Replacement)> = Vec::new();
    let mut outcome = AppliedAll::default();
    for (visit, slot) in affected(store.read(), absence.carer_id, from, absence.ends_on)? {
        let week = cached_week(store, monday_of(visit.local_date))?;
        let Some((facts_visit, ranked)) = rank(store.read(), &week, &visit, &added)? else { continue };
        let why_left = if ranked.fits.is_empty() {
            none_fits(&ranked.blocked_by)
        } else if ranked.fits.iter().all(|r| r.moved_to.is_some()) {
            "someone fits only if the visit moves: choose on its own".to_string()
        } else {
            "the best fits have warnings: give a reason to go past them".to_string()
        };
        let best = ranked
            .fits
            .into_iter()
            .find(|r| r.moved_to.is_none() && (r.warnings.is_empty() || !reason.trim().is_empty()));
        match best {
            Some(best) => {
                outcome.covered.push(format!("{} → {}", facts_visit.describe(), best.name));
                added.entry(best.carer_id).or_default().push(facts_visit);
                plan.push((visit, slot, best));
            }
            None => outcome.left.push(format!("{}: {why_left}", facts_visit.describe())),
        }
    }
    store.write(Operation::Reallocate, |changes| {
        for (visit, slot, best) in &plan {
            put_carer(changes, visit, *slot, best.carer_id, &best.warnings, reason)?;
        }
        Ok(())
    })?;
    let covered: Vec<Visit> = plan.into_iter().map(|(visit, _, _)| visit).collect();
    carry_over_visits(store, &covered);
    Ok(outcome)
}

/// Takes the absent carer off the visit and leaves it in the unallocated
/// queue, recording why nobody could take it.
pub fn leave_in_queue(store: &mut Store, visit_id: Uuid, off_carer_id: Uuid, reason: &str) -> Result<()> {
    let visit = load_visit(store.read(), visit_id)?;
    let slot = held_slot(store.read(), &visit, off_carer_id)?;
    let reason = reason.trim().to_string();
    if reason.is_empty() {
        return Err(Error::Invalid(vec![FieldError {
            field: "reason".into(),
            message: "Say why nobody can take it".into(),
        }]));
    }
    store.write(Operation::Reallocate, |changes| {
        take_off(changes, &visit, slot, |name, described| {
            format!("{name} cannot do the {described}; another carer is being found")
        })?;
        changes.insert(&QueueNote {
            id: crate::ids::new_id(),
            visit_id,
            client_id: visit.client_id,
            reason: reason.clone(),
            noted_at: changes.at(),
            noted_by: changes.actor().to_string(),
        })
    })?;
    carry_over_visit(store, &visit);
    Ok(())
}

/// Why each visit from `from` to `to` (London dates) was left without a
/// carer, the latest reason for each, by visit.
pub fn queue_notes(conn: &Connection, from: NaiveDate, to: NaiveDate) -> Result<HashMap<Uuid, String>> {
    let mut stmt = conn.prepare_cached(
        "SELECT q.visit_id, q.reason FROM queue_notes q JOIN visits v ON v.id = q.visit_id
         WHERE q.deleted_at IS NULL AND v.local_date BETWEEN ?1 AND ?2 ORDER BY q.noted_at",
    )?;
    let rows = stmt.query_map([from.to_string(), to.to_string()], |r| Ok((row_uuid(r, 0)?, r.get(1)?)))?;
    // Later notes come later and replace earlier ones.
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
