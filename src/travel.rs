//! Offline travel estimates between two places: great-circle distance,
//! stretched by a road factor, at a speed for the carer's transport mode,
//! with a minimum per leg for parking, locking a bike or waiting for a bus.
//!
//! Pure: plain values in, minutes out. No database, no clock, no network.

use crate::people::Transport;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Mean Earth radius (IUGG), in kilometres.
const EARTH_RADIUS_KM: f64 = 6371.0088;

/// Below this straight-line distance two visits count as the same place (a
/// couple in one house, flats in one block): no travel at all.
const SAME_PLACE_KM: f64 = 0.05;

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct GeoPoint {
    pub lat: f64,
    pub lon: f64,
}

/// How an agency estimates travel; every figure can be set per agency.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TravelSettings {
    /// Road distance ÷ straight-line distance (1.3 suits towns; rural areas run higher).
    pub road_factor: f64,
    pub car_kmh: f64,
    pub foot_kmh: f64,
    pub bicycle_kmh: f64,
    /// Door to door, waits included.
    pub public_transport_kmh: f64,
    /// The shortest leg between two different places, in minutes.
    pub minimum_leg_min: u32,
    /// The longest journey from home to the first visit of a day, in
    /// minutes, before the rules warn: the commute is the carer's own, unpaid
    /// time, so no other rule weighs it.
    pub longest_from_home_min: u32,
}

impl Default for TravelSettings {
    fn default() -> Self {
        Self {
            road_factor: 1.3,
            car_kmh: 32.0,
            foot_kmh: 4.8,
            bicycle_kmh: 14.0,
            public_transport_kmh: 12.0,
            minimum_leg_min: 5,
            longest_from_home_min: 60,
        }
    }
}

impl TravelSettings {
    pub fn speed_kmh(&self, mode: Transport) -> f64 {
        match mode {
            Transport::Car => self.car_kmh,
            Transport::Foot => self.foot_kmh,
            Transport::Bicycle => self.bicycle_kmh,
            Transport::PublicTransport => self.public_transport_kmh,
        }
    }
}

/// Straight-line (great-circle) distance in kilometres, by the haversine formula.
pub fn great_circle_km(from: GeoPoint, to: GeoPoint) -> f64 {
    let (lat1, lat2) = (from.lat.to_radians(), to.lat.to_radians());
    let half_dlat = (lat2 - lat1) / 2.0;
    let half_dlon = (to.lon - from.lon).to_radians() / 2.0;
    let h = half_dlat.sin().powi(2) + lat1.cos() * lat2.cos() * half_dlon.sin().powi(2);
    2.0 * EARTH_RADIUS_KM * h.sqrt().min(1.0).asin()
}

/// An estimated leg: the road distance and the whole minutes it takes.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Leg {
    pub road_km: f64,
    pub minutes: u32,
}

/// Minutes from `from` to `to` by `mode`: rounded up to the next whole
/// minute, never under the minimum leg, and zero for the same place.
pub fn estimate(from: GeoPoint, to: GeoPoint, mode: Transport, settings: &TravelSettings) -> Leg {
    leg_for(great_circle_km(from, to), mode, settings)
}

/// The leg between two places `straight` km apart as the crow flies.
pub fn leg_for(straight: f64, mode: Transport, settings: &TravelSettings) -> Leg {
    if straight < SAME_PLACE_KM {
        return Leg { road_km: 0.0, minutes: 0 };
    }
    let road_km = straight * settings.road_factor;
    let minutes = (road_km / settings.speed_kmh(mode) * 60.0).ceil() as u32;
    Leg { road_km, minutes: minutes.max(settings.minimum_leg_min) }
}
