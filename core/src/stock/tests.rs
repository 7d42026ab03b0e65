//! Tests of the dynamic stock kernels: ODYM's golden arrays (cases DSM-F, DSM-N, DSM-W of
//! ../shared/reference/INDICATORS.md §3.3) to 8 decimals, the shrinking-stock policy worked by
//! hand, initial cohorts, and laws for any inflow and lifetime (proptest).

use proptest::prelude::*;

use super::*;

const INFLOW: [f64; 10] = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0];

fn odym(lifetime: Lifetime) -> Survival {
    Survival::new(lifetime, Timing::End, 10, LifetimeChanges::none())
}

/// `|got − want| < 0.5e-8` for each element, as numpy's `assert_array_almost_equal(…, 8)`.
fn assert_8_decimals(got: &[f64], want: &[f64], what: &str) {
    assert_eq!(got.len(), want.len(), "{what}");
    for (k, (g, w)) in got.iter().zip(want).enumerate() {
        assert!((g - w).abs() < 1.5e-8, "{what}[{k}]: {g} vs {w}");
    }
}

fn balance(s: &StockSeries, initial: f64) -> f64 {
    let mut prev = initial;
    let mut worst: f64 = 0.0;
    for t in 0..s.stock.len() {
        let gap = s.inflow[t] - s.outflow[t] - (s.stock[t] - prev);
        worst = worst.max(gap.abs());
        prev = s.stock[t];
    }
    worst
}

#[test]
fn dsm_f_fixed_lifetime() {
    let sf = odym(Lifetime::fixed(5.0).expect("valid"));
    let s = inflow_driven(&sf, &[], &INFLOW, false).expect("valid");
    assert_eq!(
        s.stock,
        [1.0, 3.0, 6.0, 10.0, 15.0, 20.0, 25.0, 30.0, 35.0, 40.0]
    );
    assert_eq!(
        s.outflow,
        [0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 2.0, 3.0, 4.0, 5.0]
    );
    let back = stock_driven(&sf, &[], &s.stock, false).expect("valid");
    assert_eq!(back.inflow, INFLOW, "ODYM asserts array_equal");
    assert_eq!(back.outflow, s.outflow);
    // Fixed mean 0: nothing stays, everything leaves in its inflow year.
    let zero = odym(Lifetime::fixed(0.0).expect("valid"));
    let s = inflow_driven(&zero, &[], &INFLOW, false).expect("valid");
    assert_eq!(s.stock, [0.0; 10]);
    assert_eq!(s.outflow, INFLOW);
}

#[test]
fn dsm_n_normal_lifetime() {
    let sf = odym(Lifetime::normal(5.0, 1.5).expect("valid"));
    let s = inflow_driven(&sf, &[], &INFLOW, true).expect("valid");
    let stock = [
        0.99957094,
        2.9953115,
        5.96830193,
        9.85008113,
        14.4793678,
        19.60865447,
        24.99043368,
        30.46342411,
        35.95916467,
        41.45873561,
    ];
    let outflow = [
        4.29060333e-04,
        4.25944090e-03,
        2.70095728e-02,
        1.18220793e-01,
        3.70713330e-01,
        8.70713330e-01,
        1.61822079,
        2.52700957,
        3.50425944,
        4.50042906,
    ];
    assert_8_decimals(&s.stock, &stock, "stock");
    assert_8_decimals(&s.outflow, &outflow, "outflow");
    // The cohort table sums to the totals.
    let tab = s.by_cohort.as_ref().expect("asked for");
    for t in 0..10 {
        let row = &tab.stock[t * tab.columns..(t + 1) * tab.columns];
        assert!((row.iter().sum::<f64>() - s.stock[t]).abs() < 1e-12);
    }
    let back = stock_driven(&sf, &[], &s.stock, false).expect("valid");
    assert_8_decimals(&back.inflow, &INFLOW, "inflow from stock");
    assert!(back.deficit.iter().all(|d| *d == 0.0));
}

