//! The rota rules (product brief §2): given visits, who is allocated to
//! them, and what is known of carers and clients, say what is wrong and why.
//!
//! Pure: plain values in, findings out; no database, no clock. Each finding
//! names its rule, whether it blocks or warns, the records involved, and a
//! sentence a coordinator understands.

mod carer_fit;
mod checked;
pub mod continuity;
mod facts;
pub mod replace;
mod risk;
mod sentence;
mod timeline;
mod visit_ids;
pub mod weekly_rest;

pub use carer_fit::blocking_rule;
pub use checked::Checked;
pub use continuity::{continuity, CarerVisits, Continuity};
pub use facts::{london_moment, CarerFacts, ClientFacts, ClientSummary, RotaFacts, SkillNames, VisitFacts};
pub use replace::{added_travel, replacements, AddedTravel, Ranked, Replacement, RunIndex};
pub use sentence::Sentence;
pub use timeline::{travel_between_visits, week_work, Stop, WeekWork};
pub use visit_ids::VisitIds;

use crate::ids::IdMap;

/// Each carer's allocated visits in the week's order, found in one pass
/// over the week.
pub fn runs(facts: &RotaFacts) -> IdMap<Vec<&VisitFacts>> {
    let mut runs: IdMap<Vec<&VisitFacts>> = IdMap::default();
    for visit in &facts.visits {
        for carer in &visit.carers {
            runs.entry(*carer).or_default().push(visit);
        }
    }
    runs
}

/// The runs of `carers` alone, each in the week's order (empty for one with
/// no visits), in one pass over the week: after a change reaches a few.
pub fn runs_of<'f>(facts: &'f RotaFacts, carers: &[Uuid]) -> IdMap<Vec<&'f VisitFacts>> {
    let mut runs: IdMap<Vec<&VisitFacts>> = carers.iter().map(|id| (*id, Vec::new())).collect();
    for visit in &facts.visits {
        for carer in &visit.carers {
            if let Some(run) = runs.get_mut(carer) {
                run.push(visit);
            }
        }
    }
    runs
}

use crate::people::common::text_enum;
use serde::Serialize;
use ts_rs::TS;
use uuid::Uuid;

text_enum!(
    /// Every rule the rota checks.
    RuleId {
        Overlap = "overlap": "Double booked",
        TravelTime = "travel_time": "Not enough travel time",
        FarFromHome = "far_from_home": "Far from home",
        OutsideAvailability = "outside_availability": "Outside availability",
        Absent = "absent": "On leave or sick",
        NotEmployed = "not_employed": "Not working here that day",
        SkillMissing = "skill_missing": "Skill missing",
        SkillExpired = "skill_expired": "Training expired",
        DbsExpired = "dbs_expired": "DBS check expired",
        RightToWorkExpired = "right_to_work_expired": "Right to work expired",
        Excluded = "excluded": "Excluded by the client",
        GenderPreference = "gender_preference": "Gender preference not met",
        LanguagePreference = "language_preference": "Language preference not met",
        DoubleUpUnstaffed = "double_up_unstaffed": "Double-up not fully staffed",
        WeeklyAverage48h = "wtr_48h_average": "Over 48 hours a week on average",
        DailyRest11h = "wtr_daily_rest": "Less than 11 hours' rest",
        WeeklyRest24h = "wtr_weekly_rest": "No 24 hours off in the week",
        Break20m = "wtr_break": "No 20-minute break",
        ShortVisit = "nice_short_visit": "Visit under 30 minutes",
        ContractedHours = "contracted_hours": "Over contracted hours",
        MaximumHours = "maximum_hours": "Over maximum hours",
        RiskDoubleUp = "risk_double_up": "Risk assessment: two carers needed",
        RiskLateVisit = "risk_late_visit": "Risk assessment: too late in the day",
        RiskDarkness = "risk_darkness": "Risk assessment: in darkness",
        RiskCarerGender = "risk_carer_gender": "Risk assessment: carer's gender",
        RiskNewStarter = "risk_new_starter": "Risk assessment: new starter",
    }
);

text_enum!(Severity {
    Block = "block": "Blocks",
    Warn = "warn": "Warning",
});

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Finding {
    pub rule: RuleId,
    pub severity: Severity,
    // The visits (where there are two or more) and the sentence are shared,
    // not copied: the board files a finding under each of its visits, and
    // the huge week has 70,000.
    /// The visits involved (two for a clash or a travel gap).
    #[ts(as = "Vec<Uuid>")]
    pub visit_ids: VisitIds,
    pub carer_id: Option<Uuid>,
    /// Why, in a sentence a coordinator understands.
    #[ts(as = "String")]
    pub message: Sentence,
}

