//! The agency's risk settings: where the rating bands start, and how long
//! a check-in call may be late (grace) and each escalation step waits.
//! One row; the usual values until a registered manager changes them.

use super::monitor::MonitorSettings;
use super::scoring::Bands;
use crate::access::Operation;
use crate::error::{FieldErrors, Result};
use crate::people::common::whole;
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

/// The risk settings as typed in the form: a field left empty is `None`,
/// and is refused with a message rather than lost.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RiskSettingsInput {
    pub medium_from: Option<f64>,
    pub high_from: Option<f64>,
    pub very_high_from: Option<f64>,
    pub grace_min: Option<f64>,
    pub step_min: Option<f64>,
}

impl From<RiskSettings> for RiskSettingsInput {
    fn from(s: RiskSettings) -> Self {
        RiskSettingsInput {
            medium_from: Some(f64::from(s.medium_from)),
            high_from: Some(f64::from(s.high_from)),
            very_high_from: Some(f64::from(s.very_high_from)),
            grace_min: Some(f64::from(s.grace_min)),
            step_min: Some(f64::from(s.step_min)),
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

/// Checks every figure of `input`, reporting each one that is missing, not
/// a whole number or out of bounds, then the bands' order; saves them
/// through the write path.
pub fn save_risk_settings(store: &mut Store, input: &RiskSettingsInput) -> Result<RiskSettings> {
    let mut e = FieldErrors::new();
    // A score is likelihood × severity: 1 to 25, and Low holds at least 1.
    let mut band = |field, value, what| whole(&mut e, field, value, (2, 25), what) as u8;
    let bands = Bands {
        medium_from: band("medium_from", input.medium_from, "the score where Medium starts"),
        high_from: band("high_from", input.high_from, "the score where High starts"),
        very_high_from: band("very_high_from", input.very_high_from, "the score where Very high starts"),
    };
    let after = RiskSettings {
        medium_from: bands.medium_from,
        high_from: bands.high_from,
        very_high_from: bands.very_high_from,
        grace_min: whole(&mut e, "grace_min", input.grace_min, (1, 120), "the minutes a check-in call may be late"),
        step_min: whole(&mut e, "step_min", input.step_min, (1, 120), "the minutes each escalation step waits"),
    };
    // The order of the bands means something only once each is a score.
    let typed = ["medium_from", "high_from", "very_high_from"].iter().all(|f| !e.has(f));
    if let (true, Err(message)) = (typed, bands.check()) {
        e.add("bands", message);
    }
    let after = e.finish(after)?;
    let before = stored(store.read())?;
    store.write(Operation::ChangeSettings, |changes| changes.save(before.as_ref(), &after))?;
    Ok(after)
}
