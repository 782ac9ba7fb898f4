//! The "Today" page's people figures and what needs attention, with reasons,
//! grouped by what is wrong, the most urgent of each group first: on a big
//! branch the list runs to hundreds, and a coordinator first needs to see how
//! many of each kind there are and which come first.

use super::carer_service::EXPIRY_WARNING_DAYS;
use crate::error::Result;
use chrono::{Duration, NaiveDate};
use rusqlite::Connection;
use serde::Serialize;
use ts_rs::TS;
use uuid::Uuid;

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct Attention {
    /// `carer`, `client` or `activity`.
    pub kind: String,
    pub id: Uuid,
    /// The page to open, after `#/`: "clients/<id>", "risk/activities/hoist".
    pub href: String,
    pub name: String,
    pub reason: String,
}

/// What a group of "Needs attention" is about, in the order Today shows them:
/// people who may not work, people away, reviews falling due, homes never
/// assessed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
#[serde(rename_all = "snake_case")]
pub enum AttentionKind {
    /// A carer's DBS check or right to work expired or expiring.
    Checks,
    /// Clients in hospital or suspended: no visits are generated for them.
    /// Those expected back soonest come first, as their visits are to be
    /// restarted; then those with no date, the longest away first.
    ClientsAway,
    /// Risk assessments overdue for review or due within a fortnight.
    RiskReviews,
    /// Active clients whose home has never been assessed.
    NeverAssessed,
}

impl AttentionKind {
    fn title(self) -> &'static str {
        match self {
            AttentionKind::Checks => "DBS and right to work",
            AttentionKind::ClientsAway => "Clients in hospital or suspended",
            AttentionKind::RiskReviews => "Risk assessment reviews due",
            AttentionKind::NeverAssessed => "Homes never assessed",
        }
    }
}

/// One kind of thing needing attention, with every item of it, the most
/// urgent first (the soonest expiry, the soonest back, the review longest
/// overdue; homes never assessed by name).
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct AttentionGroup {
    pub kind: AttentionKind,
    /// "Risk assessment reviews due".
    pub title: String,
    pub items: Vec<Attention>,
}

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
}

/// "2026-12-15" → "15 Dec 2026", as people write dates.
fn readable(date: &str) -> String {
    NaiveDate::parse_from_str(date, "%Y-%m-%d").map_or(date.to_string(), |d| d.format("%-d %b %Y").to_string())
}

fn count(conn: &Connection, sql: &str, param: &str) -> Result<u32> {
    Ok(conn.prepare_cached(sql)?.query_row([param], |r| r.get(0))?)
}