impl RuleId {
    /// Whether the rule is about a carer's whole week (their hours, their
    /// weekly rest) rather than a visit or two: such a finding names every
    /// visit of the week, and the board shows it on the carer's row.
    pub fn about_the_week(self) -> bool {
        matches!(
            self,
            RuleId::MaximumHours | RuleId::ContractedHours | RuleId::WeeklyAverage48h | RuleId::WeeklyRest24h
        )
    }

    /// Whether breaking the rule stops an allocation (a manager may override
    /// later) or only warns (a coordinator may go on with a reason).
    pub fn severity(self) -> Severity {
        match self {
            RuleId::Overlap
            | RuleId::Absent
            | RuleId::NotEmployed
            | RuleId::SkillMissing
            | RuleId::SkillExpired
            | RuleId::DbsExpired
            | RuleId::RightToWorkExpired
            | RuleId::Excluded
            | RuleId::GenderPreference => Severity::Block,
            _ => Severity::Warn,
        }
    }
}

/// Who the carer is, against this visit (`carer_fit::check`), with the
/// visit's client and the skills catalogue from the facts.
fn fit(facts: &RotaFacts, visit: &VisitFacts, carer: &CarerFacts) -> Vec<Finding> {
    let mut found = Vec::new();
    fit_into(facts, visit, carer, &mut found);
    found
}

/// `fit`, its findings put at the end of `out`.
fn fit_into(facts: &RotaFacts, visit: &VisitFacts, carer: &CarerFacts, out: &mut Vec<Finding>) {
    if let Some(client) = facts.clients.get(&visit.client_id) {
        carer_fit::check(visit, carer, client, &facts.skills, out);
    }
}

/// A finding of `rule` with its usual severity. The sentence is written
/// straight into its shared string (see `written`), and the visits may be
/// an array: a week's check makes 70,000 findings on the huge agency, and
/// the allocator's work for each was a quarter of it.
fn finding(
    rule: RuleId,
    visit_ids: impl Into<VisitIds>,
    carer_id: Option<Uuid>,
    message: impl std::fmt::Display,
) -> Finding {
    finding_with(rule, visit_ids, carer_id, written(message))
}

/// A finding of `rule` with its usual severity and `message`, written or
/// to be written when read (`Sentence::later`).
fn finding_with(rule: RuleId, visit_ids: impl Into<VisitIds>, carer_id: Option<Uuid>, message: Sentence) -> Finding {
    Finding { rule, severity: rule.severity(), visit_ids: visit_ids.into(), carer_id, message }
}

/// `message` written now, as a finding's sentence, with one allocation: it
/// is written into a buffer the thread keeps, then copied to its size (a
/// `String` of its own would grow by steps and then be copied anyway).
/// Should writing a sentence ever make a finding, the inner one writes its
/// own string rather than find the buffer taken.
fn written(message: impl std::fmt::Display) -> Sentence {
    use std::fmt::Write;
    thread_local! {
        static BUFFER: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
    }
    BUFFER.with(|buffer| match buffer.try_borrow_mut() {
        Ok(mut buffer) => {
            buffer.clear();
            let _ = write!(buffer, "{message}");
            Sentence::from(buffer.as_str())
        }
        Err(_) => Sentence::from(message.to_string()),
    })
}

/// Words written by a closure when they are asked for, for findings that
/// may turn out to be known already (see `timeline::Found`).
struct Words<F>(F);

impl<F: Fn(&mut std::fmt::Formatter<'_>) -> std::fmt::Result> std::fmt::Display for Words<F> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        (self.0)(f)
    }
}

/// Every finding on the rota: each allocated carer's fit for each visit,
/// each carer's timeline (clashes, travel, rest, hours), and each visit;
/// visits' findings in the week's order, then the carers' (see `Checked`,
/// which the kept week holds so as to check part of it again).
pub fn check_rota(facts: &RotaFacts) -> Vec<Finding> {
    Checked::new(facts).into_all()
}

/// A visit's own findings, put at the end of `out`: its rules, and each
/// allocated carer's fit for it.
fn visit_part(facts: &RotaFacts, visit: &VisitFacts, out: &mut Vec<Finding>) {
    out.extend(visit_rules(visit));
    for carer in visit.carers.iter().filter_map(|id| facts.carers.get(id)) {
        fit_into(facts, visit, carer, out);
    }
}

