//! The Working Time Regulations' weekly rest over a fortnight. A worker is
//! owed 24 hours' uninterrupted rest in each week or, where the employer so
//! decides, two rests of 24 hours or one of 48 hours in each fortnight
//! (regulation 11(2)). Home care often runs on alternate weekends: twelve
//! days on, then a weekend off, which the fortnight allows and the week
//! does not. The agency chooses (`working_time_settings`); the rest of the
//! rule, for a week, is in `timeline`.
//!
//! A week's rota holds one week of the fortnight; the other week's rests
//! come from `carer_week_rests`, kept by the write path as each week changes
//! (`rota::week_travel`), worked out here from the run in the same way.
//! Pure: instants are plain seconds since 1970, as in `timeline`.

use chrono::{Duration, NaiveDate};

pub const DAY: i64 = 24 * 3600;

/// How the agency takes its carers' weekly rest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum WeeklyRest {
    /// 24 hours in each week, Monday to Sunday.
    #[default]
    EachWeek,
    /// 48 hours, or two rests of 24, in each fortnight; fortnights run two
    /// weeks at a time from the Monday `from`.
    EachFortnight { from: NaiveDate },
}

impl WeeklyRest {
    /// The first Monday of the fortnight that holds the week from
    /// `week_start`, and the Monday of its other week; `None` each week.
    pub fn fortnight_of(self, week_start: NaiveDate) -> Option<(NaiveDate, NaiveDate)> {
        match self {
            WeeklyRest::EachWeek => None,
            WeeklyRest::EachFortnight { from } => {
                let first = match (week_start - from).num_weeks().rem_euclid(2) {
                    0 => week_start,
                    _ => week_start - Duration::weeks(1),
                };
                let other = if first == week_start { week_start + Duration::weeks(1) } else { first };
                Some((first, other))
            }
        }
    }
}

/// What the fortnight needs to know of one week's work: when it begins and
/// ends, and the rests inside it (gaps between visits of 24 hours or more,
/// and the longest gap).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WeekRests {
    pub first_start: i64,
    pub last_end: i64,
    /// Rests of 24 hours or more between the week's visits.
    pub long_rests: u32,
    /// The longest gap between the week's visits, in seconds (0 for one visit).
    pub longest: i64,
}

/// The rests of a week's work, `spans` its visits' (start, end) in start
/// order; `None` for a week without work.
pub fn week_rests(spans: impl IntoIterator<Item = (i64, i64)>) -> Option<WeekRests> {
    let mut spans = spans.into_iter();
    let (first_start, mut end) = spans.next()?;
    let (mut long_rests, mut longest) = (0, 0);
    for (start, finish) in spans {
        let gap = start - end;
        if gap >= DAY {
            long_rests += 1;
        }
        longest = longest.max(gap);
        end = end.max(finish);
    }
    Some(WeekRests { first_start, last_end: end, long_rests, longest })
}

/// The rests of a week's run of visits (any order), counted as the rota's
/// week counts them: for the other weeks, kept as they change
/// (`rota::week_travel`).
pub fn run_rests(run: &[super::Stop]) -> Option<WeekRests> {
    let mut spans: Vec<(i64, i64)> =
        run.iter().map(|stop| super::timeline::span(stop.start, stop.duration_min)).collect();
    spans.sort_unstable();
    week_rests(spans)
}

/// Whether a fortnight from `open` to `close` gives 48 hours' rest, or two
/// rests of 24, with the work of its two weeks in order (`None`: a week off);
/// and the longest rest in it.
pub fn fortnight_rested(weeks: [Option<WeekRests>; 2], open: i64, close: i64) -> (bool, i64) {
    let (mut long_rests, mut longest) = (0, 0);
    // The rests around the weeks' work: before it, between the weeks, after.
    let (mut around, mut cursor) = (Vec::with_capacity(3), open);
    for week in weeks.iter().flatten() {
        around.push(week.first_start - cursor);
        long_rests += week.long_rests;
        longest = longest.max(week.longest);
        cursor = cursor.max(week.last_end);
    }
    around.push(close - cursor);
    long_rests += around.iter().filter(|gap| **gap >= DAY).count() as u32;
    let longest = around.into_iter().fold(longest, i64::max);
    (long_rests >= 2 || longest >= 2 * DAY, longest)
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOUR: i64 = 3600;

    /// 07:00 to 22:00 on each of `days` (day 0 is the fortnight's Monday).
    fn long_days(days: impl IntoIterator<Item = i64>) -> Vec<(i64, i64)> {
        days.into_iter().map(|d| (d * DAY + 7 * HOUR, d * DAY + 22 * HOUR)).collect()
    }

    fn weeks(days: &[(i64, i64)]) -> [Option<WeekRests>; 2] {
        let (first, second): (Vec<_>, Vec<_>) = days.iter().partition(|(start, _)| *start < 7 * DAY);
        [week_rests(first), week_rests(second)]
    }

    #[test]
    fn alternate_weekends_rest_48_hours_in_each_fortnight_and_twelve_days_with_one_day_off_do_not() {
        // Twelve days on, the second weekend off: 50 hours from Friday 22:00.
        let alternate = long_days(0..12);
        assert_eq!(fortnight_rested(weeks(&alternate), 0, 14 * DAY), (true, 50 * HOUR));
        // Thirteen days on, the last Sunday off: 26 hours, one rest of 24.
        let one_day_off = long_days(0..13);
        assert_eq!(fortnight_rested(weeks(&one_day_off), 0, 14 * DAY), (false, 26 * HOUR));
        // A Wednesday off in each week: two rests of 33 hours.
        let two_days_off: Vec<_> = long_days((0..14).filter(|d| *d != 2 && *d != 9));
        assert_eq!(fortnight_rested(weeks(&two_days_off), 0, 14 * DAY), (true, 33 * HOUR));
        // No work in the other week: a week's rest.
        assert!(fortnight_rested([week_rests(long_days(0..7)), None], 0, 14 * DAY).0);
    }

    #[test]
    fn a_weeks_rests_are_the_gaps_between_its_visits() {
        let days = long_days([0, 2, 3]);
        let rests = week_rests(days.iter().copied()).expect("a week with work");
        // Monday 22:00 to Wednesday 07:00 is 33 hours; Wednesday night 9.
        assert_eq!(
            rests,
            WeekRests { first_start: 7 * HOUR, last_end: 3 * DAY + 22 * HOUR, long_rests: 1, longest: 33 * HOUR }
        );
        assert_eq!(week_rests(std::iter::empty()), None);
    }

    #[test]
    fn a_fortnight_starts_on_the_agencys_monday_and_every_other_monday_after() {
        let d = |text: &str| text.parse::<NaiveDate>().unwrap();
        let rest = WeeklyRest::EachFortnight { from: d("2026-01-05") };
        assert_eq!(rest.fortnight_of(d("2026-11-23")), Some((d("2026-11-23"), d("2026-11-30"))), "46 weeks on");
        assert_eq!(rest.fortnight_of(d("2026-11-30")), Some((d("2026-11-23"), d("2026-11-23"))), "47 weeks on");
        assert_eq!(rest.fortnight_of(d("2025-12-29")), Some((d("2025-12-22"), d("2025-12-22"))), "the week before");
        assert_eq!(WeeklyRest::EachWeek.fortnight_of(d("2026-11-23")), None);
    }
}
