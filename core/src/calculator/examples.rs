//! The example forms the web calculator starts from: the files `data/examples/calculator-*.json`,
//! compiled in.

use super::Form;

/// An example form of the calculator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Example {
    /// Name used in the page's `example` attribute: `workshop`.
    pub name: &'static str,
    /// One-line title.
    pub title: &'static str,
    /// The form, as JSON text.
    pub text: &'static str,
}

/// Every example form, the default first. Their figures are invented (data/examples/README.md).
pub const EXAMPLES: [Example; 2] = [
    Example {
        name: "workshop",
        title: "Furniture workshop (illustrative)",
        text: include_str!("../../../data/examples/calculator-workshop.json"),
    },
    Example {
        name: "rubble",
        title: "C&D rubble recycling project (illustrative)",
        text: include_str!("../../../data/examples/calculator-rubble.json"),
    },
];

/// The example form with this name, parsed.
#[must_use]
pub fn example(name: &str) -> Option<Form> {
    let e = EXAMPLES.iter().find(|e| e.name == name)?;
    Some(crate::format::from_json(e.text).expect("the shipped examples parse (tested)"))
}
