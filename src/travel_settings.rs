//! The agency's own travel figures, stored: how much longer roads are than
//! the straight line, a speed for each transport mode, the shortest leg, and
//! how far from home a carer's first visit of the day may be before the
//! rules warn.
//! One row, with a fixed id; the usual figures (`TravelSettings::default`)
//! until a registered manager saves the agency's. The rules, the candidate
//! lists, the auto-scheduler and the run sheets all estimate with these.
//! The settings page shows what they mean: one trip's minutes by each mode.

use crate::access::Operation;
use crate::error::{FieldErrors, Result};
use crate::people::common::{number_in, whole};
use crate::people::Transport;
use crate::store::Record;
use crate::travel::{leg_for, TravelSettings};
use crate::Store;
use rusqlite::{Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

const SETTINGS_ID: Uuid = Uuid::from_u128(0x7124_0000_0000_4000_8000_0000_0000_0001);

/// The travel settings as typed in the form: a field left empty is `None`,
/// and is refused with a message rather than lost.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TravelSettingsInput {
    pub road_factor: Option<f64>,
    pub car_kmh: Option<f64>,
    pub foot_kmh: Option<f64>,
    pub bicycle_kmh: Option<f64>,
    pub public_transport_kmh: Option<f64>,
    pub minimum_leg_min: Option<f64>,
    pub longest_from_home_min: Option<f64>,
}

impl From<&TravelSettings> for TravelSettingsInput {
    fn from(s: &TravelSettings) -> Self {
        TravelSettingsInput {
            road_factor: Some(s.road_factor),
            car_kmh: Some(s.car_kmh),
            foot_kmh: Some(s.foot_kmh),
            bicycle_kmh: Some(s.bicycle_kmh),
            public_transport_kmh: Some(s.public_transport_kmh),
            minimum_leg_min: Some(f64::from(s.minimum_leg_min)),
            longest_from_home_min: Some(f64::from(s.longest_from_home_min)),
        }
    }
}

impl Record for TravelSettings {
    const ENTITY: &'static str = "travel_settings";
    fn id(&self) -> Uuid {
        SETTINGS_ID
    }
    fn fields(&self) -> Vec<(&'static str, rusqlite::types::Value)> {
        crate::record_fields!(self; road_factor, car_kmh, foot_kmh, bicycle_kmh, public_transport_kmh, minimum_leg_min, longest_from_home_min)
    }
}

fn stored(conn: &Connection) -> Result<Option<TravelSettings>> {
    Ok(conn
        .query_row(
            "SELECT road_factor, car_kmh, foot_kmh, bicycle_kmh, public_transport_kmh, minimum_leg_min,
                    longest_from_home_min FROM travel_settings WHERE id = ?1 AND deleted_at IS NULL",
            [SETTINGS_ID.to_string()],
            |r| {
                Ok(TravelSettings {
                    road_factor: r.get(0)?,
                    car_kmh: r.get(1)?,
                    foot_kmh: r.get(2)?,
                    bicycle_kmh: r.get(3)?,
                    public_transport_kmh: r.get(4)?,
                    minimum_leg_min: r.get(5)?,
                    longest_from_home_min: r.get(6)?,
                })
            },
        )
        .optional()?)
}

/// The agency's travel settings, or the usual ones if it has not set its own.
pub fn travel_settings(conn: &Connection) -> Result<TravelSettings> {
    Ok(stored(conn)?.unwrap_or_default())
}

/// Checks every figure of `input`, reporting each one that is missing or
/// out of bounds, and saves them through the write path. The bounds are
/// wide enough for a rural agency or a city one and narrow enough to catch
/// a slip (walking at 48 km/h, a factor of 13); the table checks the same.
pub fn save_travel_settings(store: &mut Store, input: &TravelSettingsInput) -> Result<TravelSettings> {
    let mut e = FieldErrors::new();
    let after = TravelSettings {
        road_factor: number_in(&mut e, "road_factor", input.road_factor, (1.0, 3.0), "the road factor"),
        car_kmh: number_in(&mut e, "car_kmh", input.car_kmh, (5.0, 100.0), "the speed by car (km/h)"),
        foot_kmh: number_in(&mut e, "foot_kmh", input.foot_kmh, (1.0, 10.0), "the speed on foot (km/h)"),
        bicycle_kmh: number_in(&mut e, "bicycle_kmh", input.bicycle_kmh, (4.0, 40.0), "the speed by bicycle (km/h)"),
        public_transport_kmh: number_in(
            &mut e,
            "public_transport_kmh",
            input.public_transport_kmh,
            (3.0, 60.0),
            "the speed by public transport (km/h)",
        ),
        minimum_leg_min: whole(
            &mut e,
            "minimum_leg_min",
            input.minimum_leg_min,
            (0, 60),
            "the shortest leg in minutes",
        ),
        longest_from_home_min: whole(
            &mut e,
            "longest_from_home_min",
            input.longest_from_home_min,
            (10, 240),
            "the journey from home in minutes",
        ),
    };
    let after = e.finish(after)?;
    let before = stored(store.read())?;
    store.write(Operation::ChangeSettings, |changes| changes.save(before.as_ref(), &after))?;
    Ok(after)
}

/// How far apart, as the crow flies, the places of the example trip are.
const EXAMPLE_KM: f64 = 2.0;

/// The settings with what they mean: one trip's minutes by each mode.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct TravelSettingsView {
    pub settings: TravelSettings,
    pub example: ExampleTrip,
}

/// A trip between two places `straight_km` apart: its road distance and
/// how long it takes by each transport mode, as the rules will count it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct ExampleTrip {
    pub straight_km: f64,
    pub road_km: f64,
    pub minutes: Vec<(Transport, u32)>,
}

pub fn view(settings: TravelSettings) -> TravelSettingsView {
    let modes = [Transport::Car, Transport::Foot, Transport::Bicycle, Transport::PublicTransport];
    let example = ExampleTrip {
        straight_km: EXAMPLE_KM,
        road_km: leg_for(EXAMPLE_KM, Transport::Car, &settings).road_km,
        minutes: modes.into_iter().map(|mode| (mode, leg_for(EXAMPLE_KM, mode, &settings).minutes)).collect(),
    };
    TravelSettingsView { settings, example }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_example_trip_is_two_km_as_the_crow_flies_at_each_modes_speed() {
        // 2 km × 1.3 = 2.6 km by road: by car 4.9 min → 5, on foot 32.5 → 33,
        // by bicycle 11.1 → 12, by public transport 13.0 → 13.
        let example = view(TravelSettings::default()).example;
        assert!((example.road_km - 2.6).abs() < 1e-9, "{}", example.road_km);
        use Transport::*;
        assert_eq!(example.minutes, vec![(Car, 5), (Foot, 33), (Bicycle, 12), (PublicTransport, 13)]);
    }
}
