//! A carer's work over the Working Time Regulations' 17-week reference
//! period, for their page: the figure the 48-hour rule holds them to, shown
//! before it fires, not only when it does.

use super::Carer;
use crate::error::Result;
use crate::rota::week::monday_of;
use chrono::{Duration, NaiveDate};
use rusqlite::Connection;
use serde::Serialize;
use ts_rs::TS;

/// The weeks the average is taken over.
pub const REFERENCE_WEEKS: i64 = 17;

/// The most a carer who has not opted out may work a week, on average.
pub const AVERAGE_LIMIT_MIN: i64 = 48 * 60;

/// The weeks the average for the week from `week_start` (a Monday) is taken
/// over: 17, or for a carer who started less than 17 weeks before, the weeks
/// since they started, the week they started in counted whole (the
/// regulations' reference period for a new worker, regulation 4(4)).
pub fn reference_weeks(started_on: NaiveDate, week_start: NaiveDate) -> i64 {
    ((week_start - monday_of(started_on)).num_days().div_euclid(7) + 1).clamp(1, REFERENCE_WEEKS)
}

/// Work from `from` (a Monday) to `to` (a Sunday), counted as the 48-hour
/// rule counts it: the visits, and the travel between them.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct WorkingTime {
    /// The period's first Monday: 16 weeks before this week's, or the week
    /// the carer started if that is later.
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub visiting_min: u32,
    pub travelling_min: u32,
    /// The weeks in the period: 17, or fewer for a carer who started since.
    pub weeks: u32,
    /// The period is the carer's weeks since starting, fewer than 17.
    pub since_starting: bool,
    /// A week's work, on average over the period, in whole minutes.
    pub average_min: u32,
    /// Of which travel between visits.
    pub average_travelling_min: u32,
    /// Over 48 hours a week on average, without the carer's opt-out: the
    /// rota warns of it.
    pub over_limit: bool,
}

/// The carer's work in the 17 weeks ending with the week of `today` (fewer
/// for a carer who started since), as planned so far. Read from the weekly
/// counts the store keeps for the rules (`carer_week_minutes`,
/// `carer_week_travel`), so it agrees with the rota's 48-hour finding for
/// this week.
pub fn working_time(carer: &Carer, conn: &Connection, today: NaiveDate) -> Result<WorkingTime> {
    let this_week = monday_of(today);
    let weeks = reference_weeks(carer.started_on, this_week);
    let from = this_week - Duration::weeks(weeks - 1);
    let carer_id = carer.id;
    let to = this_week + Duration::days(6);
    let sum = |table: &str| -> Result<u32> {
        Ok(conn.query_row(
            &format!("SELECT coalesce(sum(minutes), 0) FROM {table} WHERE carer_id = ?1 AND week BETWEEN ?2 AND ?3"),
            (carer_id.to_string(), from.to_string(), this_week.to_string()),
            |r| r.get(0),
        )?)
    };
    let (visiting_min, travelling_min) = (sum("carer_week_minutes")?, sum("carer_week_travel")?);
    let since_starting = weeks < REFERENCE_WEEKS;
    let weeks = weeks as u32;
    let average_min = (visiting_min + travelling_min) / weeks;
    Ok(WorkingTime {
        from,
        to,
        visiting_min,
        travelling_min,
        weeks,
        since_starting,
        average_min,
        average_travelling_min: travelling_min / weeks,
        over_limit: !carer.wtr_opt_out && i64::from(average_min) > AVERAGE_LIMIT_MIN,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn a_new_starters_average_is_over_the_weeks_since_they_started_and_a_long_servers_over_17() {
        // Started on a Wednesday: that week counts whole.
        assert_eq!(reference_weeks(d("2026-02-11"), d("2026-03-02")), 4, "the weeks of 9, 16, 23 Feb and 2 Mar");
        assert_eq!(reference_weeks(d("2026-03-04"), d("2026-03-02")), 1, "started this week");
        assert_eq!(reference_weeks(d("2025-11-10"), d("2026-03-02")), 17, "17 weeks and one day ago is a full period");
        assert_eq!(reference_weeks(d("2025-11-17"), d("2026-03-02")), 16, "16 weeks ago is not");
        assert_eq!(reference_weeks(d("2026-04-01"), d("2026-03-02")), 1, "not started yet: never less than a week");
    }
}
