//! Gathering a week of the rota from the store: its visits as the board
//! shows them and plain facts for the rules, read once and kept.

use super::visits::{Visit, VisitStatus};
use crate::error::Result;
use crate::ids::IdMap;
use crate::people::{Absence, Availability, Carer, CarerPreference, CarerSkill, Client};
use crate::rules::{CarerFacts, Checked, ClientFacts, Finding, RotaFacts, RunIndex, SkillNames, VisitFacts, WeekWork};
use crate::store::{json_list, row_date, row_enum, row_instant, row_opt_uuid, row_uuid, Columns};
use crate::travel::{GeoPoint, TravelSettings};
use crate::travel_settings::travel_settings;
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use rusqlite::Connection;
use rustc_hash::FxHashMap;
use std::sync::{Arc, OnceLock};
use uuid::Uuid;

/// Every care package's name ("Morning call"), by id.
fn package_labels(conn: &Connection) -> Result<IdMap<Arc<str>>> {
    let mut stmt = conn.prepare_cached("SELECT id, label FROM care_packages")?;
    let rows = stmt.query_map([], |r| Ok((row_uuid(r, 0)?, Arc::from(r.get_ref(1)?.as_str()?))))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

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
    pub cancel_reason: String,
    pub time_note: String,
    /// Allocated carers with their slots, slot 1 first. A double-up whose
    /// first carer was taken off has slot 2 alone.
    pub carers: Vec<(u8, Uuid)>,
}

