//! User accounts in the store: the first registered manager on a first
//! start, signing in and out (with growing waits after wrong passwords),
//! the users page, changing one's own password, and the idle-lock setting.

use super::password;
use super::roles::{Operation, Role};
use super::session::{Access, Session};
use crate::error::{Error, FieldErrors, Result};
use crate::record_fields;
use crate::store::{row_enum, row_opt_instant, row_uuid, Record, Store};
use chrono::{DateTime, Utc};
use regex::Regex;
use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};
use std::sync::LazyLock;
use ts_rs::TS;
use uuid::Uuid;

pub const DEFAULT_IDLE_LOCK_MINUTES: u32 = 15;

/// The one row of `security_settings`.
const SETTINGS_ID: Uuid = Uuid::from_u128(0x5ec0_0000_0000_4000_8000_0000_0000_0001);

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct User {
    pub id: Uuid,
    pub user_name: String,
    pub full_name: String,
    pub role: Role,
    pub password_hash: String,
    pub active: bool,
    pub failed_sign_ins: u32,
    pub last_failed_at: Option<DateTime<Utc>>,
}

impl Record for User {
    const ENTITY: &'static str = "users";
    const SECRET: &'static [&'static str] = &["password_hash"];
    fn id(&self) -> Uuid {
        self.id
    }
    fn fields(&self) -> Vec<(&'static str, Value)> {
        record_fields!(self; user_name, full_name, role, password_hash, active, failed_sign_ins, last_failed_at)
    }
}

impl User {
    fn from_row(row: &Row) -> rusqlite::Result<Self> {
        Ok(Self {
            id: row_uuid(row, "id")?,
            user_name: row.get("user_name")?,
            full_name: row.get("full_name")?,
            role: row_enum(row, "role", Role::parse)?,
            password_hash: row.get("password_hash")?,
            active: row.get("active")?,
            failed_sign_ins: row.get("failed_sign_ins")?,
            last_failed_at: row_opt_instant(row, "last_failed_at")?,
        })
    }
}

struct SecuritySettings {
    idle_lock_minutes: u32,
}

impl Record for SecuritySettings {
    const ENTITY: &'static str = "security_settings";
    fn id(&self) -> Uuid {
        SETTINGS_ID
    }
    fn fields(&self) -> Vec<(&'static str, Value)> {
        record_fields!(self; idle_lock_minutes)
    }
}

/// What the sign-in screen needs: whether to ask for the first user, who is
/// signed in (and what they may do), or who was before the app locked.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct SignInState {
    pub first_start: bool,
    pub session: Option<Session>,
    pub allowed: Vec<Operation>,
    pub last_user: Option<String>,
}

/// A new user, or changes to one, as typed on the form. Passwords are
/// typed twice; an existing user's password stays when both are empty.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(default)]
pub struct UserInput {
    pub id: Option<Uuid>,
    pub user_name: String,
    pub full_name: String,
    pub role: Option<Role>,
    pub active: bool,
    pub password: String,
    pub password_again: String,
}

/// A user as the users page lists them; never the password hash.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct UserRow {
    pub id: Uuid,
    pub user_name: String,
    pub full_name: String,
    pub role: Role,
    pub active: bool,
    /// Wrong passwords in a row since the last good sign-in.
    pub failed_sign_ins: u32,
}

static USER_NAME: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^[a-z0-9][a-z0-9._-]{1,39}$").unwrap());

fn any_user(conn: &Connection) -> Result<bool> {
    Ok(conn.query_row("SELECT EXISTS (SELECT 1 FROM users WHERE deleted_at IS NULL)", [], |r| r.get(0))?)
}

fn user_by_name(conn: &Connection, user_name: &str) -> Result<Option<User>> {
    Ok(conn
        .prepare_cached("SELECT * FROM users WHERE user_name = ?1 AND deleted_at IS NULL")?
        .query_row([user_name], User::from_row)
        .optional()?)
}

fn user_by_id(conn: &Connection, id: Uuid) -> Result<User> {
    crate::store::find_live(conn, "users", id, "User", User::from_row)
}

