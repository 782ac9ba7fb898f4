//! Users, roles and sign-in. The core refuses what a role may not do: every
//! write names its [`Operation`] and the store checks it against the
//! signed-in user's [`Role`] (the table is in `docs/roles.md`). The app
//! locks itself after a time without use; passwords are Argon2id hashes.

pub mod keys;
mod password;
mod roles;
mod session;
mod users;
pub mod vault;

pub use password::{wait_after, MIN_LENGTH};
pub use roles::{allowed_operations, allows, Operation, Role};
pub use session::{Access, Session};
pub use users::{
    change_own_password, create_first_user, idle_lock_minutes, list_users, save_idle_lock_minutes, save_user, sign_in,
    sign_out, user_form, SignInState, UserInput, UserRow, DEFAULT_IDLE_LOCK_MINUTES,
};
