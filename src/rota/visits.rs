//! The visit record.

use crate::people::common::text_enum;
use crate::record_fields;
use crate::store::{json_list, row_date, row_enum, row_instant, row_opt_uuid, row_time, row_uuid, Record};
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use rusqlite::types::Value;
use rusqlite::Row;
use serde::Serialize;
use ts_rs::TS;
use uuid::Uuid;

/// The longest a visit or a package's call may last, in minutes: a day. The
/// schema's check holds every visit to it, so a visit that reaches an instant
/// started no more than this before it.
pub const LONGEST_VISIT_MIN: u32 = 1440;

text_enum!(VisitStatus {
    Planned = "planned": "Planned",
    Cancelled = "cancelled": "Cancelled",
});

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Visit {
    pub id: Uuid,
    pub client_id: Uuid,
    pub package_id: Option<Uuid>,
    pub local_date: NaiveDate,
    /// The wall-clock time the package asked for.
    #[ts(type = "string")]
    pub local_time: NaiveTime,
    /// When the visit starts, as an instant (UTC).
    #[ts(type = "string")]
    pub starts_at: DateTime<Utc>,
    pub duration_min: u32,
    pub carers_required: u8,
    pub required_skills: Vec<String>,
    pub tasks: Vec<String>,
    pub time_critical: bool,
    pub flex_min: u32,
    pub short_task: bool,
    pub status: VisitStatus,
    pub cancel_reason: String,
    /// A person changed this visit: roll-forward leaves it alone.
    pub edited_by_hand: bool,
    pub time_note: String,
}

impl Record for Visit {
    const ENTITY: &'static str = "visits";
    fn id(&self) -> Uuid {
        self.id
    }
    fn root_id(&self) -> Uuid {
        self.client_id
    }
    fn fields(&self) -> Vec<(&'static str, Value)> {
        record_fields!(self; client_id, package_id, local_date, local_time, starts_at, duration_min,
            carers_required, required_skills, tasks, time_critical, flex_min, short_task, status,
            cancel_reason, edited_by_hand, time_note)
    }
}

impl Visit {
    pub(crate) fn from_row(row: &Row) -> rusqlite::Result<Self> {
        Ok(Self {
            id: row_uuid(row, "id")?,
            client_id: row_uuid(row, "client_id")?,
            package_id: row_opt_uuid(row, "package_id")?,
            local_date: row_date(row, "local_date")?,
            local_time: row_time(row, "local_time")?,
            starts_at: row_instant(row, "starts_at")?,
            duration_min: row.get("duration_min")?,
            carers_required: row.get("carers_required")?,
            required_skills: json_list(row, "required_skills")?,
            tasks: json_list(row, "tasks")?,
            time_critical: row.get("time_critical")?,
            flex_min: row.get("flex_min")?,
            short_task: row.get("short_task")?,
            status: row_enum(row, "status", VisitStatus::parse)?,
            cancel_reason: row.get("cancel_reason")?,
            edited_by_hand: row.get("edited_by_hand")?,
            time_note: row.get("time_note")?,
        })
    }
}

/// One visit, or `NotFound`.
pub fn load_visit(conn: &rusqlite::Connection, id: Uuid) -> crate::Result<Visit> {
    crate::store::find_live(conn, "visits", id, "Visit", Visit::from_row)
}
