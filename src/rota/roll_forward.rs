//! Rolling care packages forward into visits, through the write path.
//!
//! Idempotent: a second run over the same dates changes nothing. A visit a
//! person has edited is never touched. A generated visit the packages no
//! longer call for (the package ended, the client went into hospital) is
//! removed, unless a person has edited it.

use super::plan::plan_visits;
use super::visits::{Visit, VisitStatus};
use crate::access::Operation;
use crate::error::{Error, FieldError, Result};
use crate::people::{CarePackage, Client};
use crate::store::{Store, BULK_CACHE_KIB, READ_CACHE_KIB};
use chrono::{Duration, NaiveDate};
use rusqlite::Connection;
use serde::Serialize;
use std::collections::HashMap;
use ts_rs::TS;
use uuid::Uuid;

/// The longest range one roll-forward accepts.
pub const MAX_DAYS: i64 = 366;

/// The change-log entity of the visits one roll made for one package in one
/// week: one row for them all (`store::Batch`), filed under the package and
/// shown on the client's page. A visit's own later changes are logged as
/// `visits` rows as usual.
pub const ROLLED_VISITS: &str = "rolled_visits";

/// A roll forward that went further ahead than any before, and the days it
/// covered, recorded with the last week it writes: the days are then rolled
/// even where no package calls for a visit (`made_ahead`). A roll within the
/// days already rolled records nothing, so a second run changes nothing.
struct Roll {
    id: Uuid,
    from_date: NaiveDate,
    to_date: NaiveDate,
}

impl crate::store::Record for Roll {
    const ENTITY: &'static str = "rolls";
    fn id(&self) -> Uuid {
        self.id
    }
    fn fields(&self) -> Vec<(&'static str, rusqlite::types::Value)> {
        crate::record_fields!(self; from_date, to_date)
    }
}

/// Days written per transaction: progress is reported after each, and a
/// failure keeps every whole week already written.
const CHUNK_DAYS: i64 = 7;

/// How far a roll-forward has got, for a progress bar.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct RollProgress {
    pub done_days: u32,
    pub total_days: u32,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct RollSummary {
    pub created: u32,
    pub updated: u32,
    pub unchanged: u32,
    /// Edited by a person, so left as they are.
    pub kept_hand_edited: u32,
    pub removed: u32,
    /// Visits whose time a clock change moved or made ambiguous, with why.
    pub time_notes: Vec<String>,
}

/// The last day any recorded roll covered.
pub(super) fn rolled_through(conn: &Connection) -> Result<Option<NaiveDate>> {
    Ok(conn.query_row("SELECT max(to_date) FROM rolls WHERE deleted_at IS NULL", [], |r| {
        crate::store::row_opt_date(r, 0)
    })?)
}

