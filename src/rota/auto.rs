//! Auto-scheduling a day: the open slots of the day's visits offered to the
//! scheduler (see `schedule::agency`), its plan checked allocation by
//! allocation with every rota rule (each check knowing the ones before),
//! and shown to the coordinator as a proposal. Anything the rules find,
//! block or warning, keeps that slot open with the reason, so what is
//! proposed adds no finding against a carer (a double-up given one of its
//! two still says it needs another). A slot kept open for warnings alone
//! offers the carer chosen, whom the coordinator may give it to with a
//! reason; as offers are ticked, each offer below them says what it comes
//! to with them given too. Nothing changes until the coordinator applies
//! it, in one write.

use super::allocate::put_carer;
use super::allocations::live_allocations;
use super::carry::carry_over_visits;
use super::follow::{figure, worth_telling};
use super::visits::load_visit;
use super::week::{cached_week, monday_of, Week};
use crate::access::Operation;
use crate::error::{Error, Result};
use crate::rules::{check_allocation_in, london_moment, rank_carers, Finding, RotaFacts, RuleId, Severity, VisitFacts};
use crate::schedule::agency::{build, Built};
use crate::schedule::{solve, Options, Progress};
use crate::store::Store;
use chrono::NaiveDate;
use chrono_tz::Europe::London;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use ts_rs::TS;
use uuid::Uuid;

/// One allocation the plan proposes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AutoChoice {
    pub visit_id: Uuid,
    pub carer_id: Uuid,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct AutoProposal {
    pub choice: AutoChoice,
    /// "Morning call for Margaret Onions".
    pub visit: String,
    /// "07:30", and "07:30 on Mon 2 Mar", London time.
    pub time: String,
    pub when: String,
    pub carer: String,
    /// Whether the client knows the carer (preferred, or visited this week).
    pub known: bool,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct AutoLeft {
    pub visit_id: Uuid,
    pub visit: String,
    pub why: String,
    /// The carer the scheduler chose, where the rules only warned of them:
    /// the coordinator may give the visit to them with a reason, recorded
    /// as an override of each warning.
    pub past_warning: Option<AutoProposal>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct AutoPlan {
    /// The first day planned, and how many.
    pub date: NaiveDate,
    pub days: u32,
    pub open_slots: u32,
    pub proposals: Vec<AutoProposal>,
    pub left: Vec<AutoLeft>,
    /// Travel the proposals add to the carers' days, in minutes.
    pub added_travel_min: u32,
    pub known_carers: u32,
    /// Carers given nothing because their day already breaks a timing rule.
    pub left_out: Vec<String>,
    pub seconds: f64,
    pub steps: u64,
}

/// How the why of a slot the rules kept open begins.
const RULES_SAY: &str = "the rules say: ";

/// A choice the rules refused, with the words of what they found.
struct Refused {
    visit_id: Uuid,
    carer_id: Uuid,
    why: String,
    /// Only warnings were found: a reason would let it through.
    warnings_only: bool,
}

/// Allocations checked one after another against a week's facts, each
/// knowing those given before it.
struct Checker<'a> {
    facts: &'a mut RotaFacts,
    at: HashMap<Uuid, usize>,
    /// Each carer's visits by place in the week, kept as choices are given:
    /// a choice is checked against its carer's run, not found among every
    /// visit of the week (a week of a large agency's choices is thousands).
    runs: HashMap<Uuid, Vec<usize>>,
}

impl<'a> Checker<'a> {
    fn new(facts: &'a mut RotaFacts) -> Self {
        let at: HashMap<Uuid, usize> = facts.visits.iter().enumerate().map(|(i, v)| (v.id, i)).collect();
        let mut runs: HashMap<Uuid, Vec<usize>> = HashMap::new();
        for (i, visit) in facts.visits.iter().enumerate() {
            for carer in &visit.carers {
                runs.entry(*carer).or_default().push(i);
            }
        }
        Checker { facts, at, runs }
    }

    /// What the rules find against `choice` as the week stands: the visit's
    /// place and the findings, or why it cannot be checked at all.
    fn check(&self, choice: &AutoChoice) -> std::result::Result<(usize, Vec<Finding>), &'static str> {
        let Some(&i) = self.at.get(&choice.visit_id) else { return Err("it is no longer planned (cancelled)") };
        if self.facts.visits[i].carers.contains(&choice.carer_id) {
            return Err("the carer already does this visit");
        }
        let run = self.runs.get(&choice.carer_id).map_or(&[][..], Vec::as_slice);
        let others: Vec<&VisitFacts> = run.iter().map(|&j| &self.facts.visits[j]).collect();
        Ok((i, check_allocation_in(self.facts, &self.facts.visits[i], choice.carer_id, &others)))
    }

    /// Gives the visit at `i` to `carer` in the week, for the checks after.
    fn give(&mut self, i: usize, carer: Uuid) {
        self.facts.visits[i].carers.push(carer);
        let run = self.runs.entry(carer).or_default();
        run.insert(run.partition_point(|&j| j < i), i);
    }
}

