//! Which visits a care package makes between two dates, and at what instant.
//! Pure: no database, no clock.
//!
//! Wall-clock times are Europe/London. On the October night 01:00–01:59
//! happens twice: a visit then is planned once, at the first occurrence
//! (still BST), and says so. On the March night 01:00–01:59 does not exist:
//! a visit then moves forward by the hour the clocks skip (01:30 → 02:30 BST,
//! the same instant 01:30 GMT would have been), and says so.

use super::week::monday_of;
use crate::people::{CarePackage, Client, ClientStatus, Weekday};
use chrono::{DateTime, Datelike, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Europe::London;

#[derive(Debug, Clone, PartialEq)]
pub struct PlannedVisit {
    pub local_date: NaiveDate,
    pub local_time: NaiveTime,
    pub starts_at: DateTime<Utc>,
    /// Empty, or why the instant is not simply the package's time that day.
    pub time_note: String,
}

/// Whether the client should get visits on `date`: not while in hospital or
/// suspended (until the expected return, if known), nor once care has ended.
pub fn receives_care_on(client: &Client, date: NaiveDate) -> bool {
    match client.status {
        ClientStatus::Active => true,
        ClientStatus::InHospital | ClientStatus::Suspended => match (client.status_from, client.status_until) {
            (Some(from), Some(until)) => date < from || date > until,
            (Some(from), None) => date < from,
            (None, _) => false,
        },
        ClientStatus::Ended => client.status_from.is_some_and(|from| date < from),
    }
}

/// Whether the package runs on `date`: within its dates, on one of its days,
/// and in one of its weeks of the cycle (week 1 holds its start date).
pub fn runs_on(package: &CarePackage, date: NaiveDate) -> bool {
    if date < package.starts_on || package.ends_on.is_some_and(|end| date > end) {
        return false;
    }
    if !package.weekdays.contains(&Weekday::from_chrono(date.weekday())) {
        return false;
    }
    let weeks_since_start = (monday_of(date) - monday_of(package.starts_on)).num_days() / 7;
    let week_of_cycle = (weeks_since_start % i64::from(package.cycle_weeks.max(1))) as u8 + 1;
    package.cycle_week_list.contains(&week_of_cycle)
}

/// The date on the London clock at `instant`.
pub fn london_date(instant: DateTime<Utc>) -> NaiveDate {
    instant.with_timezone(&London).date_naive()
}

/// The instant a wall-clock time on a date in London refers to, with a note
/// when the clock change makes that ambiguous or impossible.
pub fn london_instant(date: NaiveDate, time: NaiveTime) -> (DateTime<Utc>, String) {
    let local = date.and_time(time);
    let shown = || format!("{} on {}", time.format("%H:%M"), date.format("%-d %b %Y"));
    match London.from_local_datetime(&local) {
        chrono::LocalResult::Single(at) => (at.with_timezone(&Utc), String::new()),
        chrono::LocalResult::Ambiguous(first, _) => (
            first.with_timezone(&Utc),
            format!("{} happens twice (clocks go back at 02:00); planned at the first, BST", shown()),
        ),
        chrono::LocalResult::None => {
            // The clocks jump from 01:00 to 02:00: read the time as GMT, which
            // lands the same distance after midnight as intended.
            let at = Utc.from_utc_datetime(&local);
            let moved = at.with_timezone(&London).format("%H:%M");
            (at, format!("{} does not exist (clocks go forward at 01:00); moved to {moved} BST", shown()))
        }
    }
}

/// The visits `package` makes for `client` from `from` to `to` inclusive.
pub fn plan_visits(package: &CarePackage, client: &Client, from: NaiveDate, to: NaiveDate) -> Vec<PlannedVisit> {
    from.iter_days()
        .take_while(|date| *date <= to)
        .filter(|date| runs_on(package, *date) && receives_care_on(client, *date))
        .map(|local_date| {
            let (starts_at, time_note) = london_instant(local_date, package.start_time);
            PlannedVisit { local_date, local_time: package.start_time, starts_at, time_note }
        })
        .collect()
}
