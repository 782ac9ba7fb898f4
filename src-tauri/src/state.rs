//! The agency, shared by the commands. SQLite work runs on a blocking thread
//! so the window never waits on the disk. Every command but signing in goes
//! through the core's session check first.

use caredesk::app::AppAgency;
use caredesk::clock::Clock;
use caredesk::{ErrorPayload, Store};
use std::path::Path;
use std::sync::{Arc, Mutex};

pub struct Db(Arc<Mutex<AppAgency>>);

/// A command that stopped without the core's answer (a panic on the worker).
pub fn internal(e: impl std::fmt::Display) -> ErrorPayload {
    ErrorPayload {
        code: "internal".into(),
        message: format!("The command stopped unexpectedly: {e}"),
        details: vec![],
        findings: vec![],
    }
}

impl Db {
    /// The agency in `dir`, locked until someone signs in, on `clock`.
    pub fn open(dir: &Path, clock: Arc<dyn Clock>) -> Self {
        Db(Arc::new(Mutex::new(AppAgency::new(dir).with_clock(clock))))
    }

    /// Runs `work` for the signed-in user: refused when nobody is signed in
    /// or the app has locked itself; otherwise it counts as activity.
    pub async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce(&mut Store) -> caredesk::Result<T> + Send + 'static,
    ) -> Result<T, ErrorPayload> {
        self.run_open(move |agency| work(agency.store()?)).await
    }

    /// Runs `work` on the agency whether or not anyone is signed in: only
    /// for signing in and out and asking whether the app is locked.
    pub async fn run_open<T: Send + 'static>(
        &self,
        work: impl FnOnce(&mut AppAgency) -> caredesk::Result<T> + Send + 'static,
    ) -> Result<T, ErrorPayload> {
        let agency = self.0.clone();
        tauri::async_runtime::spawn_blocking(move || {
            // A panic in an earlier command must not lock everyone out: the
            // store itself is consistent (SQLite rolled the transaction back).
            let mut agency = agency.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            work(&mut agency).map_err(|e| e.payload())
        })
        .await
        .map_err(internal)?
    }

    /// What the hourly backup copies (taken under the lock, copied outside it).
    pub fn backup_source(&self) -> Option<caredesk::backup::Source> {
        self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).backup_source()
    }

    /// Work in the background that must not count as someone's activity.
    pub fn quietly<T>(&self, work: impl FnOnce(&AppAgency) -> T) -> T {
        work(&self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner()))
    }

    pub fn shared(&self) -> Db {
        Db(self.0.clone())
    }
}
