//! Gathering a week of the rota from the store as plain facts for the rules.

use crate::error::Result;
use crate::people::{Absence, Availability, Carer, CarerPreference, CarerSkill, Client};
use crate::rules::{CarerFacts, ClientFacts, RotaFacts, VisitFacts};
use crate::store::{json_list, row_uuid};
use crate::travel::{GeoPoint, TravelSettings};
use chrono::{Datelike, Duration, NaiveDate};
use rusqlite::Connection;
use std::collections::HashMap;
use uuid::Uuid;

/// The Monday of the week holding `date`.
pub fn monday_of(date: NaiveDate) -> NaiveDate {
    date - Duration::days(i64::from(date.weekday().num_days_from_monday()))
}

fn all<T>(conn: &Connection, sql: &str, read: fn(&rusqlite::Row) -> rusqlite::Result<T>) -> Result<Vec<T>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let rows = stmt.query_map([], read)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The week from `week_start` (a Monday), with the day either side so rest
/// rules see across its edges, every current carer and every client.
pub fn load_week(conn: &Connection, week_start: NaiveDate, travel: TravelSettings) -> Result<RotaFacts> {
    let (from, to) = (week_start - Duration::days(1), week_start + Duration::days(7));
    let mut allocated: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
    let mut stmt = conn.prepare_cached(
        "SELECT a.visit_id, a.carer_id FROM visit_allocations a JOIN visits v ON v.id = a.visit_id
         WHERE a.deleted_at IS NULL AND v.deleted_at IS NULL AND v.local_date BETWEEN ?1 AND ?2 ORDER BY a.slot",
    )?;
    for row in
        stmt.query_map([from.to_string(), to.to_string()], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?
    {
        let (visit, carer) = row?;
        if let (Ok(visit), Ok(carer)) = (visit.parse(), carer.parse()) {
            allocated.entry(visit).or_default().push(carer);
        }
    }
    // Only the columns the rules use: this runs for every week opened.
    let mut stmt = conn.prepare_cached(
        "SELECT v.id, v.client_id, v.starts_at, v.duration_min, v.carers_required, v.required_skills,
                v.short_task, c.lat, c.lon, c.given_name || ' ' || c.family_name AS client_name,
                coalesce(p.label, 'Visit') AS label
         FROM visits v JOIN clients c ON c.id = v.client_id LEFT JOIN care_packages p ON p.id = v.package_id
         WHERE v.deleted_at IS NULL AND v.status = 'planned' AND v.local_date BETWEEN ?1 AND ?2",
    )?;
    let visits = stmt
        .query_map([from.to_string(), to.to_string()], |row| {
            let label: String = row.get("label")?;
            let client: String = row.get("client_name")?;
            let starts_at: String = row.get("starts_at")?;
            let id = row_uuid(row, "id")?;
            Ok(VisitFacts {
                id,
                client_id: row_uuid(row, "client_id")?,
                name: format!("{label} for {client}"),
                start: chrono::DateTime::parse_from_rfc3339(&starts_at)
                    .map_err(|e| rusqlite::Error::FromSqlConversionFailure(2, rusqlite::types::Type::Text, e.into()))?
                    .with_timezone(&chrono::Utc),
                duration_min: row.get("duration_min")?,
                carers_required: row.get("carers_required")?,
                required_skills: json_list(row, "required_skills")?,
                short_task: row.get("short_task")?,
                location: GeoPoint { lat: row.get("lat")?, lon: row.get("lon")? },
                carers: allocated.get(&id).cloned().unwrap_or_default(),
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;

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
    let mut stmt = conn.prepare_cached(
        "SELECT a.carer_id, sum(v.duration_min) FROM visit_allocations a JOIN visits v ON v.id = a.visit_id
         WHERE a.deleted_at IS NULL AND v.deleted_at IS NULL AND v.status = 'planned'
           AND v.local_date BETWEEN ?1 AND ?2 GROUP BY a.carer_id",
    )?;
    let earlier = (week_start - Duration::weeks(16), week_start - Duration::days(1));
    for row in stmt.query_map([earlier.0.to_string(), earlier.1.to_string()], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, u32>(1)?))
    })? {
        let (carer, minutes) = row?;
        if let Some(c) = carer.parse().ok().and_then(|id: Uuid| carers.get_mut(&id)) {
            c.earlier_16_weeks_minutes = minutes;
        }
    }

    let mut clients: HashMap<Uuid, ClientFacts> =
        all(conn, "SELECT * FROM clients WHERE deleted_at IS NULL", Client::from_row)?
            .into_iter()
            .map(|client| (client.id, ClientFacts { client, preferences: vec![] }))
            .collect();
    for p in all(conn, "SELECT * FROM client_carer_preferences WHERE deleted_at IS NULL", CarerPreference::from_row)? {
        if let Some(c) = clients.get_mut(&p.client_id) {
            c.preferences.push(p);
        }
    }
    Ok(RotaFacts { week_start, visits, carers, clients, travel })
}
