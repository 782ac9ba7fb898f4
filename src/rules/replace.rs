//! Who could take a visit over (product brief §6): every carer the rules
//! allow, ranked, each with the reasons behind the rank — free in the
//! window with travel either side, skills, continuity with the client,
//! extra travel, hours this week — and, when nobody fits at the planned
//! time, a time within the visit's window that would make someone fit.
//!
//! Pure: the caller gathers the week's facts. Carers a rule blocks never
//! appear; what blocked them is counted, so "none fits" can say why.

use super::facts::{london_moment, CarerFacts, RotaFacts, VisitFacts};
use super::timeline::{self, hm};
use super::{allocation_adds, carer_fit, Finding, RuleId};
use crate::ids::IdMap;
use crate::travel::{estimate, GeoPoint};
use chrono::{DateTime, Duration, Utc};
use serde::Serialize;
use std::collections::HashMap;
use ts_rs::TS;
use uuid::Uuid;

/// Each carer's allocated visits (places in `facts.visits`, in time order)
/// and each visit's place: worked out once per week, not per question.
#[derive(Debug, Default)]
pub struct RunIndex {
    runs: IdMap<Vec<Stint>>,
    by_id: IdMap<usize>,
}

/// One visit of a carer's run: its (start, end) in seconds since 1970 kept
/// beside its place, so asking whether a carer is busy at a time reads
/// these few numbers and not the visits, which lie all over the week.
#[derive(Debug, Clone, Copy)]
struct Stint {
    start: i64,
    end: i64,
    at: usize,
}

impl RunIndex {
    pub fn new(facts: &RotaFacts) -> Self {
        let mut index = RunIndex::default();
        for (at, visit) in facts.visits.iter().enumerate() {
            index.by_id.insert(visit.id, at);
            let (start, end) = timeline::span(visit.start, visit.duration_min);
            for carer in &visit.carers {
                index.runs.entry(*carer).or_default().push(Stint { start, end, at });
            }
        }
        for run in index.runs.values_mut() {
            run.sort_by_key(|s| s.start);
        }
        index
    }

    pub fn visit<'f>(&self, facts: &'f RotaFacts, id: Uuid) -> Option<&'f VisitFacts> {
        self.by_id.get(&id).map(|i| &facts.visits[*i])
    }

    /// The carer's visits in time order.
    pub fn run<'f>(&self, facts: &'f RotaFacts, carer: Uuid) -> Vec<&'f VisitFacts> {
        self.runs.get(&carer).map_or_else(Vec::new, |run| run.iter().map(|s| &facts.visits[s.at]).collect())
    }

    /// The carer's visits other than `visit` that it overlaps, in start
    /// order, found from their times alone.
    pub fn clashing<'f>(
        &self,
        facts: &'f RotaFacts,
        carer: Uuid,
        visit: &VisitFacts,
    ) -> impl Iterator<Item = &'f VisitFacts> + use<'_, 'f> {
        let (start, end) = timeline::span(visit.start, visit.duration_min);
        let run = self.runs.get(&carer).map_or(&[][..], Vec::as_slice);
        // A visit lasts at most a day: none starting earlier can reach it.
        let from = run.partition_point(|s| s.start < start - 24 * 3600);
        let until = run.partition_point(|s| s.start < end);
        let id = visit.id;
        run[from..until].iter().filter(move |s| s.end > start).map(|s| &facts.visits[s.at]).filter(move |v| v.id != id)
    }
}

/// A carer who could take the visit over, and why they rank where they do.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Replacement {
    pub carer_id: Uuid,
    /// With their postcode when another carer has the same name.
    pub name: String,
    /// Warnings the allocation would go past (never a block).
    pub warnings: Vec<Finding>,
    /// The reasons behind the rank, in words.
    pub reasons: Vec<String>,
    /// Visits to this client in the four weeks before.
    pub earlier_visits: u32,
    /// Travel this visit adds to the carer's day, in minutes.
    pub extra_travel_min: i64,
    /// Minutes worked this week with this one, as the hours rules count
    /// them: the visits and the travel between them.
    pub week_minutes: i64,
    /// Set when the carer fits only with the visit moved to this time,
    /// inside the window the package allows.
    #[ts(type = "string | null")]
    pub moved_to: Option<DateTime<Utc>>,
}

/// What the caller knows beyond the week's facts.
pub struct Context<'a> {
    /// Findings over the week as it stands, by carer (see `rank_carers`).
    pub known: &'a IdMap<Vec<Finding>>,
    /// Visits to the client in the four weeks before, by carer.
    pub earlier_visits: &'a IdMap<u32>,
    /// Visits given to carers since the facts were read (a plan being
    /// made for a whole day): part of their runs from now on.
    pub added: &'a IdMap<Vec<VisitFacts>>,
    /// How far the visit may move either way, in minutes.
    pub flex_min: u32,
    /// How many of the best are wanted: the rest are counted, not ranked.
    pub wanted: usize,
}

