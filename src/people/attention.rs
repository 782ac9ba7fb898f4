//! What needs attention, by kind, with reasons: carers' checks, clients
//! away, risk assessment reviews falling due, homes never assessed. Today
//! shows each group's most urgent few; a group's own list finds by name and
//! sorts by urgency or by name.

use super::carer_service::EXPIRY_WARNING_DAYS;
use crate::error::Result;
use chrono::{Duration, NaiveDate};
use rusqlite::Connection;
use serde::{Deserialize, Serialize};
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
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

/// How a group's own list is ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "snake_case")]
pub enum AttentionOrder {
    /// The most urgent first, as Today shows them.
    #[default]
    Urgency,
    /// By name, A to Z.
    Name,
}

/// "2026-12-15" → "15 Dec 2026", as people write dates.
fn readable(date: &str) -> String {
    NaiveDate::parse_from_str(date, "%Y-%m-%d").map_or(date.to_string(), |d| d.format("%-d %b %Y").to_string())
}

/// Every group with anything in it, in `AttentionKind`'s order, each the
/// most urgent first.
pub fn attention_groups(conn: &Connection, today: NaiveDate) -> Result<Vec<AttentionGroup>> {
    let mut groups = Vec::new();
    for kind in
        [AttentionKind::Checks, AttentionKind::ClientsAway, AttentionKind::RiskReviews, AttentionKind::NeverAssessed]
    {
        let items = items_of(conn, today, kind)?;
        if !items.is_empty() {
            groups.push(AttentionGroup { kind, title: kind.title().into(), items });
        }
    }
    Ok(groups)
}

/// One group in full, for its own list: those whose name holds `search`
/// (in any case; all when empty), in the `order` asked for.
pub fn attention_group(
    conn: &Connection,
    today: NaiveDate,
    kind: AttentionKind,
    search: &str,
    order: AttentionOrder,
) -> Result<AttentionGroup> {
    let wanted = search.trim().to_lowercase();
    let mut items: Vec<Attention> =
        items_of(conn, today, kind)?.into_iter().filter(|a| a.name.to_lowercase().contains(&wanted)).collect();
    if order == AttentionOrder::Name {
        // Stable: one person's two checks stay in urgency order.
        items.sort_by_key(|a| a.name.to_lowercase());
    }
    Ok(AttentionGroup { kind, title: kind.title().into(), items })
}

fn items_of(conn: &Connection, today: NaiveDate, kind: AttentionKind) -> Result<Vec<Attention>> {
    match kind {
        AttentionKind::Checks => checks(conn, today),
        AttentionKind::ClientsAway => clients_away(conn),
        AttentionKind::RiskReviews => reviews(conn, today),
        AttentionKind::NeverAssessed => never_assessed(conn),
    }
}

/// Carers whose DBS check or right to work has expired or expires within
/// the warning period, the soonest first.
fn checks(conn: &Connection, today: NaiveDate) -> Result<Vec<Attention>> {
    let day = today.format("%Y-%m-%d").to_string();
    let soon = (today + Duration::days(EXPIRY_WARNING_DAYS)).format("%Y-%m-%d").to_string();
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
    Ok(checks)
}

/// Clients in hospital or suspended, those expected back soonest first.
fn clients_away(conn: &Connection) -> Result<Vec<Attention>> {
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

    Ok(away)
}

/// Risk assessments overdue for review or due within a fortnight, the
/// longest overdue first.
fn reviews(conn: &Connection, today: NaiveDate) -> Result<Vec<Attention>> {
    let day = today.format("%Y-%m-%d").to_string();
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
    Ok(reviews)
}

/// Active clients whose home has never been assessed, by name.
fn never_assessed(conn: &Connection) -> Result<Vec<Attention>> {
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
    Ok(never_assessed)
}
