//! Rules over one carer's run of visits: double booking, travel between
//! visits, the Working Time Regulations' rest, breaks and 48-hour average,
//! and contracted and maximum hours. Travel between visits counts as work
//! (it is paid working time); home to the first visit does not.

use super::facts::{CarerFacts, RotaFacts, VisitFacts};
use super::{finding, Finding, RuleId};
use crate::travel::estimate;
use chrono::{DateTime, Duration, NaiveDate, Utc};

/// "1 h 05 min", "45 min", "2 h".
pub(super) fn hm(minutes: i64) -> String {
    match (minutes / 60, minutes % 60) {
        (0, m) => format!("{m} min"),
        (h, 0) => format!("{h} h"),
        (h, m) => format!("{h} h {m:02} min"),
    }
}

fn at(instant: DateTime<Utc>) -> String {
    super::facts::london_moment(instant)
}

/// The longest stretch without work inside `[from, until]`.
/// `spans` are the run's (start, end), in start order; a visit lasts at most
/// a day, so only those starting from a day before `from` can reach into it.
fn longest_rest(spans: &[(DateTime<Utc>, DateTime<Utc>)], from: DateTime<Utc>, until: DateTime<Utc>) -> Duration {
    let first = spans.partition_point(|(start, _)| *start < from - Duration::days(1));
    let mut cursor = from;
    let mut longest = Duration::zero();
    for (start, end) in spans[first..].iter().take_while(|(start, _)| *start < until).filter(|(_, end)| *end > from) {
        longest = longest.max((*start).max(from) - cursor);
        cursor = cursor.max((*end).min(until));
    }
    longest.max(until - cursor)
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
    fn add(&mut self, rule: RuleId, visit_ids: Vec<uuid::Uuid>, message: impl FnOnce() -> String) {
        if !self.known.iter().any(|f| f.rule == rule && f.visit_ids == visit_ids) {
            self.found.push(finding(rule, visit_ids, Some(self.carer), message()));
        }
    }
}

