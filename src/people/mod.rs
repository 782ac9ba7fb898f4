//! People and care packages (product brief §1): carers, clients, and the
//! recurring visit templates the rota is rolled forward from.
//!
//! `carers`, `clients`, `packages` hold the records and their forms (pure:
//! validation needs no database); `*_service` modules read and write them.

pub mod attention;
pub mod carer_service;
pub mod carers;
pub mod client_service;
pub mod clients;
pub mod common;
pub mod hours_before;
pub mod overview;
pub mod packages;
pub mod skills;
pub mod working_time;

pub use attention::*;
pub use carer_service::*;
pub use carers::*;
pub use client_service::*;
pub use clients::*;
pub use common::{Gender, ListQuery, Transport, Weekday};
pub use hours_before::{hours_before_form, save_hours_before, HoursBeforeForm, WeekHoursInput};
pub use overview::*;
pub use packages::*;
pub use skills::*;
pub use working_time::{working_time, PeriodKind, WorkingTime};