/// The ranked replacements and, for the carers left out, how many each
/// blocking rule stopped (for "nobody fits because …").
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Ranked {
    /// The best `wanted` (or fewer when fewer fit), best first.
    pub fits: Vec<Replacement>,
    /// How many carers fit in all.
    pub fitting: u32,
    pub blocked_by: Vec<(String, u32)>,
}

fn clock(at: DateTime<Utc>) -> String {
    at.with_timezone(&chrono_tz::Europe::London).format("%H:%M").to_string()
}

/// Who the carer is (absent, skills, checks, the client's wishes): the
/// first rule that blocks them from `visit` whatever else they do, if any.
/// No sentences are written here; `run_adds` and `carer_fit::check` write
/// them for the few carers who are shown.
fn who_blocks(facts: &RotaFacts, carer: &CarerFacts, visit: &VisitFacts) -> Option<RuleId> {
    let client = facts.clients.get(&visit.client_id)?;
    carer_fit::blocking_rule(visit, carer, client)
}

/// Whether the carer is busy with another visit during `visit`: one of
/// their week's, from the index (their run is not made for this), or one
/// given them since.
fn booked(index: &RunIndex, facts: &RotaFacts, carer: Uuid, visit: &VisitFacts, ctx: &Context) -> bool {
    let added = ctx.added.get(&carer).map_or(&[][..], Vec::as_slice);
    index.clashing(facts, carer, visit).next().is_some()
        || added.iter().any(|v| v.id != visit.id && v.start < visit.end() && visit.start < v.end())
}

/// The carer's visits either side of `visit` on its day: the last to end
/// before it starts and the first to start after it ends (`None`: home).
/// The run is in start order, so the visits of one London date sit together
/// and are found by halving it, not by reading the whole week's.
fn neighbours<'r>(run: &[&'r VisitFacts], visit: &VisitFacts) -> Around<'r> {
    let date = visit.local_date();
    let day = &run[run.partition_point(|v| v.local_date() < date)..run.partition_point(|v| v.local_date() <= date)];
    let (start, end) = (visit.start, visit.end());
    let before = day.iter().copied().filter(|v| v.end() <= start).max_by_key(|v| v.end());
    let after = day.iter().copied().filter(|v| v.start >= end).min_by_key(|v| v.start);
    (before, after)
}

/// A visit's neighbours in a carer's day (see [`neighbours`]).
type Around<'r> = (Option<&'r VisitFacts>, Option<&'r VisitFacts>);

/// Minutes of travel `visit` adds to the carer's day: from before (their
/// last visit that day, or home) to the visit and on to what is next,
/// less the leg they would have driven anyway.
/// `around`: its [`neighbours`] in the carer's run.
fn extra_travel(facts: &RotaFacts, carer: &CarerFacts, (before, after): Around, visit: &VisitFacts) -> i64 {
    let home = GeoPoint { lat: carer.carer.home_lat, lon: carer.carer.home_lon };
    let leg = |a: GeoPoint, b: GeoPoint| i64::from(estimate(a, b, carer.carer.transport, &facts.travel).minutes);
    let (from, to) = (before.map_or(home, |v| v.location), after.map_or(home, |v| v.location));
    (leg(from, visit.location) + leg(visit.location, to) - leg(from, to)).max(0)
}

/// The travel a visit adds to a carer's day: from their last visit before
/// it that day (or home) to the client, and on to their next (or home).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct AddedTravel {
    pub minutes: u32,
    /// They have no other visit that day: the minutes are from home to the
    /// client and back.
    pub from_home_and_back: bool,
}

/// What `visit` adds to the travel of the carer whose visits are `run`.
pub fn added_travel(facts: &RotaFacts, carer: &CarerFacts, run: &[&VisitFacts], visit: &VisitFacts) -> AddedTravel {
    let around = neighbours(run, visit);
    AddedTravel {
        minutes: u32::try_from(extra_travel(facts, carer, around, visit)).unwrap_or(u32::MAX),
        from_home_and_back: matches!(around, (None, None)),
    }
}