/// The minutes of inactivity after which the app locks.
pub fn idle_lock_minutes(conn: &Connection) -> Result<u32> {
    let stored: Option<u32> = conn
        .query_row(
            "SELECT idle_lock_minutes FROM security_settings WHERE id = ?1 AND deleted_at IS NULL",
            [SETTINGS_ID.to_string()],
            |r| r.get(0),
        )
        .optional()?;
    Ok(stored.unwrap_or(DEFAULT_IDLE_LOCK_MINUTES))
}

/// Checks a form; the user it describes (hash made only when a password
/// was typed) or every problem at once.
fn user_from_input(conn: &Connection, input: &UserInput, before: Option<&User>) -> Result<User> {
    let user_name = input.user_name.trim().to_lowercase();
    let taken = user_by_name(conn, &user_name)?.is_some_and(|other| Some(other.id) != before.map(|b| b.id));
    checked_user(input, before, taken)
}

/// Checks the form for the first user before anything is made on disk.
pub(crate) fn check_first_user(input: &UserInput) -> Result<()> {
    let input = UserInput { role: Some(Role::RegisteredManager), id: None, ..input.clone() };
    checked_user(&input, None, false).map(|_| ())
}

fn checked_user(input: &UserInput, before: Option<&User>, name_taken: bool) -> Result<User> {
    let mut e = FieldErrors::new();
    let user_name = input.user_name.trim().to_lowercase();
    if !USER_NAME.is_match(&user_name) {
        e.add("user_name", "Use 2 to 40 letters, digits, dots, dashes or underscores, starting with a letter or digit");
    } else if name_taken {
        e.add("user_name", format!("There is already a user called {user_name}"));
    }
    let full_name = input.full_name.trim().to_string();
    if full_name.is_empty() {
        e.add("full_name", "Enter the person's name, as it should appear in the history");
    }
    if input.role.is_none() {
        e.add("role", "Choose a role");
    }
    let keep_password = before.is_some() && input.password.is_empty() && input.password_again.is_empty();
    // The key file seals the keys under the user name with the password, so
    // a new name, or switching an account back on, needs a password typed.
    let renamed = before.is_some_and(|b| b.user_name != user_name);
    let switched_on = before.is_some_and(|b| !b.active) && input.active;
    if keep_password && (renamed || switched_on) {
        e.add("password", "Set a new password when changing the user name or switching the account back on");
    }
    if !keep_password {
        if let Some(reason) = password::weakness(&input.password, &user_name) {
            e.add("password", reason);
        } else if input.password != input.password_again {
            e.add("password_again", "The two passwords are not the same");
        }
    }
    e.finish(())?;
    Ok(User {
        id: before.map_or_else(crate::ids::new_id, |b| b.id),
        user_name,
        full_name,
        role: input.role.unwrap_or(Role::ReadOnly),
        password_hash: match before {
            Some(b) if keep_password => b.password_hash.clone(),
            _ => password::hash(&input.password),
        },
        active: before.is_none() || input.active,
        // A new password set by a manager clears the wait for the user.
        failed_sign_ins: if keep_password { before.map_or(0, |b| b.failed_sign_ins) } else { 0 },
        last_failed_at: if keep_password { before.and_then(|b| b.last_failed_at) } else { None },
    })
}

fn start_session(store: &mut Store, user: &User) -> Result<Session> {
    let session = Session {
        user_id: user.id,
        user_name: user.user_name.clone(),
        full_name: user.full_name.clone(),
        role: user.role,
        idle_lock_minutes: idle_lock_minutes(store.read())?,
        last_active: store.now(),
    };
    store.set_access(Access::SignedIn(session.clone()));
    Ok(session)
}

/// On a first start (no users at all), makes the first registered manager
/// and signs them in. Refused once any user exists.
pub fn create_first_user(store: &mut Store, input: &UserInput) -> Result<Session> {
    if any_user(store.read())? {
        return Err(Error::Conflict("There are users already: sign in, or ask the registered manager".into()));
    }
    let input = UserInput { role: Some(Role::RegisteredManager), id: None, ..input.clone() };
    let user = user_from_input(store.read(), &input, None)?;
    let actor = format!("{} ({})", user.full_name, user.user_name);
    store.write_as(&actor, |changes| changes.insert(&user))?;
    start_session(store, &user)
}

