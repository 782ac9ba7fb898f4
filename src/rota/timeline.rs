//! The rota board's time axis: minutes as they pass from the London midnight
//! that starts the board, labelled by the London clock.
//!
//! The board is drawn against time as it passes, not against the clock on
//! the wall. On the October night 01:00-01:59 happens twice and the day is 25
//! hours long; on the March night that hour never comes and the day is 23
//! hours long. A visit placed by its instant sits where the rules see it: two
//! visits the overlap rule says clash are drawn overlapping, and a visit
//! across the change is drawn as long as it lasts. Pure: no store, no clock.

use super::plan::london_instant;
use chrono::{DateTime, Duration, DurationRound, NaiveDate, NaiveTime, Offset, TimeZone, Timelike, Utc};
use chrono_tz::Europe::London;
use serde::Serialize;
use ts_rs::TS;

/// An hour's mark on the board's scale.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct HourMark {
    /// Minutes from the board's first midnight.
    pub at_min: u32,
    /// The board's day it falls on.
    pub day: u8,
    /// The hour on the London clock, 0 to 23.
    pub hour: u8,
    /// The London clock: "07:00"; on the October night, when an hour comes
    /// twice, "01:00 BST" and then "01:00 GMT".
    pub label: String,
}

/// A night the clocks change, as the board shows it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct ClockChange {
    /// Minutes from the board's first midnight to the change.
    pub at_min: u32,
    /// The board's day it falls on.
    pub day: u8,
    /// What it means for the visits, in a sentence.
    pub said: String,
    /// What the clock does at the board's line, short enough to sit on
    /// the scale beside it: "Clocks back to 01:00", "Clocks on to 02:00".
    /// A week's scale marks every six hours, so this is how it shows that
    /// an hour comes twice, or never.
    pub label: String,
}

/// The board's axis, sent with the board: how long it is, where each day
/// starts, its hour marks and any clock change.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Timeline {
    /// The board's first day, and the instant of its midnight.
    #[serde(skip)]
    #[ts(skip)]
    from: NaiveDate,
    #[serde(skip)]
    #[ts(skip)]
    start: DateTime<Utc>,
    /// Minutes from the first midnight to the midnight after the last day.
    pub length_min: u32,
    /// Where each day starts, in minutes from the first midnight.
    pub day_starts: Vec<u32>,
    pub hours: Vec<HourMark>,
    pub clock_changes: Vec<ClockChange>,
}

/// The instant of midnight on `date` in London (the clocks never change at
/// midnight there, so there is exactly one).
fn midnight(date: NaiveDate) -> DateTime<Utc> {
    london_instant(date, NaiveTime::MIN).0
}

/// What a clock change means for the visits, as the rota planned them: a
/// sentence, full stop and all.
fn change_said(forward: bool) -> String {
    if forward {
        "Clocks go forward at 01:00: there is no 01:00-01:59 tonight, and a visit asked for then is \
         moved on an hour (01:30 becomes 02:30 BST)."
            .into()
    } else {
        "Clocks go back at 02:00: 01:00-01:59 happens twice, and a visit asked for then is planned in \
         the first, BST."
            .into()
    }
}

/// A moment the London clock changes, and what it means for visits.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub at: DateTime<Utc>,
    pub said: String,
    /// Whether the clocks go forward (March) rather than back (October).
    pub forward: bool,
}

impl Change {
    /// Its London date as a page names a day: "Sun 25 Oct".
    pub fn day(&self) -> String {
        self.at.with_timezone(&London).format("%a %-d %b").to_string()
    }
}

/// Each moment from `from` to `until` at which the London clock changes.
/// The clocks change on the hour, UTC, so the whole hours between are
/// enough to look at.
pub fn clock_changes(from: DateTime<Utc>, until: DateTime<Utc>) -> Vec<Change> {
    let offset = |t: DateTime<Utc>| t.with_timezone(&London).offset().fix().local_minus_utc();
    let mut at = from.duration_trunc(Duration::hours(1)).unwrap_or(from);
    let mut changes = Vec::new();
    while at < until {
        let next = at + Duration::hours(1);
        if offset(next) != offset(at) && from < next && next <= until {
            let forward = offset(next) > offset(at);
            changes.push(Change { at: next, said: change_said(forward), forward });
        }
        at = next;
    }
    changes
}

