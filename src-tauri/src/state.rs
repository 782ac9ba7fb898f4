//! The open database, shared by the commands. SQLite work runs on a blocking
//! thread so the window never waits on the disk. Every command but signing
//! in passes the core's session check first.

use caredesk::{ErrorPayload, Store};
use std::path::Path;
use std::sync::{Arc, Mutex};

pub struct Db(Result<Arc<Mutex<Store>>, ErrorPayload>);

impl Db {
    /// Opens the database, locked until sign-in; a failure (say, a file from
    /// a newer Caredesk) is kept and shown by every command rather than
    /// closing the window.
    pub fn open(dir: &Path) -> Self {
        Db(caredesk::app::open_app_database(dir).map(|s| Arc::new(Mutex::new(s))).map_err(|e| e.payload()))
    }

    /// Runs `work` for the signed-in user: refused when nobody is signed in
    /// or the app has locked itself; otherwise it counts as activity.
    pub async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce(&mut Store) -> caredesk::Result<T> + Send + 'static,
    ) -> Result<T, ErrorPayload> {
        self.run_open(move |store| {
            store.keep_alive()?;
            work(store)
        })
        .await
    }

    /// Runs `work` whether or not anyone is signed in: only for signing in
    /// and asking whether the app is locked.
    pub async fn run_open<T: Send + 'static>(
        &self,
        work: impl FnOnce(&mut Store) -> caredesk::Result<T> + Send + 'static,
    ) -> Result<T, ErrorPayload> {
        let store = self.0.clone()?;
        tauri::async_runtime::spawn_blocking(move || {
            // A panic in an earlier command must not lock everyone out: the
            // store itself is consistent (SQLite rolled the transaction back).
            let mut store = store.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            work(&mut store).map_err(|e| e.payload())
        })
        .await
        .map_err(|e| ErrorPayload {
            code: "internal".into(),
            message: format!("The command stopped unexpectedly: {e}"),
            details: vec![],
            findings: vec![],
        })?
    }
}
