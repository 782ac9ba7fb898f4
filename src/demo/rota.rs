//! A plausible rota for a demo agency, as a coordinator might make it by
//! hand: carers taken in turn, none double booked, 20 minutes between
//! visits for travel, at most 40 hours a week; a double-up gets two carers;
//! what does not fit stays unallocated. Availability and skills are not
//! looked at, so the rules still find plenty to say. Used by the benchmarks
//! and the tests that need a rota with carers on it.
//!
//! Also the demo agency's rota on a first start (`at_work`): last week
//! planned as the auto-scheduler plans, every choice checked by the rules.

use crate::access::Operation;
use crate::error::Result;
use crate::rota::allocations::Allocation;
use crate::rota::auto::{apply_auto_plan, auto_schedule};
use crate::rota::week::monday_of;
use crate::schedule::Options;
use crate::store::row_uuid;
use crate::Store;
use chrono::{Duration, NaiveDate};
use std::collections::HashMap;
use std::sync::atomic::AtomicBool;
use uuid::Uuid;

/// Allocates the unallocated planned visits on London dates `from`..=`to`;
/// returns how many allocations were made.
pub fn allocate_in_turn(store: &mut Store, from: NaiveDate, to: NaiveDate) -> Result<usize> {
    let conn = store.read();
    let mut stmt = conn.prepare(
        "SELECT v.id, v.client_id, unixepoch(v.starts_at), v.duration_min, v.carers_required FROM visits v
         WHERE v.deleted_at IS NULL AND v.status = 'planned' AND v.local_date BETWEEN ?1 AND ?2
           AND NOT EXISTS (SELECT 1 FROM visit_allocations a WHERE a.visit_id = v.id AND a.deleted_at IS NULL)
         ORDER BY v.starts_at, v.id",
    )?;
    let visits: Vec<(Uuid, Uuid, i64, i64, u8)> = stmt
        .query_map([from.to_string(), to.to_string()], |r| {
            Ok((row_uuid(r, 0)?, row_uuid(r, 1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let carers: Vec<Uuid> = conn
        .prepare("SELECT id FROM carers WHERE deleted_at IS NULL AND left_on IS NULL ORDER BY id")?
        .query_map([], |r| row_uuid(r, 0))?
        .collect::<rusqlite::Result<_>>()?;
    drop(stmt);
    if carers.is_empty() {
        return Ok(0);
    }
    let mut free_at = vec![i64::MIN; carers.len()];
    let mut week_minutes: HashMap<(usize, i64), i64> = HashMap::new();
    let mut next = 0;
    let mut plan = Vec::new();
    for (visit_id, client_id, start, minutes, required) in visits {
        let week = start.div_euclid(7 * 24 * 3600);
        for slot in 1..=required {
            let fits = |c: usize| {
                free_at[c] <= start && week_minutes.get(&(c, week)).copied().unwrap_or(0) + minutes <= 40 * 60
            };
            let Some(c) = (0..carers.len()).map(|k| (next + k) % carers.len()).find(|c| fits(*c)) else { break };
            free_at[c] = start + (minutes + 20) * 60;
            *week_minutes.entry((c, week)).or_default() += minutes;
            next = (c + 1) % carers.len();
            plan.push(Allocation { id: crate::ids::new_id(), visit_id, slot, carer_id: carers[c], client_id });
        }
    }
    store.write(Operation::Allocate, |changes| {
        for allocation in &plan {
            changes.insert(allocation)?;
        }
        Ok(plan.len())
    })
}

/// The demo agency's rota as an agency at work has it: visits from last
/// Monday to the Sunday after next, and the days up to today given
/// carers and published, so today's run is planned and sent out, and the
/// on-call manager has a day to cover, and people to tell, when a carer
/// rings in sick. Last week is planned a day at a time
/// by the auto-scheduler's first plan (no search, so the same on any
/// machine), each day knowing who visited each client the days before;
/// this week's days to today first get last week's carers, then a plan
/// for what is left. Every choice is checked with every rule. A visit
/// before today that nobody could take is cancelled with why, as the
/// office would have settled it by now: the past holds no visit still
/// waiting. Today's few that nobody could take wait in the queue; from
/// tomorrow on the visits wait for carers, and "Give last week's carers",
/// continuity and the carers' hours have the days before behind them.
/// Returns the allocations made.
pub fn at_work(store: &mut Store, today: NaiveDate) -> Result<u32> {
    let (this_monday, last_monday) = (monday_of(today), monday_of(today) - Duration::weeks(1));
    crate::rota::roll_forward(store, last_monday, last_monday + Duration::days(20), &mut |_| {})?;
    let mut given = 0;
    for day in last_monday.iter_days().take(7) {
        given += plan_day(store, day)?;
    }
    let to_today = (today - this_monday).num_days() as u32 + 1;
    given += crate::rota::same_carers::give_same_carers(store, this_monday, to_today, "")?.given;
    for day in this_monday.iter_days().take(to_today as usize) {
        given += plan_day(store, day)?;
    }
    let nobody: Vec<Uuid> = {
        let mut stmt = store.read().prepare(
            "SELECT v.id FROM visits v WHERE v.deleted_at IS NULL AND v.status = 'planned'
               AND v.local_date BETWEEN ?1 AND ?2
               AND NOT EXISTS (SELECT 1 FROM visit_allocations a WHERE a.visit_id = v.id AND a.deleted_at IS NULL)",
        )?;
        let ids =
            stmt.query_map([last_monday.to_string(), (today - Duration::days(1)).to_string()], |r| row_uuid(r, 0))?;
        ids.collect::<rusqlite::Result<_>>()?
    };
    if !nobody.is_empty() {
        crate::rota::cancel_visits(store, &nobody, NOBODY_FREE)?;
    }
    // Sent to the carers before the day, as an agency does: a change to
    // today's run now has people to tell.
    crate::rota::publish(store, last_monday, today)?;
    Ok(given)
}

/// Why a demo visit before today was cancelled: nobody the rules allowed
/// could take it, and the family stepped in.
pub const NOBODY_FREE: &str = "No carer was free; the family covered this visit";

/// The auto-scheduler's first plan for `day`, applied.
fn plan_day(store: &mut Store, day: NaiveDate) -> Result<u32> {
    let first_plan = Options { seconds: 600.0, seed: 1, max_steps: Some(0) };
    let plan = auto_schedule(store, day, 1, first_plan, &AtomicBool::new(false), &mut |_| {})?;
    let choices: Vec<_> = plan.proposals.into_iter().map(|p| p.choice).collect();
    Ok(if choices.is_empty() { 0 } else { apply_auto_plan(store, &choices, "")?.given })
}
