//! Keeping the kept week over a write that changed one visit, or a few.
//!
//! The board keeps a week read from the store (`week::cached_week`) until
//! the data changes. A change to one visit need not cost a whole week read
//! again: on the huge agency that is reading 75,000 visits, where the rules
//! alone take a fraction of it, and an on-call manager covering a sick
//! carer's visits one by one at night would wait for it after each. Right
//! after such a write, the kept week takes the visit as the store now has
//! it, and works out again only the findings the change reaches: the
//! visit's own, and the runs of the carers on it before and after (see
//! `rules::Checked`).
//!
//! The write is done by then: if carrying the week over fails, it is read
//! afresh next time, as it would have been, and the person is not told of an
//! error. Any other kept week (the one before also shows this Monday, as its
//! day after) stays stale and is read again when asked for.

use super::allocations::live_allocations;
use super::visits::{load_visit, Visit, VisitStatus};
use super::week::{monday_of, visit_facts, visit_name, week_key, Week, WeekVisit};
use crate::error::{Error, Result};
use crate::people::Absence;
use chrono::{Duration, NaiveDate};
use rusqlite::Connection;
use std::collections::BTreeMap;
use uuid::Uuid;

/// Right after a write that changed one visit but left it on its day: its
/// carers (given, taken off, covered for a carer who is off), its time,
/// length or number of carers, cancelling it (its carers freed), or
/// putting it back.
pub(crate) fn carry_over_visit(store: &crate::Store, visit: &Visit) {
    carry_over_visits(store, std::slice::from_ref(visit));
}

/// The same for several visits changed in one write (each week holding
/// some of them is carried over once, with all of its own).
pub(crate) fn carry_over_visits(store: &crate::Store, visits: &[Visit]) {
    let mut by_week: BTreeMap<NaiveDate, Vec<Uuid>> = BTreeMap::new();
    for visit in visits {
        by_week.entry(monday_of(visit.local_date)).or_default().push(visit.id);
    }
    for (monday, ids) in by_week {
        let _ = store.carry_over(&week_key(monday), |week: &mut Week, conn| {
            // Whose runs the change reaches: the carers on each visit before
            // and after it.
            let mut carers = Vec::new();
            for id in &ids {
                carers.extend(take_visit(week, conn, *id)?);
            }
            carers.sort_unstable();
            carers.dedup();
            week.recheck(&ids, &carers);
            Ok(())
        });
    }
}

/// The kept week takes visit `id` as the store now has it, and says which
/// carers were on it before and are now. A visit that has left its day
/// (moved past midnight) is refused: the week is read again.
fn take_visit(week: &mut Week, conn: &Connection, id: Uuid) -> Result<Vec<Uuid>> {
    let now = load_visit(conn, id)?;
    // The week's visits are in (date, id) order (see `week`): found by
    // halving, as a plan of thousands of allocations carries each one.
    let at = week
        .visits
        .binary_search_by(|v| (v.local_date, v.id).cmp(&(now.local_date, now.id)))
        .ok()
        .or_else(|| week.visits.iter().position(|v| v.id == now.id && v.local_date == now.local_date))
        .ok_or_else(|| Error::Conflict("the visit is no longer on its day".into()))?;
    let label = week.visits[at].label.clone();
    let mut carers: Vec<Uuid> = week.visits[at].carers.iter().map(|(_, carer)| *carer).collect();
    week.visits[at] = WeekVisit::from_visit(&now, label, carers_of(conn, &now)?);
    carers.extend(week.visits[at].carers.iter().map(|(_, carer)| *carer));
    align_facts(week, at, conn)?;
    Ok(carers)
}

/// Right after a carer is marked off (`absence` just written): each kept
/// week the absence reaches takes it into the carer's facts, where the rules
/// look for it; no visit changes. Every week keeps every absence, so a week
/// the absence does not reach is simply read again if it was kept.
pub(crate) fn carry_over_absence(store: &crate::Store, absence: &Absence) {
    // A week holds the day either side of its own seven.
    let mut monday = monday_of(absence.starts_on - Duration::days(1));
    while monday <= absence.ends_on + Duration::days(1) {
        let _ = store.carry_over(&week_key(monday), |week: &mut Week, conn| {
            let stored = crate::store::find_live(conn, "carer_absences", absence.id, "Absence", Absence::from_row)?;
            let carer = stored.carer_id;
            if let Some(facts) = week.facts.carers.get_mut(&carer) {
                // Last, as the week reads them (in the order they were made).
                facts.absences.push(stored);
            }
            // The carer's fit for each of their visits, and their run.
            let visits: Vec<Uuid> =
                week.facts.visits.iter().filter(|v| v.carers.contains(&carer)).map(|v| v.id).collect();
            week.recheck(&visits, &[carer]);
            Ok(())
        });
        monday += Duration::weeks(1);
    }
}

fn carers_of(conn: &Connection, visit: &Visit) -> Result<Vec<(u8, Uuid)>> {
    Ok(live_allocations(conn, visit)?.iter().map(|a| (a.slot, a.carer_id)).collect())
}

/// Brings the rules' facts in line with the week's visit `at`: the rules
/// check planned visits only, in the week's order, so a visit cancelled
/// leaves them and one put back takes its place among them.
fn align_facts(week: &mut Week, at: usize, conn: &Connection) -> Result<()> {
    let shown = &week.visits[at];
    // The rules' visits keep the week's order too; searched in full only
    // if halving misses.
    let checked = week
        .facts
        .visits
        .binary_search_by(|f| (f.local_date(), f.id).cmp(&(shown.local_date, shown.id)))
        .ok()
        .or_else(|| week.facts.visits.iter().position(|f| f.id == shown.id));
    let planned = shown.status == VisitStatus::Planned;
    let Some(client) = week.facts.clients.get(&shown.client_id).map(|c| &c.client) else {
        // Not a client the week knows (they left): the rules never saw it.
        return Ok(());
    };
    match (checked, planned) {
        (Some(i), true) => {
            let old = &week.facts.visits[i];
            week.facts.visits[i] = visit_facts(shown, client, old.name.clone(), old.controls.clone());
        }
        (Some(i), false) => {
            week.facts.visits.remove(i);
        }
        (None, true) => {
            let controls = crate::risk::current_controls(conn)?.for_skills(&shown.required_skills);
            let facts = visit_facts(shown, client, visit_name(shown, client), controls);
            // Its place: after the planned visits before it in the week.
            let before = week.visits[..at]
                .iter()
                .filter(|v| v.status == VisitStatus::Planned && week.facts.clients.contains_key(&v.client_id))
                .count();
            week.facts.visits.insert(before, facts);
        }
        (None, false) => {}
    }
    Ok(())
}