/// A carer's run's findings: clashes, travel, rest and hours over `run`,
/// their visits in the week's order.
fn run_part(facts: &RotaFacts, carer: &CarerFacts, run: &[&VisitFacts]) -> Vec<Finding> {
    timeline::check(facts, carer, run, None, &[]).0
}

/// What would be wrong if `carer_id` also did `visit_id`: the findings that
/// allocation adds, for the allocation dialog and candidate ranking.
pub fn check_allocation(facts: &RotaFacts, visit_id: Uuid, carer_id: Uuid) -> Vec<Finding> {
    match facts.visits.iter().find(|v| v.id == visit_id) {
        Some(visit) => check_allocation_as(facts, visit, carer_id),
        None => Vec::new(),
    }
}

/// `check_allocation` against the carer's `run` as given: their other
/// visits of the week, in the week's order. For checking many allocations
/// in turn, each carer's run kept by the caller rather than found among
/// every visit of the week each time.
pub fn check_allocation_in(facts: &RotaFacts, visit: &VisitFacts, carer_id: Uuid, run: &[&VisitFacts]) -> Vec<Finding> {
    allocation_findings(facts, visit, carer_id, run)
}

/// `check_allocation` for the visit as given (moved to a new time, say),
/// the carer's run read without the stored copy of it.
pub fn check_allocation_as(facts: &RotaFacts, visit: &VisitFacts, carer_id: Uuid) -> Vec<Finding> {
    let run: Vec<&VisitFacts> =
        facts.visits.iter().filter(|v| v.id != visit.id && v.carers.contains(&carer_id)).collect();
    allocation_findings(facts, visit, carer_id, &run)
}

/// What would be wrong with `edited` (a visit of the week with a new time,
/// length or number of carers): for each carer on it, what doing the visit
/// as edited adds to their run, and the visit's own NICE rule.
pub fn check_visit_change(facts: &RotaFacts, edited: &VisitFacts) -> Vec<Finding> {
    let mut findings: Vec<Finding> = visit_rules(edited).into_iter().filter(|f| f.rule == RuleId::ShortVisit).collect();
    for carer_id in &edited.carers {
        let run: Vec<&VisitFacts> =
            facts.visits.iter().filter(|v| v.id != edited.id && v.carers.contains(carer_id)).collect();
        findings.extend(allocation_findings(facts, edited, *carer_id, &run));
    }
    findings
}

/// `check_allocation` for every carer at once, sharing one pass over the
/// week: (carer, findings) for each carer not already on the visit; for a
/// carer the rules rule out, the blocks alone (see `weigh`).
/// `known` holds, by carer, findings already made over the week as it
/// stands (`check_rota`'s): where a carer's run is the same one they were
/// made from, they stand for the run without the visit and are not made
/// again, which halves the work.
pub fn rank_carers(
    facts: &RotaFacts,
    index: &RunIndex,
    visit_id: Uuid,
    known: &IdMap<Vec<Finding>>,
) -> Vec<(Uuid, Vec<Finding>)> {
    use rayon::prelude::*;
    let Some(visit) = index.visit(facts, visit_id) else { return Vec::new() };
    // Each carer is weighed on their own: shared across the cores.
    facts
        .carers
        .par_iter()
        .map(|(id, _)| id)
        .filter(|id| !visit.carers.contains(id))
        .map(|id| {
            let before = known.get(id).map_or(&[][..], Vec::as_slice);
            (*id, weigh(facts, index, visit, *id, before))
        })
        .collect()
}

/// One carer for the candidate list: a carer the rules rule out (who they
/// are, or a clash) is given the blocks alone, since that is all the list
/// says of them and allocating checks everything again; anyone else, what
/// `check_allocation` would find. A third of a busy branch's carers are
/// already booked at any time, so this spares their run's other rules.
/// Their run is made only for a carer nothing blocks: whether they are busy
/// is read from the index.
fn weigh(facts: &RotaFacts, index: &RunIndex, visit: &VisitFacts, carer_id: Uuid, known: &[Finding]) -> Vec<Finding> {
    let Some(carer) = facts.carers.get(&carer_id) else { return Vec::new() };
    let fit = fit(facts, visit, carer);
    let mut blocks: Vec<Finding> = fit.iter().filter(|f| f.severity == Severity::Block).cloned().collect();
    blocks.extend(timeline::clashes(facts, carer, index.clashing(facts, carer_id, visit), visit));
    if !blocks.is_empty() {
        return blocks;
    }
    let mut findings = fit;
    findings.extend(run_adds(facts, carer, visit, &index.run(facts, carer_id), Some(known)).0);
    findings
}