/// Adds each choice to a copy of the week's facts in turn, keeping those
/// the rules find nothing against, or with `past_warnings` nothing but
/// warnings (kept with them, to be recorded with the reason); the others
/// come back with the words of the first block, or of the first finding.
fn verified(
    facts: &mut RotaFacts,
    choices: Vec<AutoChoice>,
    past_warnings: bool,
) -> (Vec<(AutoChoice, Vec<Finding>)>, Vec<Refused>) {
    verified_telling(facts, choices, past_warnings, &mut || {})
}

/// [`verified`], calling `checked` after each choice.
fn verified_telling(
    facts: &mut RotaFacts,
    choices: Vec<AutoChoice>,
    past_warnings: bool,
    checked: &mut dyn FnMut(),
) -> (Vec<(AutoChoice, Vec<Finding>)>, Vec<Refused>) {
    let mut checker = Checker::new(facts);
    let (mut kept, mut refused) = (Vec::new(), Vec::new());
    for choice in choices {
        checked();
        let refuse = |why: &str, warnings_only: bool| Refused {
            visit_id: choice.visit_id,
            carer_id: choice.carer_id,
            why: why.to_string(),
            warnings_only,
        };
        let (i, findings) = match checker.check(&choice) {
            Ok(checked) => checked,
            Err(why) => {
                refused.push(refuse(why, false));
                continue;
            }
        };
        let block = findings.iter().find(|f| f.severity == Severity::Block);
        match findings.first() {
            Some(first) if block.is_some() || !past_warnings => {
                refused.push(refuse(&block.unwrap_or(first).message.to_string(), block.is_none()))
            }
            _ => {
                checker.give(i, choice.carer_id);
                kept.push((choice, findings));
            }
        }
    }
    (kept, refused)
}

/// How the search is going, for the coordinator watching it.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct AutoProgress {
    /// The day being planned (1 for the first) of how many.
    pub day: u32,
    pub days: u32,
    pub seconds: f64,
    /// Open slots the best plan so far leaves without a carer.
    pub left_open: u32,
    pub open_slots: u32,
}

/// A day made ready for the scheduler: the week as it stands and the
/// problem built from it. Made with the store; solved without it, so the
/// app stays usable while the search runs.
pub struct Prepared {
    week: Arc<Week>,
    built: Built,
    date: NaiveDate,
}

pub fn prepare(store: &Store, date: NaiveDate) -> Result<Prepared> {
    let week = cached_week(store, monday_of(date))?;
    let facts = &week.facts;
    // Who fits each open visit as the rota stands: the candidates' own
    // ranking, so the plan starts from what a coordinator would see. Far
    // from home is left to the search: whether a visit is a carer's first
    // of the day depends on the route it plans (see `schedule::agency`).
    let route_decides = |f: &[Finding]| f.iter().all(|f| f.rule == RuleId::FarFromHome);
    let mut fitting: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
    for v in facts.visits.iter().filter(|v| v.date == date && v.carers.len() < usize::from(v.carers_required)) {
        let ranked = rank_carers(facts, week.index(), v.id, week.findings_by_carer());
        fitting.insert(v.id, ranked.into_iter().filter(|(_, f)| route_decides(f)).map(|(c, _)| c).collect());
    }
    let fits = |v: &crate::rules::VisitFacts, carer: Uuid| fitting.get(&v.id).is_some_and(|f| f.contains(&carer));
    let built = build(facts, date, &fits);
    Ok(Prepared { week: week.clone(), built, date })
}

