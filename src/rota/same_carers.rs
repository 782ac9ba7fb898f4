//! The same carers as before: most of a home-care rota is the same from one
//! week to the next, and clients keep the carers they know (continuity of
//! care, NICE NG21). Each waiting visit of a day or a week is offered the
//! carers its package's visit had on the same weekday last time: a week
//! earlier, or up to four weeks back for a visit that did not happen since
//! (cancelled, or a package every other week); across a change to *this
//! and future* visits, the package it continues. Every carer is checked with
//! every rule, knowing the ones given before; anything the rules find,
//! block or warning, keeps that slot open with why, as with an
//! auto-schedule plan, so what is given adds no finding against a carer
//! (a double-up given one of its two still says it needs another). Given
//! again with a reason, the slots only warnings kept open are filled too,
//! each warning recorded with the reason, as when allocating by hand.

use super::auto::{give_checked, AutoChoice, GiveProgress};
use super::made_ahead::long_day;
use super::roll_forward::{roll_forward_stoppable, RollProgress, RollSummary};
use super::week::cached_week;
use crate::error::{Error, FieldError, Result};
use crate::store::{row_opt_uuid, row_uuid, Store};
use chrono::NaiveDate;
use serde::Serialize;
use std::sync::atomic::{AtomicBool, Ordering};
use ts_rs::TS;
use uuid::Uuid;

/// What giving the same carers did.
#[derive(Debug, Clone, Default, Serialize, TS)]
#[ts(export)]
pub struct SameCarers {
    /// Allocations made: each a carer given back a visit they had before.
    pub given: u32,
    /// Each carer not given, with why ("Morning call for Mary Jones at
    /// 07:30 on Tue 8 Dec: Sarah Jones is away (annual leave) …").
    pub left: Vec<String>,
    /// Waiting visits whose visit last time had no carer either, or that
    /// come from no package (a one-off).
    pub nothing_before: u32,
    /// Of `given`, those that went past a warning, with the reason given.
    pub past_warnings: u32,
    /// Of `left`, those kept open by warnings alone: a reason would give
    /// them (see `give_same_carers`).
    pub left_for_warnings: u32,
    /// Stopped at the person's asking after a whole week: the weeks given
    /// and those not, said.
    pub stopped: Option<String>,
}

/// For each waiting visit from `from` to `to` (its open slots, and who is
/// on it already), the carers its package's visit had last time, slot order.
/// "Its package" includes the one it continues: a change to *this and
/// future* visits ends the package the day before and starts a copy (same
/// client and label), and its first weeks look back to the old one's visits.
/// The two are asked in turn (`coalesce`), each by package and date on the
/// package-and-day index: one `IN` over both packages had SQLite search by
/// date instead, minutes on the huge week rather than a third of a second.
const EARLIER_CARERS_SQL: &str = "
    SELECT v.id, v.carers_required,
           (SELECT count(*) FROM visit_allocations o WHERE o.visit_id = v.id AND o.deleted_at IS NULL) AS on_it,
           a.carer_id, (a.carer_id IN (SELECT o.carer_id FROM visit_allocations o
                                       WHERE o.visit_id = v.id AND o.deleted_at IS NULL)) AS already
    FROM visits v
    LEFT JOIN care_packages vp ON vp.id = v.package_id
    LEFT JOIN visits e ON e.id = coalesce(
        (SELECT p.id FROM visits p
         WHERE p.package_id = v.package_id AND p.deleted_at IS NULL AND p.status = 'planned'
           AND p.local_date IN (date(v.local_date, '-7 days'), date(v.local_date, '-14 days'),
                                date(v.local_date, '-21 days'), date(v.local_date, '-28 days'))
         ORDER BY p.local_date DESC LIMIT 1),
        (SELECT p.id FROM visits p
         WHERE p.package_id = (SELECT o.id FROM care_packages o
                               WHERE o.client_id = vp.client_id AND o.label = vp.label AND o.deleted_at IS NULL
                                 AND o.ends_on = date(vp.starts_on, '-1 day'))
           AND p.deleted_at IS NULL AND p.status = 'planned'
           AND p.local_date IN (date(v.local_date, '-7 days'), date(v.local_date, '-14 days'),
                                date(v.local_date, '-21 days'), date(v.local_date, '-28 days'))
         ORDER BY p.local_date DESC LIMIT 1))
    LEFT JOIN visit_allocations a ON a.visit_id = e.id AND a.deleted_at IS NULL
    WHERE v.deleted_at IS NULL AND v.status = 'planned' AND v.local_date BETWEEN ?1 AND ?2
      AND (SELECT count(*) FROM visit_allocations o WHERE o.visit_id = v.id AND o.deleted_at IS NULL)
          < v.carers_required
    ORDER BY v.starts_at, v.id, a.slot";

