//! The controls of a risk assessment that the rota obeys, and darkness at a
//! client's home (sunrise and sunset worked out offline for the place and
//! date). Pure.

use crate::people::common::text_enum;
use crate::travel::GeoPoint;
use chrono::{DateTime, NaiveDate, Utc};
use sunrise::{Coordinates, SolarDay, SolarEvent};

text_enum!(ControlKind {
    DoubleUp = "double_up": "Two carers at every visit",
    NoVisitsAfter = "no_visits_after": "No visits after a time",
    NoVisitsInDarkness = "no_visits_in_darkness": "No visits in darkness",
    CheckInRequired = "check_in_required": "Check-in and check-out calls",
    CarerGender = "carer_gender": "Carers of one gender only",
    NoNewStarters = "no_new_starters": "No new starters",
});

text_enum!(Enforcement {
    Block = "block": "Blocks",
    Warn = "warn": "Warns",
});

/// A control as the rules see it, with where it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct ControlFacts {
    pub kind: ControlKind,
    /// "19:00", "female", or a number of days, as the kind needs.
    pub value: String,
    pub enforcement: Enforcement,
    /// "the risk assessment of 1 Dec 2026 (version 2)".
    pub source: String,
}

/// Sunrise and sunset at `place` on `date`; `None` where the sun does not
/// rise or set (never in the UK).
pub fn daylight(place: GeoPoint, date: NaiveDate) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
    let day = SolarDay::new(Coordinates::new(place.lat, place.lon)?, date);
    Some((day.event_time(SolarEvent::Sunrise)?, day.event_time(SolarEvent::Sunset)?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Timelike;
    use chrono_tz::Europe::London;

    const SHREWSBURY: GeoPoint = GeoPoint { lat: 52.707, lon: -2.754 };

    fn local(at: DateTime<Utc>) -> (u32, u32) {
        let t = at.with_timezone(&London);
        (t.hour(), t.minute())
    }

    #[test]
    fn shrewsbury_gets_dark_before_four_in_december_and_after_nine_in_june() {
        let (rise, set) = daylight(SHREWSBURY, "2026-12-21".parse().unwrap()).unwrap();
        assert!(local(set) < (16, 5) && local(set) > (15, 45), "midwinter sunset {:?}", local(set));
        assert!(local(rise) > (8, 10) && local(rise) < (8, 30), "midwinter sunrise {:?}", local(rise));
        let (_, set) = daylight(SHREWSBURY, "2026-06-21".parse().unwrap()).unwrap();
        assert!(local(set) > (21, 30) && local(set) < (21, 50), "midsummer sunset {:?} (BST)", local(set));
    }
}