/// The longest search a coordinator may ask for, in seconds.
pub const MOST_SECONDS: f64 = 120.0;

/// The search a coordinator asked for: up to `seconds` (1 to
/// [`MOST_SECONDS`]), with a fixed seed, so the same rota and the same time
/// give much the same plan.
pub fn search_options(seconds: f64) -> Result<Options> {
    if !(1.0..=MOST_SECONDS).contains(&seconds) {
        return Err(Error::Invalid(vec![crate::error::FieldError {
            field: "seconds".into(),
            message: format!("Search for 1 to {MOST_SECONDS} seconds"),
        }]));
    }
    Ok(Options { seconds, seed: 1, max_steps: None })
}

/// The days `from`..`from + days`, each made ready; they must lie in one
/// week (Monday to Sunday), whose rules check them together.
pub fn prepare_days(store: &Store, from: NaiveDate, days: u32) -> Result<Vec<Prepared>> {
    let last = from + chrono::Duration::days(i64::from(days.max(1)) - 1);
    if days == 0 || days > 7 || monday_of(last) != monday_of(from) {
        return Err(Error::Invalid(vec![crate::error::FieldError {
            field: "days".into(),
            message: "Auto-schedule a day, or days within one week (Monday to Sunday)".into(),
        }]));
    }
    from.iter_days().take(days as usize).map(|day| prepare(store, day)).collect()
}

/// The scheduler's plan for the open slots of the days, checked; changes
/// nothing. `limit.seconds` bounds the whole search, shared among the
/// days; `limit.max_steps`, when set, bounds each day's (for a plan that
/// is the same on any machine).
pub fn auto_schedule(
    store: &Store,
    from: NaiveDate,
    days: u32,
    limit: Options,
    cancel: &AtomicBool,
    progress: &mut dyn FnMut(&AutoProgress),
) -> Result<AutoPlan> {
    Ok(propose_days(&prepare_days(store, from, days)?, limit, cancel, progress))
}

/// Plans each prepared day in turn, each day's allocations checked with
/// the rules knowing the days before. Pure.
pub fn propose_days(
    prepared: &[Prepared],
    limit: Options,
    cancel: &AtomicBool,
    progress: &mut dyn FnMut(&AutoProgress),
) -> AutoPlan {
    let mut facts = prepared[0].week.facts.clone();
    let days = prepared.len() as u32;
    let each = Options { seconds: limit.seconds / f64::from(days.max(1)), ..limit };
    let mut all: Option<AutoPlan> = None;
    for (i, day) in prepared.iter().enumerate() {
        let mut report = |p: &AutoProgress| progress(&AutoProgress { day: i as u32 + 1, days, ..p.clone() });
        let plan = propose(day, &mut facts, each, cancel, &mut report);
        all = Some(match all {
            None => AutoPlan { days, ..plan },
            Some(mut sum) => {
                sum.open_slots += plan.open_slots;
                sum.proposals.extend(plan.proposals);
                sum.left.extend(plan.left);
                sum.added_travel_min += plan.added_travel_min;
                sum.known_carers += plan.known_carers;
                sum.left_out
                    .extend(plan.left_out.into_iter().filter(|n| !sum.left_out.contains(n)).collect::<Vec<_>>());
                sum.seconds += plan.seconds;
                sum.steps += plan.steps;
                sum
            }
        });
    }
    all.expect("at least one day")
}

/// What each offer of a plan (a slot left open for a warning alone) comes
/// to with the offers above it that the coordinator has ticked, as applying
/// them would check it: the ticked proposals (`chosen`) given first, then
/// the offers in the plan's order, the time order, each ticked one given
/// before the next is checked. Five offers to one carer's contracted hours
/// add up, where each offer's own words count the plan's proposals alone.
/// For each offer, the words that follow its own; none where no offer above
/// it is ticked, or where those ticked change nothing it says.
pub fn offers_together(
    store: &Store,
    chosen: &[AutoChoice],
    offers: &[AutoChoice],
    ticked: &[bool],
) -> Result<Vec<Option<String>>> {
    let Some(first) = offers.first() else { return Ok(Vec::new()) };
    let week = cached_week(store, monday_of(load_visit(store.read(), first.visit_id)?.local_date))?;
    Ok(offers_together_in(&week.facts, chosen, offers, ticked))
}

