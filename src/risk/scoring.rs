//! Scoring a hazard: likelihood 1–5 × severity 1–5, and the band the score
//! falls in. The bands are the agency's to set; these are the usual ones.
//! Pure.

use crate::people::common::text_enum;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

text_enum!(Band {
    Low = "low": "Low",
    Medium = "medium": "Medium",
    High = "high": "High",
    VeryHigh = "very_high": "Very high",
});

/// The lowest score of each band above Low.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Bands {
    pub medium_from: u8,
    pub high_from: u8,
    pub very_high_from: u8,
}

impl Default for Bands {
    fn default() -> Self {
        Bands { medium_from: 5, high_from: 10, very_high_from: 17 }
    }
}

impl Bands {
    pub fn band(&self, score: u8) -> Band {
        match score {
            s if s >= self.very_high_from => Band::VeryHigh,
            s if s >= self.high_from => Band::High,
            s if s >= self.medium_from => Band::Medium,
            _ => Band::Low,
        }
    }

    /// Bands must rise, within 2..=25.
    pub fn check(&self) -> Result<(), String> {
        let rising = 2 <= self.medium_from && self.medium_from < self.high_from && self.high_from < self.very_high_from;
        if rising && self.very_high_from <= 25 {
            Ok(())
        } else {
            Err("Each band must start above the one before, between 2 and 25".into())
        }
    }
}

pub fn score(likelihood: u8, severity: u8) -> u8 {
    likelihood * severity
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_fall_in_the_usual_bands_at_their_edges() {
        let bands = Bands::default();
        let cases = [((1, 4), Band::Low), ((1, 5), Band::Medium), ((3, 3), Band::Medium), ((2, 5), Band::High)];
        for ((l, s), band) in cases {
            assert_eq!(bands.band(score(l, s)), band, "{l} x {s}");
        }
        assert_eq!(bands.band(score(4, 4)), Band::High, "16 is the top of High");
        assert_eq!(bands.band(score(5, 4)), Band::VeryHigh, "20 is Very high");
    }

    #[test]
    fn an_agency_can_move_the_bands_but_not_out_of_order() {
        let strict = Bands { medium_from: 4, high_from: 8, very_high_from: 15 };
        assert_eq!(strict.check(), Ok(()));
        assert_eq!(strict.band(score(2, 4)), Band::High);
        assert_eq!(Bands::default().band(score(2, 4)), Band::Medium);
        assert!(Bands { medium_from: 9, high_from: 8, very_high_from: 15 }.check().is_err());
        assert!(Bands { medium_from: 4, high_from: 8, very_high_from: 26 }.check().is_err());
    }
}
