//! A week of the rota as it is kept: plain facts of its visits for the
//! rules, what the board alone shows of each beside them, and what is
//! worked out from them when first asked for (see `read_week` for how it is
//! read from the store).

use super::board_view::LaidOut;
use super::visits::{Visit, VisitStatus};
use crate::error::Result;
use crate::ids::IdMap;
use crate::rules::{Checked, ClientFacts, ClientSummary, Finding, RotaFacts, RunIndex, VisitFacts, WeekWork};
use crate::travel::GeoPoint;
use crate::travel_settings::travel_settings;
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use std::sync::{Arc, Mutex, OnceLock};
use uuid::Uuid;

pub use super::read_week::{load_week, load_week_side_by_side};

/// A visit as the week reads it from the store, before it is split into
/// the rules' facts of it and what only the board shows (`Week::new`).
#[derive(Debug, Clone)]
pub(super) struct ReadVisit {
    pub id: Uuid,
    pub client_id: Uuid,
    pub package_id: Option<Uuid>,
    pub label: Option<Arc<str>>,
    pub local_date: NaiveDate,
    pub start: DateTime<Utc>,
    pub duration_min: u32,
    pub carers_required: u8,
    pub required_skills: Arc<[String]>,
    pub time_critical: bool,
    pub flex_min: u32,
    pub short_task: bool,
    pub status: VisitStatus,
    pub notes: Option<Box<VisitNotes>>,
    /// Allocated carers with their slots, slot 1 first.
    pub carers: Vec<(u8, Uuid)>,
}

impl ReadVisit {
    /// `visit` as the week reads it, with its package's name and carers.
    pub(super) fn from_visit(visit: &Visit, label: Option<Arc<str>>, carers: Vec<(u8, Uuid)>) -> ReadVisit {
        ReadVisit {
            id: visit.id,
            client_id: visit.client_id,
            package_id: visit.package_id,
            label,
            local_date: visit.local_date,
            start: visit.starts_at,
            duration_min: visit.duration_min,
            carers_required: visit.carers_required,
            required_skills: visit.required_skills.clone().into(),
            time_critical: visit.time_critical,
            flex_min: visit.flex_min,
            short_task: visit.short_task,
            status: visit.status,
            notes: VisitNotes::of(visit.cancel_reason.clone(), visit.time_note.clone()),
            carers,
        }
    }

    /// Whether the rules check it: planned, for one of the week's `clients`.
    pub(super) fn checked(&self, clients: &IdMap<ClientFacts>) -> bool {
        self.status == VisitStatus::Planned && clients.contains_key(&self.client_id)
    }

    /// What the board shows of it beyond its facts, which are at `facts`.
    fn shown(&self, facts: FactsAt) -> WeekVisit {
        WeekVisit {
            facts,
            package_id: self.package_id,
            time_critical: self.time_critical,
            flex_min: self.flex_min,
            status: self.status,
            notes: self.notes.clone(),
            first_slot: self.carers.first().map_or(1, |(slot, _)| *slot),
        }
    }
}

/// What the board shows of a visit of the week, cancelled ones included,
/// beyond the rules' facts of it: its time, client, skills and carers are
/// held once, in the facts (`Week::visit` hands out both). Holding every
/// visit twice, once for the board and once for the rules, was 10 MB of the
/// huge agency's kept week.
#[derive(Debug, Clone)]
pub struct WeekVisit {
    pub(super) facts: FactsAt,
    /// Its package, whose name the week keeps (`Week::label`); `None` for
    /// a one-off visit.
    pub package_id: Option<Uuid>,
    pub time_critical: bool,
    pub flex_min: u32,
    pub status: VisitStatus,
    /// Why it was cancelled and what the clock change did to its time: kept
    /// aside, as nearly every visit has neither (40 bytes a visit less, 3 MB
    /// of the huge agency's kept week).
    pub notes: Option<Box<VisitNotes>>,
    /// The slot of the first of the facts' carers: a visit has slots 1 and
    /// 2 at most (schema 4), so any other is in the next, and a double-up
    /// whose first carer was taken off has slot 2 alone.
    first_slot: u8,
}

