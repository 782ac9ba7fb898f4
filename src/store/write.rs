//! The one write path. [`Changes`] is handed to a service inside an
//! immediate transaction; each method both changes the rows and appends a
//! change-log row (who, which device, when, a hybrid logical clock, and each
//! changed field's before and after). This module is the only place in the
//! core that runs INSERT/UPDATE on synced tables; a test checks that.

use super::hlc::Hlc;
use super::record::Record;
use crate::error::{Error, Result};
use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::types::Value;
use rusqlite::{params, params_from_iter, Connection, OptionalExtension, Transaction};
use std::collections::HashMap;
use uuid::Uuid;

pub struct Changes<'a> {
    tx: Transaction<'a>,
    actor: &'a str,
    device: &'a str,
    at: DateTime<Utc>,
    hlc: Hlc,
    /// Each table's INSERT, made once per change rather than once per row.
    inserts: HashMap<&'static str, String>,
    /// `at` as stored, written once: every row of the change has it.
    stamp: String,
}

impl<'a> Changes<'a> {
    pub(super) fn begin(tx: Transaction<'a>, actor: &'a str, device: &'a str, at: DateTime<Utc>) -> Result<Self> {
        let last: Option<String> =
            tx.query_row("SELECT value FROM meta WHERE key = 'hlc'", [], |r| r.get(0)).optional()?;
        let hlc = Hlc::next(last.as_deref().and_then(Hlc::decode), at);
        let stamp = at.to_rfc3339_opts(SecondsFormat::Millis, true);
        Ok(Self { tx, actor, device, at, hlc, inserts: HashMap::new(), stamp })
    }

    pub(super) fn commit(self) -> Result<()> {
        // Derived like an index, but by the travel estimates, which the
        // triggers cannot run: counted here, inside the change's transaction.
        keep_week_counts(&self.tx)?;
        self.tx.execute(
            "INSERT INTO meta (key, value) VALUES ('hlc', ?1)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [self.hlc.encode(self.device)],
        )?;
        self.tx.commit()?;
        Ok(())
    }

    /// Reads inside the same transaction (sees this change's own writes).
    pub fn read(&self) -> &Connection {
        &self.tx
    }

    /// Who is making this change.
    pub fn actor(&self) -> &str {
        self.actor
    }

    /// When this change is being made.
    pub fn at(&self) -> DateTime<Utc> {
        self.at
    }

    pub fn insert<R: Record>(&mut self, record: &R) -> Result<()> {
        let fields = record.fields();
        self.insert_row::<R>(record.id(), &fields)?;
        let changed = fields.into_iter().map(|(name, after)| (name, Value::Null, after));
        self.log::<R>(record.id(), record.root_id(), "insert", changed)
    }

    /// Inserts records of one kind that one rule made together (a care
    /// package's visits for a week), logged as one change-log row of entity
    /// `batch_entity` for `record_id` (the package) on `root_id`'s page (the
    /// client): see [`super::batch`]. Nothing is written for no records.
    pub fn insert_batch<R: Record>(
        &mut self,
        batch_entity: &'static str,
        record_id: Uuid,
        root_id: Uuid,
        records: &[R],
    ) -> Result<()> {
        if records.is_empty() {
            return Ok(());
        }
        let mut made = Vec::with_capacity(records.len());
        for record in records {
            let fields = record.fields();
            self.insert_row::<R>(record.id(), &fields)?;
            let fields = fields
                .into_iter()
                .map(|(name, value)| match R::SECRET.contains(&name) {
                    true => (name, hidden(value)),
                    false => (name, value),
                })
                .collect();
            made.push((record.id(), fields));
        }
        let changes = super::batch::batch_json(R::ENTITY, &made);
        self.append(batch_entity, record_id, root_id, "insert", changes)
    }

