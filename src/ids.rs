//! Record identifiers: UUID v7, so ids sort by creation time and can be
//! made on any machine without coordination (a requirement for sync).

use uuid::Uuid;

/// A map keyed by record id, with a fast hash: the rules and the board look
/// a week's carers, clients and visits up by id many thousands of times, and
/// the keys are our own ids, not input an attacker could choose to collide.
pub type IdMap<V> = std::collections::HashMap<Uuid, V, rustc_hash::FxBuildHasher>;

pub fn new_id() -> Uuid {
    Uuid::now_v7()
}

/// A v7 id built from a given time and random bytes, for generators that
/// must be reproducible from a seed (the demo agency).
pub fn id_from_parts(unix_millis: u64, random: [u8; 10]) -> Uuid {
    uuid::Builder::from_unix_timestamp_millis(unix_millis, &random).into_uuid()
}
