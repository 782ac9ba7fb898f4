//! The on-call log (product brief §5): every call the on-call person takes,
//! what they did, and what must be followed up. Append-only: a mistake is
//! put right with a correction, and a follow-up is closed by saying what was
//! done; both are addenda. Open follow-ups go on the handover.

use crate::access::Operation;
use crate::error::{Error, FieldErrors, Result};
use crate::people::common::read_london_moment;
use crate::people::common::text_enum;
use crate::record_fields;
use crate::store::{instant_text, row_enum, row_instant, row_opt_uuid, row_uuid, Record, Store};
use chrono::{DateTime, Utc};
use rusqlite::types::Value;
use rusqlite::{Connection, Row};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct OnCallCall {
    pub id: Uuid,
    #[ts(type = "string")]
    pub at: DateTime<Utc>,
    pub taken_by: String,
    pub caller: String,
    pub what_happened: String,
    pub action_taken: String,
    pub visit_id: Option<Uuid>,
    pub carer_id: Option<Uuid>,
    pub client_id: Option<Uuid>,
    pub incident_id: Option<Uuid>,
    /// What still has to be done; empty when nothing.
    pub follow_up: String,
}

impl Record for OnCallCall {
    const ENTITY: &'static str = "on_call_calls";
    fn id(&self) -> Uuid {
        self.id
    }
    fn fields(&self) -> Vec<(&'static str, Value)> {
        record_fields!(self; at, taken_by, caller, what_happened, action_taken, visit_id, carer_id, client_id,
            incident_id, follow_up)
    }
}

impl OnCallCall {
    fn from_row(row: &Row) -> rusqlite::Result<Self> {
        Ok(Self {
            id: row_uuid(row, "id")?,
            at: row_instant(row, "at")?,
            taken_by: row.get("taken_by")?,
            caller: row.get("caller")?,
            what_happened: row.get("what_happened")?,
            action_taken: row.get("action_taken")?,
            visit_id: row_opt_uuid(row, "visit_id")?,
            carer_id: row_opt_uuid(row, "carer_id")?,
            client_id: row_opt_uuid(row, "client_id")?,
            incident_id: row_opt_uuid(row, "incident_id")?,
            follow_up: row.get("follow_up")?,
        })
    }
}

text_enum!(AddendumKind {
    Correction = "correction": "Correction",
    FollowUpDone = "follow_up_done": "Follow-up done",
});

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export, rename = "CallAddendum")]
pub struct CallAddendum {
    pub id: Uuid,
    pub call_id: Uuid,
    pub kind: AddendumKind,
    pub text: String,
    #[ts(type = "string")]
    pub added_at: DateTime<Utc>,
    pub added_by: String,
}

impl Record for CallAddendum {
    const ENTITY: &'static str = "on_call_addenda";
    fn id(&self) -> Uuid {
        self.id
    }
    /// On the call it belongs to.
    fn root_id(&self) -> Uuid {
        self.call_id
    }
    fn fields(&self) -> Vec<(&'static str, Value)> {
        record_fields!(self; call_id, kind, text, added_at, added_by)
    }
}

/// The call form as typed. The time is London wall clock; empty means now.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(default)]
pub struct CallInput {
    pub at: String,
    pub caller: String,
    pub what_happened: String,
    pub action_taken: String,
    pub visit_id: Option<Uuid>,
    pub carer_id: Option<Uuid>,
    pub client_id: Option<Uuid>,
    pub incident_id: Option<Uuid>,
    pub follow_up: String,
}

/// A call as the log shows it, with its addenda and whether its follow-up
/// is still open.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct CallEntry {
    pub call: OnCallCall,
    /// "Visit: Morning call for Mary Jones at 07:30 on Tue 24 Nov", people by name.
    pub links: Vec<String>,
    pub addenda: Vec<CallAddendum>,
    pub follow_up_open: bool,
}

/// Checks the form and logs the call, taken by the signed-in person.
pub fn log_call(store: &mut Store, input: &CallInput) -> Result<Uuid> {
    let mut e = FieldErrors::new();
    let now = store.now();
    let at = if input.at.trim().is_empty() { Some(now) } else { read_london_moment(&mut e, "at", &input.at) };
    if at.is_some_and(|at| at > now + chrono::Duration::minutes(5)) {
        e.add("at", "A call cannot be logged in the future");
    }
    let caller = input.caller.trim().to_string();
    if caller.is_empty() {
        e.add("caller", "Say who called");
    }
    let what_happened = input.what_happened.trim().to_string();
    if what_happened.is_empty() {
        e.add("what_happened", "Say what happened");
    }
    let call = e.finish(OnCallCall {
        id: crate::ids::new_id(),
        at: at.unwrap_or(now),
        taken_by: store.actor().to_string(),
        caller,
        what_happened,
        action_taken: input.action_taken.trim().to_string(),
        visit_id: input.visit_id,
        carer_id: input.carer_id,
        client_id: input.client_id,
        incident_id: input.incident_id,
        follow_up: input.follow_up.trim().to_string(),
    })?;
    store.write(Operation::LogCalls, |changes| changes.insert(&call))?;
    Ok(call.id)
}

