//! Tauri commands for backups: the list, "back up now" (copied outside the
//! store's lock so other commands carry on), a preview, and a restore. The
//! hourly backups run on a thread of their own, started in `main`.

use crate::state::Db;
use caredesk::backup::{self, BackupPreview, BackupRow, BackupsOverview, RestoreOutcome, Source};
use caredesk::ErrorPayload;
use tauri::State;

type Reply<T> = Result<T, ErrorPayload>;

fn source(store: &caredesk::Store) -> caredesk::Result<Source> {
    Source::of(store).ok_or_else(|| caredesk::Error::Conflict("This database has no file".into()))
}

#[tauri::command]
pub async fn backups(db: State<'_, Db>) -> Reply<BackupsOverview> {
    db.run(|s| backup::overview(source(s)?.db_path(), s.now())).await
}

#[tauri::command]
pub async fn back_up_now(db: State<'_, Db>) -> Reply<BackupRow> {
    let (from, now) = db.run(|s| Ok((source(s)?, s.now()))).await?;
    tauri::async_runtime::spawn_blocking(move || backup::back_up(&from, now).map_err(|e| e.payload()))
        .await
        .map_err(crate::state::internal)?
}

#[tauri::command]
pub async fn backup_preview(db: State<'_, Db>, name: String) -> Reply<BackupPreview> {
    db.run(move |s| backup::preview(&source(s)?, &name)).await
}

#[tauri::command]
pub async fn restore_backup(db: State<'_, Db>, name: String) -> Reply<RestoreOutcome> {
    db.run(move |s| backup::restore(s, &name)).await
}

/// Every few minutes while someone is signed in (the key is needed): a
/// backup if one is due, half-made copies cleared, old ones thinned out. A
/// failure is reported on the console without details (they could hold
/// personal data) and shows as "overdue" in Settings.
pub fn start_hourly_backups(db: Db) {
    std::thread::spawn(move || loop {
        std::thread::sleep(std::time::Duration::from_secs(30));
        if let Some(from) = db.backup_source() {
            if let Err(e) = backup::run_due(&from, db.quietly(|agency| agency.now())) {
                eprintln!("Caredesk: the hourly backup failed ({})", e.code());
            }
        }
        std::thread::sleep(std::time::Duration::from_secs(4 * 60 + 30));
    });
}