fn load_packages(conn: &Connection, from: NaiveDate, to: NaiveDate) -> Result<Vec<CarePackage>> {
    let mut stmt = conn.prepare_cached(
        "SELECT * FROM care_packages WHERE deleted_at IS NULL AND starts_on <= ?2 AND (ends_on IS NULL OR ends_on >= ?1)",
    )?;
    let rows = stmt.query_map([from.to_string(), to.to_string()], CarePackage::from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn load_clients(conn: &Connection) -> Result<HashMap<Uuid, Client>> {
    let mut stmt = conn.prepare_cached("SELECT * FROM clients WHERE deleted_at IS NULL")?;
    let rows = stmt.query_map([], Client::from_row)?;
    Ok(rows.map(|r| r.map(|c| (c.id, c))).collect::<rusqlite::Result<_>>()?)
}

fn generated_visits(conn: &Connection, from: NaiveDate, to: NaiveDate) -> Result<HashMap<(Uuid, NaiveDate), Visit>> {
    let mut stmt = conn.prepare_cached(
        "SELECT * FROM visits WHERE deleted_at IS NULL AND package_id IS NOT NULL AND local_date BETWEEN ?1 AND ?2",
    )?;
    let rows = stmt.query_map([from.to_string(), to.to_string()], Visit::from_row)?;
    let mut visits = HashMap::new();
    for visit in rows {
        let visit = visit?;
        if let Some(package) = visit.package_id {
            visits.insert((package, visit.local_date), visit);
        }
    }
    Ok(visits)
}

/// Makes the visits for `from`..=`to` match the care packages; `progress`
/// hears (days done, days in all) after each week.
pub fn roll_forward(
    store: &mut Store,
    from: NaiveDate,
    to: NaiveDate,
    progress: &mut dyn FnMut(i64, i64),
) -> Result<RollSummary> {
    let days = (to - from).num_days() + 1;
    if !(1..=MAX_DAYS).contains(&days) {
        return Err(Error::Invalid(vec![FieldError {
            field: "to".into(),
            message: format!("Choose an end on or after the start, at most {MAX_DAYS} days on"),
        }]));
    }
    let packages = load_packages(store.read(), from, to)?;
    // Checkpoint once at the end rather than after every week: pages that
    // several weeks touch (indexes, the change log) are then copied once,
    // and on another thread, so the coordinator is not kept waiting for it.
    store.read().pragma_update(None, "wal_autocheckpoint", 0)?;
    store.read().pragma_update(None, "cache_size", -BULK_CACHE_KIB)?;
    let result = roll_weeks(store, from, to, days, &packages, progress);
    // Shrinking the cache frees the pages above the smaller size at once.
    store.read().pragma_update(None, "cache_size", -READ_CACHE_KIB)?;
    store.read().pragma_update(None, "wal_autocheckpoint", 1000)?;
    store.checkpoint_in_background();
    result
}

fn roll_weeks(
    store: &mut Store,
    from: NaiveDate,
    to: NaiveDate,
    days: i64,
    packages: &[CarePackage],
    progress: &mut dyn FnMut(i64, i64),
) -> Result<RollSummary> {
    let clients = load_clients(store.read())?;
    let mut summary = RollSummary::default();
    let mut chunk_start = from;
    while chunk_start <= to {
        let chunk_end = (chunk_start + Duration::days(CHUNK_DAYS - 1)).min(to);
        store.write(Operation::RollForward, |changes| {
            let mut existing = generated_visits(changes.read(), chunk_start, chunk_end)?;
            for package in packages {
                let Some(client) = clients.get(&package.client_id) else { continue };
                let mut made = Vec::new();
                for planned in plan_visits(package, client, chunk_start, chunk_end) {
                    let current = existing.remove(&(package.id, planned.local_date));
                    if !planned.time_note.is_empty() {
                        summary.time_notes.push(format!(
                            "{} ({}): {}",
                            client.full_name(),
                            package.label,
                            planned.time_note
                        ));
                    }
                    let wanted = Visit {
                        id: current.as_ref().map_or_else(crate::ids::new_id, |v| v.id),
                        client_id: package.client_id,
                        package_id: Some(package.id),
                        local_date: planned.local_date,
                        local_time: planned.local_time,
                        starts_at: planned.starts_at,
                        duration_min: package.duration_min,
                        carers_required: package.carers_required,
                        required_skills: package.required_skills.clone(),
                        tasks: package.tasks.clone(),
                        time_critical: package.time_critical,
                        flex_min: package.flex_min,
                        short_task: package.short_task,
                        status: VisitStatus::Planned,
                        cancel_reason: String::new(),
                        edited_by_hand: false,
                        time_note: planned.time_note,
                    };
                    match current {
                        None => made.push(wanted),
                        Some(visit) if visit.edited_by_hand => summary.kept_hand_edited += 1,
                        Some(visit) => {
                            if changes.update(&visit, &wanted)? {
                                summary.updated += 1;
                            } else {
                                summary.unchanged += 1;
                            }
                        }
                    }
                }
                summary.created += made.len() as u32;
                changes.insert_batch(ROLLED_VISITS, package.id, package.client_id, &made)?;
            }
            // What is left was generated earlier but is no longer called for.
            for visit in existing.into_values() {
                if visit.edited_by_hand {
                    summary.kept_hand_edited += 1;
                } else {
                    changes.tombstone(&visit)?;
                    summary.removed += 1;
                }
            }
            if chunk_end == to && rolled_through(changes.read())?.is_none_or(|through| through < to) {
                changes.insert(&Roll { id: crate::ids::new_id(), from_date: from, to_date: to })?;
            }
            Ok(())
        })?;
        progress((chunk_end - from).num_days() + 1, days);
        chunk_start = chunk_end + Duration::days(1);
    }
    Ok(summary)
}
