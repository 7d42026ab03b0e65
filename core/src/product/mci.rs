//! The Ellen MacArthur Foundation's Material Circularity Indicator (MCI), of a product and of a
//! company.
//!
//! Per material k of a product (mass M_k), then summed over the materials into one Linear Flow
//! Index with the product's total mass M:
//!
//! ```text
//! V   = Σ M_k (1 − F_R − F_U − F_S)                  virgin feedstock      (2015: no F_S)
//! W_0 = Σ M_k (1 − C_R − C_U − C_C − C_E)            unrecoverable waste   (2015: 1 − C_R − C_U)
//! W_C = Σ M_k (1 − E_C) C_R                          waste of recycling at end of use
//! W_F = Σ M_k (1 − E_F) F_R / E_F                    waste of making the recycled feedstock
//! W   = W_0 + (W_F + W_C) / 2
//! LFI = (V + W) / (2M + (W_F − W_C) / 2)
//! X   = (L / L_av) · (U / U_av),  F(X) = 0.9 / X
//! MCI = max(0, 1 − LFI · F(X))
//! MCI_company = Σ_i Z_i · MCI_i / Σ_i Z_i,  Z_i = mass or revenue of product line i
//! ```
//!
//! # Conventions
//! Where the sources leave room (see `../shared/reference/INDICATORS.md` §1), circ chooses:
//! - **LFI denominator**: the EMF form with the correction `(W_F − W_C)/2`, which keeps the LFI in
//!   [0, 1]; not the `(V + W)/(2M)` that some secondary sources print.
//! - **Multi-material products**: V, W_0, W_F and W_C are summed over the materials and one LFI
//!   is taken with the total mass. This is not the mass-weighted mean of per-material LFIs when
//!   W_F ≠ W_C (the unit test `one_lfi_for_many_materials_not_a_mean` shows the difference).
//! - **E_F = 0 with F_R > 0** is refused when the file is read: a recycling process of efficiency
//!   0 yields no recycled feedstock, so the two figures contradict each other, and the W_F term
//!   (F_R / E_F) has no value. One public implementation sets W_F = 0 on the division error,
//!   which would credit the impossible input with the *least* waste; circ asks for a fix instead.
//!   With F_R = 0, W_F = 0 whatever E_F is, and E_F may be left out.
//! - **E_C** may be 0 (everything collected for recycling is lost in the process); it may be left
//!   out only when C_R = 0.
//! - **C_E (2019)**: energy recovery is credited only for a biological material whose virgin
//!   feedstock is all from sustained production (V_k = 0: F_R + F_U + F_S = 1); otherwise the
//!   mass sent to energy recovery counts in W_0 and the file gets a warning. The EMF's exact
//!   wording of the requirements for inclusion (which also speak of contamination) could not be
//!   re-read; that part is the user's to assert.
//! - **2015**: F_S, C_C and C_E are not part of the method; given in a 2015 file they count as
//!   virgin feedstock and unrecoverable waste, with a warning.
//! - **Utility**: a ratio (lifetime or intensity of use) that the file does not give counts as
//!   1, the industry average; the report says which ratios were given. Non-standard variants
//!   with a mass term in X are not used.
//! - **Clamp at 0**: MCI = max(0, MCI*); the unclamped MCI* is reported as an input.
//! - **Rounding**: shares that add up to 1 may leave a float residue (1 − 0.7 − 0.3 is not exactly
//!   0 in binary); the rest of the feedstock (V) and of the end-of-use mass (W_0) is snapped to 0
//!   below 8 ε ≈ 1.8e−15, and floored at 0, so that a fully circular material has exactly V = 0.
//! - **Company**: the weighted mean of the product lines' (clamped) MCIs, with Z_i the mass sold
//!   per year (product mass × units) or the revenue, as the file chooses (default mass).
//!
//! # Laws (tested)
//! MCI ∈ [0, 1]; a fully linear product of average utility scores 0.1; a fully restorative one
//! scores 1; and the MCI never falls as recycled content replaces virgin feedstock **when
//! E_F ≥ 1/3**. Below that, making one unit of recycled feedstock wastes (1 − E_F)/E_F > 2 units,
//! and the formula's LFI can rise: a property of the EMF formula, shown by the unit test
//! `low_feedstock_efficiency_can_make_recycled_content_lower_the_mci`.
//!
//! # References
//! - Ellen MacArthur Foundation and Granta Design (2015), *Circularity Indicators: An Approach to
//!   Measuring Circularity. Methodology*, May 2015.
//! - Ellen MacArthur Foundation (2019), *Circularity Indicators: Methodology* (2019 revision),
//!   with sustained production, composting and energy recovery.
//! - EMF tool page: <https://www.ellenmacarthurfoundation.org/resources/apply/material-circularity-indicator>.

