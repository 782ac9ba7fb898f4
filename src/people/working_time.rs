//! A carer's work over the Working Time Regulations' 17-week reference
//! period, for their page: the figure the 48-hour rule holds them to, shown
//! before it fires, not only when it does.

use super::Carer;
use crate::error::Result;
use crate::rota::week::monday_of;
use crate::store::row_date;
use chrono::{Duration, NaiveDate};
use rusqlite::Connection;
use serde::Serialize;
use ts_rs::TS;

/// The weeks the average is taken over.
pub const REFERENCE_WEEKS: i64 = 17;

/// The most a carer who has not opted out may work a week, on average.
pub const AVERAGE_LIMIT_MIN: i64 = 48 * 60;

/// Why the average is taken over the weeks it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum PeriodKind {
    /// The regulations' 17 weeks.
    SeventeenWeeks,
    /// The weeks since the carer started, fewer than 17 (regulation 4(4)).
    SinceStarting,
    /// The weeks since the agency's records of work begin, fewer than 17:
    /// an agency new to Caredesk has no record of the weeks before, so its
    /// carers' work is averaged over the weeks it has, not spread over 17.
    SinceRecords,
}

/// The weeks a week's 48-hour average is taken over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReferencePeriod {
    /// Its first Monday.
    pub from: NaiveDate,
    pub weeks: i64,
    pub kind: PeriodKind,
}

/// The period for the week from `week_start` (a Monday): the 17 weeks
/// ending with it, or fewer, from the week the carer started (counted
/// whole), or from `records_from`, the first week of work the agency's
/// records hold (see `records_from`), whichever is later. Never less than
/// the week itself.
pub fn reference_period(
    started_on: NaiveDate,
    records_from: Option<NaiveDate>,
    week_start: NaiveDate,
) -> ReferencePeriod {
    let mut start = (week_start - Duration::weeks(REFERENCE_WEEKS - 1), PeriodKind::SeventeenWeeks);
    for later in [
        Some((monday_of(started_on), PeriodKind::SinceStarting)),
        records_from.map(|r| (monday_of(r), PeriodKind::SinceRecords)),
    ]
    .into_iter()
    .flatten()
    {
        if later.0 > start.0 {
            start = later;
        }
    }
    let from = start.0.min(week_start);
    ReferencePeriod { from, weeks: (week_start - from).num_days() / 7 + 1, kind: start.1 }
}

/// The Monday of the first week with anyone's work in the agency's records,
/// when that is after `window_from` (the first Monday of a full 17-week
/// period): the weeks before it cannot be counted. `None` when there is
/// work before `window_from`, or no work at all.
pub fn records_from(conn: &Connection, window_from: NaiveDate) -> Result<Option<NaiveDate>> {
    // An agency with earlier work answers at its first rows; only one new to
    // Caredesk, with few weeks to look through, reads them all.
    let before: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM carer_week_minutes WHERE week < ?1 AND minutes > 0)",
        [window_from.to_string()],
        |r| r.get(0),
    )?;
    if before {
        return Ok(None);
    }
    first_week_of_records(conn)
}

/// The Monday of the agency's first week with anyone's work in Caredesk.
pub fn first_week_of_records(conn: &Connection) -> Result<Option<NaiveDate>> {
    let first: Option<String> =
        conn.query_row("SELECT min(week) FROM carer_week_minutes WHERE minutes > 0", [], |r| r.get(0))?;
    Ok(first.and_then(|week| week.parse().ok()))
}

/// The first week a carer's work is known from, when that is within the 17
/// weeks (`records_from`): the agency's records, or earlier where the
/// carer's hours from before them were entered (`entered_from`, the first
/// such week; see `people::hours_before`). With records older than the 17
/// weeks, entered hours change nothing: none count.
pub fn known_from(records_from: Option<NaiveDate>, entered_from: Option<NaiveDate>) -> Option<NaiveDate> {
    match (records_from, entered_from) {
        (Some(records), Some(entered)) => Some(records.min(entered)),
        (records, _) => records,
    }
}

