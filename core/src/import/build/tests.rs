//! Tests of the model builder: groups, totals, gaps, waste, published rates, UN IRP.

use super::*;
use crate::format::{Format, SourceText};
use crate::import::{Filter, parse_eurostat_tsv, parse_sdmx_csv};

fn tsv(name: &str, text: &str) -> Table {
    let (t, d) = parse_eurostat_tsv(SourceText { name, text }, &Filter::default());
    assert!(d.is_empty(), "{d:?}");
    t
}

const OPTS: ImportOptions<'static> = ImportOptions {
    geo: "CZ",
    year: "2022",
    release: Some("2024-01-01"),
    name: None,
};

fn load(imported: &Imported) -> crate::Model {
    let text = imported.to_toml().expect("toml");
    crate::load(
        SourceText {
            name: "m.toml",
            text: &text,
        },
        Format::Toml,
        &|_| Err(String::new()),
    )
    .unwrap_or_else(|d| panic!("{}\n{text}", d[0]))
    .into_model()
}

#[test]
fn groups_total_and_traded_other_products() {
    let t = tsv(
        "env_ac_mfa.tsv",
        "freq,indic_env,material,unit,geo\\TIME_PERIOD\t2022 \nA,DE,MF1,THS_T,CZ\t10 \nA,DE,MF2,THS_T,CZ\t0 \nA,DE,MF3,THS_T,CZ\t30.5 e\nA,DE,MF4,THS_T,CZ\t20 \nA,DE,TOTAL,THS_T,CZ\t60.5 \nA,IMP,MF1,THS_T,CZ\t1 \nA,IMP,MF2,THS_T,CZ\t2 \nA,IMP,MF3,THS_T,CZ\t3 \nA,IMP,MF4,THS_T,CZ\t4 \nA,IMP,MF5,THS_T,CZ\t0.5 \nA,IMP,TOTAL,THS_T,CZ\t11 \nA,EXP,MF1,THS_T,CZ\t1 \nA,EXP,MF2,THS_T,CZ\t: c\nA,EXP,MF3,THS_T,CZ\t1 \nA,EXP,MF4,THS_T,CZ\t1 \nA,EXP,TOTAL,THS_T,CZ\t5 \nA,DMC,TOTAL,THS_T,CZ\t66.5 \n",
    );
    let imported = build_model(&[t], &OPTS).expect("builds");
    let m = load(&imported);
    let acc = crate::accounts(&m);
    let total = |l| acc.get(l).known().map(|a: &crate::Amount| a.total());
    use crate::accounts::AccountLine as L;
    assert_eq!(total(L::DomesticExtraction), Some(60_500.0));
    // IMP: groups 10 + MF5 0.5, TOTAL 11 leaves 0.5 unallocated.
    assert_eq!(total(L::Imports), Some(11_000.0));
    // EXP MF2 is confidential: TOTAL 5 = 3 known + 2 MIXED.
    assert_eq!(total(L::Exports), Some(5_000.0));
    assert_eq!(
        acc.get(L::Exports)
            .known()
            .and_then(|a| a.group(crate::MaterialGroup::Biomass)),
        None
    );
    assert_eq!(total(L::DomesticMaterialConsumption), Some(66_500.0));
    let notes: Vec<&str> = imported
        .document
        .flows
        .iter()
        .filter_map(|f| f.note.as_deref())
        .collect();
    assert!(
        notes.iter().any(|n| n.contains("flag e: estimated")),
        "{notes:?}"
    );
    assert!(
        notes
            .iter()
            .any(|n| n.contains("EXP MF2 2022 is `:` (flag c: confidential)")),
        "{notes:?}"
    );
    // The MF2 zero of DE is a true zero and is written.
    assert!(
        imported
            .document
            .flows
            .iter()
            .any(|f| f.id.as_deref() == Some("de.mf2") && f.value == Some(0.0))
    );
    assert!(
        imported
            .warnings
            .iter()
            .any(|w| w.message.starts_with("EXP 2022:"))
    );
}

#[test]
fn an_incomplete_line_without_total_stays_missing() {
    let t = tsv(
        "env_ac_mfa.tsv",
        "freq,indic_env,material,unit,geo\\TIME_PERIOD\t2022 \nA,DE,MF1,THS_T,CZ\t10 \nA,DE,MF2,THS_T,CZ\t: \n",
    );
    let diags = build_model(&[t], &OPTS).expect_err("no flow to write");
    assert!(diags[0].message.contains("no flow circ can write"));
    let w = &diags[1];
    assert!(
        w.message
            .starts_with("DE 2022 stays missing: DE MF2 2022 is `:`; MF3 is not in the files"),
        "{}",
        w.message
    );
    assert_eq!(w.location.line, Some(2));
}

