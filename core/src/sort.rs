//! Sorting, compiled once for the web module.
//!
//! The standard library's sorts are fast and large: each call site with its own element type
//! or comparison compiles to its own 3–5 KB of code, and the twenty-odd sorts of core came to
//! 69 KB of the WebAssembly module (docs/web.md, "Size and speed"). Natively these functions
//! are the standard sorts. On wasm32 they sort a list of positions through one comparison
//! behind a trait object, so that one sort is compiled for the whole module, and then put the
//! elements in that order: slower per comparison, which no model a browser holds notices.
//!
//! `collect` into a `BTreeMap` or `BTreeSet` sorts too, with its own copy of the standard sort;
//! where the web module reaches such a collect, core fills the tree with `extend`, which inserts.
//!
//! Both ways give the same order: the standard stable sort, or a stable sort of positions,
//! which keeps equal elements in their order too. [`sort`] is for types whose equal elements
//! cannot be told apart (numbers, identifiers, tuples of them), where stable and unstable agree
//! and the native build takes the faster unstable sort.

use std::cmp::Ordering;

/// Sorts `v` by `cmp`, keeping equal elements in their order.
pub(crate) fn sort_by<T>(v: &mut [T], cmp: impl FnMut(&T, &T) -> Ordering) {
    #[cfg(not(target_arch = "wasm32"))]
    v.sort_by(cmp);
    #[cfg(target_arch = "wasm32")]
    {
        let mut cmp = cmp;
        sort_compact(v, &mut cmp);
    }
}

/// Sorts `v` by the key `key` gives each element, keeping equal keys in their order.
pub(crate) fn sort_by_key<T, K: Ord>(v: &mut [T], mut key: impl FnMut(&T) -> K) {
    sort_by(v, |a, b| key(a).cmp(&key(b)));
}

/// Sorts `v`, whose equal elements cannot be told apart.
pub(crate) fn sort<T: Ord>(v: &mut [T]) {
    #[cfg(not(target_arch = "wasm32"))]
    v.sort_unstable();
    #[cfg(target_arch = "wasm32")]
    sort_compact(v, &mut T::cmp);
}

/// The web module's sort: the positions of `v` sorted by comparing their elements, then the
/// elements moved into that order.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
fn sort_compact<T>(v: &mut [T], cmp: &mut dyn FnMut(&T, &T) -> Ordering) {
    let mut order: Vec<usize> = (0..v.len()).collect();
    sort_positions(&mut order, &mut |&a, &b| cmp(&v[a], &v[b]));
    permute(v, &mut order);
}

/// The one sort the web module compiles.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
fn sort_positions(order: &mut [usize], cmp: &mut dyn FnMut(&usize, &usize) -> Ordering) {
    order.sort_by(|a, b| cmp(a, b));
}

/// Puts `v` in the order `order` names: afterwards `v[i]` is what was `v[order[i]]`. Follows each
/// cycle of the permutation with swaps; `order` ends up as the identity.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
fn permute<T>(v: &mut [T], order: &mut [usize]) {
    for start in 0..order.len() {
        let mut at = start;
        while order[at] != start {
            let next = order[at];
            v.swap(at, next);
            order[at] = at;
            at = next;
        }
        order[at] = at;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        // The web module's sort gives the standard library's stable order: pairs with few
        // distinct keys, so that ties (kept in their order) are common.
        #[test]
        fn compact_sort_is_the_stable_sort(mut v in prop::collection::vec((0u8..6, any::<u16>()), 0..200)) {
            let mut expected = v.clone();
            expected.sort_by_key(|p| p.0);
            sort_compact(&mut v, &mut |a, b| a.0.cmp(&b.0));
            prop_assert_eq!(v, expected);
        }

        #[test]
        fn permute_moves_every_element_to_its_place(n in 0usize..100, seed in any::<u64>()) {
            // A permutation from the seed (Fisher–Yates with a linear congruential generator).
            let mut order: Vec<usize> = (0..n).collect();
            let mut s = seed;
            for i in (1..n).rev() {
                s = s.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
                order.swap(i, usize::try_from(s >> 33).unwrap() % (i + 1));
            }
            let expected: Vec<usize> = order.iter().map(|&i| i * 10).collect();
            let mut v: Vec<usize> = (0..n).map(|i| i * 10).collect();
            permute(&mut v, &mut order);
            prop_assert_eq!(v, expected);
        }
    }
}