/// [`offers_together`] in the week's facts. Pure.
fn offers_together_in(
    facts: &RotaFacts,
    chosen: &[AutoChoice],
    offers: &[AutoChoice],
    ticked: &[bool],
) -> Vec<Option<String>> {
    let mut facts = facts.clone();
    verified(&mut facts, chosen.to_vec(), true);
    let mut checker = Checker::new(&mut facts);
    // What the rules say first of a check: its block, else its first
    // warning; none when they find nothing.
    let said = |checked: &std::result::Result<(usize, Vec<Finding>), &str>| match checked {
        Err(why) => Some((true, why.to_string())),
        Ok((_, findings)) => {
            let block = findings.iter().find(|f| f.severity == Severity::Block);
            block.or(findings.first()).map(|f| (block.is_some(), f.message.to_string()))
        }
    };
    let alone: Vec<_> = offers.iter().map(|offer| said(&checker.check(offer))).collect();
    let mut any_above = false;
    let mut words = Vec::with_capacity(offers.len());
    for (k, offer) in offers.iter().enumerate() {
        let checked = checker.check(offer);
        let now = said(&checked);
        words.push(match &now {
            _ if !any_above || now == alone[k] => None,
            Some((true, why)) => Some(format!("not with the offers ticked above: {why}")),
            Some((false, message)) => Some(format!("with the offers ticked above given too: {message}")),
            // Its warning came from the same run as an offer above: given
            // with that one, it makes the run no worse.
            None => Some("given with the offers ticked above, nothing more is found against it".to_string()),
        });
        // A ticked offer the rules block here would not be given either.
        let blocked = matches!(now, Some((true, _)));
        if let (Some(true), Ok((i, _)), false) = (ticked.get(k), &checked, blocked) {
            checker.give(*i, offer.carer_id);
            any_above = true;
        }
    }
    words
}

/// Solves a prepared day and checks the plan with the rules, in `facts`
/// (the week, with what earlier days were given), adding what it keeps.
fn propose(
    prepared: &Prepared,
    facts: &mut RotaFacts,
    limit: Options,
    cancel: &AtomicBool,
    progress: &mut dyn FnMut(&AutoProgress),
) -> AutoPlan {
    let (built, date) = (&prepared.built, prepared.date);
    let open_slots = built.slots.iter().filter(|(_, open)| *open).count() as u32;
    // Fixed visits set aside (see `left_out`) count as undone too.
    let set_aside =
        built.slots.iter().zip(&built.problem.visits).filter(|((_, open), v)| !open && v.fixed.is_none()).count();
    let mut report = |p: &Progress| {
        let left_open = p.undone.saturating_sub(set_aside) as u32;
        progress(&AutoProgress { day: 1, days: 1, seconds: p.seconds, left_open, open_slots });
    };
    let outcome = solve(&built.problem, limit, cancel, &mut report);
    let problem = &built.problem;
    let before: f64 = fixed_travel(built);
    let after = outcome.evaluation.travel;
    let mut choices = Vec::new();
    let mut known = HashMap::new();
    for (r, route) in outcome.solution.routes.iter().enumerate() {
        for job in route {
            let (visit_id, open) = built.slots[job.visit];
            if open {
                choices.push((problem.visits[job.visit].window.0, AutoChoice { visit_id, carer_id: built.carers[r] }));
                known.insert((visit_id, built.carers[r]), problem.visits[job.visit].preferred.contains(&r));
            }
        }
    }
    choices.sort_by(|a, b| a.0.total_cmp(&b.0));
    let (kept, refused) = verified(facts, choices.into_iter().map(|(_, c)| c).collect(), false);
    let describe =
        |visit_id: Uuid| facts.visits.iter().find(|v| v.id == visit_id).map(|v| v.describe()).unwrap_or_default();
    let name = |carer: Uuid| facts.carers.get(&carer).map(|c| c.name.to_string()).unwrap_or_default();
    let proposal = |choice: AutoChoice| {
        let v = facts.visits.iter().find(|v| v.id == choice.visit_id)?;
        Some(AutoProposal {
            visit: v.name.to_string(),
            time: v.start.with_timezone(&London).format("%H:%M").to_string(),
            when: london_moment(v.start),
            carer: name(choice.carer_id),
            known: known.get(&(choice.visit_id, choice.carer_id)).copied().unwrap_or(false),
            choice,
        })
    };
    let proposals: Vec<AutoProposal> = kept.into_iter().filter_map(|(choice, _)| proposal(choice)).collect();
    let mut left: Vec<AutoLeft> = refused
        .into_iter()
        .map(|r| AutoLeft {
            visit_id: r.visit_id,
            visit: describe(r.visit_id),
            why: format!("{RULES_SAY}{}", r.why),
            past_warning: r
                .warnings_only
                .then(|| proposal(AutoChoice { visit_id: r.visit_id, carer_id: r.carer_id }))
                .flatten(),
        })
        .collect();
    let mut placed = vec![false; problem.visits.len()];
    for job in outcome.solution.routes.iter().flatten() {
        placed[job.visit] = true;
    }
    for (v, (visit_id, open)) in built.slots.iter().enumerate() {
        if *open && !placed[v] {
            let why = if problem.visits[v].excluded.len() == problem.carers.len() {
                "nobody available that day fits it: see who could go on the visit".to_string()
            } else {
                "no carer who fits can reach it in time around their other visits".to_string()
            };
            left.push(AutoLeft { visit_id: *visit_id, visit: describe(*visit_id), why, past_warning: None });
        }
    }
    AutoPlan {
        date,
        days: 1,
        open_slots,
        known_carers: proposals.iter().filter(|p| p.known).count() as u32,
        proposals,
        left,
        added_travel_min: (after - before).max(0.0).round() as u32,
        left_out: built.left_out.clone(),
        seconds: outcome.seconds,
        steps: outcome.steps,
    }
}

