//! Recording incidents and everything after: notification decisions, sending,
//! follow-up, status and addenda. Every change goes through the write path;
//! a closed incident is refused here with a clear message, and by the
//! database's triggers if anything got past.

use super::form::IncidentInput;
use super::notify::{due_at, proposals, IncidentFacts, NotificationKind};
use super::records::*;
use crate::access::Operation;
use crate::error::{Error, FieldErrors, Result};
use crate::people::common::read_london_moment;
use crate::people::common::{clean, optional_date, require_text, required_date};
use crate::store::{find_live, Changes, Store};
use chrono::{DateTime, Utc};
use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

pub(crate) fn load_incident(conn: &Connection, id: Uuid) -> Result<Incident> {
    find_live(conn, "incidents", id, "Incident", Incident::from_row)
}

pub(crate) fn children<T>(
    conn: &Connection,
    table: &str,
    incident: Uuid,
    read: fn(&rusqlite::Row) -> rusqlite::Result<T>,
) -> Result<Vec<T>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT * FROM {table} WHERE incident_id = ?1 AND deleted_at IS NULL ORDER BY rowid"
    ))?;
    let rows = stmt.query_map([incident.to_string()], read)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn refuse_if_closed(incident: &Incident) -> Result<()> {
    if incident.status == IncidentStatus::Closed {
        return Err(Error::Conflict("This incident is closed and cannot be changed: add an addendum instead".into()));
    }
    Ok(())
}

fn facts(incident: &Incident, people: &[IncidentPerson]) -> IncidentFacts {
    IncidentFacts {
        kind: incident.kind,
        severity: incident.severity,
        worker_involved: people.iter().any(|p| p.role == PersonRole::Carer),
        client_involved: people.iter().any(|p| p.role == PersonRole::Client),
        worker_off_over_7_days: incident.worker_off_over_7_days,
    }
}

/// Adds a notification decision for each kind the incident now calls for
/// and does not have yet; deadlines of the undecided ones follow the
/// incident's times. Decisions already made are never touched.
fn propose(changes: &mut Changes, incident: &Incident, people: &[IncidentPerson]) -> Result<()> {
    let existing = children(changes.read(), "incident_notifications", incident.id, Notification::from_row)?;
    for (kind, why) in proposals(&facts(incident, people)) {
        let due = due_at(kind, incident.occurred_at, incident.reported_at);
        match existing.iter().find(|n| n.kind == kind) {
            Some(n) if n.decision == Decision::Undecided && (n.due_at != due || !n.proposed) => {
                changes.update(n, &Notification { due_at: due, proposed: true, why_proposed: why, ..n.clone() })?;
            }
            Some(_) => {}
            None => changes.insert(&new_notification(incident, kind, true, why))?,
        }
    }
    Ok(())
}

fn new_notification(incident: &Incident, kind: NotificationKind, proposed: bool, why: String) -> Notification {
    Notification {
        id: crate::ids::new_id(),
        incident_id: incident.id,
        kind,
        proposed,
        why_proposed: why,
        due_at: due_at(kind, incident.occurred_at, incident.reported_at),
        decision: Decision::Undecided,
        decision_reason: String::new(),
        decided_by: String::new(),
        decided_at: None,
        sent_at: None,
        sent_by: String::new(),
        reference: String::new(),
    }
}

/// Records a new incident, or saves changes to one not yet closed.
pub fn save_incident(store: &mut Store, input: &IncidentInput) -> Result<Uuid> {
    let before = input.id.map(|id| load_incident(store.read(), id)).transpose()?;
    if let Some(before) = &before {
        refuse_if_closed(before)?;
    }
    let (incident, people) = input.validate(before.as_ref(), store.now())?;
    store.write(Operation::RecordIncidents, |changes| {
        match &before {
            Some(before) => {
                let old_people = children(changes.read(), "incident_people", before.id, IncidentPerson::from_row)?;
                changes.update(before, &incident)?;
                changes.replace_children(&old_people, &people)?;
            }
            None => {
                changes.insert(&incident)?;
                changes.replace_children(&[], &people)?;
            }
        }
        propose(changes, &incident, &people)?;
        Ok(incident.id)
    })
}