#[test]
fn dsm_w_weibull_lifetime() {
    let sf = odym(Lifetime::weibull(1.2, 1.0).expect("valid"));
    let s = inflow_driven(&sf, &[], &INFLOW, false).expect("valid");
    let stock = [
        1.0,
        2.367879441,
        3.836279069,
        5.328499576,
        6.825822547,
        8.324154666,
        9.822673522,
        11.321225,
        12.8197819,
        14.31833966,
    ];
    let outflow = [
        0.0,
        0.632120559,
        1.531600372,
        2.507779493,
        3.502677029,
        4.50166788,
        5.501481144,
        6.501448519,
        7.5014431,
        8.501442241,
    ];
    // "Computed with Excel" to 9–10 significant digits; ODYM asserts 8 decimals.
    assert_8_decimals(&s.stock, &stock, "stock");
    assert_8_decimals(&s.outflow, &outflow, "outflow");
}

/// The shrinking-stock policy, worked by hand. Fixed lifetime 3 at ages 0, 1, 2, …: a cohort
/// stays for its inflow year and two more. Stock path 10, 10, 4.
/// - year 0: inflow 10.
/// - year 1: survivors 10, inflow 0.
/// - year 2: survivors 10 > 4: inflow 0, every cohort reduced to 4/10, deficit 6 leaves.
/// - year 3: cohort 0 (now 4) reaches age 3 and leaves; stock 0 needs nothing; outflow 4.
#[test]
fn a_shrinking_stock_takes_the_deficit_from_every_cohort() {
    let sf = Survival::new(
        Lifetime::fixed(3.0).expect("valid"),
        Timing::End,
        4,
        LifetimeChanges::none(),
    );
    let s = stock_driven(&sf, &[], &[10.0, 10.0, 4.0, 0.0], true).expect("valid");
    assert_eq!(s.inflow, [10.0, 0.0, 0.0, 0.0]);
    assert_eq!(s.deficit, [0.0, 0.0, 6.0, 0.0]);
    assert_eq!(s.outflow, [0.0, 0.0, 6.0, 4.0]);
    assert_eq!(s.stock, [10.0, 10.0, 4.0, 0.0]);
    assert!(s.inflow.iter().all(|i| *i >= 0.0));
    let tab = s.by_cohort.expect("asked for");
    assert_eq!(tab.stock[2 * tab.columns], 4.0);
    assert_eq!(tab.outflow[2 * tab.columns], 6.0);
    assert_eq!(tab.outflow[3 * tab.columns], 4.0);

    // Two cohorts are reduced in proportion: survivors 6 (cohort 0) + 4 (cohort 1) to 5.
    let sf = Survival::new(
        Lifetime::fixed(5.0).expect("valid"),
        Timing::End,
        3,
        LifetimeChanges::none(),
    );
    let s = stock_driven(&sf, &[], &[6.0, 10.0, 5.0], true).expect("valid");
    let tab = s.by_cohort.expect("asked for");
    assert_eq!(&tab.stock[6..8], &[3.0, 2.0]);
    assert_eq!(s.deficit[2], 5.0);
}

#[test]
fn stock_that_cannot_be_built_is_an_error() {
    let sf = Survival::new(
        Lifetime::fixed(0.0).expect("valid"),
        Timing::End,
        2,
        LifetimeChanges::none(),
    );
    assert_eq!(
        stock_driven(&sf, &[], &[0.0, 3.0], false),
        Err(StockError::NoSurvivalInInflowYear {
            index: 1,
            needed: 3.0
        })
    );
    let sf = odym(Lifetime::normal(5.0, 1.0).expect("valid"));
    assert!(matches!(
        stock_driven(&sf, &[], &[1.0; 9], false),
        Err(StockError::Length { .. })
    ));
    let mut bad = [1.0; 10];
    bad[3] = -1.0;
    assert_eq!(
        stock_driven(&sf, &[], &bad, false),
        Err(StockError::BadValue {
            series: "stock",
            index: 3,
            value: -1.0
        })
    );
    bad[3] = f64::NAN;
    assert!(inflow_driven(&sf, &[], &bad, false).is_err());
    // A fixed lifetime of 3 leaves nothing of a cohort 5 years old.
    let sf = odym(Lifetime::fixed(3.0).expect("valid"));
    let old = [InitialCohort {
        years_before: 5,
        mass: 2.0,
    }];
    assert_eq!(
        inflow_driven(&sf, &old, &INFLOW, false),
        Err(StockError::NoSurvivors {
            years_before: 5,
            mass: 2.0
        })
    );
}