use serde::Serialize;

use super::{Material, Method, Product, Utility};
use crate::indicator::{Indicator, Reference};

/// The EMF methodology, both editions.
pub const EMF: Reference = Reference {
    citation: "Ellen MacArthur Foundation and Granta Design (2015), Circularity Indicators: An Approach to Measuring Circularity, Methodology; 2019 revision",
    url: "https://www.ellenmacarthurfoundation.org/resources/apply/material-circularity-indicator",
};

/// The MCI of a product.
pub const MCI: Indicator = Indicator {
    id: "emf.mci",
    name: "Material Circularity Indicator",
    formula: "MCI = max(0, 1 − LFI · F(X)), F(X) = 0.9 / X",
    source: EMF,
    convention: Some(
        "Clamped at 0 as the methodology says; the unclamped MCI* is given as an input. The 0.9 makes a fully linear product of average utility score 0.1.",
    ),
};

/// The Linear Flow Index of a product, 2019 method.
pub const LFI_2019: Indicator = Indicator {
    id: "emf.lfi",
    name: "Linear Flow Index",
    formula: "LFI = (V + W) / (2M + (W_F − W_C)/2), V = Σ M(1 − F_R − F_U − F_S), W = W_0 + (W_F + W_C)/2, W_0 = Σ M(1 − C_R − C_U − C_C − C_E), W_C = Σ M(1 − E_C)C_R, W_F = Σ M(1 − E_F)F_R/E_F",
    source: EMF,
    convention: Some(
        "Sums over the materials, then one LFI with the total mass (not a mean of per-material LFIs). The denominator has the EMF correction (W_F − W_C)/2. C_E is credited only for biological material whose virgin feedstock is all from sustained production. E_F = 0 with F_R > 0 is refused as contradictory; with F_R = 0, W_F = 0.",
    ),
};

/// The Linear Flow Index of a product, 2015 method.
pub const LFI_2015: Indicator = Indicator {
    id: "emf.lfi",
    name: "Linear Flow Index",
    formula: "LFI = (V + W) / (2M + (W_F − W_C)/2), V = Σ M(1 − F_R − F_U), W = W_0 + (W_F + W_C)/2, W_0 = Σ M(1 − C_R − C_U), W_C = Σ M(1 − E_C)C_R, W_F = Σ M(1 − E_F)F_R/E_F",
    source: EMF,
    convention: Some(
        "2015 method: sustained-production feedstock counts as virgin, composting and energy recovery as unrecoverable waste. Sums over the materials, then one LFI with the total mass. E_F = 0 with F_R > 0 is refused as contradictory; with F_R = 0, W_F = 0.",
    ),
};

/// The utility X of a product.
pub const UTILITY: Indicator = Indicator {
    id: "emf.utility",
    name: "Utility",
    formula: "X = (L / L_av) · (U / U_av)",
    source: EMF,
    convention: Some(
        "A ratio the file does not give (lifetime or intensity of use) counts as 1, the industry average.",
    ),
};

/// The MCI of a company or business unit, weighted by mass.
pub const MCI_BY_MASS: Indicator = Indicator {
    id: "emf.mci",
    name: "Material Circularity Indicator",
    formula: "MCI = Σ Z_i · MCI_i / Σ Z_i, Z_i = mass of product line i per year (product mass × units)",
    source: EMF,
    convention: Some(
        "Weighted by the mass of each product line sold per year (the methodology names mass and revenue as normalising factors). Product MCIs enter clamped at 0.",
    ),
};

