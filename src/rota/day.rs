//! A day's visits as the rota page lists them, in time order.

use crate::error::Result;
use crate::store::row_uuid;
use chrono::NaiveDate;
use rusqlite::Connection;
use serde::Serialize;
use ts_rs::TS;
use uuid::Uuid;

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct VisitRow {
    pub id: Uuid,
    pub client_id: Uuid,
    pub client_name: String,
    pub postcode: String,
    /// The package's name for the call ("Morning call"), or "One-off visit".
    pub label: String,
    /// Start in London wall-clock time, `HH:MM`.
    pub local_start: String,
    pub duration_min: u32,
    pub carers_required: u8,
    pub time_critical: bool,
    pub flex_min: u32,
    pub short_task: bool,
    pub cancelled: bool,
    pub time_note: String,
}

/// Every visit on `date` (London), earliest first.
pub fn visits_on(conn: &Connection, date: NaiveDate) -> Result<Vec<VisitRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT v.id, v.client_id, c.given_name || ' ' || c.family_name AS client_name, c.postcode,
                coalesce(p.label, 'One-off visit') AS label, v.starts_at, v.duration_min, v.carers_required,
                v.time_critical, v.flex_min, v.short_task, v.status, v.time_note
         FROM visits v JOIN clients c ON c.id = v.client_id LEFT JOIN care_packages p ON p.id = v.package_id
         WHERE v.deleted_at IS NULL AND v.local_date = ?1
         ORDER BY v.starts_at, client_name",
    )?;
    let rows = stmt.query_map([date.to_string()], |row| {
        let starts_at: String = row.get("starts_at")?;
        let local_start = chrono::DateTime::parse_from_rfc3339(&starts_at)
            .map(|at| at.with_timezone(&chrono_tz::Europe::London).format("%H:%M").to_string())
            .unwrap_or(starts_at);
        Ok(VisitRow {
            id: row_uuid(row, "id")?,
            client_id: row_uuid(row, "client_id")?,
            client_name: row.get("client_name")?,
            postcode: row.get("postcode")?,
            label: row.get("label")?,
            local_start,
            duration_min: row.get("duration_min")?,
            carers_required: row.get("carers_required")?,
            time_critical: row.get("time_critical")?,
            flex_min: row.get("flex_min")?,
            short_task: row.get("short_task")?,
            cancelled: row.get::<_, String>("status")? == "cancelled",
            time_note: row.get("time_note")?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
