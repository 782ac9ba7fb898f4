//! A subject-access export (UK GDPR art. 15): everything held about one
//! client or one carer, as a readable document (HTML, prints on A4) and one
//! CSV file per kind of record, with the change log of those records.
//! Which rows belong to the person is listed here, table by table.

use super::{new_folder, rows, write_csv, ExportSummary, ExportedFile};
use crate::access::Operation;
use crate::error::{Error, Result};
use crate::store::Store;
use serde::Deserialize;
use std::fmt::Write as _;
use std::path::Path;
use ts_rs::TS;
use uuid::Uuid;

/// Whose data to export.
#[derive(Debug, Clone, Copy, Deserialize, TS)]
#[ts(export)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum Subject {
    Client(Uuid),
    Carer(Uuid),
}

const CLIENT_VISITS: &str = "SELECT id FROM visits WHERE client_id = ?1";
const CLIENT_INCIDENTS: &str = "SELECT incident_id FROM incident_people WHERE client_id = ?1
     UNION SELECT id FROM incidents WHERE visit_id IN (SELECT id FROM visits WHERE client_id = ?1)";
const CLIENT_CALLS: &str =
    "SELECT id FROM on_call_calls WHERE client_id = ?1 OR visit_id IN (SELECT id FROM visits WHERE client_id = ?1)";
const CARER_INCIDENTS: &str = "SELECT incident_id FROM incident_people WHERE carer_id = ?1
     UNION SELECT incident_id FROM incident_actions WHERE carer_id = ?1";

/// (table, which rows) for each kind of subject; `?1` is the person's id.
fn plan(subject: Subject) -> Vec<(&'static str, String)> {
    let rows = |table: &'static str, condition: &str| (table, condition.to_string());
    match subject {
        Subject::Client(_) => vec![
            rows("clients", "id = ?1"),
            rows("client_key_people", "client_id = ?1"),
            rows("client_carer_preferences", "client_id = ?1"),
            rows("care_packages", "client_id = ?1"),
            rows("visits", "client_id = ?1"),
            rows("visit_allocations", &format!("visit_id IN ({CLIENT_VISITS})")),
            rows("rule_overrides", &format!("visit_id IN ({CLIENT_VISITS})")),
            rows("to_tell", "client_id = ?1"),
            rows("queue_notes", "client_id = ?1"),
            rows("incidents", &format!("id IN ({CLIENT_INCIDENTS})")),
            rows("incident_people", "client_id = ?1"),
            rows("incident_notifications", &format!("incident_id IN ({CLIENT_INCIDENTS})")),
            rows("incident_actions", &format!("incident_id IN ({CLIENT_INCIDENTS})")),
            rows("incident_addenda", &format!("incident_id IN ({CLIENT_INCIDENTS})")),
            rows("on_call_calls", &format!("id IN ({CLIENT_CALLS})")),
            rows("on_call_addenda", &format!("call_id IN ({CLIENT_CALLS})")),
        ],
        Subject::Carer(_) => vec![
            rows("carers", "id = ?1"),
            rows("carer_skills", "carer_id = ?1"),
            rows("carer_availability", "carer_id = ?1"),
            rows("carer_absences", "carer_id = ?1"),
            rows("carer_hours_before_caredesk", "carer_id = ?1"),
            rows("client_carer_preferences", "carer_id = ?1"),
            rows("visit_allocations", "carer_id = ?1"),
            rows("visits", "id IN (SELECT visit_id FROM visit_allocations WHERE carer_id = ?1)"),
            rows("rule_overrides", "carer_id = ?1"),
            rows("to_tell", "carer_id = ?1"),
            rows("incidents", &format!("id IN ({CARER_INCIDENTS})")),
            rows("incident_people", "carer_id = ?1"),
            rows("incident_actions", "carer_id = ?1"),
            rows("on_call_calls", "carer_id = ?1"),
            rows("on_call_addenda", "call_id IN (SELECT id FROM on_call_calls WHERE carer_id = ?1)"),
        ],
    }
}

