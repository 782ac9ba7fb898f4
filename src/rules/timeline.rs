//! Rules over one carer's run of visits: double booking, travel between
//! visits, the Working Time Regulations' rest, breaks and 48-hour average,
//! and contracted and maximum hours. Travel between visits counts as work
//! (it is paid working time); home to the first visit does not, but a first
//! visit further from home than the agency allows is warned of.

use super::facts::{CarerFacts, Clock, Date, Day, LondonMoment, RotaFacts, VisitFacts};
use super::weekly_rest::{fortnight_rested, week_rests, WeeklyRest};
use super::{finding, finding_with, Finding, RuleId, Words};
use crate::people::working_time::{known_from, reference_period, PeriodKind, AVERAGE_LIMIT_MIN};
use crate::people::Transport;
use crate::travel::{estimate, GeoPoint, Leg, TravelSettings};
use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Europe::London;
use std::fmt::Formatter;

/// "1 h 05 min", "45 min", "2 h".
pub(super) fn hm(minutes: i64) -> String {
    match (minutes / 60, minutes % 60) {
        (0, m) => format!("{m} min"),
        (h, 0) => format!("{h} h"),
        (h, m) => format!("{h} h {m:02} min"),
    }
}

/// The start of a London date, in seconds since 1970.
fn london_midnight(date: NaiveDate) -> i64 {
    crate::rota::plan::london_instant(date, chrono::NaiveTime::MIN).0.timestamp()
}

/// The longest stretch without work inside `[from, until]`, in seconds.
/// `spans` are the run's (start, end) in seconds since 1970, in start
/// order; a visit lasts at most a day, so only those starting from a day
/// before `from` can reach into it. Plain seconds, not chrono's instants:
/// this runs for every visit of every carer weighed for a visit.
fn longest_rest(spans: &[(i64, i64)], from: i64, until: i64) -> i64 {
    let first = spans.partition_point(|(start, _)| *start < from - DAY);
    let mut cursor = from;
    let mut longest = 0;
    for (start, end) in spans[first..].iter().take_while(|(start, _)| *start < until).filter(|(_, end)| *end > from) {
        longest = longest.max((*start).max(from) - cursor);
        cursor = cursor.max((*end).min(until));
    }
    longest.max(until - cursor)
}

/// The stretches without work in the run that last at least `at_least`
/// seconds, as (from, until), the open ends included: the only ones that
/// can give a window of the run that much rest. There are a few a week,
/// so asking them for each visit's window is cheap where `longest_rest` is
/// a walk along the run.
fn rests_of_at_least(spans: &[(i64, i64)], at_least: i64) -> Vec<(i64, i64)> {
    let mut rests = Vec::new();
    let mut free_from = i64::MIN;
    for (start, end) in spans {
        if start.saturating_sub(free_from) >= at_least {
            rests.push((free_from, *start));
        }
        free_from = free_from.max(*end);
    }
    rests.push((free_from, i64::MAX));
    rests
}

/// Whether `[from, until]` holds `at_least` seconds of one of `rests`
/// (from `rests_of_at_least` with the same `at_least`): the same answer as
/// `longest_rest(..) >= at_least`.
fn has_rest(rests: &[(i64, i64)], from: i64, until: i64, at_least: i64) -> bool {
    rests.iter().any(|(rest_from, rest_until)| (*rest_until).min(until) - (*rest_from).max(from) >= at_least)
}

const HOUR: i64 = 3600;
const DAY: i64 = 24 * HOUR;

/// Whole minutes in `seconds`, towards zero (as chrono's `num_minutes`).
fn minutes(seconds: i64) -> i64 {
    seconds / 60
}

/// Findings as they are made, leaving out those `known` already has (same
/// rule, same visits) before their sentence is written: when ranking
/// candidates, writing every sentence again was most of the work.
struct Found<'k> {
    found: Vec<Finding>,
    known: &'k [Finding],
    carer: uuid::Uuid,
}