pub fn overview(conn: &Connection, today: NaiveDate) -> Result<Overview> {
    let day = today.format("%Y-%m-%d").to_string();
    let soon = (today + Duration::days(EXPIRY_WARNING_DAYS)).format("%Y-%m-%d").to_string();
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

    let mut checks = Vec::new();
    let mut stmt = conn.prepare_cached(
        "SELECT id, given_name || ' ' || family_name, dbs_expires_on, right_to_work_expires_on FROM carers
         WHERE deleted_at IS NULL AND left_on IS NULL
           AND (dbs_expires_on <= ?1 OR right_to_work_expires_on <= ?1)
         ORDER BY min(coalesce(dbs_expires_on, '9999'), coalesce(right_to_work_expires_on, '9999'))",
    )?;
    let rows = stmt.query_map([&soon], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, Option<String>>(2)?,
            r.get::<_, Option<String>>(3)?,
        ))
    })?;
    for row in rows {
        let (id, name, dbs, rtw) = row?;
        for (what, date) in [("DBS check", dbs), ("Right to work", rtw)] {
            if let Some(date) = date.filter(|d| *d <= soon) {
                let verb = if date < day { "expired" } else { "expires" };
                checks.push(Attention {
                    kind: "carer".into(),
                    href: format!("carers/{id}"),
                    id: id.parse().unwrap_or_default(),
                    name: name.clone(),
                    reason: format!("{what} {verb} {}", readable(&date)),
                });
            }
        }
    }
    let mut stmt = conn.prepare_cached(
        "SELECT id, given_name || ' ' || family_name, status, status_from, status_until FROM clients
         WHERE deleted_at IS NULL AND status IN ('in_hospital', 'suspended')
         ORDER BY status_until IS NULL, status_until, status_from",
    )?;
    let mut away = Vec::new();
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, Option<String>>(3)?,
            r.get::<_, Option<String>>(4)?,
        ))
    })?;
    for row in rows {
        let (id, name, status, from, until) = row?;
        let what = if status == "in_hospital" { "In hospital" } else { "Suspended" };
        let since = from.map(|f| format!(" since {}", readable(&f))).unwrap_or_default();
        let back = until.map(|u| format!(", expected back {}", readable(&u))).unwrap_or_default();
        away.push(Attention {
            kind: "client".into(),
            href: format!("clients/{id}"),
            id: id.parse().unwrap_or_default(),
            name,
            reason: format!("{what}{since}{back}: no visits are generated"),
        });
    }

    // Each home's, carer's and activity's latest assessment, reviewed late
    // or soon.
    let mut stmt = conn.prepare_cached(
        "SELECT kind, key, name, max(next_review_on) AS due FROM (
             SELECT 'client' AS kind, c.id AS key, c.given_name || ' ' || c.family_name AS name, a.next_review_on
             FROM risk_assessments a
                  JOIN clients c ON c.id = a.client_id AND c.deleted_at IS NULL AND c.status <> 'ended'
             WHERE a.deleted_at IS NULL
             UNION ALL
             SELECT 'carer', k.id, k.given_name || ' ' || k.family_name, a.next_review_on
             FROM risk_assessments a
                  JOIN carers k ON k.id = a.carer_id AND k.deleted_at IS NULL AND (k.left_on IS NULL OR k.left_on >= ?2)
             WHERE a.deleted_at IS NULL
             UNION ALL
             SELECT 'activity', s.code, s.name, a.next_review_on
             FROM risk_assessments a JOIN skills s ON s.code = a.skill_code
             WHERE a.deleted_at IS NULL)
         GROUP BY kind, key HAVING due <= ?1 ORDER BY due",
    )?;
    let fortnight = (today + Duration::days(14)).to_string();
    let rows = stmt.query_map([&fortnight, &day], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?, r.get::<_, String>(3)?))
    })?;
    let mut reviews = Vec::new();
    for row in rows {
        let (kind, key, name, due) = row?;
        let when =
            if due < day { format!("overdue since {}", readable(&due)) } else { format!("due by {}", readable(&due)) };
        let (id, href) = match kind.as_str() {
            "activity" => (crate::risk::Subject::Activity(key.clone()).root_id(), format!("risk/activities/{key}")),
            _ => (key.parse().unwrap_or_default(), format!("{kind}s/{key}")),
        };
        reviews.push(Attention { kind, id, href, name, reason: format!("Risk assessment review {when}") });
    }
    // Active clients whose home was never assessed: listed, so the tile
    // that counts them leads to each one.
    let mut stmt = conn.prepare_cached(
        "SELECT c.id, c.given_name || ' ' || c.family_name FROM clients c
         WHERE c.deleted_at IS NULL AND c.status = 'active'
           AND NOT EXISTS (SELECT 1 FROM risk_assessments a WHERE a.client_id = c.id AND a.deleted_at IS NULL)
         ORDER BY c.family_name COLLATE NOCASE, c.given_name COLLATE NOCASE",
    )?;
    let mut never_assessed = Vec::new();
    for row in stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))? {
        let (id, name) = row?;
        never_assessed.push(Attention {
            kind: "client".into(),
            href: format!("clients/{id}"),
            id: id.parse().unwrap_or_default(),
            name,
            reason: "No risk assessment of the home yet".into(),
        });
    }

    Ok(Overview {
        today,
        clients_without_risk_assessment: never_assessed.len() as u32,
        risk_reviews_due: reviews.len() as u32,
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
        attention: [
            (AttentionKind::Checks, checks),
            (AttentionKind::ClientsAway, away),
            (AttentionKind::RiskReviews, reviews),
            (AttentionKind::NeverAssessed, never_assessed),
        ]
        .into_iter()
        .filter(|(_, items)| !items.is_empty())
        .map(|(kind, items)| AttentionGroup { kind, title: kind.title().into(), items })
        .collect(),
        earlier_hours: super::hours_before::earlier_hours_status(conn, today)?,
    })
}
