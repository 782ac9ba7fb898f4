//! Getting data out: every store as CSV files (a full export), and a
//! subject-access export, everything held about one client or one carer as
//! a readable document plus the data files. Registered manager only.
//! Password hashes never leave the database.

pub mod csv;
mod subject;

pub use subject::{subject_access, Subject};

use crate::access::Operation;
use crate::error::Result;
use crate::store::Store;
use chrono::{DateTime, Utc};
use rusqlite::types::Value;
use rusqlite::Connection;
use serde::Serialize;
use std::path::{Path, PathBuf};
use ts_rs::TS;

/// Tables that are not stores of their own: local bookkeeping and tables
/// derived from others.
const NOT_EXPORTED: &[&str] = &[
    "meta",
    "carer_week_minutes",
    "allocations_by_date",
    "carer_week_travel",
    "carer_week_rests",
    "carer_weeks_to_recount",
];

/// Columns that never leave the database.
const WITHHELD: &[(&str, &str)] = &[("users", "password_hash")];

/// What an export wrote: the folder and each file with its rows.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ExportSummary {
    pub folder: String,
    pub files: Vec<ExportedFile>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ExportedFile {
    pub name: String,
    pub rows: u32,
}

/// A value as it goes into a CSV cell or the document.
pub(crate) fn text(value: Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::Integer(n) => n.to_string(),
        Value::Real(x) => x.to_string(),
        Value::Text(t) => t,
        Value::Blob(b) => format!("({} bytes)", b.len()),
    }
}

/// The stored tables, in a stable order.
pub(crate) fn tables(conn: &Connection) -> Result<Vec<String>> {
    let mut stmt =
        conn.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")?;
    let names = stmt.query_map([], |r| r.get::<_, String>(0))?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(names.into_iter().filter(|n| !NOT_EXPORTED.contains(&n.as_str())).collect())
}

/// A table's header and rows for `sql` (which selects `*` from it), with
/// withheld columns blanked.
pub(crate) fn rows(
    conn: &Connection,
    table: &str,
    sql: &str,
    params: &[&dyn rusqlite::ToSql],
) -> Result<(Vec<String>, Vec<Vec<String>>)> {
    let mut stmt = conn.prepare(sql)?;
    let header: Vec<String> = stmt.column_names().into_iter().map(String::from).collect();
    let withheld: Vec<bool> = header.iter().map(|c| WITHHELD.contains(&(table, c.as_str()))).collect();
    let width = header.len();
    let rows = stmt
        .query_map(params, |r| {
            (0..width)
                .map(|i| Ok(if withheld[i] { "(not exported)".to_string() } else { text(r.get::<_, Value>(i)?) }))
                .collect::<rusqlite::Result<Vec<String>>>()
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok((header, rows))
}

pub(crate) fn write_csv(path: &Path, header: &[String], rows: &[Vec<String>]) -> Result<()> {
    let mut out = csv::row(header);
    for row in rows {
        out.push_str(&csv::row(row));
    }
    std::fs::write(path, out)?;
    Ok(())
}

/// A new folder under `parent` named for what it holds and when.
pub(crate) fn new_folder(parent: &Path, what: &str, now: DateTime<Utc>) -> Result<PathBuf> {
    let folder = parent.join(format!("caredesk-{what}-{}", now.format("%Y%m%dT%H%M%SZ")));
    std::fs::create_dir_all(&folder)?;
    Ok(folder)
}

/// Every store, one CSV file per table (deleted rows too: they are part of
/// the record), into a new folder under `parent`.
pub fn export_all(store: &mut Store, parent: &Path) -> Result<ExportSummary> {
    store.permit(Operation::ExportData)?;
    let folder = new_folder(parent, "export", store.now())?;
    let conn = store.read();
    let mut files = Vec::new();
    for table in tables(conn)? {
        let (header, rows) = rows(conn, &table, &format!("SELECT * FROM {table}"), &[])?;
        let name = format!("{table}.csv");
        write_csv(&folder.join(&name), &header, &rows)?;
        files.push(ExportedFile { name, rows: rows.len() as u32 });
    }
    Ok(ExportSummary { folder: folder.display().to_string(), files })
}
