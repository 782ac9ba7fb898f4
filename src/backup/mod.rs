//! Backups of the database file: made while the app is in use (through a
//! connection of their own, so nobody waits), checked before they count,
//! rotated by [`policy`], previewed, and restored with a safety copy of the
//! current data made first.
//!
//! A copy is written under a `.partial` name, opened and integrity-checked,
//! and only then renamed to its final name: a file named like a backup is
//! always a whole, checked one, even if the app is killed mid-copy. Copies
//! of an encrypted database are encrypted with the same key, and the key
//! file (nothing in it readable without a password or the recovery key) is
//! copied beside them.

pub mod policy;

use crate::access::keys::{KeyFile, SecretKey};
use crate::access::Operation;
use crate::error::{Error, Result};
use crate::store::{open_keyed, rekey, row_opt_instant, Record, Store};
use chrono::{DateTime, Utc};
use policy::{BackupKind, BackupName};
use rusqlite::{Connection, OpenFlags, OptionalExtension};
use serde::Serialize;
use std::path::{Path, PathBuf};
use ts_rs::TS;
use uuid::Uuid;

/// A backup as the Settings page lists it.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct BackupRow {
    pub name: String,
    pub taken_at: DateTime<Utc>,
    pub kind: BackupKind,
    /// A file size: a JSON number, well inside what JavaScript counts exactly.
    #[ts(type = "number")]
    pub bytes: u64,
}

/// What a backup holds, shown before anyone restores it.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct BackupPreview {
    pub backup: BackupRow,
    pub schema_version: u32,
    pub carers: u32,
    pub clients: u32,
    pub visits: u32,
    pub users: u32,
    /// The last change in the backup, and who made it.
    pub last_change_at: Option<DateTime<Utc>>,
    pub last_change_by: Option<String>,
}

/// The Settings page's view of backups: where they go, every one, and
/// whether the last is older than it should be.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct BackupsOverview {
    pub folder: String,
    pub backups: Vec<BackupRow>,
    /// No regular backup in the last two hours (one is made every hour).
    pub overdue: bool,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct RestoreOutcome {
    pub restored: String,
    /// The data as it was just before, kept in case the restore was a mistake.
    pub safety_copy: String,
}

/// A restore, recorded in the restored data through the write path.
struct Restoration {
    id: Uuid,
    backup_name: String,
    backup_taken_at: DateTime<Utc>,
    safety_copy: String,
}

impl Record for Restoration {
    const ENTITY: &'static str = "restorations";
    fn id(&self) -> Uuid {
        self.id
    }
    fn fields(&self) -> Vec<(&'static str, rusqlite::types::Value)> {
        crate::record_fields!(self; backup_name, backup_taken_at, safety_copy)
    }
}

/// What a backup is made from: the file and, when it is encrypted, its key.
/// Taken from a signed-in store, so hourly backups stop while the app is
/// locked (the key is not in memory then).
#[derive(Debug, Clone)]
pub struct Source {
    db_path: PathBuf,
    keys: Vec<SecretKey>,
}

impl Source {
    pub fn of(store: &Store) -> Option<Source> {
        let keys = store.keys().map(|k| k.database_keys.clone()).unwrap_or_default();
        Some(Source { db_path: store.path()?.to_owned(), keys })
    }

    /// An unencrypted file (tests, tools).
    pub fn plain(db_path: &Path) -> Source {
        Source { db_path: db_path.to_owned(), keys: Vec::new() }
    }

    pub fn db_path(&self) -> &Path {
        &self.db_path
    }
}

/// Opens `path` read-only with the first of `keys` that fits (none: plain).
fn open_read_only(path: &Path, keys: &[SecretKey]) -> Result<Connection> {
    Ok(open_keyed(path, keys, OpenFlags::SQLITE_OPEN_READ_ONLY)?.0)
}

/// The folder backups of the database at `db_path` go to: `backups/` beside it.
pub fn folder(db_path: &Path) -> PathBuf {
    db_path.parent().unwrap_or(Path::new(".")).join("backups")
}

