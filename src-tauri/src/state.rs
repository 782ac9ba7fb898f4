//! The open database, shared by the commands. SQLite work runs on a blocking
//! thread so the window never waits on the disk.

use caredesk::{ErrorPayload, Store};
use std::path::Path;
use std::sync::{Arc, Mutex};

pub struct Db(Result<Arc<Mutex<Store>>, ErrorPayload>);

impl Db {
    /// Opens the database; a failure (say, a file from a newer Caredesk) is
    /// kept and shown by every command rather than closing the window.
    pub fn open(dir: &Path) -> Self {
        let actor = caredesk::app::local_actor();
        Db(caredesk::app::open_app_database(dir, &actor).map(|s| Arc::new(Mutex::new(s))).map_err(|e| e.payload()))
    }

    /// Runs `work` with the store on a blocking thread.
    pub async fn run<T: Send + 'static>(
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
