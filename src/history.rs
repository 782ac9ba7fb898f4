//! Reading the change log back as a record's history: who changed what, when.

use crate::error::Result;
use crate::rota::ROLLED_VISITS;
use crate::store::{side_of, Batch};
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
        "carer_hours_before_caredesk" => "Hours before Caredesk",
        "clients" => "Client",
        "client_key_people" => "Key person",
        "client_carer_preferences" => "Carer preference",
        "care_packages" => "Care package",
        "visits" => "Visit",
        "visit_allocations" => "Allocation",
        ROLLED_VISITS => "Rolled-forward visits",
        "rule_overrides" => "Rule override",
        "rota_publications" => "Rota publication",
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
        "risk_assessments" => "Risk assessment",
        "risk_hazards" => "Hazard",
        "risk_controls" => "Control measure",
        "risk_settings" => "Risk setting",
        "travel_settings" => "Travel setting",
        "working_time_settings" => "Working time setting",
        "visit_calls" => "Check-in call",
        "escalation_steps" => "Escalation step",
        "restorations" => "Restoration from a backup",
        "rolls" => "Roll forward",
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
        "SELECT at_utc, actor, device_id, entity, record_id, op, changes,
                CASE entity WHEN ?2 THEN (SELECT label FROM care_packages WHERE id = record_id) END
         FROM change_log WHERE root_id = ?1 ORDER BY seq DESC",
    )?;
    let rows = stmt.query_map([root_id.to_string().as_str(), ROLLED_VISITS], entry)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The history of one visit: the visit itself, who was allocated and taken
/// off, the rules gone past with their reasons, and the people to tell.
/// A visit a roll forward made is found in its package's batch for that
/// week (`rota::ROLLED_VISITS`) and shown as its own insert.
pub fn visit_history(conn: &Connection, visit_id: uuid::Uuid) -> Result<Vec<HistoryEntry>> {
    let mut stmt = conn.prepare_cached(
        "SELECT at_utc, actor, device_id, entity, record_id, op, changes, NULL, seq FROM change_log
         WHERE record_id IN (SELECT ?1 UNION ALL SELECT id FROM visit_allocations WHERE visit_id = ?1
                             UNION ALL SELECT id FROM rule_overrides WHERE visit_id = ?1
                             UNION ALL SELECT id FROM to_tell WHERE visit_id = ?1)
         UNION ALL
         SELECT at_utc, actor, device_id, entity, record_id, op, changes, NULL, seq FROM change_log
         WHERE record_id = (SELECT package_id FROM visits WHERE id = ?1) AND entity = ?2 AND instr(changes, ?1) > 0
         ORDER BY seq DESC",
    )?;
    let id = visit_id.to_string();
    let rows = stmt.query_map([id.as_str(), ROLLED_VISITS], |row| {
        let found = entry(row)?;
        if found.entity != ROLLED_VISITS {
            return Ok(Some(found));
        }
        // The batch's row for this visit, as the visit's own insert.
        let changes: String = row.get(6)?;
        let fields = Batch::parse(&changes).and_then(|batch| batch.record(&id));
        Ok(fields.map(|fields| HistoryEntry {
            entity: "visits".into(),
            entity_label: entity_label("visits").into(),
            record_id: id.clone(),
            changes: fields
                .into_iter()
                .map(|(field, after)| FieldChange { field, before: serde_json::Value::Null, after })
                .collect(),
            ..found
        }))
    })?;
    let found: Vec<Option<HistoryEntry>> = rows.collect::<rusqlite::Result<_>>()?;
    Ok(found.into_iter().flatten().collect())
}

fn entry(row: &rusqlite::Row) -> rusqlite::Result<HistoryEntry> {
    let entity: String = row.get(3)?;
    let changes: String = row.get(6)?;
    let op: String = row.get(5)?;
    Ok(HistoryEntry {
        at: row.get(0)?,
        actor: row.get(1)?,
        device_id: row.get(2)?,
        record_id: row.get(4)?,
        changes: match entity.as_str() {
            ROLLED_VISITS => batch_summary(&changes, row.get::<_, Option<String>>(7)?.unwrap_or_default()),
            _ => parse_changes(&op, &changes),
        },
        entity_label: entity_label(&entity).to_string(),
        entity,
        op,
    })
}

/// A roll's batch on the client's page: which call (the package's label),
/// how many visits, over which days.
fn batch_summary(text: &str, call: String) -> Vec<FieldChange> {
    let Some(batch) = Batch::parse(text) else { return Vec::new() };
    let dates: Vec<chrono::NaiveDate> =
        batch.records().filter_map(|fields| fields.get("local_date")?.as_str()?.parse().ok()).collect();
    let (Some(first), Some(last)) = (dates.iter().min(), dates.iter().max()) else { return Vec::new() };
    let days = match first == last {
        true => first.format("%a %-d %b %Y").to_string(),
        false => format!("{} to {}", first.format("%a %-d %b"), last.format("%a %-d %b %Y")),
    };
    let visits = if batch.len() == 1 { "1 visit".to_string() } else { format!("{} visits", batch.len()) };
    let what = match call.is_empty() {
        true => format!("{visits}, {days}"),
        false => format!("{call}: {visits}, {days}"),
    };
    let what = serde_json::Value::String(what);
    vec![FieldChange { field: "what".into(), before: serde_json::Value::Null, after: what }]
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