/// Where a week's visit's facts are: among those the rules check, or, for
/// a visit they do not (cancelled, or for a client who has left), with the
/// visit itself.
#[derive(Debug, Clone)]
pub(super) enum FactsAt {
    Checked(u32),
    Aside(Box<VisitFacts>),
}

/// A week's visit's rarely written words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VisitNotes {
    pub cancel_reason: String,
    pub time_note: String,
}

impl VisitNotes {
    /// The notes, or none when both are empty.
    pub fn of(cancel_reason: String, time_note: String) -> Option<Box<VisitNotes>> {
        (!cancel_reason.is_empty() || !time_note.is_empty()).then(|| Box::new(VisitNotes { cancel_reason, time_note }))
    }
}

/// One visit of the week: what the board shows of it, and its facts.
#[derive(Debug, Clone, Copy)]
pub struct OneVisit<'a> {
    pub shown: &'a WeekVisit,
    pub facts: &'a VisitFacts,
}

impl<'a> OneVisit<'a> {
    /// Its carers with their slots, slot 1 first.
    pub fn carers(self) -> impl Iterator<Item = (u8, Uuid)> + 'a {
        (self.shown.first_slot..=u8::MAX).zip(self.facts.carers.iter().copied())
    }

    pub fn cancelled(self) -> bool {
        self.shown.status == VisitStatus::Cancelled
    }

    /// Still short of a carer (a cancelled visit waits for nobody).
    pub fn needs_carer(self) -> bool {
        !self.cancelled() && self.facts.carers.len() < usize::from(self.facts.carers_required)
    }

    /// Why it was cancelled; empty if it was not.
    pub fn cancel_reason(self) -> &'a str {
        self.shown.notes.as_ref().map_or("", |n| &n.cancel_reason)
    }

    /// What the clock change did to its time; empty on any other night.
    pub fn time_note(self) -> &'a str {
        self.shown.notes.as_ref().map_or("", |n| &n.time_note)
    }
}

/// What the rules check of a visit of the week, at `client`'s home.
/// `name` ("Morning call for Margaret Onions") is shared by a package's
/// visits; `controls` are those of the activities the visit needs. A visit
/// for a client the week does not know (they have left) is kept aside,
/// unchecked, with no home.
pub(super) fn visit_facts(
    visit: &ReadVisit,
    client: Option<&ClientSummary>,
    name: Arc<str>,
    controls: Arc<[crate::risk::ControlFacts]>,
) -> VisitFacts {
    VisitFacts {
        id: visit.id,
        client_id: visit.client_id,
        name,
        start: visit.start,
        date: visit.local_date,
        duration_min: visit.duration_min,
        carers_required: visit.carers_required,
        required_skills: visit.required_skills.clone(),
        short_task: visit.short_task,
        location: client.map_or(GeoPoint { lat: 0.0, lon: 0.0 }, |c| GeoPoint { lat: c.lat, lon: c.lon }),
        carers: visit.carers.iter().map(|(_, carer)| *carer).collect(),
        controls,
    }
}

/// "Morning call for Margaret Onions"; "Morning call" for a client the
/// week does not know.
pub(super) fn visit_name(visit: &ReadVisit, client: Option<&ClientSummary>) -> Arc<str> {
    let label = visit.label.as_deref().unwrap_or("Visit");
    match client {
        Some(client) => format!("{label} for {}", client.name).into(),
        None => label.into(),
    }
}

/// The facts of a visit the rules do not check, kept with it.
pub(super) fn aside(visit: &ReadVisit, facts: &RotaFacts) -> FactsAt {
    let client = facts.clients.get(&visit.client_id).map(|c| &c.client);
    FactsAt::Aside(Box::new(visit_facts(visit, client, visit_name(visit, client), Arc::from([]))))
}

/// A week read once from the store: every visit as the board shows it, the
/// facts the rules check, and — worked out the first time they are asked
/// for — the rules' findings. Kept by `cached_week` until the data changes.
#[derive(Debug)]
pub struct Week {
    /// In (date, id) order, the store's: the facts' visits keep it too.
    pub(super) visits: Vec<WeekVisit>,
    pub facts: RotaFacts,
    /// The names of its visits' packages ("Morning call"), by package: one
    /// each, not one a visit.
    labels: IdMap<Arc<str>>,
    derived: Derived,
}

