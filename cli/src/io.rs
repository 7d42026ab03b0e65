//! Files: reading models and their flow tables, and writing outputs atomically.

use std::fs;
use std::io::{Read as _, Write as _};
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};

use crate::commands::BadInput;

/// Reads a text file; a missing or unreadable file is bad input.
pub fn read_text(path: &Path) -> Result<String> {
    fs::read_to_string(path).map_err(|e| {
        let hint = match e.kind() {
            std::io::ErrorKind::NotFound => {
                "check the path; it is relative to the current directory"
            }
            std::io::ErrorKind::InvalidData => "save the file as UTF-8 text",
            _ => "check that the file exists and can be read",
        };
        BadInput(format!(
            "cannot read {}: {e}\n  hint: {hint}",
            path.display()
        ))
        .into()
    })
}

/// Reads a text file that may be gzip-compressed (a name ending in `.gz`), as Eurostat's bulk
/// downloads are.
pub fn read_text_or_gz(path: &Path) -> Result<String> {
    let is_gz = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("gz"));
    if !is_gz {
        return read_text(path);
    }
    let file = fs::File::open(path).map_err(|e| {
        BadInput(format!(
            "cannot read {}: {e}\n  hint: check the path; it is relative to the current directory",
            path.display()
        ))
    })?;
    let mut text = String::new();
    flate2::read::GzDecoder::new(file)
        .read_to_string(&mut text)
        .map_err(|e| {
            BadInput(format!(
                "cannot read {} as gzip-compressed UTF-8 text: {e}\n  hint: give the file as downloaded (.tsv.gz or .csv.gz), or unpacked",
                path.display()
            ))
        })?;
    Ok(text)
}

/// Writes `contents` to `path` atomically: into a temporary file beside it, then renamed over
/// it, so that an interrupted run leaves the previous file whole.
pub fn write_atomic(path: &Path, contents: &str) -> Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = path
        .file_name()
        .ok_or_else(|| BadInput(format!("{} is not a file path", path.display())))?;
    let tmp = dir.join(format!(
        ".{}.circ-tmp-{}",
        name.to_string_lossy(),
        std::process::id()
    ));
    let write = || -> std::io::Result<()> {
        let mut f = fs::File::create(&tmp)?;
        f.write_all(contents.as_bytes())?;
        f.sync_all()?;
        fs::rename(&tmp, path)
    };
    write().map_err(|e| {
        let _ = fs::remove_file(&tmp);
        anyhow::Error::from(BadInput(format!("cannot write {}: {e}", path.display())))
    })
}

/// Prints to standard output, or writes atomically to `output`.
pub fn emit(output: Option<&Path>, contents: &str) -> Result<()> {
    match output {
        Some(path) => write_atomic(path, contents),
        None => {
            let mut out = std::io::stdout().lock();
            match out
                .write_all(contents.as_bytes())
                .and_then(|()| out.flush())
            {
                // A closed pipe (`circ run | head`) is not an error.
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                r => r.context("writing to standard output"),
            }
        }
    }
}