/// `checked`: the warnings doing `visit` adds, and the carer's minutes of
/// work in the week with it, as the hours rules counted them (`run_adds`).
fn describe_fit(
    facts: &RotaFacts,
    carer: &CarerFacts,
    run: &[&VisitFacts],
    visit: &VisitFacts,
    (warnings, week_minutes): (Vec<Finding>, i64),
    ctx: &Context,
) -> Replacement {
    let around @ (before, after) = neighbours(run, visit);
    let extra_travel_min = extra_travel(facts, carer, around, visit);

    let mut reasons = Vec::new();
    reasons.push(match (before, after) {
        (Some(b), Some(a)) => format!("Free {}–{} between visits", clock(b.end()), clock(a.start)),
        (Some(b), None) => format!("Free after {} (last visit that day)", clock(b.end())),
        (None, Some(a)) => format!("Free until {} (first visit that day)", clock(a.start)),
        (None, None) => "No other visits that day".to_string(),
    });
    if !visit.required_skills.is_empty() {
        let names: Vec<&str> = visit.required_skills.iter().map(|code| facts.skills.of(code)).collect();
        reasons.push(format!("Has {}", names.join(", ")));
    }
    let client = facts.clients.get(&visit.client_id).map_or_else(|| "the client".into(), |c| c.client.full_name());
    let earlier_visits = ctx.earlier_visits.get(&carer.carer.id).copied().unwrap_or(0);
    reasons.push(match earlier_visits {
        0 => format!("Has not visited {client} in the last 4 weeks"),
        1 => format!("Visited {client} once in the last 4 weeks"),
        n => format!("Visited {client} {n} times in the last 4 weeks"),
    });
    reasons.push(format!("{} extra travel", hm(extra_travel_min)));
    reasons.push(format!(
        "{} worked this week with this one, travel between visits included (contracted {})",
        hm(week_minutes),
        hm((carer.carer.contracted_hours * 60.0).round() as i64)
    ));
    Replacement {
        carer_id: carer.carer.id,
        name: carer.name.to_string(),
        warnings,
        reasons,
        earlier_visits,
        extra_travel_min,
        week_minutes,
        moved_to: None,
    }
}

/// The carer's run with what the plan has given them since.
fn run_with_added<'f>(index: &RunIndex, facts: &'f RotaFacts, carer: Uuid, ctx: &'f Context) -> Vec<&'f VisitFacts> {
    let mut run = index.run(facts, carer);
    if let Some(added) = ctx.added.get(&carer) {
        run.extend(added.iter());
        run.sort_by_key(|v| v.start);
    }
    run
}

/// Every carer who may take `visit` (not already on it), best first.
///
/// Blocks and clashes are cheap to find, so every carer is sorted into
/// fits and blocked. The rest of the rules (travel, rest, hours) are the
/// work, so the fits are checked in order of continuity and extra travel,
/// only until `wanted` are found with no warning at all: since the rank
/// puts fewer warnings first and then the same order, those are the best
/// there are, and checking the others could not change the top of the list.
pub fn replacements(facts: &RotaFacts, index: &RunIndex, visit: &VisitFacts, ctx: &Context) -> Ranked {
    use rayon::prelude::*;
    let mut free = Vec::new();
    let mut blocked: HashMap<RuleId, u32> = HashMap::new();
    let mut clashing: Vec<Uuid> = Vec::new();
    // Whether each carer is blocked (`block`), weighed on all the cores;
    // then counted. A carer ruled out by who they are needs no run made.
    // Those free are ordered there too, travel and all.
    let weighed: Vec<_> = facts
        .carers
        .par_iter()
        .filter(|(id, _)| !visit.carers.contains(id))
        .map(|(id, carer)| {
            if let Some(rule) = who_blocks(facts, carer, visit) {
                return (id, carer, Err(rule));
            }
            if booked(index, facts, *id, visit, ctx) {
                return (id, carer, Err(RuleId::Overlap));
            }
            let run = run_with_added(index, facts, *id, ctx);
            let earlier = ctx.earlier_visits.get(id).copied().unwrap_or(0);
            let order = (
                std::cmp::Reverse(earlier),
                extra_travel(facts, carer, neighbours(&run, visit), visit),
                carer.name.clone(),
            );
            (id, carer, Ok((order, run)))
        })
        .collect();
    for (id, carer, weighed) in weighed {
        match weighed {
            Ok((order, run)) => free.push((order, carer, run)),
            Err(rule) => {
                *blocked.entry(rule).or_default() += 1;
                if rule == RuleId::Overlap {
                    clashing.push(*id);
                }
            }
        }
    }
    let fitting = free.len() as u32;
    free.sort_by(|a, b| a.0.cmp(&b.0));
    // What each carer checked would break, by their place in `free`.
    let mut checked: Vec<(usize, (Vec<Finding>, i64))> = Vec::new();
    let mut clean = 0;
    // Checked on all the cores a batch at a time, each batch twice the last,
    // then taken in order until `wanted` are clean: the same list as checking
    // them one by one. On a busy week most carers have a warning, and this
    // was most of a sick carer's day on one core.
    let mut next = 0;
    let mut batch = ctx.wanted.max(1);
    while clean < ctx.wanted && next < free.len() {
        let now = next..(next + batch).min(free.len());
        let adds: Vec<(Vec<Finding>, i64)> = free[now.clone()]
            .par_iter()
            .map(|(_, carer, run)| {
                let id = carer.carer.id;
                // Known findings stand for the run only when nothing was added to it.
                let known = (!ctx.added.contains_key(&id)).then(|| ctx.known.get(&id).map_or(&[][..], Vec::as_slice));
                // Only warnings: no rule blocks this carer.
                allocation_adds(facts, carer, visit, run, known)
            })
            .collect();
        for (at, adds) in now.clone().zip(adds) {
            if clean >= ctx.wanted {
                break;
            }
            clean += usize::from(adds.0.is_empty());
            checked.push((at, adds));
        }
        (next, batch) = (now.end, batch.saturating_mul(2));
    }
    // The best `wanted`, in the order `sort` gives, are described: the
    // reasons of the thousands of others on a busy week would not be read.
    checked.sort_by(|(a, adds_a), (b, adds_b)| (adds_a.0.len(), &free[*a].0).cmp(&(adds_b.0.len(), &free[*b].0)));
    let mut fits: Vec<Replacement> = checked
        .into_iter()
        .take(ctx.wanted)
        .map(|(at, adds)| {
            let (_, carer, run) = &free[at];
            describe_fit(facts, carer, run, visit, adds, ctx)
        })
        .collect();
    if fits.is_empty() && ctx.flex_min > 0 {
        fits.extend(moved_fits(facts, index, visit, ctx, &clashing));
    }
    sort(&mut fits);
    let mut blocked_by: Vec<(String, u32)> =
        blocked.into_iter().map(|(rule, n)| (rule.label().to_string(), n)).collect();
    blocked_by.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    Ranked { fits, fitting, blocked_by }
}

