//! The "Today" page's people figures and what needs attention, grouped by
//! what is wrong, the most urgent of each group first (see `attention`): on a
//! big branch the list runs to hundreds, and a coordinator first needs to see
//! how many of each kind there are and which come first.

use super::attention::{attention_groups, AttentionGroup, AttentionKind};
use crate::error::Result;
use chrono::NaiveDate;
use rusqlite::Connection;
use serde::Serialize;
use ts_rs::TS;

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct Overview {
    pub today: NaiveDate,
    pub active_clients: u32,
    pub clients_in_hospital: u32,
    pub clients_suspended: u32,
    pub active_carers: u32,
    pub current_packages: u32,
    pub weekly_visits: f64,
    pub weekly_care_hours: f64,
    /// Visits today still short of a carer.
    pub unallocated_today: u32,
    /// Changes since publishing that someone has still to be told about.
    pub untold: u32,
    /// Active clients whose home has no risk assessment.
    pub clients_without_risk_assessment: u32,
    /// Risk assessments overdue for review or due within a fortnight.
    pub risk_reviews_due: u32,
    /// The groups with anything in them, in `AttentionKind`'s order.
    pub attention: Vec<AttentionGroup>,
    /// While the agency is new to Caredesk: how many carers' earlier hours
    /// are entered for the 48-hour average.
    pub earlier_hours: Option<super::hours_before::EarlierHoursStatus>,
    /// How far ahead the care packages' visits are made.
    pub made_ahead: crate::rota::MadeAhead,
}

fn count(conn: &Connection, sql: &str, param: &str) -> Result<u32> {
    Ok(conn.prepare_cached(sql)?.query_row([param], |r| r.get(0))?)
}

pub fn overview(conn: &Connection, today: NaiveDate) -> Result<Overview> {
    let day = today.format("%Y-%m-%d").to_string();
    let status = |s: &str| {
        count(
            conn,
            &format!("SELECT count(*) FROM clients WHERE deleted_at IS NULL AND status = '{s}' AND ?1 = ?1"),
            &day,
        )
    };
    let (weekly_visits, weekly_minutes): (f64, f64) = conn.query_row(
        "SELECT coalesce(sum(json_array_length(weekdays) * json_array_length(cycle_week_list) * 1.0 / cycle_weeks), 0),
                coalesce(sum(duration_min * json_array_length(weekdays) * json_array_length(cycle_week_list) * 1.0 / cycle_weeks), 0)
         FROM care_packages p JOIN clients c ON c.id = p.client_id
         WHERE p.deleted_at IS NULL AND c.status = 'active' AND p.starts_on <= ?1 AND (p.ends_on IS NULL OR p.ends_on >= ?1)",
        [&day],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;

    let unallocated_today = count(
        conn,
        "SELECT count(*) FROM visits v WHERE v.deleted_at IS NULL AND v.status = 'planned' AND v.local_date = ?1
           AND v.carers_required > (SELECT count(*) FROM visit_allocations a WHERE a.visit_id = v.id AND a.deleted_at IS NULL)",
        &day,
    )?;
    let untold =
        count(conn, "SELECT count(*) FROM to_tell WHERE told_at IS NULL AND deleted_at IS NULL AND ?1 = ?1", &day)?;

    let attention = attention_groups(conn, today)?;
    let count_of = |kind: AttentionKind| attention.iter().find(|g| g.kind == kind).map_or(0, |g| g.items.len() as u32);

    Ok(Overview {
        today,
        clients_without_risk_assessment: count_of(AttentionKind::NeverAssessed),
        risk_reviews_due: count_of(AttentionKind::RiskReviews),
        active_clients: status("active")?,
        clients_in_hospital: status("in_hospital")?,
        clients_suspended: status("suspended")?,
        active_carers: count(conn, "SELECT count(*) FROM carers WHERE deleted_at IS NULL AND (left_on IS NULL OR left_on >= ?1)", &day)?,
        current_packages: count(
            conn,
            "SELECT count(*) FROM care_packages WHERE deleted_at IS NULL AND starts_on <= ?1 AND (ends_on IS NULL OR ends_on >= ?1)",
            &day,
        )?,
        weekly_visits: weekly_visits.round(),
        weekly_care_hours: (weekly_minutes / 60.0).round(),
        unallocated_today,
        untold,
        attention,
        earlier_hours: super::hours_before::earlier_hours_status(conn, today)?,
        made_ahead: crate::rota::made_ahead(conn, today)?,
    })
}
