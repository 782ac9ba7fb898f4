//! Tauri commands for signing in and out, the idle lock, users and the
//! idle-lock setting. Signing in and asking the lock state run without a
//! session; the rest pass the core's session and role checks.

use crate::state::Db;
use caredesk::access::{self as a, Session, SignInState, UserInput, UserRow};
use caredesk::app::FirstStart;
use caredesk::ErrorPayload;
use tauri::State;
use uuid::Uuid;

type Reply<T> = Result<T, ErrorPayload>;

/// Who is signed in; locks first if the session has been idle too long.
/// Asked on a timer, so it does not count as activity.
#[tauri::command]
pub async fn sign_in_state(db: State<'_, Db>) -> Reply<SignInState> {
    db.run_open(|agency| {
        agency.lock_if_idle();
        agency.state()
    })
    .await
}

#[tauri::command]
pub async fn create_first_user(db: State<'_, Db>, input: UserInput) -> Reply<FirstStart> {
    db.run_open(move |agency| agency.create_first_user(&input)).await
}

#[tauri::command]
pub async fn sign_in(db: State<'_, Db>, user_name: String, password: String) -> Reply<Session> {
    db.run_open(move |agency| agency.sign_in(&user_name, &password)).await
}

#[tauri::command]
pub async fn recover_with_key(db: State<'_, Db>, recovery_key: String, input: UserInput) -> Reply<Session> {
    db.run_open(move |agency| agency.recover(&recovery_key, &input)).await
}

#[tauri::command]
pub async fn sign_out(db: State<'_, Db>) -> Reply<()> {
    db.run_open(|agency| {
        agency.lock();
        Ok(())
    })
    .await
}

#[tauri::command]
pub async fn rotate_key(db: State<'_, Db>) -> Reply<()> {
    db.run(a::vault::rotate_key).await
}

/// The person is still at the keyboard (typing in a form sends no command).
#[tauri::command]
pub async fn still_here(db: State<'_, Db>) -> Reply<()> {
    db.run(|_| Ok(())).await
}

#[tauri::command]
pub async fn list_users(db: State<'_, Db>) -> Reply<Vec<UserRow>> {
    db.run(|s| a::list_users(s)).await
}

#[tauri::command]
pub async fn user_form(db: State<'_, Db>, id: Uuid) -> Reply<UserInput> {
    db.run(move |s| a::user_form(s, id)).await
}

#[tauri::command]
pub async fn save_user(db: State<'_, Db>, input: UserInput) -> Reply<Uuid> {
    db.run(move |s| a::save_user(s, &input)).await
}

#[tauri::command]
pub async fn change_own_password(
    db: State<'_, Db>,
    current: String,
    password: String,
    password_again: String,
) -> Reply<()> {
    db.run(move |s| a::change_own_password(s, &current, &password, &password_again)).await
}

#[tauri::command]
pub async fn idle_lock_minutes(db: State<'_, Db>) -> Reply<u32> {
    db.run(|s| a::idle_lock_minutes(s.read())).await
}

#[tauri::command]
pub async fn save_idle_lock_minutes(db: State<'_, Db>, minutes: u32) -> Reply<()> {
    db.run(move |s| a::save_idle_lock_minutes(s, minutes)).await
}