/// The clock changes on a London date: none, or the one of its night.
pub fn clock_changes_on(date: NaiveDate) -> Vec<Change> {
    clock_changes(midnight(date), midnight(date + Duration::days(1)))
}

impl Timeline {
    /// The axis of the days from `from` to `to`, both included.
    pub fn spanning(from: NaiveDate, to: NaiveDate) -> Self {
        Self::new(from, ((to - from).num_days() + 1) as u8)
    }

    /// The axis of the `days` days from `from`.
    pub fn new(from: NaiveDate, days: u8) -> Self {
        let start = midnight(from);
        let minute = |at: DateTime<Utc>| (at - start).num_minutes() as u32;
        let day_starts: Vec<u32> = from.iter_days().take(usize::from(days)).map(|d| minute(midnight(d))).collect();
        let end = midnight(from + Duration::days(i64::from(days)));
        let mut hours = Vec::new();
        let mut at = start;
        let mut day = 0u8;
        while at < end {
            let local = at.with_timezone(&London);
            if at > start && local.hour() == 0 {
                day += 1;
            }
            let hour = local.time();
            // An hour that comes twice is told apart by its zone.
            let twice = London.from_local_datetime(&local.naive_local()).single().is_none();
            let label = match twice {
                true => format!("{} {}", hour.format("%H:%M"), local.format("%Z")),
                false => hour.format("%H:%M").to_string(),
            };
            hours.push(HourMark { at_min: minute(at), day, hour: local.hour() as u8, label });
            at += Duration::hours(1);
        }
        let clock_changes = clock_changes(start, end)
            .into_iter()
            .map(|change| {
                let at_min = minute(change.at);
                // The day it falls on: the last one starting before it.
                let day = day_starts.iter().rposition(|&s| s < at_min).unwrap_or(0) as u8;
                // What the wall clock reads just after the change.
                let label = format!(
                    "Clocks {} to {}",
                    if change.forward { "on" } else { "back" },
                    change.at.with_timezone(&London).format("%H:%M")
                );
                ClockChange { at_min, day, said: change.said, label }
            })
            .collect();
        Timeline { from, start, length_min: minute(end), day_starts, hours, clock_changes }
    }

    /// Minutes from the board's first midnight to `instant` (negative
    /// before it).
    pub fn minute_of(&self, instant: DateTime<Utc>) -> i64 {
        (instant - self.start).num_minutes()
    }

