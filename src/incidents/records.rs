//! The stored incident records: the incident, the people involved, the
//! notification decisions, the follow-up actions and the addenda.

use super::notify::{Harm, IncidentKind, NotificationKind};
use crate::people::common::text_enum;
use crate::record_fields;
use crate::store::Record;
use crate::store::{json_list, row_date, row_enum, row_instant, row_opt_date, row_opt_instant, row_opt_uuid, row_uuid};
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::types::Value;
use rusqlite::Row;
use serde::Serialize;
use ts_rs::TS;
use uuid::Uuid;

text_enum!(ReportedHow {
    Phone = "phone": "By phone",
    InPerson = "in_person": "In person",
    Email = "email": "By email",
    Text = "text": "By text message",
    App = "app": "In the app",
    Letter = "letter": "By letter",
});

text_enum!(IncidentStatus {
    Open = "open": "Open",
    UnderReview = "under_review": "Under review",
    Closed = "closed": "Closed",
});

text_enum!(PersonRole {
    Carer = "carer": "Carer",
    Client = "client": "Person using the service",
    Other = "other": "Someone else",
});

text_enum!(Decision {
    Undecided = "undecided": "Not decided",
    Notify = "notify": "Notify",
    NotNotify = "not_notify": "Not notifying",
});

text_enum!(ActionKind {
    Action = "action": "Action",
    Debrief = "debrief": "Debrief",
    Supervision = "supervision": "Supervision",
    OccupationalHealth = "occupational_health": "Occupational health",
});

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Incident {
    pub id: Uuid,
    #[ts(type = "string")]
    pub occurred_at: DateTime<Utc>,
    #[ts(type = "string")]
    pub reported_at: DateTime<Utc>,
    pub reported_by: String,
    pub reported_how: ReportedHow,
    pub kind: IncidentKind,
    pub severity: Harm,
    pub location: String,
    pub description: String,
    pub immediate_action: String,
    pub body_map: String,
    pub attachments: Vec<String>,
    pub visit_id: Option<Uuid>,
    pub worker_off_over_7_days: bool,
    pub status: IncidentStatus,
    #[ts(type = "string | null")]
    pub closed_at: Option<DateTime<Utc>>,
    pub closed_by: String,
}

impl Record for Incident {
    const ENTITY: &'static str = "incidents";
    fn id(&self) -> Uuid {
        self.id
    }
    fn fields(&self) -> Vec<(&'static str, Value)> {
        record_fields!(self; occurred_at, reported_at, reported_by, reported_how, kind, severity, location,
            description, immediate_action, body_map, attachments, visit_id, worker_off_over_7_days, status,
            closed_at, closed_by)
    }
}

