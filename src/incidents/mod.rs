//! Incident records (product brief §7; standard 003 P38–P42): what happened
//! and to whom, the notifications the law asks for as decisions with
//! deadlines, follow-up and support for the worker, open → under review →
//! closed with addenda after, and the trends a manager learns from.
//!
//! `notify` and `form` are pure; `service` writes, `view` and `trends` read.

pub mod form;
pub mod notify;
pub mod records;
pub mod service;
pub mod trends;
pub mod view;

pub use form::{IncidentInput, PersonInput};
pub use notify::{Harm, IncidentKind, NotificationKind};
pub use records::*;
pub use service::*;
pub use trends::{recent_period, trends, trends_csv, write_trends_csv, Count, Month, Trends};
pub use view::*;