    /// Where `minute` past midnight on the London clock, on the board's
    /// `day`, falls: a time the March night skips moves on an hour, and
    /// one the October night repeats is the first, as the rota plans them.
    pub fn wall_minute(&self, day: u8, minute: u32) -> u32 {
        let start = self.day_starts.get(usize::from(day)).copied().unwrap_or(self.length_min);
        let end = self.day_starts.get(usize::from(day) + 1).copied().unwrap_or(self.length_min);
        if minute >= 24 * 60 {
            return end;
        }
        // A day of 24 hours has no clock change: no time zone to consult
        // (a carer's rows ask this for each of their slots).
        if end - start == 24 * 60 {
            return start + minute;
        }
        let date = self.from + Duration::days(i64::from(day));
        let time = NaiveTime::from_num_seconds_from_midnight_opt(minute * 60, 0).unwrap_or(NaiveTime::MIN);
        self.minute_of(london_instant(date, time).0).clamp(0, i64::from(self.length_min)) as u32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(year: i32, month: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(year, month, day).unwrap()
    }

    fn labels(timeline: &Timeline) -> Vec<&str> {
        timeline.hours.iter().map(|h| h.label.as_str()).collect()
    }

    #[test]
    fn an_ordinary_day_is_24_hours_with_no_clock_change() {
        let day = Timeline::new(d(2026, 12, 4), 1);
        assert_eq!(day.length_min, 24 * 60);
        assert_eq!(day.day_starts, [0]);
        assert_eq!(day.hours.len(), 24);
        assert_eq!((day.hours[7].at_min, day.hours[7].label.as_str()), (7 * 60, "07:00"));
        assert!(day.clock_changes.is_empty());
    }

    #[test]
    fn the_october_night_is_25_hours_and_names_the_hour_that_comes_twice() {
        let day = Timeline::new(d(2026, 10, 25), 1);
        assert_eq!(day.length_min, 25 * 60);
        assert_eq!(&labels(&day)[..4], ["00:00", "01:00 BST", "01:00 GMT", "02:00"]);
        assert_eq!(day.hours[3].at_min, 3 * 60, "02:00 GMT is three hours after midnight BST");
        let hours: Vec<u8> = day.hours.iter().take(4).map(|h| h.hour).collect();
        assert_eq!(hours, [0, 1, 1, 2], "the hour on the clock, the repeated one twice");
        assert_eq!(day.clock_changes.len(), 1);
        assert_eq!(day.clock_changes[0].at_min, 2 * 60);
        assert!(day.clock_changes[0].said.starts_with("Clocks go back"), "{}", day.clock_changes[0].said);
        assert_eq!(day.clock_changes[0].label, "Clocks back to 01:00", "02:00 BST is 01:00 GMT");
        // 01:30 asked for on the wall is the first, BST: 90 minutes in.
        assert_eq!(day.wall_minute(0, 90), 90);
        assert_eq!(day.wall_minute(0, 7 * 60), 8 * 60);
    }

    #[test]
    fn the_march_night_is_23_hours_and_has_no_one_o_clock() {
        let day = Timeline::new(d(2026, 3, 29), 1);
        assert_eq!(day.length_min, 23 * 60);
        assert_eq!(&labels(&day)[..3], ["00:00", "02:00", "03:00"]);
        assert_eq!(day.hours[1].at_min, 60, "02:00 BST comes an hour after midnight GMT");
        assert_eq!(day.clock_changes[0].at_min, 60);
        assert!(day.clock_changes[0].said.starts_with("Clocks go forward"), "{}", day.clock_changes[0].said);
        assert_eq!(day.clock_changes[0].label, "Clocks on to 02:00", "01:00 GMT is 02:00 BST");
        // 01:30 does not happen: moved on an hour, to 02:30 BST, 90 minutes in.
        assert_eq!(day.wall_minute(0, 90), 90);
        assert_eq!(day.wall_minute(0, 7 * 60), 6 * 60);
        assert_eq!(day.wall_minute(0, 24 * 60), 23 * 60, "the day ends at the next midnight");
    }

    #[test]
    fn the_changes_between_two_moments_are_those_of_the_nights_between_them() {
        let at = |y, m, d, h, min| Utc.with_ymd_and_hms(y, m, d, h, min, 0).unwrap();
        // Saturday 17:00 BST to Sunday 08:00 GMT, over the October night.
        let night = clock_changes(at(2026, 10, 24, 16, 0), at(2026, 10, 25, 8, 0));
        assert_eq!(night.len(), 1);
        assert_eq!(night[0].at, at(2026, 10, 25, 1, 0), "02:00 BST, when the clocks go back");
        assert_eq!(night[0].day(), "Sun 25 Oct");
        assert!(night[0].said.starts_with("Clocks go back"), "{}", night[0].said);
        let march = clock_changes(at(2027, 3, 27, 17, 30), at(2027, 3, 28, 7, 0));
        assert_eq!(march.iter().map(|c| c.at).collect::<Vec<_>>(), [at(2027, 3, 28, 1, 0)]);
        assert_eq!(clock_changes_on(d(2027, 3, 28)), march, "the March night's, by its date");
        assert!(clock_changes_on(d(2027, 3, 27)).is_empty(), "the Saturday before has none");
        assert!(clock_changes(at(2026, 12, 4, 17, 0), at(2026, 12, 5, 8, 0)).is_empty(), "an ordinary night");
        assert!(
            clock_changes(at(2026, 10, 25, 1, 0), at(2026, 10, 25, 8, 0)).is_empty(),
            "from the change on, it is behind"
        );
    }

    #[test]
    fn a_week_holding_the_october_night_starts_its_later_days_an_hour_on() {
        let week = Timeline::new(d(2026, 10, 19), 7);
        assert_eq!(week.length_min, 7 * 24 * 60 + 60);
        assert_eq!(week.day_starts, [0, 1440, 2880, 4320, 5760, 7200, 8640]);
        let next_week = Timeline::new(d(2026, 10, 26), 7);
        assert_eq!(next_week.day_starts[6], 6 * 1440, "the week after has ordinary days");
        let sunday: Vec<&HourMark> = week.hours.iter().filter(|h| h.day == 6).collect();
        assert_eq!(sunday.len(), 25);
        assert_eq!(week.clock_changes[0].day, 6);
        // Midnight after the Sunday: 25 hours after its start.
        assert_eq!(week.length_min - week.day_starts[6], 25 * 60);
    }
}