fn wrong_password() -> Error {
    Error::SignInRefused(password::wrong_message(0))
}

/// Signs in. After three wrong passwords in a row each try must wait
/// (5 s, doubling, at most 15 minutes); a try inside the wait is refused
/// without looking at the password. A wrong user name costs the same time
/// as a wrong password and gets the same answer.
pub fn sign_in(store: &mut Store, user_name: &str, password: &str) -> Result<Session> {
    let user_name = user_name.trim().to_lowercase();
    let now = store.now();
    let Some(user) = user_by_name(store.read(), &user_name)? else {
        password::verify_nothing(password);
        return Err(wrong_password());
    };
    if let Some(refusal) = password::still_waiting(&user_name, user.failed_sign_ins, user.last_failed_at, now) {
        return Err(Error::SignInRefused(refusal));
    }
    if !password::verify(password, &user.password_hash) {
        let after = User { failed_sign_ins: user.failed_sign_ins + 1, last_failed_at: Some(now), ..user.clone() };
        store.write_as(&format!("wrong password for {user_name}"), |changes| changes.update(&user, &after))?;
        return Err(Error::SignInRefused(password::wrong_message(after.failed_sign_ins)));
    }
    if !user.active {
        return Err(Error::SignInRefused(format!(
            "The account {user_name} is switched off: ask your registered manager"
        )));
    }
    if user.failed_sign_ins > 0 {
        let after = User { failed_sign_ins: 0, last_failed_at: None, ..user.clone() };
        let actor = format!("{} ({})", user.full_name, user.user_name);
        store.write_as(&actor, |changes| changes.update(&user, &after))?;
    }
    start_session(store, &user)
}

/// Signs out: the store refuses everything until the next sign-in.
pub fn sign_out(store: &mut Store) {
    store.lock();
}

