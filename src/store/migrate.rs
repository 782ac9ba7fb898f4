//! The migration runner: numbered `.sql` files from `migrations/`, embedded at
//! build time, applied one transaction each, version kept in `user_version`.

use crate::error::{Error, Result};
use rusqlite::Connection;
use std::path::Path;

pub(crate) struct Migration {
    pub version: i64,
    pub name: &'static str,
    pub sql: &'static str,
}

include!(concat!(env!("OUT_DIR"), "/migrations.rs"));

/// The schema version this build writes.
pub fn latest_version() -> i64 {
    MIGRATIONS.len() as i64
}

/// Brings the database up to date. A database from a newer app is refused
/// untouched; an existing file is copied aside before its first change.
pub(crate) fn migrate(conn: &mut Connection, existing_file: Option<&Path>) -> Result<()> {
    let current = user_version(conn)?;
    let latest = latest_version();
    if current > latest {
        return Err(Error::NewerDatabase { found: current, supported: latest });
    }
    if current == latest {
        return Ok(());
    }
    if let (Some(path), true) = (existing_file, current > 0) {
        copy_before_migrating(conn, path, current)?;
    }
    migrate_to(conn, latest)
}

/// Applies migrations up to `target`; public so tests can build every
/// earlier schema and prove the upgrade from it.
pub fn migrate_to(conn: &mut Connection, target: i64) -> Result<()> {
    let current = user_version(conn)?;
    for migration in MIGRATIONS.iter().filter(|m| m.version > current && m.version <= target) {
        let tx = conn.transaction()?;
        tx.execute_batch(migration.sql).map_err(|e| {
            Error::Conflict(format!("migration {} ({}) failed: {e}", migration.version, migration.name))
        })?;
        // user_version lives in the file header and is part of the transaction.
        tx.pragma_update(None, "user_version", migration.version)?;
        tx.commit()?;
    }
    Ok(())
}

fn user_version(conn: &Connection) -> Result<i64> {
    Ok(conn.pragma_query_value(None, "user_version", |row| row.get(0))?)
}

/// `caredesk.db` → `caredesk.db.schema-1.20261123T184500Z.bak`, a consistent
/// copy made by SQLite itself (safe even with a WAL beside the file). It is
/// written under a `.partial` name and renamed when complete, so a crash
/// mid-copy never leaves a half-written file that looks like a backup.
fn copy_before_migrating(conn: &Connection, path: &Path, version: i64) -> Result<()> {
    let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%SZ");
    let file_name = path.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
    let copy = path.with_file_name(format!("{file_name}.schema-{version}.{stamp}.bak"));
    let partial = path.with_file_name(format!("{file_name}.schema-{version}.{stamp}.partial"));
    let _ = std::fs::remove_file(&partial); // left by an earlier crash
    conn.execute("VACUUM INTO ?1", [partial.to_string_lossy()])?;
    std::fs::rename(&partial, &copy)?;
    Ok(())
}