/// The carer's hours entered for weeks from `from` to before `records`,
/// oldest first.
fn hours_entered(
    conn: &Connection,
    carer_id: &str,
    from: NaiveDate,
    records: NaiveDate,
) -> Result<Vec<(NaiveDate, u32)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT week, minutes FROM carer_hours_before_caredesk
         WHERE carer_id = ?1 AND deleted_at IS NULL AND week >= ?2 AND week < ?3 ORDER BY week",
    )?;
    let rows =
        stmt.query_map((carer_id, from.to_string(), records.to_string()), |r| Ok((row_date(r, 0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Work from `from` (a Monday) to `to` (a Sunday), counted as the 48-hour
/// rule counts it: the visits, the travel between them, and the hours
/// entered for weeks before the agency's records begin.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct WorkingTime {
    /// The period's first Monday: 16 weeks before this week's, or the week
    /// the carer started or the agency's records begin if that is later.
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub visiting_min: u32,
    pub travelling_min: u32,
    /// Hours entered for weeks before the agency's records in Caredesk
    /// begin (`people::hours_before`), visits and travel together.
    pub entered_min: u32,
    /// The weeks in the period: 17, or fewer (see `period`).
    pub weeks: u32,
    /// Why the period is as long as it is.
    pub period: PeriodKind,
    /// A week's work, on average over the period, in whole minutes.
    pub average_min: u32,
    /// Of which travel between visits.
    pub average_travelling_min: u32,
    /// Over 48 hours a week on average, without the carer's opt-out: the
    /// rota warns of it.
    pub over_limit: bool,
}

/// The carer's work in the 17 weeks ending with the week of `today` (fewer
/// for a carer who started since, or an agency whose records begin since),
/// as planned so far. Read from the weekly
/// counts the store keeps for the rules (`carer_week_minutes`,
/// `carer_week_travel`), so it agrees with the rota's 48-hour finding for
/// this week.
pub fn working_time(carer: &Carer, conn: &Connection, today: NaiveDate) -> Result<WorkingTime> {
    let this_week = monday_of(today);
    let records = records_from(conn, this_week - Duration::weeks(REFERENCE_WEEKS - 1))?;
    let carer_id = carer.id.to_string();
    // Hours entered for the weeks before the agency's records begin count
    // as those weeks' work, as the rota's rule counts them; none count when
    // the records are older than the 17 weeks.
    let entered = match records {
        Some(records) => hours_entered(conn, &carer_id, this_week - Duration::weeks(REFERENCE_WEEKS - 1), records)?,
        None => vec![],
    };
    let known = known_from(records, entered.first().map(|(week, _)| *week));
    let ReferencePeriod { from, weeks, kind } = reference_period(carer.started_on, known, this_week);
    let to = this_week + Duration::days(6);
    let sum = |table: &str| -> Result<u32> {
        Ok(conn.query_row(
            &format!("SELECT coalesce(sum(minutes), 0) FROM {table} WHERE carer_id = ?1 AND week BETWEEN ?2 AND ?3"),
            (&carer_id, from.to_string(), this_week.to_string()),
            |r| r.get(0),
        )?)
    };
    let (visiting_min, travelling_min) = (sum("carer_week_minutes")?, sum("carer_week_travel")?);
    let entered_min = entered.iter().filter(|(week, _)| *week >= from).map(|(_, minutes)| minutes).sum();
    let weeks = weeks as u32;
    let average_min = (visiting_min + travelling_min + entered_min) / weeks;
    Ok(WorkingTime {
        from,
        to,
        visiting_min,
        travelling_min,
        entered_min,
        weeks,
        period: kind,
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
        let weeks = |started: &str, week: &str| {
            let period = reference_period(d(started), None, d(week));
            (period.weeks, period.kind)
        };
        use PeriodKind::*;
        // Started on a Wednesday: that week counts whole.
        assert_eq!(weeks("2026-02-11", "2026-03-02"), (4, SinceStarting), "the weeks of 9, 16, 23 Feb and 2 Mar");
        assert_eq!(weeks("2026-03-04", "2026-03-02"), (1, SinceStarting), "started this week");
        assert_eq!(weeks("2025-11-10", "2026-03-02"), (17, SeventeenWeeks), "17 weeks and a day ago is a full period");
        assert_eq!(weeks("2025-11-17", "2026-03-02"), (16, SinceStarting), "16 weeks ago is not");
        assert_eq!(weeks("2026-04-01", "2026-03-02"), (1, SinceStarting), "not started yet: never less than a week");
    }

    #[test]
    fn a_long_server_at_an_agency_new_to_caredesk_is_averaged_over_the_weeks_it_has_records_for() {
        let long_server = d("2024-05-01");
        let period = reference_period(long_server, Some(d("2026-02-16")), d("2026-03-02"));
        assert_eq!(period, ReferencePeriod { from: d("2026-02-16"), weeks: 3, kind: PeriodKind::SinceRecords });
        // Records older than the 17 weeks change nothing.
        let period = reference_period(long_server, Some(d("2025-06-02")), d("2026-03-02"));
        assert_eq!((period.from, period.weeks, period.kind), (d("2025-11-10"), 17, PeriodKind::SeventeenWeeks));
        // A carer who started after the records began: their own start counts.
        let period = reference_period(d("2026-02-25"), Some(d("2026-02-16")), d("2026-03-02"));
        assert_eq!((period.from, period.weeks, period.kind), (d("2026-02-23"), 2, PeriodKind::SinceStarting));
        // A week before the records begin is averaged alone.
        let period = reference_period(long_server, Some(d("2026-03-16")), d("2026-03-02"));
        assert_eq!((period.from, period.weeks), (d("2026-03-02"), 1));
    }
}
