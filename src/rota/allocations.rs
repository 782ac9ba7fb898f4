//! Allocation records: a carer in a slot of a visit, and a coordinator's
//! recorded reason for going past a rule's warning.

use crate::record_fields;
use crate::store::Record;
use rusqlite::types::Value;
use serde::Serialize;
use ts_rs::TS;
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Allocation {
    pub id: Uuid,
    pub visit_id: Uuid,
    /// 1, or 2 for the second carer of a double-up.
    pub slot: u8,
    pub carer_id: Uuid,
    /// The visit's client: history shows allocations on the client's page.
    #[serde(skip)]
    pub client_id: Uuid,
}

impl Record for Allocation {
    const ENTITY: &'static str = "visit_allocations";
    fn id(&self) -> Uuid {
        self.id
    }
    fn root_id(&self) -> Uuid {
        self.client_id
    }
    fn fields(&self) -> Vec<(&'static str, Value)> {
        record_fields!(self; visit_id, slot, carer_id)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct RuleOverride {
    pub id: Uuid,
    pub visit_id: Uuid,
    pub carer_id: Option<Uuid>,
    pub rule: String,
    pub message: String,
    pub reason: String,
    #[serde(skip)]
    pub client_id: Uuid,
}

impl Record for RuleOverride {
    const ENTITY: &'static str = "rule_overrides";
    fn id(&self) -> Uuid {
        self.id
    }
    fn root_id(&self) -> Uuid {
        self.client_id
    }
    fn fields(&self) -> Vec<(&'static str, Value)> {
        record_fields!(self; visit_id, carer_id, rule, message, reason)
    }
}

/// The carers now on `visit`, slot 1 first.
pub(crate) fn live_allocations(
    conn: &rusqlite::Connection,
    visit: &super::visits::Visit,
) -> crate::Result<Vec<Allocation>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, slot, carer_id FROM visit_allocations WHERE visit_id = ?1 AND deleted_at IS NULL ORDER BY slot",
    )?;
    let rows = stmt.query_map([visit.id.to_string()], |r| {
        Ok(Allocation {
            id: crate::store::row_uuid(r, 0)?,
            visit_id: visit.id,
            slot: r.get(1)?,
            carer_id: crate::store::row_uuid(r, 2)?,
            client_id: visit.client_id,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
