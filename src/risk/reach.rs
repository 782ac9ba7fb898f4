//! Which risk controls reach one visit, and from which assessment: the
//! home's, those of the activities the visit needs, and the own
//! assessments of the carers allocated to it. The visit panel lists them.

use super::assessments::control_sentence;
use crate::error::{Error, Result};
use crate::store::{json_list, row_uuid};
use rusqlite::{Connection, OptionalExtension};
use serde::Serialize;
use ts_rs::TS;
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct VisitControl {
    /// "Two carers at every visit (blocks)".
    pub sentence: String,
    /// "the risk assessment of 1 Dec 2026 (version 2)".
    pub source: String,
}

pub fn visit_controls(conn: &Connection, visit_id: Uuid) -> Result<Vec<VisitControl>> {
    let visit = conn
        .query_row(
            "SELECT client_id, required_skills FROM visits WHERE id = ?1 AND deleted_at IS NULL",
            [visit_id.to_string()],
            |r| Ok((row_uuid(r, 0)?, json_list::<String>(r, 1)?)),
        )
        .optional()?;
    let Some((client, skills)) = visit else { return Err(Error::not_found("visit", visit_id)) };
    let mut stmt = conn.prepare_cached(
        "SELECT carer_id FROM visit_allocations WHERE visit_id = ?1 AND deleted_at IS NULL ORDER BY slot",
    )?;
    let carers: Vec<Uuid> =
        stmt.query_map([visit_id.to_string()], |r| row_uuid(r, 0))?.collect::<rusqlite::Result<_>>()?;
    let all = super::current_controls(conn)?;
    let home = all.clients.get(&client).into_iter().flatten();
    let own = carers.iter().flat_map(|c| all.carers.get(c)).flatten();
    Ok(home
        .chain(all.for_skills(&skills).iter())
        .chain(own)
        .map(|c| VisitControl { sentence: control_sentence(c.kind, &c.value, c.enforcement), source: c.source.clone() })
        .collect())
}