/// An initial stock by cohort behaves as the cohorts of a longer axis would: run 30 years of
/// inflow, take the stock by cohort at the end of year 19 as the initial stock, and the last 10
/// years agree.
#[test]
fn initial_cohorts_continue_a_longer_run() {
    for timing in Timing::ALL {
        let lt = Lifetime::lognormal(8.0, 4.0).expect("valid");
        let long = Survival::new(lt, timing, 30, LifetimeChanges::none());
        let inflow: Vec<f64> = (0..30)
            .map(|t| 1.0 + libm::sin(t as f64 * 0.7).abs())
            .collect();
        let full = inflow_driven(&long, &[], &inflow, true).expect("valid");
        let tab = full.by_cohort.as_ref().expect("asked for");
        let initial: Vec<InitialCohort> = (0..20)
            .map(|c| InitialCohort {
                years_before: 20 - c,
                mass: tab.stock[19 * tab.columns + c],
            })
            .collect();
        let short = Survival::new(lt, timing, 10, LifetimeChanges::none());
        let part = inflow_driven(&short, &initial, &inflow[20..], false).expect("valid");
        for t in 0..10 {
            assert!((part.stock[t] - full.stock[20 + t]).abs() < 1e-12);
            assert!((part.outflow[t] - full.outflow[20 + t]).abs() < 1e-12);
        }
        let back = stock_driven(&short, &initial, &part.stock, false).expect("valid");
        for t in 0..10 {
            assert!(
                (back.inflow[t] - inflow[20 + t]).abs() < 1e-10,
                "{timing:?}"
            );
        }
    }
}

fn lifetime() -> impl Strategy<Value = Lifetime> {
    prop_oneof![
        (0.0..40.0f64).prop_map(|m| Lifetime::fixed(m).expect("valid")),
        (0.5..40.0f64, 0.1..20.0f64).prop_map(|(m, s)| Lifetime::normal(m, s).expect("valid")),
        (0.0..40.0f64, 0.1..20.0f64)
            .prop_map(|(m, s)| Lifetime::folded_normal(m, s).expect("valid")),
        (0.5..40.0f64, 0.1..20.0f64).prop_map(|(m, s)| Lifetime::lognormal(m, s).expect("valid")),
        (0.3..5.0f64, 0.5..40.0f64).prop_map(|(k, l)| Lifetime::weibull(k, l).expect("valid")),
    ]
}

fn timing() -> impl Strategy<Value = Timing> {
    prop_oneof![Just(Timing::End), Just(Timing::Middle), Just(Timing::Start)]
}

fn changes(n: usize) -> impl Strategy<Value = LifetimeChanges> {
    prop_oneof![
        Just(LifetimeChanges::none()),
        (0..n, 0.5..2.0f64, any::<bool>()).prop_map(move |(from, f, nurture)| {
            let mut v = vec![1.0; n];
            v[from..].fill(f);
            if nurture {
                LifetimeChanges {
                    by_year: v,
                    by_cohort: Vec::new(),
                    before_axis: 1.0,
                }
            } else {
                LifetimeChanges {
                    by_year: Vec::new(),
                    by_cohort: v,
                    before_axis: 1.0,
                }
            }
        }),
    ]
}