/// Best first: fewest warnings, then most earlier visits to the client
/// (continuity), then least extra travel, then by name.
fn sort(fits: &mut [Replacement]) {
    fits.sort_by(|a, b| {
        (a.moved_to.is_some(), a.warnings.len(), std::cmp::Reverse(a.earlier_visits), a.extra_travel_min, &a.name).cmp(
            &(b.moved_to.is_some(), b.warnings.len(), std::cmp::Reverse(b.earlier_visits), b.extra_travel_min, &b.name),
        )
    });
}

/// Carers who only clash: for each, the nearest time within the visit's
/// window (5-minute steps) at which they fit, if any.
fn moved_fits(
    facts: &RotaFacts,
    index: &RunIndex,
    visit: &VisitFacts,
    ctx: &Context,
    clashing: &[Uuid],
) -> Vec<Replacement> {
    let flex = i64::from(ctx.flex_min);
    let mut offsets: Vec<i64> = (1..=flex / 5).flat_map(|k| [-5 * k, 5 * k]).collect();
    offsets.sort_by_key(|o| (o.abs(), *o));
    use rayon::prelude::*;
    // Each clashing carer at the nearest time they are free (carers weighed
    // on all the cores), then checked in the same order as the fits, only
    // as many as are wanted.
    let mut free: Vec<_> = clashing
        .par_iter()
        .filter_map(|id| {
            let carer = facts.carers.get(id)?;
            let run = run_with_added(index, facts, *id, ctx);
            // Times the carer is still busy are passed over before a moved
            // copy of the visit is made and weighed: most of them are.
            let length = Duration::minutes(i64::from(visit.duration_min));
            let moved = offsets
                .iter()
                .map(|offset| visit.start + Duration::minutes(*offset))
                .filter(|start| timeline::overlapping(&run, visit.id, *start, *start + length).next().is_none())
                .map(|start| visit.moved_to(start))
                .find(|moved| who_blocks(facts, carer, moved).is_none())?;
            let earlier = ctx.earlier_visits.get(id).copied().unwrap_or(0);
            let order = (
                (moved.start - visit.start).num_minutes().abs(),
                std::cmp::Reverse(earlier),
                extra_travel(facts, carer, neighbours(&run, &moved), &moved),
                carer.name.clone(),
            );
            Some((order, carer, run, moved))
        })
        .collect();
    free.sort_by(|a, b| a.0.cmp(&b.0));
    let mut out = Vec::new();
    for (_, carer, run, moved) in free.into_iter().take(ctx.wanted) {
        let checked = allocation_adds(facts, carer, &moved, &run, None);
        let mut fit = describe_fit(facts, carer, &run, &moved, checked, ctx);
        fit.reasons.insert(
            0,
            format!("Fits if the visit moves to {} (the package allows ±{} min)", london_moment(moved.start), flex),
        );
        fit.moved_to = Some(moved.start);
        out.push(fit);
    }
    out
}
