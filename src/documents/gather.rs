//! Reading what the documents need from the store: planned visits with
//! their client and carers, the carers, who is on call. The builders stay
//! pure; this is the only part of `documents` that touches the database.

use super::facts::{OnCallContact, SheetCarer, SheetVisit};
use super::handover::{AbsentCarer, ChangeLine, ClientAway};
use crate::error::Result;
use crate::people::{AbsenceKind, ClientStatus, Transport};
use crate::risk::assessments::CurrentControls;
use crate::rota::plan::london_date;
use crate::store::{json_keys, json_list, row_enum, row_instant, row_uuid, side_of};
use crate::travel::GeoPoint;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use rusqlite::Connection;
use std::collections::HashMap;
use uuid::Uuid;

/// Planned (not cancelled) visits on London dates `from`..=`to`, in start order.
pub fn visits_on(conn: &Connection, from: NaiveDate, to: NaiveDate) -> Result<Vec<SheetVisit>> {
    let controls = crate::risk::current_controls(conn)?;
    sheet_visits(conn, Which::Dates(from, to), &controls)
}

/// The planned visits among `ids`, in start order, with `controls` (the
/// agency's current ones) on them.
pub fn visits_by_id(conn: &Connection, ids: &[Uuid], controls: &CurrentControls) -> Result<Vec<SheetVisit>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    sheet_visits(conn, Which::Ids(json_keys(ids)), controls)
}

/// The visits a sheet is asked for: a range of dates, or chosen ones (a
/// JSON list of ids).
enum Which {
    Dates(NaiveDate, NaiveDate),
    Ids(String),
}

impl Which {
    /// The visits' `FROM … WHERE`, then their carers', each for the
    /// parameters `params` gives.
    fn sql(&self) -> (&'static str, &'static str) {
        match self {
            Which::Dates(..) => (
                "FROM visits v INDEXED BY visits_by_date
                      JOIN clients c ON c.id = v.client_id
                      LEFT JOIN care_packages p ON p.id = v.package_id
                 WHERE v.deleted_at IS NULL AND v.status = 'planned' AND v.local_date BETWEEN ?1 AND ?2",
                // Filed by date, the carers are one range read: walking the
                // visits again to find them read every page of the day twice.
                "FROM allocations_by_date a JOIN carers k ON k.id = a.carer_id
                 WHERE a.local_date BETWEEN ?1 AND ?2
                 ORDER BY a.local_date, a.visit_id, a.slot",
            ),
            Which::Ids(_) => (
                "FROM visits v
                      JOIN clients c ON c.id = v.client_id
                      LEFT JOIN care_packages p ON p.id = v.package_id
                 WHERE v.id IN (SELECT value FROM json_each(?1)) AND v.deleted_at IS NULL AND v.status = 'planned'",
                "FROM visit_allocations a JOIN carers k ON k.id = a.carer_id
                 WHERE a.visit_id IN (SELECT value FROM json_each(?1)) AND a.deleted_at IS NULL
                 ORDER BY a.visit_id, a.slot",
            ),
        }
    }

    fn params(&self) -> Vec<String> {
        match self {
            Which::Dates(from, to) => vec![from.to_string(), to.to_string()],
            Which::Ids(list) => vec![list.clone()],
        }
    }
}

