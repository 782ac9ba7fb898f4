//! The agency's skills and training catalogue (reference data).

use crate::error::Result;
use rusqlite::Connection;
use serde::Serialize;
use ts_rs::TS;

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct Skill {
    pub code: String,
    pub name: String,
    pub renew_after_months: Option<u32>,
}

pub fn skills_catalogue(conn: &Connection) -> Result<Vec<Skill>> {
    let mut stmt = conn.prepare_cached("SELECT code, name, renew_after_months FROM skills ORDER BY name")?;
    let rows = stmt.query_map([], |r| Ok(Skill { code: r.get(0)?, name: r.get(1)?, renew_after_months: r.get(2)? }))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn skill_codes(conn: &Connection) -> Result<Vec<String>> {
    Ok(skills_catalogue(conn)?.into_iter().map(|s| s.code).collect())
}