/// The travel of the fixed visits alone: the day before the plan.
fn fixed_travel(built: &Built) -> f64 {
    let plan = crate::schedule::plan::Plan::with_fixed(&built.problem);
    crate::schedule::evaluate(&built.problem, &plan.to_solution()).travel
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct AutoApplied {
    pub given: u32,
    /// Choices no longer possible (the slot was filled, or the rota changed
    /// and a rule now finds something), each with why.
    pub skipped: Vec<String>,
    /// Of those given, how many past a warning, with the reason recorded.
    pub past_warnings: u32,
}

/// Applies the chosen allocations in one write, each checked again against
/// the rota as it is now (and the choices before it). With a `reason`, a
/// choice the rules only warn of is given too (a plan's `past_warning`),
/// each warning recorded with the reason; without one it is skipped, with
/// the warning's words.
pub fn apply_auto_plan(store: &mut Store, choices: &[AutoChoice], reason: &str) -> Result<AutoApplied> {
    let (applied, _) = give_checked(store, choices, reason, &mut |_| {})?;
    if applied.given == 0 && !choices.is_empty() {
        return Err(Error::Conflict(format!("Nothing could be applied: {}", applied.skipped.join("; "))));
    }
    Ok(applied)
}

/// How giving checked choices is going, for a bar: each choice checked
/// with every rule, then each allocation written. `total` 0: not yet
/// counted (the bar waits without a length).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct GiveProgress {
    pub done: u32,
    pub total: u32,
    /// "Checking 20,000 of 58,000 carers with every rule"; "Writing 8,000
    /// of 17,000 allocations".
    pub said: String,
}

impl GiveProgress {
    fn checking(done: u32, total: u32) -> Self {
        Self { done, total, said: format!("Checking {} of {} carers with every rule", figure(done), figure(total)) }
    }

    fn writing(done: u32, total: u32) -> Self {
        Self { done, total, said: format!("Writing {} of {} allocations", figure(done), figure(total)) }
    }

    /// Tells `progress` of step `done` of `total` when it is worth it.
    fn now_and_then(done: usize, total: usize, step: fn(u32, u32) -> Self, progress: &mut dyn FnMut(Self)) {
        let (done, total) = (done as u32, total as u32);
        if worth_telling(done, total) {
            progress(step(done, total));
        }
    }
}