fn load_notification(conn: &Connection, id: Uuid) -> Result<(Notification, Incident)> {
    let n = find_live(conn, "incident_notifications", id, "Notification", Notification::from_row)?;
    let incident = load_incident(conn, n.incident_id)?;
    refuse_if_closed(&incident)?;
    Ok((n, incident))
}

/// Adds a notification the app did not propose ("tell the police too").
pub fn add_notification(store: &mut Store, incident_id: Uuid, kind: NotificationKind) -> Result<Uuid> {
    let incident = load_incident(store.read(), incident_id)?;
    refuse_if_closed(&incident)?;
    let existing = children(store.read(), "incident_notifications", incident_id, Notification::from_row)?;
    if existing.iter().any(|n| n.kind == kind) {
        return Err(Error::Conflict(format!("{} is already on this incident", kind.label())));
    }
    let n = new_notification(&incident, kind, false, String::new());
    store.write(Operation::RecordIncidents, |changes| changes.insert(&n))?;
    Ok(n.id)
}

/// Decides to notify, or not to (which needs a reason).
pub fn decide_notification(store: &mut Store, id: Uuid, decision: Decision, reason: &str) -> Result<()> {
    let (before, _) = load_notification(store.read(), id)?;
    let reason = reason.trim().to_string();
    let mut e = FieldErrors::new();
    if decision == Decision::NotNotify && reason.is_empty() {
        e.add("reason", "Say why this does not need to be notified");
    }
    if decision != Decision::Notify && before.sent_at.is_some() {
        e.add("decision", "It has been sent already");
    }
    e.finish(())?;
    let after = Notification {
        decision,
        decision_reason: reason,
        decided_by: if decision == Decision::Undecided { String::new() } else { store.actor().to_string() },
        decided_at: (decision != Decision::Undecided).then(|| store.now()),
        ..before.clone()
    };
    store.write(Operation::RecordIncidents, |changes| changes.update(&before, &after).map(|_| ()))
}

/// Records that a notification was sent: when (London time), and the
/// reference the body gave ("CQC ref 1234"), by the signed-in person.
pub fn record_sent(store: &mut Store, id: Uuid, sent: &str, reference: &str) -> Result<()> {
    let (before, incident) = load_notification(store.read(), id)?;
    let mut e = FieldErrors::new();
    let sent_at = read_london_moment(&mut e, "sent", sent);
    if sent_at.is_some_and(|at| at < incident.reported_at - chrono::Duration::days(1)) {
        e.add("sent", "This is before the incident was reported");
    }
    if sent_at.is_some_and(|at| at > store.now() + chrono::Duration::minutes(5)) {
        e.add("sent", "This is in the future");
    }
    let Some(sent_at) = sent_at else { return e.finish(()) };
    e.finish(())?;
    let after = Notification {
        decision: Decision::Notify,
        decided_by: if before.decided_by.is_empty() { store.actor().to_string() } else { before.decided_by.clone() },
        decided_at: before.decided_at.or(Some(store.now())),
        sent_at: Some(sent_at),
        sent_by: store.actor().to_string(),
        reference: clean(reference),
        ..before.clone()
    };
    store.write(Operation::RecordIncidents, |changes| changes.update(&before, &after).map(|_| ()))
}

/// A follow-up action or support for the worker, as typed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct FollowUpInput {
    pub id: Option<Uuid>,
    pub incident_id: Uuid,
    pub kind: Option<ActionKind>,
    pub description: String,
    pub owner: String,
    pub carer_id: Option<Uuid>,
    /// YYYY-MM-DD
    pub due_on: String,
    /// YYYY-MM-DD, or empty while not done.
    pub done_on: String,
}

