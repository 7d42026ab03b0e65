//! The documentation's examples run and say what the text claims.

use std::path::Path;

use circ_core::{Format, SourceText, load, run};

fn read(path: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(path))
        .expect(path)
}

/// The fenced blocks of a Markdown text in the given language.
fn blocks<'a>(markdown: &'a str, lang: &str) -> Vec<&'a str> {
    let fence = format!("```{lang}\n");
    markdown
        .split(fence.as_str())
        .skip(1)
        .map(|rest| rest.split("```").next().unwrap_or(""))
        .collect()
}

#[test]
fn the_model_format_example_gives_what_the_text_says() {
    let doc = read("docs/model-format.md");
    let example = blocks(&doc, "toml")[0];
    let loaded = load(
        SourceText {
            name: "example.toml",
            text: example,
        },
        Format::Toml,
        &|_| Err(String::new()),
    )
    .unwrap_or_else(|d| panic!("{}", d[0]));
    let report = run(&loaded.model);
    assert_eq!(
        report
            .indicator("cgr.circularity_metric")
            .and_then(|i| i.value),
        Some(0.15)
    );
    let cmu = report.indicator("eurostat.cmu_rate").expect("defined");
    assert_eq!(cmu.value, None);
    let why = cmu.reason.as_deref().unwrap_or("");
    assert!(why.contains("IMP_w") && why.contains("EXP_w"), "{why}");
}

#[test]
fn the_readme_example_gives_what_the_text_says() {
    let readme = read("README.md");
    let example = blocks(&readme, "toml")[0];
    let loaded = load(
        SourceText {
            name: "readme.toml",
            text: example,
        },
        Format::Toml,
        &|_| Err(String::new()),
    )
    .unwrap_or_else(|d| panic!("{}", d[0]));
    let report = run(&loaded.model);
    // The README says: 30 / (270 + 30) = 10 % and CMU = 30 / (270 + 30) = 10 %.
    assert_eq!(
        report
            .indicator("cgr.circularity_metric")
            .and_then(|i| i.value),
        Some(0.1)
    );
    assert_eq!(
        report.indicator("eurostat.cmu_rate").and_then(|i| i.value),
        Some(0.1)
    );
}

#[test]
fn the_indicator_list_of_the_readme_names_every_indicator() {
    let readme = read("README.md");
    let report = run(&circ_core::dataset("cgr2020")
        .expect("embedded")
        .load()
        .expect("valid")
        .model);
    for i in &report.indicators {
        // Per-group variants (`….mf1` … `….mf4`) are listed once, by their base id.
        let id = match i.id.rsplit_once('.') {
            Some((base, group)) if group.starts_with("mf") => base,
            _ => i.id.as_str(),
        };
        assert!(
            readme.contains(&format!("`{id}`")),
            "README does not list {id}"
        );
    }
}

#[test]
fn the_expectations_example_of_check_in_ci_passes() {
    use circ_core::check::{Subject, Verdict, parse_expectations, verify};
    let doc = read("docs/check-in-ci.md");
    let example = blocks(&doc, "toml")[0];
    let expectations = parse_expectations(SourceText {
        name: "published.toml",
        text: example,
    })
    .unwrap_or_else(|d| panic!("{}", d[0]));
    assert_eq!(expectations.items.len(), 3);
    for e in &expectations.items {
        // The example lives at the root of a repository holding data/.
        let model = match &e.subject {
            Subject::Dataset(name) => {
                circ_core::dataset(name)
                    .expect("embedded")
                    .load()
                    .expect("valid")
                    .model
            }
            Subject::Model(path) => {
                let text = read(path);
                load(
                    SourceText {
                        name: path,
                        text: &text,
                    },
                    Format::Toml,
                    &|_| Err(String::new()),
                )
                .unwrap_or_else(|d| panic!("{}", d[0]))
                .model
            }
        };
        let outcome = verify(e, &run(&model));
        assert_eq!(outcome.verdict, Verdict::Pass, "{outcome:?}");
    }
}
