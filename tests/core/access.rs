//! Users, roles and sign-in: the role table in docs/roles.md against the
//! core, every operation tried under every role, wrong passwords and their
//! waits, the idle lock, and passwords kept out of the change log.

use crate::support::{self, carer_form};
use caredesk::access::{
    self, allows, change_own_password, create_first_user, save_idle_lock_minutes, save_user, sign_in, sign_out, Access,
    Operation, Role,
};
use caredesk::clock::FixedClock;
use caredesk::oncall::{log_call, CallInput};
use caredesk::people::{save_carer, AbsenceKind};
use caredesk::rota::reallocate::{mark_off, OffInput};
use caredesk::{Error, Store};
use chrono::Duration;
use std::sync::Arc;

use crate::support::{user, PASSWORD};

/// A store whose first user is the registered manager `sam`, with one user
/// of every other role; nobody signed in at the end.
fn agency() -> (Store, Arc<FixedClock>) {
    let (mut store, clock) = support::store();
    create_first_user(&mut store, &user("sam", "Sam Manager", Role::RegisteredManager)).unwrap();
    save_user(&mut store, &user("jo", "Jo Coordinator", Role::Coordinator)).unwrap();
    save_user(&mut store, &user("ola", "Ola Night", Role::OnCallManager)).unwrap();
    save_user(&mut store, &user("rae", "Rae Inspector", Role::ReadOnly)).unwrap();
    sign_out(&mut store);
    (store, clock)
}

fn signed_in_as(store: &mut Store, user_name: &str) {
    sign_in(store, user_name, PASSWORD).unwrap_or_else(|e| panic!("{user_name} signs in: {e}"));
}

/// The rows of the table in docs/roles.md: operation code → yes/no per role.
fn documented_table() -> Vec<(Operation, [bool; 4])> {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/roles.md")).unwrap();
    text.lines()
        .filter(|line| line.starts_with("| ") && line.contains("(`"))
        .map(|line| {
            let cells: Vec<&str> = line.trim_matches('|').split('|').map(str::trim).collect();
            let code = cells[0].split("(`").nth(1).and_then(|c| c.strip_suffix("`)")).unwrap();
            let op =
                Operation::parse(code).unwrap_or_else(|| panic!("docs/roles.md names an unknown operation {code}"));
            let yes = |i: usize| match cells[i] {
                "yes" => true,
                "no" => false,
                other => panic!("cell {other:?} for {code} is neither yes nor no"),
            };
            (op, [yes(1), yes(2), yes(3), yes(4)])
        })
        .collect()
}

const ROLES_IN_TABLE_ORDER: [Role; 4] =
    [Role::Coordinator, Role::OnCallManager, Role::RegisteredManager, Role::ReadOnly];

#[test]
fn the_documented_role_table_is_the_one_the_core_enforces() {
    let table = documented_table();
    for op in Operation::ALL {
        let row = table.iter().find(|(o, _)| o == op).unwrap_or_else(|| panic!("docs/roles.md has no row for {op:?}"));
        for (role, documented) in ROLES_IN_TABLE_ORDER.iter().zip(row.1) {
            assert_eq!(allows(*role, *op), documented, "{role:?} × {op:?}: the docs say {documented}");
        }
    }
    assert_eq!(table.len(), Operation::ALL.len(), "one row per operation");
}

#[test]
fn every_operation_under_every_role_is_refused_or_allowed_by_the_store_as_the_table_says() {
    let (mut store, _) = agency();
    let users = [
        ("jo", Role::Coordinator),
        ("ola", Role::OnCallManager),
        ("sam", Role::RegisteredManager),
        ("rae", Role::ReadOnly),
    ];
    for (user_name, role) in users {
        signed_in_as(&mut store, user_name);
        for op in Operation::ALL {
            let result = store.write(*op, |_| Ok(()));
            match (allows(role, *op), result) {
                (true, Ok(())) => {}
                (false, Err(Error::PermissionDenied(why))) => {
                    assert!(why.starts_with(op.label()), "the refusal names what was refused: {why}")
                }
                (expected, got) => panic!("{role:?} × {op:?}: expected allowed = {expected}, got {got:?}"),
            }
        }
        sign_out(&mut store);
    }
}

