//! Publishing the rota and telling people about later changes (product brief
//! §2 and §6; standard 003 P44–P45). A date is a draft until a coordinator
//! publishes a period holding it. After that, every change to a visit that
//! day makes a *to tell* entry for each carer affected and for the client,
//! which stays on the list until someone records when, by whom and how they
//! were told.

use super::visits::Visit;
use crate::access::Operation;
use crate::error::{Error, FieldError, Result};
use crate::people::common::text_enum;
use crate::record_fields;
use crate::store::{row_date, row_instant, row_opt_instant, row_opt_uuid, row_uuid, Changes, Record, Store};
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension};
use serde::Serialize;
use ts_rs::TS;
use uuid::Uuid;

/// The longest period published at once.
pub const MAX_PUBLISH_DAYS: i64 = 92;

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Publication {
    pub id: Uuid,
    pub from_date: NaiveDate,
    pub to_date: NaiveDate,
    #[ts(type = "string")]
    pub published_at: DateTime<Utc>,
    pub published_by: String,
}

impl Record for Publication {
    const ENTITY: &'static str = "rota_publications";
    fn id(&self) -> Uuid {
        self.id
    }
    fn fields(&self) -> Vec<(&'static str, Value)> {
        record_fields!(self; from_date, to_date, published_at, published_by)
    }
}

text_enum!(TellHow {
    Phone = "phone": "By phone",
    InPerson = "in_person": "In person",
    Text = "text": "By text message",
    Email = "email": "By email",
    Letter = "letter": "By letter",
});

/// One person to tell about one change.
#[derive(Debug, Clone, PartialEq)]
pub struct ToTell {
    pub id: Uuid,
    pub visit_id: Uuid,
    pub client_id: Uuid,
    /// The carer to tell; `None` means the client and their key people.
    pub carer_id: Option<Uuid>,
    pub what: String,
    pub changed_at: DateTime<Utc>,
    pub told_at: Option<DateTime<Utc>>,
    pub told_by: String,
    pub told_how: String,
}

impl Record for ToTell {
    const ENTITY: &'static str = "to_tell";
    fn id(&self) -> Uuid {
        self.id
    }
    /// On the record page of whoever must be told.
    fn root_id(&self) -> Uuid {
        self.carer_id.unwrap_or(self.client_id)
    }
    fn fields(&self) -> Vec<(&'static str, Value)> {
        record_fields!(self; visit_id, client_id, carer_id, what, changed_at, told_at, told_by, told_how)
    }
}

fn publication_from_row(row: &rusqlite::Row) -> rusqlite::Result<Publication> {
    Ok(Publication {
        id: row_uuid(row, "id")?,
        from_date: row_date(row, "from_date")?,
        to_date: row_date(row, "to_date")?,
        published_at: row_instant(row, "published_at")?,
        published_by: row.get("published_by")?,
    })
}

/// The publication covering `date`, if it has been published.
pub fn publication_on(conn: &Connection, date: NaiveDate) -> Result<Option<Publication>> {
    Ok(conn
        .prepare_cached(
            "SELECT * FROM rota_publications WHERE deleted_at IS NULL AND from_date <= ?1 AND to_date >= ?1
             ORDER BY published_at LIMIT 1",
        )?
        .query_row([date.to_string()], publication_from_row)
        .optional()?)
}

/// The dates from `from` to `to` not yet published.
pub fn draft_dates(conn: &Connection, from: NaiveDate, to: NaiveDate) -> Result<Vec<NaiveDate>> {
    let mut drafts = Vec::new();
    for date in from.iter_days().take_while(|d| *d <= to) {
        if publication_on(conn, date)?.is_none() {
            drafts.push(date);
        }
    }
    Ok(drafts)
}

/// Publishes `from`..=`to`: from now on, changes to its visits are told.
pub fn publish(store: &mut Store, from: NaiveDate, to: NaiveDate) -> Result<Publication> {
    let days = (to - from).num_days() + 1;
    if !(1..=MAX_PUBLISH_DAYS).contains(&days) {
        return Err(Error::Invalid(vec![FieldError {
            field: "to".into(),
            message: format!("Choose an end on or after the start, at most {MAX_PUBLISH_DAYS} days on"),
        }]));
    }
    if draft_dates(store.read(), from, to)?.is_empty() {
        return Err(Error::Conflict(format!(
            "{} to {} is already published",
            from.format("%-d %b %Y"),
            to.format("%-d %b %Y")
        )));
    }
    store.write(Operation::Publish, |changes| {
        let publication = Publication {
            id: crate::ids::new_id(),
            from_date: from,
            to_date: to,
            published_at: changes.at(),
            published_by: changes.actor().to_string(),
        };
        changes.insert(&publication)?;
        Ok(publication)
    })
}

