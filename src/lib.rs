//! Caredesk's core: the store, the domain and its services. It has no
//! Tauri dependency; the desktop shell, the `caredesk` CLI, tests and
//! benchmarks all call the same public services.

pub mod access;
pub mod app;
pub mod backup;
pub mod clock;
pub mod demo;
pub mod documents;
pub mod error;
pub mod export;
pub mod history;
pub mod ids;
pub mod import;
pub mod incidents;
pub mod oncall;
pub mod people;
pub mod risk;
pub mod rota;
pub mod rules;
pub mod schedule;
pub mod screen;
pub mod store;
pub mod travel;
pub mod travel_settings;
pub mod working_time_settings;

pub use error::{Error, ErrorPayload, FieldError, Result};
pub use store::Store;