impl Incident {
    pub(crate) fn from_row(row: &Row) -> rusqlite::Result<Self> {
        Ok(Self {
            id: row_uuid(row, "id")?,
            occurred_at: row_instant(row, "occurred_at")?,
            reported_at: row_instant(row, "reported_at")?,
            reported_by: row.get("reported_by")?,
            reported_how: row_enum(row, "reported_how", ReportedHow::parse)?,
            kind: row_enum(row, "kind", IncidentKind::parse)?,
            severity: row_enum(row, "severity", Harm::parse)?,
            location: row.get("location")?,
            description: row.get("description")?,
            immediate_action: row.get("immediate_action")?,
            body_map: row.get("body_map")?,
            attachments: json_list(row, "attachments")?,
            visit_id: row_opt_uuid(row, "visit_id")?,
            worker_off_over_7_days: row.get("worker_off_over_7_days")?,
            status: row_enum(row, "status", IncidentStatus::parse)?,
            closed_at: row_opt_instant(row, "closed_at")?,
            closed_by: row.get("closed_by")?,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct IncidentPerson {
    pub id: Uuid,
    pub incident_id: Uuid,
    pub role: PersonRole,
    pub carer_id: Option<Uuid>,
    pub client_id: Option<Uuid>,
    /// For someone else; a carer's or client's name comes from their record.
    pub name: String,
    pub involvement: String,
}

impl Record for IncidentPerson {
    const ENTITY: &'static str = "incident_people";
    fn id(&self) -> Uuid {
        self.id
    }
    fn root_id(&self) -> Uuid {
        self.incident_id
    }
    fn fields(&self) -> Vec<(&'static str, Value)> {
        record_fields!(self; incident_id, role, carer_id, client_id, name, involvement)
    }
}

impl IncidentPerson {
    pub(crate) fn from_row(row: &Row) -> rusqlite::Result<Self> {
        Ok(Self {
            id: row_uuid(row, "id")?,
            incident_id: row_uuid(row, "incident_id")?,
            role: row_enum(row, "role", PersonRole::parse)?,
            carer_id: row_opt_uuid(row, "carer_id")?,
            client_id: row_opt_uuid(row, "client_id")?,
            name: row.get("name")?,
            involvement: row.get("involvement")?,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Notification {
    pub id: Uuid,
    pub incident_id: Uuid,
    pub kind: NotificationKind,
    /// Proposed by the app from the incident's type and severity, rather
    /// than added by a person.
    pub proposed: bool,
    pub why_proposed: String,
    #[ts(type = "string")]
    pub due_at: DateTime<Utc>,
    pub decision: Decision,
    pub decision_reason: String,
    pub decided_by: String,
    #[ts(type = "string | null")]
    pub decided_at: Option<DateTime<Utc>>,
    #[ts(type = "string | null")]
    pub sent_at: Option<DateTime<Utc>>,
    pub sent_by: String,
    pub reference: String,
}

impl Record for Notification {
    const ENTITY: &'static str = "incident_notifications";
    fn id(&self) -> Uuid {
        self.id
    }
    fn root_id(&self) -> Uuid {
        self.incident_id
    }
    fn fields(&self) -> Vec<(&'static str, Value)> {
        record_fields!(self; incident_id, kind, proposed, why_proposed, due_at, decision, decision_reason,
            decided_by, decided_at, sent_at, sent_by, reference)
    }
}

impl Notification {
    pub(crate) fn from_row(row: &Row) -> rusqlite::Result<Self> {
        Ok(Self {
            id: row_uuid(row, "id")?,
            incident_id: row_uuid(row, "incident_id")?,
            kind: row_enum(row, "kind", NotificationKind::parse)?,
            proposed: row.get("proposed")?,
            why_proposed: row.get("why_proposed")?,
            due_at: row_instant(row, "due_at")?,
            decision: row_enum(row, "decision", Decision::parse)?,
            decision_reason: row.get("decision_reason")?,
            decided_by: row.get("decided_by")?,
            decided_at: row_opt_instant(row, "decided_at")?,
            sent_at: row_opt_instant(row, "sent_at")?,
            sent_by: row.get("sent_by")?,
            reference: row.get("reference")?,
        })
    }

    /// Still to be done: not decided, or to be sent and not yet sent.
    pub fn waiting(&self) -> bool {
        match self.decision {
            Decision::Undecided => true,
            Decision::Notify => self.sent_at.is_none(),
            Decision::NotNotify => false,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct FollowUp {
    pub id: Uuid,
    pub incident_id: Uuid,
    pub kind: ActionKind,
    pub description: String,
    pub owner: String,
    /// The worker being supported (debrief, supervision, occupational health).
    pub carer_id: Option<Uuid>,
    pub due_on: NaiveDate,
    pub done_on: Option<NaiveDate>,
}

impl Record for FollowUp {
    const ENTITY: &'static str = "incident_actions";
    fn id(&self) -> Uuid {
        self.id
    }
    fn root_id(&self) -> Uuid {
        self.incident_id
    }
    fn fields(&self) -> Vec<(&'static str, Value)> {
        record_fields!(self; incident_id, kind, description, owner, carer_id, due_on, done_on)
    }
}

impl FollowUp {
    pub(crate) fn from_row(row: &Row) -> rusqlite::Result<Self> {
        Ok(Self {
            id: row_uuid(row, "id")?,
            incident_id: row_uuid(row, "incident_id")?,
            kind: row_enum(row, "kind", ActionKind::parse)?,
            description: row.get("description")?,
            owner: row.get("owner")?,
            carer_id: row_opt_uuid(row, "carer_id")?,
            due_on: row_date(row, "due_on")?,
            done_on: row_opt_date(row, "done_on")?,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Addendum {
    pub id: Uuid,
    pub incident_id: Uuid,
    pub text: String,
    pub written_by: String,
    #[ts(type = "string")]
    pub written_at: DateTime<Utc>,
}

impl Record for Addendum {
    const ENTITY: &'static str = "incident_addenda";
    fn id(&self) -> Uuid {
        self.id
    }
    fn root_id(&self) -> Uuid {
        self.incident_id
    }
    fn fields(&self) -> Vec<(&'static str, Value)> {
        record_fields!(self; incident_id, text, written_by, written_at)
    }
}

impl Addendum {
    pub(crate) fn from_row(row: &Row) -> rusqlite::Result<Self> {
        Ok(Self {
            id: row_uuid(row, "id")?,
            incident_id: row_uuid(row, "incident_id")?,
            text: row.get("text")?,
            written_by: row.get("written_by")?,
            written_at: row_instant(row, "written_at")?,
        })
    }
}