fn sheet_visits(conn: &Connection, which: Which, controls: &CurrentControls) -> Result<Vec<SheetVisit>> {
    let (visits_from, carers_from) = which.sql();
    let params = which.params();
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT v.id, v.starts_at, v.duration_min, coalesce(p.label, 'Visit'), c.id,
                c.given_name || ' ' || c.family_name, c.address_line1, c.address_line2, c.town, c.postcode,
                c.lat, c.lon, c.phone, c.access_notes, v.tasks, v.carers_required, v.time_critical,
                v.flex_min, v.time_note, v.required_skills
         {visits_from}"
    ))?;
    let rows = stmt.query_map(rusqlite::params_from_iter(&params), |r| {
        let address =
            [r.get::<_, String>(6)?, r.get(7)?, format!("{} {}", r.get::<_, String>(8)?, r.get::<_, String>(9)?)]
                .into_iter()
                .filter(|s| !s.trim().is_empty())
                .collect::<Vec<_>>()
                .join(", ");
        let skills: Vec<String> = json_list(r, 19)?;
        let visit = SheetVisit {
            id: row_uuid(r, 0)?,
            start: row_instant(r, 1)?,
            duration_min: r.get(2)?,
            label: r.get(3)?,
            client_id: row_uuid(r, 4)?,
            client_name: r.get(5)?,
            address,
            area: crate::people::common::outward_code(&r.get::<_, String>(9)?).to_string(),
            town: r.get(8)?,
            place: GeoPoint { lat: r.get(10)?, lon: r.get(11)? },
            client_phone: r.get(12)?,
            access_notes: r.get(13)?,
            tasks: json_list(r, 14)?,
            carers_required: r.get(15)?,
            carers: Vec::new(),
            time_critical: r.get(16)?,
            flex_min: r.get(17)?,
            time_note: r.get(18)?,
            risk_controls: Vec::new(),
            check_in: false,
        };
        Ok((visit, skills))
    })?;
    let (mut visits, skills): (Vec<SheetVisit>, Vec<Vec<String>>) =
        rows.collect::<rusqlite::Result<Vec<_>>>()?.into_iter().unzip();

    let mut stmt = conn.prepare_cached(&format!(
        "SELECT a.visit_id, a.carer_id, k.given_name || ' ' || k.family_name {carers_from}"
    ))?;
    // Carers who share a name are named as every list names them; one who
    // has left keeps the name the visit knew.
    let told_apart: HashMap<Uuid, String> = carers(conn)?.into_iter().map(|c| (c.id, c.name)).collect();
    let mut on_visit: HashMap<Uuid, Vec<(Uuid, String)>> = HashMap::new();
    let rows =
        stmt.query_map(rusqlite::params_from_iter(&params), |r| Ok((row_uuid(r, 0)?, row_uuid(r, 1)?, r.get(2)?)))?;
    for row in rows {
        let (visit, carer, name) = row?;
        on_visit.entry(visit).or_default().push((carer, told_apart.get(&carer).cloned().unwrap_or(name)));
    }
    // The home's and the activities' controls go on the sheet; a carer's
    // own stay private to the office, but still ask for check-in calls.
    for (visit, skills) in visits.iter_mut().zip(&skills) {
        visit.carers = on_visit.remove(&visit.id).unwrap_or_default();
        let ids: Vec<Uuid> = visit.carers.iter().map(|(id, _)| *id).collect();
        visit.check_in = controls.check_in(visit.client_id, skills, &ids);
        let home = controls.clients.get(&visit.client_id).into_iter().flatten();
        for control in home.chain(controls.for_skills(skills).iter()) {
            visit.risk_controls.push(crate::risk::assessments::control_sentence(
                control.kind,
                &control.value,
                control.enforcement,
            ));
        }
    }
    visits.sort_by(|a, b| a.start.cmp(&b.start).then_with(|| a.client_name.cmp(&b.client_name)).then(a.id.cmp(&b.id)));
    Ok(visits)
}

/// Planned visits starting in `from`..`until`.
pub fn visits_between(conn: &Connection, from: DateTime<Utc>, until: DateTime<Utc>) -> Result<Vec<SheetVisit>> {
    let mut visits = visits_on(conn, london_date(from), london_date(until))?;
    visits.retain(|v| v.start >= from && v.start < until);
    Ok(visits)
}

/// Every carer who has not left, by id. Carers who share a name are named
/// with their postcode too ("Laura Roberts (SY3 7AB)"), as the rota shows
/// them, so that two printed sheets under one name are told apart.
pub fn carers(conn: &Connection) -> Result<Vec<SheetCarer>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, given_name || ' ' || family_name, phone, transport, home_lat, home_lon, postcode
         FROM carers WHERE deleted_at IS NULL",
    )?;
    let rows = stmt.query_map([], |r| {
        let carer = SheetCarer {
            id: row_uuid(r, 0)?,
            name: r.get(1)?,
            phone: r.get(2)?,
            transport: row_enum(r, 3, Transport::parse)?,
            home: GeoPoint { lat: r.get(4)?, lon: r.get(5)? },
        };
        Ok((carer, r.get::<_, String>(6)?))
    })?;
    let rows: Vec<(SheetCarer, String)> = rows.collect::<rusqlite::Result<_>>()?;
    let names = crate::people::names_told_apart(rows.iter().map(|(c, p)| (c.id, c.name.clone(), p.clone())).collect());
    Ok(rows.into_iter().zip(names).map(|((carer, _), (_, name))| SheetCarer { name, ..carer }).collect())
}

/// Who is on call at any time in `from`..`until`.
pub fn on_call(conn: &Connection, from: DateTime<Utc>, until: DateTime<Utc>) -> Result<Vec<OnCallContact>> {
    Ok(crate::oncall::service::shifts_between(conn, from, until)?
        .into_iter()
        .map(|s| OnCallContact {
            person: s.person,
            phone: s.phone,
            tier: s.tier.label().to_string(),
            from: s.starts_at,
            until: s.ends_at,
        })
        .collect())
}