#[test]
fn an_on_call_manager_can_mark_a_carer_off_and_log_calls_but_not_change_a_carers_record() {
    let (mut store, _) = agency();
    signed_in_as(&mut store, "jo");
    let carer_id = save_carer(&mut store, &carer_form()).unwrap();
    sign_out(&mut store);

    signed_in_as(&mut store, "ola");
    let mut form = caredesk::people::carer_form(store.read(), Some(carer_id), store.today()).unwrap();
    form.phone = "07700 900555".into();
    let refused = save_carer(&mut store, &form);
    assert!(
        matches!(&refused, Err(Error::PermissionDenied(why)) if why.contains("on-call manager")),
        "people's records are not the on-call manager's to change: {refused:?}"
    );
    let off = OffInput {
        carer_id: Some(carer_id),
        kind: Some(AbsenceKind::Sickness),
        from: "2026-03-02T10:00".into(),
        until: "2026-03-02".into(),
        note: "Phoned in sick".into(),
    };
    mark_off(&mut store, &off).expect("the on-call manager marks a carer off");
    let call = CallInput {
        caller: "Sarah Evans".into(),
        what_happened: "Sick, cannot do the afternoon".into(),
        action_taken: "Marked off; reallocating".into(),
        ..CallInput::default()
    };
    log_call(&mut store, &call).expect("the on-call manager logs the call");
    let actors: Vec<String> = crate::support::texts(
        &store,
        "SELECT DISTINCT actor FROM change_log WHERE entity IN ('carer_absences', 'on_call_calls')",
    );
    assert_eq!(actors, vec!["Ola Night (ola)".to_string()], "both changes are signed by the on-call manager");
}

#[test]
fn nothing_can_be_changed_before_anyone_signs_in_or_after_signing_out() {
    let (mut store, _) = agency();
    let refused = save_carer(&mut store, &carer_form());
    assert!(matches!(refused, Err(Error::SignInNeeded)), "locked store refuses: {refused:?}");
    assert!(matches!(store.keep_alive(), Err(Error::SignInNeeded)));
    assert_eq!(store.access(), &Access::Locked { last_user: Some("sam".into()) }, "the sign-in screen offers sam");
}

#[test]
fn the_first_user_is_made_once_as_registered_manager_and_never_again() {
    let (mut store, _) = support::store();
    let session = create_first_user(&mut store, &user("Sam", "Sam Manager", Role::ReadOnly)).unwrap();
    assert_eq!(session.role, Role::RegisteredManager, "the first user always manages the agency");
    assert_eq!(session.user_name, "sam", "user names are kept in lower case");
    sign_out(&mut store);
    let again = create_first_user(&mut store, &user("eve", "Eve", Role::RegisteredManager));
    assert!(matches!(again, Err(Error::Conflict(_))), "a second first user is refused: {again:?}");
}

#[test]
fn weak_or_mistyped_passwords_are_refused_with_every_reason_and_nothing_saved() {
    let (mut store, _) = support::store();
    let mut input = user("x", "", Role::Coordinator);
    input.password = "password1".into();
    input.password_again = "password2".into();
    let Err(Error::Invalid(problems)) = create_first_user(&mut store, &input) else { panic!("refused") };
    let fields: Vec<&str> = problems.iter().map(|p| p.field.as_str()).collect();
    assert_eq!(fields, vec!["user_name", "full_name", "password"], "every problem at once: {problems:?}");
    let users: i64 = store.read().query_row("SELECT count(*) FROM users", [], |r| r.get(0)).unwrap();
    assert_eq!(users, 0);
}

#[test]
fn wrong_passwords_make_each_try_wait_longer_and_the_right_one_clears_the_count() {
    let (mut store, clock) = agency();
    let start = store.now();
    for n in 1..=2 {
        let Err(Error::SignInRefused(why)) = sign_in(&mut store, "jo", "not my password") else { panic!() };
        assert_eq!(why, "The user name or password is wrong", "try {n} costs no wait");
    }
    let Err(Error::SignInRefused(why)) = sign_in(&mut store, "jo", "not my password") else { panic!() };
    assert!(why.contains("Wait 5 seconds"), "the third wrong password makes the next try wait 5 s: {why}");
    clock.set(start + Duration::seconds(5));
    let Err(Error::SignInRefused(why)) = sign_in(&mut store, "jo", "still wrong") else { panic!() };
    assert!(why.contains("Wait 10 seconds"), "the fourth doubles it: {why}");
    // Inside the wait even the right password is not looked at.
    clock.set(start + Duration::seconds(12));
    let Err(Error::SignInRefused(why)) = sign_in(&mut store, "jo", PASSWORD) else { panic!("refused in the wait") };
    assert!(why.contains("try again in 3 seconds"), "{why}");
    clock.set(start + Duration::seconds(15));
    signed_in_as(&mut store, "jo");
    let failures: i64 =
        store.read().query_row("SELECT failed_sign_ins FROM users WHERE user_name = 'jo'", [], |r| r.get(0)).unwrap();
    assert_eq!(failures, 0, "a good sign-in clears the count");
    let logged: i64 = store
        .read()
        .query_row("SELECT count(*) FROM change_log WHERE actor = 'wrong password for jo'", [], |r| r.get(0))
        .unwrap();
    assert_eq!(logged, 4, "each wrong password is in the change log");
}

