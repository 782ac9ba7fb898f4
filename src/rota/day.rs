//! A day's visits as the rota page lists them, in time order.

use crate::error::Result;
use crate::store::row_uuid;
use chrono::NaiveDate;
use rusqlite::Connection;
use serde::Serialize;
use ts_rs::TS;
use uuid::Uuid;

/// A carer in a slot of a visit.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct SlotCarer {
    pub slot: u8,
    pub carer_id: Uuid,
    pub name: String,
}

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
    /// Under 30 minutes without being a deliberate short task (NICE NG21).
    pub short_visit: bool,
    pub cancelled: bool,
    pub time_note: String,
    pub carers: Vec<SlotCarer>,
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
            short_visit: crate::rules::is_short_visit(row.get("duration_min")?, row.get("short_task")?),
            cancelled: row.get::<_, String>("status")? == "cancelled",
            time_note: row.get("time_note")?,
            carers: Vec::new(),
        })
    })?;
    let mut visits: Vec<VisitRow> = rows.collect::<rusqlite::Result<_>>()?;
    let mut stmt = conn.prepare_cached(
        "SELECT a.visit_id, a.slot, a.carer_id, c.given_name || ' ' || c.family_name
         FROM visit_allocations a JOIN visits v ON v.id = a.visit_id JOIN carers c ON c.id = a.carer_id
         WHERE a.deleted_at IS NULL AND v.deleted_at IS NULL AND v.local_date = ?1 ORDER BY a.slot",
    )?;
    let slots = stmt.query_map([date.to_string()], |r| {
        Ok((
            row_uuid(r, "visit_id")?,
            SlotCarer { slot: r.get(1)?, carer_id: row_uuid(r, "carer_id")?, name: r.get(3)? },
        ))
    })?;
    for slot in slots {
        let (visit_id, carer) = slot?;
        if let Some(visit) = visits.iter_mut().find(|v| v.id == visit_id) {
            visit.carers.push(carer);
        }
    }
    Ok(visits)
}
