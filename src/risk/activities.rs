//! The activities an agency assesses: one row per skill in the catalogue,
//! with its current assessment's controls and review, for the page that
//! lists them. An activity without an assessment is simply not assessed;
//! unlike a client's home, not every activity needs one.

use super::assessments::subject_risk;
use super::subject::Subject;
use crate::error::Result;
use chrono::NaiveDate;
use rusqlite::Connection;
use serde::Serialize;
use ts_rs::TS;

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ActivityRisk {
    pub code: String,
    pub name: String,
    /// The current version's controls as sentences; empty when not assessed.
    pub controls: Vec<String>,
    /// "Review due by 1 Mar 2027", or "Not assessed".
    pub review: String,
    pub review_overdue: bool,
    pub assessed: bool,
}

pub fn activity_risks(conn: &Connection, today: NaiveDate) -> Result<Vec<ActivityRisk>> {
    let mut stmt = conn.prepare_cached("SELECT code FROM skills ORDER BY name")?;
    let codes: Vec<String> = stmt.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
    codes
        .into_iter()
        .map(|code| {
            let risk = subject_risk(conn, &Subject::Activity(code.clone()), today)?;
            let assessed = risk.current.is_some();
            Ok(ActivityRisk {
                code,
                name: risk.name,
                controls: risk
                    .current
                    .map(|a| a.controls.into_iter().map(|c| c.sentence).collect())
                    .unwrap_or_default(),
                review: if assessed { risk.review } else { "Not assessed".into() },
                review_overdue: assessed && risk.review_overdue,
                assessed,
            })
        })
        .collect()
}
