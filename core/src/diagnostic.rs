//! Problems found while reading and validating a model.
//!
//! Loading collects every problem instead of stopping at the first one (as typst's
//! `SourceResult` does), and each [`Diagnostic`] names where it is (the file, the key path, and
//! the line and column where they can be found) and what would fix it.

use std::fmt;

use serde::Serialize;

/// How serious a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The model can still be used; the result may not be what was meant.
    Warning,
    /// The model cannot be used until this is fixed.
    Error,
}

/// One segment of a key path: a table key or an array index.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum PathSegment {
    /// A key of a table (TOML) or object (JSON).
    Key(String),
    /// A position in an array, from 0.
    Index(usize),
}

/// Where a problem is.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Location {
    /// The file (or other source) name, as the front end gave it.
    pub origin: String,
    /// The key path inside the document, such as `flows[3].to`. Empty for the whole document.
    pub path: Vec<PathSegment>,
    /// The line, from 1, when it is known.
    pub line: Option<u32>,
    /// The column, from 1, when it is known.
    pub column: Option<u32>,
}

impl Location {
    /// A location in `origin` at the key `path`, with line and column still to be found.
    #[must_use]
    pub fn at(origin: &str, path: Vec<PathSegment>) -> Location {
        Location {
            origin: origin.to_owned(),
            path,
            line: None,
            column: None,
        }
    }

    /// The key path as text: `flows[3].to`.
    #[must_use]
    pub fn path_text(&self) -> String {
        let mut out = String::new();
        for seg in &self.path {
            match seg {
                PathSegment::Key(k) => {
                    if !out.is_empty() {
                        out.push('.');
                    }
                    out.push_str(k);
                }
                PathSegment::Index(i) => {
                    out.push('[');
                    out.push_str(&i.to_string());
                    out.push(']');
                }
            }
        }
        out
    }
}

/// A problem with a model, its place, and what would fix it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// Where the problem is.
    pub location: Location,
    /// What is wrong, in one sentence.
    pub message: String,
    /// What would fix it, when that can be said.
    pub hint: Option<String>,
}

impl Diagnostic {
    /// An error at `location`.
    #[must_use]
    pub fn error(location: Location, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            location,
            message: message.into(),
            hint: None,
        }
    }

    /// A warning at `location`.
    #[must_use]
    pub fn warning(location: Location, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(location, message)
        }
    }

    /// Adds what would fix the problem.
    #[must_use]
    pub fn with_hint(mut self, hint: impl Into<String>) -> Diagnostic {
        self.hint = Some(hint.into());
        self
    }
}

impl fmt::Display for Diagnostic {
    /// `model.toml:12:3: error: flows[3].to: unknown process "recyling"` and, on the next line,
    /// `  hint: …`. The same text in the CLI and in the JavaScript `Error`s of the web module.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let loc = &self.location;
        f.write_str(&loc.origin)?;
        if let Some(line) = loc.line {
            write!(f, ":{line}")?;
            if let Some(col) = loc.column {
                write!(f, ":{col}")?;
            }
        }
        let sev = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, ": {sev}: ")?;
        let path = loc.path_text();
        if !path.is_empty() {
            write!(f, "{path}: ")?;
        }
        f.write_str(&self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, "\n  hint: {hint}")?;
        }
        Ok(())
    }
}

/// True if any diagnostic is an error.
#[must_use]
pub fn has_errors(diagnostics: &[Diagnostic]) -> bool {
    diagnostics.iter().any(|d| d.severity == Severity::Error)
}

/// The closest of `candidates` to `word`, if one is close enough to be a likely typo.
#[must_use]
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let lower = word.to_lowercase();
    candidates
        .into_iter()
        .map(|c| (edit_distance(&lower, &c.to_lowercase()), c))
        .filter(|(d, c)| *d <= 2.max(c.chars().count() / 4))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// A hint for a word that names nothing: "did you mean …?" when a candidate is close, else
/// `otherwise` (which says what the word may be).
#[must_use]
pub fn suggest<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
    otherwise: impl Into<String>,
) -> String {
    match did_you_mean(word, candidates) {
        Some(s) => format!("did you mean \"{s}\"?"),
        None => otherwise.into(),
    }
}

/// Levenshtein distance, by characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != *cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names_file_line_path_and_hint() {
        let mut loc = Location::at(
            "model.toml",
            vec![
                PathSegment::Key("flows".into()),
                PathSegment::Index(3),
                PathSegment::Key("to".into()),
            ],
        );
        loc.line = Some(12);
        loc.column = Some(6);
        let d = Diagnostic::error(loc, "unknown process \"recyling\"")
            .with_hint("did you mean \"recycling\"?");
        assert_eq!(
            d.to_string(),
            "model.toml:12:6: error: flows[3].to: unknown process \"recyling\"\n  hint: did you mean \"recycling\"?"
        );
    }

    #[test]
    fn suggestions_find_typos_only() {
        let names = ["recycling", "landfill", "production"];
        assert_eq!(did_you_mean("recyling", names), Some("recycling"));
        assert_eq!(did_you_mean("Landfil", names), Some("landfill"));
        assert_eq!(did_you_mean("garden", names), None);
    }
}