/// What a week works out from its facts when first asked. When the facts
/// change in place (see `recheck`), the findings are worked out again where
/// the change reaches; the rest goes and is worked out when next asked.
#[derive(Debug, Default)]
struct Derived {
    findings: OnceLock<Checked>,
    by_carer: OnceLock<IdMap<Vec<Finding>>>,
    by_visit: OnceLock<FindingsByVisit>,
    work: OnceLock<IdMap<WeekWork>>,
    index: OnceLock<RunIndex>,
    laid_out: Mutex<Option<Arc<LaidOut>>>,
}

impl Week {
    /// The week of `read` (every visit of its days, in the store's order)
    /// and `facts`, whose visits are those of `read` the rules check, in
    /// the same order: each visit is placed with its facts.
    pub(super) fn new(read: Vec<ReadVisit>, facts: RotaFacts) -> Week {
        let mut checked = facts.visits.iter().enumerate().peekable();
        let visits = read
            .iter()
            .map(|visit| match checked.next_if(|(_, f)| f.id == visit.id && visit.checked(&facts.clients)) {
                Some((i, _)) => visit.shown(FactsAt::Checked(i as u32)),
                None => visit.shown(aside(visit, &facts)),
            })
            .collect();
        let labels = read.iter().filter_map(|v| Some((v.package_id?, v.label.clone()?))).collect();
        Week { visits, facts, labels, derived: Derived::default() }
    }

    /// How many visits the week holds, cancelled ones too.
    pub fn len(&self) -> usize {
        self.visits.len()
    }

    pub fn is_empty(&self) -> bool {
        self.visits.is_empty()
    }

    /// The name of the package `visit` was rolled from; none for a one-off.
    pub fn label(&self, visit: &WeekVisit) -> Option<&Arc<str>> {
        self.labels.get(&visit.package_id?)
    }

