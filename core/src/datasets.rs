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
    /// The published figures the data set reproduces, or states for reference where their
    /// components are not available.
    pub reproduces: &'static str,
    /// The model text (TOML). Empty in builds without TOML (the web module), which embed
    /// [`Dataset::json`] instead.
    pub text: &'static str,
}

/// The TOML text of `data/NAME.toml`, in builds that read TOML.
macro_rules! toml_text {
    ($name:literal) => {{
        #[cfg(feature = "toml")]
        let text = include_str!(concat!("../../data/", $name, ".toml"));
        #[cfg(not(feature = "toml"))]
        let text = "";
        text
    }};
}

// `JSON: [(name, text)]`: every data set as compact JSON, written by build.rs.
include!(concat!(env!("OUT_DIR"), "/datasets_json.rs"));

/// The data set `circ run` uses when given no model.
pub const DEFAULT: &str = "cgr2020";

/// Every embedded data set, the default first: the global economy (Circularity Gap Reports), the
/// EU and the partner countries with Ukraine (official statistics), and the illustrative cluster
/// project. `data/datapackage.json` gives each one's sources and the published figures it
/// reproduces or, where its components are not available, states for reference.
pub const DATASETS: [Dataset; 11] = [
    Dataset {
        name: "cgr2020",
        title: "Global economy 2017 (Circularity Gap Report 2020)",
        reproduces: "Circularity Metric 8.6 % (8.65 Gt of 100.6 Gt)",
        text: toml_text!("cgr2020"),
    },
    Dataset {
        name: "cgr2018",
        title: "Global economy 2015 (Circularity Gap Report 2018)",
        reproduces: "Circularity Metric 9.1 % (8.4 Gt of 92.8 Gt)",
        text: toml_text!("cgr2018"),
    },
    Dataset {
        name: "eu27",
        title: "European Union (EU27_2020) 2022: waste treated by operation, and published figures",
        reproduces: "treatment shares 2022 (recycling 40.8 %, backfilling 14.2 %, energy recovery 6.4 %); CMU 11.5 % stated, not reproducible: U and DMC not available",
        text: toml_text!("eu27"),
    },
    Dataset {
        name: "cz",
        title: "Czechia 2022: waste generated, and published figures",
        reproduces: "waste generated 2022; CMU 11.9 % stated, not reproducible: U and DMC not available",
        text: toml_text!("cz"),
    },
    Dataset {
        name: "pl",
        title: "Poland 2022: municipal waste and its treatment, and published figures",
        reproduces: "municipal waste treatment shares 2022 (landfill 38.1 %, energy recovery 20.2 %); CMU 8.4 % stated, not reproducible: U and DMC not available",
        text: toml_text!("pl"),
    },
    Dataset {
        name: "lt",
        title: "Lithuania 2021: waste generated, and published figures",
        reproduces: "waste generated 2021; CMU 4.1 % (2022) stated, not reproducible: U and DMC not available",
        text: toml_text!("lt"),
    },
    Dataset {
        name: "ro",
        title: "Romania 2022: municipal waste generated, and published figures",
        reproduces: "municipal waste 2022, derived from 301 kg per inhabitant; CMU 1.4 % stated, not reproducible: U and DMC not available",
        text: toml_text!("ro"),
    },
    Dataset {
        name: "sk",
        title: "Slovakia 2020: municipal waste generated, and published figures",
        reproduces: "municipal waste 2020; CMU 9.1 % (2022) stated, not reproducible: U and DMC not available",
        text: toml_text!("sk"),
    },
    Dataset {
        name: "ua",
        title: "Ukraine 2011: waste generated and managed (State Statistics Service)",
        reproduces: "waste generated and managed 2011 in Ukraine's categories; no CMU is published for Ukraine",
        text: toml_text!("ua"),
    },
    Dataset {
        name: "ua-cdw-baseline",
        title: "Kyiv oblast, war debris into aggregates: baseline (illustrative)",
        reproduces: "illustrative: 80 kt of debris disposed of, Circularity Metric 0 %",
        text: toml_text!("ua-cdw-baseline"),
    },
    Dataset {
        name: "ua-cdw-project",
        title: "Kyiv oblast, war debris into aggregates: with the hub (illustrative)",
        reproduces: "illustrative: 30 % of the debris crushed into aggregates (as in Bucha), Circularity Metric 12 %",
        text: toml_text!("ua-cdw-project"),
    },
];

/// The embedded data set with this name.
#[must_use]
pub fn dataset(name: &str) -> Option<&'static Dataset> {
    DATASETS.iter().find(|d| d.name == name)
}

impl Dataset {
    /// The model as compact JSON (written by `build.rs` from the TOML file: the same values):
    /// what builds without TOML (the web module) load.
    #[must_use]
    pub fn json(&self) -> Option<&'static str> {
        JSON.iter().find(|(n, _)| *n == self.name).map(|(_, t)| *t)
    }

    /// Loads the data set's model: from its TOML text, or, in builds without TOML, from its
    /// JSON (the same values).
    ///
    /// # Errors
    /// Only if the shipped file is broken, which the test suite rules out.
    pub fn load(&self) -> Result<Loaded, Vec<Diagnostic>> {
        #[cfg(feature = "toml")]
        let (ext, text, format) = ("toml", self.text, Format::Toml);
        #[cfg(not(feature = "toml"))]
        let (ext, text, format) = ("json", self.json().unwrap_or_default(), Format::Json);
        let name = format!("{}.{ext}", self.name);
        load(SourceText { name: &name, text }, format, &|table| {
            Err(format!(
                "embedded data sets have no flow tables (asked for {table})"
            ))
        })
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

    /// The JSON that builds without TOML embed gives the same report as the TOML.
    #[test]
    fn the_json_of_each_dataset_gives_the_same_report() {
        for d in DATASETS {
            let toml = d.load().expect("valid").model;
            let json = load(
                SourceText {
                    name: "d.json",
                    text: d.json().expect("build.rs writes every data set"),
                },
                Format::Json,
                &|_| Err("none".into()),
            )
            .expect("valid")
            .model;
            assert_eq!(
                crate::run(&toml).to_json(),
                crate::run(&json).to_json(),
                "{}",
                d.name
            );
        }
    }
}