impl Found<'_> {
    fn add<Ids>(&mut self, rule: RuleId, visit_ids: Ids, message: impl Fn(&mut Formatter<'_>) -> std::fmt::Result)
    where
        Ids: AsRef<[uuid::Uuid]> + Into<super::VisitIds>,
    {
        if !self.is_known(rule, visit_ids.as_ref()) {
            self.found.push(finding(rule, visit_ids, Some(self.carer), Words(message)));
        }
    }

    fn is_known(&self, rule: RuleId, visit_ids: &[uuid::Uuid]) -> bool {
        self.known.iter().any(|f| f.rule == rule && *f.visit_ids == *visit_ids)
    }

    /// `add`, the sentence written when it is read (`super::Sentence`).
    fn add_later<Ids>(
        &mut self,
        rule: RuleId,
        visit_ids: Ids,
        message: impl Fn(&mut Formatter<'_>) -> std::fmt::Result + Send + Sync + 'static,
    ) where
        Ids: AsRef<[uuid::Uuid]> + Into<super::VisitIds>,
    {
        if !self.is_known(rule, visit_ids.as_ref()) {
            self.found.push(finding_with(rule, visit_ids, Some(self.carer), super::Sentence::later(message)));
        }
    }
}

/// Says both visits with their start and end, so the clash can be seen in
/// the sentence: "Amy Parry is booked on Wed 2 Dec for Morning call for
/// Barbara Tudor 07:15–08:00 and Morning call for Sylvia Green 07:30–08:15,
/// which overlap". A visit that runs past midnight names both days.
///
/// Each time is turned to London once and written straight into the
/// sentence: ranking candidates says this for every carer busy then.
fn overlap_message(
    f: &mut Formatter<'_>,
    name: &impl std::fmt::Display,
    first: &VisitFacts,
    second: &VisitFacts,
) -> std::fmt::Result {
    let [a, a_end, b, b_end] = [first.start, first.end(), second.start, second.end()].map(|t| t.with_timezone(&London));
    let (c, d) = (Clock, Day);
    if [a_end, b, b_end].iter().all(|t| t.date_naive() == a.date_naive()) {
        write!(
            f,
            "{name} is booked on {} for {} {}–{} and {} {}–{}, which overlap",
            d(a),
            first.name,
            c(a),
            c(a_end),
            second.name,
            c(b),
            c(b_end)
        )
    } else {
        write!(
            f,
            "{name} is booked for {} {} on {} to {} on {} and {} {} on {} to {} on {}, which overlap",
            first.name,
            c(a),
            d(a),
            c(a_end),
            d(a_end),
            second.name,
            c(b),
            d(b),
            c(b_end),
            d(b_end)
        )
    }
}

/// The visits of `run` (in start order) other than `id` that overlap
/// `start..end`. A visit lasts at most a day, so only those starting from a
/// day before can reach it.
pub fn overlapping<'s, 'r>(
    run: &'s [&'r VisitFacts],
    id: uuid::Uuid,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
) -> impl Iterator<Item = &'r VisitFacts> + 's {
    let day_before = start - chrono::Duration::days(1);
    let from = run.partition_point(|v| v.start < day_before);
    let until = run.partition_point(|v| v.start < end);
    run[from..until].iter().copied().filter(move |v| v.id != id && v.end() > start)
}

/// The double bookings that doing `visit` would add to the carer's run,
/// given the visits of it that `visit` overlaps (`RunIndex::clashing`): the same
/// findings [`check`] makes for them, without the run's other rules.
/// Ranking candidates asks this first, because a carer busy then is ruled
/// out whatever else they would break.
pub fn clashes<'v>(
    facts: &RotaFacts,
    carer_facts: &CarerFacts,
    clashing: impl Iterator<Item = &'v VisitFacts>,
    visit: &'v VisitFacts,
) -> Vec<Finding> {
    let week = facts.week_start..=facts.week_end();
    let mut pairs: Vec<(&VisitFacts, &VisitFacts)> = clashing
        .filter(|v| week.contains(&v.date) || week.contains(&visit.date))
        .map(|v| match (v.start, v.id) < (visit.start, visit.id) {
            true => (v, visit),
            false => (visit, v),
        })
        .collect();
    // In the order `check` finds them: by the first visit, then the second.
    pairs.sort_by_key(|(first, second)| (first.start, first.id, second.start, second.id));
    let name = &carer_facts.name;
    pairs
        .into_iter()
        .map(|(first, second)| {
            let message = Words(|f: &mut Formatter<'_>| overlap_message(f, &name, first, second));
            finding(RuleId::Overlap, [first.id, second.id], Some(carer_facts.carer.id), message)
        })
        .collect()
}

/// A run (in start order) laid out for the rules: each visit's (start,
/// end) in seconds since 1970, its London date, and the journey to it from
/// the one before, by the place of the next.
struct Laid {
    spans: Vec<(i64, i64)>,
    dates: Vec<NaiveDate>,
    legs: Vec<Leg>,
}

fn lay_out(facts: &RotaFacts, carer_facts: &CarerFacts, run: &[&VisitFacts]) -> Laid {
    let visits = run.iter().map(|v| (v.start, v.duration_min, v.local_date(), v.location));
    laid(visits, run.len(), carer_facts.carer.transport, &facts.travel)
}

/// A visit's (start, end), in seconds since 1970.
pub(super) fn span(start: DateTime<Utc>, minutes: u32) -> (i64, i64) {
    (start.timestamp(), start.timestamp() + 60 * i64::from(minutes))
}

/// A run laid out from each visit's (start, minutes, London date, place),
/// in start order; `len` visits.
fn laid(
    run: impl Iterator<Item = (DateTime<Utc>, u32, NaiveDate, GeoPoint)>,
    len: usize,
    transport: Transport,
    travel: &TravelSettings,
) -> Laid {
    let (mut spans, mut dates, mut places) =
        (Vec::with_capacity(len), Vec::with_capacity(len), Vec::with_capacity(len));
    for (start, minutes, date, place) in run {
        spans.push(span(start, minutes));
        dates.push(date);
        places.push(place);
    }
    let legs = places.windows(2).map(|p| estimate(p[0], p[1], transport, travel)).collect();
    Laid { spans, dates, legs }
}

/// The travel into each visit of a laid-out run that counts as work: the
/// journey from the visit before on the same day, where the two do not
/// overlap. Home to the first visit is not work.
fn travel_into(spans: &[(i64, i64)], dates: &[NaiveDate], legs: &[Leg]) -> Vec<i64> {
    let mut travel = vec![0i64; spans.len()];
    for i in 1..spans.len() {
        if spans[i].0 >= spans[i - 1].1 && dates[i - 1] == dates[i] {
            travel[i] = i64::from(legs[i - 1].minutes);
        }
    }
    travel
}

/// One visit of a run, as [`travel_between_visits`] needs it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Stop {
    pub id: uuid::Uuid,
    pub start: DateTime<Utc>,
    pub duration_min: u32,
    pub date: NaiveDate,
    pub location: GeoPoint,
}