/// The MCI of a company or business unit, weighted by revenue.
pub const MCI_BY_REVENUE: Indicator = Indicator {
    id: "emf.mci",
    name: "Material Circularity Indicator",
    formula: "MCI = Σ Z_i · MCI_i / Σ Z_i, Z_i = revenue of product line i per year",
    source: EMF,
    convention: Some(
        "Weighted by the revenue of each product line (the methodology names mass and revenue as normalising factors). Product MCIs enter clamped at 0.",
    ),
};

/// The flows of one material that enter the LFI, per unit of product, in the file's mass unit.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct MaterialFlows {
    /// M_k: mass.
    pub mass: f64,
    /// V_k: virgin feedstock.
    pub virgin: f64,
    /// W_0,k: unrecoverable waste of the linear flow.
    pub unrecoverable: f64,
    /// W_C,k: waste generated by recycling the material at end of use.
    pub recycling_waste: f64,
    /// W_F,k: waste generated making its recycled feedstock.
    pub feedstock_waste: f64,
    /// Whether energy recovery was credited as C_E (2019, qualifying material only).
    pub energy_recovery_credited: bool,
}

/// Every term of a product's MCI, in the file's mass unit.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct MciTerms {
    /// M: mass of one unit.
    pub mass: f64,
    /// V: virgin feedstock.
    pub virgin: f64,
    /// W_0: unrecoverable waste of the linear flow.
    pub unrecoverable: f64,
    /// W_C: waste of recycling at end of use.
    pub recycling_waste: f64,
    /// W_F: waste of making the recycled feedstock.
    pub feedstock_waste: f64,
    /// W = W_0 + (W_F + W_C)/2.
    pub waste: f64,
    /// LFI.
    pub lfi: f64,
    /// X.
    pub utility: f64,
    /// F(X) = 0.9 / X.
    pub utility_factor: f64,
    /// MCI* = 1 − LFI · F(X), before the clamp.
    pub unclamped: f64,
    /// MCI = max(0, MCI*).
    pub mci: f64,
}

/// Whether energy recovery of a material counts as C_E: only by the 2019 method, only for a
/// biological material whose virgin feedstock is all from sustained production.
#[must_use]
pub fn energy_recovery_qualifies(material: &Material, method: Method) -> bool {
    method == Method::Emf2019
        && material.biological
        && material.recycled + material.reused + material.sustained >= 1.0 - SHARE_TOLERANCE
}

/// How far shares may exceed their bounds by float rounding (the validator's tolerance).
pub(crate) const SHARE_TOLERANCE: f64 = 1e-9;

/// V_k, W_0,k, W_C,k and W_F,k of one material.
#[must_use]
pub fn material_flows(material: &Material, method: Method) -> MaterialFlows {
    let m = material.mass;
    let (sustained, composting) = match method {
        Method::Emf2015 => (0.0, 0.0),
        Method::Emf2019 => (material.sustained, material.composting),
    };
    let credited = energy_recovery_qualifies(material, method);
    let energy = if credited {
        material.energy_recovery
    } else {
        0.0
    };
    let virgin = m * rest(&[material.recycled, material.reused, sustained]);
    let unrecoverable = m * rest(&[material.recycling, material.reuse, composting, energy]);
    let recycling_waste = match material.recycling_efficiency {
        Some(e_c) => m * (1.0 - e_c) * material.recycling,
        None => 0.0,
    };
    // F_R = 0 makes W_F = 0 whatever E_F is; validation refuses E_F = 0 with F_R > 0.
    let feedstock_waste = match material.feedstock_efficiency {
        Some(e_f) if material.recycled > 0.0 => m * (1.0 - e_f) * material.recycled / e_f,
        _ => 0.0,
    };
    MaterialFlows {
        mass: m,
        virgin,
        unrecoverable,
        recycling_waste,
        feedstock_waste,
        energy_recovery_credited: credited,
    }
}

