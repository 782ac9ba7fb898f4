//! The live board for lone-worker monitoring, from the store: today's and
//! tonight's visits to homes whose risk assessment asks for check-in calls,
//! the calls so far (typed by hand or imported), and the escalation steps
//! taken — each judged by `monitor` at the moment given.

use super::assessments::CurrentControls;
use super::monitor::{standing, CallKind, MonitorSettings, Step, Taken, WatchState, Watched};
use crate::access::Operation;
use crate::documents::facts::{clock, moment, parse_london_moment};
use crate::documents::gather::visits_by_id;
use crate::error::{Error, FieldError, Result};
use crate::import::rows::{problem, read, LineProblem};
use crate::store::{find_live, instant_text, json_keys, row_enum, row_instant, row_uuid, Record};
use crate::Store;
use chrono::{DateTime, Duration, Utc};
use rusqlite::Connection;
use serde::Serialize;
use std::collections::HashMap;
use ts_rs::TS;
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq)]
struct VisitCall {
    id: Uuid,
    visit_id: Uuid,
    client_id: Uuid,
    kind: CallKind,
    at: DateTime<Utc>,
    source: String,
}

impl Record for VisitCall {
    const ENTITY: &'static str = "visit_calls";
    fn id(&self) -> Uuid {
        self.id
    }
    fn root_id(&self) -> Uuid {
        self.client_id
    }
    fn fields(&self) -> Vec<(&'static str, rusqlite::types::Value)> {
        crate::record_fields!(self; visit_id, client_id, kind, at, source)
    }
}

#[derive(Debug, Clone, PartialEq)]
struct EscalationStep {
    id: Uuid,
    visit_id: Uuid,
    client_id: Uuid,
    step: Step,
    acknowledged_by: String,
    acknowledged_at: DateTime<Utc>,
    note: String,
}