fn html(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// Writes the export into a new folder under `parent`.
pub fn subject_access(store: &mut Store, subject: Subject, parent: &Path) -> Result<ExportSummary> {
    store.permit(Operation::ExportData)?;
    let (id, kind, what) = match subject {
        Subject::Client(id) => (id, "clients", "client"),
        Subject::Carer(id) => (id, "carers", "carer"),
    };
    let conn = store.read();
    let (_, person) =
        rows(conn, kind, &format!("SELECT given_name, family_name FROM {kind} WHERE id = ?1"), &[&id.to_string()])?;
    let name = person
        .first()
        .map(|p| p.join(" "))
        .ok_or_else(|| Error::not_found(if what == "client" { "Client" } else { "Carer" }, id))?;
    let folder = new_folder(parent, &format!("subject-access-{what}"), store.now())?;
    let mut sections = Vec::new();
    let mut ids = vec![id.to_string()];
    for (table, condition) in plan(subject) {
        let (header, found) =
            rows(conn, table, &format!("SELECT * FROM {table} WHERE {condition}"), &[&id.to_string()])?;
        if let Some(column) = header.iter().position(|c| c == "id") {
            ids.extend(found.iter().map(|r| r[column].clone()));
        }
        sections.push((table.to_string(), header, found));
    }
    let id_list = serde_json::to_string(&ids).expect("ids serialise");
    let (header, log) = rows(
        conn,
        "change_log",
        "SELECT at_utc, actor, device_id, entity, record_id, op, changes FROM change_log
         WHERE record_id IN (SELECT value FROM json_each(?1)) OR root_id = ?2 ORDER BY hlc",
        &[&id_list, &id.to_string()],
    )?;
    sections.push(("change_log".into(), header, log));

    let mut files = Vec::new();
    let mut doc = format!(
        "<!doctype html><meta charset=\"utf-8\"><title>Subject access: {name}</title>\
         <style>body{{font:11pt sans-serif;margin:2em}}h2{{margin-top:1.5em;border-bottom:1px solid #999}}\
         dl{{display:grid;grid-template-columns:14em 1fr;gap:0 1em;margin:0.5em 0 1em;break-inside:avoid}}\
         dt{{color:#555}}dd{{margin:0;white-space:pre-wrap;word-break:break-word}}</style>\
         <h1>Everything Caredesk holds about {name} ({what})</h1>\
         <p>Produced {} by {}. Each section is one kind of record; the same rows are in the CSV file named beside it. \
         The change log lists every change to these records: when, by whom, and the values before and after.</p><ul>",
        store.now().with_timezone(&chrono_tz::Europe::London).format("%a %-d %b %Y at %H:%M"),
        html(&store.actor()),
        name = html(&name)
    );
    for (table, _, found) in &sections {
        let _ = write!(doc, "<li>{table}: {} row{}</li>", found.len(), if found.len() == 1 { "" } else { "s" });
    }
    doc.push_str("</ul>");
    for (table, header, found) in &sections {
        let file = format!("{table}.csv");
        write_csv(&folder.join(&file), header, found)?;
        files.push(ExportedFile { name: file.clone(), rows: found.len() as u32 });
        let _ = write!(doc, "<h2>{table} <small>({file})</small></h2>");
        if found.is_empty() {
            doc.push_str("<p>None.</p>");
        }
        for row in found {
            doc.push_str("<dl>");
            for (column, value) in header.iter().zip(row) {
                if !value.is_empty() {
                    let _ = write!(doc, "<dt>{}</dt><dd>{}</dd>", html(column), html(value));
                }
            }
            doc.push_str("</dl>");
        }
    }
    std::fs::write(folder.join("subject-access.html"), doc)?;
    files.insert(0, ExportedFile { name: "subject-access.html".into(), rows: 0 });
    Ok(ExportSummary { folder: folder.display().to_string(), files })
}
