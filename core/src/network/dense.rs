//! Small dense linear algebra for the network solver: a row-major matrix, Gauss–Jordan
//! elimination with complete pivoting over a chosen block of columns (rank, free unknowns,
//! redundant equations), and the Cholesky factorisation of the reconciliation's `A Q Aᵀ`.
//!
//! Written here rather than taken from nalgebra or faer: the network solver needs exactly these
//! three kernels, a few hundred lines, and core ships to the browser, where every dependency is
//! download size. The operations are plain IEEE additions and multiplications in a fixed order,
//! so results are bit-identical natively and in wasm32.

// Index loops mirror the formulas they implement.
#![allow(clippy::needless_range_loop)]

/// A dense row-major matrix.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Mat {
    pub rows: usize,
    pub cols: usize,
    pub data: Vec<f64>,
}

impl Mat {
    pub fn zeros(rows: usize, cols: usize) -> Mat {
        Mat {
            rows,
            cols,
            data: vec![0.0; rows * cols],
        }
    }

    #[inline]
    pub fn at(&self, r: usize, c: usize) -> f64 {
        self.data[r * self.cols + c]
    }

    #[inline]
    pub fn set(&mut self, r: usize, c: usize, v: f64) {
        self.data[r * self.cols + c] = v;
    }

    #[inline]
    pub fn add(&mut self, r: usize, c: usize, v: f64) {
        self.data[r * self.cols + c] += v;
    }

    pub fn row(&self, r: usize) -> &[f64] {
        &self.data[r * self.cols..(r + 1) * self.cols]
    }

    fn swap_rows(&mut self, a: usize, b: usize) {
        if a == b {
            return;
        }
        let (lo, hi) = (a.min(b), a.max(b));
        let (head, tail) = self.data.split_at_mut(hi * self.cols);
        head[lo * self.cols..(lo + 1) * self.cols].swap_with_slice(&mut tail[..self.cols]);
    }
}

/// The result of [`gauss_jordan`]: which column each pivot row solves for.
#[derive(Debug, Clone)]
pub(crate) struct Elimination {
    /// `(row, column)` of each pivot, in elimination order; rows `0..rank` after the call.
    pub pivots: Vec<(usize, usize)>,
    /// Rows `rank..` have (numerically) zero entries in the pivot block: redundant equations.
    pub rank: usize,
}

/// Reduces `m` in place to reduced row echelon form in its first `block` columns, choosing at
/// each step the largest remaining entry of that block (complete pivoting), and carrying the
/// other columns along. Entries below `tol` times the largest entry of the block count as zero.
///
/// After the call rows `0..rank` are the pivot rows (pivot 1, zero in every other pivot column)
/// and rows `rank..` are zero in the block.
pub(crate) fn gauss_jordan(m: &mut Mat, block: usize, tol: f64) -> Elimination {
    let scale = (0..m.rows)
        .flat_map(|r| (0..block).map(move |c| (r, c)))
        .fold(0.0f64, |a, (r, c)| a.max(m.at(r, c).abs()));
    let eps = tol * scale.max(f64::MIN_POSITIVE);
    let mut pivots = Vec::new();
    let mut used = vec![false; block];
    let mut rank = 0;
    while rank < m.rows {
        // Largest entry in rows rank.., unused columns of the block.
        let mut best = (0.0, 0, 0);
        for r in rank..m.rows {
            let row = m.row(r);
            for (c, &v) in row[..block].iter().enumerate() {
                if !used[c] && v.abs() > best.0 {
                    best = (v.abs(), r, c);
                }
            }
        }
        if best.0 <= eps {
            break;
        }
        let (_, pr, pc) = best;
        m.swap_rows(rank, pr);
        let inv = 1.0 / m.at(rank, pc);
        let cols = m.cols;
        for v in &mut m.data[rank * cols..(rank + 1) * cols] {
            *v *= inv;
        }
        m.set(rank, pc, 1.0);
        let pivot_row: Vec<f64> = m.row(rank).to_vec();
        for r in 0..m.rows {
            if r == rank {
                continue;
            }
            let f = m.at(r, pc);
            if f == 0.0 {
                continue;
            }
            let row = &mut m.data[r * cols..(r + 1) * cols];
            for (x, p) in row.iter_mut().zip(&pivot_row) {
                *x -= f * p;
            }
            row[pc] = 0.0;
        }
        used[pc] = true;
        pivots.push((rank, pc));
        rank += 1;
    }
    Elimination { pivots, rank }
}

/// The Cholesky factor `L` (lower, row-major) of a symmetric positive definite matrix, or
/// `None` when it is not positive definite to working precision.
pub(crate) fn cholesky(a: &Mat) -> Option<Mat> {
    let n = a.rows;
    let mut l = Mat::zeros(n, n);
    for i in 0..n {
        for j in 0..=i {
            let mut sum = a.at(i, j);
            for k in 0..j {
                sum -= l.at(i, k) * l.at(j, k);
            }
            if i == j {
                if sum <= 0.0 || !sum.is_finite() {
                    return None;
                }
                l.set(i, i, libm::sqrt(sum));
            } else {
                l.set(i, j, sum / l.at(j, j));
            }
        }
    }
    Some(l)
}

/// Solves `L Lᵀ x = b` in place, given the Cholesky factor `L`.
pub(crate) fn cholesky_solve(l: &Mat, b: &mut [f64]) {
    let n = l.rows;
    for i in 0..n {
        let mut s = b[i];
        for k in 0..i {
            s -= l.at(i, k) * b[k];
        }
        b[i] = s / l.at(i, i);
    }
    for i in (0..n).rev() {
        let mut s = b[i];
        for k in i + 1..n {
            s -= l.at(k, i) * b[k];
        }
        b[i] = s / l.at(i, i);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gauss_jordan_finds_rank_and_redundant_rows() {
        // x + y = 3; 2x + 2y = 6 (redundant); x − y = 1.
        let mut m = Mat {
            rows: 3,
            cols: 3,
            data: vec![1.0, 1.0, 3.0, 2.0, 2.0, 6.0, 1.0, -1.0, 1.0],
        };
        let e = gauss_jordan(&mut m, 2, 1e-12);
        assert_eq!(e.rank, 2);
        let mut x = [0.0; 2];
        for &(r, c) in &e.pivots {
            x[c] = m.at(r, 2);
        }
        assert_eq!(x, [2.0, 1.0]);
        assert!(m.row(2).iter().all(|v| v.abs() < 1e-12));
    }

    #[test]
    fn cholesky_solves_spd_systems() {
        let a = Mat {
            rows: 2,
            cols: 2,
            data: vec![4.0, 2.0, 2.0, 3.0],
        };
        let l = cholesky(&a).expect("positive definite");
        let mut b = vec![2.0, 1.0];
        cholesky_solve(&l, &mut b);
        // Residual, as well as the value: 4·0.5 + 2·0 = 2, 2·0.5 + 3·0 = 1.
        assert!((b[0] - 0.5).abs() < 1e-15 && b[1].abs() < 1e-15, "{b:?}");
        assert!(cholesky(&Mat::zeros(1, 1)).is_none());
    }
}