    fn insert_row<R: Record>(&mut self, id: Uuid, fields: &[(&'static str, Value)]) -> Result<()> {
        let sql = self.inserts.entry(R::ENTITY).or_insert_with(|| {
            let columns: Vec<&str> = fields.iter().map(|(name, _)| *name).collect();
            let placeholders = vec!["?"; fields.len()].join(", ");
            format!("INSERT INTO {} (id, {}) VALUES (?, {placeholders})", R::ENTITY, columns.join(", "))
        });
        let id = Value::Text(id.to_string());
        let values = std::iter::once(&id).chain(fields.iter().map(|(_, v)| v));
        self.tx.prepare_cached(sql)?.execute(params_from_iter(values))?;
        Ok(())
    }

    /// Saves `after` over `before`, as it was read: an update where there
    /// was a row, an insert where not (a one-row setting saved for the
    /// first time).
    pub fn save<R: Record>(&mut self, before: Option<&R>, after: &R) -> Result<()> {
        match before {
            Some(before) => self.update(before, after).map(|_| ()),
            None => self.insert(after),
        }
    }

    /// Saves `after` over `before` (the stored version); only the fields that
    /// differ are written and logged. Returns whether anything changed.
    pub fn update<R: Record>(&mut self, before: &R, after: &R) -> Result<bool> {
        if before.id() != after.id() {
            return Err(Error::Conflict("an update must keep the record's id".into()));
        }
        let changed: Vec<(&'static str, Value, Value)> = before
            .fields()
            .into_iter()
            .zip(after.fields())
            .filter(|((_, old), (_, new))| old != new)
            .map(|((name, old), (_, new))| (name, old, new))
            .collect();
        if changed.is_empty() {
            return Ok(false);
        }
        let sets: Vec<String> =
            changed.iter().enumerate().map(|(i, (name, _, _))| format!("{name} = ?{}", i + 2)).collect();
        let sql = format!("UPDATE {} SET {} WHERE id = ?1 AND deleted_at IS NULL", R::ENTITY, sets.join(", "));
        let values =
            std::iter::once(Value::Text(after.id().to_string())).chain(changed.iter().map(|(_, _, new)| new.clone()));
        let rows = self.tx.prepare_cached(&sql)?.execute(params_from_iter(values))?;
        if rows != 1 {
            return Err(Error::not_found(R::ENTITY, after.id()));
        }
        self.log::<R>(after.id(), after.root_id(), "update", changed.into_iter())?;
        Ok(true)
    }

    /// Deletes by tombstone, so the deletion itself is a change that syncs.
    /// The log keeps the last values, so history shows what was removed.
    pub fn tombstone<R: Record>(&mut self, record: &R) -> Result<()> {
        let sql = format!("UPDATE {} SET deleted_at = ?2 WHERE id = ?1 AND deleted_at IS NULL", R::ENTITY);
        let rows = self.tx.prepare_cached(&sql)?.execute(params![record.id().to_string(), self.stamp])?;
        if rows != 1 {
            return Err(Error::not_found(R::ENTITY, record.id()));
        }
        let removed = record.fields().into_iter().map(|(name, before)| (name, before, Value::Null));
        self.log::<R>(record.id(), record.root_id(), "delete", removed)
    }

    /// Brings a list of child rows (a carer's skills, a client's key people)
    /// from `before` to `after`, matching rows by id: new ids are inserted,
    /// changed ones updated, missing ones tombstoned.
    pub fn replace_children<R: Record>(&mut self, before: &[R], after: &[R]) -> Result<()> {
        for old in before {
            if !after.iter().any(|new| new.id() == old.id()) {
                self.tombstone(old)?;
            }
        }
        for new in after {
            match before.iter().find(|old| old.id() == new.id()) {
                Some(old) => {
                    self.update(old, new)?;
                }
                None => self.insert(new)?,
            }
        }
        Ok(())
    }

    fn log<R: Record>(
        &mut self,
        record_id: Uuid,
        root_id: Uuid,
        op: &str,
        changed: impl Iterator<Item = (&'static str, Value, Value)>,
    ) -> Result<()> {
        let changed = changed.map(|(name, before, after)| match R::SECRET.contains(&name) {
            true => (name, hidden(before), hidden(after)),
            false => (name, before, after),
        });
        let changes = changes_json(op, changed);
        self.append(R::ENTITY, record_id, root_id, op, changes)
    }

    /// Appends one change-log row for this change.
    fn append(&mut self, entity: &str, record_id: Uuid, root_id: Uuid, op: &str, changes: String) -> Result<()> {
        let hlc = self.hlc.encode(self.device);
        self.hlc.counter += 1;
        self.tx
            .prepare_cached(
                "INSERT INTO change_log (id, hlc, entity, record_id, root_id, op, changes, actor, device_id, at_utc)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            )?
            .execute(params![
                crate::ids::new_id().to_string(),
                hlc,
                entity,
                record_id.to_string(),
                root_id.to_string(),
                op,
                changes,
                self.actor,
                self.device,
                self.stamp,
            ])?;
        Ok(())
    }
}

/// What the log holds for a secret column's value: that there was one.
fn hidden(value: Value) -> Value {
    match value {
        Value::Null => Value::Null,
        _ => Value::Text("(not recorded)".into()),
    }
}

/// The changed fields as JSON, written straight into text (this runs for
/// every row of a large roll-forward). An update holds both sides:
/// `{"field": {"before": x, "after": y}, …}`. An insert has only an after and
/// a delete only a before, so those hold the value alone, `{"field": x, …}`,
/// and the row's `op` says which side it is: a month rolled forward writes a
/// third less log. Logs written before that hold `{"after": x}` there too;
/// [`side_of`] reads both.
fn changes_json(op: &str, changed: impl Iterator<Item = (&'static str, Value, Value)>) -> String {
    let mut out = Vec::with_capacity(512);
    out.push(b'{');
    for (i, (name, before, after)) in changed.enumerate() {
        if i > 0 {
            out.push(b',');
        }
        push_json_text(&mut out, name);
        out.push(b':');
        match op {
            "insert" => push_value(&mut out, &after),
            "delete" => push_value(&mut out, &before),
            _ => {
                out.extend_from_slice(b"{\"before\":");
                push_value(&mut out, &before);
                out.extend_from_slice(b",\"after\":");
                push_value(&mut out, &after);
                out.push(b'}');
            }
        }
    }
    out.push(b'}');
    // Only whole UTF-8 texts and ASCII went in.
    String::from_utf8(out).unwrap_or_else(|_| "{}".into())
}

/// One side (`"before"` or `"after"`) of a field's change as logged for a
/// change of kind `op`; null when that side has no value (an insert's
/// before). Every reader of the change log goes through this.
pub fn side_of<'v>(op: &str, change: &'v serde_json::Value, side: &str) -> Option<&'v serde_json::Value> {
    match change {
        // An update, or an insert or delete logged in the older form. A
        // field's value is never an object: SQL values are scalars.
        serde_json::Value::Object(sides) => sides.get(side),
        value if (op == "insert" && side == "after") || (op == "delete" && side == "before") => Some(value),
        _ => None,
    }
}

pub(super) fn push_value(out: &mut Vec<u8>, value: &Value) {
    match value {
        Value::Null => out.extend_from_slice(b"null"),
        Value::Integer(i) => out.extend_from_slice(i.to_string().as_bytes()),
        // JSON has no NaN or infinity; the schema's CHECKs never store them anyway.
        Value::Real(f) if f.is_finite() => match serde_json::Number::from_f64(*f) {
            Some(n) => out.extend_from_slice(n.to_string().as_bytes()),
            None => out.extend_from_slice(b"null"),
        },
        Value::Real(_) => out.extend_from_slice(b"null"),
        Value::Text(t) => push_json_text(out, t),
        Value::Blob(b) => push_json_text(out, &format!("<{} bytes>", b.len())),
    }
}

pub(super) fn push_json_text(out: &mut Vec<u8>, text: &str) {
    // serde_json's escaping is exact; writing a string into a Vec cannot fail.
    if serde_json::to_writer(&mut *out, text).is_err() {
        out.extend_from_slice(b"\"\"");
    }
}

/// Keeps the travel and the rests of each carer's week the triggers noted
/// as changed (migrations 21 and 22), and clears the notes. Derived data,
/// like an index: not logged, since the logged changes it comes from say it
/// all.
pub(super) fn keep_week_counts(conn: &Connection) -> Result<()> {
    let counts = crate::rota::week_travel::recounted(conn)?;
    if counts.is_empty() {
        return Ok(());
    }
    let mut keep_travel = conn.prepare_cached(
        "INSERT INTO carer_week_travel (carer_id, week, minutes) VALUES (?1, ?2, ?3)
         ON CONFLICT (carer_id, week) DO UPDATE SET minutes = excluded.minutes",
    )?;
    let mut drop_travel = conn.prepare_cached("DELETE FROM carer_week_travel WHERE carer_id = ?1 AND week = ?2")?;
    let mut keep_rests = conn.prepare_cached(
        "INSERT INTO carer_week_rests (carer_id, week, first_start, last_end, long_rests, longest_min)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (carer_id, week) DO UPDATE SET first_start = excluded.first_start,
           last_end = excluded.last_end, long_rests = excluded.long_rests, longest_min = excluded.longest_min",
    )?;
    let mut drop_rests = conn.prepare_cached("DELETE FROM carer_week_rests WHERE carer_id = ?1 AND week = ?2")?;
    let instant = |seconds: i64| {
        DateTime::from_timestamp(seconds, 0)
            .map(super::instant_text)
            .ok_or_else(|| Error::Conflict(format!("a visit's time is out of range: {seconds} s")))
    };
    for count in counts {
        let (carer, week) = (count.carer.to_string(), count.week.to_string());
        match count.travel_min {
            0 => drop_travel.execute((&carer, &week))?,
            minutes => keep_travel.execute((&carer, &week, minutes))?,
        };
        match count.rests {
            None => drop_rests.execute((&carer, &week))?,
            Some(r) => keep_rests.execute((
                &carer,
                &week,
                instant(r.first_start)?,
                instant(r.last_end)?,
                r.long_rests,
                r.longest / 60,
            ))?,
        };
    }
    conn.execute("DELETE FROM carer_weeks_to_recount", [])?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn logged(op: &str) -> serde_json::Value {
        let changed = [
            ("name", Value::Text("Ann \"Nan\" Jones".into()), Value::Text("Ann Jones".into())),
            ("minutes", Value::Integer(30), Value::Integer(45)),
            ("ends_on", Value::Null, Value::Text("2026-12-31".into())),
        ];
        serde_json::from_str(&changes_json(op, changed.into_iter())).expect("the log holds valid JSON")
    }

    #[test]
    fn an_update_logs_both_sides_of_each_field() {
        let changes = logged("update");
        assert_eq!(changes["name"], json!({"before": "Ann \"Nan\" Jones", "after": "Ann Jones"}));
        assert_eq!(side_of("update", &changes["minutes"], "before"), Some(&json!(30)));
        assert_eq!(side_of("update", &changes["minutes"], "after"), Some(&json!(45)));
        assert_eq!(side_of("update", &changes["ends_on"], "before"), Some(&json!(null)));
    }

    #[test]
    fn an_insert_logs_only_the_new_values_and_a_delete_only_the_old() {
        let inserted = logged("insert");
        assert_eq!(inserted, json!({"name": "Ann Jones", "minutes": 45, "ends_on": "2026-12-31"}));
        assert_eq!(side_of("insert", &inserted["minutes"], "after"), Some(&json!(45)));
        assert_eq!(side_of("insert", &inserted["minutes"], "before"), None, "an insert has no before");
        let deleted = logged("delete");
        assert_eq!(deleted, json!({"name": "Ann \"Nan\" Jones", "minutes": 30, "ends_on": null}));
        assert_eq!(side_of("delete", &deleted["name"], "before"), Some(&json!("Ann \"Nan\" Jones")));
        assert_eq!(side_of("delete", &deleted["name"], "after"), None, "a delete has no after");
    }

    #[test]
    fn inserts_logged_in_the_older_form_still_read() {
        let older = json!({"minutes": {"after": 45}});
        assert_eq!(side_of("insert", &older["minutes"], "after"), Some(&json!(45)));
        assert_eq!(side_of("insert", &older["minutes"], "before"), None);
    }
}