/// The share left by `shares` of one whole: 1 − Σ shares, floored at 0 and snapped to 0 when
/// it is only the rounding residue of shares that add up to 1 (such as 1 − 0.7 − 0.3, which is
/// not exactly 0 in binary), so that a fully circular material has exactly V = 0 or W_0 = 0.
#[must_use]
pub fn rest(shares: &[f64]) -> f64 {
    let r = shares.iter().fold(1.0, |acc, s| acc - s);
    if r <= 8.0 * f64::EPSILON { 0.0 } else { r }
}

/// LFI = (V + W) / (2M + (W_F − W_C)/2), the EMF form with the correction term.
#[must_use]
pub fn linear_flow_index(virgin: f64, waste: f64, mass: f64, w_f: f64, w_c: f64) -> f64 {
    (virgin + waste) / (2.0 * mass + (w_f - w_c) / 2.0)
}

/// F(X) = 0.9 / X.
#[must_use]
pub fn utility_factor(x: f64) -> f64 {
    0.9 / x
}

/// MCI* = 1 − LFI · F(X), before the clamp at 0.
#[must_use]
pub fn unclamped_mci(lfi: f64, x: f64) -> f64 {
    1.0 - lfi * utility_factor(x)
}

/// Every term of the MCI of a product with these materials and this utility.
#[must_use]
pub fn terms(materials: &[Material], utility: Utility, method: Method) -> MciTerms {
    let mut t = MciTerms {
        mass: 0.0,
        virgin: 0.0,
        unrecoverable: 0.0,
        recycling_waste: 0.0,
        feedstock_waste: 0.0,
        waste: 0.0,
        lfi: 0.0,
        utility: utility.x(),
        utility_factor: 0.0,
        unclamped: 0.0,
        mci: 0.0,
    };
    for m in materials {
        let f = material_flows(m, method);
        t.mass += f.mass;
        t.virgin += f.virgin;
        t.unrecoverable += f.unrecoverable;
        t.recycling_waste += f.recycling_waste;
        t.feedstock_waste += f.feedstock_waste;
    }
    t.waste = t.unrecoverable + (t.feedstock_waste + t.recycling_waste) / 2.0;
    t.lfi = linear_flow_index(
        t.virgin,
        t.waste,
        t.mass,
        t.feedstock_waste,
        t.recycling_waste,
    );
    t.utility_factor = utility_factor(t.utility);
    t.unclamped = unclamped_mci(t.lfi, t.utility);
    // `f64::max` would turn a NaN (from terms that overflowed) into 0: keep it NaN, for the
    // report to say the computation overflowed.
    t.mci = if t.unclamped.is_nan() {
        f64::NAN
    } else {
        t.unclamped.max(0.0)
    };
    t
}