#[test]
fn treatment_generation_and_published_rates() {
    let wastrt = "DATAFLOW,LAST UPDATE,freq,wst_oper,waste,hazard,unit,geo,TIME_PERIOD,OBS_VALUE,OBS_FLAG\nESTAT:ENV_WASTRT(1.0),05/06/24 23:00:00,A,TRT,TOTAL,HAZ_NHAZ,T,CZ,2022,100,\nESTAT:ENV_WASTRT(1.0),05/06/24 23:00:00,A,RCV_R,TOTAL,HAZ_NHAZ,T,CZ,2022,40,\nESTAT:ENV_WASTRT(1.0),05/06/24 23:00:00,A,RCV_R,W01,HAZ_NHAZ,T,CZ,2022,9,\nESTAT:ENV_WASTRT(1.0),05/06/24 23:00:00,A,RCV_B,TOTAL,HAZ_NHAZ,T,CZ,2022,20,\nESTAT:ENV_WASTRT(1.0),05/06/24 23:00:00,A,RCV_E,TOTAL,HAZ_NHAZ,T,CZ,2022,10,p\nESTAT:ENV_WASTRT(1.0),05/06/24 23:00:00,A,DSP_I,TOTAL,HAZ_NHAZ,T,CZ,2022,0,\nESTAT:ENV_WASTRT(1.0),05/06/24 23:00:00,A,DSP_L,TOTAL,HAZ_NHAZ,T,CZ,2022,25,\nESTAT:ENV_WASTRT(1.0),05/06/24 23:00:00,A,DSP_OTH,TOTAL,HAZ_NHAZ,T,CZ,2022,5,\n";
    let (t1, d) = parse_sdmx_csv(
        SourceText {
            name: "wastrt.csv",
            text: wastrt,
        },
        &Filter::default(),
    );
    assert!(d.is_empty(), "{d:?}");
    let t2 = tsv(
        "estat_env_wasgen.tsv",
        "freq,waste,hazard,nace_r2,unit,geo\\TIME_PERIOD\t2022 \nA,TOTAL,HAZ_NHAZ,TOTAL_HH,T,CZ\t120 \nA,TOTAL,HAZ_NHAZ,TOTAL_HH,KG_HAB,CZ\t11 \n",
    );
    let t3 = tsv(
        "env_ac_cur.tsv",
        "freq,material,unit,geo\\TIME_PERIOD\t2022 \nA,TOTAL,PC,CZ\t11.9 \nA,MF2,PC,CZ\t30.1 p\n",
    );
    let imported = build_model(&[t1, t2, t3], &OPTS).expect("builds");
    let m = load(&imported);
    let report = crate::run(&m);
    let v = |id: &str| report.indicator(id).and_then(|i| i.value);
    assert_eq!(v("waste.treatment_share.recycling"), Some(0.4));
    assert_eq!(v("waste.treatment_share.landfill"), Some(0.3));
    assert_eq!(v("eurostat.cmu_rate"), None);
    let reason = report
        .indicator("eurostat.cmu_rate")
        .and_then(|i| i.reason.clone())
        .unwrap_or_default();
    assert!(reason.contains("IMP_w"), "{reason}");
    assert_eq!(imported.published.len(), 2);
    assert_eq!(imported.published[0].id, "eurostat.cmu_rate.mf2");
    let lines = compare_published(&report, &imported.published);
    assert!(
        lines[1]
            .starts_with("eurostat.cmu_rate: published 11.9 % [env_ac_cur]; circ: not computable"),
        "{lines:?}"
    );
    let sources = &imported.document.meta.sources;
    assert_eq!(
        sources[0].release.as_deref(),
        Some("05/06/24 23:00:00 (LAST UPDATE in the file)")
    );
    assert!(
        sources[1]
            .note
            .as_deref()
            .unwrap_or("")
            .contains("not read: unit KG_HAB"),
        "{:?}",
        sources[1].note
    );
    assert!(
        sources[2]
            .note
            .as_deref()
            .unwrap_or("")
            .contains("MF2 30.1 p")
    );
}