/// Adds a correction to a call, or closes its follow-up saying what was done.
pub fn add_to_call(store: &mut Store, call_id: Uuid, kind: AddendumKind, text: &str) -> Result<Uuid> {
    let entry = call_entry(store.read(), call_id)?;
    let text = text.trim().to_string();
    if text.is_empty() {
        let message = match kind {
            AddendumKind::Correction => "Write the correction",
            AddendumKind::FollowUpDone => "Say what was done",
        };
        return Err(Error::Invalid(vec![crate::FieldError { field: "text".into(), message: message.into() }]));
    }
    if kind == AddendumKind::FollowUpDone && !entry.follow_up_open {
        return Err(Error::Conflict("This call has no open follow-up".into()));
    }
    let addendum = CallAddendum {
        id: crate::ids::new_id(),
        call_id,
        kind,
        text,
        added_at: store.now(),
        added_by: store.actor().to_string(),
    };
    store.write(Operation::LogCalls, |changes| changes.insert(&addendum))?;
    Ok(addendum.id)
}

fn addenda(conn: &Connection, call_id: Uuid) -> Result<Vec<CallAddendum>> {
    let mut stmt = conn.prepare_cached(
        "SELECT * FROM on_call_addenda WHERE call_id = ?1 AND deleted_at IS NULL ORDER BY added_at, id",
    )?;
    let rows = stmt.query_map([call_id.to_string()], |row| {
        Ok(CallAddendum {
            id: row_uuid(row, "id")?,
            call_id: row_uuid(row, "call_id")?,
            kind: row_enum(row, "kind", AddendumKind::parse)?,
            text: row.get("text")?,
            added_at: row_instant(row, "added_at")?,
            added_by: row.get("added_by")?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn links(conn: &Connection, call: &OnCallCall) -> Result<Vec<String>> {
    use crate::rota::publish::{carer_name, client_name, describe_visit};
    let mut out = Vec::new();
    if let Some(visit_id) = call.visit_id {
        let visit = crate::rota::visits::load_visit(conn, visit_id)?;
        out.push(format!("Visit: {}", describe_visit(conn, &visit)?));
    }
    if let Some(carer) = call.carer_id {
        out.push(format!("Carer: {}", carer_name(conn, carer)?));
    }
    if let Some(client) = call.client_id {
        out.push(format!("Client: {}", client_name(conn, client)?));
    }
    if call.incident_id.is_some() {
        out.push("An incident was recorded".into());
    }
    Ok(out)
}

fn entry(conn: &Connection, call: OnCallCall) -> Result<CallEntry> {
    let addenda = addenda(conn, call.id)?;
    let follow_up_open = !call.follow_up.is_empty() && !addenda.iter().any(|a| a.kind == AddendumKind::FollowUpDone);
    Ok(CallEntry { links: links(conn, &call)?, call, addenda, follow_up_open })
}

pub fn call_entry(conn: &Connection, call_id: Uuid) -> Result<CallEntry> {
    let call = crate::store::find_live(conn, "on_call_calls", call_id, "Call", OnCallCall::from_row)?;
    entry(conn, call)
}

/// Calls from `from` to `until`, newest first.
pub fn calls_between(conn: &Connection, from: DateTime<Utc>, until: DateTime<Utc>) -> Result<Vec<CallEntry>> {
    let mut stmt = conn.prepare_cached(
        "SELECT * FROM on_call_calls WHERE deleted_at IS NULL AND at >= ?1 AND at < ?2 ORDER BY at DESC, id",
    )?;
    let calls: Vec<OnCallCall> = stmt
        .query_map([instant_text(from), instant_text(until)], OnCallCall::from_row)?
        .collect::<rusqlite::Result<_>>()?;
    calls.into_iter().map(|c| entry(conn, c)).collect()
}

/// Every call whose follow-up is still open, oldest first: they carry to
/// the handover until someone says what was done.
pub fn open_follow_ups(conn: &Connection) -> Result<Vec<CallEntry>> {
    let mut stmt = conn.prepare_cached(
        "SELECT * FROM on_call_calls c WHERE deleted_at IS NULL AND follow_up <> ''
           AND NOT EXISTS (SELECT 1 FROM on_call_addenda a WHERE a.call_id = c.id AND a.kind = 'follow_up_done'
                           AND a.deleted_at IS NULL)
         ORDER BY at, id",
    )?;
    let calls: Vec<OnCallCall> = stmt.query_map([], OnCallCall::from_row)?.collect::<rusqlite::Result<_>>()?;
    calls.into_iter().map(|c| entry(conn, c)).collect()
}