fn allocation_findings(facts: &RotaFacts, visit: &VisitFacts, carer_id: Uuid, run: &[&VisitFacts]) -> Vec<Finding> {
    let Some(carer) = facts.carers.get(&carer_id) else { return Vec::new() };
    allocation_adds(facts, carer, visit, run, None).0
}

/// Everything giving `visit` to `carer` would break: who they are
/// (`fit`), then what it adds to their `run` (`run_adds`), with the
/// minutes of work in the week that the hours rules counted.
fn allocation_adds(
    facts: &RotaFacts,
    carer: &CarerFacts,
    visit: &VisitFacts,
    run: &[&VisitFacts],
    known: Option<&[Finding]>,
) -> (Vec<Finding>, i64) {
    let mut findings = fit(facts, visit, carer);
    let (adds, week_minutes) = run_adds(facts, carer, visit, run, known);
    findings.extend(adds);
    (findings, week_minutes)
}

/// What doing `visit` adds to the carer's run of visits: clashes, travel,
/// rest, breaks and hours (not who the carer is: see `carer_fit`); and the
/// carer's minutes of work in the week with it, as those rules counted
/// them. With `known`, the run is in start order (a `RunIndex` run).
fn run_adds(
    facts: &RotaFacts,
    carer: &CarerFacts,
    visit: &VisitFacts,
    run: &[&VisitFacts],
    known: Option<&[Finding]>,
) -> (Vec<Finding>, i64) {
    // Only the days around the visit can change: check a run trimmed to
    // them, before and after, and keep what the allocation adds.
    // Within seven whole days either way (seconds, not chrono's instants:
    // this runs for every visit of every carer weighed).
    let at = visit.start.timestamp();
    let is_near = |v: &&VisitFacts| (v.start.timestamp() - at).abs() < 8 * 24 * 3600;
    // The run is in start order, so it is near all through when its ends are.
    let all_near = run.first().is_none_or(&is_near) && run.last().is_none_or(&is_near);
    if let Some(known) = known.filter(|_| all_near) {
        // The trimmed run is the whole run: what was found over it stands.
        return timeline::check(facts, carer, run, Some(visit), known);
    }
    // The trimmed run still holds every visit of the week of a visit in it
    // (as a visit to cover is), so the minutes are the whole week's.
    let near: Vec<&VisitFacts> = run.iter().copied().filter(is_near).collect();
    let (before, _) = timeline::check(facts, carer, &near, None, &[]);
    timeline::check(facts, carer, &near, Some(visit), &before)
}

/// NICE NG21: a visit under 30 minutes is only right for a specific short
/// task (a medication prompt, say) that the package says is one.
pub fn is_short_visit(duration_min: u32, short_task: bool) -> bool {
    duration_min < 30 && !short_task
}

/// Rules about the visit itself, whoever does it.
fn visit_rules(visit: &VisitFacts) -> Vec<Finding> {
    let mut findings = Vec::new();
    if visit.carers_required == 2 && visit.carers.len() == 1 {
        findings.push(finding(
            RuleId::DoubleUpUnstaffed,
            [visit.id],
            None,
            format_args!("{} needs two carers and has one", visit.described()),
        ));
    }
    if is_short_visit(visit.duration_min, visit.short_task) {
        findings.push(finding(
            RuleId::ShortVisit,
            [visit.id],
            None,
            format_args!(
                "{} is {} minutes: NICE NG21 says under 30 minutes only for a specific short task; mark the package as one or lengthen it",
                visit.described(),
                visit.duration_min
            ),
        ));
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::written;

    /// A sentence whose writing makes another sentence first.
    struct Nested;

    impl std::fmt::Display for Nested {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            let inner = written("the inner one");
            write!(f, "the outer one, with {inner}")
        }
    }

    #[test]
    fn a_sentence_written_while_another_is_being_written_keeps_both_whole() {
        assert_eq!(written(Nested).to_string(), "the outer one, with the inner one");
        assert_eq!(
            written(format_args!("{} {}", "and", "the next")).to_string(),
            "and the next",
            "the buffer is free again"
        );
    }
}
