//! The cost of encryption: the same large agency as an unencrypted file and
//! as the app's encrypted one (SQLCipher, opened by signing in), the same
//! work on each in the same run. The unencrypted file is the reference.

use super::{median_ms, Figure};
use caredesk::access::{Role, UserInput};
use caredesk::app::AppAgency;
use caredesk::demo::{self, Size};
use caredesk::people;
use caredesk::rota;
use caredesk::Store;
use std::path::Path;

const PASSWORD: &str = "kettle on at seven";

pub fn figures(dir: &Path, today: chrono::NaiveDate, figures: &mut Vec<Figure>) {
    let plain_dir = dir.join("plain");
    let encrypted_dir = dir.join("encrypted");
    std::fs::create_dir_all(&plain_dir).unwrap();
    std::fs::create_dir_all(&encrypted_dir).unwrap();
    let plain_path = plain_dir.join(caredesk::app::DATABASE_FILE);
    let week = rota::week::monday_of(today);
    {
        let mut store = Store::open(&plain_path, "bench").unwrap();
        demo::load(&mut store, &demo::generate(Size::Large, 7, today)).unwrap();
        rota::roll_forward(&mut store, week, week + chrono::Duration::days(6), &mut |_| {}).unwrap();
        store.read().pragma_update(None, "wal_checkpoint", "TRUNCATE").unwrap();
    }
    // The encrypted twin: the same file, encrypted as an earlier Caredesk's
    // is when its first user is made.
    std::fs::copy(&plain_path, encrypted_dir.join(caredesk::app::DATABASE_FILE)).unwrap();
    let first = UserInput {
        user_name: "bench".into(),
        full_name: "Bench".into(),
        role: Some(Role::RegisteredManager),
        active: true,
        password: PASSWORD.into(),
        password_again: PASSWORD.into(),
        id: None,
    };
    let mut agency = AppAgency::new(&encrypted_dir);
    agency.create_first_user(&first).unwrap();

    let sign_in_ms = median_ms(5, || {
        agency.sign_in("bench", PASSWORD).unwrap();
    });
    let open_plain_ms = median_ms(5, || {
        Store::open(&plain_path, "bench").unwrap();
    });
    figures.push(Figure {
        name: "sign in and open the encrypted large agency (Argon2id twice, SQLCipher key check)",
        value_ms: sign_in_ms,
        reference: "opening the same agency unencrypted, no sign-in",
        reference_ms: open_plain_ms,
    });

    // A week's board on a fresh connection: every page read is decrypted.
    let mut fresh_plain: Vec<Store> = (0..7).map(|_| Store::open(&plain_path, "bench").unwrap()).collect();
    let board_plain_ms = median_ms(7, || {
        rota::board(&fresh_plain.pop().unwrap(), week, 7).unwrap();
    });
    let mut fresh_encrypted: Vec<AppAgency> = (0..7)
        .map(|_| {
            let mut a = AppAgency::new(&encrypted_dir);
            a.sign_in("bench", PASSWORD).unwrap();
            a
        })
        .collect();
    let board_encrypted_ms = median_ms(7, || {
        let mut a = fresh_encrypted.pop().unwrap();
        rota::board(a.store().unwrap(), week, 7).unwrap();
    });
    figures.push(Figure {
        name: "open a week's rota board, nothing kept, encrypted (large)",
        value_ms: board_encrypted_ms,
        reference: "the same on the unencrypted file",
        reference_ms: board_plain_ms,
    });

    // Saving one carer (a transaction with its change-log rows, fsync'd).
    let mut plain = Store::open(&plain_path, "bench").unwrap();
    agency.sign_in("bench", PASSWORD).unwrap();
    let carer = people::list_carers(plain.read(), &people::ListQuery::default(), today).unwrap()[0].id;
    let mut n = 0;
    let mut save = |store: &mut Store| {
        n += 1;
        let mut form = people::carer_form(store.read(), Some(carer), today).unwrap();
        form.phone = format!("07700 9{n:05}");
        people::save_carer(store, &form).unwrap();
    };
    let save_plain_ms = median_ms(11, || save(&mut plain));
    let save_encrypted_ms = median_ms(11, || save(agency.store().unwrap()));
    figures.push(Figure {
        name: "save a carer's record, encrypted (large)",
        value_ms: save_encrypted_ms,
        reference: "the same on the unencrypted file",
        reference_ms: save_plain_ms,
    });

    // Rolling a new day forward: many rows written in one transaction.
    let mut day = week + chrono::Duration::days(7);
    let mut days = Vec::new();
    for _ in 0..5 {
        days.push(day);
        day += chrono::Duration::days(1);
    }
    let mut plain_days = days.clone().into_iter();
    let roll_plain_ms = median_ms(5, || {
        let d = plain_days.next().unwrap();
        rota::roll_forward(&mut plain, d, d, &mut |_| {}).unwrap();
    });
    let mut encrypted_days = days.into_iter();
    let roll_encrypted_ms = median_ms(5, || {
        let d = encrypted_days.next().unwrap();
        rota::roll_forward(agency.store().unwrap(), d, d, &mut |_| {}).unwrap();
    });
    figures.push(Figure {
        name: "roll one day forward (a day's visits written), encrypted (large)",
        value_ms: roll_encrypted_ms,
        reference: "the same on the unencrypted file",
        reference_ms: roll_plain_ms,
    });
}
