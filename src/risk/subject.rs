//! What a risk assessment is of: a client's home, a carer (their own health
//! or circumstances), or an activity (the work a skill covers, such as
//! hoisting, wherever it is done). Each subject has its own versions, and
//! its controls reach the visits it touches: the client's visits, the
//! carer's allocations, or every visit that needs the skill.

use super::controls::ControlKind;
use crate::error::{Error, Result};
use rusqlite::{Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
#[ts(export, rename = "RiskSubject")]
pub enum Subject {
    Client(Uuid),
    Carer(Uuid),
    /// A skill's code from the catalogue: "hoist".
    Activity(String),
}

impl Subject {
    /// The column of `risk_assessments` that names this kind of subject.
    pub fn column(&self) -> &'static str {
        match self {
            Subject::Client(_) => "client_id",
            Subject::Carer(_) => "carer_id",
            Subject::Activity(_) => "skill_code",
        }
    }

    pub fn key(&self) -> String {
        match self {
            Subject::Client(id) | Subject::Carer(id) => id.to_string(),
            Subject::Activity(code) => code.clone(),
        }
    }

    /// The record page the change log files the assessment under: the
    /// client or the carer; an activity has a fixed id made from its code.
    pub fn root_id(&self) -> Uuid {
        match self {
            Subject::Client(id) | Subject::Carer(id) => *id,
            Subject::Activity(code) => Uuid::new_v5(&Uuid::NAMESPACE_OID, format!("caredesk:skill:{code}").as_bytes()),
        }
    }

    /// Whether a control means anything for this subject, and if not why:
    /// a carer's gender is not a control on the carer, and a carer is not
    /// new to their own work.
    pub fn allows(&self, kind: ControlKind) -> std::result::Result<(), &'static str> {
        match (self, kind) {
            (Subject::Carer(_), ControlKind::CarerGender) => {
                Err("A carer's own assessment cannot choose carers by gender; put this on the client's home")
            }
            (Subject::Carer(_), ControlKind::NoNewStarters) => {
                Err("A carer's own assessment cannot bar new starters; put this on the home or the activity")
            }
            (Subject::Activity(_), ControlKind::CarerGender) => {
                Err("An activity cannot choose carers by gender; put this on the client's home")
            }
            _ => Ok(()),
        }
    }

    /// What to say when the subject is not in the store.
    pub fn missing(&self) -> String {
        match self {
            Subject::Client(_) => "This client is not in the agency's records".into(),
            Subject::Carer(_) => "This carer is not in the agency's records".into(),
            Subject::Activity(code) => format!("There is no activity “{code}” in the skills catalogue"),
        }
    }

    /// "Margaret Onions's home", "Ann Lee (her own assessment)",
    /// "Moving and handling with hoist"; `NotFound` for a subject the
    /// store does not have.
    pub fn name(&self, conn: &Connection) -> Result<String> {
        let (sql, shape): (&str, fn(String) -> String) = match self {
            Subject::Client(_) => {
                ("SELECT given_name || ' ' || family_name FROM clients WHERE id = ?1 AND deleted_at IS NULL", |n| {
                    format!("{n}'s home")
                })
            }
            Subject::Carer(_) => {
                ("SELECT given_name || ' ' || family_name FROM carers WHERE id = ?1 AND deleted_at IS NULL", |n| {
                    format!("{n} (their own assessment)")
                })
            }
            Subject::Activity(_) => ("SELECT name FROM skills WHERE code = ?1", |n| n),
        };
        let name: Option<String> = conn.query_row(sql, [self.key()], |r| r.get(0)).optional()?;
        let entity = match self {
            Subject::Client(_) => "client",
            Subject::Carer(_) => "carer",
            Subject::Activity(_) => "skill",
        };
        name.map(shape).ok_or_else(|| Error::not_found(entity, self.key()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_activity_files_its_history_under_the_same_id_every_time() {
        let hoist = Subject::Activity("hoist".into());
        assert_eq!(hoist.root_id(), Subject::Activity("hoist".into()).root_id());
        assert_ne!(hoist.root_id(), Subject::Activity("insulin".into()).root_id());
    }

    #[test]
    fn gender_and_new_starter_controls_belong_to_homes_and_activities() {
        let carer = Subject::Carer(Uuid::nil());
        assert!(carer.allows(ControlKind::CarerGender).is_err());
        assert!(carer.allows(ControlKind::NoNewStarters).is_err());
        assert!(carer.allows(ControlKind::NoVisitsInDarkness).is_ok());
        let hoist = Subject::Activity("hoist".into());
        assert!(hoist.allows(ControlKind::NoNewStarters).is_ok());
        assert!(hoist.allows(ControlKind::CarerGender).is_err());
        assert!(Subject::Client(Uuid::nil()).allows(ControlKind::CarerGender).is_ok());
    }
}