/// The longest stretch given at once, in days: what rolling forward takes.
pub const MOST_DAYS: u32 = 366;

/// Gives the waiting visits of the `days` days from `from` the carers they
/// had last time, where the rules allow: a week at a time, in order, so
/// that each week is given what the week before it was just given. With a
/// `reason` (not blank), where the rules only warn too: each warning is
/// recorded with it.
pub fn give_same_carers(store: &mut Store, from: NaiveDate, days: u32, reason: &str) -> Result<SameCarers> {
    give_same_carers_telling(store, from, days, reason, &mut |_| {})
}

/// `give_same_carers`, telling `steps` how each week's giving goes: the
/// carers found, each checked with every rule, each allocation written. A
/// huge week takes seconds, and the board shows a bar meanwhile.
pub fn give_same_carers_telling(
    store: &mut Store,
    from: NaiveDate,
    days: u32,
    reason: &str,
    steps: &mut dyn FnMut(GiveProgress),
) -> Result<SameCarers> {
    give_weeks(store, from, days, reason, &AtomicBool::new(false), &mut |_, _| {}, steps)
}

/// `give_same_carers`, saying before each week how many of them are given
/// (`progress(done, total)`) and within it each step (`steps`): a week of
/// the huge agency takes seconds, so a year three to four minutes. With
/// `stop` set, it ends after the week being given: each week is its own
/// write, so the weeks given stay whole.
fn give_weeks(
    store: &mut Store,
    from: NaiveDate,
    days: u32,
    reason: &str,
    stop: &AtomicBool,
    progress: &mut dyn FnMut(u32, u32),
    steps: &mut dyn FnMut(GiveProgress),
) -> Result<SameCarers> {
    if !(1..=MOST_DAYS).contains(&days) {
        return Err(Error::Invalid(vec![FieldError {
            field: "days".into(),
            message: format!("Give last week's carers for 1 to {MOST_DAYS} days"),
        }]));
    }
    let mut all = SameCarers::default();
    let weeks = days.div_ceil(7);
    for (done, start) in (0..days).step_by(7).enumerate() {
        progress(done as u32, weeks);
        let first = from + chrono::Duration::days(i64::from(start));
        let week = give_week(store, first, (days - start).min(7), reason, steps)?;
        all.given += week.given;
        all.left.extend(week.left);
        all.nothing_before += week.nothing_before;
        all.past_warnings += week.past_warnings;
        all.left_for_warnings += week.left_for_warnings;
        let given_to = from + chrono::Duration::days(i64::from((start + 7).min(days)) - 1);
        let last = from + chrono::Duration::days(i64::from(days) - 1);
        if given_to < last && stop.load(Ordering::Relaxed) {
            all.stopped = Some(stopped_said(from, given_to, last));
            break;
        }
    }
    Ok(all)
}

/// "Stopped when asked: last week's carers given from Mon 7 Dec 2026 to Sun
/// 13 Dec 2026, not from Mon 14 Dec 2026 to Sun 3 Jan 2027. …" Pure.
fn stopped_said(from: NaiveDate, given_to: NaiveDate, to: NaiveDate) -> String {
    format!(
        "Stopped when asked: last week's carers given from {} to {}, not from {} to {}. \
         Roll the same days forward again to give them: the visits already made stay as they are.",
        long_day(from),
        long_day(given_to),
        long_day(given_to + chrono::Duration::days(1)),
        long_day(to)
    )
}

