//! Lone-worker monitoring, worked out for a moment: for each visit whose
//! home needs check-in calls, whether the carer is due, in, done or late,
//! and — once a call is later than the grace period — which escalation step
//! is due: ring the carer, then the on-call manager, the registered
//! manager, and emergency services, one step each interval until someone
//! acknowledges it. Pure: the moment is an input, so the app ticks it and
//! tests control it.

use crate::people::common::text_enum;
use chrono::{DateTime, Duration, Utc};
use serde::Serialize;
use ts_rs::TS;
use uuid::Uuid;

text_enum!(CallKind {
    CheckIn = "check_in": "Check-in",
    CheckOut = "check_out": "Check-out",
});

text_enum!(Step {
    CallCarer = "call_carer": "Ring the carer",
    OnCallManager = "on_call_manager": "Tell the on-call manager",
    RegisteredManager = "registered_manager": "Tell the registered manager",
    EmergencyServices = "emergency_services": "Call the emergency services (999)",
});

text_enum!(WatchState {
    Upcoming = "upcoming": "Not started",
    Due = "due": "Check-in due",
    In = "in": "Checked in",
    Done = "done": "Checked out",
    LateIn = "late_in": "Check-in overdue",
    LateOut = "late_out": "Check-out overdue",
});

/// How long a call may be late before it is overdue, and how long each
/// escalation step waits before the next is due.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct MonitorSettings {
    pub grace_min: u32,
    pub step_min: u32,
}

impl Default for MonitorSettings {
    fn default() -> Self {
        MonitorSettings { grace_min: 15, step_min: 15 }
    }
}

/// A step someone took.
#[derive(Debug, Clone, PartialEq)]
pub struct Taken {
    pub step: Step,
    pub by: String,
    pub at: DateTime<Utc>,
    pub note: String,
}

/// A visit being watched, with the calls and steps so far.
#[derive(Debug, Clone, PartialEq)]
pub struct Watched {
    pub visit_id: Uuid,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub check_in: Option<DateTime<Utc>>,
    pub check_out: Option<DateTime<Utc>>,
    pub taken: Vec<Taken>,
}

/// Where a visit stands at a moment.
#[derive(Debug, Clone, PartialEq)]
pub struct Standing {
    pub state: WatchState,
    /// Since when the call has been overdue.
    pub overdue_since: Option<DateTime<Utc>>,
    /// The step to take now, if one is due and not yet taken.
    pub due_step: Option<Step>,
    /// When the next step falls due if nobody calls.
    pub next_step_at: Option<DateTime<Utc>>,
}

pub fn standing(w: &Watched, now: DateTime<Utc>, settings: MonitorSettings) -> Standing {
    let grace = Duration::minutes(i64::from(settings.grace_min));
    let calm = |state| Standing { state, overdue_since: None, due_step: None, next_step_at: None };
    let (state, since) = match (w.check_in, w.check_out) {
        (_, Some(_)) => return calm(WatchState::Done),
        (Some(_), None) if now <= w.end + grace => return calm(WatchState::In),
        (Some(_), None) => (WatchState::LateOut, w.end + grace),
        (None, _) if now < w.start => return calm(WatchState::Upcoming),
        (None, _) if now <= w.start + grace => return calm(WatchState::Due),
        (None, _) => (WatchState::LateIn, w.start + grace),
    };
    let interval = Duration::minutes(i64::from(settings.step_min.max(1)));
    // Step k falls due k intervals after the call became overdue.
    let due_count = (((now - since).num_seconds() / interval.num_seconds()) + 1).min(Step::ALL.len() as i64) as usize;
    let taken = |s: Step| w.taken.iter().any(|t| t.step == s);
    let due_step = Step::ALL[..due_count].iter().copied().find(|s| !taken(*s));
    let next_step_at = (due_count < Step::ALL.len()).then(|| since + interval * due_count as i32);
    Standing { state, overdue_since: Some(since), due_step, next_step_at }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(h: u32, m: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 1, h, m, 0).unwrap()
    }

    fn visit() -> Watched {
        Watched {
            visit_id: Uuid::nil(),
            start: at(18, 0),
            end: at(18, 30),
            check_in: None,
            check_out: None,
            taken: vec![],
        }
    }

    fn step(s: Step, when: DateTime<Utc>) -> Taken {
        Taken { step: s, by: "Ola Night (ola)".into(), at: when, note: String::new() }
    }

    const SETTINGS: MonitorSettings = MonitorSettings { grace_min: 15, step_min: 15 };

    #[test]
    fn on_time_a_visit_goes_from_not_started_to_due_to_in_to_done() {
        let mut w = visit();
        assert_eq!(standing(&w, at(17, 50), SETTINGS).state, WatchState::Upcoming);
        assert_eq!(standing(&w, at(18, 15), SETTINGS).state, WatchState::Due, "within the grace period");
        w.check_in = Some(at(18, 2));
        assert_eq!(standing(&w, at(18, 44), SETTINGS).state, WatchState::In, "check-out within its grace");
        w.check_out = Some(at(18, 31));
        assert_eq!(standing(&w, at(23, 0), SETTINGS).state, WatchState::Done);
    }

    #[test]
    fn a_late_check_in_escalates_a_step_each_interval_until_999() {
        let w = visit();
        let late = standing(&w, at(18, 16), SETTINGS);
        assert_eq!((late.state, late.due_step), (WatchState::LateIn, Some(Step::CallCarer)));
        assert_eq!(late.overdue_since, Some(at(18, 15)));
        assert_eq!(late.next_step_at, Some(at(18, 30)));
        assert_eq!(standing(&w, at(18, 31), SETTINGS).due_step, Some(Step::CallCarer), "the first untaken step first");
        let mut w = w;
        w.taken.push(step(Step::CallCarer, at(18, 20)));
        assert_eq!(standing(&w, at(18, 25), SETTINGS).due_step, None, "taken, and the next is not due yet");
        assert_eq!(standing(&w, at(18, 31), SETTINGS).due_step, Some(Step::OnCallManager));
        w.taken.push(step(Step::OnCallManager, at(18, 32)));
        assert_eq!(standing(&w, at(18, 46), SETTINGS).due_step, Some(Step::RegisteredManager));
        w.taken.push(step(Step::RegisteredManager, at(18, 47)));
        let last = standing(&w, at(19, 1), SETTINGS);
        assert_eq!((last.due_step, last.next_step_at), (Some(Step::EmergencyServices), None));
    }

    #[test]
    fn a_missing_check_out_is_overdue_after_the_visit_ends_and_a_call_stops_the_escalation() {
        let mut w = visit();
        w.check_in = Some(at(18, 1));
        let late = standing(&w, at(18, 50), SETTINGS);
        assert_eq!((late.state, late.due_step), (WatchState::LateOut, Some(Step::CallCarer)));
        w.check_out = Some(at(18, 52));
        assert_eq!(
            standing(&w, at(18, 53), SETTINGS),
            Standing { state: WatchState::Done, overdue_since: None, due_step: None, next_step_at: None }
        );
    }
}
