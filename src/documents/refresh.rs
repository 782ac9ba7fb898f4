//! Keeping a recent emergency pack on disk: every evening after 18:00
//! (London) the app writes the next 36 hours as a PDF into a folder, so a
//! paper copy can be printed even when Caredesk cannot be opened. The last
//! seven are kept. The folder is the agency's choice (a shared drive, a USB
//! stick kept by the printer); by default `emergency-packs` beside the data.

use super::service::emergency_pack_from;
use super::write_pdf;
use crate::access::Operation;
use crate::error::{Error, FieldError, Result};
use crate::store::Record;
use crate::Store;
use chrono::{DateTime, NaiveTime, Utc};
use chrono_tz::Europe::London;
use rusqlite::{Connection, OptionalExtension};
use serde::Serialize;
use std::path::{Path, PathBuf};
use ts_rs::TS;
use uuid::Uuid;

/// The one row of `document_settings`.
const SETTINGS_ID: Uuid = Uuid::from_u128(0xd0c5_0000_0000_4000_8000_0000_0000_0001);

struct DocumentSettings {
    emergency_pack_folder: String,
}

impl Record for DocumentSettings {
    const ENTITY: &'static str = "document_settings";
    fn id(&self) -> Uuid {
        SETTINGS_ID
    }
    fn fields(&self) -> Vec<(&'static str, rusqlite::types::Value)> {
        crate::record_fields!(self; emergency_pack_folder)
    }
}

/// The folder chosen, or `None` for the default.
fn chosen_folder(conn: &Connection) -> Result<Option<String>> {
    Ok(conn
        .query_row(
            "SELECT emergency_pack_folder FROM document_settings WHERE id = ?1 AND deleted_at IS NULL",
            [SETTINGS_ID.to_string()],
            |r| r.get::<_, String>(0),
        )
        .optional()?)
}

/// Where the packs go: the chosen folder, or `default` when none is chosen.
pub fn pack_folder(conn: &Connection, default: &Path) -> Result<PathBuf> {
    Ok(match chosen_folder(conn)? {
        Some(folder) if !folder.trim().is_empty() => PathBuf::from(folder),
        _ => default.to_owned(),
    })
}

/// Chooses the folder (empty: back to the default). It must be a folder
/// that exists and can be written to now, so the evening's pack lands.
pub fn save_pack_folder(store: &mut Store, folder: &str) -> Result<()> {
    let folder = folder.trim().to_string();
    if !folder.is_empty() {
        let problem = |message: String| Error::Invalid(vec![FieldError { field: "folder".into(), message }]);
        let path = Path::new(&folder);
        if !path.is_absolute() {
            return Err(problem("Give the whole path of the folder, starting from the drive or /".into()));
        }
        if !path.is_dir() {
            return Err(problem(format!("There is no folder at {folder}")));
        }
        let probe = path.join(".caredesk-write-test");
        std::fs::write(&probe, b"").map_err(|e| problem(format!("Caredesk cannot write in {folder}: {e}")))?;
        let _ = std::fs::remove_file(probe);
    }
    let before = chosen_folder(store.read())?;
    let after = DocumentSettings { emergency_pack_folder: folder };
    store.write(Operation::ChangeSettings, |changes| match before {
        Some(before) => changes.update(&DocumentSettings { emergency_pack_folder: before }, &after).map(|_| ()),
        None => changes.insert(&after),
    })
}

/// Where the packs go and the latest one there, for Settings.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct PackStatus {
    pub folder: String,
    /// Whether that is the default folder beside the data.
    pub default: bool,
    /// The newest pack's file name, if there is one.
    pub latest: Option<String>,
}

pub fn pack_status(conn: &Connection, default: &Path) -> Result<PackStatus> {
    let folder = pack_folder(conn, default)?;
    Ok(PackStatus { default: folder == default, latest: packs_in(&folder).pop(), folder: folder.display().to_string() })
}

/// The evening hour the pack is refreshed from.
pub const REFRESH_HOUR: u32 = 18;
const KEEP: usize = 7;

/// The file name of the pack written on a London date.
pub fn pack_name(at: DateTime<Utc>) -> String {
    format!("caredesk-emergency-pack-{}.pdf", at.with_timezone(&London).format("%Y-%m-%d"))
}

/// Whether tonight's pack is due: it is past 18:00 in London and no pack
/// with today's name is there yet. Pure.
pub fn due(now: DateTime<Utc>, existing: &[String]) -> bool {
    let local = now.with_timezone(&London);
    let evening = NaiveTime::from_hms_opt(REFRESH_HOUR, 0, 0).expect("a valid hour");
    local.time() >= evening && !existing.contains(&pack_name(now))
}

fn packs_in(folder: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(folder)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| n.starts_with("caredesk-emergency-pack-") && n.ends_with(".pdf"))
        .collect();
    names.sort();
    names
}

/// Writes tonight's pack into the chosen folder (or `default`) when it is
/// due, removes all but the last seven, and returns the file written.
pub fn refresh_if_due(store: &Store, default: &Path) -> Result<Option<PathBuf>> {
    let folder = &pack_folder(store.read(), default)?;
    let now = store.now();
    if !due(now, &packs_in(folder)) {
        return Ok(None);
    }
    std::fs::create_dir_all(folder)?;
    let path = folder.join(pack_name(now));
    write_pdf(&emergency_pack_from(store, now)?, &path)?;
    let names = packs_in(folder);
    for old in names.iter().take(names.len().saturating_sub(KEEP)) {
        std::fs::remove_file(folder.join(old))?;
    }
    Ok(Some(path))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn london(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        London.with_ymd_and_hms(y, m, d, h, min, 0).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn tonights_pack_is_due_from_six_in_the_evening_london_time_until_it_is_written() {
        assert!(!due(london(2026, 7, 1, 17, 59), &[]), "not before 18:00");
        assert!(due(london(2026, 7, 1, 18, 0), &[]), "18:00 BST is 17:00 UTC and counts");
        assert!(due(london(2026, 12, 1, 23, 30), &["caredesk-emergency-pack-2026-11-30.pdf".into()]));
        assert!(!due(london(2026, 12, 1, 23, 30), &["caredesk-emergency-pack-2026-12-01.pdf".into()]));
    }
}
