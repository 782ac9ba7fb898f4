//! What the desktop app needs from the core at start-up: where its database
//! lives, who is using it, and a demo agency on the very first start.

use crate::demo::{self, Size};
use crate::error::Result;
use crate::store::Store;
use serde::Serialize;
use std::path::{Path, PathBuf};
use ts_rs::TS;

pub const DATABASE_FILE: &str = "caredesk.db";

/// The seed of the demo agency a first start creates.
pub const FIRST_START_SEED: u64 = 7;

/// The folder the app keeps its data in: `CAREDESK_DATA_DIR` when set (tests
/// and several test agencies side by side), otherwise the system's own.
pub fn data_dir(system_default: PathBuf) -> PathBuf {
    std::env::var_os("CAREDESK_DATA_DIR").map(PathBuf::from).unwrap_or(system_default)
}

/// Who the demo agency made on a first start is attributed to.
pub const FIRST_START_ACTOR: &str = "Caredesk first start (demo agency)";

/// Opens the app's database in `dir`, locked until someone signs in. On the
/// first start it is created and filled with the small demo agency, so there
/// is something real to look at once the first user is made.
pub fn open_app_database(dir: &Path) -> Result<Store> {
    let path = dir.join(DATABASE_FILE);
    let first_start = !path.exists();
    let mut store = Store::open(&path, FIRST_START_ACTOR)?;
    if first_start {
        let agency = demo::generate(Size::Small, FIRST_START_SEED, store.today());
        demo::load(&mut store, &agency)?;
    }
    store.lock();
    Ok(store)
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct AppInfo {
    pub data_file: String,
    pub actor: String,
    pub device_id: String,
    pub schema_version: u32,
    pub today: chrono::NaiveDate,
}

pub fn app_info(store: &Store) -> AppInfo {
    AppInfo {
        data_file: store.path().map(|p| p.display().to_string()).unwrap_or_else(|| "(in memory)".into()),
        actor: store.actor().to_string(),
        device_id: store.device_id().to_string(),
        schema_version: crate::store::latest_version() as u32,
        today: store.today(),
    }
}
