//! How the agency takes its carers' weekly rest under the Working Time
//! Regulations: 24 hours in each week, or 48 hours (or two rests of 24) in
//! each fortnight, which regulation 11(2) lets an employer choose and which
//! suits carers who work alternate weekends. One row, with a fixed id; each
//! week until a registered manager saves the agency's choice. The rules
//! read it with the week (`rules::weekly_rest`).

use crate::access::Operation;
use crate::error::{FieldErrors, Result};
use crate::people::common::{required_date, text_enum};
use crate::rules::weekly_rest::WeeklyRest;
use crate::store::{row_enum, row_opt_date, Record};
use crate::Store;
use chrono::{Datelike, NaiveDate};
use rusqlite::{Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

const SETTINGS_ID: Uuid = Uuid::from_u128(0x7124_0000_0000_4000_8000_0000_0000_0002);

text_enum!(
    /// Over what period the weekly rest is taken.
    RestPeriod {
        Week = "week": "24 hours in each week",
        Fortnight = "fortnight": "48 hours, or two rests of 24 hours, in each fortnight",
    }
);

/// The agency's choice, as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct WorkingTimeSettings {
    pub weekly_rest: RestPeriod,
    /// The Monday the agency's fortnights are counted from (each fortnight).
    pub fortnights_from: Option<NaiveDate>,
}

impl Default for WorkingTimeSettings {
    fn default() -> Self {
        WorkingTimeSettings { weekly_rest: RestPeriod::Week, fortnights_from: None }
    }
}

impl WorkingTimeSettings {
    /// The choice as the rules take it.
    pub fn weekly_rest(&self) -> WeeklyRest {
        match (self.weekly_rest, self.fortnights_from) {
            (RestPeriod::Fortnight, Some(from)) => WeeklyRest::EachFortnight { from },
            _ => WeeklyRest::EachWeek,
        }
    }
}

impl Record for WorkingTimeSettings {
    const ENTITY: &'static str = "working_time_settings";
    fn id(&self) -> Uuid {
        SETTINGS_ID
    }
    fn fields(&self) -> Vec<(&'static str, rusqlite::types::Value)> {
        crate::record_fields!(self; weekly_rest, fortnights_from)
    }
}

/// The form as typed: the date as text, kept as typed when refused.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct WorkingTimeSettingsInput {
    pub weekly_rest: Option<RestPeriod>,
    pub fortnights_from: String,
}

impl From<&WorkingTimeSettings> for WorkingTimeSettingsInput {
    fn from(s: &WorkingTimeSettings) -> Self {
        WorkingTimeSettingsInput {
            weekly_rest: Some(s.weekly_rest),
            fortnights_from: s.fortnights_from.map(|d| d.to_string()).unwrap_or_default(),
        }
    }
}

fn stored(conn: &Connection) -> Result<Option<WorkingTimeSettings>> {
    Ok(conn
        .query_row(
            "SELECT weekly_rest, fortnights_from FROM working_time_settings WHERE id = ?1 AND deleted_at IS NULL",
            [SETTINGS_ID.to_string()],
            |r| {
                Ok(WorkingTimeSettings {
                    weekly_rest: row_enum(r, 0, RestPeriod::parse)?,
                    fortnights_from: row_opt_date(r, 1)?,
                })
            },
        )
        .optional()?)
}

/// The agency's choice, or each week if it has not made one.
pub fn working_time_settings(conn: &Connection) -> Result<WorkingTimeSettings> {
    Ok(stored(conn)?.unwrap_or_default())
}

/// Checks the choice (a fortnight needs the Monday it is counted from) and
/// saves it through the write path.
pub fn save_working_time_settings(store: &mut Store, input: &WorkingTimeSettingsInput) -> Result<WorkingTimeSettings> {
    let mut e = FieldErrors::new();
    let weekly_rest = input.weekly_rest.unwrap_or_else(|| {
        e.add("weekly_rest", "Choose how the weekly rest is taken");
        RestPeriod::Week
    });
    // The date is asked for, and read, only for a fortnight: the form hides
    // it each week, so whatever was left in it then is let go unread.
    let fortnights_from = match weekly_rest {
        RestPeriod::Week => None,
        RestPeriod::Fortnight => {
            let what = "the Monday a fortnight starts on";
            match required_date(&mut e, "fortnights_from", &input.fortnights_from, what) {
                Some(date) if date.weekday() != chrono::Weekday::Mon => {
                    let day = (date.format("%-d %b %Y"), date.format("%A"));
                    e.add("fortnights_from", format!("{} is a {}: a fortnight starts on a Monday", day.0, day.1));
                    None
                }
                date => date,
            }
        }
    };
    let after = e.finish(WorkingTimeSettings { weekly_rest, fortnights_from })?;
    let before = stored(store.read())?;
    store.write(Operation::ChangeSettings, |changes| changes.save(before.as_ref(), &after))?;
    Ok(after)
}
