//! How far ahead the care packages' visits are made: the last day rolled
//! forward, said against today (the roll-forward page, the Today page's
//! tile, the handover sheet) and against the days a board or the emergency
//! pack shows. A rota made only to tomorrow leaves the day after with no
//! visits at all, which no board or rule would otherwise show. So does a
//! gap: a roll from a later day than the one after the last made leaves the
//! days between with none, though "made up to" reads the later day.

use crate::error::Result;
use crate::store::{row_date, row_opt_date};
use chrono::{Datelike, NaiveDate};
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
    /// Days from today to `until` never rolled forward, so with no visits.
    pub gaps: Vec<DaysNotMade>,
    /// The days in `gaps`.
    pub days_missing: u32,
    /// Current packages are made fewer than `ENOUGH_DAYS_AHEAD` days ahead,
    /// or some day before `until` was never rolled: someone must roll.
    pub short: bool,
    pub said: String,
}

/// Days, first to last, that no roll forward covered.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct DaysNotMade {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl DaysNotMade {
    pub fn days(&self) -> u32 {
        u32::try_from((self.to - self.from).num_days() + 1).unwrap_or(0)
    }

    /// The part of these days from `from` to `to`, if any.
    pub fn within(&self, from: NaiveDate, to: NaiveDate) -> Option<DaysNotMade> {
        let part = DaysNotMade { from: self.from.max(from), to: self.to.min(to) };
        (part.from <= part.to).then_some(part)
    }
}

