//! Rolling care packages forward into visits, through the write path.
//!
//! Idempotent: a second run over the same dates changes nothing. A visit a
//! person has edited is never touched. A generated visit the packages no
//! longer call for (the package ended, the client went into hospital) is
//! removed, unless a person has edited it. A visit that has already begun
//! is the record of what happened: it is left as it is.

use super::allocations::live_allocations;
use super::edit::tell_change;
use super::follow::worth_telling;
use super::made_ahead::{not_rolled, rolls, DaysNotMade};
use super::plan::plan_visits;
use super::publish::{describe_visit, tell, Telling};
use super::visits::{Visit, VisitStatus};
use crate::access::Operation;
use crate::error::{Error, FieldError, Result};
use crate::people::{CarePackage, Client};
use crate::store::{row_date, Changes, Store, BULK_CACHE_KIB, READ_CACHE_KIB};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use rusqlite::{params, Connection};
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicBool, Ordering};
use ts_rs::TS;
use uuid::Uuid;

/// The longest range one roll-forward accepts.
pub const MAX_DAYS: i64 = 366;

/// The change-log entity of the visits one roll made for one package in one
/// pass (up to a month): one row for them all (`store::Batch`), filed under
/// the package and shown on the client's page. A visit's own later changes
/// are logged as `visits` rows as usual.
pub const ROLLED_VISITS: &str = "rolled_visits";

/// A roll forward that covered a day no roll before it did, and the days it
/// covered: the days are then rolled even where no package calls for a
/// visit, and days between rolls that none covered are known
/// (`made_ahead`). A roll within the days already rolled records nothing,
/// so a second run changes nothing. One row per roll, written with its
/// first pass that needs it and moved on with each pass after, in that
/// pass's transaction: however the roll ends (done, stopped, or failed in
/// a later pass), the row holds the days written, and no more.
#[derive(Clone)]
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

/// Days rolled in one pass, one transaction: a month's roll is one pass.
/// Each pass writes every package's visits for its days together, with one
/// change-log row per package, and each client's and package's entries in
/// the visits' indexes once. Rolled a week a time, a month on the huge
/// agency took a sixth longer (2.23 against 1.93 s, three runs each). A
/// roll asked to stop stops at the end of its pass; one that fails keeps
/// the passes before.
const PASS_DAYS: i64 = 31;

/// The visits made already that one pass brings into line at most: each is
/// held in memory while its pass is written, and a month of the huge
/// agency's, made again, held 280 MB (a week's, about 60 MB). About a week
/// of the huge agency's visits.
const MAX_MADE_PER_PASS: u32 = 70_000;

