//! Embeds the numbered SQL files in `migrations/` into the core at build time,
//! and refuses to build if their numbering has a gap or a duplicate.
use std::{env, fs, path::Path};

fn main() {
    println!("cargo:rerun-if-changed=migrations");
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations");
    let mut files: Vec<(u32, String, String)> = fs::read_dir(&dir)
        .expect("migrations/ folder")
        .map(|entry| entry.expect("readable migrations/ entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "sql"))
        .map(|path| {
            let stem = path.file_stem().unwrap().to_string_lossy().to_string();
            let (number, name) = stem.split_once('_').unwrap_or_else(|| panic!("{stem}: expected NNNN_name.sql"));
            let number: u32 = number.parse().unwrap_or_else(|_| panic!("{stem}: expected NNNN_name.sql"));
            (number, name.to_string(), path.display().to_string())
        })
        .collect();
    files.sort();
    let mut code = String::from("pub(crate) static MIGRATIONS: &[Migration] = &[\n");
    for (index, (number, name, path)) in files.iter().enumerate() {
        assert_eq!(*number as usize, index + 1, "migration numbers must run 1, 2, 3… without gaps");
        code.push_str(&format!(
            "    Migration {{ version: {number}, name: {name:?}, sql: include_str!({path:?}) }},\n"
        ));
    }
    code.push_str("];\n");
    let out = Path::new(&env::var("OUT_DIR").unwrap()).join("migrations.rs");
    fs::write(out, code).expect("write migrations.rs");
}
