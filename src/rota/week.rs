//! A week of the rota as it is kept: its visits as the board shows them,
//! plain facts for the rules, and what is worked out from them when first
//! asked for (see `read_week` for how it is read from the store).

use super::visits::{Visit, VisitStatus};
use crate::error::Result;
use crate::ids::IdMap;
use crate::people::Client;
use crate::rules::{Checked, Finding, RotaFacts, RunIndex, VisitFacts, WeekWork};
use crate::travel::GeoPoint;
use crate::travel_settings::travel_settings;
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use std::sync::{Arc, OnceLock};
use uuid::Uuid;

pub use super::read_week::{load_week, load_week_side_by_side};

/// A visit of the week as the board shows it, cancelled ones included.
#[derive(Debug, Clone)]
pub struct WeekVisit {
    pub id: Uuid,
    pub client_id: Uuid,
    pub package_id: Option<Uuid>,
    /// The package's name ("Morning call"); `None` for a one-off visit.
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
    /// Why it was cancelled and what the clock change did to its time: kept
    /// aside, as nearly every visit has neither (40 bytes a visit less, 3 MB
    /// of the huge agency's kept week).
    pub notes: Option<Box<VisitNotes>>,
    /// Allocated carers with their slots, slot 1 first. A double-up whose
    /// first carer was taken off has slot 2 alone.
    pub carers: Vec<(u8, Uuid)>,
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

impl WeekVisit {
    /// Why it was cancelled; empty if it was not.
    pub fn cancel_reason(&self) -> &str {
        self.notes.as_ref().map_or("", |n| &n.cancel_reason)
    }

    /// What the clock change did to its time; empty on any other night.
    pub fn time_note(&self) -> &str {
        self.notes.as_ref().map_or("", |n| &n.time_note)
    }

    /// `visit` as the week keeps it, with its package's name and carers.
    pub(super) fn from_visit(visit: &Visit, label: Option<Arc<str>>, carers: Vec<(u8, Uuid)>) -> WeekVisit {
        WeekVisit {
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
}

/// What the rules check of a planned visit of the week, at `client`'s home.
/// `name` ("Morning call for Margaret Onions") is shared by a package's
/// visits; `controls` are those of the activities the visit needs.
pub(super) fn visit_facts(
    visit: &WeekVisit,
    client: &Client,
    name: Arc<str>,
    controls: Vec<crate::risk::ControlFacts>,
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
        location: GeoPoint { lat: client.lat, lon: client.lon },
        carers: visit.carers.iter().map(|(_, carer)| *carer).collect(),
        controls,
    }
}

/// "Morning call for Margaret Onions".
pub(super) fn visit_name(visit: &WeekVisit, client: &Client) -> Arc<str> {
    format!("{} for {}", visit.label.as_deref().unwrap_or("Visit"), client.full_name()).into()
}

/// A week read once from the store: every visit as the board shows it, the
/// facts the rules check, and — worked out the first time they are asked
/// for — the rules' findings. Kept by `cached_week` until the data changes.
#[derive(Debug)]
pub struct Week {
    pub visits: Vec<WeekVisit>,
    pub facts: RotaFacts,
    derived: Derived,
}

/// What a week works out from its facts when first asked. When the facts
/// change in place (see `recheck`), the findings are worked out again where
/// the change reaches; the rest goes and is worked out when next asked.
#[derive(Debug, Default)]
struct Derived {
    findings: OnceLock<Checked>,
    by_carer: OnceLock<IdMap<Vec<Finding>>>,
    by_visit: OnceLock<IdMap<Vec<u32>>>,
    work: OnceLock<IdMap<WeekWork>>,
    index: OnceLock<RunIndex>,
}

impl Week {
    pub(super) fn new(visits: Vec<WeekVisit>, facts: RotaFacts) -> Week {
        Week { visits, facts, derived: Derived::default() }
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

    /// Each carer's visits, for questions about one carer or one visit.
    pub fn index(&self) -> &RunIndex {
        self.derived.index.get_or_init(|| RunIndex::new(&self.facts))
    }

    /// Where each visit's findings lie in `findings()`, by visit: a finding
    /// about two visits (a clash, a travel gap) is under both; one about a
    /// carer's whole week (`RuleId::about_the_week`) under none. The board
    /// hands each visit its own from here, the huge agency's 60,000 visits
    /// shared across the cores, rather than filing 75,000 findings in turn.
    pub fn findings_by_visit(&self) -> &IdMap<Vec<u32>> {
        self.derived.by_visit.get_or_init(|| {
            let mut by_visit: IdMap<Vec<u32>> = IdMap::default();
            by_visit.reserve(self.visits.len());
            for (i, finding) in self.findings().iter().enumerate().filter(|(_, f)| !f.rule.about_the_week()) {
                for visit in finding.visit_ids.iter() {
                    by_visit.entry(*visit).or_default().push(i as u32);
                }
            }
            by_visit
        })
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
