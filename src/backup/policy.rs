//! Which backups to make and which to keep. Pure: given the files there are
//! and the time, it answers; the caller does the disk work.
//!
//! Kept: every backup of the last 24 hours (one an hour while the app runs),
//! then the newest of each day for 31 days. Safety copies made before a
//! restore are kept 31 days whatever else happens.

use chrono::{DateTime, Duration, NaiveDateTime, Utc};
use serde::Serialize;
use ts_rs::TS;

pub const EVERY: Duration = Duration::hours(1);
const ALL_FOR: Duration = Duration::hours(24);
const DAILY_FOR: Duration = Duration::days(31);

const PREFIX: &str = "caredesk-";
const SAFETY_SUFFIX: &str = "-before-restore";
const STAMP: &str = "%Y%m%dT%H%M%SZ";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
#[serde(rename_all = "snake_case")]
pub enum BackupKind {
    /// Made on the hour while the app runs, or by "Back up now".
    Regular,
    /// The data as it was just before a restore replaced it.
    SafetyCopy,
}

/// A backup file, known from its name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupName {
    pub taken_at: DateTime<Utc>,
    pub kind: BackupKind,
}

impl BackupName {
    /// `caredesk-20261201T141900Z.db`, or `…-before-restore.db`.
    pub fn file_name(&self) -> String {
        let suffix = if self.kind == BackupKind::SafetyCopy { SAFETY_SUFFIX } else { "" };
        format!("{PREFIX}{}{suffix}.db", self.taken_at.format(STAMP))
    }

    /// The backup a file name stands for; anything else (a partial copy, a
    /// name typed by hand, a path) is not a backup.
    pub fn parse(file_name: &str) -> Option<Self> {
        let rest = file_name.strip_prefix(PREFIX)?.strip_suffix(".db")?;
        let (stamp, kind) = match rest.strip_suffix(SAFETY_SUFFIX) {
            Some(stamp) => (stamp, BackupKind::SafetyCopy),
            None => (rest, BackupKind::Regular),
        };
        let taken_at = NaiveDateTime::parse_from_str(stamp, STAMP).ok()?.and_utc();
        let name = Self { taken_at, kind };
        (name.file_name() == file_name).then_some(name)
    }
}

/// Whether a regular backup is due: none in the last hour.
pub fn due(existing: &[BackupName], now: DateTime<Utc>) -> bool {
    !existing.iter().any(|b| b.kind == BackupKind::Regular && now - b.taken_at < EVERY && b.taken_at <= now)
}

/// The backups to delete at `now`.
pub fn to_delete(existing: &[BackupName], now: DateTime<Utc>) -> Vec<BackupName> {
    let mut newest_of_day: std::collections::HashMap<chrono::NaiveDate, DateTime<Utc>> = Default::default();
    for b in existing.iter().filter(|b| b.kind == BackupKind::Regular) {
        let day = newest_of_day.entry(b.taken_at.date_naive()).or_insert(b.taken_at);
        *day = (*day).max(b.taken_at);
    }
    existing
        .iter()
        .filter(|b| {
            let age = now - b.taken_at;
            match b.kind {
                BackupKind::SafetyCopy => age > DAILY_FOR,
                BackupKind::Regular if age <= ALL_FOR => false,
                BackupKind::Regular => age > DAILY_FOR || newest_of_day[&b.taken_at.date_naive()] != b.taken_at,
            }
        })
        .cloned()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(day: u32, hour: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, day, hour, 0, 0).unwrap()
    }

    fn regular(taken_at: DateTime<Utc>) -> BackupName {
        BackupName { taken_at, kind: BackupKind::Regular }
    }

    #[test]
    fn names_read_back_and_nothing_else_counts_as_a_backup() {
        let safety = BackupName { taken_at: at(3, 14), kind: BackupKind::SafetyCopy };
        assert_eq!(safety.file_name(), "caredesk-20261103T140000Z-before-restore.db");
        assert_eq!(BackupName::parse(&safety.file_name()), Some(safety));
        for not_a_backup in
            ["caredesk-20261103T140000Z.partial", "../caredesk-20261103T140000Z.db", "caredesk.db", "caredesk-2026.db"]
        {
            assert_eq!(BackupName::parse(not_a_backup), None, "{not_a_backup}");
        }
    }

    #[test]
    fn a_backup_is_due_when_none_was_made_in_the_last_hour() {
        assert!(due(&[], at(3, 14)));
        assert!(!due(&[regular(at(3, 13) + Duration::minutes(30))], at(3, 14)));
        assert!(due(&[regular(at(3, 13))], at(3, 14)));
        let safety = BackupName { taken_at: at(3, 14), kind: BackupKind::SafetyCopy };
        assert!(due(&[safety], at(3, 14)), "a safety copy does not stand in for the hourly backup");
    }

    #[test]
    fn hourly_for_a_day_then_the_last_of_each_day_for_a_month() {
        let now = at(30, 12);
        let mut existing: Vec<BackupName> = (0..48).map(|h| regular(now - Duration::hours(h))).collect();
        existing.push(regular(at(10, 9)));
        existing.push(regular(at(10, 17)));
        existing.push(regular(at(1, 8) - Duration::days(10))); // more than a month old
        let gone = to_delete(&existing, now);
        let kept: Vec<_> = existing.iter().filter(|b| !gone.contains(b)).map(|b| b.taken_at).collect();
        assert_eq!(kept.iter().filter(|t| now - **t <= ALL_FOR).count(), 25, "every backup of the last 24 hours");
        assert!(kept.contains(&at(10, 17)) && !kept.contains(&at(10, 9)), "the last of 10 November only");
        assert!(kept.contains(&at(28, 23)) && !kept.contains(&at(28, 22)), "the last of the 28th stays");
        assert!(!kept.contains(&at(29, 0)), "the 29th's last (23:00) is within the day, so its 00:00 goes");
        assert!(!kept.iter().any(|t| now - *t > DAILY_FOR), "nothing older than 31 days");
    }

    #[test]
    fn a_safety_copy_is_kept_for_a_month_even_among_hourly_backups() {
        let now = at(30, 12);
        let safety = BackupName { taken_at: now - Duration::days(5), kind: BackupKind::SafetyCopy };
        let later_same_day = regular(now - Duration::days(5) + Duration::hours(1));
        assert!(to_delete(&[safety.clone(), later_same_day], now).is_empty());
        let old = BackupName { taken_at: now - Duration::days(32), kind: BackupKind::SafetyCopy };
        assert_eq!(to_delete(std::slice::from_ref(&old), now), vec![old]);
    }
}