/// Every user, for the registered manager's users page.
pub fn list_users(store: &Store) -> Result<Vec<UserRow>> {
    if !store.access().may(Operation::ManageUsers) {
        return Err(Error::PermissionDenied(Operation::ManageUsers.label().into()));
    }
    let mut stmt = store.read().prepare("SELECT * FROM users WHERE deleted_at IS NULL ORDER BY full_name")?;
    let users = stmt.query_map([], User::from_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(users
        .into_iter()
        .map(|u| UserRow {
            id: u.id,
            user_name: u.user_name,
            full_name: u.full_name,
            role: u.role,
            active: u.active,
            failed_sign_ins: u.failed_sign_ins,
        })
        .collect())
}

/// The form for a user (empty passwords: they are never read back).
pub fn user_form(store: &Store, id: Uuid) -> Result<UserInput> {
    let user = user_by_id(store.read(), id)?;
    Ok(UserInput {
        id: Some(user.id),
        user_name: user.user_name,
        full_name: user.full_name,
        role: Some(user.role),
        active: user.active,
        ..UserInput::default()
    })
}

/// Adds a user or changes one (name, role, switched on or off, a new
/// password). The last active registered manager cannot be demoted or
/// switched off, so the agency is never left without one.
pub fn save_user(store: &mut Store, input: &UserInput) -> Result<Uuid> {
    let before = input.id.map(|id| user_by_id(store.read(), id)).transpose()?;
    let user = user_from_input(store.read(), input, before.as_ref())?;
    if let Some(before) = &before {
        let was_manager = before.active && before.role == Role::RegisteredManager;
        let still_manager = user.active && user.role == Role::RegisteredManager;
        if was_manager && !still_manager && active_managers(store.read())? == 1 {
            return Err(Error::Conflict(format!(
                "{} is the only registered manager: make someone else registered manager first",
                before.full_name
            )));
        }
    }
    let id = user.id;
    let new_password = (!input.password.is_empty()).then_some(input.password.as_str());
    store.permit(Operation::ManageUsers)?;
    // The key file first: an entry for a user not yet saved unlocks nothing.
    let old_name = before.as_ref().map(|b| b.user_name.as_str());
    super::vault::update_key_file(store, old_name, &user.user_name, user.active, new_password)?;
    store.write(Operation::ManageUsers, |changes| match &before {
        Some(before) => changes.update(before, &user).map(|_| ()),
        None => changes.insert(&user),
    })?;
    Ok(id)
}

fn active_managers(conn: &Connection) -> Result<u32> {
    Ok(conn.query_row(
        "SELECT count(*) FROM users WHERE deleted_at IS NULL AND active = 1 AND role = 'registered_manager'",
        [],
        |r| r.get(0),
    )?)
}

/// The signed-in user changes their own password, giving the current one.
pub fn change_own_password(store: &mut Store, current: &str, new: &str, again: &str) -> Result<()> {
    let user_id = store.access().session().map(|s| s.user_id).ok_or(Error::SignInNeeded)?;
    let user = user_by_id(store.read(), user_id)?;
    let mut e = FieldErrors::new();
    if !password::verify(current, &user.password_hash) {
        e.add("current", "This is not your current password");
    }
    if let Some(reason) = password::weakness(new, &user.user_name) {
        e.add("password", reason);
    } else if new != again {
        e.add("password_again", "The two passwords are not the same");
    }
    e.finish(())?;
    let after = User { password_hash: password::hash(new), ..user.clone() };
    store.permit(Operation::ChangeOwnPassword)?;
    super::vault::update_key_file(store, None, &user.user_name, true, Some(new))?;
    store.write(Operation::ChangeOwnPassword, |changes| changes.update(&user, &after).map(|_| ()))
}

/// With the recovery key (see `vault::recover`): a new password for the
/// user named in `input`, recorded as done with the recovery key. Returns
/// the user name.
pub(crate) fn reset_password_with_recovery(store: &mut Store, input: &UserInput) -> Result<String> {
    let user_name = input.user_name.trim().to_lowercase();
    let Some(user) = user_by_name(store.read(), &user_name)? else {
        return Err(Error::Invalid(vec![crate::FieldError {
            field: "user_name".into(),
            message: format!("There is no user called {user_name}"),
        }]));
    };
    let mut e = FieldErrors::new();
    if let Some(reason) = password::weakness(&input.password, &user_name) {
        e.add("password", reason);
    } else if input.password != input.password_again {
        e.add("password_again", "The two passwords are not the same");
    }
    e.finish(())?;
    let after = User {
        password_hash: password::hash(&input.password),
        active: true,
        failed_sign_ins: 0,
        last_failed_at: None,
        ..user.clone()
    };
    store
        .write_as(&format!("recovery key, for {user_name}"), |changes| changes.update(&user, &after).map(|_| ()))
        .map(|_| user_name)
}

/// Sets the minutes of inactivity after which the app locks (1 to 240).
pub fn save_idle_lock_minutes(store: &mut Store, minutes: u32) -> Result<()> {
    if !(1..=240).contains(&minutes) {
        return Err(Error::Invalid(vec![crate::FieldError {
            field: "idle_lock_minutes".into(),
            message: "Choose between 1 and 240 minutes".into(),
        }]));
    }
    let before = idle_lock_minutes(store.read())?;
    let stored = store.read().query_row(
        "SELECT EXISTS (SELECT 1 FROM security_settings WHERE id = ?1)",
        [SETTINGS_ID.to_string()],
        |r| r.get::<_, bool>(0),
    )?;
    store.write(Operation::ChangeSettings, |changes| {
        let after = SecuritySettings { idle_lock_minutes: minutes };
        if stored {
            changes.update(&SecuritySettings { idle_lock_minutes: before }, &after).map(|_| ())
        } else {
            changes.insert(&after)
        }
    })?;
    if let Access::SignedIn(session) = store.access() {
        let session = Session { idle_lock_minutes: minutes, ..session.clone() };
        store.set_access(Access::SignedIn(session));
    }
    Ok(())
}
