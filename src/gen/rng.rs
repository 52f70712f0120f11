//! Small deterministic PRNG (xoshiro256** seeded by SplitMix64).
//!
//! Written here instead of using the `rand` crate so that the byte stream for
//! a given seed never changes between dependency versions.

/// SplitMix64 step; also used as a 64-bit hash for deriving stream seeds.
pub fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[derive(Clone, Debug)]
pub struct Rng {
    s: [u64; 4],
}

/// Independent streams per patient so results do not depend on thread scheduling.
#[derive(Clone, Copy)]
pub enum Stream {
    Profile = 1,
    Admission = 2,
    Story = 3,
    /// Extra admissions that keep a small hospital's wards from ending empty.
    Census = 4,
    /// Vital signs, drawn after the story so that the other files stay as they were.
    Vitals = 5,
    /// Infection serology on admission, likewise after the story.
    Serology = 6,
}

impl Rng {
    pub fn new(seed: u64) -> Rng {
        let mut x = seed;
        let mut s = [0u64; 4];
        for v in &mut s {
            x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
            *v = mix(x);
        }
        if s == [0; 4] {
            s[0] = 1;
        }
        Rng { s }
    }

    /// Generator for one (seed, patient index, purpose) triple.
    pub fn stream(seed: u64, idx: u64, stream: Stream) -> Rng {
        Rng::new(mix(
            seed ^ mix(idx.wrapping_mul(0xA24B_AED4_963E_E407) ^ stream as u64)
        ))
    }

    pub fn next_u64(&mut self) -> u64 {
        let result = self.s[1].wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = self.s[1] << 17;
        self.s[2] ^= self.s[0];
        self.s[3] ^= self.s[1];
        self.s[1] ^= self.s[2];
        self.s[0] ^= self.s[3];
        self.s[2] ^= t;
        self.s[3] = self.s[3].rotate_left(45);
        result
    }

    /// Uniform in `0..n` (n > 0; returns 0 for n == 0).
    pub fn below(&mut self, n: u64) -> u64 {
        ((self.next_u64() as u128 * n as u128) >> 64) as u64
    }

    /// Uniform integer in `lo..=hi`.
    pub fn int(&mut self, lo: i64, hi: i64) -> i64 {
        if hi <= lo {
            return lo;
        }
        lo + self.below((hi - lo + 1) as u64) as i64
    }

    /// Uniform in `[0, 1)`.
    pub fn f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    pub fn uniform(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.f64()
    }

    pub fn chance(&mut self, p: f64) -> bool {
        self.f64() < p
    }

    /// Approximate normal (Irwin-Hall of 12 uniforms): pure arithmetic, so
    /// results are identical on every platform.
    pub fn normal(&mut self, mean: f64, sd: f64) -> f64 {
        let mut s = 0.0;
        for _ in 0..12 {
            s += self.f64();
        }
        mean + sd * (s - 6.0)
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }

    /// Index chosen proportionally to `weights`; 0 if all weights are zero.
    pub fn weighted(&mut self, weights: &[f64]) -> usize {
        let total: f64 = weights.iter().sum();
        if total <= 0.0 {
            return 0;
        }
        let mut x = self.f64() * total;
        for (i, w) in weights.iter().enumerate() {
            if x < *w {
                return i;
            }
            x -= w;
        }
        weights.len() - 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reproducible_and_distinct() {
        let a: Vec<u64> = (0..5).map(|_| Rng::new(7).next_u64()).collect();
        assert!(a.windows(2).all(|w| w[0] == w[1]));
        let mut r1 = Rng::stream(1, 5, Stream::Story);
        let mut r2 = Rng::stream(1, 6, Stream::Story);
        assert_ne!(r1.next_u64(), r2.next_u64());
        let mut r = Rng::new(3);
        for _ in 0..1000 {
            let v = r.int(-2, 3);
            assert!((-2..=3).contains(&v));
            assert!(r.f64() < 1.0);
        }
    }
}
