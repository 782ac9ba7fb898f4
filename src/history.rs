//! Reading the change log back as a record's history: who changed what, when.

use crate::error::Result;
use crate::store::side_of;
use rusqlite::Connection;
use serde::Serialize;
use ts_rs::TS;

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct FieldChange {
    pub field: String,
    #[ts(type = "string | number | boolean | null")]
    pub before: serde_json::Value,
    #[ts(type = "string | number | boolean | null")]
    pub after: serde_json::Value,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct HistoryEntry {
    /// UTC, RFC 3339.
    pub at: String,
    pub actor: String,
    pub device_id: String,
    /// The table of the changed row: `carers`, `carer_skills`, `care_packages` …
    pub entity: String,
    /// What a person calls that kind of row.
    pub entity_label: String,
    pub record_id: String,
    /// `insert`, `update` or `delete`.
    pub op: String,
    pub changes: Vec<FieldChange>,
}

pub fn entity_label(entity: &str) -> &'static str {
    match entity {
        "carers" => "Carer",
        "carer_skills" => "Skill",
        "carer_availability" => "Availability",
        "carer_absences" => "Absence",
        "clients" => "Client",
        "client_key_people" => "Key person",
        "client_carer_preferences" => "Carer preference",
        "care_packages" => "Care package",
        "visits" => "Visit",
        "visit_allocations" => "Allocation",
        "rule_overrides" => "Rule overridden",
        "rota_publications" => "Rota published",
        "to_tell" => "To tell",
        "incidents" => "Incident",
        "incident_people" => "Person in an incident",
        "incident_notifications" => "Notification",
        "incident_actions" => "Incident follow-up",
        "incident_addenda" => "Incident addendum",
        "on_call_calls" => "On-call call",
        "on_call_addenda" => "Call addendum",
        "on_call_shifts" => "On-call shift",
        "on_call_patterns" => "On-call pattern",
        "queue_notes" => "Queue note",
        "restorations" => "Backup restored",
        "handovers" => "Handover",
        "document_settings" => "Emergency pack folder",
        "users" => "User",
        "security_settings" => "Security setting",
        _ => "Record",
    }
}

/// The history of a record page (a carer, a client) and of everything that
/// belongs to it, newest first.
pub fn record_history(conn: &Connection, root_id: uuid::Uuid) -> Result<Vec<HistoryEntry>> {
    let mut stmt = conn.prepare_cached(
        "SELECT at_utc, actor, device_id, entity, record_id, op, changes
         FROM change_log WHERE root_id = ?1 ORDER BY seq DESC",
    )?;
    let rows = stmt.query_map([root_id.to_string()], entry)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The history of one visit: the visit itself, who was allocated and taken
/// off, the rules gone past with their reasons, and the people to tell.
pub fn visit_history(conn: &Connection, visit_id: uuid::Uuid) -> Result<Vec<HistoryEntry>> {
    let mut stmt = conn.prepare_cached(
        "SELECT at_utc, actor, device_id, entity, record_id, op, changes FROM change_log
         WHERE record_id IN (SELECT ?1 UNION ALL SELECT id FROM visit_allocations WHERE visit_id = ?1
                             UNION ALL SELECT id FROM rule_overrides WHERE visit_id = ?1
                             UNION ALL SELECT id FROM to_tell WHERE visit_id = ?1)
         ORDER BY seq DESC",
    )?;
    let rows = stmt.query_map([visit_id.to_string()], entry)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn entry(row: &rusqlite::Row) -> rusqlite::Result<HistoryEntry> {
    let entity: String = row.get(3)?;
    let changes: String = row.get(6)?;
    let op: String = row.get(5)?;
    Ok(HistoryEntry {
        at: row.get(0)?,
        actor: row.get(1)?,
        device_id: row.get(2)?,
        entity_label: entity_label(&entity).to_string(),
        entity,
        record_id: row.get(4)?,
        changes: parse_changes(&op, &changes),
        op,
    })
}

fn parse_changes(op: &str, text: &str) -> Vec<FieldChange> {
    let Ok(serde_json::Value::Object(fields)) = serde_json::from_str(text) else {
        return Vec::new();
    };
    fields
        .into_iter()
        .map(|(field, change)| FieldChange {
            field,
            before: side_of(op, &change, "before").cloned().unwrap_or_default(),
            after: side_of(op, &change, "after").cloned().unwrap_or_default(),
        })
        .collect()
}
