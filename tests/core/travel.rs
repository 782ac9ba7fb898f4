//! Travel estimates against legs worked out by hand.

use caredesk::people::Transport;
use caredesk::travel::{estimate, great_circle_km, GeoPoint, TravelSettings};

const ABBEY_FOREGATE: GeoPoint = GeoPoint { lat: 52.7063, lon: -2.7440 };
const BELLE_VUE_ROAD: GeoPoint = GeoPoint { lat: 52.7008, lon: -2.7498 };
const WEM: GeoPoint = GeoPoint { lat: 52.8550, lon: -2.7240 };

fn close(actual: f64, expected: f64, tolerance: f64) -> bool {
    (actual - expected).abs() <= tolerance
}

#[test]
fn one_degree_of_latitude_is_two_pi_r_over_360() {
    // 2 × π × 6371.0088 km ÷ 360 = 111.195 km
    let km = great_circle_km(GeoPoint { lat: 52.0, lon: -2.0 }, GeoPoint { lat: 53.0, lon: -2.0 });
    assert!(close(km, 111.195, 0.001), "got {km}");
}

#[test]
fn a_walk_across_shrewsbury_takes_twelve_minutes() {
    // Straight line 0.726 km (Δlat 0.0055°, Δlon 0.0058° × cos 52.7°); × 1.3 road factor
    // = 0.944 km; at 4.8 km/h that is 11.8 minutes, rounded up to 12.
    let straight = great_circle_km(ABBEY_FOREGATE, BELLE_VUE_ROAD);
    assert!(close(straight, 0.726, 0.001), "straight line {straight}");
    let leg = estimate(ABBEY_FOREGATE, BELLE_VUE_ROAD, Transport::Foot, &TravelSettings::default());
    assert_eq!(leg.minutes, 12);
    assert!(close(leg.road_km, 0.944, 0.001), "road {}", leg.road_km);
}

#[test]
fn a_short_drive_still_takes_the_minimum_leg() {
    // 0.944 km at 32 km/h is 1.8 minutes, but parking and walking in take at least 5.
    let leg = estimate(ABBEY_FOREGATE, BELLE_VUE_ROAD, Transport::Car, &TravelSettings::default());
    assert_eq!(leg.minutes, 5);
}

#[test]
fn driving_out_to_wem_takes_forty_one_minutes() {
    // 16.589 km straight × 1.3 = 21.566 km; at 32 km/h, 40.4 minutes → 41.
    let leg = estimate(ABBEY_FOREGATE, WEM, Transport::Car, &TravelSettings::default());
    assert_eq!(leg.minutes, 41);
    let by_bicycle = estimate(ABBEY_FOREGATE, WEM, Transport::Bicycle, &TravelSettings::default());
    assert_eq!(by_bicycle.minutes, 93, "21.566 km at 14 km/h is 92.4 minutes");
}

#[test]
fn two_visits_in_the_same_house_need_no_travel() {
    let next_door = GeoPoint { lat: ABBEY_FOREGATE.lat + 0.0002, lon: ABBEY_FOREGATE.lon };
    let leg = estimate(ABBEY_FOREGATE, next_door, Transport::Car, &TravelSettings::default());
    assert_eq!(leg.minutes, 0, "22 m apart counts as the same place");
}

#[test]
fn an_agency_can_set_its_own_road_factor_and_speeds() {
    // 111.195 km × 1.5 = 166.79 km at 60 km/h = 166.8 minutes → 167.
    let rural = TravelSettings { road_factor: 1.5, car_kmh: 60.0, ..TravelSettings::default() };
    let leg = estimate(GeoPoint { lat: 52.0, lon: -2.0 }, GeoPoint { lat: 53.0, lon: -2.0 }, Transport::Car, &rural);
    assert_eq!(leg.minutes, 167);
}
