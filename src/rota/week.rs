//! Gathering a week of the rota from the store as plain facts for the rules.

use crate::error::Result;
use crate::people::{Absence, Availability, Carer, CarerPreference, CarerSkill, Client};
use crate::rules::{CarerFacts, ClientFacts, RotaFacts, VisitFacts};
use crate::store::{json_list, row_instant, row_uuid};
use crate::travel::{GeoPoint, TravelSettings};
use chrono::{Datelike, Duration, NaiveDate};
use rusqlite::Connection;
use std::collections::HashMap;
use uuid::Uuid;

/// Every care package's name ("Morning call"), by id.
pub(crate) fn package_labels(conn: &Connection) -> Result<HashMap<Uuid, String>> {
    let mut stmt = conn.prepare_cached("SELECT id, label FROM care_packages")?;
    let rows = stmt.query_map([], |r| Ok((row_uuid(r, 0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The carers of each visit from `from` to `to`, slot 1 first.
pub(crate) fn carers_of_visits(conn: &Connection, from: NaiveDate, to: NaiveDate) -> Result<HashMap<Uuid, Vec<Uuid>>> {
    let mut stmt = conn.prepare_cached(
        "SELECT a.visit_id, a.slot, a.carer_id
         FROM visits v INDEXED BY visits_by_date
              JOIN visit_allocations a INDEXED BY visit_allocations_carers ON a.visit_id = v.id AND a.deleted_at IS NULL
         WHERE v.deleted_at IS NULL AND v.local_date BETWEEN ?1 AND ?2",
    )?;
    let mut slots: HashMap<Uuid, Vec<(u8, Uuid)>> = HashMap::new();
    let rows = stmt.query_map([from.to_string(), to.to_string()], |r| {
        Ok((row_uuid(r, "visit_id")?, r.get::<_, u8>(1)?, row_uuid(r, "carer_id")?))
    })?;
    for row in rows {
        let (visit, slot, carer) = row?;
        slots.entry(visit).or_default().push((slot, carer));
    }
    Ok(slots
        .into_iter()
        .map(|(visit, mut carers)| {
            carers.sort_unstable();
            (visit, carers.into_iter().map(|(_, carer)| carer).collect())
        })
        .collect())
}

/// The Monday of the week holding `date`.
pub fn monday_of(date: NaiveDate) -> NaiveDate {
    date - Duration::days(i64::from(date.weekday().num_days_from_monday()))
}

fn all<T>(conn: &Connection, sql: &str, read: fn(&rusqlite::Row) -> rusqlite::Result<T>) -> Result<Vec<T>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let rows = stmt.query_map([], read)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// `load_week` with the agency's travel settings, kept until the data changes.
pub fn cached_week(store: &crate::Store, week_start: NaiveDate) -> Result<std::sync::Arc<RotaFacts>> {
    store.memo(&format!("rota week {week_start}"), |conn| load_week(conn, week_start, TravelSettings::default()))
}

/// The week from `week_start` (a Monday), with the day either side so rest
/// rules see across its edges, every current carer and every client.
pub fn load_week(conn: &Connection, week_start: NaiveDate, travel: TravelSettings) -> Result<RotaFacts> {
    let (from, to) = (week_start - Duration::days(1), week_start + Duration::days(7));
    let mut clients: HashMap<Uuid, ClientFacts> =
        all(conn, "SELECT * FROM clients WHERE deleted_at IS NULL", Client::from_row)?
            .into_iter()
            .map(|client| (client.id, ClientFacts { client, preferences: vec![] }))
            .collect();
    let labels = package_labels(conn)?;
    let allocated = carers_of_visits(conn, from, to)?;
    // Read from the covering index `visits_by_date` alone; clients' names and
    // places come from the map above rather than a join, which would look up
    // a client row for every visit.
    let mut stmt = conn.prepare_cached(
        "SELECT id, client_id, package_id, starts_at, duration_min, carers_required, required_skills, short_task
         FROM visits INDEXED BY visits_by_date
         WHERE deleted_at IS NULL AND local_date BETWEEN ?1 AND ?2 AND status = 'planned'",
    )?;
    let mut visits = Vec::new();
    let mut rows = stmt.query([from.to_string(), to.to_string()])?;
    while let Some(row) = rows.next()? {
        // By position, in the SELECT's order (see `store::field::Column`).
        let id = row_uuid(row, 0)?;
        let client_id = row_uuid(row, 1)?;
        let Some(client) = clients.get(&client_id) else { continue };
        let package = crate::store::row_opt_uuid(row, 2)?;
        let label = package.and_then(|p| labels.get(&p).map(String::as_str)).unwrap_or("Visit");
        visits.push(VisitFacts {
            id,
            client_id,
            name: format!("{label} for {}", client.client.full_name()),
            start: row_instant(row, 3)?,
            duration_min: row.get(4)?,
            carers_required: row.get(5)?,
            required_skills: json_list(row, 6)?,
            short_task: row.get(7)?,
            location: GeoPoint { lat: client.client.lat, lon: client.client.lon },
            carers: allocated.get(&id).cloned().unwrap_or_default(),
        });
    }
    drop(rows);

    let mut carers: HashMap<Uuid, CarerFacts> =
        all(conn, "SELECT * FROM carers WHERE deleted_at IS NULL", Carer::from_row)?
            .into_iter()
            .filter(|c| c.left_on.is_none_or(|left| left >= week_start))
            .map(|carer| {
                let facts = CarerFacts {
                    carer,
                    skills: vec![],
                    availability: vec![],
                    absences: vec![],
                    earlier_16_weeks_minutes: 0,
                };
                (facts.carer.id, facts)
            })
            .collect();
    for s in all(conn, "SELECT * FROM carer_skills WHERE deleted_at IS NULL", CarerSkill::from_row)? {
        if let Some(c) = carers.get_mut(&s.carer_id) {
            c.skills.push(s);
        }
    }
    for a in all(conn, "SELECT * FROM carer_availability WHERE deleted_at IS NULL", Availability::from_row)? {
        if let Some(c) = carers.get_mut(&a.carer_id) {
            c.availability.push(a);
        }
    }
    for a in all(conn, "SELECT * FROM carer_absences WHERE deleted_at IS NULL", Absence::from_row)? {
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

    for p in all(conn, "SELECT * FROM client_carer_preferences WHERE deleted_at IS NULL", CarerPreference::from_row)? {
        if let Some(c) = clients.get_mut(&p.client_id) {
            c.preferences.push(p);
        }
    }
    Ok(RotaFacts { week_start, visits, carers, clients, travel })
}
