//! Reading a week of the rota from the store, in two halves that need not
//! wait for each other: the week's visits, and everything about the people
//! (carers, clients, the visits' carers, risk controls). Opening the rota
//! reads them side by side on two connections (`Store::read_side_by_side`);
//! both halves are then put together into a `Week`.

use super::visits::VisitStatus;
use super::week::{visit_facts, visit_name, ReadVisit, VisitNotes, Week};
use crate::error::Result;
use crate::ids::IdMap;
use crate::people::common::FullName;
use crate::people::{Absence, Availability, Carer, CarerGenderPreference, CarerPreference, CarerSkill};
use crate::risk::{ControlFacts, CurrentControls};
use crate::rules::weekly_rest::WeeklyRest;
use crate::rules::{CarerFacts, ClientFacts, ClientSummary, RotaFacts, SkillNames};
use crate::store::{
    json_list, row_date, row_enum, row_instant, row_opt_date, row_opt_uuid, row_str, row_uuid, Columns,
};
use crate::travel::TravelSettings;
use chrono::{Duration, NaiveDate};
use rayon::prelude::*;
use rusqlite::Connection;
use rustc_hash::FxHashMap;
use std::sync::Arc;
use uuid::Uuid;

/// The week from `week_start` (a Monday), with the day either side so rest
/// rules see across its edges, every current carer and every client: read
/// on `conn` alone, one half after the other.
pub fn load_week(conn: &Connection, week_start: NaiveDate, travel: TravelSettings) -> Result<Week> {
    let (from, to) = days_read(week_start);
    Ok(put_together(week_rows(conn, from, to)?, read_people(conn, week_start)?, week_start, travel))
}

/// `load_week`, its two halves read at once on the store's two connections:
/// on two cores, about as long as the visits alone take to read.
pub fn load_week_side_by_side(store: &crate::Store, week_start: NaiveDate, travel: TravelSettings) -> Result<Week> {
    let (from, to) = days_read(week_start);
    let (visits, people) =
        store.read_side_by_side(|conn| week_rows(conn, from, to), |conn| read_people(conn, week_start))?;
    // The pages just read are the week's, now kept as facts: SQLite's
    // caches hold nothing the next read wants, so they go (2 MB each).
    store.shrink_caches();
    Ok(put_together(visits, people, week_start, travel))
}

/// The days a week's read covers: the week and the day either side.
fn days_read(week_start: NaiveDate) -> (NaiveDate, NaiveDate) {
    (week_start - Duration::days(1), week_start + Duration::days(7))
}