/// The days each roll forward covered, as recorded (schema 24 on).
pub(super) fn rolls(conn: &Connection) -> Result<Vec<(NaiveDate, NaiveDate)>> {
    let mut stmt = conn.prepare_cached("SELECT from_date, to_date FROM rolls WHERE deleted_at IS NULL")?;
    let rows = stmt.query_map([], |r| Ok((row_date(r, 0)?, row_date(r, 1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The days from `from` to `to` that none of `rolls` covered, as runs of
/// days. Pure.
pub(super) fn not_rolled(rolls: &[(NaiveDate, NaiveDate)], from: NaiveDate, to: NaiveDate) -> Vec<DaysNotMade> {
    let mut runs: Vec<DaysNotMade> = Vec::new();
    for day in from.iter_days().take_while(|day| *day <= to) {
        if rolls.iter().any(|(first, last)| (*first..=*last).contains(&day)) {
            continue;
        }
        match runs.last_mut() {
            Some(run) if run.to.succ_opt() == Some(day) => run.to = day,
            _ => runs.push(DaysNotMade { from: day, to: day }),
        }
    }
    runs
}

/// The days each roll covered, and the first day whose gaps are said.
pub(super) struct Rolled {
    pub spans: Vec<(NaiveDate, NaiveDate)>,
    pub judged_from: NaiveDate,
}

/// The recorded rolls, judged from the first of them; or, where no care
/// package's visit is dated before it, from today if earlier: the days from
/// today to an agency's first roll are as empty as any between rolls. A file
/// rolled before rolls were recorded has its visits but no record of their
/// days, and is judged from its first recorded roll only. None before any
/// roll is recorded.
pub(super) fn rolled(conn: &Connection, today: NaiveDate) -> Result<Option<Rolled>> {
    let spans = rolls(conn)?;
    let Some(first) = spans.iter().map(|span| span.0).min() else { return Ok(None) };
    let earlier: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM visits WHERE deleted_at IS NULL AND local_date < ?1 AND package_id IS NOT NULL)",
        [first.to_string()],
        |r| r.get(0),
    )?;
    Ok(Some(Rolled { spans, judged_from: if earlier { first } else { first.min(today) } }))
}

/// The days from `from` to `to`, and from `judged_from` to the last day
/// rolled, that no roll covered. Pure.
pub(super) fn gaps(rolled: Option<&Rolled>, from: NaiveDate, to: NaiveDate) -> Vec<DaysNotMade> {
    let Some(rolled) = rolled else { return Vec::new() };
    let last = rolled.spans.iter().map(|span| span.1).max().unwrap_or(from);
    not_rolled(&rolled.spans, from.max(rolled.judged_from), to.min(last))
}

/// The runs of days from `from` to `to` that are not in a gap between
/// rolls, first to last: the days already made, for a change to reach.
/// Pure.
pub(super) fn rolled_runs(rolled: Option<&Rolled>, from: NaiveDate, to: NaiveDate) -> Vec<(NaiveDate, NaiveDate)> {
    let mut runs = Vec::new();
    let mut start = from;
    for gap in gaps(rolled, from, to) {
        if start < gap.from {
            runs.extend(gap.from.pred_opt().map(|end| (start, end)));
        }
        match gap.to.succ_opt() {
            Some(next) => start = next,
            None => return runs,
        }
    }
    if start <= to {
        runs.push((start, to));
    }
    runs
}

/// What a board or a document showing `from` to `to` says of the days in it
/// with no visits made: gaps between days rolled, and days past the last
/// one made. None when every day is made, or nothing is made at all (the
/// empty board says so on its own).
pub fn not_made(conn: &Connection, from: NaiveDate, to: NaiveDate, today: NaiveDate) -> Result<Option<String>> {
    let gaps = gaps(rolled(conn, today)?.as_ref(), from, to);
    Ok(say_not_made(&gaps, last_made(conn)?, to))
}

/// Pure: the sentences of [`not_made`].
pub fn say_not_made(gaps: &[DaysNotMade], until: Option<NaiveDate>, last: NaiveDate) -> Option<String> {
    let one_day = gaps.iter().map(DaysNotMade::days).sum::<u32>() == 1;
    let never = if one_day { "it was never rolled forward" } else { "they were never rolled forward" };
    let gap = (!gaps.is_empty())
        .then(|| format!("No visits are made from the care packages for {}: {never}.", runs_said(gaps)));
    match (gap, runs_past(until, last)) {
        (Some(gap), Some(past)) => Some(format!("{gap} {past}")),
        (gap, past) => gap.or(past),
    }
}

/// "Mon 14 Dec to Sun 20 Dec 2026 and Tue 29 Dec 2026".
fn runs_said(runs: &[DaysNotMade]) -> String {
    let said: Vec<String> = runs
        .iter()
        .map(|run| match run.days() {
            1 => long_day(run.from).to_string(),
            _ if run.from.year() == run.to.year() => {
                format!("{} to {}", run.from.format("%a %-d %b"), long_day(run.to))
            }
            _ => format!("{} to {}", long_day(run.from), long_day(run.to)),
        })
        .collect();
    match said.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => said.concat(),
    }
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
    let until = last_made(conn)?;
    let gaps = match until {
        Some(until) => gaps(rolled(conn, today)?.as_ref(), today, until),
        None => Vec::new(),
    };
    Ok(MadeAhead::of(until, gaps, today, packages))
}

impl MadeAhead {
    /// From the last day rolled, the days before it never rolled, today, and
    /// whether any package runs past today (an agency with none has nothing
    /// to roll). Pure.
    pub fn of(until: Option<NaiveDate>, gaps: Vec<DaysNotMade>, today: NaiveDate, packages_run_on: bool) -> Self {
        let ahead = until.map(|until| (until - today).num_days());
        let few = ahead.is_none_or(|days| days < i64::from(ENOUGH_DAYS_AHEAD));
        let short = packages_run_on && (few || !gaps.is_empty());
        let days_ahead = ahead.map_or(0, |days| u32::try_from(days).unwrap_or(0));
        let mut said = said(until, today);
        if !gaps.is_empty() {
            said = format!("{said} None are made for {}: roll those days forward.", runs_said(&gaps));
        }
        let days_missing = gaps.iter().map(DaysNotMade::days).sum();
        Self { until, days_ahead, gaps, days_missing, short, said }
    }
}

/// What a board or a document ending on `last` says when its days run past
/// the last day made; None when they do not, or nothing is made at all (the
/// empty board says so on its own). Pure.
fn runs_past(until: Option<NaiveDate>, last: NaiveDate) -> Option<String> {
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
    use super::{gaps, not_rolled, rolled_runs, runs_past, say_not_made, DaysNotMade, MadeAhead, Rolled};
    use chrono::NaiveDate;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn how_far_ahead_the_visits_are_made_is_said_against_today() {
        let today = day("2026-12-02");
        let weeks = MadeAhead::of(Some(day("2026-12-27")), Vec::new(), today, true);
        assert_eq!(weeks.said, "The care packages' visits are made up to Sun 27 Dec 2026, 25 days from today.");
        assert_eq!((weeks.days_ahead, weeks.short), (25, false), "over three weeks ahead is enough");
        let one = MadeAhead::of(Some(day("2026-12-03")), Vec::new(), today, true);
        assert_eq!(one.said, "The care packages' visits are made up to Thu 3 Dec 2026, 1 day from today.");
        assert!(MadeAhead::of(Some(today), Vec::new(), today, true)
            .said
            .contains("up to today only: roll forward before tomorrow"));
    }

    #[test]
    fn fewer_than_seven_days_made_ahead_is_short_and_a_week_is_enough() {
        let today = day("2026-12-02");
        assert!(MadeAhead::of(Some(day("2026-12-08")), Vec::new(), today, true).short, "six days ahead");
        assert!(!MadeAhead::of(Some(day("2026-12-09")), Vec::new(), today, true).short, "seven days ahead");
        assert!(MadeAhead::of(None, Vec::new(), today, true).short, "packages, and nothing rolled");
        assert!(!MadeAhead::of(None, Vec::new(), today, false).short, "no packages running on: nothing to roll");
    }

    #[test]
    fn visits_made_only_to_a_past_day_or_not_at_all_are_said_plainly() {
        let today = day("2026-12-02");
        let past = MadeAhead::of(Some(day("2026-11-29")), Vec::new(), today, true);
        assert_eq!(
            past.said,
            "The care packages' visits were made up to Sun 29 Nov 2026 only: there are none from today on, \
             so roll forward before the day."
        );
        assert_eq!((past.days_ahead, past.short), (0, true), "no days ahead, and short");
        assert_eq!(
            MadeAhead::of(None, Vec::new(), today, true).said,
            "No visits have been made from the care packages yet."
        );
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

    fn run(from: &str, to: &str) -> DaysNotMade {
        DaysNotMade { from: day(from), to: day(to) }
    }

    #[test]
    fn days_no_roll_covered_are_found_as_runs_between_and_around_the_rolls() {
        let rolls = [(day("2026-12-01"), day("2026-12-13")), (day("2026-12-21"), day("2026-12-27"))];
        assert_eq!(
            not_rolled(&rolls, day("2026-11-30"), day("2026-12-29")),
            [run("2026-11-30", "2026-11-30"), run("2026-12-14", "2026-12-20"), run("2026-12-28", "2026-12-29")]
        );
        assert_eq!(not_rolled(&rolls, day("2026-12-05"), day("2026-12-10")), [], "within one roll");
        let touching = [(day("2026-12-01"), day("2026-12-07")), (day("2026-12-08"), day("2026-12-14"))];
        assert_eq!(not_rolled(&touching, day("2026-12-01"), day("2026-12-14")), [], "two rolls end to end");
    }

    /// Rolled 7-13 and 21-27 December, judged from `judged_from`.
    fn rolled(judged_from: &str) -> Rolled {
        let spans = vec![(day("2026-12-07"), day("2026-12-13")), (day("2026-12-21"), day("2026-12-27"))];
        Rolled { spans, judged_from: day(judged_from) }
    }

    #[test]
    fn a_gap_is_found_from_the_day_judged_to_the_last_day_rolled() {
        let first = rolled("2026-12-07");
        assert_eq!(gaps(Some(&first), day("2026-12-01"), day("2026-12-31")), [run("2026-12-14", "2026-12-20")]);
        assert_eq!(gaps(Some(&first), day("2026-12-16"), day("2026-12-31")), [run("2026-12-16", "2026-12-20")]);
        let today = rolled("2026-12-02");
        assert_eq!(
            gaps(Some(&today), day("2026-12-02"), day("2026-12-31")),
            [run("2026-12-02", "2026-12-06"), run("2026-12-14", "2026-12-20")],
            "judged from today: the days before the first roll too"
        );
        assert_eq!(gaps(None, day("2026-12-01"), day("2026-12-31")), [], "nothing rolled yet");
    }

    #[test]
    fn a_change_reaches_the_days_rolled_around_a_gap_and_not_the_gap() {
        let first = rolled("2026-12-07");
        assert_eq!(
            rolled_runs(Some(&first), day("2026-12-09"), day("2026-12-27")),
            [(day("2026-12-09"), day("2026-12-13")), (day("2026-12-21"), day("2026-12-27"))]
        );
        assert_eq!(
            rolled_runs(Some(&first), day("2026-12-16"), day("2026-12-27")),
            [(day("2026-12-21"), day("2026-12-27"))]
        );
        assert_eq!(
            rolled_runs(None, day("2026-12-01"), day("2026-12-27")),
            [(day("2026-12-01"), day("2026-12-27"))],
            "no rolls recorded: every day to the last made"
        );
    }

    #[test]
    fn a_gap_is_said_with_its_days_and_makes_the_rota_short_however_far_ahead() {
        let today = day("2026-12-02");
        let ahead = MadeAhead::of(Some(day("2026-12-27")), vec![run("2026-12-14", "2026-12-20")], today, true);
        assert_eq!(
            ahead.said,
            "The care packages' visits are made up to Sun 27 Dec 2026, 25 days from today. \
             None are made for Mon 14 Dec to Sun 20 Dec 2026: roll those days forward."
        );
        assert_eq!((ahead.days_ahead, ahead.days_missing, ahead.short), (25, 7, true));
        let two = [run("2026-12-14", "2026-12-14"), run("2026-12-31", "2027-01-01")];
        assert_eq!(
            say_not_made(&two, Some(day("2027-01-03")), day("2027-01-03")).as_deref(),
            Some(
                "No visits are made from the care packages for Mon 14 Dec 2026 and Thu 31 Dec 2026 to Fri 1 Jan 2027: \
                 they were never rolled forward."
            )
        );
        assert_eq!(say_not_made(&[], Some(day("2027-01-03")), day("2027-01-03")), None, "every day made");
    }
}