/// Every term of a product's MCI.
#[must_use]
pub fn product_terms(product: &Product) -> MciTerms {
    terms(&product.materials, product.utility, product.method)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::product::testing::{linear, product};

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() <= 1e-12 * b.abs().max(1.0)
    }

    /// Case MCI-1 of ../shared/reference/INDICATORS.md §1.4 E1: all fractions 0, X = 1 give
    /// V = W = M, LFI = 1, MCI = 1 − 0.9 = 0.1 (the reference's exact value).
    #[test]
    fn mci_1_fully_linear_average_utility_scores_0_1() {
        let t = product_terms(&product(vec![linear("steel", 3.0)]));
        assert_eq!((t.virgin, t.waste, t.lfi), (3.0, 3.0, 1.0));
        assert!(close(t.mci, 0.1), "{}", t.mci);
    }

    /// Case MCI-2, §1.4 E2: F_R = 1, E_F = 1, C_R = 1, E_C = 1, X = 1 give V = W = 0, LFI = 0,
    /// MCI = 1 (the reference's exact value).
    #[test]
    fn mci_2_fully_restorative_scores_1() {
        let mut m = linear("aluminium", 2.0);
        m.recycled = 1.0;
        m.feedstock_efficiency = Some(1.0);
        m.recycling = 1.0;
        m.recycling_efficiency = Some(1.0);
        let t = product_terms(&product(vec![m]));
        assert_eq!((t.virgin, t.waste, t.lfi, t.mci), (0.0, 0.0, 0.0, 1.0));
    }

    /// Case MCI-6, §1.4 E6: the public script's call MCI(V=1, W=2, M=4, Wf=1, Wc=5, L=5,
    /// Lav=5): LFI = 3 / (8 − 2) = 0.5 and MCI = 1 − 0.5 · 0.9 = 0.55 (values computed by the
    /// reference from the formula, [C]).
    #[test]
    fn mci_6_arithmetic_check() {
        let lfi = linear_flow_index(1.0, 2.0, 4.0, 1.0, 5.0);
        assert_eq!(lfi, 0.5);
        let x = 5.0 / 5.0;
        assert!(close(unclamped_mci(lfi, x), 0.55));
    }

    /// Two materials, worked by hand from the formulas of this module (2019 method):
    ///
    /// steel, 6 kg: F_R = 0.5, E_F = 0.8, C_R = 0.9, E_C = 0.75
    ///   V = 6·0.5 = 3; W_0 = 6·0.1 = 0.6; W_C = 6·0.25·0.9 = 1.35; W_F = 6·0.2·0.5/0.8 = 0.75
    /// wood, 4 kg, biological: F_S = 0.5, C_C = 0.25, energy recovery 0.5 (not credited: half
    /// its feedstock is virgin and not from sustained production)
    ///   V = 4·0.5 = 2; W_0 = 4·0.75 = 3; W_C = W_F = 0
    /// M = 10, V = 5, W_0 = 3.6, W = 3.6 + (0.75 + 1.35)/2 = 4.65
    /// LFI = 9.65 / (20 + (0.75 − 1.35)/2) = 9.65 / 19.7 = 193/394
    /// X = 10/8 = 1.25, F(X) = 0.72, MCI = 1 − 0.72·193/394 = 255.04/394.
    fn two_materials() -> crate::product::Product {
        let mut steel = linear("steel", 6.0);
        steel.recycled = 0.5;
        steel.feedstock_efficiency = Some(0.8);
        steel.recycling = 0.9;
        steel.recycling_efficiency = Some(0.75);
        let mut wood = linear("wood", 4.0);
        wood.biological = true;
        wood.sustained = 0.5;
        wood.composting = 0.25;
        wood.energy_recovery = 0.5;
        let mut p = product(vec![steel, wood]);
        p.utility.lifetime = Some((10.0, 8.0));
        p
    }

    #[test]
    fn multi_material_product_by_hand() {
        let t = product_terms(&two_materials());
        assert!(close(t.mass, 10.0));
        assert!(close(t.virgin, 5.0));
        assert!(close(t.unrecoverable, 3.6));
        assert!(close(t.recycling_waste, 1.35));
        assert!(close(t.feedstock_waste, 0.75));
        assert!(close(t.waste, 4.65));
        assert!(close(t.lfi, 193.0 / 394.0), "{}", t.lfi);
        assert!(close(t.utility, 1.25));
        assert!(close(t.mci, 255.04 / 394.0), "{}", t.mci);
    }

    #[test]
    fn one_lfi_for_many_materials_not_a_mean() {
        let p = two_materials();
        let t = product_terms(&p);
        let mean: f64 = p
            .materials
            .iter()
            .map(|m| {
                let one = terms(std::slice::from_ref(m), p.utility, p.method);
                one.lfi * m.mass / t.mass
            })
            .sum();
        // steel alone: 4.65 / 11.7; wood alone: 5 / 8; mean 0.6·0.397… + 0.4·0.625 = 0.48846…
        assert!(close(mean, 0.6 * 4.65 / 11.7 + 0.4 * 0.625));
        assert!((t.lfi - mean).abs() > 1e-3, "{} vs {mean}", t.lfi);
    }

    #[test]
    fn energy_recovery_counts_only_for_qualifying_biological_material_in_2019() {
        let mut wood = linear("wood", 1.0);
        wood.biological = true;
        wood.sustained = 1.0;
        wood.energy_recovery = 0.6;
        let f = material_flows(&wood, Method::Emf2019);
        assert!(f.energy_recovery_credited);
        assert!(close(f.unrecoverable, 0.4));
        assert_eq!(f.virgin, 0.0);
        // The 2015 method knows neither sustained production nor energy recovery.
        let f = material_flows(&wood, Method::Emf2015);
        assert!(!f.energy_recovery_credited);
        assert_eq!((f.virgin, f.unrecoverable), (1.0, 1.0));
        // Non-biological material is never credited.
        let mut pvc = linear("pvc", 1.0);
        pvc.recycled = 1.0;
        pvc.feedstock_efficiency = Some(1.0);
        pvc.energy_recovery = 1.0;
        assert!(!material_flows(&pvc, Method::Emf2019).energy_recovery_credited);
    }

    #[test]
    fn shares_that_add_up_to_one_leave_exactly_nothing() {
        assert_ne!(1.0 - 0.7 - 0.3, 0.0);
        assert_eq!(rest(&[0.7, 0.3]), 0.0);
        assert_eq!(rest(&[0.3, 0.7, 0.1]), 0.0);
        assert_eq!(rest(&[0.25]), 0.75);
        assert_eq!(rest(&[0.999_999_999]), 1.0 - 0.999_999_999);
    }

    #[test]
    fn recycled_feedstock_at_zero_share_needs_no_efficiency() {
        let mut m = linear("glass", 1.0);
        m.feedstock_efficiency = Some(0.0);
        assert_eq!(material_flows(&m, Method::Emf2019).feedstock_waste, 0.0);
    }

    #[test]
    fn low_utility_is_clamped_at_zero() {
        let mut p = product(vec![linear("steel", 1.0)]);
        p.utility.lifetime = Some((1.0, 2.0));
        let t = product_terms(&p);
        assert!(close(t.unclamped, -0.8));
        assert_eq!(t.mci, 0.0);
    }

    /// The law "MCI never falls as recycled content rises" needs E_F ≥ 1/3. Worked by hand:
    /// 1 kg, F_U = 0.9, C_R = 1, E_C = 1, E_F = 0.1, X = 1.
    /// F_R = 0.05: V = 0.05, W_F = 0.9·0.05/0.1 = 0.45, LFI = 0.275/2.225, MCI = 0.88876…
    /// F_R = 0.10: V = 0,    W_F = 0.9,               LFI = 0.45/2.45,   MCI = 0.83469…
    #[test]
    fn low_feedstock_efficiency_can_make_recycled_content_lower_the_mci() {
        let at = |f_r: f64| {
            let mut m = linear("x", 1.0);
            m.reused = 0.9;
            m.recycled = f_r;
            m.feedstock_efficiency = Some(0.1);
            m.recycling = 1.0;
            m.recycling_efficiency = Some(1.0);
            product_terms(&product(vec![m])).mci
        };
        assert!(close(at(0.05), 1.0 - 0.9 * 0.275 / 2.225));
        assert!(close(at(0.10), 1.0 - 0.9 * 0.45 / 2.45));
        assert!(at(0.10) < at(0.05));
    }
}

