//! The demo agency's on-call roster: the office takes calls on weekdays,
//! three managers take turns at nights and weekends (first line), and the
//! registered manager backs them up (second line). Next Sunday night is
//! left uncovered, as happens, so the gap check has something
//! to find.

use super::Gen;
use crate::oncall::{OnCallPattern, OnCallShift, Tier};
use crate::people::Weekday;
use chrono::{Duration, NaiveTime};

const MANAGERS: [(&str, &str); 3] =
    [("Priya Shah", "07700 900311"), ("Gareth Morgan", "07700 900322"), ("Helen Davies", "07700 900333")];

pub fn roster(g: &mut Gen) -> (Vec<OnCallPattern>, Vec<OnCallShift>) {
    let monday = crate::rota::week::monday_of(g.today);
    let (from, until) = (monday - Duration::weeks(1), monday + Duration::weeks(6) - Duration::days(1));
    let time = |h| NaiveTime::from_hms_opt(h, 0, 0).expect("a whole hour");
    let mut patterns = Vec::new();
    let mut pattern = |g: &mut Gen, person: &str, phone: &str, tier, weekday, start, end, every_weeks, first| {
        patterns.push(OnCallPattern {
            id: g.id(),
            person: person.into(),
            phone: phone.into(),
            tier,
            weekday,
            start_time: time(start),
            end_time: time(end),
            every_weeks,
            from_date: first,
            until_date: until,
        })
    };
    use Weekday::*;
    for day in [Mon, Tue, Wed, Thu, Fri] {
        pattern(g, "Office (coordinators)", "01743 900100", Tier::First, day, 8, 18, 1, from);
    }
    for (turn, (person, phone)) in MANAGERS.iter().enumerate() {
        let first = from + Duration::weeks(turn as i64);
        for day in [Mon, Tue, Wed, Thu, Fri] {
            pattern(g, person, phone, Tier::First, day, 18, 8, 3, first);
        }
        for day in [Sat, Sun] {
            pattern(g, person, phone, Tier::First, day, 8, 8, 3, first);
        }
    }
    for day in Weekday::ALL.iter().copied() {
        pattern(g, "Susan Clarke (registered manager)", "07700 900300", Tier::Second, day, 18, 8, 1, from);
    }
    let uncovered = monday + Duration::weeks(1) + Duration::days(6);
    let mut shifts = Vec::new();
    for p in &patterns {
        for (starts_at, ends_at) in p.occurrences() {
            let left_open = p.tier == Tier::First
                && p.weekday == Sun
                && starts_at.with_timezone(&chrono_tz::Europe::London).date_naive() == uncovered;
            if !left_open {
                shifts.push(OnCallShift {
                    id: g.id(),
                    person: p.person.clone(),
                    phone: p.phone.clone(),
                    tier: p.tier,
                    starts_at,
                    ends_at,
                    pattern_id: Some(p.id),
                    note: String::new(),
                });
            }
        }
    }
    (patterns, shifts)
}