impl WeekVisit {
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
            cancel_reason: visit.cancel_reason.clone(),
            time_note: visit.time_note.clone(),
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
    fn new(visits: Vec<WeekVisit>, facts: RotaFacts) -> Week {
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

/// Every visit of some days (`?1` to `?2`, dates), in (date, id) order
/// whatever their status: the order of the covering index `visits_by_date`
/// (schema 19), so no sort. A visit cancelled or put back in a kept week
/// stays where it is (see `carry`), which is where a fresh read puts it.
const WEEK_VISITS_SQL: &str = "SELECT id, client_id, package_id, local_date, starts_at, duration_min,
        carers_required, required_skills, time_critical, flex_min, short_task, status,
        cancel_reason, time_note
    FROM visits INDEXED BY visits_by_date
    WHERE deleted_at IS NULL AND local_date BETWEEN ?1 AND ?2
    ORDER BY local_date, id";

/// The carers of the same days' visits, filed by date (schema 18): a range
/// of its primary key, so in (date, visit, slot) order, the visits' own.
const WEEK_CARERS_SQL: &str = "SELECT local_date, visit_id, slot, carer_id FROM allocations_by_date
    WHERE local_date BETWEEN ?1 AND ?2";

/// Every visit from `from` to `to` with its carers, in two range reads: the
/// visits from the covering index `visits_by_date` (no visit row is looked
/// up) and their carers from `allocations_by_date`. Both come in (date,
/// visit) order (an id's text sorts as its bytes do), so each visit's
/// carers are the next ones along: merged, not looked up by id.
fn week_visits(conn: &Connection, from: NaiveDate, to: NaiveDate) -> Result<Vec<WeekVisit>> {
    let labels = package_labels(conn)?;
    let dates = [from.to_string(), to.to_string()];
    // Every carer of the days' visits, in the visits' order, slot 1 first.
    let mut allocated: Vec<(NaiveDate, Uuid, u8, Uuid)> = Vec::new();
    let mut stmt = conn.prepare_cached(WEEK_CARERS_SQL)?;
    let mut rows = stmt.query([&dates[0], &dates[1]])?;
    while let Some(row) = rows.next()? {
        allocated.push((row_date(row, 0)?, row_uuid(row, 1)?, row.get(2)?, row_uuid(row, 3)?));
    }
    let mut next = allocated.iter().peekable();
    let mut stmt = conn.prepare_cached(WEEK_VISITS_SQL)?;
    let mut visits: Vec<WeekVisit> = Vec::with_capacity(16_384);
    // A week holds a few dozen distinct skill lists: each is parsed once.
    // (Hashed with FxHash, like `IdMap`: the keys are the agency's own.)
    let mut skill_lists: FxHashMap<String, Arc<[String]>> = FxHashMap::default();
    let mut rows = stmt.query([&dates[0], &dates[1]])?;
    while let Some(row) = rows.next()? {
        // Columns by position, in the SELECT's order: looking each up by
        // name was a fifth of the time for a week of 15,000 visits.
        let id = row_uuid(row, 0)?;
        let package_id = row_opt_uuid(row, 2)?;
        let local_date = row_date(row, 3)?;
        // Carers filed under a visit not read (a tombstoned one) are passed.
        while next.next_if(|(date, visit, _, _)| (*date, *visit) < (local_date, id)).is_some() {}
        let mut carers = Vec::new();
        while let Some((_, _, slot, carer)) = next.next_if(|(date, visit, _, _)| (*date, *visit) == (local_date, id)) {
            carers.push((*slot, *carer));
        }
        visits.push(WeekVisit {
            id,
            client_id: row_uuid(row, 1)?,
            label: package_id.and_then(|p| labels.get(&p).cloned()),
            package_id,
            local_date,
            start: row_instant(row, 4)?,
            duration_min: row.get(5)?,
            carers_required: row.get(6)?,
            required_skills: match skill_lists.get(row.get_ref(7)?.as_str().map_err(rusqlite::Error::from)?) {
                Some(list) => list.clone(),
                None => {
                    let list: Arc<[String]> = json_list::<String>(row, 7)?.into();
                    skill_lists.insert(row.get(7)?, list.clone());
                    list
                }
            },
            time_critical: row.get(8)?,
            flex_min: row.get(9)?,
            short_task: row.get(10)?,
            status: row_enum(row, 11, VisitStatus::parse)?,
            cancel_reason: row.get(12)?,
            time_note: row.get(13)?,
            carers,
        });
    }
    Ok(visits)
}

/// The Monday of the week holding `date`.
pub fn monday_of(date: NaiveDate) -> NaiveDate {
    date - Duration::days(i64::from(date.weekday().num_days_from_monday()))
}

/// Every row `sql` reads, each read by `read` with the columns' places
/// looked up once.
fn all<T>(conn: &Connection, sql: &str, read: fn(&rusqlite::Row, &Columns) -> rusqlite::Result<T>) -> Result<Vec<T>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let columns = Columns::of(&stmt);
    let rows = stmt.query_map([], |row| read(row, &columns))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub(super) fn week_key(week_start: NaiveDate) -> String {
    format!("rota week {week_start}")
}

/// `load_week` with the agency's travel settings, kept until the data changes
/// (saving the settings is a write, so the week is then read again).
pub fn cached_week(store: &crate::Store, week_start: NaiveDate) -> Result<Arc<Week>> {
    store.memo(&week_key(week_start), |conn| load_week(conn, week_start, travel_settings(conn)?))
}

/// The week from `week_start` (a Monday), with the day either side so rest
/// rules see across its edges, every current carer and every client.
pub fn load_week(conn: &Connection, week_start: NaiveDate, travel: TravelSettings) -> Result<Week> {
    let (from, to) = (week_start - Duration::days(1), week_start + Duration::days(7));
    let mut clients: IdMap<ClientFacts> =
        all(conn, "SELECT * FROM clients WHERE deleted_at IS NULL", Client::from_columns)?
            .into_iter()
            .map(|client| (client.id, ClientFacts { client, preferences: vec![], controls: vec![] }))
            .collect();
    let all_visits = week_visits(conn, from, to)?;
    let mut controls = crate::risk::current_controls(conn)?;
    // "Morning call for Margaret Onions", made once for a package's week.
    let mut names: FxHashMap<(Option<Uuid>, Uuid), Arc<str>> = FxHashMap::default();
    // The rules check what is planned to happen, in the week's order (the
    // kept week's carry-over relies on it: see `carry`).
    let visits = all_visits
        .iter()
        .filter(|v| v.status == VisitStatus::Planned)
        .filter_map(|v| {
            let client = &clients.get(&v.client_id)?.client;
            let name = names.entry((v.package_id, v.client_id)).or_insert_with(|| visit_name(v, client));
            Some(visit_facts(v, client, name.clone(), controls.for_skills(&v.required_skills)))
        })
        .collect();
    let week_carers: Vec<Carer> = all(conn, "SELECT * FROM carers WHERE deleted_at IS NULL", Carer::from_columns)?
        .into_iter()
        .filter(|c| c.left_on.is_none_or(|left| left >= week_start))
        .collect();
    // Told apart from the week's namesakes, once, for every sentence and list.
    let mut told_apart: IdMap<String> = crate::people::names_told_apart(
        week_carers.iter().map(|c| (c.id, c.full_name(), c.postcode.clone())).collect(),
    )
    .into_iter()
    .collect();
    let mut carers: IdMap<CarerFacts> = week_carers
        .into_iter()
        .map(|carer| {
            let facts = CarerFacts {
                name: told_apart.remove(&carer.id).unwrap_or_default().into(),
                carer,
                skills: vec![],
                availability: vec![],
                absences: vec![],
                earlier_16_weeks_minutes: 0,
                controls: vec![],
            };
            (facts.carer.id, facts)
        })
        .collect();
    for s in all(conn, "SELECT * FROM carer_skills WHERE deleted_at IS NULL", CarerSkill::from_columns)? {
        if let Some(c) = carers.get_mut(&s.carer_id) {
            c.skills.push(s);
        }
    }
    for a in all(conn, "SELECT * FROM carer_availability WHERE deleted_at IS NULL", Availability::from_columns)? {
        if let Some(c) = carers.get_mut(&a.carer_id) {
            c.availability.push(a);
        }
    }
    for a in all(conn, "SELECT * FROM carer_absences WHERE deleted_at IS NULL", |row, _| Absence::from_row(row))? {
        if let Some(c) = carers.get_mut(&a.carer_id) {
            c.absences.push(a);
        }
    }
    // Kept up to date by triggers (migration 5): 16 weeks of visits would
    // otherwise be read every time a week opens.
    let mut stmt = conn.prepare_cached(
        "SELECT carer_id, sum(minutes) FROM carer_week_minutes WHERE week BETWEEN ?1 AND ?2 GROUP BY carer_id",
    )?;
    let earlier = (week_start - Duration::weeks(16), week_start - Duration::weeks(1));
    for row in
        stmt.query_map([earlier.0.to_string(), earlier.1.to_string()], |r| Ok((row_uuid(r, 0)?, r.get::<_, u32>(1)?)))?
    {
        let (carer, minutes) = row?;
        if let Some(c) = carers.get_mut(&carer) {
            c.earlier_16_weeks_minutes = minutes;
        }
    }

    for (client, controls) in controls.clients.drain() {
        if let Some(c) = clients.get_mut(&client) {
            c.controls = controls;
        }
    }
    for (carer, controls) in controls.carers.drain() {
        if let Some(c) = carers.get_mut(&carer) {
            c.controls = controls;
        }
    }
    for p in all(conn, "SELECT * FROM client_carer_preferences WHERE deleted_at IS NULL", |row, _| {
        CarerPreference::from_row(row)
    })? {
        if let Some(c) = clients.get_mut(&p.client_id) {
            c.preferences.push(p);
        }
    }
    let skills = SkillNames(crate::people::skills_catalogue(conn)?.into_iter().map(|s| (s.code, s.name)).collect());
    let facts = RotaFacts { week_start, visits, carers, clients, travel, skills };
    Ok(Week::new(all_visits, facts))
}

#[cfg(test)]
mod tests {
    use super::{WEEK_CARERS_SQL, WEEK_VISITS_SQL};

    fn plan(sql: &str) -> Vec<String> {
        let store = crate::Store::open_in_memory("test").expect("a store");
        let mut stmt = store.read().prepare(&format!("EXPLAIN QUERY PLAN {sql}")).expect("a plan");
        stmt.query_map(["2026-11-22", "2026-11-30"], |r| r.get(3))
            .expect("the plan's steps")
            .collect::<rusqlite::Result<_>>()
            .expect("readable steps")
    }

    #[test]
    fn a_week_is_read_as_two_date_ranges_without_looking_up_a_row_or_sorting() {
        // One step each: a sort for the visits' ORDER BY would be a second.
        for (sql, range) in [
            // The visits: a range of the covering index.
            (WEEK_VISITS_SQL, "USING COVERING INDEX visits_by_date (local_date>? AND local_date<?)"),
            // Their carers: a range of the table filed by date.
            (WEEK_CARERS_SQL, "USING PRIMARY KEY (local_date>? AND local_date<?)"),
        ] {
            let steps = plan(sql);
            assert_eq!(steps.len(), 1, "one step: {steps:?}");
            assert!(steps[0].contains(range), "expected {range}, planned {}", steps[0]);
        }
    }
}