    /// The week's visit `i` (in the week's order).
    pub fn visit(&self, i: usize) -> OneVisit<'_> {
        let shown = &self.visits[i];
        OneVisit { shown, facts: self.facts_of(shown) }
    }

    fn facts_of<'a>(&'a self, shown: &'a WeekVisit) -> &'a VisitFacts {
        match &shown.facts {
            FactsAt::Checked(at) => &self.facts.visits[*at as usize],
            FactsAt::Aside(facts) => facts,
        }
    }

    /// Every visit of the week, cancelled ones too, in the week's order:
    /// (date, id).
    pub fn visits(&self) -> impl Iterator<Item = OneVisit<'_>> + '_ {
        (0..self.visits.len()).map(|i| self.visit(i))
    }

    /// Where visit `id` of `date` is in the week's order, if it is there.
    pub(super) fn position(&self, date: NaiveDate, id: Uuid) -> Option<usize> {
        // Found by halving, as a plan of thousands of allocations carries
        // each one; searched in full only if halving misses.
        self.visits
            .binary_search_by(|shown| {
                let facts = self.facts_of(shown);
                (facts.date, facts.id).cmp(&(date, id))
            })
            .ok()
            .or_else(|| self.visits().position(|v| v.facts.id == id && v.facts.date == date))
    }

    /// The week's visit `at` becomes `now`, as the store has it after a
    /// write, and the rules' facts follow: they hold planned visits only, in
    /// the week's order, so a visit cancelled leaves them and one put back
    /// takes its place among them (its risk controls from `controls`).
    pub(super) fn take_in(
        &mut self,
        at: usize,
        now: ReadVisit,
        controls: impl FnOnce(&[String]) -> Result<Arc<[crate::risk::ControlFacts]>>,
    ) -> Result<()> {
        let was = match self.visits[at].facts {
            FactsAt::Checked(i) => Some(i),
            FactsAt::Aside(_) => None,
        };
        let client = self.facts.clients.get(&now.client_id).map(|c| &c.client);
        let place = match (was, now.checked(&self.facts.clients)) {
            (Some(i), true) => {
                let old = &self.facts.visits[i as usize];
                self.facts.visits[i as usize] = visit_facts(&now, client, old.name.clone(), old.controls.clone());
                FactsAt::Checked(i)
            }
            (Some(i), false) => {
                self.facts.visits.remove(i as usize);
                self.renumber(|j| if j > i { j - 1 } else { j });
                aside(&now, &self.facts)
            }
            (None, true) => {
                let facts = visit_facts(&now, client, visit_name(&now, client), controls(&now.required_skills)?);
                // Its place: after the checked visits before it in the week.
                let i = self.visits[..at].iter().filter(|v| matches!(v.facts, FactsAt::Checked(_))).count() as u32;
                self.facts.visits.insert(i as usize, facts);
                self.renumber(|j| if j >= i { j + 1 } else { j });
                FactsAt::Checked(i)
            }
            (None, false) => aside(&now, &self.facts),
        };
        if let (Some(package), Some(label)) = (now.package_id, &now.label) {
            self.labels.insert(package, label.clone());
        }
        self.visits[at] = now.shown(place);
        Ok(())
    }

    /// Every checked visit's place in the facts, moved by `to`.
    fn renumber(&mut self, to: impl Fn(u32) -> u32) {
        for visit in &mut self.visits {
            if let FactsAt::Checked(j) = &mut visit.facts {
                *j = to(*j);
            }
        }
    }

    /// After `visits` (by id) and the runs of `carers` were changed in place
    /// (see `carry`): the findings, if they were worked out, are worked out
    /// again for those alone; the rest of what was worked out goes.
    pub(super) fn recheck(&mut self, visits: &[Uuid], carers: &[Uuid]) {
        let checked = self.derived.findings.take();
        let work = self.derived.work.take();
        self.derived = Derived::default();
        if let Some(mut checked) = checked {
            checked.recheck(&self.facts, visits, carers);
            self.derived.findings = OnceLock::from(checked);
        }
        // Each reached carer's work, counted again from their run.
        if let Some(mut work) = work {
            for (id, run) in crate::rules::runs_of(&self.facts, carers) {
                match self.facts.carers.get(&id).filter(|_| !run.is_empty()) {
                    Some(carer) => work.insert(id, crate::rules::week_work(&self.facts, carer, &run)),
                    None => work.remove(&id),
                };
            }
            self.derived.work = OnceLock::from(work);
        }
    }

    /// Every finding of the rules over the week, checked once.
    pub fn findings(&self) -> &[Finding] {
        self.derived.findings.get_or_init(|| Checked::new(&self.facts)).all()
    }

    /// The board's lanes last laid out from this week (see `board_view`).
    pub(super) fn laid_out(&self) -> &Mutex<Option<Arc<LaidOut>>> {
        &self.derived.laid_out
    }

    /// Each carer's visits, for questions about one carer or one visit.
    pub fn index(&self) -> &RunIndex {
        self.derived.index.get_or_init(|| RunIndex::new(&self.facts))
    }

    /// Where each visit's findings lie in `findings()`, by visit: a finding
    /// about two visits (a clash, a travel gap) is under both; one about a
    /// carer's whole week (`RuleId::about_the_week`) under none. The board
    /// hands each visit its own from here, the huge agency's 60,000 visits
    /// shared across the cores, rather than filing 75,000 findings in turn.
    pub fn findings_by_visit(&self) -> &FindingsByVisit {
        self.derived.by_visit.get_or_init(|| FindingsByVisit::new(self.findings()))
    }

    /// Each carer's work in the week as the hours rules count it (visits and
    /// the travel between them), for the carer's row; none for a carer with
    /// no visits.
    pub fn work(&self) -> &IdMap<WeekWork> {
        self.derived.work.get_or_init(|| {
            use rayon::prelude::*;
            let runs = crate::rules::runs(&self.facts);
            self.facts
                .carers
                .par_iter()
                .filter_map(|(id, carer)| Some((*id, crate::rules::week_work(&self.facts, carer, runs.get(id)?))))
                .collect()
        })
    }

    /// The same findings by the carer they are about, for ranking
    /// candidates (see `rules::rank_carers`).
    pub fn findings_by_carer(&self) -> &IdMap<Vec<Finding>> {
        self.derived.by_carer.get_or_init(|| {
            let mut by_carer: IdMap<Vec<Finding>> = IdMap::default();
            for finding in self.findings() {
                if let Some(carer) = finding.carer_id {
                    by_carer.entry(carer).or_default().push(finding.clone());
                }
            }
            by_carer
        })
    }
}