impl Record for EscalationStep {
    const ENTITY: &'static str = "escalation_steps";
    fn id(&self) -> Uuid {
        self.id
    }
    fn root_id(&self) -> Uuid {
        self.client_id
    }
    fn fields(&self) -> Vec<(&'static str, rusqlite::types::Value)> {
        crate::record_fields!(self; visit_id, client_id, step, acknowledged_by, acknowledged_at, note)
    }
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct TakenView {
    pub step: String,
    pub by: String,
    pub at: String,
    pub note: String,
}

/// A watched visit as the board shows it.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct WatchRow {
    pub visit_id: Uuid,
    pub client_name: String,
    pub address: String,
    pub carers: String,
    /// "18:00–18:30"
    pub expected: String,
    pub check_in: String,
    pub check_out: String,
    pub state: WatchState,
    pub state_label: String,
    /// Minutes overdue, 0 when not.
    pub overdue_min: u32,
    /// "1 h 05 min", or empty.
    pub overdue: String,
    pub due_step: Option<Step>,
    pub due_step_label: String,
    /// "Next step at 18:45 if nobody calls".
    pub next_step: String,
    pub taken: Vec<TakenView>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct LiveBoard {
    /// "Tue 1 Dec 2026 at 18:20"
    pub now: String,
    pub settings: MonitorSettings,
    pub rows: Vec<WatchRow>,
}

/// When a visit's check-in and check-out were called, if they were.
type Calls = (Option<DateTime<Utc>>, Option<DateTime<Utc>>);

fn calls_for(conn: &Connection, visit: Uuid) -> Result<Calls> {
    Ok(calls_of(conn, &json_keys([visit]))?.remove(&visit).unwrap_or_default())
}

fn steps_for(conn: &Connection, visit: Uuid) -> Result<Vec<Taken>> {
    Ok(steps_of(conn, &json_keys([visit]))?.remove(&visit).unwrap_or_default())
}

/// The calls of each visit in `visits` (a JSON list of ids): one read for
/// the whole board rather than one per row.
fn calls_of(conn: &Connection, visits: &str) -> Result<HashMap<Uuid, Calls>> {
    let mut stmt = conn.prepare_cached(
        "SELECT visit_id, kind, at FROM visit_calls
         WHERE visit_id IN (SELECT value FROM json_each(?1)) AND deleted_at IS NULL",
    )?;
    let rows =
        stmt.query_map([visits], |r| Ok((row_uuid(r, 0)?, row_enum(r, 1, CallKind::parse)?, row_instant(r, 2)?)))?;
    let mut calls: HashMap<Uuid, Calls> = HashMap::new();
    for row in rows {
        let (visit, kind, at) = row?;
        let (check_in, check_out) = calls.entry(visit).or_default();
        match kind {
            CallKind::CheckIn => *check_in = Some(at),
            CallKind::CheckOut => *check_out = Some(at),
        }
    }
    Ok(calls)
}

/// The escalation steps taken for each visit in `visits` (a JSON list of
/// ids), each visit's in the order they were taken.
fn steps_of(conn: &Connection, visits: &str) -> Result<HashMap<Uuid, Vec<Taken>>> {
    let mut stmt = conn.prepare_cached(
        "SELECT visit_id, step, acknowledged_by, acknowledged_at, note FROM escalation_steps
         WHERE visit_id IN (SELECT value FROM json_each(?1)) AND deleted_at IS NULL
         ORDER BY visit_id, acknowledged_at",
    )?;
    let rows = stmt.query_map([visits], |r| {
        let taken =
            Taken { step: row_enum(r, 1, Step::parse)?, by: r.get(2)?, at: row_instant(r, 3)?, note: r.get(4)? };
        Ok((row_uuid(r, 0)?, taken))
    })?;
    let mut steps: HashMap<Uuid, Vec<Taken>> = HashMap::new();
    for row in rows {
        let (visit, taken) = row?;
        steps.entry(visit).or_default().push(taken);
    }
    Ok(steps)
}

/// The visits on the London dates of `from`..`until` that a check-in
/// control reaches: to a home that asks for calls, by a carer who must call
/// in, or needing an activity that does. Found through the narrow indexes,
/// by client and by carer, rather than by reading every visit of the day
/// with its client: the board is asked for once a minute on every page, and
/// on a huge agency that read held the store for a third of a second.
fn watched_visits(
    conn: &Connection,
    controls: &CurrentControls,
    from: DateTime<Utc>,
    until: DateTime<Utc>,
) -> Result<Vec<Uuid>> {
    let day = |at: DateTime<Utc>| at.with_timezone(&chrono_tz::Europe::London).date_naive().to_string();
    let (first, last) = (day(from), day(until));
    let asking = controls.asking_for_calls();
    let mut ids = Vec::new();
    let mut add = |sql: &str, keys: String| -> Result<()> {
        let mut stmt = conn.prepare_cached(sql)?;
        for id in stmt.query_map([&keys, &first, &last], |r| row_uuid(r, 0))? {
            ids.push(id?);
        }
        Ok(())
    };
    if !asking.clients.is_empty() {
        add(
            "SELECT id FROM visits INDEXED BY visits_by_client
             WHERE client_id IN (SELECT value FROM json_each(?1)) AND local_date BETWEEN ?2 AND ?3",
            json_keys(&asking.clients),
        )?;
    }
    if !asking.carers.is_empty() {
        add(
            "SELECT visit_id FROM allocations_by_date
             WHERE carer_id IN (SELECT value FROM json_each(?1)) AND local_date BETWEEN ?2 AND ?3",
            json_keys(&asking.carers),
        )?;
    }
    // No index files visits by activity: only then is the day read whole,
    // and from its covering index alone.
    if !asking.activities.is_empty() {
        add(
            "SELECT id FROM visits INDEXED BY visits_by_date
             WHERE local_date BETWEEN ?2 AND ?3 AND deleted_at IS NULL
               AND EXISTS (SELECT 1 FROM json_each(required_skills) s WHERE s.value IN (SELECT value FROM json_each(?1)))",
            json_keys(&asking.activities),
        )?;
    }
    ids.sort_unstable();
    ids.dedup();
    Ok(ids)
}

/// The board at `now`: visits starting from 12 hours before to 12 hours
/// after, to homes that need check-in calls; the late ones first.
pub fn live_board(conn: &Connection, now: DateTime<Utc>) -> Result<LiveBoard> {
    let settings = super::settings::risk_settings(conn)?.monitor();
    let (from, until) = (now - Duration::hours(12), now + Duration::hours(12));
    let controls = super::current_controls(conn)?;
    let ids = watched_visits(conn, &controls, from, until)?;
    let mut visits = visits_by_id(conn, &ids, &controls)?;
    visits.retain(|v| v.check_in && v.start >= from && v.start < until);
    let on_board = json_keys(visits.iter().map(|v| v.id));
    let (mut calls, mut steps) = (calls_of(conn, &on_board)?, steps_of(conn, &on_board)?);
    let mut rows = Vec::new();
    for v in visits {
        let (check_in, check_out) = calls.remove(&v.id).unwrap_or_default();
        let watched = Watched {
            visit_id: v.id,
            start: v.start,
            end: v.end(),
            check_in,
            check_out,
            taken: steps.remove(&v.id).unwrap_or_default(),
        };
        let mut s = standing(&watched, now, settings);
        // With nobody allocated there is no lone worker to ring: the visit
        // is at risk of being missed, which is the coordinator's to solve.
        let unallocated = v.carers.is_empty();
        if unallocated {
            s.due_step = None;
            s.next_step_at = None;
        }
        let carers = if v.carers.is_empty() {
            "No carer yet".to_string()
        } else {
            v.carers.iter().map(|(_, n)| n.as_str()).collect::<Vec<_>>().join(" and ")
        };
        rows.push((
            s.overdue_since,
            v.start,
            WatchRow {
                visit_id: v.id,
                client_name: v.client_name.clone(),
                address: v.address.clone(),
                carers,
                expected: v.times(),
                check_in: check_in.map(clock).unwrap_or_default(),
                check_out: check_out.map(clock).unwrap_or_default(),
                state: s.state,
                // Someone who rang in is there, allocated or not: the visit
                // is not missed, but the rota does not say who it is.
                state_label: match (unallocated, check_in.is_some(), s.overdue_since.is_some()) {
                    (true, true, _) => format!("{} · no carer allocated on the rota", s.state.label()),
                    (true, false, true) => "No carer allocated: the visit may be missed".into(),
                    _ => s.state.label().into(),
                },
                overdue_min: s.overdue_since.map_or(0, |since| (now - since).num_minutes().max(0) as u32),
                overdue: s
                    .overdue_since
                    .map(|since| crate::documents::facts::hours_minutes((now - since).num_minutes().max(0) as u32))
                    .unwrap_or_default(),
                due_step: s.due_step,
                due_step_label: s.due_step.map(|d| d.label().to_string()).unwrap_or_default(),
                next_step: s
                    .next_step_at
                    .map(|at| format!("Next step at {} if nobody calls", clock(at)))
                    .unwrap_or_default(),
                taken: watched
                    .taken
                    .iter()
                    .map(|t| TakenView {
                        step: t.step.label().into(),
                        by: t.by.clone(),
                        at: clock(t.at),
                        note: t.note.clone(),
                    })
                    .collect(),
            },
        ));
    }
    // The late first (longest late at the top), then by start; done last.
    rows.sort_by_key(|(since, start, row)| (row.state == WatchState::Done, since.is_none(), *since, *start));
    Ok(LiveBoard { now: moment(now), settings, rows: rows.into_iter().map(|(_, _, r)| r).collect() })
}

fn visit_client(conn: &Connection, visit: Uuid) -> Result<Uuid> {
    find_live(conn, "visits", visit, "visit", |r| row_uuid(r, "client_id"))
}

fn at_or_now(store: &Store, at: &str) -> Result<DateTime<Utc>> {
    let at = at.trim();
    if at.is_empty() {
        return Ok(store.now());
    }
    if let Ok(time) = chrono::NaiveTime::parse_from_str(at, "%H:%M") {
        // The latest such time not in the future: "23:50" typed at 00:10
        // is last night's.
        let today = store.now().with_timezone(&chrono_tz::Europe::London).date_naive();
        let (instant, _) = crate::rota::plan::london_instant(today, time);
        if instant > store.now() + Duration::minutes(5) {
            return Ok(crate::rota::plan::london_instant(today - Duration::days(1), time).0);
        }
        return Ok(instant);
    }
    parse_london_moment(at)
}

/// Records a check-in or check-out call, at `at` ("18:02", or empty for now).
pub fn record_call(store: &mut Store, visit_id: Uuid, kind: CallKind, at: &str) -> Result<()> {
    let client_id = visit_client(store.read(), visit_id)?;
    let at = at_or_now(store, at)?;
    let (check_in, check_out) = calls_for(store.read(), visit_id)?;
    if (kind == CallKind::CheckIn && check_in.is_some()) || (kind == CallKind::CheckOut && check_out.is_some()) {
        return Err(Error::Conflict(format!("The {} for this visit is already recorded", kind.label().to_lowercase())));
    }
    if at > store.now() + Duration::minutes(5) {
        return Err(Error::Invalid(vec![FieldError {
            field: "at".into(),
            message: "A call cannot be recorded in the future".into(),
        }]));
    }
    let call = VisitCall { id: crate::ids::new_id(), visit_id, client_id, kind, at, source: "by_hand".into() };
    store.write(Operation::LogCalls, |changes| changes.insert(&call))
}

/// Records that someone took an escalation step for a late visit.
pub fn take_step(store: &mut Store, visit_id: Uuid, step: Step, note: &str) -> Result<()> {
    let client_id = visit_client(store.read(), visit_id)?;
    if steps_for(store.read(), visit_id)?.iter().any(|t| t.step == step) {
        return Err(Error::Conflict(format!("“{}” is already recorded for this visit", step.label())));
    }
    let taken = EscalationStep {
        id: crate::ids::new_id(),
        visit_id,
        client_id,
        step,
        acknowledged_by: store.actor(),
        acknowledged_at: store.now(),
        note: note.trim().into(),
    };
    store.write(Operation::LogCalls, |changes| changes.insert(&taken))
}

/// What a call-monitoring CSV import did: every problem by line, or how
/// many calls were recorded (all of them or none).
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct CallImport {
    pub imported: u32,
    pub problems: Vec<LineProblem>,
}

/// The columns a call-monitoring file needs.
pub const CALL_COLUMNS: [&str; 4] = ["client", "postcode", "at", "kind"];

/// Imports check-in and check-out calls: `client` (name as in Caredesk),
/// `postcode`, `at` ("2026-12-01 18:02", London) and `kind` (in or out).
/// Each call goes to that client's visit starting nearest the time, within
/// three hours. All lines are checked first; any problem imports nothing.
pub fn import_calls(store: &mut Store, bytes: &[u8]) -> Result<CallImport> {
    let (header, rows, mut problems) = read(bytes);
    for column in CALL_COLUMNS {
        if !header.is_empty() && !header.iter().any(|h| h == column) {
            problems.push(problem(1, column, format!("The file has no {column} column")));
        }
    }
    let conn = store.read();
    let mut calls: Vec<VisitCall> = Vec::new();
    let mut find_visit = conn.prepare_cached(
        "SELECT v.id, c.id FROM visits v JOIN clients c ON c.id = v.client_id
         WHERE c.deleted_at IS NULL AND lower(c.given_name || ' ' || c.family_name) = lower(?1)
           AND replace(upper(c.postcode), ' ', '') = replace(upper(?2), ' ', '')
           AND v.deleted_at IS NULL AND v.status = 'planned' AND v.local_date BETWEEN ?3 AND ?4
         ORDER BY abs(unixepoch(v.starts_at) - unixepoch(?5)) LIMIT 1",
    )?;
    for row in &rows {
        let line = row.line;
        let kind = match row.get("kind").trim().to_lowercase().as_str() {
            "in" | "check_in" | "check-in" => Some(CallKind::CheckIn),
            "out" | "check_out" | "check-out" => Some(CallKind::CheckOut),
            other => {
                problems.push(problem(line, "kind", format!("\"{other}\" is not in or out")));
                None
            }
        };
        let at = match parse_london_moment(row.get("at")) {
            Ok(at) => Some(at),
            Err(e) => {
                problems.push(problem(line, "at", e.to_string()));
                None
            }
        };
        let (Some(kind), Some(at)) = (kind, at) else { continue };
        let day = at.with_timezone(&chrono_tz::Europe::London).date_naive();
        let found: Option<(String, String)> = find_visit
            .query_row(
                rusqlite::params![
                    row.get("client").trim(),
                    row.get("postcode"),
                    (day - Duration::days(1)).to_string(),
                    day.to_string(),
                    instant_text(at)
                ],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .ok();
        let Some((visit, client)) = found.and_then(|(v, c)| Some((v.parse::<Uuid>().ok()?, c.parse::<Uuid>().ok()?)))
        else {
            problems.push(problem(
                line,
                "client",
                format!("No visit for {} at {} around that time", row.get("client"), row.get("postcode")),
            ));
            continue;
        };
        let start: DateTime<Utc> =
            conn.query_row("SELECT starts_at FROM visits WHERE id = ?1", [visit.to_string()], |r| row_instant(r, 0))?;
        if (at - start).num_minutes().abs() > 180 {
            problems.push(problem(line, "at", "No visit for this client starts within three hours of this call"));
            continue;
        }
        let (check_in, check_out) = calls_for(conn, visit)?;
        let stored = if kind == CallKind::CheckIn { check_in } else { check_out };
        if stored.is_some() || calls.iter().any(|c| c.visit_id == visit && c.kind == kind) {
            problems.push(problem(
                line,
                "kind",
                format!("The {} for this visit is already recorded", kind.label().to_lowercase()),
            ));
            continue;
        }
        calls.push(VisitCall {
            id: crate::ids::new_id(),
            visit_id: visit,
            client_id: client,
            kind,
            at,
            source: "import".into(),
        });
    }
    drop(find_visit);
    if !problems.is_empty() {
        return Ok(CallImport { imported: 0, problems });
    }
    let imported = calls.len() as u32;
    store.write(Operation::LogCalls, |changes| {
        for call in &calls {
            changes.insert(call)?;
        }
        Ok(())
    })?;
    Ok(CallImport { imported, problems })
}
