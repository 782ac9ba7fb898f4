//! Allocation records: a carer in a slot of a visit, and a coordinator's
//! recorded reason for going past a rule (a warning, or a block for a
//! manager), with who gave it and when (from the change log), for the
//! visit panel to show beside the rule.

use crate::record_fields;
use crate::rules::{Finding, RuleId};
use crate::store::{row_opt_uuid, Record};
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

/// A reason someone gave for going past a rule on a visit that still stands:
/// the finding it stands beside (its rule and carer), who gave the reason and
/// when, as the change log recorded its writing.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct GonePast {
    pub rule: RuleId,
    /// The carer the finding is about, when it is about one.
    pub carer_id: Option<Uuid>,
    pub reason: String,
    /// The person signed in, as the history names them.
    pub by: String,
    /// UTC, RFC 3339.
    pub at: String,
}

/// Beside each of the visit's findings as the board shows them (see
/// `Week::findings_by_visit`), the reason last given for going past it, if
/// anyone did; findings nobody went past have none. A reason given for a
/// rule that no longer fires (the carer since taken off) stays in the
/// visit's history only.
pub fn gone_past(store: &crate::Store, visit_id: Uuid) -> crate::Result<Vec<GonePast>> {
    let visit = super::visits::load_visit(store.read(), visit_id)?;
    let week = super::week::cached_week(store, super::week::monday_of(visit.local_date))?;
    let recorded = recorded_overrides(store.read(), visit_id)?;
    let standing = week.findings_by_visit().get(&visit_id);
    Ok(standing
        .iter()
        .map(|&i| &week.findings()[i as usize])
        .filter_map(|finding| {
            let given = recorded.iter().find(|o| stands_beside(o, finding))?;
            Some(GonePast { rule: finding.rule, carer_id: finding.carer_id, ..given.clone() })
        })
        .collect())
}

/// Whether a reason recorded for going past `recorded.rule` is one for
/// `finding`: the same rule about the same carer. A finding about the visit
/// alone takes a reason given as a carer was put on it.
fn stands_beside(recorded: &GonePast, finding: &Finding) -> bool {
    recorded.rule == finding.rule && (finding.carer_id.is_none() || recorded.carer_id == finding.carer_id)
}

/// Every reason recorded for going past the rules on `visit_id`, with who
/// and when, newest first.
fn recorded_overrides(conn: &rusqlite::Connection, visit_id: Uuid) -> crate::Result<Vec<GonePast>> {
    let mut stmt = conn.prepare_cached(
        "SELECT o.rule, o.carer_id, o.reason, c.actor, c.at_utc FROM rule_overrides o
         JOIN change_log c ON c.record_id = o.id AND c.op = 'insert'
         WHERE o.visit_id = ?1 AND o.deleted_at IS NULL
         ORDER BY c.seq DESC",
    )?;
    let rows = stmt.query_map([visit_id.to_string()], |r| {
        let rule: String = r.get(0)?;
        Ok((rule, row_opt_uuid(r, 1)?, r.get(2)?, r.get(3)?, r.get(4)?))
    })?;
    let mut found = Vec::new();
    for row in rows {
        let (rule, carer_id, reason, by, at) = row?;
        // A rule this build no longer has has no finding to stand beside.
        if let Some(rule) = RuleId::parse(&rule) {
            found.push(GonePast { rule, carer_id, reason, by, at });
        }
    }
    Ok(found)
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