/// `give_same_carers` for up to seven days, in one write.
fn give_week(
    store: &mut Store,
    from: NaiveDate,
    days: u32,
    reason: &str,
    steps: &mut dyn FnMut(GiveProgress),
) -> Result<SameCarers> {
    let to = from + chrono::Duration::days(i64::from(days) - 1);
    steps(GiveProgress { done: 0, total: 0, said: "Finding the carers each visit had last time…".into() });
    let rows = {
        let mut stmt = store.read().prepare_cached(EARLIER_CARERS_SQL)?;
        let rows = stmt.query_map([from.to_string(), to.to_string()], |r| {
            Ok(Earlier {
                visit_id: row_uuid(r, 0)?,
                open: r.get::<_, u32>(1)?.saturating_sub(r.get(2)?),
                carer: row_opt_uuid(r, 3)?,
                already: r.get::<_, Option<bool>>(4)?.unwrap_or(false),
            })
        })?;
        rows.collect::<rusqlite::Result<Vec<_>>>()?
    };
    let (choices, mut left, nothing_before) = choose(store, &rows, from, to)?;
    let (applied, left_for_warnings) = give_checked(store, &choices, reason, steps)?;
    left.extend(applied.skipped);
    Ok(SameCarers {
        given: applied.given,
        left,
        nothing_before,
        past_warnings: applied.past_warnings,
        left_for_warnings,
        stopped: None,
    })
}

/// What rolling forward did, and, when asked for, giving those days'
/// waiting visits last week's carers.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct RollOutcome {
    pub rolled: RollSummary,
    pub carers: Option<SameCarers>,
}

/// Rolls the packages forward over `from`..=`to`; then, with `same_carers`,
/// gives those days' waiting visits the carers they had last week, so a new
/// week starts staffed as the one before it was. Stopped part-way (`stop`),
/// nobody is given: the person asked for it to end; stopped while giving,
/// the giving ends after the week under way. `progress` hears the days
/// rolled, then the weeks given.
pub fn roll_forward_then_give(
    store: &mut Store,
    from: NaiveDate,
    to: NaiveDate,
    same_carers: bool,
    stop: &AtomicBool,
    progress: &mut dyn FnMut(RollProgress),
) -> Result<RollOutcome> {
    let rolled = roll_forward_stoppable(store, from, to, stop, progress)?;
    let days = u32::try_from((to - from).num_days() + 1).unwrap_or(0);
    let give = same_carers && rolled.stopped.is_none();
    let carers = match give {
        true => Some(give_weeks(
            store,
            from,
            days,
            "",
            stop,
            &mut |done, total| progress(RollProgress::giving(done, total)),
            &mut |_| {},
        )?),
        false => None,
    };
    Ok(RollOutcome { rolled, carers })
}

/// One waiting visit with one carer its visit had last time (or none).
struct Earlier {
    visit_id: Uuid,
    open: u32,
    carer: Option<Uuid>,
    /// The carer is on the visit already.
    already: bool,
}

/// The choices to offer the rules: each visit's earlier carers not on it
/// already, as many as it has open slots, from carers still with the
/// agency. Also what was left out with why, and how many visits had
/// nobody last time.
fn choose(
    store: &Store,
    rows: &[Earlier],
    from: NaiveDate,
    to: NaiveDate,
) -> Result<(Vec<AutoChoice>, Vec<String>, u32)> {
    let mut weeks = Vec::new();
    for monday in [super::week::monday_of(from), super::week::monday_of(to)] {
        if !weeks.iter().any(|(m, _)| *m == monday) {
            weeks.push((monday, cached_week(store, monday)?));
        }
    }
    let works_here = |carer: &Uuid| weeks.iter().all(|(_, w)| w.facts.carers.contains_key(carer));
    let (mut choices, mut left, mut nothing_before) = (Vec::new(), Vec::new(), 0);
    for visit in rows.chunk_by(|a, b| a.visit_id == b.visit_id) {
        let earlier: Vec<&Earlier> = visit.iter().filter(|e| e.carer.is_some() && !e.already).collect();
        if visit.iter().all(|e| e.carer.is_none()) {
            nothing_before += 1;
        }
        for e in earlier.into_iter().take(visit[0].open as usize) {
            let carer = e.carer.expect("filtered to carers");
            if works_here(&carer) {
                choices.push(AutoChoice { visit_id: e.visit_id, carer_id: carer });
            } else {
                let visit = weeks.iter().find_map(|(_, w)| w.index().visit(&w.facts, e.visit_id));
                let what = visit.map_or("A visit".to_string(), |v| v.describe());
                left.push(format!("{what}: the carer who had it last time has left the agency"));
            }
        }
    }
    Ok((choices, left, nothing_before))
}