/// The minutes of travel that count as work in a run of visits (any order),
/// counted as the hours rules count the week on the rota: the journey into
/// each visit from the one before on the same day, where the two do not
/// overlap. The weeks before the rota's are counted this way when they
/// change (`rota::week_travel`), for the 17-week average.
pub fn travel_between_visits(run: &[Stop], transport: Transport, travel: &TravelSettings) -> u32 {
    let mut run = run.to_vec();
    run.sort_by_key(|s| (s.start, s.id));
    let stops = run.iter().map(|s| (s.start, s.duration_min, s.date, s.location));
    let Laid { spans, dates, legs } = laid(stops, run.len(), transport, travel);
    travel_into(&spans, &dates, &legs).iter().sum::<i64>() as u32
}

/// A carer's work in the rota's week (Monday to Sunday, London), counted as
/// the hours rules count it: the visits, and the travel between them.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct WeekWork {
    pub visiting_min: u32,
    pub travelling_min: u32,
}

impl WeekWork {
    /// The whole of it: what the contracted and maximum hours are held to.
    pub fn minutes(self) -> u32 {
        self.visiting_min + self.travelling_min
    }
}

/// The carer's work in the week from their `run` (the visits they are
/// allocated to, in any order).
pub fn week_work(facts: &RotaFacts, carer_facts: &CarerFacts, run: &[&VisitFacts]) -> WeekWork {
    let mut run = run.to_vec();
    run.sort_by_key(|v| (v.start, v.id));
    let Laid { spans, dates, legs } = lay_out(facts, carer_facts, &run);
    let travel = travel_into(&spans, &dates, &legs);
    let week = facts.week_start..=facts.week_end();
    let mut work = WeekWork::default();
    for (i, visit) in run.iter().enumerate().filter(|(i, _)| week.contains(&dates[*i])) {
        work.visiting_min += visit.duration_min;
        work.travelling_min += travel[i] as u32;
    }
    work
}

