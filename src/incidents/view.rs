//! Reading incidents for the screens: the list, one incident with all that
//! hangs off it (and the rota around it), notifications still waiting
//! across the agency, and the form, blank or started from a visit.

use super::form::{IncidentInput, PersonInput};
use super::records::*;
use super::service::{children, is_overdue, load_incident};
use crate::error::Result;
use crate::people::common::london_text;
use crate::rota::plan::london_date;
use crate::rota::publish::{carer_name, client_name, describe_visit};
use crate::store::{row_instant, row_uuid};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Europe::London;
use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

/// A person involved, by the name on their record or the name typed.
fn person_name(conn: &Connection, person: &IncidentPerson) -> Result<String> {
    match (person.carer_id, person.client_id) {
        (Some(carer), _) => carer_name(conn, carer),
        (_, Some(client)) => client_name(conn, client),
        _ => Ok(person.name.clone()),
    }
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct PersonView {
    pub person: IncidentPerson,
    /// The carer's or client's name from their record, or the name typed.
    pub name: String,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct NotificationView {
    pub notification: Notification,
    pub label: String,
    /// "Due 14:30 on Tue 3 Mar", "Sent …", "Not notifying: …".
    pub state: String,
    pub overdue: bool,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct FollowUpView {
    pub follow_up: FollowUp,
    pub kind_label: String,
    pub carer_name: Option<String>,
    pub overdue: bool,
}

/// A visit on a carer's schedule for the day of the incident.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct DayVisit {
    pub visit_id: Uuid,
    /// "Morning call for Joan Hughes at 07:30 on Mon 2 Mar".
    pub description: String,
    /// The incident's own visit.
    pub this_visit: bool,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct CarerDay {
    pub carer_id: Uuid,
    pub name: String,
    pub visits: Vec<DayVisit>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct IncidentDetail {
    pub incident: Incident,
    pub kind_label: String,
    pub severity_label: String,
    pub status_label: String,
    /// `HH:MM on Mon 2 Mar 2026`, London.
    pub occurred: String,
    pub reported: String,
    pub visit: Option<String>,
    pub people: Vec<PersonView>,
    pub notifications: Vec<NotificationView>,
    pub follow_ups: Vec<FollowUpView>,
    pub addenda: Vec<Addendum>,
    /// Each carer involved: their visits that day, from the rota.
    pub carer_days: Vec<CarerDay>,
    /// Now and today on the London clock, as the date fields take them: the
    /// starting values for "sent at" and "done on".
    pub now_local: String,
    pub today: NaiveDate,
}

fn long_moment(at: DateTime<Utc>) -> String {
    at.with_timezone(&London).format("%H:%M on %a %-d %b %Y").to_string()
}

fn notification_view(n: Notification, now: DateTime<Utc>) -> NotificationView {
    let state = match (n.decision, n.sent_at) {
        (_, Some(sent)) => format!(
            "Sent {} by {}{}",
            long_moment(sent),
            n.sent_by,
            if n.reference.is_empty() { String::new() } else { format!(", reference {}", n.reference) }
        ),
        (Decision::NotNotify, _) => format!("Not notifying ({}): {}", n.decided_by, n.decision_reason),
        (Decision::Notify, None) => format!("To send by {}", long_moment(n.due_at)),
        (Decision::Undecided, None) => format!("To decide by {}", long_moment(n.due_at)),
    };
    NotificationView { label: n.kind.label().to_string(), overdue: is_overdue(&n, now), state, notification: n }
}

pub fn incident_detail(conn: &Connection, id: Uuid, now: DateTime<Utc>) -> Result<IncidentDetail> {
    let incident = load_incident(conn, id)?;
    let mut people = Vec::new();
    for person in children(conn, "incident_people", id, IncidentPerson::from_row)? {
        people.push(PersonView { name: person_name(conn, &person)?, person });
    }
    let notifications = children(conn, "incident_notifications", id, Notification::from_row)?
        .into_iter()
        .map(|n| notification_view(n, now))
        .collect();
    let today = london_date(now);
    let mut follow_ups = Vec::new();
    for f in children(conn, "incident_actions", id, FollowUp::from_row)? {
        follow_ups.push(FollowUpView {
            kind_label: f.kind.label().to_string(),
            carer_name: f.carer_id.map(|c| carer_name(conn, c)).transpose()?,
            overdue: f.done_on.is_none() && f.due_on < today,
            follow_up: f,
        });
    }
    let visit = match incident.visit_id {
        Some(v) => Some(describe_visit(conn, &crate::rota::visits::load_visit(conn, v)?)?),
        None => None,
    };
    let mut carer_days = Vec::new();
    for person in people.iter().filter_map(|p| p.person.carer_id.map(|c| (c, p.name.clone()))) {
        carer_days.push(carer_day(conn, person.0, person.1, &incident)?);
    }
    Ok(IncidentDetail {
        kind_label: incident.kind.label().to_string(),
        severity_label: incident.severity.label().to_string(),
        status_label: incident.status.label().to_string(),
        occurred: long_moment(incident.occurred_at),
        reported: long_moment(incident.reported_at),
        visit,
        people,
        notifications,
        follow_ups,
        addenda: children(conn, "incident_addenda", id, Addendum::from_row)?,
        carer_days,
        incident,
        now_local: london_text(now),
        today: london_date(now),
    })
}

/// The carer's visits on the London day the incident happened.
fn carer_day(conn: &Connection, carer_id: Uuid, name: String, incident: &Incident) -> Result<CarerDay> {
    // Filed by date: the day is one range read of the carer's allocations,
    // not all they have had.
    let mut stmt = conn.prepare_cached(
        "SELECT v.id FROM allocations_by_date a JOIN visits v ON v.id = a.visit_id
         WHERE a.carer_id = ?1 AND a.local_date = ?2 AND v.deleted_at IS NULL
         ORDER BY v.starts_at",
    )?;
    let ids: Vec<Uuid> = stmt
        .query_map([carer_id.to_string(), london_date(incident.occurred_at).to_string()], |r| row_uuid(r, 0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut visits = Vec::new();
    for visit_id in ids {
        let visit = crate::rota::visits::load_visit(conn, visit_id)?;
        visits.push(DayVisit {
            visit_id,
            description: describe_visit(conn, &visit)?,
            this_visit: incident.visit_id == Some(visit_id),
        });
    }
    Ok(CarerDay { carer_id, name, visits })
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct IncidentQuery {
    /// Only incidents not closed.
    pub open_only: bool,
    pub carer_id: Option<Uuid>,
    pub client_id: Option<Uuid>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct IncidentRow {
    pub id: Uuid,
    pub occurred: String,
    pub kind_label: String,
    pub severity_label: String,
    pub status_label: String,
    pub status: IncidentStatus,
    /// The people involved, by name.
    pub people: String,
    /// The first line of the description.
    pub summary: String,
    pub waiting_notifications: u32,
    pub overdue_notifications: u32,
}

/// Incidents newest first.
pub fn list_incidents(conn: &Connection, query: &IncidentQuery, now: DateTime<Utc>) -> Result<Vec<IncidentRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT i.* FROM incidents i
         WHERE i.deleted_at IS NULL AND (?1 = 0 OR i.status <> 'closed')
           AND (?2 IS NULL OR EXISTS (SELECT 1 FROM incident_people p WHERE p.incident_id = i.id
                                      AND p.deleted_at IS NULL AND p.carer_id = ?2))
           AND (?3 IS NULL OR EXISTS (SELECT 1 FROM incident_people p WHERE p.incident_id = i.id
                                      AND p.deleted_at IS NULL AND p.client_id = ?3))
         ORDER BY i.occurred_at DESC",
    )?;
    let incidents: Vec<Incident> = stmt
        .query_map(
            rusqlite::params![
                query.open_only,
                query.carer_id.map(|c| c.to_string()),
                query.client_id.map(|c| c.to_string())
            ],
            Incident::from_row,
        )?
        .collect::<rusqlite::Result<_>>()?;
    let mut rows = Vec::new();
    for incident in incidents {
        let mut names = Vec::new();
        for p in children(conn, "incident_people", incident.id, IncidentPerson::from_row)? {
            names.push(person_name(conn, &p)?);
        }
        let notes = children(conn, "incident_notifications", incident.id, Notification::from_row)?;
        rows.push(IncidentRow {
            id: incident.id,
            occurred: long_moment(incident.occurred_at),
            kind_label: incident.kind.label().to_string(),
            severity_label: incident.severity.label().to_string(),
            status_label: incident.status.label().to_string(),
            status: incident.status,
            people: names.join(", "),
            summary: incident.description.lines().next().unwrap_or_default().to_string(),
            waiting_notifications: notes.iter().filter(|n| n.waiting()).count() as u32,
            overdue_notifications: notes.iter().filter(|n| is_overdue(n, now)).count() as u32,
        });
    }
    Ok(rows)
}

/// A notification still waiting, for the dashboard and the handover.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct WaitingNotification {
    pub incident_id: Uuid,
    pub notification_id: Uuid,
    pub label: String,
    pub incident: String,
    #[ts(type = "string")]
    pub due_at: DateTime<Utc>,
    pub due: String,
    pub overdue: bool,
}

/// Every notification not yet decided or sent, soonest due first.
pub fn waiting_notifications(conn: &Connection, now: DateTime<Utc>) -> Result<Vec<WaitingNotification>> {
    let mut stmt = conn.prepare_cached(
        "SELECT n.*, i.kind AS incident_kind, i.occurred_at AS incident_at
         FROM incident_notifications n INDEXED BY incident_notifications_waiting
              JOIN incidents i ON i.id = n.incident_id AND i.deleted_at IS NULL
         WHERE n.deleted_at IS NULL AND n.sent_at IS NULL AND n.decision <> 'not_notify'
         ORDER BY n.due_at",
    )?;
    let rows = stmt.query_map([], |r| {
        let n = Notification::from_row(r)?;
        let kind: String = r.get("incident_kind")?;
        let at = row_instant(r, "incident_at")?;
        Ok((n, kind, at))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (n, kind, at) = row?;
        let kind_label = super::notify::IncidentKind::parse(&kind).map_or("Incident", |k| k.label());
        out.push(WaitingNotification {
            incident_id: n.incident_id,
            notification_id: n.id,
            label: n.kind.label().to_string(),
            incident: format!("{kind_label}, {}", long_moment(at)),
            due: long_moment(n.due_at),
            overdue: is_overdue(&n, now),
            due_at: n.due_at,
        });
    }
    Ok(out)
}

/// The form for an incident: as stored, or new — started from a visit when
/// one is given (its time, the client's address, the client and carers).
pub fn incident_form(
    conn: &Connection,
    id: Option<Uuid>,
    visit_id: Option<Uuid>,
    actor: &str,
    now: DateTime<Utc>,
) -> Result<IncidentInput> {
    if let Some(id) = id {
        let i = load_incident(conn, id)?;
        let (side, region) = i.body_map.split_once(": ").unwrap_or(("", ""));
        let people = children(conn, "incident_people", id, IncidentPerson::from_row)?
            .into_iter()
            .map(|p| PersonInput {
                id: Some(p.id),
                role: Some(p.role),
                carer_id: p.carer_id,
                client_id: p.client_id,
                name: p.name,
                involvement: p.involvement,
            })
            .collect();
        return Ok(IncidentInput {
            id: Some(i.id),
            occurred: london_text(i.occurred_at),
            reported: london_text(i.reported_at),
            reported_by: i.reported_by,
            reported_how: Some(i.reported_how),
            kind: Some(i.kind),
            severity: Some(i.severity),
            location: i.location,
            description: i.description,
            immediate_action: i.immediate_action,
            body_side: side.to_string(),
            body_region: region.to_string(),
            attachments: i.attachments,
            visit_id: i.visit_id,
            worker_off_over_7_days: i.worker_off_over_7_days,
            people,
        });
    }
    let mut form = IncidentInput {
        occurred: london_text(now),
        reported: london_text(now),
        reported_by: actor.to_string(),
        reported_how: Some(ReportedHow::Phone),
        ..IncidentInput::default()
    };
    if let Some(visit_id) = visit_id {
        let visit = crate::rota::visits::load_visit(conn, visit_id)?;
        let client = crate::people::load_client(conn, visit.client_id)?.client;
        // During or just after the visit, whichever is earlier than now.
        form.occurred = london_text(visit.starts_at.min(now - Duration::minutes(1)));
        form.location = format!("{}, {}, {}", client.address_line1, client.town, client.postcode);
        form.visit_id = Some(visit_id);
        form.people.push(PersonInput {
            role: Some(PersonRole::Client),
            client_id: Some(client.id),
            ..PersonInput::default()
        });
        for a in crate::rota::allocations::live_allocations(conn, &visit)? {
            form.people.push(PersonInput {
                role: Some(PersonRole::Carer),
                carer_id: Some(a.carer_id),
                ..PersonInput::default()
            });
        }
    }
    Ok(form)
}

/// A value the core stores and the words a person sees for it.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct Choice {
    pub value: String,
    pub label: String,
}

/// Everything the incident screens offer to choose from, worded by the core.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct IncidentChoices {
    pub kinds: Vec<Choice>,
    pub harms: Vec<Choice>,
    pub reported_how: Vec<Choice>,
    pub roles: Vec<Choice>,
    pub action_kinds: Vec<Choice>,
    pub notification_kinds: Vec<Choice>,
    pub statuses: Vec<Choice>,
    /// Current carers and clients by name, for "who was involved".
    pub carers: Vec<Choice>,
    pub clients: Vec<Choice>,
}

macro_rules! choices {
    ($enum:ty) => {
        <$enum>::ALL.iter().map(|v| Choice { value: v.as_str().into(), label: v.label().into() }).collect()
    };
}

pub fn incident_choices(conn: &Connection) -> Result<IncidentChoices> {
    let people = |sql: &str| -> Result<Vec<Choice>> {
        let mut stmt = conn.prepare_cached(sql)?;
        let rows = stmt.query_map([], |r| Ok(Choice { value: r.get(0)?, label: r.get(1)? }))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    };
    Ok(IncidentChoices {
        kinds: choices!(super::notify::IncidentKind),
        harms: choices!(super::notify::Harm),
        reported_how: choices!(ReportedHow),
        roles: choices!(PersonRole),
        action_kinds: choices!(ActionKind),
        notification_kinds: choices!(super::notify::NotificationKind),
        statuses: choices!(IncidentStatus),
        carers: people(
            "SELECT id, given_name || ' ' || family_name FROM carers WHERE deleted_at IS NULL
             ORDER BY family_name COLLATE NOCASE, given_name COLLATE NOCASE",
        )?,
        clients: people(
            "SELECT id, given_name || ' ' || family_name FROM clients WHERE deleted_at IS NULL
             ORDER BY family_name COLLATE NOCASE, given_name COLLATE NOCASE",
        )?,
    })
}