#[test]
fn no_figure_for_the_geography_is_an_error() {
    let t = tsv(
        "a.tsv",
        "freq,indic_env,material,unit,geo\\TIME_PERIOD\t2022 \nA,DE,MF1,THS_T,PL\t1 \n",
    );
    let err = build_model(&[t], &OPTS).expect_err("nothing for CZ");
    assert!(
        err[0]
            .message
            .contains("no figure circ reads for geo CZ and year 2022")
    );
}

#[test]
fn dmc_without_components_is_kept_for_comparison_only() {
    let t = tsv(
        "env_ac_mfa.tsv",
        "freq,indic_env,material,unit,geo\\TIME_PERIOD\t2022 \nA,DMC,TOTAL,THS_T,CZ\t150000.5 \n",
    );
    let diags = build_model(&[t], &OPTS).expect_err("no flow to write");
    assert!(
        diags[1]
            .message
            .contains("keeps the file's figure for comparison only"),
        "{diags:?}"
    );
}

#[test]
fn irp_categories_sum_into_groups() {
    let text = "Country,Category,Flow name,Flow code,Flow unit,2019\nUkraine,Crops,Domestic Extraction,DE,t,100\nUkraine,Wood,Domestic Extraction,DE,t,50.5\nUkraine,Ferrous ores,Domestic Extraction,DE,t,200\nUkraine,Non-metallic minerals - construction dominant,Domestic Extraction,DE,t,300\nUkraine,Coal,Domestic Extraction,DE,t,400\n";
    let (t, d) = crate::import::parse_irp_csv(
        SourceText {
            name: "irp.csv",
            text,
        },
        &Filter::default(),
    );
    assert!(d.is_empty());
    let opts = ImportOptions {
        geo: "Ukraine",
        year: "2019",
        release: Some("2024"),
        name: None,
    };
    let imported = build_model(&[t], &opts).expect("builds");
    let mf1 = imported
        .document
        .flows
        .iter()
        .find(|f| f.id.as_deref() == Some("de.mf1"))
        .expect("MF1");
    assert_eq!(mf1.value, Some(150.5));
    assert!(
        mf1.note
            .as_deref()
            .unwrap_or("")
            .starts_with("sum of 2 rows")
    );
    let m = load(&imported);
    let acc = crate::accounts(&m);
    assert_eq!(
        acc.get(crate::accounts::AccountLine::DomesticExtraction)
            .known()
            .map(crate::Amount::total),
        Some(1050.5)
    );
}

/// Regression (fuzz targets `eurostat_tsv`, `sdmx_csv`): control characters in a file's codes
/// reached the comment at the head of the written TOML, which then did not load.
#[test]
fn control_characters_of_a_file_do_not_break_the_written_model() {
    let t = tsv(
        "env\u{1}.tsv",
        "freq,wst_oper,waste,hazard,unit,geo\\TIME_PERIOD\t2022 \nA,RCV_R,TOTAL,HAZ_NHAZ,T,C\u{0}Z\t5 \n",
    );
    let opts = ImportOptions {
        geo: "C\u{0}Z",
        ..OPTS
    };
    let imported = build_model(&[t], &opts).expect("builds");
    load(&imported);
}

/// Found by the sdmx_csv fuzz target: a negative figure that would become a flow is an error at
/// its cell (the model would not load), while a negative PTB, which is only compared, is not.
#[test]
fn a_negative_flow_figure_is_an_error_at_its_cell() {
    let t = tsv(
        "env_wasgen.tsv",
        "freq,waste,hazard,nace_r2,unit,geo\\TIME_PERIOD\t2022 \nA,TOTAL,HAZ_NHAZ,TOTAL_HH,T,CZ\t-9191940 p\n",
    );
    let errors = build_model(&[t], &OPTS).expect_err("a negative flow");
    let text: Vec<String> = errors.iter().map(ToString::to_string).collect();
    assert_eq!(errors.len(), 1, "{text:?}");
    assert_eq!(
        (errors[0].location.line, errors[0].location.column),
        (Some(2), Some(2))
    );
    assert!(
        text[0].contains("waste generated: -9191940 is negative"),
        "{text:?}"
    );
    let t = tsv(
        "env_ac_mfa.tsv",
        "freq,indic_env,material,unit,geo\\TIME_PERIOD\t2022 \nA,DE,TOTAL,THS_T,CZ\t10 \nA,IMP,TOTAL,THS_T,CZ\t1 \nA,EXP,TOTAL,THS_T,CZ\t5 \nA,PTB,TOTAL,THS_T,CZ\t-4 \n",
    );
    let imported = build_model(&[t], &OPTS).expect("a negative PTB is not a flow");
    load(&imported);
}