fn row_for(folder: &Path, name: &BackupName) -> Result<BackupRow> {
    let file_name = name.file_name();
    let bytes = std::fs::metadata(folder.join(&file_name))?.len();
    Ok(BackupRow { name: file_name, taken_at: name.taken_at, kind: name.kind, bytes })
}

fn names_in(folder: &Path) -> Result<Vec<BackupName>> {
    if !folder.exists() {
        return Ok(Vec::new());
    }
    let mut names = Vec::new();
    for entry in std::fs::read_dir(folder)? {
        if let Some(name) = BackupName::parse(&entry?.file_name().to_string_lossy()) {
            names.push(name);
        }
    }
    Ok(names)
}

/// Every backup of the database at `db_path`, newest first.
pub fn list(db_path: &Path) -> Result<Vec<BackupRow>> {
    let folder = folder(db_path);
    let mut names = names_in(&folder)?;
    names.sort_by_key(|n| std::cmp::Reverse(n.taken_at));
    names.iter().map(|n| row_for(&folder, n)).collect()
}

pub fn overview(db_path: &Path, now: DateTime<Utc>) -> Result<BackupsOverview> {
    let backups = list(db_path)?;
    let last = backups.iter().find(|b| b.kind == BackupKind::Regular).map(|b| b.taken_at);
    Ok(BackupsOverview {
        folder: folder(db_path).display().to_string(),
        overdue: last.is_none_or(|at| now - at > policy::EVERY * 2),
        backups,
    })
}

/// Opens a backup read-only and checks it whole: SQLite's integrity check
/// and foreign-key check. The reason when it fails.
fn check(path: &Path, keys: &[SecretKey]) -> Result<Connection> {
    let conn = open_read_only(path, keys)?;
    let integrity: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
    let broken_links: Option<String> =
        conn.query_row("SELECT \"table\" FROM pragma_foreign_key_check LIMIT 1", [], |r| r.get(0)).optional()?;
    match (integrity.as_str(), broken_links) {
        ("ok", None) => Ok(conn),
        ("ok", Some(table)) => Err(Error::Conflict(format!("the backup has broken references in {table}"))),
        (problem, _) => Err(Error::Conflict(format!("the backup failed SQLite's integrity check: {problem}"))),
    }
}

/// Copies the database `source` reads into `folder` as `name`: written as
/// `.partial`, checked, then renamed. Only a read transaction is held, so
/// writers carry on (WAL).
fn copy_checked(source: &Connection, keys: &[SecretKey], folder: &Path, name: &BackupName) -> Result<BackupRow> {
    std::fs::create_dir_all(folder)?;
    let partial = folder.join(format!("{}.partial", name.file_name()));
    let _ = std::fs::remove_file(&partial);
    // SQLCipher writes the copy encrypted with the source's key.
    source.execute("VACUUM INTO ?1", [partial.to_string_lossy()])?;
    if let Err(problem) = check(&partial, &keys[..keys.len().min(1)]) {
        let _ = std::fs::remove_file(&partial);
        return Err(problem);
    }
    std::fs::rename(&partial, folder.join(name.file_name()))?;
    row_for(folder, name)
}

/// Makes a regular backup now, through a read-only connection of its own,
/// and keeps a copy of the key file with the backups.
pub fn back_up(source: &Source, now: DateTime<Utc>) -> Result<BackupRow> {
    let keys = &source.keys[..source.keys.len().min(1)];
    let conn = open_read_only(&source.db_path, keys)?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    let folder = folder(&source.db_path);
    let made = copy_checked(&conn, keys, &folder, &BackupName { taken_at: now, kind: BackupKind::Regular })?;
    let key_file = KeyFile::path_for(&source.db_path);
    if key_file.exists() {
        let copy = folder.join(key_file.file_name().unwrap_or_default());
        let partial = copy.with_extension("keys.partial");
        std::fs::copy(&key_file, &partial)?;
        std::fs::rename(partial, copy)?;
    }
    Ok(made)
}

