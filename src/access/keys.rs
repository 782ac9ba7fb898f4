//! The keys that encrypt the database (SQLCipher), never stored in clear.
//!
//! A random *database key* encrypts the file. It is sealed (XChaCha20-
//! Poly1305) with a random *master key*, and the master key is sealed once
//! per user with a key derived from their password (Argon2id), and once with
//! the agency's recovery key. All of that lives in the key file beside the
//! database (`caredesk.db.keys`), which holds nothing readable without a
//! password or the recovery key. Signing in unseals the master key, then the
//! database key. Rotating makes a new database key; older ones stay sealed
//! in the file so older backups still open. The key file also counts wrong
//! passwords per user on this device, since a wrong password cannot open the
//! database to count them there.

use super::password::derive_key;
use crate::error::{Error, Result};
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use chrono::{DateTime, Utc};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use zeroize::Zeroizing;

/// 32 secret bytes, wiped from memory when dropped.
#[derive(Clone)]
pub struct SecretKey(Zeroizing<[u8; 32]>);

impl SecretKey {
    pub(crate) fn random() -> Self {
        let mut bytes = Zeroizing::new([0u8; 32]);
        rand::rng().fill_bytes(bytes.as_mut());
        Self(bytes)
    }

    /// SQLCipher's raw-key form, `x'…'`, used as given (no key derivation).
    pub(crate) fn sql_key(&self) -> Zeroizing<String> {
        let hex: String = self.0.iter().map(|b| format!("{b:02X}")).collect();
        Zeroizing::new(format!("x'{hex}'"))
    }
}

impl std::fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretKey(hidden)")
    }
}

/// Bytes sealed with a key; `salt` is there when the key came from a
/// password or the recovery key.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Sealed {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    salt: String,
    nonce: String,
    data: String,
}

fn seal(key: &[u8; 32], plain: &[u8; 32], context: &str, salt: Vec<u8>) -> Sealed {
    let mut nonce = [0u8; 24];
    rand::rng().fill_bytes(&mut nonce);
    let cipher = XChaCha20Poly1305::new(key.into());
    let data = cipher
        .encrypt(XNonce::from_slice(&nonce), Payload { msg: plain, aad: context.as_bytes() })
        .expect("sealing 32 bytes cannot fail");
    Sealed { salt: B64.encode(salt), nonce: B64.encode(nonce), data: B64.encode(data) }
}

fn open(key: &[u8; 32], sealed: &Sealed, context: &str) -> Option<SecretKey> {
    let nonce = B64.decode(&sealed.nonce).ok().filter(|n| n.len() == 24)?;
    let data = B64.decode(&sealed.data).ok()?;
    let cipher = XChaCha20Poly1305::new(key.into());
    let plain = Zeroizing::new(
        cipher.decrypt(XNonce::from_slice(&nonce), Payload { msg: &data, aad: context.as_bytes() }).ok()?,
    );
    let bytes: [u8; 32] = plain.as_slice().try_into().ok()?;
    Some(SecretKey(Zeroizing::new(bytes)))
}

fn seal_with_secret(secret: &str, master: &SecretKey, context: &str) -> Sealed {
    let mut salt = vec![0u8; 16];
    rand::rng().fill_bytes(&mut salt);
    let kek = derive_key(secret, &salt);
    seal(&kek, &master.0, context, salt)
}

fn open_with_secret(secret: &str, sealed: &Sealed, context: &str) -> Option<SecretKey> {
    let salt = B64.decode(&sealed.salt).ok().filter(|s| s.len() >= 8)?;
    open(&derive_key(secret, &salt), sealed, context)
}

fn user_context(user_name: &str) -> String {
    format!("caredesk master key for user {user_name}")
}
const RECOVERY_CONTEXT: &str = "caredesk master key for the recovery key";
const DATABASE_CONTEXT: &str = "caredesk database key";

/// Wrong passwords in a row for one user on this device.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Failures {
    pub count: u32,
    pub last: Option<DateTime<Utc>>,
}

/// The key file's contents.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct KeyFile {
    version: u32,
    users: BTreeMap<String, Sealed>,
    recovery: Option<Sealed>,
    /// Current first; older ones open backups made before a rotation.
    database_keys: Vec<Sealed>,
    #[serde(default)]
    failures: BTreeMap<String, Failures>,
}

/// The keys in memory while someone is signed in.
#[derive(Debug, Clone)]
pub struct Unlocked {
    pub(crate) master: SecretKey,
    /// Current first.
    pub(crate) database_keys: Vec<SecretKey>,
}

impl Unlocked {
    pub(crate) fn current(&self) -> &SecretKey {
        &self.database_keys[0]
    }
}

/// The recovery key as shown to a person: 32 letters and digits in groups
/// of four, without the ones easily misread (0/O, 1/I/L).
fn new_recovery_key() -> String {
    const ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
    let mut rng = rand::rng();
    let chars: Vec<char> = (0..32).map(|_| ALPHABET[(rng.next_u32() as usize) % ALPHABET.len()] as char).collect();
    chars.chunks(4).map(|c| c.iter().collect::<String>()).collect::<Vec<_>>().join("-")
}

/// How a typed recovery key is compared: upper case, no spaces or dashes.
fn normalise_recovery(typed: &str) -> String {
    typed.chars().filter(|c| c.is_ascii_alphanumeric()).map(|c| c.to_ascii_uppercase()).collect()
}

impl KeyFile {
    /// `caredesk.db` → `caredesk.db.keys`.
    pub fn path_for(db_path: &Path) -> PathBuf {
        let mut name = db_path.file_name().unwrap_or_default().to_os_string();
        name.push(".keys");
        db_path.with_file_name(name)
    }