pub fn save_follow_up(store: &mut Store, input: &FollowUpInput) -> Result<Uuid> {
    let incident = load_incident(store.read(), input.incident_id)?;
    refuse_if_closed(&incident)?;
    let before = match input.id {
        Some(id) => Some(find_live(store.read(), "incident_actions", id, "Follow-up", FollowUp::from_row)?),
        None => None,
    };
    let mut e = FieldErrors::new();
    let support = matches!(input.kind, Some(k) if k != ActionKind::Action);
    if support && input.carer_id.is_none() {
        e.add("carer_id", "Choose the worker being supported");
    }
    let description = input.description.trim().to_string();
    if description.is_empty() {
        e.add("description", "Say what is to be done");
    }
    // A missing value stands in as a placeholder: its error is reported,
    // so the follow-up is never saved with it.
    let after = FollowUp {
        id: before.as_ref().map_or_else(crate::ids::new_id, |b| b.id),
        incident_id: incident.id,
        kind: input.kind.unwrap_or_else(|| {
            e.add("kind", "Choose an action or the kind of support");
            ActionKind::Action
        }),
        description,
        owner: require_text(&mut e, "owner", &input.owner, "who will do it"),
        carer_id: input.carer_id,
        due_on: required_date(&mut e, "due_on", &input.due_on, "the due date").unwrap_or_default(),
        done_on: optional_date(&mut e, "done_on", &input.done_on),
    };
    let after = e.finish(after)?;
    let id = after.id;
    store.write(Operation::RecordIncidents, |changes| match &before {
        Some(before) => changes.update(before, &after).map(|_| ()),
        None => changes.insert(&after),
    })?;
    Ok(id)
}

/// Moves an incident along: open ↔ under review → closed. Closing needs
/// every notification decided (and sent where the decision was to notify)
/// and every follow-up done; each thing still missing is said.
pub fn set_status(store: &mut Store, id: Uuid, status: IncidentStatus) -> Result<()> {
    let before = load_incident(store.read(), id)?;
    refuse_if_closed(&before)?;
    if status == before.status {
        return Ok(());
    }
    let mut e = FieldErrors::new();
    if status == IncidentStatus::Closed {
        for n in children(store.read(), "incident_notifications", id, Notification::from_row)? {
            match n.decision {
                Decision::Undecided => e.add("status", format!("Decide whether to notify: {}", n.kind.label())),
                Decision::Notify if n.sent_at.is_none() => {
                    e.add("status", format!("Record when it was sent: {}", n.kind.label()))
                }
                _ => {}
            }
        }
        for f in children(store.read(), "incident_actions", id, FollowUp::from_row)? {
            if f.done_on.is_none() {
                e.add("status", format!("Not done yet: {} ({})", f.description, f.owner));
            }
        }
    }
    e.finish(())?;
    let closing = status == IncidentStatus::Closed;
    let after = Incident {
        status,
        closed_at: closing.then(|| store.now()),
        closed_by: if closing { store.actor().to_string() } else { String::new() },
        ..before.clone()
    };
    store.write(Operation::RecordIncidents, |changes| changes.update(&before, &after).map(|_| ()))
}

/// A correction or later fact, at any status; never changed once written.
pub fn add_addendum(store: &mut Store, incident_id: Uuid, text: &str) -> Result<Uuid> {
    load_incident(store.read(), incident_id)?;
    let text = text.trim().to_string();
    if text.is_empty() {
        return Err(Error::Invalid(vec![crate::FieldError {
            field: "text".into(),
            message: "Write the addendum".into(),
        }]));
    }
    let addendum = Addendum {
        id: crate::ids::new_id(),
        incident_id,
        text,
        written_by: store.actor().to_string(),
        written_at: store.now(),
    };
    store.write(Operation::RecordIncidents, |changes| changes.insert(&addendum))?;
    Ok(addendum.id)
}

/// When something is due or was done, for the screen: "overdue" when a
/// waiting notification is past its deadline at `now`.
pub fn is_overdue(n: &Notification, now: DateTime<Utc>) -> bool {
    n.waiting() && n.due_at < now
}
