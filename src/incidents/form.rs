//! The incident form as a person fills it in, and its validation into
//! records. Pure: what was typed in, records or every problem out; nothing
//! typed is lost, because the form itself is never changed.

use super::notify::{Harm, IncidentKind};
use super::records::{Incident, IncidentPerson, IncidentStatus, PersonRole, ReportedHow};
use crate::error::{FieldErrors, Result};
use crate::people::common::{clean, read_london_moment, require_text};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

/// A person involved, as typed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PersonInput {
    pub id: Option<Uuid>,
    pub role: Option<PersonRole>,
    pub carer_id: Option<Uuid>,
    pub client_id: Option<Uuid>,
    pub name: String,
    pub involvement: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct IncidentInput {
    pub id: Option<Uuid>,
    /// "YYYY-MM-DD HH:MM" (or with a "T"), London time.
    pub occurred: String,
    pub reported: String,
    pub reported_by: String,
    pub reported_how: Option<ReportedHow>,
    pub kind: Option<IncidentKind>,
    pub severity: Option<Harm>,
    pub location: String,
    pub description: String,
    pub immediate_action: String,
    /// "Front" or "Back", and the region ("left forearm"): optional.
    pub body_side: String,
    pub body_region: String,
    /// Descriptions of attachments kept elsewhere ("Photo of the bruise, in the paper file").
    pub attachments: Vec<String>,
    pub visit_id: Option<Uuid>,
    pub worker_off_over_7_days: bool,
    pub people: Vec<PersonInput>,
}

impl IncidentInput {
    /// The records this form makes. `before` is the stored incident when
    /// editing (its status and id are kept); `now` refuses times ahead of it.
    pub fn validate(&self, before: Option<&Incident>, now: DateTime<Utc>) -> Result<(Incident, Vec<IncidentPerson>)> {
        let mut e = FieldErrors::new();
        let occurred_at = read_london_moment(&mut e, "occurred", &self.occurred);
        let reported_at = read_london_moment(&mut e, "reported", &self.reported);
        for (field, at) in [("occurred", occurred_at), ("reported", reported_at)] {
            if at.is_some_and(|at| at > now + chrono::Duration::minutes(5)) {
                e.add(field, "This is in the future");
            }
        }
        if let (Some(occurred), Some(reported)) = (occurred_at, reported_at) {
            if reported < occurred {
                e.add("reported", "It cannot have been reported before it happened");
            }
        }
        let description = self.description.trim().to_string();
        if description.is_empty() {
            e.add("description", "Describe what happened");
        }
        let body_map = match (clean(&self.body_side).as_str(), clean(&self.body_region)) {
            ("", region) if region.is_empty() => String::new(),
            (side @ ("Front" | "Back"), region) if !region.is_empty() => format!("{side}: {region}"),
            ("Front" | "Back", _) => {
                e.add("body_region", "Say where on the body");
                String::new()
            }
            _ => {
                e.add("body_side", "Choose front or back");
                String::new()
            }
        };
        let id = before.map_or_else(crate::ids::new_id, |b| b.id);
        let mut people = Vec::new();
        for (i, person) in self.people.iter().enumerate() {
            let field = |name: &str| format!("people[{i}].{name}");
            let (carer_id, client_id, name) = match person.role {
                Some(PersonRole::Carer) if person.carer_id.is_none() => {
                    e.add(field("carer_id"), "Choose the carer");
                    continue;
                }
                Some(PersonRole::Client) if person.client_id.is_none() => {
                    e.add(field("client_id"), "Choose the person");
                    continue;
                }
                Some(PersonRole::Carer) => (person.carer_id, None, String::new()),
                Some(PersonRole::Client) => (None, person.client_id, String::new()),
                Some(PersonRole::Other) if clean(&person.name).is_empty() => {
                    e.add(field("name"), "Enter their name");
                    continue;
                }
                Some(PersonRole::Other) => (None, None, clean(&person.name)),
                None => {
                    e.add(field("role"), "Choose carer, person using the service or someone else");
                    continue;
                }
            };
            people.push(IncidentPerson {
                id: person.id.unwrap_or_else(crate::ids::new_id),
                incident_id: id,
                role: person.role.unwrap_or(PersonRole::Other),
                carer_id,
                client_id,
                name,
                involvement: clean(&person.involvement),
            });
        }
        // A missing value stands in as a placeholder: its error is reported,
        // so the incident is never saved with it.
        let incident = Incident {
            id,
            occurred_at: occurred_at.unwrap_or(now),
            reported_at: reported_at.unwrap_or(now),
            reported_by: require_text(&mut e, "reported_by", &self.reported_by, "who reported it"),
            reported_how: self.reported_how.unwrap_or_else(|| {
                e.add("reported_how", "Say how it was reported");
                ReportedHow::Phone
            }),
            kind: self.kind.unwrap_or_else(|| {
                e.add("kind", "Choose what kind of incident it was");
                IncidentKind::Other
            }),
            severity: self.severity.unwrap_or_else(|| {
                e.add("severity", "Choose how serious it was");
                Harm::NoHarm
            }),
            location: clean(&self.location),
            description,
            immediate_action: self.immediate_action.trim().to_string(),
            body_map,
            attachments: self.attachments.iter().map(|a| clean(a)).filter(|a| !a.is_empty()).collect(),
            visit_id: self.visit_id,
            worker_off_over_7_days: self.worker_off_over_7_days,
            status: before.map_or(IncidentStatus::Open, |b| b.status),
            closed_at: before.and_then(|b| b.closed_at),
            closed_by: before.map(|b| b.closed_by.clone()).unwrap_or_default(),
        };
        e.finish((incident, people))
    }
}