/// The visits made already from care packages on each day from `from` to
/// `to` (days with none are left out), counted from the index of the days.
fn made_by_day(conn: &Connection, from: NaiveDate, to: NaiveDate) -> Result<HashMap<NaiveDate, u32>> {
    let mut stmt = conn.prepare_cached(
        "SELECT local_date, count(*) FROM visits INDEXED BY visits_by_date
         WHERE deleted_at IS NULL AND package_id IS NOT NULL AND local_date BETWEEN ?1 AND ?2 GROUP BY local_date",
    )?;
    let rows = stmt.query_map([from.to_string(), to.to_string()], |r| Ok((row_date(r, 0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The days of each pass: up to `PASS_DAYS`, ended early before a day that
/// would take the visits made already past `max_made` (a pass holds more
/// only where one day alone does). Pure.
fn passes(
    from: NaiveDate,
    to: NaiveDate,
    made: &HashMap<NaiveDate, u32>,
    max_made: u32,
) -> Vec<(NaiveDate, NaiveDate)> {
    let mut spans = Vec::new();
    let (mut start, mut held) = (from, 0u32);
    for day in from.iter_days().take_while(|d| *d <= to) {
        let on_day = made.get(&day).copied().unwrap_or(0);
        let full = (day - start).num_days() >= PASS_DAYS || (held > 0 && held.saturating_add(on_day) > max_made);
        if full {
            spans.push((start, day - Duration::days(1)));
            (start, held) = (day, 0);
        }
        held = held.saturating_add(on_day);
    }
    spans.push((start, to));
    spans
}

/// How far a roll forward has got, for a progress bar: the care packages
/// rolled in each pass, then, when asked for, the weeks given last week's
/// carers.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct RollProgress {
    /// Steps done of `total`: each pass's care packages, or weeks given.
    pub done: u32,
    pub total: u32,
    /// "Mon 23 Nov 2026 to Wed 23 Dec 2026: 3,000 of 9,322 care packages
    /// rolled forward"; "Giving last week's carers: week 2 of 4".
    pub said: String,
    /// Whether a Stop pressed now ends the roll at the end of the pass
    /// being written, or the giving at the end of the week being given:
    /// while another is still to come.
    pub stoppable: bool,
    /// What the bar says once Stop is pressed: where it will stop.
    pub stopping: String,
}

/// One pass of a roll: its days, which of how many passes it is, and how
/// many care packages it rolls.
#[derive(Debug, Clone, Copy)]
struct Pass {
    from: NaiveDate,
    to: NaiveDate,
    number: u32,
    passes: u32,
    packages: u32,
}

impl RollProgress {
    /// `done` of the pass's care packages rolled forward. Pure.
    fn rolling(pass: &Pass, done: u32) -> Self {
        use super::follow::figure;
        use super::made_ahead::long_day;
        let days = format!("{} to {}", long_day(pass.from), long_day(pass.to));
        let said = match pass.packages {
            0 => format!("{days}: rolled forward"),
            n => {
                let packages = if n == 1 { "care package" } else { "care packages" };
                format!("{days}: {} of {} {packages} rolled forward", figure(done), figure(n))
            }
        };
        // A pass with no packages still counts as a step, so the bar moves.
        let steps = pass.packages.max(1);
        Self {
            done: pass.number * steps + done.min(steps),
            total: pass.passes * steps,
            said,
            stoppable: pass.number + 1 < pass.passes,
            stopping: format!("Stopping once the days up to {} are rolled…", long_day(pass.to)),
        }
    }

    /// `done` of `total` weeks given last week's carers, the next under way.
    pub fn giving(done: u32, total: u32) -> Self {
        let said = match total {
            1 => "Giving last week's carers…".to_string(),
            _ => format!("Giving last week's carers: week {} of {total}", (done + 1).min(total)),
        };
        let stopping = "Stopping once this week's carers are given…".to_string();
        Self { done, total, said, stoppable: done + 1 < total, stopping }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct RollSummary {
    pub created: u32,
    pub updated: u32,
    pub unchanged: u32,
    /// Edited by a person, so left as they are.
    pub kept_hand_edited: u32,
    /// Already begun (or to be moved to before now) when the packages called
    /// for a change, so left as the record of what happened.
    pub kept_begun: u32,
    pub removed: u32,
    /// Visits whose time a clock change moved or made ambiguous, with why.
    pub time_notes: Vec<String>,
    /// Stopped at the person's asking: the days made and those not, said.
    pub stopped: Option<String>,
    /// Stopped: the days not rolled, for the form to roll next.
    pub not_rolled: Option<DaysNotMade>,
}

/// The last day any recorded roll covered.
pub(super) fn rolled_through(conn: &Connection) -> Result<Option<NaiveDate>> {
    Ok(conn.query_row("SELECT max(to_date) FROM rolls WHERE deleted_at IS NULL", [], |r| {
        crate::store::row_opt_date(r, 0)
    })?)
}

/// The packages running on any day from `from` to `to`: every client's, or
/// one client's.
pub(super) fn load_packages(
    conn: &Connection,
    from: NaiveDate,
    to: NaiveDate,
    client: Option<Uuid>,
) -> Result<Vec<CarePackage>> {
    // One client's by their own index, as an import follows many in turn.
    let mut stmt = conn.prepare_cached(match client {
        None => "SELECT * FROM care_packages WHERE deleted_at IS NULL AND starts_on <= ?2 AND (ends_on IS NULL OR ends_on >= ?1)",
        Some(_) => {
            "SELECT * FROM care_packages WHERE client_id = ?3
               AND deleted_at IS NULL AND starts_on <= ?2 AND (ends_on IS NULL OR ends_on >= ?1)"
        }
    })?;
    let (from, to) = (from.to_string(), to.to_string());
    let rows = match client {
        None => stmt.query_map(params![from, to], CarePackage::from_row)?,
        Some(client) => stmt.query_map(params![from, to, client.to_string()], CarePackage::from_row)?,
    };
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn load_clients(conn: &Connection) -> Result<HashMap<Uuid, Client>> {
    let mut stmt = conn.prepare_cached("SELECT * FROM clients WHERE deleted_at IS NULL")?;
    let rows = stmt.query_map([], Client::from_row)?;
    Ok(rows.map(|r| r.map(|c| (c.id, c))).collect::<rusqlite::Result<_>>()?)
}

fn generated_visits(
    conn: &Connection,
    from: NaiveDate,
    to: NaiveDate,
    client: Option<Uuid>,
) -> Result<HashMap<(Uuid, NaiveDate), Visit>> {
    // One client's by their own index: not every visit of the days.
    let mut stmt = conn.prepare_cached(match client {
        None => {
            "SELECT * FROM visits WHERE deleted_at IS NULL AND package_id IS NOT NULL AND local_date BETWEEN ?1 AND ?2"
        }
        Some(_) => {
            "SELECT * FROM visits WHERE client_id = ?3 AND local_date BETWEEN ?1 AND ?2
               AND deleted_at IS NULL AND package_id IS NOT NULL"
        }
    })?;
    let (from, to) = (from.to_string(), to.to_string());
    let rows = match client {
        None => stmt.query_map(params![from, to], Visit::from_row)?,
        Some(client) => stmt.query_map(params![from, to, client.to_string()], Visit::from_row)?,
    };
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
/// hears how far each pass has got.
pub fn roll_forward(
    store: &mut Store,
    from: NaiveDate,
    to: NaiveDate,
    progress: &mut dyn FnMut(RollProgress),
) -> Result<RollSummary> {
    roll_forward_stoppable(store, from, to, &AtomicBool::new(false), progress)
}

/// [`roll_forward`], which `stop` set ends at the end of the pass being
/// written: the passes written are kept and recorded as rolled, as a roll
/// of those days alone would be, and the summary says where it stopped.
pub fn roll_forward_stoppable(
    store: &mut Store,
    from: NaiveDate,
    to: NaiveDate,
    stop: &AtomicBool,
    progress: &mut dyn FnMut(RollProgress),
) -> Result<RollSummary> {
    let days = (to - from).num_days() + 1;
    if !(1..=MAX_DAYS).contains(&days) {
        return Err(Error::Invalid(vec![FieldError {
            field: "to".into(),
            message: format!("Choose an end on or after the start, at most {MAX_DAYS} days on"),
        }]));
    }
    let packages = load_packages(store.read(), from, to, None)?;
    let now = store.now();
    // Checkpoint once at the end rather than after every week: pages that
    // several weeks touch (indexes, the change log) are then copied once,
    // and on another thread, so the coordinator is not kept waiting for it.
    store.read().pragma_update(None, "wal_autocheckpoint", 0)?;
    store.read().pragma_update(None, "cache_size", -BULK_CACHE_KIB)?;
    // The passes' commits are not flushed to disk one by one: the
    // checkpoint after the roll flushes the log before copying it, and so
    // does any later change's commit. A power cut just after a roll can
    // lose only what the roll made (its record with it, as the log is
    // replayed in order), and rolling again makes it. Flushing each pass
    // cost a twentieth of a month's roll on the huge agency.
    store.read().pragma_update(None, "synchronous", "NORMAL")?;
    let result = roll_passes(store, from, to, now, &packages, stop, progress);
    store.read().pragma_update(None, "synchronous", "FULL")?;
    // Shrinking the cache frees the pages above the smaller size at once.
    store.read().pragma_update(None, "cache_size", -READ_CACHE_KIB)?;
    store.read().pragma_update(None, "wal_autocheckpoint", 1000)?;
    store.checkpoint_in_background();
    result
}

fn roll_passes(
    store: &mut Store,
    from: NaiveDate,
    to: NaiveDate,
    now: DateTime<Utc>,
    packages: &[CarePackage],
    stop: &AtomicBool,
    progress: &mut dyn FnMut(RollProgress),
) -> Result<RollSummary> {
    let clients = load_clients(store.read())?;
    let spans = passes(from, to, &made_by_day(store.read(), from, to)?, MAX_MADE_PER_PASS);
    let passes = u32::try_from(spans.len()).unwrap_or(u32::MAX);
    let packages_n = u32::try_from(packages.len()).unwrap_or(u32::MAX);
    let mut summary = RollSummary::default();
    let mut recorded: Option<Roll> = None;
    for (number, (pass_from, pass_to)) in (0..).zip(spans) {
        let pass = Pass { from: pass_from, to: pass_to, number, passes, packages: packages_n };
        store.write(Operation::RollForward, |changes| {
            let days = Days { from: pass.from, to: pass.to, client: None, now, make_past: true };
            roll_days(changes, &days, packages, &clients, &mut summary, &mut |done| {
                if worth_telling(done, pass.packages) {
                    progress(RollProgress::rolling(&pass, done));
                }
            })?;
            recorded = record_rolled(changes, recorded.take(), from, pass.to)?;
            Ok(())
        })?;
        // Asked to stop while this pass was written: it is the last.
        if pass.to < to && stop.load(Ordering::Relaxed) {
            summary.stopped = Some(stopped_said(from, pass.to, to));
            summary.not_rolled = Some(DaysNotMade { from: pass.to + Duration::days(1), to });
            break;
        }
    }
    Ok(summary)
}

/// The roll's record once the days `from`..=`to` are written: `recorded`
/// moved on to `to`, or, where it has none yet and a day of them was never
/// rolled, a new one.
fn record_rolled(
    changes: &mut Changes,
    recorded: Option<Roll>,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Option<Roll>> {
    match recorded {
        Some(before) => {
            let after = Roll { to_date: to, ..before.clone() };
            changes.update(&before, &after)?;
            Ok(Some(after))
        }
        None if !not_rolled(&rolls(changes.read())?, from, to).is_empty() => {
            let roll = Roll { id: crate::ids::new_id(), from_date: from, to_date: to };
            changes.insert(&roll)?;
            Ok(Some(roll))
        }
        None => Ok(None),
    }
}

/// "Stopped when asked: rolled from Mon 30 Nov 2026 to Sun 6 Dec 2026, not
/// from Mon 7 Dec 2026 to Thu 31 Dec 2026. …" Pure.
fn stopped_said(from: NaiveDate, stopped_after: NaiveDate, to: NaiveDate) -> String {
    use super::made_ahead::long_day;
    format!(
        "Stopped when asked: rolled from {} to {}, not from {} to {}. Roll those days forward to make their visits.",
        long_day(from),
        long_day(stopped_after),
        long_day(stopped_after + Duration::days(1)),
        long_day(to)
    )
}

/// The days one pass of `roll_days` brings into line with the packages.
pub(super) struct Days {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// One client's visits only (their packages or status changed).
    pub client: Option<Uuid>,
    /// A visit already made that began before now (or that the packages
    /// would move to before now) is left as it is: what has happened is not
    /// rewritten, nor taken away.
    pub now: DateTime<Utc>,
    /// Whether a visit the packages call for before now, and not yet made,
    /// is made. A roll forward over past days makes them (an agency's first
    /// days recorded); a change to a package does not make what has gone by.
    pub make_past: bool,
}

/// Makes the visits of `days` match `packages`, in the transaction of
/// `changes`; `rolled` hears how many packages are done, before each and
/// after the last. On a published day, whoever a change reaches is to be told:
/// the client of a visit made, and the client and carers of one changed or
/// removed. A removed visit's carers are freed.
pub(super) fn roll_days(
    changes: &mut Changes,
    days: &Days,
    packages: &[CarePackage],
    clients: &HashMap<Uuid, Client>,
    summary: &mut RollSummary,
    rolled: &mut dyn FnMut(u32),
) -> Result<()> {
    let published = published_days(changes.read(), days.from, days.to)?;
    let mut existing = generated_visits(changes.read(), days.from, days.to, days.client)?;
    for (done, package) in (0..).zip(packages) {
        rolled(done);
        let Some(client) = clients.get(&package.client_id) else { continue };
        let mut made = Vec::new();
        for planned in plan_visits(package, client, days.from, days.to) {
            let current = existing.remove(&(package.id, planned.local_date));
            if current.is_none() && planned.starts_at < days.now && !days.make_past {
                continue;
            }
            // Begun, or to be moved to before now.
            let begun = current.as_ref().is_some_and(|v| v.starts_at.min(planned.starts_at) < days.now);
            if !begun && !planned.time_note.is_empty() {
                summary.time_notes.push(format!("{} ({}): {}", client.full_name(), package.label, planned.time_note));
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
                Some(visit) if begun && visit == wanted => summary.unchanged += 1,
                Some(_) if begun => summary.kept_begun += 1,
                Some(visit) if visit.edited_by_hand => summary.kept_hand_edited += 1,
                Some(visit) => {
                    if changes.update(&visit, &wanted)? {
                        summary.updated += 1;
                        if published.contains(&visit.local_date) {
                            let carers = live_allocations(changes.read(), &visit)?;
                            tell_change(changes, &visit, &wanted, &carers)?;
                        }
                    } else {
                        summary.unchanged += 1;
                    }
                }
            }
        }
        summary.created += made.len() as u32;
        changes.insert_batch(ROLLED_VISITS, package.id, package.client_id, &made)?;
        for visit in made.iter().filter(|v| published.contains(&v.local_date)) {
            let sentence = format!("New: {}", describe_visit(changes.read(), visit)?);
            tell(changes, visit, Telling { carers: Vec::new(), client: Some(sentence) })?;
        }
    }
    rolled(u32::try_from(packages.len()).unwrap_or(u32::MAX));
    // What is left was made earlier but is no longer called for.
    for visit in existing.into_values() {
        if visit.starts_at < days.now {
            summary.kept_begun += 1;
            continue;
        }
        if visit.edited_by_hand {
            summary.kept_hand_edited += 1;
            continue;
        }
        let carers = live_allocations(changes.read(), &visit)?;
        for allocation in &carers {
            changes.tombstone(allocation)?;
        }
        changes.tombstone(&visit)?;
        summary.removed += 1;
        if published.contains(&visit.local_date) {
            let sentence = format!(
                "Removed: {} (the client's care packages no longer call for it)",
                describe_visit(changes.read(), &visit)?
            );
            let telling = Telling {
                carers: carers.iter().map(|a| (a.carer_id, sentence.clone())).collect(),
                client: Some(sentence),
            };
            tell(changes, &visit, telling)?;
        }
    }
    Ok(())
}

/// The days from `from` to `to` a publication holds, read in one query.
fn published_days(conn: &Connection, from: NaiveDate, to: NaiveDate) -> Result<HashSet<NaiveDate>> {
    let mut stmt = conn.prepare_cached(
        "SELECT from_date, to_date FROM rota_publications WHERE deleted_at IS NULL AND from_date <= ?2 AND to_date >= ?1",
    )?;
    let periods = stmt.query_map([from.to_string(), to.to_string()], |r| Ok((row_date(r, 0)?, row_date(r, 1)?)))?;
    let mut days = HashSet::new();
    for period in periods {
        let (first, last) = period?;
        days.extend(first.max(from).iter_days().take_while(|day| *day <= last.min(to)));
    }
    Ok(days)
}

#[cfg(test)]
mod tests {
    use super::passes;
    use chrono::NaiveDate;
    use std::collections::HashMap;

    fn day(n: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 1).unwrap() + chrono::Duration::days(i64::from(n))
    }

    #[test]
    fn days_never_made_roll_a_month_at_a_time() {
        assert_eq!(passes(day(0), day(39), &HashMap::new(), 100), [(day(0), day(30)), (day(31), day(39))]);
        assert_eq!(passes(day(0), day(0), &HashMap::new(), 100), [(day(0), day(0))], "one day, one pass");
    }

    #[test]
    fn days_made_already_roll_in_passes_that_hold_no_more_of_them_than_allowed() {
        let thirty_a_day: HashMap<NaiveDate, u32> = (0..10).map(|n| (day(n), 30)).collect();
        assert_eq!(
            passes(day(0), day(9), &thirty_a_day, 100),
            [(day(0), day(2)), (day(3), day(5)), (day(6), day(8)), (day(9), day(9))],
            "three days of 30 each pass: a fourth would make 120"
        );
        let one_big_day = HashMap::from([(day(2), 500)]);
        assert_eq!(
            passes(day(0), day(4), &one_big_day, 100),
            [(day(0), day(2)), (day(3), day(4))],
            "a day over the most on its own is not split, and ends its pass"
        );
    }
}