/// Gives each chosen carer their visit, in one write, where the rules find
/// nothing against it as the rota stands with the choices before it; the
/// others are skipped, each with why. With a `reason`, a choice the rules
/// only warn of is given too, each warning recorded with the reason as an
/// override, as allocating one by hand does (`AutoApplied::past_warnings`
/// counts those). Also returns how many choices were kept open for
/// warnings alone, for want of a reason. The kept weeks are carried over.
/// `progress` hears the choices checked, then the allocations written,
/// about a hundred times each: a huge week's take seconds.
pub(super) fn give_checked(
    store: &mut Store,
    choices: &[AutoChoice],
    reason: &str,
    progress: &mut dyn FnMut(GiveProgress),
) -> Result<(AutoApplied, u32)> {
    let reason = reason.trim();
    let choices_count = choices.len();
    let mut by_week: HashMap<NaiveDate, Vec<AutoChoice>> = HashMap::new();
    // Each choice's week: found among the kept weeks' visits by id where it
    // is one (a week given its last carers is 60,000 choices on the huge
    // agency, and reading each visit took a fifth of the time), else read.
    let mut weeks: Vec<(NaiveDate, Arc<Week>)> = Vec::new();
    for choice in choices {
        let kept = weeks.iter().find_map(|(monday, week)| {
            let visit = week.index().visit(&week.facts, choice.visit_id)?;
            (monday_of(visit.date) == *monday).then_some(*monday)
        });
        let monday = match kept {
            Some(monday) => monday,
            None => {
                let monday = monday_of(load_visit(store.read(), choice.visit_id)?.local_date);
                if !weeks.iter().any(|(kept, _)| *kept == monday) {
                    weeks.push((monday, cached_week(store, monday)?));
                }
                monday
            }
        };
        by_week.entry(monday).or_default().push(choice.clone());
    }
    // Held on to, the weeks would be copied rather than patched once written.
    drop(weeks);
    let mut plan = Vec::new();
    let mut skipped = Vec::new();
    let mut kept_open_for_warnings = 0;
    let mut checked = 0;
    for (monday, choices) in by_week {
        let week = cached_week(store, monday)?;
        let mut tick = || {
            checked += 1;
            GiveProgress::now_and_then(checked, choices_count, GiveProgress::checking, progress);
        };
        let (kept, refused) = verified_telling(&mut week.facts.clone(), choices, !reason.is_empty(), &mut tick);
        for refusal in refused {
            let visit = week.index().visit(&week.facts, refusal.visit_id);
            skipped.push(format!("{}: {}", visit.map_or("A visit".to_string(), |v| v.describe()), refusal.why));
            kept_open_for_warnings += u32::from(refusal.warnings_only);
        }
        plan.extend(kept);
    }
    let mut writes = Vec::new();
    let mut claimed: HashMap<Uuid, usize> = HashMap::new();
    for (choice, warnings) in plan {
        let visit = load_visit(store.read(), choice.visit_id)?;
        let used: Vec<u8> = live_allocations(store.read(), &visit)?.iter().map(|a| a.slot).collect();
        // A double-up's two open slots may both be in the plan.
        let before = claimed.entry(visit.id).or_default();
        let slot = (1..=visit.carers_required).filter(|s| !used.contains(s)).nth(*before);
        *before += 1;
        match slot {
            Some(slot) => writes.push((visit, slot, choice.carer_id, warnings)),
            None => skipped.push(format!("a visit at {} already has its carers", london_moment(visit.starts_at))),
        }
    }
    if writes.is_empty() {
        return Ok((AutoApplied { given: 0, skipped, past_warnings: 0 }, kept_open_for_warnings));
    }
    let past_warnings = writes.iter().filter(|(_, _, _, warnings)| !warnings.is_empty()).count() as u32;
    store.write(Operation::Allocate, |changes| {
        for (n, (visit, slot, carer, warnings)) in writes.iter().enumerate() {
            put_carer(changes, visit, *slot, *carer, warnings, reason)?;
            GiveProgress::now_and_then(n + 1, writes.len(), GiveProgress::writing, progress);
        }
        Ok(())
    })?;
    // Only carers changed, each visit on its day: the kept weeks take them
    // rather than being read again for the board that follows.
    let mut given: Vec<_> = writes.iter().map(|(visit, ..)| visit.clone()).collect();
    given.sort_by_key(|visit| visit.id);
    given.dedup_by_key(|visit| visit.id);
    carry_over_visits(store, &given);
    Ok((AutoApplied { given: writes.len() as u32, skipped, past_warnings }, kept_open_for_warnings))
}
