//! Passwords: Argon2id hashing at OWASP's minimum cost, what counts as
//! acceptable, and how long a user waits after wrong tries. Pure apart from
//! the random salt.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use chrono::Duration;
use rand::RngCore;
use std::collections::HashSet;
use std::sync::LazyLock;

/// OWASP's minimum for Argon2id: 19 MiB of memory, 2 passes, 1 lane.
const MEMORY_KIB: u32 = 19 * 1024;
const PASSES: u32 = 2;
const LANES: u32 = 1;

pub const MIN_LENGTH: usize = 8;

/// Wrong passwords allowed in a row before the waits begin.
pub const FREE_TRIES: u32 = 3;

static COMMON: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    include_str!("common_passwords.txt").lines().filter(|l| !l.starts_with('#') && !l.is_empty()).collect()
});

fn argon2() -> Argon2<'static> {
    let params = Params::new(MEMORY_KIB, PASSES, LANES, None).expect("fixed Argon2 parameters are valid");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// A 32-byte key derived from `secret` and `salt` at the same Argon2id cost,
/// for sealing the agency's keys (never stored).
pub fn derive_key(secret: &str, salt: &[u8]) -> zeroize::Zeroizing<[u8; 32]> {
    let mut key = zeroize::Zeroizing::new([0u8; 32]);
    argon2()
        .hash_password_into(secret.as_bytes(), salt, key.as_mut())
        .expect("a 16-byte salt and 32-byte key are valid");
    key
}

/// The PHC string to store for `password`, with a fresh random salt.
pub fn hash(password: &str) -> String {
    let mut salt = [0u8; 16];
    rand::rng().fill_bytes(&mut salt);
    let salt = SaltString::encode_b64(&salt).expect("16 bytes make a valid salt");
    argon2().hash_password(password.as_bytes(), &salt).expect("Argon2 accepts any password").to_string()
}

/// Whether `password` matches the stored PHC string. A stored value that
/// does not parse never matches.
pub fn verify(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored).is_ok_and(|parsed| argon2().verify_password(password.as_bytes(), &parsed).is_ok())
}

/// Spends the time of one verification, so a wrong user name takes as long
/// as a wrong password and does not tell which names exist.
pub fn verify_nothing(password: &str) {
    static DUMMY: LazyLock<String> = LazyLock::new(|| hash("not anybody's password"));
    let _ = verify(password, &DUMMY);
}

/// Why `password` is not acceptable for `user_name`, if it is not.
pub fn weakness(password: &str, user_name: &str) -> Option<String> {
    let lower = password.to_lowercase();
    if password.chars().count() < MIN_LENGTH {
        Some(format!("Use at least {MIN_LENGTH} characters"))
    } else if COMMON.contains(lower.as_str()) {
        Some("This password is on the list of the most common ones; choose another".into())
    } else if !user_name.is_empty() && lower.contains(&user_name.to_lowercase()) {
        Some("The password must not contain the user name".into())
    } else {
        None
    }
}

/// How long to wait after `failures` wrong passwords in a row: nothing for
/// the first three, then 5 s doubling each time, at most 15 minutes.
pub fn wait_after(failures: u32) -> Duration {
    if failures < FREE_TRIES {
        return Duration::zero();
    }
    let doublings = (failures - FREE_TRIES).min(10);
    Duration::seconds(5 * (1i64 << doublings)).min(Duration::minutes(15))
}

/// The refusal for a try made at `now`, inside the wait that `failures`
/// wrong passwords (the last at `last`) impose; `None` when it may go ahead.
pub fn still_waiting(
    user_name: &str,
    failures: u32,
    last: Option<chrono::DateTime<chrono::Utc>>,
    now: chrono::DateTime<chrono::Utc>,
) -> Option<String> {
    let wait_until = last? + wait_after(failures);
    (now < wait_until).then(|| {
        let seconds = (wait_until - now).num_seconds().max(1);
        format!("Too many wrong passwords for {user_name}: try again in {seconds} seconds")
    })
}

/// What a person is told after a wrong password that made `failures` in a row.
pub fn wrong_message(failures: u32) -> String {
    match wait_after(failures).num_seconds() {
        0 => "The user name or password is wrong".into(),
        seconds => format!("The user name or password is wrong. Wait {seconds} seconds before trying again"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_matches_its_hash_and_nothing_else() {
        let stored = hash("correct horse battery");
        assert!(stored.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "stored as Argon2id at OWASP cost: {stored}");
        assert!(verify("correct horse battery", &stored));
        assert!(!verify("correct horse batterY", &stored));
        assert!(!verify("correct horse battery", "not a hash"));
        assert_ne!(hash("same"), hash("same"), "each hash has its own salt");
    }

    #[test]
    fn short_common_or_name_containing_passwords_are_refused_with_the_reason() {
        assert_eq!(weakness("short1", "jo").as_deref(), Some("Use at least 8 characters"));
        assert!(weakness("Password1", "jo").unwrap().contains("most common"));
        assert!(weakness("LIVERPOOL", "jo").unwrap().contains("most common"), "compared without case");
        assert!(weakness("amyparry-2026", "amyparry").unwrap().contains("user name"));
        assert_eq!(weakness("tea at the Red Lion", "jo"), None);
    }

    #[test]
    fn waits_grow_after_three_wrong_passwords_and_stop_at_fifteen_minutes() {
        let waits: Vec<i64> = (0..8).map(|n| wait_after(n).num_seconds()).collect();
        assert_eq!(waits, vec![0, 0, 0, 5, 10, 20, 40, 80]);
        assert_eq!(wait_after(30), Duration::minutes(15));
    }
}