#[test]
fn an_unknown_user_name_gets_the_same_answer_as_a_wrong_password() {
    let (mut store, _) = agency();
    let Err(Error::SignInRefused(unknown)) = sign_in(&mut store, "nobody", PASSWORD) else { panic!() };
    let Err(Error::SignInRefused(wrong)) = sign_in(&mut store, "jo", "wrong password") else { panic!() };
    assert_eq!(unknown, wrong);
}

#[test]
fn the_app_locks_after_the_idle_time_and_refuses_until_someone_signs_in_again() {
    let (mut store, clock) = agency();
    signed_in_as(&mut store, "sam");
    save_idle_lock_minutes(&mut store, 5).unwrap();
    let start = store.now();
    clock.set(start + Duration::minutes(4));
    store.keep_alive().expect("four minutes idle is fine and counts as activity");
    clock.set(start + Duration::minutes(8));
    store.lock_if_idle();
    assert!(matches!(store.access(), Access::SignedIn(_)), "four minutes since the last activity: still signed in");
    clock.set(start + Duration::minutes(9) + Duration::seconds(1));
    store.lock_if_idle();
    assert_eq!(store.access(), &Access::Locked { last_user: Some("sam".into()) }, "locked after five idle minutes");
    assert!(matches!(save_carer(&mut store, &carer_form()), Err(Error::SignInNeeded)));
    signed_in_as(&mut store, "sam");
    save_carer(&mut store, &carer_form()).expect("signed in again, the change goes through");
}

#[test]
fn a_command_after_the_idle_time_is_refused_even_before_the_timer_notices() {
    let (mut store, clock) = agency();
    signed_in_as(&mut store, "jo");
    clock.set(store.now() + Duration::minutes(access::DEFAULT_IDLE_LOCK_MINUTES as i64 + 1));
    assert!(matches!(save_carer(&mut store, &carer_form()), Err(Error::SignInNeeded)));
}

#[test]
fn changing_ones_own_password_needs_the_current_one_and_the_old_one_stops_working() {
    let (mut store, _) = agency();
    signed_in_as(&mut store, "rae");
    let wrong = change_own_password(&mut store, "not it", "a new long passphrase", "a new long passphrase");
    assert!(matches!(&wrong, Err(Error::Invalid(p)) if p[0].field == "current"), "{wrong:?}");
    change_own_password(&mut store, PASSWORD, "a new long passphrase", "a new long passphrase").unwrap();
    sign_out(&mut store);
    assert!(sign_in(&mut store, "rae", PASSWORD).is_err(), "the old password no longer works");
    sign_in(&mut store, "rae", "a new long passphrase").expect("the new one does");
}

#[test]
fn the_change_log_says_a_password_changed_but_never_holds_the_hash() {
    let (store, _) = agency();
    let hashes: Vec<String> = crate::support::texts(&store, "SELECT password_hash FROM users");
    let log: String =
        store.read().query_row("SELECT group_concat(changes, ' ') FROM change_log", [], |r| r.get(0)).unwrap();
    assert_eq!(hashes.len(), 4);
    for hash in &hashes {
        let salt_and_hash = hash.rsplit('$').next().unwrap();
        assert!(!log.contains(salt_and_hash), "the change log holds no password hash");
    }
    assert!(log.contains(r#""password_hash":"(not recorded)""#), "it records that one was set");
}

#[test]
fn the_last_registered_manager_cannot_be_demoted_or_switched_off() {
    let (mut store, _) = agency();
    signed_in_as(&mut store, "sam");
    let sam = access::list_users(&store).unwrap().into_iter().find(|u| u.user_name == "sam").unwrap();
    let mut form = access::user_form(&store, sam.id).unwrap();
    form.role = Some(Role::Coordinator);
    let refused = save_user(&mut store, &form);
    assert!(matches!(&refused, Err(Error::Conflict(why)) if why.contains("only registered manager")), "{refused:?}");
    form.role = Some(Role::RegisteredManager);
    form.active = false;
    assert!(matches!(save_user(&mut store, &form), Err(Error::Conflict(_))));
}

#[test]
fn a_switched_off_user_cannot_sign_in_and_is_told_why() {
    let (mut store, _) = agency();
    signed_in_as(&mut store, "sam");
    let jo = access::list_users(&store).unwrap().into_iter().find(|u| u.user_name == "jo").unwrap();
    let mut form = access::user_form(&store, jo.id).unwrap();
    form.active = false;
    save_user(&mut store, &form).unwrap();
    sign_out(&mut store);
    let Err(Error::SignInRefused(why)) = sign_in(&mut store, "jo", PASSWORD) else { panic!() };
    assert!(why.contains("switched off"), "{why}");
}

#[test]
fn only_a_registered_manager_sees_the_users() {
    let (mut store, _) = agency();
    signed_in_as(&mut store, "jo");
    assert!(matches!(access::list_users(&store), Err(Error::PermissionDenied(_))));
}
