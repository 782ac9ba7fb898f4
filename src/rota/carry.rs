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
use super::visits::{load_visit, Visit};
use super::week::{monday_of, week_key, ReadVisit, Week};
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
    let at = week
        .position(now.local_date, now.id)
        .ok_or_else(|| Error::Conflict("the visit is no longer on its day".into()))?;
    let label = week.label(week.visit(at).shown).cloned();
    let mut carers: Vec<Uuid> = week.visit(at).facts.carers.clone();
    week.take_in(at, ReadVisit::from_visit(&now, label, carers_of(conn, &now)?), |skills| {
        Ok(crate::risk::current_controls(conn)?.for_skills(skills))
    })?;
    carers.extend(week.visit(at).facts.carers.iter().copied());
    Ok(carers)
}

/// Right after a carer is marked off (`absence` just written): each kept
/// week the absence reaches takes it into the carer's facts, where the rules
/// look for it; no visit changes. A week holds only the absences its days
/// reach (`read_week`); one kept that this absence does not reach is read
/// again when next asked for, as after any write.
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
