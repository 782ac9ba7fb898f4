//! A hybrid logical clock: wall-clock milliseconds plus a counter, so that
//! change-log rows from one device stay in causal order even if the machine's
//! clock steps backwards, and rows from several devices sort sensibly.

use chrono::{DateTime, Utc};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Hlc {
    pub millis: i64,
    pub counter: u32,
}

impl Hlc {
    /// The next timestamp after `last`, given the wall clock reads `now`.
    pub fn next(last: Option<Hlc>, now: DateTime<Utc>) -> Hlc {
        let wall = now.timestamp_millis();
        match last {
            Some(last) if last.millis >= wall => Hlc { millis: last.millis, counter: last.counter + 1 },
            _ => Hlc { millis: wall, counter: 0 },
        }
    }

    /// Fixed-width text that sorts like the clock: `0001763923500000-00003-<device>`.
    pub fn encode(&self, device: &str) -> String {
        format!("{:016}-{:05}-{device}", self.millis, self.counter)
    }

    pub fn decode(text: &str) -> Option<Hlc> {
        let mut parts = text.splitn(3, '-');
        let millis = parts.next()?.parse().ok()?;
        let counter = parts.next()?.parse().ok()?;
        Some(Hlc { millis, counter })
    }
}
