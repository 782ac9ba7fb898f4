//! Handovers as records: the giver produces the sheet and gives it (the
//! sheet is kept as given), the receiver — someone else — acknowledges it,
//! with a note if they want. Both through the one write path.

use super::facts::moment;
use super::gather::{absent_carers, changes_since, clients_away, on_call, visits_between};
use super::handover::{handover_sheet, Direction, HandoverFacts};
use super::model::Document;
use super::service::produced_line;
use crate::access::Operation;
use crate::error::{Error, FieldError, Result};
use crate::rota::plan::london_date;
use crate::store::{find_live, instant_text, row_enum, row_instant, row_opt_instant, row_uuid, Record};
use crate::Store;
use chrono::{DateTime, Duration, Utc};
use rusqlite::{Connection, OptionalExtension, Row};
use serde::Serialize;
use ts_rs::TS;
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq)]
pub struct Handover {
    pub id: Uuid,
    pub direction: Direction,
    pub handed_over_at: DateTime<Utc>,
    pub covers_until: DateTime<Utc>,
    pub given_by: String,
    pub summary: String,
    /// The sheet as given, as JSON.
    pub document: String,
    pub acknowledged_by: String,
    pub acknowledged_at: Option<DateTime<Utc>>,
    pub acknowledgement_note: String,
}

impl Record for Handover {
    const ENTITY: &'static str = "handovers";
    fn id(&self) -> Uuid {
        self.id
    }
    fn fields(&self) -> Vec<(&'static str, rusqlite::types::Value)> {
        crate::record_fields!(self; direction, handed_over_at, covers_until, given_by, summary, document,
            acknowledged_by, acknowledged_at, acknowledgement_note)
    }
}

impl Handover {
    fn from_row(r: &Row) -> rusqlite::Result<Self> {
        Ok(Handover {
            id: row_uuid(r, "id")?,
            direction: row_enum(r, "direction", Direction::parse)?,
            handed_over_at: row_instant(r, "handed_over_at")?,
            covers_until: row_instant(r, "covers_until")?,
            given_by: r.get("given_by")?,
            summary: r.get("summary")?,
            document: r.get("document")?,
            acknowledged_by: r.get("acknowledged_by")?,
            acknowledged_at: row_opt_instant(r, "acknowledged_at")?,
            acknowledgement_note: r.get("acknowledgement_note")?,
        })
    }
}

/// When the last handover before `at` was given; a day before `at` if none.
fn last_handover_before(conn: &Connection, at: DateTime<Utc>) -> Result<DateTime<Utc>> {
    let last: Option<String> = conn
        .prepare_cached("SELECT max(handed_over_at) FROM handovers WHERE deleted_at IS NULL AND handed_over_at < ?1")?
        .query_row([instant_text(at)], |r| r.get(0))
        .optional()?
        .flatten();
    Ok(last
        .and_then(|t| DateTime::parse_from_rfc3339(&t).ok())
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or(at - Duration::days(1)))
}

/// Everything the sheet for a handover at `at` says.
pub fn handover_facts(conn: &Connection, direction: Direction, at: DateTime<Utc>) -> Result<HandoverFacts> {
    let until = direction.covers_until(at);
    let since = last_handover_before(conn, at)?;
    let (changes, more_changes) = changes_since(conn, since)?;
    let notifications = crate::incidents::waiting_notifications(conn, at)?;
    let open_incidents = crate::incidents::list_incidents(
        conn,
        &crate::incidents::IncidentQuery { open_only: true, carer_id: None, client_id: None },
        at,
    )?;
    Ok(HandoverFacts {
        direction,
        at,
        until,
        since,
        on_call: on_call(conn, at, until)?,
        visits: visits_between(conn, at, until)?,
        absent: absent_carers(conn, london_date(at), london_date(until))?,
        clients_away: clients_away(conn, london_date(at))?,
        open_incidents,
        notifications,
        calls: crate::oncall::calls_between(conn, since, at)?,
        follow_ups: crate::oncall::open_follow_ups(conn)?,
        to_tell: crate::rota::untold(conn)?,
        changes,
        more_changes,
        made_ahead: crate::rota::made_ahead(conn, london_date(at))?,
    })
}

/// The moment a person typed ("2026-12-01 17:00"; empty for now) and the
/// direction they chose, or the usual one at that time.
pub fn handover_moment(store: &Store, at: &str, direction: Option<Direction>) -> Result<(DateTime<Utc>, Direction)> {
    let at = if at.trim().is_empty() { store.now() } else { super::facts::parse_london_moment(at)? };
    Ok((at, direction.unwrap_or_else(|| Direction::usual_at(at))))
}