/// What the app runs on a timer: removes copies a crash left half-made,
/// makes a backup if one is due, and deletes those the policy no longer keeps.
pub fn run_due(source: &Source, now: DateTime<Utc>) -> Result<Option<BackupRow>> {
    let folder = folder(&source.db_path);
    if folder.exists() {
        for entry in std::fs::read_dir(&folder)? {
            let path = entry?.path();
            if path.extension().is_some_and(|e| e == "partial") {
                std::fs::remove_file(path)?;
            }
        }
    }
    let existing = names_in(&folder)?;
    let made = if policy::due(&existing, now) { Some(back_up(source, now)?) } else { None };
    for old in policy::to_delete(&names_in(&folder)?, now) {
        std::fs::remove_file(folder.join(old.file_name()))?;
    }
    Ok(made)
}

fn named(db_path: &Path, name: &str) -> Result<(PathBuf, BackupName)> {
    let parsed = BackupName::parse(name).ok_or_else(|| Error::not_found("Backup", name))?;
    let path = folder(db_path).join(parsed.file_name());
    if !path.exists() {
        return Err(Error::not_found("Backup", name));
    }
    Ok((path, parsed))
}

fn count(conn: &Connection, table: &str) -> Result<u32> {
    Ok(conn.query_row(&format!("SELECT count(*) FROM {table} WHERE deleted_at IS NULL"), [], |r| r.get(0))?)
}

/// What the backup `name` holds, after checking it is whole.
pub fn preview(source: &Source, name: &str) -> Result<BackupPreview> {
    let db_path = &source.db_path;
    let (path, parsed) = named(db_path, name)?;
    let conn = check(&path, &source.keys)?;
    let schema_version: u32 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if i64::from(schema_version) > crate::store::latest_version() {
        return Err(Error::NewerDatabase { found: schema_version.into(), supported: crate::store::latest_version() });
    }
    let users = if schema_version >= 9 { count(&conn, "users")? } else { 0 };
    let last: Option<(Option<DateTime<Utc>>, String)> = conn
        .query_row("SELECT at_utc, actor FROM change_log ORDER BY at_utc DESC LIMIT 1", [], |r| {
            Ok((row_opt_instant(r, 0)?, r.get(1)?))
        })
        .optional()?;
    Ok(BackupPreview {
        backup: row_for(&folder(db_path), &parsed)?,
        schema_version,
        carers: count(&conn, "carers")?,
        clients: count(&conn, "clients")?,
        visits: count(&conn, "visits")?,
        users,
        last_change_at: last.as_ref().and_then(|l| l.0),
        last_change_by: last.map(|l| l.1),
    })
}

/// Replaces the open database with the backup `name` (registered manager
/// only): the backup is checked, the current data is copied aside first, the
/// restored file is brought to this schema, and the restore is recorded.
pub fn restore(store: &mut Store, name: &str) -> Result<RestoreOutcome> {
    store.permit(Operation::RestoreBackup)?;
    let source = Source::of(store).ok_or_else(|| Error::Conflict("A database in memory has no backups".into()))?;
    let preview = preview(&source, name)?;
    let folder = folder(&source.db_path);
    let safety_name = BackupName { taken_at: store.now(), kind: BackupKind::SafetyCopy };
    let current = &source.keys[..source.keys.len().min(1)];
    let safety = copy_checked(store.read(), current, &folder, &safety_name)?;
    let restoring = folder.join(&preview.backup.name);
    let backup = match open_keyed(&restoring, &source.keys, OpenFlags::SQLITE_OPEN_READ_ONLY)? {
        (current_key, 0) => current_key,
        (_, _older) => {
            // Made before a key rotation: a copy re-encrypted with today's key.
            let copy = folder.join(format!("{}.rekeying", preview.backup.name));
            std::fs::copy(&restoring, &copy)?;
            rekey(&open_keyed(&copy, &source.keys, OpenFlags::default())?.0, &current[0])?;
            let reopened = open_read_only(&copy, current)?;
            let _ = std::fs::remove_file(&copy);
            reopened
        }
    };
    store.replace_with(&backup)?;
    let restoration = Restoration {
        id: crate::ids::new_id(),
        backup_name: preview.backup.name.clone(),
        backup_taken_at: preview.backup.taken_at,
        safety_copy: safety.name.clone(),
    };
    store.write(Operation::RestoreBackup, |changes| changes.insert(&restoration))?;
    Ok(RestoreOutcome { restored: preview.backup.name, safety_copy: safety.name })
}
