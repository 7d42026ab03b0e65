//! End-to-end cases as data: every model under `tests/cases/invalid/` must be refused with the
//! diagnostics in its `.expected` file; every model under `tests/cases/valid/` must load without
//! a warning. `CIRC_UPDATE=1 cargo test -p circ-tests` rewrites the `.expected` files (review the
//! diff: it is the user-facing text of every error).

use std::fs;
use std::path::{Path, PathBuf};

use circ_core::{Format, SourceText, load};

fn cases(dir: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("cases")
        .join(dir);
    let mut files: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("directory entry").path())
        .filter(|p| Format::from_name(&p.display().to_string()).is_some())
        .collect();
    files.sort();
    files
}

/// Loads a case as the CLI does: flow tables relative to the model; messages name the file by
/// its name in the case directory.
fn load_case(path: &Path) -> Result<circ_core::Loaded, String> {
    let name = path
        .file_name()
        .expect("a file")
        .to_string_lossy()
        .into_owned();
    let text = fs::read_to_string(path).expect("case file is readable");
    let format = Format::from_name(&name).expect("filtered by extension");
    let dir = path.parent().expect("in a directory");
    load(
        SourceText {
            name: &name,
            text: &text,
        },
        format,
        &|t| fs::read_to_string(dir.join(t)).map_err(|e| e.kind().to_string()),
    )
    .map_err(|d| {
        d.iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n")
            + "\n"
    })
}

#[test]
fn invalid_models_get_their_expected_diagnostics() {
    let update = std::env::var_os("CIRC_UPDATE").is_some();
    let mut failures = Vec::new();
    let files = cases("invalid");
    assert!(files.len() >= 10, "the invalid cases are missing");
    for path in files {
        let got = match load_case(&path) {
            Ok(_) => "(loaded without error)\n".to_owned(),
            Err(text) => text,
        };
        let expected_path = path.with_extension("expected");
        if update {
            fs::write(&expected_path, &got).expect("writing the expected file");
            continue;
        }
        let expected = fs::read_to_string(&expected_path).unwrap_or_default();
        if got != expected {
            failures.push(format!(
                "{}\n--- expected\n{expected}--- got\n{got}",
                path.display()
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{}\n(CIRC_UPDATE=1 rewrites the expected files)",
        failures.join("\n")
    );
}

#[test]
fn valid_models_load_without_warnings() {
    for path in cases("valid") {
        let loaded = load_case(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert!(
            loaded.warnings.is_empty(),
            "{}: {:?}",
            path.display(),
            loaded.warnings
        );
    }
}
