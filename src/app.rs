//! What the desktop app needs from the core: where its database lives, the
//! agency opened by signing in and closed by locking, and a demo agency on
//! the very first start.

use crate::access::{vault, Session, SignInState, UserInput};
use crate::backup;
use crate::clock::{Clock, SystemClock};
use crate::demo::{self, Size};
use crate::error::{Error, Result};
use crate::store::Store;
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use ts_rs::TS;

pub const DATABASE_FILE: &str = "caredesk.db";

/// Who signed in last on this computer, beside the database, so that after a
/// restart signing in asks only for the password. The locked database cannot
/// be read before sign-in, and the name is no secret there: the key file
/// beside it already names each user in clear.
const LAST_USER_FILE: &str = "caredesk.last-user";

/// The seed of the demo agency a first start creates.
pub const FIRST_START_SEED: u64 = 7;

/// The folder the app keeps its data in: `CAREDESK_DATA_DIR` when set (tests
/// and several test agencies side by side), otherwise the system's own.
pub fn data_dir(system_default: PathBuf) -> PathBuf {
    std::env::var_os("CAREDESK_DATA_DIR").map(PathBuf::from).unwrap_or(system_default)
}

/// Who the demo agency made on a first start is attributed to.
pub const FIRST_START_ACTOR: &str = "Caredesk first start (demo agency)";

/// The agency as the desktop app holds it: the encrypted file, and the open
/// store (with its keys) only while someone is signed in. Locking drops the
/// store, which closes the connection and wipes the keys from memory.
pub struct AppAgency {
    db_path: PathBuf,
    store: Option<Store>,
    last_user: Option<String>,
    clock: Arc<dyn Clock>,
}

/// What the first start hands back: who is signed in, and the agency's
/// recovery key, shown this once.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct FirstStart {
    pub session: Session,
    pub recovery_key: String,
}

impl AppAgency {
    /// The agency in `dir`; nothing is opened until someone signs in.
    pub fn new(dir: &Path) -> Self {
        let last_user = std::fs::read_to_string(dir.join(LAST_USER_FILE))
            .ok()
            .map(|name| name.trim().to_string())
            .filter(|name| !name.is_empty());
        Self { db_path: dir.join(DATABASE_FILE), store: None, last_user, clock: Arc::new(SystemClock) }
    }

    pub fn with_clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// The signed-in store, counting this as activity; refused (and the
    /// store dropped) when nobody is signed in or the idle time has passed.
    pub fn store(&mut self) -> Result<&mut Store> {
        let alive = self.store.as_mut().ok_or(Error::SignInNeeded)?.keep_alive();
        if alive.is_err() {
            self.lock();
        }
        alive?;
        self.store.as_mut().ok_or(Error::SignInNeeded)
    }

    /// The signed-in store for a screen that refreshes itself (the live
    /// board): not activity, so a board left open still locks when idle.
    pub fn store_unattended(&mut self) -> Result<&Store> {
        self.lock_if_idle();
        self.store.as_ref().ok_or(Error::SignInNeeded)
    }

    /// Locks if the session has been idle past its limit (asked on a timer;
    /// not activity).
    pub fn lock_if_idle(&mut self) {
        if let Some(store) = self.store.as_mut() {
            store.lock_if_idle();
            if store.access().session().is_none() {
                self.lock();
            }
        }
    }

    /// Signs out, or locks: the store is closed and its keys dropped.
    pub fn lock(&mut self) {
        if let Some(session) = self.store.as_ref().and_then(|s| s.access().session()) {
            self.last_user = Some(session.user_name.clone());
        }
        self.store = None;
    }

    pub fn state(&self) -> Result<SignInState> {
        let first_start = vault::needs_first_user(&self.db_path)?;
        let session = self.store.as_ref().and_then(|s| s.access().session().cloned());
        Ok(SignInState {
            first_start,
            allowed: session.as_ref().map(|s| crate::access::allowed_operations(s.role)).unwrap_or_default(),
            last_user: session.as_ref().map(|s| s.user_name.clone()).or_else(|| self.last_user.clone()),
            session,
        })
    }

    fn opened(&mut self, opened: vault::Opened) -> Session {
        let name = &opened.session.user_name;
        if let Some(dir) = self.db_path.parent() {
            // A convenience: if the folder refuses it, signing in has still
            // worked, and the name is simply typed next time.
            let _ = std::fs::write(dir.join(LAST_USER_FILE), name);
        }
        self.last_user = Some(name.clone());
        self.store = Some(opened.store);
        opened.session
    }

    /// The first start: the first registered manager, the agency's keys, and
    /// the demo agency (or the data of an earlier, unencrypted Caredesk).
    pub fn create_first_user(&mut self, input: &UserInput) -> Result<FirstStart> {
        let opened = vault::create_agency(&self.db_path, input, self.clock.clone(), |store| {
            let agency = demo::generate(Size::Small, FIRST_START_SEED, store.today());
            demo::load(store, &agency)?;
            // The days to today done with carers; from tomorrow on waiting.
            demo::rota::at_work(store, store.today())?;
            Ok(())
        })?;
        let recovery_key = opened.recovery_key.clone().unwrap_or_default();
        Ok(FirstStart { session: self.opened(opened), recovery_key })
    }

    pub fn sign_in(&mut self, user_name: &str, password: &str) -> Result<Session> {
        self.lock();
        let opened = vault::sign_in(&self.db_path, user_name, password, self.clock.clone())?;
        Ok(self.opened(opened))
    }

    /// A forgotten password, put right with the agency's recovery key.
    pub fn recover(&mut self, recovery_key: &str, input: &UserInput) -> Result<Session> {
        self.lock();
        let opened = vault::recover(&self.db_path, recovery_key, input, self.clock.clone())?;
        Ok(self.opened(opened))
    }

    /// Now, on the app's clock.
    pub fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.clock.now()
    }

    /// What the hourly backup copies, while someone is signed in.
    pub fn backup_source(&self) -> Option<backup::Source> {
        self.store.as_ref().and_then(backup::Source::of)
    }

    /// Where emergency packs go unless the agency chooses a folder.
    pub fn default_pack_folder(&self) -> PathBuf {
        self.db_path.parent().unwrap_or(Path::new(".")).join("emergency-packs")
    }

    /// Tonight's emergency pack, written while someone is signed in (the
    /// key is needed to read the rota). Not activity: it does not keep the
    /// app from locking.
    pub fn refresh_emergency_pack(&self) -> Result<Option<PathBuf>> {
        match &self.store {
            Some(store) => crate::documents::refresh::refresh_if_due(store, &self.default_pack_folder()),
            None => Ok(None),
        }
    }
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
