//! The travel between visits in each carer's week, kept in
//! `carer_week_travel` for the Working Time Regulations' 17-week average.
//!
//! Triggers (migration 21) note the carer's weeks a change touched; before
//! it commits, the write path keeps what [`recounted`] counts for them, so
//! the counts change in the same transaction as the visits and allocations
//! they come from. The
//! count itself is the rules' own (`rules::travel_between_visits`), so the
//! weeks before the rota's are counted exactly as the rota's week is.

use crate::error::Result;
use crate::people::Transport;
use crate::rules::{travel_between_visits, Stop};
use crate::store::{row_date, row_enum, row_instant, row_uuid};
use crate::travel::GeoPoint;
use crate::travel_settings::travel_settings;
use chrono::{Duration, NaiveDate};
use rusqlite::{Connection, OptionalExtension};

/// The travel of every carer's week noted as changed, counted again: (carer,
/// the week's Monday, minutes). The write path keeps them
/// (`store::write::keep_week_travel`).
pub(crate) fn recounted(conn: &Connection) -> Result<Vec<(String, NaiveDate, u32)>> {
    let noted: Vec<(String, NaiveDate)> = {
        let mut stmt = conn.prepare_cached("SELECT carer_id, week FROM carer_weeks_to_recount")?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, row_date(r, 1)?)))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    if noted.is_empty() {
        return Ok(Vec::new());
    }
    let settings = travel_settings(conn)?;
    let mut transport_of = conn.prepare_cached("SELECT transport FROM carers WHERE id = ?1")?;
    let mut stops_of = conn.prepare_cached(
        "SELECT v.id, v.starts_at, v.duration_min, v.local_date, c.lat, c.lon
         FROM allocations_by_date a
         JOIN visits v ON v.id = a.visit_id
         JOIN clients c ON c.id = v.client_id
         WHERE a.carer_id = ?1 AND a.local_date BETWEEN ?2 AND ?3
           AND v.deleted_at IS NULL AND v.status = 'planned'",
    )?;
    let mut counts = Vec::with_capacity(noted.len());
    for (carer, week) in noted {
        let transport = transport_of
            .query_row([&carer], |r| row_enum(r, 0, Transport::parse))
            .optional()?
            .unwrap_or(Transport::Car);
        let last_day = week + Duration::days(6);
        let stops = stops_of
            .query_map([carer.clone(), week.to_string(), last_day.to_string()], |r| {
                Ok(Stop {
                    id: row_uuid(r, 0)?,
                    start: row_instant(r, 1)?,
                    duration_min: r.get(2)?,
                    date: row_date(r, 3)?,
                    location: GeoPoint { lat: r.get(4)?, lon: r.get(5)? },
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let minutes = travel_between_visits(&stops, transport, &settings);
        counts.push((carer, week, minutes));
    }
    Ok(counts)
}

/// Whether any carer's week waits to be counted: after an upgrade to
/// schema 21, every week with work in it does.
pub(crate) fn any_to_recount(conn: &Connection) -> Result<bool> {
    Ok(conn.query_row("SELECT EXISTS (SELECT 1 FROM carer_weeks_to_recount)", [], |r| r.get(0))?)
}
