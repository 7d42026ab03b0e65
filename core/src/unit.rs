//! Mass units and their exact conversion.
//!
//! Every mass in a [`Model`](crate::Model) is held in tonnes. Files may state values in t, kt, Mt
//! or Gt; this module converts them, and converts results back into a model's display unit.
//!
//! Conversions are exact in the decimal sense: `8.65` Gt becomes exactly `8_650_000_000` t, not the
//! nearest double to `8.65 × 1e9` computed in binary (which can be off by one unit in the last
//! place). The value's shortest round-trip decimal form is shifted by the power of ten and parsed
//! again, so the result is the double nearest to the decimal number the user wrote, scaled. Values
//! written with at most 15 significant digits therefore round-trip through any pair of units bit
//! for bit.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A unit of mass.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Unit {
    /// Tonne (10³ kg).
    #[serde(rename = "t")]
    Tonne,
    /// Kilotonne (10³ t).
    #[serde(rename = "kt")]
    Kilotonne,
    /// Megatonne (10⁶ t).
    #[serde(rename = "Mt")]
    Megatonne,
    /// Gigatonne (10⁹ t).
    #[serde(rename = "Gt")]
    Gigatonne,
}

impl Unit {
    /// All units, smallest first.
    pub const ALL: [Unit; 4] = [
        Unit::Tonne,
        Unit::Kilotonne,
        Unit::Megatonne,
        Unit::Gigatonne,
    ];

    /// The symbol used in files and output: `t`, `kt`, `Mt`, `Gt`.
    #[must_use]
    pub fn symbol(self) -> &'static str {
        match self {
            Unit::Tonne => "t",
            Unit::Kilotonne => "kt",
            Unit::Megatonne => "Mt",
            Unit::Gigatonne => "Gt",
        }
    }

    /// The power of ten that turns this unit into tonnes.
    #[must_use]
    pub fn exponent(self) -> i32 {
        match self {
            Unit::Tonne => 0,
            Unit::Kilotonne => 3,
            Unit::Megatonne => 6,
            Unit::Gigatonne => 9,
        }
    }

    /// Converts `value` in this unit to tonnes, exactly (see the module documentation).
    #[must_use]
    pub fn to_tonnes(self, value: f64) -> f64 {
        shift_decimal(value, self.exponent())
    }

    /// Converts `tonnes` to this unit, exactly (see the module documentation).
    #[must_use]
    pub fn from_tonnes(self, tonnes: f64) -> f64 {
        shift_decimal(tonnes, -self.exponent())
    }
}

impl fmt::Display for Unit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.symbol())
    }
}

/// The error of parsing a unit symbol.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownUnit(pub String);

impl fmt::Display for UnknownUnit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown unit \"{}\"", self.0)
    }
}

impl FromStr for Unit {
    type Err = UnknownUnit;

    /// Parses the exact symbols `t`, `kt`, `Mt`, `Gt`. Case matters: `mt` would read as
    /// millitonne in SI and is refused rather than guessed.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Unit::ALL
            .into_iter()
            .find(|u| u.symbol() == s)
            .ok_or_else(|| UnknownUnit(s.to_owned()))
    }
}

/// Multiplies `value` by `10^exponent` in decimal: the shortest decimal form of `value` (which
/// parses back to `value`) has its exponent shifted, and is parsed again with correct rounding.
fn shift_decimal(value: f64, exponent: i32) -> f64 {
    if exponent == 0 || value == 0.0 || !value.is_finite() {
        return value;
    }
    // `{:e}` prints the shortest representation that round-trips, as `<mantissa>e<exp>`.
    let text = format!("{value:e}");
    let (mantissa, exp) = text
        .split_once('e')
        .expect("the `{:e}` format of a finite f64 always has an exponent");
    let exp: i32 = exp
        .parse()
        .expect("the exponent printed by `{:e}` is an integer");
    format!("{mantissa}e{}", exp + exponent)
        .parse()
        .expect("a mantissa printed by `{:e}` with an integer exponent parses as f64")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn gigatonnes_convert_to_whole_tonnes() {
        // 8.65 Gt is the secondary input of the Circularity Gap Report 2020.
        assert_eq!(Unit::Gigatonne.to_tonnes(8.65), 8_650_000_000.0);
        assert_eq!(Unit::Gigatonne.from_tonnes(8_650_000_000.0), 8.65);
        assert_eq!(Unit::Kilotonne.to_tonnes(447_641.2), 447_641_200.0);
        assert_eq!(Unit::Megatonne.from_tonnes(1_992_000_000.0), 1992.0);
    }

    #[test]
    fn decimal_shift_beats_binary_multiplication_where_they_differ() {
        // 0.1 + 0.2 is 0.30000000000000004: the decimal shift keeps every written digit.
        let v = 0.1 + 0.2;
        assert_eq!(Unit::Kilotonne.to_tonnes(v), 300.00000000000004);
        // Cases where binary multiplication rounds away from the decimal product: 66154.423 * 1e3
        // is 66154422.99999999 in f64 arithmetic, and 8252.81 * 1e6 is 8252809999.999999.
        assert_ne!(66_154.423 * 1e3, 66_154_423.0);
        assert_eq!(Unit::Kilotonne.to_tonnes(66_154.423), 66_154_423.0);
        assert_ne!(8_252.81 * 1e6, 8_252_810_000.0);
        assert_eq!(Unit::Megatonne.to_tonnes(8_252.81), 8_252_810_000.0);
    }

    #[test]
    fn symbols_parse_exactly() {
        for u in Unit::ALL {
            assert_eq!(u.symbol().parse::<Unit>(), Ok(u));
        }
        assert!("mt".parse::<Unit>().is_err());
        assert!("tonnes".parse::<Unit>().is_err());
    }

    /// Decimal values of at most 15 significant digits, as analysts write them.
    fn decimal() -> impl Strategy<Value = f64> {
        (1u64..999_999_999_999_999, -12i32..12)
            .prop_map(|(m, e)| format!("{m}e{e}").parse::<f64>().expect("valid literal"))
    }

    proptest! {
        #[test]
        fn conversions_round_trip(v in decimal(), a in 0usize..4, b in 0usize..4) {
            let (a, b) = (Unit::ALL[a], Unit::ALL[b]);
            let tonnes = a.to_tonnes(v);
            let in_b = b.from_tonnes(tonnes);
            prop_assert_eq!(a.from_tonnes(b.to_tonnes(in_b)), v);
            prop_assert_eq!(b.to_tonnes(in_b), tonnes);
        }

        #[test]
        fn conversion_is_the_decimal_product(m in 1u64..999_999_999_999, e in -6i32..6) {
            let v: f64 = format!("{m}e{e}").parse().expect("valid literal");
            let expected: f64 = format!("{m}e{}", e + 9).parse().expect("valid literal");
            prop_assert_eq!(Unit::Gigatonne.to_tonnes(v), expected);
        }
    }
}