/// The instants a London date starts and ends.
pub fn day_bounds(from: NaiveDate, to: NaiveDate) -> (DateTime<Utc>, DateTime<Utc>) {
    let midnight = |d: NaiveDate| crate::rota::plan::london_instant(d, chrono::NaiveTime::MIN).0;
    (midnight(from), midnight(to + Duration::days(1)))
}

/// Carers off at any time in London dates `from`..=`to`.
pub fn absent_carers(conn: &Connection, from: NaiveDate, to: NaiveDate) -> Result<Vec<AbsentCarer>> {
    let mut stmt = conn.prepare_cached(
        "SELECT k.given_name || ' ' || k.family_name, k.phone, a.kind, a.starts_on, a.from_time, a.ends_on, a.note
         FROM carer_absences a JOIN carers k ON k.id = a.carer_id
         WHERE a.deleted_at IS NULL AND k.deleted_at IS NULL AND a.starts_on <= ?2 AND a.ends_on >= ?1
         ORDER BY 1",
    )?;
    let rows = stmt.query_map([from.to_string(), to.to_string()], |r| {
        let period = crate::people::absence_period(
            row_enum(r, 2, AbsenceKind::parse)?,
            crate::store::row_date(r, 3)?,
            crate::store::row_opt_time(r, 4)?,
            crate::store::row_date(r, 5)?,
        );
        let note: String = r.get(6)?;
        let note = if note.is_empty() { String::new() } else { format!(" — {note}") };
        Ok(AbsentCarer { name: r.get(0)?, phone: r.get(1)?, what: format!("{period}{note}") })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Clients in hospital or with care suspended on `on`.
pub fn clients_away(conn: &Connection, on: NaiveDate) -> Result<Vec<ClientAway>> {
    let mut stmt = conn.prepare_cached(
        "SELECT given_name || ' ' || family_name, status, status_from, status_until FROM clients
         WHERE deleted_at IS NULL AND status IN ('in_hospital', 'suspended')
           AND (status_until IS NULL OR status_until >= ?1)
         ORDER BY 1",
    )?;
    let rows = stmt.query_map([on.to_string()], |r| {
        let status = row_enum(r, 1, ClientStatus::parse)?;
        let since: Option<NaiveDate> = crate::store::row_opt_date(r, 2)?;
        let until: Option<NaiveDate> = crate::store::row_opt_date(r, 3)?;
        Ok(ClientAway {
            name: r.get(0)?,
            status: status.label().to_string(),
            since: since.map(|d| format!("Since {}", d.format("%-d %b"))).unwrap_or_default(),
            expected_back: until
                .map(|d| format!("Expected back {}; visits start again then", d.format("%a %-d %b")))
                .unwrap_or_else(|| "No date to come back yet".into()),
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// How many changes a handover sheet lists before it stops.
const CHANGES_LISTED: usize = 150;

/// A change-log row as the handover reads it.
struct Logged {
    at: DateTime<Utc>,
    actor: String,
    entity: String,
    op: String,
    root: String,
    changes: String,
}

/// A change that wrote more rows than this at once (an import, a demo, a
/// batch of allocations) is one line of counts, not a page of rows.
const RUN_SHOWN_ONE_BY_ONE: usize = 3;

/// What people changed since `since`, newest first, as sentences; visits
/// made by rolling forward are counted, not listed. Returns the lines and
/// how many more there were.
pub fn changes_since(conn: &Connection, since: DateTime<Utc>) -> Result<(Vec<ChangeLine>, usize)> {
    let mut stmt = conn.prepare_cached(
        "SELECT at_utc, actor, entity, op, root_id, changes,
                CASE entity WHEN ?1 THEN json_array_length(changes, '$.rows') ELSE 1 END
         FROM change_log ORDER BY seq DESC",
    )?;
    let (mut logged, mut rolled) = (Vec::new(), 0usize);
    let mut rows = stmt.query([crate::rota::ROLLED_VISITS])?;
    while let Some(row) = rows.next()? {
        let at = row_instant(row, 0)?;
        if at < since {
            break;
        }
        let (entity, op): (String, String) = (row.get(2)?, row.get(3)?);
        if matches!(entity.as_str(), "handovers" | "to_tell" | "rota_publications" | "users" | "security_settings") {
            continue;
        }
        if (entity == "visits" && op == "insert") || entity == crate::rota::ROLLED_VISITS {
            rolled += row.get::<_, Option<usize>>(6)?.unwrap_or(0);
            continue;
        }
        logged.push(Logged { at, actor: row.get(1)?, entity, op, root: row.get(4)?, changes: row.get(5)? });
    }
    let mut names = conn.prepare_cached(
        "SELECT given_name || ' ' || family_name FROM clients WHERE id = ?1
         UNION ALL SELECT given_name || ' ' || family_name FROM carers WHERE id = ?1",
    )?;
    let mut name_of = |id: &str| -> String { names.query_row([id], |r| r.get::<_, String>(0)).unwrap_or_default() };
    let (mut lines, mut more) = (Vec::new(), 0usize);
    // The rows of one write share its instant and its actor.
    let one_write = |a: &Logged, b: &Logged| a.actor == b.actor && a.at == b.at;
    for run in logged.chunk_by(one_write) {
        if lines.len() >= CHANGES_LISTED {
            more += run.len();
            continue;
        }
        if run.len() > RUN_SHOWN_ONE_BY_ONE {
            let mut counts: Vec<(String, usize)> = Vec::new();
            for change in run.iter().rev() {
                let kind = format!("{} {}", crate::history::entity_label(&change.entity), done(&change.op));
                match counts.iter_mut().find(|(k, _)| *k == kind) {
                    Some((_, n)) => *n += 1,
                    None => counts.push((kind, 1)),
                }
            }
            let what = counts.iter().map(|(kind, n)| format!("{kind} ×{n}")).collect::<Vec<_>>().join(", ");
            lines.push(ChangeLine {
                at: run[0].at,
                actor: run[0].actor.clone(),
                what: format!("{} changes at once: {what}", run.len()),
            });
            continue;
        }
        for change in run {
            lines.push(ChangeLine { at: change.at, actor: change.actor.clone(), what: sentence(change, &mut name_of) });
        }
    }
    if rolled > 0 {
        lines.push(ChangeLine {
            at: since,
            actor: "rolling forward".into(),
            what: format!("{rolled} visits added to the rota"),
        });
    }
    Ok((lines, more))
}

fn done(op: &str) -> &'static str {
    match op {
        "insert" => "added",
        "delete" => "removed",
        _ => "changed",
    }
}

/// One change in words: "Ann Carer allocated to a visit for Mary Jones".
fn sentence(change: &Logged, name_of: &mut impl FnMut(&str) -> String) -> String {
    let changes: serde_json::Value = serde_json::from_str(&change.changes).unwrap_or_default();
    let who = name_of(&change.root);
    let mut carer = |side: &str| {
        let logged = changes.get("carer_id");
        let id = logged.and_then(|c| side_of(&change.op, c, side)).and_then(|c| c.as_str());
        id.map(&mut *name_of).unwrap_or_else(|| "A carer".into())
    };
    match (change.entity.as_str(), change.op.as_str()) {
        ("visit_allocations", "insert") => format!("{} allocated to a visit for {who}", carer("after")),
        ("visit_allocations", "delete") => format!("{} taken off a visit for {who}", carer("before")),
        (entity, op) => {
            let fields: Vec<&str> =
                changes.as_object().map(|o| o.keys().map(String::as_str).collect()).unwrap_or_default();
            let detail = if op == "update" && !fields.is_empty() {
                format!(" ({})", fields.join(", ").replace('_', " "))
            } else {
                String::new()
            };
            let whose = if who.is_empty() { String::new() } else { format!(" · {who}") };
            format!("{} {}{detail}{whose}", crate::history::entity_label(entity), done(op))
        }
    }
}

/// Each client's emergency contacts, as one line each.
pub fn emergency_contacts(conn: &Connection) -> Result<HashMap<Uuid, Vec<String>>> {
    let mut stmt = conn.prepare_cached(
        "SELECT client_id, name, relationship, phone FROM client_key_people
         WHERE deleted_at IS NULL AND is_emergency_contact = 1 ORDER BY name",
    )?;
    let mut out: HashMap<Uuid, Vec<String>> = HashMap::new();
    let rows = stmt.query_map([], |r| {
        let relationship: String = r.get(2)?;
        let relationship = if relationship.is_empty() { String::new() } else { format!(" ({relationship})") };
        Ok((row_uuid(r, 0)?, format!("{}{relationship} {}", r.get::<_, String>(1)?, r.get::<_, String>(3)?)))
    })?;
    for row in rows {
        let (client, line) = row?;
        out.entry(client).or_default().push(line);
    }
    Ok(out)
}