    pub fn read(path: &Path) -> Result<Option<Self>> {
        match std::fs::read(path) {
            Ok(bytes) => serde_json::from_slice(&bytes)
                .map(Some)
                .map_err(|e| Error::Conflict(format!("The key file {} cannot be read: {e}", path.display()))),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    /// Writes the whole file under a temporary name, flushes it to disk and
    /// renames it into place, so a crash leaves the old file or the new one.
    pub fn write(&self, path: &Path) -> Result<()> {
        let temporary = path.with_extension("keys.partial");
        {
            use std::io::Write;
            let mut file = std::fs::File::create(&temporary)?;
            file.write_all(&serde_json::to_vec_pretty(self).expect("the key file serialises"))?;
            file.sync_all()?;
        }
        std::fs::rename(&temporary, path)?;
        Ok(())
    }

    /// A new set of keys for a new agency: the first user's entry and the
    /// recovery key, which is returned to be shown once.
    pub fn create(user_name: &str, password: &str) -> (Self, Unlocked, String) {
        let unlocked = Unlocked { master: SecretKey::random(), database_keys: vec![SecretKey::random()] };
        let recovery = new_recovery_key();
        let mut file = KeyFile {
            version: 1,
            recovery: Some(seal_with_secret(&normalise_recovery(&recovery), &unlocked.master, RECOVERY_CONTEXT)),
            database_keys: vec![seal(&unlocked.master.0, &unlocked.current().0, DATABASE_CONTEXT, vec![])],
            ..KeyFile::default()
        };
        file.grant(&unlocked, user_name, password);
        (file, unlocked, recovery)
    }

    fn unseal_database_keys(&self, master: SecretKey) -> Option<Unlocked> {
        let database_keys: Option<Vec<SecretKey>> =
            self.database_keys.iter().map(|s| open(&master.0, s, DATABASE_CONTEXT)).collect();
        Some(Unlocked { master, database_keys: database_keys.filter(|k| !k.is_empty())? })
    }

    /// The keys, if `password` is `user_name`'s.
    pub fn unlock(&self, user_name: &str, password: &str) -> Option<Unlocked> {
        let master = open_with_secret(password, self.users.get(user_name)?, &user_context(user_name))?;
        self.unseal_database_keys(master)
    }

    /// The keys, from the agency's recovery key.
    pub fn unlock_with_recovery(&self, recovery: &str) -> Option<Unlocked> {
        let master = open_with_secret(&normalise_recovery(recovery), self.recovery.as_ref()?, RECOVERY_CONTEXT)?;
        self.unseal_database_keys(master)
    }

    /// Lets `user_name` unlock with `password` (a new user, a new password).
    pub fn grant(&mut self, unlocked: &Unlocked, user_name: &str, password: &str) {
        self.users
            .insert(user_name.to_string(), seal_with_secret(password, &unlocked.master, &user_context(user_name)));
    }

    pub fn has_user(&self, user_name: &str) -> bool {
        self.users.contains_key(user_name)
    }

    pub fn revoke(&mut self, user_name: &str) {
        self.users.remove(user_name);
        self.failures.remove(user_name);
    }

    /// A new current database key; the caller re-encrypts the file with it.
    pub fn rotate(&mut self, unlocked: &mut Unlocked) -> SecretKey {
        let new = SecretKey::random();
        self.database_keys.insert(0, seal(&unlocked.master.0, &new.0, DATABASE_CONTEXT, vec![]));
        unlocked.database_keys.insert(0, new.clone());
        new
    }

    pub fn failures(&self, user_name: &str) -> Failures {
        self.failures.get(user_name).cloned().unwrap_or_default()
    }

    pub fn set_failures(&mut self, user_name: &str, failures: Failures) {
        if failures.count == 0 {
            self.failures.remove(user_name);
        } else {
            self.failures.insert(user_name.to_string(), failures);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_user_unlocks_with_their_password_only_and_the_recovery_key_unlocks_too() {
        let (file, unlocked, recovery) = KeyFile::create("sam", "kettle on at seven");
        let by_password = file.unlock("sam", "kettle on at seven").expect("the right password unlocks");
        assert_eq!(by_password.current().sql_key(), unlocked.current().sql_key());
        assert!(file.unlock("sam", "kettle on at eight").is_none());
        assert!(file.unlock("jo", "kettle on at seven").is_none(), "another name cannot use sam's entry");
        let typed = recovery.to_lowercase().replace('-', " ");
        let by_recovery = file.unlock_with_recovery(&typed).expect("the recovery key unlocks, typed loosely");
        assert_eq!(by_recovery.current().sql_key(), unlocked.current().sql_key());
        assert_eq!(recovery.len(), 39, "8 groups of 4 with dashes: {recovery}");
    }

    #[test]
    fn the_key_file_holds_no_key_in_clear() {
        let (file, unlocked, recovery) = KeyFile::create("sam", "kettle on at seven");
        let text = serde_json::to_string(&file).unwrap();
        let hex = unlocked.current().sql_key();
        assert!(!text.contains(&hex[2..66]), "the database key is not in the file");
        assert!(!text.contains(&recovery) && !text.contains("kettle"), "nor the recovery key or a password");
    }

    #[test]
    fn a_rotation_keeps_the_old_key_for_old_backups() {
        let (mut file, mut unlocked, _) = KeyFile::create("sam", "kettle on at seven");
        let old = unlocked.current().sql_key();
        let new = file.rotate(&mut unlocked).sql_key();
        assert_ne!(old, new);
        let again = file.unlock("sam", "kettle on at seven").unwrap();
        let keys: Vec<_> = again.database_keys.iter().map(|k| k.sql_key()).collect();
        assert_eq!(keys, vec![new, old], "current first, the old one kept");
    }
}