/// "Morning call for Margaret Onions at 07:30 on Tue 24 Nov".
pub(crate) fn describe_visit(conn: &Connection, visit: &Visit) -> Result<String> {
    let (label, client): (String, String) = conn
        .prepare_cached(
            "SELECT coalesce(p.label, 'One-off visit'), c.given_name || ' ' || c.family_name
             FROM clients c LEFT JOIN care_packages p ON p.id = ?2 WHERE c.id = ?1",
        )?
        .query_row(rusqlite::params![visit.client_id.to_string(), visit.package_id.map(|p| p.to_string())], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?;
    Ok(format!("{label} for {client} at {}", crate::rules::london_moment(visit.starts_at)))
}

pub(crate) fn carer_name(conn: &Connection, carer_id: Uuid) -> Result<String> {
    Ok(conn
        .prepare_cached("SELECT given_name || ' ' || family_name FROM carers WHERE id = ?1")?
        .query_row([carer_id.to_string()], |r| r.get(0))
        .optional()?
        .unwrap_or_else(|| "A carer".into()))
}

pub(crate) fn client_name(conn: &Connection, client_id: Uuid) -> Result<String> {
    Ok(conn
        .prepare_cached("SELECT given_name || ' ' || family_name FROM clients WHERE id = ?1")?
        .query_row([client_id.to_string()], |r| r.get(0))
        .optional()?
        .unwrap_or_else(|| "A client".into()))
}

/// Whom to tell about one change, and what to say to each.
pub(crate) struct Telling {
    pub carers: Vec<(Uuid, String)>,
    pub client: Option<String>,
}

/// Records `telling` for `visit`, but only when the visit's day has been
/// published: changes to a draft reach people when it is published.
pub(crate) fn tell(changes: &mut Changes, visit: &Visit, telling: Telling) -> Result<()> {
    if publication_on(changes.read(), visit.local_date)?.is_none() {
        return Ok(());
    }
    let people = telling.carers.into_iter().map(|(id, what)| (Some(id), what)).chain(telling.client.map(|w| (None, w)));
    for (carer_id, what) in people {
        changes.insert(&ToTell {
            id: crate::ids::new_id(),
            visit_id: visit.id,
            client_id: visit.client_id,
            carer_id,
            what,
            changed_at: changes.at(),
            told_at: None,
            told_by: String::new(),
            told_how: String::new(),
        })?;
    }
    Ok(())
}

/// An untold change, as the *to tell* list shows it.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ToTellRow {
    pub id: Uuid,
    pub visit_id: Uuid,
    pub visit_date: NaiveDate,
    pub client_id: Uuid,
    pub carer_id: Option<Uuid>,
    /// Whom to tell: the carer, or the client (and key people).
    pub person: String,
    pub phone: String,
    pub what: String,
    #[ts(type = "string")]
    pub changed_at: DateTime<Utc>,
}

/// Every change not yet told, oldest first, for the whole agency.
pub fn untold(conn: &Connection) -> Result<Vec<ToTellRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT t.id, t.visit_id, v.local_date, t.client_id, t.carer_id, t.what, t.changed_at,
                coalesce(k.given_name || ' ' || k.family_name, c.given_name || ' ' || c.family_name) AS person,
                coalesce(k.phone, c.phone) AS phone
         FROM to_tell t JOIN visits v ON v.id = t.visit_id JOIN clients c ON c.id = t.client_id
              LEFT JOIN carers k ON k.id = t.carer_id
         WHERE t.told_at IS NULL AND t.deleted_at IS NULL ORDER BY t.changed_at, person",
    )?;
    let rows = stmt.query_map([], |row| {
        Ok(ToTellRow {
            id: row_uuid(row, "id")?,
            visit_id: row_uuid(row, "visit_id")?,
            visit_date: row_date(row, "local_date")?,
            client_id: row_uuid(row, "client_id")?,
            carer_id: row_opt_uuid(row, "carer_id")?,
            person: row.get("person")?,
            phone: row.get("phone")?,
            what: row.get("what")?,
            changed_at: row_instant(row, "changed_at")?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn load_to_tell(conn: &Connection, id: Uuid) -> Result<ToTell> {
    crate::store::find_live(conn, "to_tell", id, "Change to tell", |row| {
        Ok(ToTell {
            id: row_uuid(row, "id")?,
            visit_id: row_uuid(row, "visit_id")?,
            client_id: row_uuid(row, "client_id")?,
            carer_id: row_opt_uuid(row, "carer_id")?,
            what: row.get("what")?,
            changed_at: row_instant(row, "changed_at")?,
            told_at: row_opt_instant(row, "told_at")?,
            told_by: row.get("told_by")?,
            told_how: row.get("told_how")?,
        })
    })
}

/// Records that the people behind `ids` were told, now, by the signed-in
/// person, `how`. All or nothing: one already told refuses the lot.
pub fn mark_told(store: &mut Store, ids: &[Uuid], how: TellHow) -> Result<()> {
    if ids.is_empty() {
        return Err(Error::Invalid(vec![FieldError { field: "ids".into(), message: "Choose who was told".into() }]));
    }
    store.write(Operation::TellPeople, |changes| {
        for id in ids {
            let before = load_to_tell(changes.read(), *id)?;
            if before.told_at.is_some() {
                return Err(Error::Conflict(format!(
                    "{} was already recorded as told by {}",
                    before.what, before.told_by
                )));
            }
            let after = ToTell {
                told_at: Some(changes.at()),
                told_by: changes.actor().to_string(),
                told_how: how.as_str().to_string(),
                ..before.clone()
            };
            changes.update(&before, &after)?;
        }
        Ok(())
    })
}