#[cfg(test)]
mod laws {
    //! Property tests of the laws in the module documentation.
    use proptest::prelude::*;

    use super::*;
    use crate::product::Product;
    use crate::product::testing::{linear, product};

    /// Shares (a, b, c) with a + b + c ≤ 1, drawn as cuts of [0, 1].
    fn shares3() -> impl Strategy<Value = (f64, f64, f64)> {
        (0.0..=1.0f64, 0.0..=1.0f64, 0.0..=1.0f64).prop_map(|(a, b, c)| {
            let a2 = a;
            let b2 = (1.0 - a2) * b;
            let c2 = (1.0 - a2 - b2).max(0.0) * c;
            (a2, b2, c2)
        })
    }

    /// Shares (a, b, c, d) with a + b + c + d ≤ 1.
    fn shares4() -> impl Strategy<Value = (f64, f64, f64, f64)> {
        (shares3(), 0.0..=1.0f64).prop_map(|((a, b, c), d)| {
            let d2 = (1.0 - a - b - c).max(0.0) * d;
            (a, b, c, d2)
        })
    }

    prop_compose! {
        /// Any valid material: every share, efficiency and flag free within its bounds.
        fn material()(
            mass in 0.0..1e4f64,
            biological in any::<bool>(),
            (f_r, f_u, f_s) in shares3(),
            (c_r, c_u, c_c, c_e) in shares4(),
            e_f in 0.01..=1.0f64,
            e_c in 0.0..=1.0f64,
        ) -> Material {
            let mut m = linear("m", mass);
            m.biological = biological;
            m.recycled = f_r;
            m.reused = f_u;
            m.sustained = if biological { f_s } else { 0.0 };
            m.feedstock_efficiency = Some(e_f);
            m.recycling = c_r;
            m.reuse = c_u;
            m.composting = if biological { c_c } else { 0.0 };
            m.energy_recovery = c_e;
            m.recycling_efficiency = Some(e_c);
            m
        }
    }