/// Every care package's name ("Morning call"), by id.
fn package_labels(conn: &Connection) -> Result<IdMap<Arc<str>>> {
    let mut stmt = conn.prepare_cached("SELECT id, label FROM care_packages")?;
    let rows = stmt.query_map([], |r| Ok((row_uuid(r, 0)?, Arc::from(row_str(r, 1)?))))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
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

/// Every visit from `from` to `to`, from the covering index `visits_by_date`
/// (no visit row is looked up), as yet without their carers.
fn week_rows(conn: &Connection, from: NaiveDate, to: NaiveDate) -> Result<Vec<ReadVisit>> {
    let labels = package_labels(conn)?;
    let dates = [from.to_string(), to.to_string()];
    let mut stmt = conn.prepare_cached(WEEK_VISITS_SQL)?;
    let mut visits: Vec<ReadVisit> = Vec::with_capacity(16_384);
    // A week holds a few dozen distinct skill lists: each is parsed once.
    // (Hashed with FxHash, like `IdMap`: the keys are the agency's own.)
    let mut skill_lists: FxHashMap<String, Arc<[String]>> = FxHashMap::default();
    let mut rows = stmt.query([&dates[0], &dates[1]])?;
    while let Some(row) = rows.next()? {
        // Columns by position, in the SELECT's order: looking each up by
        // name was a fifth of the time for a week of 15,000 visits.
        let package_id = row_opt_uuid(row, 2)?;
        visits.push(ReadVisit {
            id: row_uuid(row, 0)?,
            client_id: row_uuid(row, 1)?,
            label: package_id.and_then(|p| labels.get(&p).cloned()),
            package_id,
            local_date: row_date(row, 3)?,
            start: row_instant(row, 4)?,
            duration_min: row.get(5)?,
            carers_required: row.get(6)?,
            required_skills: match skill_lists.get(row_str(row, 7)?) {
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
            notes: VisitNotes::of(row.get(12)?, row.get(13)?),
            carers: Vec::new(),
        });
    }
    Ok(visits)
}

/// A carer of one of the week's visits: its date, the visit, the slot and
/// the carer, in the visits' own (date, visit) order, slot 1 first.
type Allocated = (NaiveDate, Uuid, u8, Uuid);

/// Every carer of the visits from `from` to `to`, one range of
/// `allocations_by_date`.
fn week_carers(conn: &Connection, from: NaiveDate, to: NaiveDate) -> Result<Vec<Allocated>> {
    let mut allocated = Vec::with_capacity(16_384);
    let mut stmt = conn.prepare_cached(WEEK_CARERS_SQL)?;
    let mut rows = stmt.query([from.to_string(), to.to_string()])?;
    while let Some(row) = rows.next()? {
        allocated.push((row_date(row, 0)?, row_uuid(row, 1)?, row.get(2)?, row_uuid(row, 3)?));
    }
    Ok(allocated)
}

/// Files each visit's carers under it. Both lists come in (date, visit)
/// order (an id's text sorts as its bytes do), so each visit's carers are
/// the next ones along: merged, not looked up by id. Carers filed under a
/// visit not read (a tombstoned one) are passed over.
fn file_carers(visits: &mut [ReadVisit], allocated: &[Allocated]) {
    let mut next = allocated.iter().peekable();
    for visit in visits {
        let at = (visit.local_date, visit.id);
        while next.next_if(|(date, id, _, _)| (*date, *id) < at).is_some() {}
        while let Some((_, _, slot, carer)) = next.next_if(|(date, id, _, _)| (*date, *id) == at) {
            visit.carers.push((*slot, *carer));
        }
    }
}

/// Everything a week needs besides its visits.
struct People {
    allocated: Vec<Allocated>,
    clients: IdMap<ClientFacts>,
    carers: IdMap<CarerFacts>,
    controls: CurrentControls,
    skills: SkillNames,
    records_from: Option<NaiveDate>,
    weekly_rest: WeeklyRest,
}

/// Each carer's work in the 16 weeks before the week (`?1` to `?2`, their
/// Mondays) and the first of those weeks whose hours were entered as worked
/// before Caredesk (entered for weeks before `?3`, when the agency's records
/// begin: none count once those records are older than the 16 weeks, see
/// `hours_before`). Work is the visits and the travel between them, as the
/// rota's own week counts it, kept a week a row by triggers (migration 5)
/// and the write path (migration 21, `week_travel`): 16 weeks of visits
/// would otherwise be read every time a week opens. Looked up carer by
/// carer, a range of each table's key: filtering the tables by week read
/// every row of them, two years of an agency's history on every open.
const EARLIER_WORK_SQL: &str = "SELECT c.id,
        coalesce((SELECT sum(minutes) FROM carer_week_minutes
                  WHERE carer_id = c.id AND week BETWEEN ?1 AND ?2), 0)
      + coalesce((SELECT sum(minutes) FROM carer_week_travel
                  WHERE carer_id = c.id AND week BETWEEN ?1 AND ?2), 0)
      + coalesce((SELECT sum(minutes) FROM carer_hours_before_caredesk
                  WHERE carer_id = c.id AND deleted_at IS NULL AND week BETWEEN ?1 AND ?2 AND week < ?3), 0),
        (SELECT min(week) FROM carer_hours_before_caredesk
         WHERE carer_id = c.id AND deleted_at IS NULL AND week BETWEEN ?1 AND ?2 AND week < ?3)
    FROM carers c WHERE c.deleted_at IS NULL";

/// Every row `sql` reads, each read by `read` with the columns' places
/// looked up once.
fn all<T>(conn: &Connection, sql: &str, read: fn(&rusqlite::Row, &Columns) -> rusqlite::Result<T>) -> Result<Vec<T>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let columns = Columns::of(&stmt);
    let rows = stmt.query_map([], |row| read(row, &columns))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// What the rules and the board read of every client, and nothing else: a
/// client's row has 22 columns, their phone, funding and notes among them,
/// and reading them all to keep eight was a fifth of the people's half of
/// the huge agency's week.
const CLIENTS_SQL: &str = "SELECT id, given_name, family_name, postcode, lat, lon, preferred_carer_gender, language
    FROM clients WHERE deleted_at IS NULL";

/// A row of `CLIENTS_SQL`, its name written as `Client::full_name` writes it.
fn client_summary(row: &rusqlite::Row) -> rusqlite::Result<ClientSummary> {
    Ok(ClientSummary {
        id: row_uuid(row, 0)?,
        name: FullName(row_str(row, 1)?, row_str(row, 2)?).to_string().into(),
        postcode: row_str(row, 3)?.into(),
        lat: row.get(4)?,
        lon: row.get(5)?,
        preferred_carer_gender: row_enum(row, 6, CarerGenderPreference::parse)?,
        language: row.get(7)?,
    })
}

/// The carers of the week's visits, every client with their preferences,
/// every carer still with the agency on `week_start` with their skills,
/// availability, absences and earlier hours, and the current risk controls.
fn read_people(conn: &Connection, week_start: NaiveDate) -> Result<People> {
    let (from, to) = days_read(week_start);
    let allocated = week_carers(conn, from, to)?;
    let mut clients: IdMap<ClientFacts> = all(conn, CLIENTS_SQL, |row, _| client_summary(row))?
        .into_iter()
        .map(|client| (client.id, ClientFacts { client, preferences: vec![], controls: vec![] }))
        .collect();
    for p in all(conn, "SELECT * FROM client_carer_preferences WHERE deleted_at IS NULL", |row, _| {
        CarerPreference::from_row(row)
    })? {
        if let Some(c) = clients.get_mut(&p.client_id) {
            c.preferences.push(p);
        }
    }
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
                availability: Arc::from([]),
                absences: vec![],
                earlier_16_weeks_minutes: 0,
                hours_before_from: None,
                other_week_rests: None,
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
    let mut availability: IdMap<Vec<Availability>> = IdMap::default();
    for a in all(conn, "SELECT * FROM carer_availability WHERE deleted_at IS NULL", Availability::from_columns)? {
        availability.entry(a.carer_id).or_default().push(a);
    }
    for (carer, slots) in availability {
        if let Some(c) = carers.get_mut(&carer) {
            c.availability = slots.into();
        }
    }
    // The absences the days read reach: the rules and the board ask of no
    // other day, and an agency's years of leave past would otherwise be
    // read, and kept with the week, every time a week opens.
    let mut stmt = conn.prepare_cached(
        "SELECT * FROM carer_absences WHERE deleted_at IS NULL AND ends_on >= ?1 AND starts_on <= ?2",
    )?;
    for a in stmt.query_map([from.to_string(), to.to_string()], Absence::from_row)? {
        let a = a?;
        if let Some(c) = carers.get_mut(&a.carer_id) {
            c.absences.push(a);
        }
    }
    let earlier = (week_start - Duration::weeks(16), week_start - Duration::weeks(1));
    let records_from = crate::people::working_time::records_from(conn, earlier.0)?;
    let entered_before = records_from.unwrap_or(earlier.0).to_string();
    let params = [earlier.0.to_string(), earlier.1.to_string(), entered_before];
    let mut stmt = conn.prepare_cached(EARLIER_WORK_SQL)?;
    for row in stmt.query_map(params, |r| Ok((row_uuid(r, 0)?, r.get::<_, u32>(1)?, row_opt_date(r, 2)?)))? {
        let (carer, minutes, entered_from) = row?;
        if let Some(c) = carers.get_mut(&carer) {
            c.earlier_16_weeks_minutes = minutes;
            c.hours_before_from = entered_from;
        }
    }
    let weekly_rest = crate::working_time_settings::working_time_settings(conn)?.weekly_rest();
    if let Some((_, other)) = weekly_rest.fortnight_of(week_start) {
        for (carer, rests) in super::week_travel::week_rests_kept(conn, other)? {
            if let Some(c) = carers.get_mut(&carer) {
                c.other_week_rests = Some(rests);
            }
        }
    }
    let controls = crate::risk::current_controls(conn)?;
    let skills =
        SkillNames(crate::people::skills_catalogue(conn)?.into_iter().map(|s| (s.code, s.name.into())).collect());
    Ok(People { allocated, clients, carers, controls, skills, records_from, weekly_rest })
}

/// The week made of its two halves: each visit with its carers, and the
/// rules' facts of those planned to happen.
fn put_together(mut all_visits: Vec<ReadVisit>, people: People, week_start: NaiveDate, travel: TravelSettings) -> Week {
    let People { allocated, mut clients, mut carers, mut controls, skills, records_from, weekly_rest } = people;
    file_carers(&mut all_visits, &allocated);
    // The day either side is read for the rules about a carer's rest and
    // travel across the week's edges: only the visits carers are on there
    // matter to them, and the board never shows those days. A week planned
    // ahead, not yet allocated, holds a fifth fewer visits.
    let week = week_start..week_start + Duration::days(7);
    all_visits.retain(|v| week.contains(&v.local_date) || (v.status == VisitStatus::Planned && !v.carers.is_empty()));
    // "Morning call for Margaret Onions", made once for a package's week;
    // the controls of the activities visits need, once for a set of skills
    // (none at all, shared by every visit, where no activity has any).
    let mut names: FxHashMap<(Option<Uuid>, Uuid), Arc<str>> = FxHashMap::default();
    let no_controls: Arc<[ControlFacts]> = Arc::from([]);
    let mut by_skills: FxHashMap<&[String], Arc<[ControlFacts]>> = FxHashMap::default();
    for v in all_visits.iter().filter(|v| v.checked(&clients)) {
        let client = clients.get(&v.client_id).map(|c| &c.client);
        names.entry((v.package_id, v.client_id)).or_insert_with(|| visit_name(v, client));
        if !controls.activities.is_empty() {
            by_skills.entry(&v.required_skills).or_insert_with(|| controls.for_skills(&v.required_skills));
        }
    }
    // The rules check what is planned to happen, in the week's order (the
    // kept week's carry-over relies on it: see `carry`); each visit's facts
    // are made on every core, in that order still.
    let visits = all_visits
        .par_iter()
        .filter(|v| v.checked(&clients))
        .filter_map(|v| {
            let client = &clients.get(&v.client_id)?.client;
            let name = names.get(&(v.package_id, v.client_id))?.clone();
            let controls = by_skills.get(&*v.required_skills).unwrap_or(&no_controls).clone();
            Some(visit_facts(v, Some(client), name, controls))
        })
        .collect();
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
    let facts = RotaFacts { week_start, visits, carers, clients, travel, skills, records_from, weekly_rest };
    Week::new(all_visits, facts)
}

#[cfg(test)]
mod tests {
    use super::{EARLIER_WORK_SQL, WEEK_CARERS_SQL, WEEK_VISITS_SQL};
    use crate::rules::ClientSummary;

    fn plan(sql: &str) -> Vec<String> {
        let store = crate::Store::open_in_memory("test").expect("a store");
        let mut stmt = store.read().prepare(&format!("EXPLAIN QUERY PLAN {sql}")).expect("a plan");
        let dates = ["2026-11-22", "2026-11-30", "2026-08-03"];
        stmt.query_map(rusqlite::params_from_iter(&dates[..stmt.parameter_count()]), |r| r.get(3))
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

    #[test]
    fn a_carers_earlier_weeks_are_looked_up_by_carer_not_read_from_the_whole_history() {
        let steps = plan(EARLIER_WORK_SQL);
        for table in ["carer_week_minutes", "carer_week_travel", "carer_hours_before_caredesk"] {
            let by_carer =
                |s: &&String| s.starts_with(&format!("SEARCH {table} ")) && s.contains("(carer_id=? AND week>?");
            assert!(steps.iter().any(|s| by_carer(&s)), "{table} searched by carer and weeks: {steps:?}");
            assert!(
                !steps.iter().any(|s| s.starts_with(&format!("SCAN {table}"))),
                "{table} not read whole: {steps:?}"
            );
        }
    }

    #[test]
    fn a_week_holds_the_absences_its_days_reach_and_none_long_past() {
        use crate::rota::reallocate::{mark_off, OffInput};
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).expect("a date");
        let monday = crate::rota::week::monday_of(today);
        let agency = crate::demo::generate(crate::demo::Size::Small, 7, today);
        let mut store = crate::Store::open_in_memory("test").expect("a store");
        crate::demo::load(&mut store, &agency).expect("the demo agency");
        let carer = agency.carers[0].carer.id;
        let mut off = |first: chrono::NaiveDate, last: chrono::NaiveDate| {
            let input = OffInput {
                carer_id: Some(carer),
                kind: Some(crate::people::AbsenceKind::AnnualLeave),
                from: format!("{first}T00:00"),
                until: last.to_string(),
                note: String::new(),
            };
            mark_off(&mut store, &input).expect("marked off")
        };
        let days = chrono::Duration::days;
        // The Sunday before (the rest rules read it), a Wednesday, a
        // fortnight running into the week, and a week ended a month before.
        let sunday = off(monday - days(1), monday - days(1));
        let wednesday = off(monday + days(2), monday + days(2));
        let into_the_week = off(monday - days(10), monday + days(3));
        let long_past = off(monday - days(35), monday - days(29));
        let week = super::load_week(store.read(), monday, Default::default()).expect("the week");
        let held: Vec<uuid::Uuid> = week.facts.carers[&carer].absences.iter().map(|a| a.id).collect();
        for (absence, what) in [(sunday, "the day before"), (wednesday, "a day of it"), (into_the_week, "into it")] {
            assert!(held.contains(&absence), "an absence {what} the week is held: {held:?}");
        }
        assert!(!held.contains(&long_past), "an absence ended a month before is not held");
    }

    #[test]
    fn a_week_knows_each_client_as_their_whole_record_would_summarise_them() {
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).expect("a date");
        let agency = crate::demo::generate(crate::demo::Size::Small, 7, today);
        let mut store = crate::Store::open_in_memory("test").expect("a store");
        crate::demo::load(&mut store, &agency).expect("the demo agency");
        let week = super::load_week(store.read(), today, Default::default()).expect("the week");
        assert_eq!(week.facts.clients.len(), agency.clients.len(), "every client is known");
        for records in &agency.clients {
            let summary = &week.facts.clients[&records.client.id].client;
            assert_eq!(*summary, ClientSummary::of(&records.client), "{}", records.client.full_name());
        }
        // The demo writes a language and a preferred gender for some of
        // its clients: the comparison covers both, not only their defaults.
        let summaries = || week.facts.clients.values().map(|c| &c.client);
        assert!(summaries().any(|c| !c.language.is_empty()), "a client who would rather another language");
        assert!(
            summaries().any(|c| c.preferred_carer_gender != crate::people::CarerGenderPreference::Any),
            "a client who would rather a carer of one gender"
        );
    }
}
