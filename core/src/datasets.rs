//! The data sets embedded in circ, so that `circ run` and the web calculator work with no file.
//!
//! The texts are the files under `data/` (compiled in); `data/datapackage.json` describes each
//! with its source, table, release and licence.

use crate::diagnostic::Diagnostic;
use crate::format::{Format, SourceText};
use crate::validate::{Loaded, load};

/// An embedded data set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dataset {
    /// Name used on the command line: `cgr2020`.
    pub name: &'static str,
    /// One-line title.
    pub title: &'static str,
    /// The published headline figure the data set reproduces.
    pub reproduces: &'static str,
    /// The model text (TOML).
    pub text: &'static str,
}

/// The data set `circ run` uses when given no model.
pub const DEFAULT: &str = "cgr2020";

/// Every embedded data set, the default first.
pub const DATASETS: [Dataset; 2] = [
    Dataset {
        name: "cgr2020",
        title: "Global economy 2017 (Circularity Gap Report 2020)",
        reproduces: "Circularity Metric 8.6 % (8.65 Gt of 100.6 Gt)",
        text: include_str!("../../data/cgr2020.toml"),
    },
    Dataset {
        name: "cgr2018",
        title: "Global economy 2015 (Circularity Gap Report 2018)",
        reproduces: "Circularity Metric 9.1 % (8.4 Gt of 92.8 Gt)",
        text: include_str!("../../data/cgr2018.toml"),
    },
];

/// The embedded data set with this name.
#[must_use]
pub fn dataset(name: &str) -> Option<&'static Dataset> {
    DATASETS.iter().find(|d| d.name == name)
}

impl Dataset {
    /// Loads the data set's model.
    ///
    /// # Errors
    /// Only if the shipped file is broken, which the test suite rules out.
    pub fn load(&self) -> Result<Loaded, Vec<Diagnostic>> {
        let name = format!("{}.toml", self.name);
        load(
            SourceText {
                name: &name,
                text: self.text,
            },
            Format::Toml,
            &|table| {
                Err(format!(
                    "embedded data sets have no flow tables (asked for {table})"
                ))
            },
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_dataset_loads_without_warnings() {
        for d in DATASETS {
            let loaded = d.load().unwrap_or_else(|e| panic!("{}: {e:?}", d.name));
            assert!(
                loaded.warnings.is_empty(),
                "{}: {:?}",
                d.name,
                loaded.warnings
            );
        }
        assert_eq!(DATASETS[0].name, DEFAULT);
    }
}