proptest! {
    /// i − o − Δs = 0 for any inflow, lifetime, timing and lifetime change.
    #[test]
    fn inflow_driven_conserves_mass(
        lt in lifetime(),
        timing in timing(),
        (inflow, ch) in (1usize..60).prop_flat_map(|n| {
            (proptest::collection::vec(prop_oneof![Just(0.0), 0.0..1e6f64], n), changes(n))
        }),
        initial in proptest::collection::vec((1usize..30, 0.0..1e5f64), 0..4),
    ) {
        let n = inflow.len();
        let sf = Survival::new(lt, timing, n, ch);
        let initial: Vec<InitialCohort> = initial
            .into_iter()
            .map(|(years_before, mass)| InitialCohort { years_before, mass })
            .filter(|c| sf.before_axis_survival(c.years_before) > 0.0)
            .collect();
        let total: f64 = initial.iter().map(|c| c.mass).sum();
        let s = inflow_driven(&sf, &initial, &inflow, true).expect("valid");
        let scale = inflow.iter().sum::<f64>() + total + 1.0;
        prop_assert!(balance(&s, total) <= 1e-12 * scale, "{}", balance(&s, total));
        prop_assert!(s.stock.iter().chain(&s.outflow).all(|v| *v >= -1e-9 * scale));
        let fast = inflow_driven(&sf, &initial, &inflow, false).expect("valid");
        for (u, v) in fast.stock.iter().zip(&s.stock).chain(fast.outflow.iter().zip(&s.outflow)) {
            prop_assert!((u - v).abs() <= 1e-12 * scale, "{u} vs {v}");
        }
        let tab = s.by_cohort.as_ref().expect("asked for");
        for t in 0..n {
            let row: f64 = tab.stock[t * tab.columns..(t + 1) * tab.columns].iter().sum();
            prop_assert!((row - s.stock[t]).abs() <= 1e-12 * scale);
        }
    }

    /// The stock-driven model inverts the inflow-driven one, whenever new cohorts survive their
    /// first year; and it always conserves mass and gives no negative inflow.
    #[test]
    fn stock_driven_inverts_inflow_driven(
        lt in lifetime(),
        timing in timing(),
        (inflow, ch) in (1usize..60).prop_flat_map(|n| {
            (proptest::collection::vec(0.0..1e6f64, n), changes(n))
        }),
        shrink in proptest::collection::vec(0.0..1.0f64, 60),
    ) {
        let n = inflow.len();
        let sf = Survival::new(lt, timing, n, ch);
        let forward = inflow_driven(&sf, &[], &inflow, false).expect("valid");
        let scale = inflow.iter().sum::<f64>() + 1.0;
        // Each year's inflow, recovered, as far as the first diagonal tells it (ODYM: an
        // inflow that leaves within its year cannot be seen in the stock).
        if (0..n).all(|t| sf.col(t)[0] > 0.1) {
            let back = stock_driven(&sf, &[], &forward.stock, false).expect("valid");
            for (t, (got, want)) in back.inflow.iter().zip(&inflow).enumerate() {
                prop_assert!((got - want).abs() <= 1e-8 * scale, "t {t}: {got} vs {want}");
            }
        }
        // Any stock path, shrinking ones included.
        let path: Vec<f64> = forward.stock.iter().zip(&shrink).map(|(s, f)| s * f).collect();
        // The totals-only path and the cohort-table path agree, deficits included.
        let fast = stock_driven(&sf, &[], &path, false);
        let full = stock_driven(&sf, &[], &path, true);
        prop_assert_eq!(fast.is_ok(), full.is_ok());
        if let (Ok(a), Ok(b)) = (&fast, &full) {
            for (x, y) in [(&a.stock, &b.stock), (&a.inflow, &b.inflow), (&a.outflow, &b.outflow), (&a.deficit, &b.deficit)] {
                for (u, v) in x.iter().zip(y.iter()) {
                    prop_assert!((u - v).abs() <= 1e-9 * scale, "{u} vs {v}");
                }
            }
        }
        if let Ok(s) = full {
            prop_assert!(s.inflow.iter().all(|i| *i >= 0.0));
            prop_assert!(s.deficit.iter().all(|d| *d >= 0.0));
            prop_assert!(balance(&s, 0.0) <= 1e-9 * scale, "{}", balance(&s, 0.0));
            for (got, want) in s.stock.iter().zip(&path) {
                prop_assert!((got - want).abs() <= 1e-9 * scale);
            }
        }
    }
}