/// Checks the carer's run of visits (`run`: the visits they are allocated
/// to), with `also` added as if allocated. Findings in `known` (by rule
/// and visits) are left out.
pub fn check(
    facts: &RotaFacts,
    carer_facts: &CarerFacts,
    run: &[&VisitFacts],
    also: Option<&VisitFacts>,
    known: &[Finding],
) -> Vec<Finding> {
    let carer = &carer_facts.carer;
    let name = carer.name();
    let mut run: Vec<&VisitFacts> = run.to_vec();
    if let Some(extra) = also.filter(|e| !run.iter().any(|v| v.id == e.id)) {
        run.push(extra);
    }
    run.sort_by_key(|v| (v.start, v.id));
    // Worked out once: every rule below asks for them again and again.
    let spans: Vec<(DateTime<Utc>, DateTime<Utc>)> = run.iter().map(|v| (v.start, v.end())).collect();
    // Each visit's London date, by its place in the run.
    let dates: Vec<NaiveDate> = run.iter().map(|v| v.local_date()).collect();
    let week = facts.week_start..=facts.week_end();
    let in_week = |i: usize| week.contains(&dates[i]);
    let mut out = Found { found: Vec::new(), known, carer: carer.id };

    // Double booking: every pair that overlaps, not only neighbours.
    for (i, first) in run.iter().enumerate() {
        for (j, second) in run.iter().enumerate().skip(i + 1).take_while(|(_, v)| v.start < first.end()) {
            if in_week(i) || in_week(j) {
                out.add(RuleId::Overlap, vec![first.id, second.id], || {
                    format!("{name} is booked for {} and {}, which overlap", first.describe(), second.describe())
                });
            }
        }
    }

    // Travel between each visit and the next one that does not overlap it.
    let mut travel_minutes_by_day: std::collections::HashMap<NaiveDate, i64> = Default::default();
    for i in 1..run.len() {
        let (prev, next) = (run[i - 1], run[i]);
        if next.start < prev.end() {
            continue;
        }
        let leg = estimate(prev.location, next.location, carer.transport, &facts.travel);
        let gap = (next.start - prev.end()).num_minutes();
        if dates[i - 1] == dates[i] {
            *travel_minutes_by_day.entry(dates[i]).or_default() += i64::from(leg.minutes);
        }
        if gap < i64::from(leg.minutes) && (in_week(i - 1) || in_week(i)) {
            out.add(RuleId::TravelTime, vec![prev.id, next.id], || {
                format!(
                    "{name} needs about {} ({}, {:.1} km) from {} to {}, but has {}",
                    hm(i64::from(leg.minutes)),
                    carer.transport.label().to_lowercase(),
                    leg.road_km,
                    prev.describe(),
                    next.describe(),
                    hm(gap.max(0))
                )
            });
        }
    }

    // 11 consecutive hours' rest in every 24 hours: the windows that matter
    // start when a visit starts. Reported once per day.
    let mut rest_days: Vec<NaiveDate> = Vec::new();
    for (i, visit) in run.iter().enumerate().filter(|(i, _)| in_week(*i)) {
        let rest = longest_rest(&spans, visit.start, visit.start + Duration::hours(24));
        if rest < Duration::hours(11) && !rest_days.contains(&dates[i]) {
            rest_days.push(dates[i]);
            out.add(RuleId::DailyRest11h, vec![visit.id], || format!(
                    "{name} has at most {} rest in the 24 hours from {}: the Working Time Regulations require 11 consecutive hours",
                    hm(rest.num_minutes()),
                    at(visit.start)
                ));
        }
    }

    // 24 hours' uninterrupted rest in every 7 days (reported once a week).
    if let Some((_, visit)) = run
        .iter()
        .enumerate()
        .filter(|(i, _)| in_week(*i))
        .find(|(_, visit)| longest_rest(&spans, visit.start, visit.start + Duration::days(7)) < Duration::hours(24))
    {
        out.add(RuleId::WeeklyRest24h, vec![visit.id], || {
            format!(
                "{name} has no 24 hours off in the 7 days from {} (the Working Time Regulations' weekly rest)",
                at(visit.start)
            )
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
        let today = &run[first..next_day];
        first = next_day;
        if !week.contains(&date) {
            continue;
        }
        let visiting: i64 = today.iter().map(|v| i64::from(v.duration_min)).sum();
        let working = visiting + travel_minutes_by_day.get(&date).copied().unwrap_or(0);
        week_minutes += working;
        let has_break = today.windows(2).any(|p| {
            let leg = estimate(p[0].location, p[1].location, carer.transport, &facts.travel);
            (p[1].start - p[0].end()).num_minutes() - i64::from(leg.minutes) >= 20
        });
        if working > 6 * 60 && !has_break {
            out.add(RuleId::Break20m, today.iter().map(|v| v.id).collect(), || {
                format!(
                    "{name} works {} on {} with no 20-minute break between visits",
                    hm(working),
                    date.format("%a %-d %b")
                )
            });
        }
    }

    let week_ids: Vec<uuid::Uuid> = run.iter().enumerate().filter(|(i, _)| in_week(*i)).map(|(_, v)| v.id).collect();
    let max = (carer.max_hours * 60.0).round() as i64;
    let contracted = (carer.contracted_hours * 60.0).round() as i64;
    if week_minutes > max {
        out.add(RuleId::MaximumHours, week_ids.clone(), || {
            format!("{name} works {} this week, over the maximum of {}", hm(week_minutes), hm(max))
        });
    } else if week_minutes > contracted {
        out.add(RuleId::ContractedHours, week_ids.clone(), || {
            format!("{name} works {} this week, over the contracted {}", hm(week_minutes), hm(contracted))
        });
    }
    let average = (i64::from(carer_facts.earlier_16_weeks_minutes) + week_minutes) / 17;
    if !carer.wtr_opt_out && average > 48 * 60 {
        out.add(RuleId::WeeklyAverage48h, week_ids, || {
            format!(
                "{name} averages {} a week over 17 weeks, over the 48-hour limit, and has not opted out",
                hm(average)
            )
        });
    }
    out.found
}