/// Where each visit's findings lie in a week's list of them: for each visit
/// with any, a run of one list of their places, in the findings' order.
/// One list for the whole week rather than one a visit: the huge agency's
/// week kept 5.8 MB in a list per visit, and keeps about 2 MB so.
#[derive(Debug, Default)]
pub struct FindingsByVisit {
    /// Where the visit's run starts in `places`, and how long it is.
    runs: IdMap<(u32, u32)>,
    places: Vec<u32>,
}

impl FindingsByVisit {
    fn new(findings: &[Finding]) -> Self {
        let about_visits = || findings.iter().enumerate().filter(|(_, f)| !f.rule.about_the_week());
        let mut runs: IdMap<(u32, u32)> = IdMap::default();
        for (_, finding) in about_visits() {
            for visit in finding.visit_ids.iter() {
                runs.entry(*visit).or_default().1 += 1;
            }
        }
        // Each run starts where the one before ends; its length then counts
        // the places filed, up to the count just made.
        let mut start = 0;
        for run in runs.values_mut() {
            let count = run.1;
            *run = (start, 0);
            start += count;
        }
        let mut places = vec![0; start as usize];
        for (i, finding) in about_visits() {
            for visit in finding.visit_ids.iter() {
                if let Some(run) = runs.get_mut(visit) {
                    places[(run.0 + run.1) as usize] = i as u32;
                    run.1 += 1;
                }
            }
        }
        FindingsByVisit { runs, places }
    }

    /// The places of `visit`'s findings, in the findings' order; none for a
    /// visit without any.
    pub fn get(&self, visit: &Uuid) -> &[u32] {
        self.runs.get(visit).map_or(&[], |&(start, len)| &self.places[start as usize..(start + len) as usize])
    }

    /// Whether no visit has a finding.
    pub fn is_empty(&self) -> bool {
        self.runs.is_empty()
    }
}

/// The same when each visit has the same findings, however they lie.
impl PartialEq for FindingsByVisit {
    fn eq(&self, other: &Self) -> bool {
        self.runs.len() == other.runs.len() && self.runs.keys().all(|visit| self.get(visit) == other.get(visit))
    }
}

/// The Monday of the week holding `date`.
pub fn monday_of(date: NaiveDate) -> NaiveDate {
    date - Duration::days(i64::from(date.weekday().num_days_from_monday()))
}

pub(super) fn week_key(week_start: NaiveDate) -> String {
    format!("rota week {week_start}")
}

/// The week with the agency's travel settings, read side by side on two
/// connections and kept until the data changes (saving the settings is a
/// write, so the week is then read again).
pub fn cached_week(store: &crate::Store, week_start: NaiveDate) -> Result<Arc<Week>> {
    store.memo(&week_key(week_start), |conn| load_week_side_by_side(store, week_start, travel_settings(conn)?))
}

#[cfg(test)]
mod tests {
    use super::FindingsByVisit;
    use crate::rules::{Finding, RuleId};
    use uuid::Uuid;

    fn finding(rule: RuleId, visits: &[Uuid]) -> Finding {
        Finding { rule, severity: rule.severity(), visit_ids: visits.into(), carer_id: None, message: "why".into() }
    }

    #[test]
    fn each_visit_finds_its_own_findings_in_order_and_a_finding_about_the_whole_week_under_none() {
        let [a, b, c, d] = [1, 2, 3, 4].map(Uuid::from_u128);
        let findings = [
            finding(RuleId::Overlap, &[a, b]),
            finding(RuleId::SkillMissing, &[a]),
            finding(RuleId::WeeklyRest24h, &[a, b, c]),
            finding(RuleId::TravelTime, &[b, c]),
        ];
        let by_visit = FindingsByVisit::new(&findings);
        assert_eq!(by_visit.get(&a), [0, 1], "the clash and the skill");
        assert_eq!(by_visit.get(&b), [0, 3], "the clash and the travel gap, not the week's rest");
        assert_eq!(by_visit.get(&c), [3], "the travel gap alone");
        assert!(by_visit.get(&d).is_empty(), "a visit without findings has none");
    }
}
