//! Continuity of care over a period, per client and for the whole agency,
//! from the visits on the rota (the counting itself is `rules::continuity`).

use crate::error::Result;
use crate::rules::{continuity, Continuity};
use crate::store::{row_opt_uuid, row_uuid};
use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension};
use serde::Serialize;
use std::collections::HashMap;
use ts_rs::TS;
use uuid::Uuid;

/// A carer's share of a client's care, named.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct CarerShare {
    pub carer_id: Uuid,
    pub name: String,
    pub visits: u32,
    pub preferred: bool,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ClientContinuity {
    pub client_id: Uuid,
    pub client_name: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub summary: Continuity,
    pub carers: Vec<CarerShare>,
}

/// Every client with visits from `from` to `to`, fewest-faces last: the
/// clients seeing the most different carers come first.
pub fn continuity_report(conn: &Connection, from: NaiveDate, to: NaiveDate) -> Result<Vec<ClientContinuity>> {
    let mut report = gather(conn, from, to, None)?;
    report.sort_by(|a, b| {
        b.summary.distinct_carers.cmp(&a.summary.distinct_carers).then_with(|| a.client_name.cmp(&b.client_name))
    });
    Ok(report)
}

/// The period a client's page shows: the last four weeks, which have
/// happened, and the week ahead, which is planned.
pub fn recent_period(today: NaiveDate) -> (NaiveDate, NaiveDate) {
    (today - chrono::Duration::days(27), today + chrono::Duration::days(7))
}

/// How many of the client's visits in the four weeks before `date` each
/// carer did: continuity, for ranking who could take a visit.
pub fn earlier_visits_by_carer(conn: &Connection, client_id: Uuid, date: NaiveDate) -> Result<crate::ids::IdMap<u32>> {
    // Each visit's carers are read where they are filed by date, one probe
    // each, not from the allocations' own rows.
    let mut stmt = conn.prepare_cached(
        "SELECT a.carer_id, count(*) FROM visits v
         JOIN allocations_by_date a ON a.local_date = v.local_date AND a.visit_id = v.id
         WHERE v.deleted_at IS NULL AND v.client_id = ?1
           AND v.local_date BETWEEN date(?2, '-28 days') AND date(?2, '-1 day') GROUP BY a.carer_id",
    )?;
    let rows = stmt.query_map([client_id.to_string(), date.to_string()], |r| Ok((row_uuid(r, 0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// One client's continuity from `from` to `to`.
pub fn client_continuity(
    conn: &Connection,
    client_id: Uuid,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<ClientContinuity> {
    let client_name: String = conn
        .prepare_cached("SELECT given_name || ' ' || family_name FROM clients WHERE id = ?1 AND deleted_at IS NULL")?
        .query_row([client_id.to_string()], |r| r.get(0))
        .optional()?
        .ok_or_else(|| crate::Error::not_found("Client", client_id))?;
    Ok(gather(conn, from, to, Some(client_id))?.pop().unwrap_or(ClientContinuity {
        client_id,
        client_name,
        from,
        to,
        summary: continuity(&[], &[]),
        carers: Vec::new(),
    }))
}

fn gather(conn: &Connection, from: NaiveDate, to: NaiveDate, only: Option<Uuid>) -> Result<Vec<ClientContinuity>> {
    let only = only.map(|id| id.to_string());
    // Each visit with its carers (NULL when none), client by client.
    let mut stmt = conn.prepare_cached(
        "SELECT v.client_id, c.given_name || ' ' || c.family_name AS client_name, v.id AS visit_id, a.carer_id
         FROM visits v JOIN clients c ON c.id = v.client_id
              LEFT JOIN visit_allocations a ON a.visit_id = v.id AND a.deleted_at IS NULL
         WHERE v.deleted_at IS NULL AND v.status = 'planned' AND v.local_date BETWEEN ?1 AND ?2
           AND (?3 IS NULL OR v.client_id = ?3)
         ORDER BY v.client_id, v.id",
    )?;
    let mut clients: Vec<(Uuid, String, Vec<Vec<Uuid>>)> = Vec::new();
    let mut last_visit = None;
    let rows = stmt.query_map(rusqlite::params![from.to_string(), to.to_string(), only], |r| {
        Ok((row_uuid(r, 0)?, r.get::<_, String>(1)?, row_uuid(r, 2)?, row_opt_uuid(r, 3)?))
    })?;
    for row in rows {
        let (client_id, name, visit_id, carer) = row?;
        if clients.last().is_none_or(|c| c.0 != client_id) {
            clients.push((client_id, name, Vec::new()));
            last_visit = None;
        }
        let visits = &mut clients.last_mut().expect("pushed above").2;
        if last_visit != Some(visit_id) {
            visits.push(Vec::new());
            last_visit = Some(visit_id);
        }
        if let Some(carer) = carer {
            visits.last_mut().expect("pushed above").push(carer);
        }
    }
    let mut preferred: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
    let mut stmt = conn.prepare_cached(
        "SELECT client_id, carer_id FROM client_carer_preferences WHERE deleted_at IS NULL AND kind = 'preferred'",
    )?;
    for row in stmt.query_map([], |r| Ok((row_uuid(r, "client_id")?, row_uuid(r, "carer_id")?)))? {
        let (client, carer) = row?;
        preferred.entry(client).or_default().push(carer);
    }
    // Carers who share a name are told apart by postcode, as on the rota.
    let carers: Vec<(Uuid, String, String)> = conn
        .prepare_cached("SELECT id, given_name || ' ' || family_name, postcode FROM carers")?
        .query_map([], |r| Ok((row_uuid(r, "id")?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let names: HashMap<Uuid, String> = crate::people::names_told_apart(carers).into_iter().collect();
    Ok(clients
        .into_iter()
        .map(|(client_id, client_name, visits)| {
            let summary = continuity(&visits, preferred.get(&client_id).map_or(&[][..], Vec::as_slice));
            let carers = summary
                .by_carer
                .iter()
                .map(|c| CarerShare {
                    carer_id: c.carer_id,
                    name: names.get(&c.carer_id).cloned().unwrap_or_default(),
                    visits: c.visits,
                    preferred: c.preferred,
                })
                .collect();
            ClientContinuity { client_id, client_name, from, to, summary, carers }
        })
        .collect())
}