/// Checks the carer's run of visits (`run`: the visits they are allocated
/// to), with `also` added as if allocated. Findings in `known` (by rule
/// and visits) are left out. With them, the carer's minutes of work in the
/// week as the hours rules counted them (visits and the travel between):
/// what [`week_work`] gives for the same run.
pub fn check(
    facts: &RotaFacts,
    carer_facts: &CarerFacts,
    run: &[&VisitFacts],
    also: Option<&VisitFacts>,
    known: &[Finding],
) -> (Vec<Finding>, i64) {
    let carer = &carer_facts.carer;
    let name = &carer_facts.name;
    let mut run: Vec<&VisitFacts> = run.to_vec();
    if let Some(extra) = also.filter(|e| !run.iter().any(|v| v.id == e.id)) {
        run.push(extra);
    }
    run.sort_by_key(|v| (v.start, v.id));
    // Worked out once: every rule below asks for them again and again.
    let Laid { spans, dates, legs } = lay_out(facts, carer_facts, &run);
    let week = facts.week_start..=facts.week_end();
    let in_week = |i: usize| week.contains(&dates[i]);
    let mut out = Found { found: Vec::new(), known, carer: carer.id };

    // Double booking: every pair that overlaps, not only neighbours.
    for (i, first) in run.iter().enumerate() {
        let first_end = spans[i].1;
        for (j, second) in run.iter().enumerate().skip(i + 1).take_while(|(j, _)| spans[*j].0 < first_end) {
            if in_week(i) || in_week(j) {
                out.add(RuleId::Overlap, [first.id, second.id], |f| overlap_message(f, &name, first, second));
            }
        }
    }

    // Travel between each visit and the next one that does not overlap it.
    let travel_into = travel_into(&spans, &dates, &legs);
    for i in 1..run.len() {
        let (prev, next, leg) = (run[i - 1], run[i], &legs[i - 1]);
        if spans[i].0 < spans[i - 1].1 {
            continue;
        }
        let gap = minutes(spans[i].0 - spans[i - 1].1);
        if gap < i64::from(leg.minutes) && (in_week(i - 1) || in_week(i)) {
            // Written when read: a week has thousands (see `Sentence`).
            let (name, transport, (minutes, km)) = (name.clone(), carer.transport, (leg.minutes, leg.road_km));
            let (from, to) = (prev.described_later(), next.described_later());
            out.add_later(RuleId::TravelTime, [prev.id, next.id], move |f| {
                write!(
                    f,
                    "{name} needs about {} ({}, {km:.1} km) from {from} to {to}, but has {}",
                    hm(i64::from(minutes)),
                    transport.label().to_lowercase(),
                    hm(gap.max(0))
                )
            });
        }
    }

    // The journey to work: the first visit of each day, from home. The
    // agency says how far is too far (`TravelSettings::longest_from_home_min`).
    let home = GeoPoint { lat: carer.home_lat, lon: carer.home_lon };
    let limit = facts.travel.longest_from_home_min;
    for i in (0..run.len()).filter(|&i| in_week(i) && (i == 0 || dates[i - 1] != dates[i])) {
        let leg = estimate(home, run[i].location, carer.transport, &facts.travel);
        if leg.minutes > limit {
            out.add(RuleId::FarFromHome, [run[i].id], |f| {
                write!(
                    f,
                    "{name} would travel about {} ({}, {:.1} km) from home to {}, the first visit of the day; \
                     the agency warns over {}",
                    hm(i64::from(leg.minutes)),
                    carer.transport.label().to_lowercase(),
                    leg.road_km,
                    run[i].described(),
                    hm(i64::from(limit))
                )
            });
        }
    }

    // 11 consecutive hours' rest in every 24 hours: the windows that matter
    // start when a visit starts. Reported once per day. A window from the
    // day before the week counts too where the week's own visits cut its
    // rest short (an early Monday after a late Sunday), so that giving the
    // Monday is checked; the week before reports the rest of that day.
    let mut rest_days: Vec<NaiveDate> = Vec::new();
    let nights = rests_of_at_least(&spans, 11 * HOUR);
    let before_week: Vec<(i64, i64)> =
        (0..run.len()).filter(|&i| dates[i] < facts.week_start).map(|i| spans[i]).collect();
    for (i, visit) in run.iter().enumerate().filter(|(i, _)| in_week(*i) || dates[*i] < facts.week_start) {
        let (from, until) = (spans[i].0, spans[i].0 + DAY);
        if rest_days.contains(&dates[i]) || has_rest(&nights, from, until, 11 * HOUR) {
            continue;
        }
        let edge = !in_week(i);
        if edge && longest_rest(&before_week, from, until) < 11 * HOUR {
            continue;
        }
        rest_days.push(dates[i]);
        let rest = longest_rest(&spans, from, until);
        let mut ids = vec![visit.id];
        if edge {
            ids.extend((0..run.len()).filter(|&j| in_week(j) && spans[j].0 < until).map(|j| run[j].id));
        }
        let (name, start) = (name.clone(), visit.start);
        out.add_later(RuleId::DailyRest11h, ids, move |f| {
            write!(
                f,
                "{name} has at most {} rest in the 24 hours from {}: the Working Time Regulations require 11 consecutive hours",
                hm(minutes(rest)),
                LondonMoment(start)
            )
        });
    }

    let week_ids: Vec<uuid::Uuid> = run.iter().enumerate().filter(|(i, _)| in_week(*i)).map(|(_, v)| v.id).collect();
    // 24 hours' uninterrupted rest in each week. The regulations' week is
    // the calendar one, from midnight between Sunday and Monday (WTR reg. 2
    // and 11(6)), so twelve days on with a day off at either end is lawful:
    // a rolling 7 days would warn of it, and could not be checked across
    // the rota week's start without the days before it. Or, as the agency
    // chooses, 48 hours or two rests of 24 in each fortnight (`weekly_rest`).
    let (opens, closes) =
        (london_midnight(facts.week_start), london_midnight(facts.week_end() + chrono::Duration::days(1)));
    let shortfall = match facts.weekly_rest.fortnight_of(facts.week_start) {
        None => (!has_rest(&rests_of_at_least(&spans, DAY), opens, closes, DAY))
            .then(|| (facts.week_start, longest_rest(&spans, opens, closes))),
        Some((first, _)) => {
            let ours = week_rests((0..run.len()).filter(|&i| in_week(i)).map(|i| spans[i]));
            let weeks = match first == facts.week_start {
                true => [ours, carer_facts.other_week_rests],
                false => [carer_facts.other_week_rests, ours],
            };
            let fortnight = (london_midnight(first), london_midnight(first + chrono::Duration::days(14)));
            let (rested, longest) = fortnight_rested(weeks, fortnight.0, fortnight.1);
            (!rested).then_some((first, longest))
        }
    };
    if let Some((from, longest)) = shortfall {
        out.add(RuleId::WeeklyRest24h, week_ids.clone(), |f| {
            // The day whose visits, given to others, would most easily make
            // one: the fewest, the earliest of those.
            let (visits, lightest) = facts
                .week_start
                .iter_days()
                .take(7)
                .map(|day| (dates.iter().filter(|d| **d == day).count(), day))
                .filter(|(visits, _)| *visits > 0)
                .min()
                .unwrap_or((0, facts.week_start));
            let day = Day::<NaiveDate>;
            let (longest, s) = (hm(minutes(longest)), if visits == 1 { "" } else { "s" });
            match facts.weekly_rest {
                WeeklyRest::EachWeek => write!(
                    f,
                    "{name} has no 24 hours off in the week {} to {}, at most {longest} in a row \
                     (the Working Time Regulations' weekly rest); the lightest day is {}, with {visits} visit{s}",
                    day(from),
                    day(facts.week_end()),
                    day(lightest),
                ),
                WeeklyRest::EachFortnight { .. } => write!(
                    f,
                    "{name} has neither 48 hours off nor two rests of 24 hours in the fortnight {} to {}, \
                     at most {longest} in a row (the Working Time Regulations' weekly rest, taken over a fortnight \
                     as the agency has chosen); the lightest day this week is {}, with {visits} visit{s}",
                    day(from),
                    day(from + chrono::Duration::days(13)),
                    day(lightest),
                ),
            }
        });
    }

    // Each day: over 6 hours' work needs a 20-minute break (time between
    // visits, less the travel, of at least 20 minutes).
    let mut week_minutes: i64 = 0;
    // The run is in time order, so each day's visits are next to each other.
    let mut first = 0;
    while first < run.len() {
        let date = dates[first];
        let next_day = first + dates[first..].iter().take_while(|d| **d == date).count();
        let (today, day) = (&run[first..next_day], first..next_day);
        first = next_day;
        if !week.contains(&date) {
            continue;
        }
        let visiting: i64 = today.iter().map(|v| i64::from(v.duration_min)).sum();
        let working = visiting + day.clone().map(|i| travel_into[i]).sum::<i64>();
        week_minutes += working;
        let has_break =
            day.skip(1).any(|i| minutes(spans[i].0 - spans[i - 1].1) - i64::from(legs[i - 1].minutes) >= 20);
        if working > 6 * 60 && !has_break {
            out.add(RuleId::Break20m, today.iter().map(|v| v.id).collect::<Vec<_>>(), |f| {
                write!(f, "{name} works {} on {} with no 20-minute break between visits", hm(working), Day(date))
            });
        }
    }

    let max = (carer.max_hours * 60.0).round() as i64;
    let contracted = (carer.contracted_hours * 60.0).round() as i64;
    if week_minutes > max {
        out.add(RuleId::MaximumHours, week_ids.clone(), |f| {
            write!(f, "{name} works {} this week, over the maximum of {}", hm(week_minutes), hm(max))
        });
    } else if week_minutes > contracted {
        out.add(RuleId::ContractedHours, week_ids.clone(), |f| {
            write!(f, "{name} works {} this week, over the contracted {}", hm(week_minutes), hm(contracted))
        });
    }
    // A carer who started less than 17 weeks ago has no work before then
    // to count, nor has an agency whose records begin since: the average is
    // over the weeks since, or from the first week whose hours before
    // Caredesk were entered.
    let known = known_from(facts.records_from, carer_facts.hours_before_from);
    let period = reference_period(carer.started_on, known, facts.week_start);
    let average = (i64::from(carer_facts.earlier_16_weeks_minutes) + week_minutes) / period.weeks;
    if !carer.wtr_opt_out && average > AVERAGE_LIMIT_MIN {
        out.add(RuleId::WeeklyAverage48h, week_ids, |f| {
            let (started, from) = (Date(carer.started_on), Date(period.from));
            let over = match (period.kind, period.weeks) {
                (PeriodKind::SeventeenWeeks, _) => "over 17 weeks".to_string(),
                (PeriodKind::SinceStarting, 1) => format!("in the week since starting on {started}"),
                (PeriodKind::SinceStarting, n) => format!("over the {n} weeks since starting on {started}"),
                (PeriodKind::SinceRecords, 1) => format!("in the week of {from}, the first Caredesk has records for"),
                (PeriodKind::SinceRecords, n) => format!("over the {n} weeks Caredesk has records for, from {from}"),
            };
            write!(f, "{name} averages {} a week {over}, over the 48-hour limit, and has not opted out", hm(average))
        });
    }
    (out.found, week_minutes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};

    /// A random run in start order: visits of 5 minutes to 6 hours, some
    /// overlapping, with gaps from none to two days.
    fn random_spans(rng: &mut rand_chacha::ChaCha8Rng) -> Vec<(i64, i64)> {
        let mut at = 0;
        let mut spans: Vec<(i64, i64)> = (0..rng.random_range(0..30))
            .map(|_| {
                at += rng.random_range(-2 * HOUR..2 * DAY);
                (at, at + rng.random_range(5 * 60..6 * HOUR))
            })
            .collect();
        spans.sort();
        spans
    }

    #[test]
    fn the_long_rests_answer_as_walking_the_run_does() {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(11);
        let (mut with_rest, mut without) = (0, 0);
        for _ in 0..2_000 {
            let spans = random_spans(&mut rng);
            for at_least in [11 * HOUR, DAY] {
                let rests = rests_of_at_least(&spans, at_least);
                for from in spans.iter().map(|s| s.0).chain([-DAY, 3 * DAY]) {
                    for until in [from + DAY, from + 7 * DAY] {
                        let walked = longest_rest(&spans, from, until) >= at_least;
                        assert_eq!(has_rest(&rests, from, until, at_least), walked, "{spans:?} {from}..{until}");
                        match walked {
                            true => with_rest += 1,
                            false => without += 1,
                        }
                    }
                }
            }
        }
        assert!(with_rest > 1_000 && without > 1_000, "both answers were tried: {with_rest} and {without}");
    }

    #[test]
    fn a_week_of_long_days_has_no_day_off_and_a_free_sunday_is_one() {
        // 07:00 to 22:00 every day for a week: 9 hours' rest each night.
        let days: Vec<(i64, i64)> = (0..7).map(|d| (d * DAY + 7 * HOUR, d * DAY + 22 * HOUR)).collect();
        assert_eq!(longest_rest(&days, 7 * HOUR, 7 * HOUR + 7 * DAY), 9 * HOUR);
        assert!(!has_rest(&rests_of_at_least(&days, DAY), 7 * HOUR, 7 * HOUR + 7 * DAY, DAY));
        let sunday_off = &days[..6];
        assert!(has_rest(&rests_of_at_least(sunday_off, DAY), 7 * HOUR, 7 * HOUR + 7 * DAY, DAY));
    }
}
