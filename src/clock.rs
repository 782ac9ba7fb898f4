//! The one source of "now" for services, so tests can fix the time.
//! Pure domain modules never read a clock: they are given times.

use chrono::{DateTime, TimeDelta, Utc};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

pub trait Clock: Send + Sync {
    fn now(&self) -> DateTime<Utc>;
}

/// The real wall clock.
#[derive(Debug, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A clock a test sets and moves by hand.
#[derive(Debug)]
pub struct FixedClock(AtomicI64);

impl FixedClock {
    pub fn at(instant: DateTime<Utc>) -> Self {
        Self(AtomicI64::new(instant.timestamp_millis()))
    }

    pub fn set(&self, instant: DateTime<Utc>) {
        self.0.store(instant.timestamp_millis(), Ordering::SeqCst);
    }
}

impl Clock for FixedClock {
    fn now(&self) -> DateTime<Utc> {
        DateTime::from_timestamp_millis(self.0.load(Ordering::SeqCst)).unwrap_or_default()
    }
}

/// The real clock moved by a fixed amount: time passes as it does. The
/// end-to-end suite moves the app under test onto a day of its own, the same
/// every run, so no test depends on the day it happens to run; every app it
/// starts is moved by the same amount, so time never runs back between them.
#[derive(Debug)]
pub struct ShiftedClock {
    ahead: TimeDelta,
}

impl ShiftedClock {
    pub fn ahead_by(ahead: TimeDelta) -> Self {
        Self { ahead }
    }
}

impl Clock for ShiftedClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now() + self.ahead
    }
}

/// The variable a debug build's clock is moved by: whole seconds, ahead of
/// the real time, or behind it when negative.
pub const CLOCK_SHIFT_VARIABLE: &str = "CAREDESK_CLOCK_SHIFT_SECONDS";

/// The desktop app's clock: the real one, or, in a debug build started with
/// `CAREDESK_CLOCK_SHIFT_SECONDS`, the real one moved by that much. A release
/// build never reads the variable: a carer's rota runs on the real time.
pub fn for_the_app() -> Result<Arc<dyn Clock>, String> {
    let shift = std::env::var(CLOCK_SHIFT_VARIABLE).ok().filter(|_| cfg!(debug_assertions));
    shifted_by(shift.as_deref())
}

fn shifted_by(seconds: Option<&str>) -> Result<Arc<dyn Clock>, String> {
    let Some(seconds) = seconds else { return Ok(Arc::new(SystemClock)) };
    let ahead = seconds.trim().parse::<i64>().ok().and_then(TimeDelta::try_seconds).ok_or_else(|| {
        format!("{CLOCK_SHIFT_VARIABLE} must be whole seconds, such as -86400 for a day behind, not \"{seconds}\"")
    })?;
    Ok(Arc::new(ShiftedClock::ahead_by(ahead)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn within_seconds_of(read: DateTime<Utc>, expected: DateTime<Utc>) -> bool {
        (read - expected).abs() < TimeDelta::seconds(5)
    }

    #[test]
    fn a_shifted_clock_reads_the_real_time_moved_and_runs_on() {
        let clock = ShiftedClock::ahead_by(TimeDelta::days(-3));
        let first = clock.now();
        assert!(within_seconds_of(first, Utc::now() - TimeDelta::days(3)), "three days behind, read {first}");
        std::thread::sleep(std::time::Duration::from_millis(20));
        assert!(clock.now() > first, "time passes on a shifted clock");
    }

    #[test]
    fn the_app_clock_is_moved_by_the_seconds_given() {
        let read = shifted_by(Some(" 3600 ")).unwrap().now();
        assert!(within_seconds_of(read, Utc::now() + TimeDelta::hours(1)), "an hour ahead, read {read}");
        let real = shifted_by(None).unwrap().now();
        assert!(within_seconds_of(real, Utc::now()), "no shift given: the real time, read {real}");
    }

    #[test]
    fn a_shift_that_is_not_whole_seconds_is_refused_with_an_example() {
        let refused = shifted_by(Some("next Wednesday")).err().expect("a shift that is no number is refused");
        assert!(refused.contains("such as -86400 for a day behind, not \"next Wednesday\""), "{refused}");
    }
}
