//! The agency's risk settings: where the rating bands start, and how long
//! a check-in call may be late (grace) and each escalation step waits.
//! One row; the usual values until a registered manager changes them.

use super::monitor::MonitorSettings;
use super::scoring::Bands;
use crate::access::Operation;
use crate::error::{FieldErrors, Result};
use crate::store::Record;
use crate::Store;
use rusqlite::{Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

const SETTINGS_ID: Uuid = Uuid::from_u128(0x7157_0000_0000_4000_8000_0000_0000_0001);

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RiskSettings {
    pub medium_from: u8,
    pub high_from: u8,
    pub very_high_from: u8,
    pub grace_min: u32,
    pub step_min: u32,
}

impl Default for RiskSettings {
    fn default() -> Self {
        let (bands, monitor) = (Bands::default(), MonitorSettings::default());
        RiskSettings {
            medium_from: bands.medium_from,
            high_from: bands.high_from,
            very_high_from: bands.very_high_from,
            grace_min: monitor.grace_min,
            step_min: monitor.step_min,
        }
    }
}

impl RiskSettings {
    pub fn bands(&self) -> Bands {
        Bands { medium_from: self.medium_from, high_from: self.high_from, very_high_from: self.very_high_from }
    }

    pub fn monitor(&self) -> MonitorSettings {
        MonitorSettings { grace_min: self.grace_min, step_min: self.step_min }
    }
}

impl Record for RiskSettings {
    const ENTITY: &'static str = "risk_settings";
    fn id(&self) -> Uuid {
        SETTINGS_ID
    }
    fn fields(&self) -> Vec<(&'static str, rusqlite::types::Value)> {
        crate::record_fields!(self; medium_from, high_from, very_high_from, grace_min, step_min)
    }
}

fn stored(conn: &Connection) -> Result<Option<RiskSettings>> {
    Ok(conn
        .query_row(
            "SELECT medium_from, high_from, very_high_from, grace_min, step_min FROM risk_settings
             WHERE id = ?1 AND deleted_at IS NULL",
            [SETTINGS_ID.to_string()],
            |r| {
                Ok(RiskSettings {
                    medium_from: r.get(0)?,
                    high_from: r.get(1)?,
                    very_high_from: r.get(2)?,
                    grace_min: r.get(3)?,
                    step_min: r.get(4)?,
                })
            },
        )
        .optional()?)
}

pub fn risk_settings(conn: &Connection) -> Result<RiskSettings> {
    Ok(stored(conn)?.unwrap_or_default())
}

pub fn save_risk_settings(store: &mut Store, input: &RiskSettings) -> Result<()> {
    let mut e = FieldErrors::new();
    if let Err(message) = input.bands().check() {
        e.add("bands", message);
    }
    for (field, value) in [("grace_min", input.grace_min), ("step_min", input.step_min)] {
        if !(1..=120).contains(&value) {
            e.add(field, "Choose between 1 and 120 minutes");
        }
    }
    let after = e.finish(*input)?;
    let before = stored(store.read())?;
    store.write(Operation::ChangeSettings, |changes| match &before {
        Some(before) => changes.update(before, &after).map(|_| ()),
        None => changes.insert(&after),
    })
}