/// The sheet for a handover at `at`, not yet given.
pub fn handover_sheet_at(store: &Store, direction: Direction, at: DateTime<Utc>) -> Result<Document> {
    Ok(handover_sheet(&handover_facts(store.read(), direction, at)?, produced_line(store)))
}

/// Gives the handover at `at`: keeps the sheet as produced now, waiting for
/// the receiver's acknowledgement.
pub fn give_handover(store: &mut Store, direction: Direction, at: DateTime<Utc>) -> Result<Uuid> {
    let document = handover_sheet_at(store, direction, at)?;
    let handover = Handover {
        id: crate::ids::new_id(),
        direction,
        handed_over_at: at,
        covers_until: direction.covers_until(at),
        given_by: store.actor(),
        summary: document.parts.first().map(|p| p.subheading.clone()).unwrap_or_default(),
        document: serde_json::to_string(&document).map_err(|e| Error::Conflict(e.to_string()))?,
        acknowledged_by: String::new(),
        acknowledged_at: None,
        acknowledgement_note: String::new(),
    };
    store.write(Operation::HandOver, |changes| changes.insert(&handover))?;
    Ok(handover.id)
}

fn load(conn: &Connection, id: Uuid) -> Result<Handover> {
    find_live(conn, "handovers", id, "handover", Handover::from_row)
}

/// The receiver takes the handover over. Whoever gave it cannot.
pub fn acknowledge_handover(store: &mut Store, id: Uuid, note: &str) -> Result<()> {
    let before = load(store.read(), id)?;
    if let Some(at) = before.acknowledged_at {
        return Err(Error::Conflict(format!(
            "This handover was already acknowledged by {} at {}",
            before.acknowledged_by,
            moment(at)
        )));
    }
    if before.given_by == store.actor() {
        return Err(Error::Invalid(vec![FieldError {
            field: "acknowledgement".into(),
            message: "The person taking over acknowledges a handover: you gave this one. Ask them to sign in and acknowledge it.".into(),
        }]));
    }
    if note.chars().count() > 1000 {
        return Err(Error::Invalid(vec![FieldError {
            field: "note".into(),
            message: "Keep the note under 1,000 characters".into(),
        }]));
    }
    let now = store.now();
    let after = Handover {
        acknowledged_by: store.actor(),
        acknowledged_at: Some(now),
        acknowledgement_note: note.trim().to_string(),
        ..before.clone()
    };
    store.write(Operation::HandOver, |changes| changes.update(&before, &after).map(|_| ()))
}

/// A handover as the list shows it.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct HandoverRow {
    pub id: Uuid,
    pub direction: String,
    /// "Tue 1 Dec 2026 at 17:00"
    pub at: String,
    pub until: String,
    pub given_by: String,
    pub summary: String,
    pub acknowledged: bool,
    /// "Ola Night at Tue 1 Dec 2026 at 17:04", or empty.
    pub acknowledged_by: String,
    pub acknowledged_at: String,
    pub note: String,
}

/// The latest handovers, newest first.
pub fn list_handovers(conn: &Connection, limit: u32) -> Result<Vec<HandoverRow>> {
    let mut stmt = conn
        .prepare_cached("SELECT * FROM handovers WHERE deleted_at IS NULL ORDER BY handed_over_at DESC, id LIMIT ?1")?;
    let rows = stmt.query_map([limit], Handover::from_row)?;
    let mut out = Vec::new();
    for h in rows {
        let h = h?;
        out.push(HandoverRow {
            id: h.id,
            direction: h.direction.label().into(),
            at: moment(h.handed_over_at),
            until: moment(h.covers_until),
            given_by: h.given_by,
            summary: h.summary,
            acknowledged: h.acknowledged_at.is_some(),
            acknowledged_by: h.acknowledged_by,
            acknowledged_at: h.acknowledged_at.map(moment).unwrap_or_default(),
            note: h.acknowledgement_note,
        });
    }
    Ok(out)
}

/// The sheet of a given handover, exactly as it was given.
pub fn given_sheet(conn: &Connection, id: Uuid) -> Result<Document> {
    let h = load(conn, id)?;
    serde_json::from_str(&h.document).map_err(|e| Error::Conflict(format!("The kept sheet cannot be read: {e}")))
}
