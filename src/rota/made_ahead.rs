//! How far ahead the care packages' visits are made: the last day rolled
//! forward, said against today (the roll-forward page, the Today page's
//! tile, the handover sheet) and against the days a board or the emergency
//! pack shows. A rota made only to tomorrow leaves the day after with no
//! visits at all, which no board or rule would otherwise show.

use crate::error::Result;
use crate::store::row_opt_date;
use chrono::NaiveDate;
use rusqlite::Connection;
use serde::Serialize;
use ts_rs::TS;

/// Fewer days ahead than this, and the Today page asks for a roll forward:
/// next week's visits are not all made, nor its carers told.
pub const ENOUGH_DAYS_AHEAD: u32 = 7;

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct MadeAhead {
    /// The last day rolled forward (`last_made`).
    pub until: Option<NaiveDate>,
    /// Days from today to `until`; 0 when it is today, past or none.
    pub days_ahead: u32,
    /// Current packages are made fewer than `ENOUGH_DAYS_AHEAD` days ahead.
    pub short: bool,
    pub said: String,
}

/// The last day rolled forward, whether or not any package called for a
/// visit on it; or, where later, the last day a care package has a visit
/// made for (made before rolls were recorded, or by a roll stopped part way).
/// Cancelled visits count: the day was rolled. Removed ones and one-offs
/// added by hand do not.
pub fn last_made(conn: &Connection) -> Result<Option<NaiveDate>> {
    let visited = conn.query_row(
        "SELECT max(local_date) FROM visits WHERE deleted_at IS NULL AND package_id IS NOT NULL",
        [],
        |r| row_opt_date(r, 0),
    )?;
    Ok(super::roll_forward::rolled_through(conn)?.max(visited))
}

pub fn made_ahead(conn: &Connection, today: NaiveDate) -> Result<MadeAhead> {
    let packages: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM care_packages WHERE deleted_at IS NULL AND (ends_on IS NULL OR ends_on > ?1))",
        [today.to_string()],
        |r| r.get(0),
    )?;
    Ok(MadeAhead::of(last_made(conn)?, today, packages))
}

impl MadeAhead {
    /// From the last day rolled, today, and whether any package runs past
    /// today (an agency with none has nothing to roll). Pure.
    pub fn of(until: Option<NaiveDate>, today: NaiveDate, packages_run_on: bool) -> Self {
        let ahead = until.map(|until| (until - today).num_days());
        let short = packages_run_on && ahead.is_none_or(|days| days < i64::from(ENOUGH_DAYS_AHEAD));
        let days_ahead = ahead.map_or(0, |days| u32::try_from(days).unwrap_or(0));
        Self { until, days_ahead, short, said: said(until, today) }
    }
}

/// What a board or a document ending on `last` says when its days run past
/// the last day made; None when they do not, or nothing is made at all (the
/// empty board says so on its own). Pure.
pub fn runs_past(until: Option<NaiveDate>, last: NaiveDate) -> Option<String> {
    let until = until.filter(|until| *until < last)?;
    Some(format!("The care packages' visits are made only up to {}: the days after it have none yet.", long_day(until)))
}

/// "Tue 29 Dec 2026", as every sentence here names a day.
pub(super) fn long_day(day: NaiveDate) -> impl std::fmt::Display {
    day.format("%a %-d %b %Y")
}

fn said(until: Option<NaiveDate>, today: NaiveDate) -> String {
    match until {
        None => "No visits have been made from the care packages yet.".to_string(),
        Some(until) if until < today => format!(
            "The care packages' visits were made up to {} only: there are none from today on, so roll forward before the day.",
            long_day(until)
        ),
        Some(until) if until == today => {
            "The care packages' visits are made up to today only: roll forward before tomorrow.".to_string()
        }
        Some(until) => {
            let ahead = (until - today).num_days();
            let s = if ahead == 1 { "" } else { "s" };
            format!("The care packages' visits are made up to {}, {ahead} day{s} from today.", long_day(until))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{runs_past, MadeAhead};
    use chrono::NaiveDate;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn how_far_ahead_the_visits_are_made_is_said_against_today() {
        let today = day("2026-12-02");
        let weeks = MadeAhead::of(Some(day("2026-12-27")), today, true);
        assert_eq!(weeks.said, "The care packages' visits are made up to Sun 27 Dec 2026, 25 days from today.");
        assert_eq!((weeks.days_ahead, weeks.short), (25, false), "over three weeks ahead is enough");
        let one = MadeAhead::of(Some(day("2026-12-03")), today, true);
        assert_eq!(one.said, "The care packages' visits are made up to Thu 3 Dec 2026, 1 day from today.");
        assert!(MadeAhead::of(Some(today), today, true)
            .said
            .contains("up to today only: roll forward before tomorrow"));
    }

    #[test]
    fn fewer_than_seven_days_made_ahead_is_short_and_a_week_is_enough() {
        let today = day("2026-12-02");
        assert!(MadeAhead::of(Some(day("2026-12-08")), today, true).short, "six days ahead");
        assert!(!MadeAhead::of(Some(day("2026-12-09")), today, true).short, "seven days ahead");
        assert!(MadeAhead::of(None, today, true).short, "packages, and nothing rolled");
        assert!(!MadeAhead::of(None, today, false).short, "no packages running on: nothing to roll");
    }

    #[test]
    fn visits_made_only_to_a_past_day_or_not_at_all_are_said_plainly() {
        let today = day("2026-12-02");
        let past = MadeAhead::of(Some(day("2026-11-29")), today, true);
        assert_eq!(
            past.said,
            "The care packages' visits were made up to Sun 29 Nov 2026 only: there are none from today on, \
             so roll forward before the day."
        );
        assert_eq!((past.days_ahead, past.short), (0, true), "no days ahead, and short");
        assert_eq!(MadeAhead::of(None, today, true).said, "No visits have been made from the care packages yet.");
    }

    #[test]
    fn days_shown_past_the_last_day_made_are_said_and_days_within_it_are_not() {
        assert_eq!(
            runs_past(Some(day("2026-12-29")), day("2027-01-03")).as_deref(),
            Some("The care packages' visits are made only up to Tue 29 Dec 2026: the days after it have none yet.")
        );
        assert_eq!(runs_past(Some(day("2026-12-29")), day("2026-12-29")), None, "the last day shown is the last made");
        assert_eq!(runs_past(None, day("2026-12-29")), None, "nothing made: the empty board says so");
    }
}