    prop_compose! {
        /// Any valid product of 1 to 5 materials, positive mass, any utility, either method.
        fn any_product()(
            materials in proptest::collection::vec(material(), 1..5),
            extra in 1e-3..1e3f64,
            lifetime in proptest::option::of((1e-3..1e3f64, 1e-3..1e3f64)),
            uses in proptest::option::of((1e-3..1e3f64, 1e-3..1e3f64)),
            old in any::<bool>(),
        ) -> Product {
            let mut materials = materials;
            materials.push(linear("base", extra));
            let mut p = product(materials);
            p.utility.lifetime = lifetime;
            p.utility.uses = uses;
            if old {
                p.method = Method::Emf2015;
            }
            p
        }
    }

    proptest! {
        #[test]
        fn mci_and_lfi_lie_in_0_1(p in any_product()) {
            let t = product_terms(&p);
            prop_assert!((0.0..=1.0).contains(&t.mci), "MCI {}", t.mci);
            prop_assert!(t.lfi >= 0.0 && t.lfi <= 1.0 + 1e-12, "LFI {}", t.lfi);
        }

        #[test]
        fn fully_linear_products_of_average_utility_score_0_1(
            masses in proptest::collection::vec(1e-6..1e6f64, 1..6),
        ) {
            let p = product(masses.iter().map(|m| linear("m", *m)).collect());
            let t = product_terms(&p);
            prop_assert!((t.mci - 0.1).abs() < 1e-12, "{}", t.mci);
        }

        #[test]
        fn fully_restorative_products_score_1(
            masses in proptest::collection::vec(1e-6..1e6f64, 1..6),
            reused in proptest::collection::vec(0.0..=1.0f64, 6),
            reuse in proptest::collection::vec(0.0..=1.0f64, 6),
            x in 0.1..10.0f64,
        ) {
            // Feedstock all recycled or reused and everything recovered without loss: V = W = 0.
            let p = product(masses.iter().enumerate().map(|(i, m)| {
                let mut mat = linear("m", *m);
                mat.reused = reused[i];
                mat.recycled = 1.0 - reused[i];
                mat.feedstock_efficiency = Some(1.0);
                mat.reuse = reuse[i];
                mat.recycling = 1.0 - reuse[i];
                mat.recycling_efficiency = Some(1.0);
                mat
            }).collect());
            let mut p = p;
            p.utility.lifetime = Some((x, 1.0));
            prop_assert_eq!(product_terms(&p).mci, 1.0);
        }

        #[test]
        fn more_recycled_content_never_lowers_the_mci(
            p in any_product(),
            which in any::<prop::sample::Index>(),
            step in 0.0..=1.0f64,
            e_f in (1.0 / 3.0)..=1.0f64,
        ) {
            // Recycled feedstock replaces part of the virgin feedstock of one material, with the
            // efficiency of making it at least 1/3 (see the module documentation for why).
            let mut before = p;
            let k = which.index(before.materials.len());
            before.materials[k].feedstock_efficiency = Some(e_f);
            let mut after = before.clone();
            let m = &mut after.materials[k];
            let virgin = (1.0 - m.recycled - m.reused - m.sustained).max(0.0);
            m.recycled += virgin * step;
            let (a, b) = (product_terms(&before).mci, product_terms(&after).mci);
            prop_assert!(b >= a - 1e-12, "MCI fell from {a} to {b}");
        }
    }
}
